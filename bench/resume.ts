// A first publish that outgrows one run (issue: long runs, item 5): the same docs tree published by resumed
// runs, each with time-budget-minutes, on the emulators' scaled clock, until a run reports complete: true.
//   npx tsx bench/resume.ts [--docs 300] [--budget 1] [--scale 6] [--latency-ms 40] [--max-runs 30]
// Prints the number of runs, Feishu calls made against the minimum, duplicate nodes, documents written by more
// than one run, and the summed wall time against the rate-limit bound plus one scan of the wiki per extra run.
import { generateDocsTree } from './generate.js'
import { callsPerRoute, lowerBound, minimumPublishCalls } from './bound.js'
import { startBenchWorld } from './world.js'

const args = new Map<string, string>()
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '')
const docs = Number(args.get('docs') ?? 300)
const budget = Number(args.get('budget') ?? 1)
const scale = Number(args.get('scale') ?? 6)
const latencyMs = Number(args.get('latency-ms') ?? 40)
const maxRuns = Number(args.get('max-runs') ?? 30)
const log = (m: string) => process.stderr.write(`[resume] ${m}\n`)

const tree = generateDocsTree(docs)
const world = await startBenchWorld({ scale, latencyMs })
world.writeFiles(tree.files)
const writtenBy = new Map<string, Set<number>>()
const runs: { seconds: number; calls: number; complete: string; created: number; exit: number; left: string }[] = []
const started = Date.now()
try {
  for (let k = 1; k <= maxRuns; k++) {
    const r = await world.run({ inputs: { 'time-budget-minutes': String(budget) } })
    for (const c of r.feishuCalls) {
      if (c.method === 'GET' || !c.route.startsWith('docx.')) continue
      const doc = c.path.split('/')[5]!
      if (!writtenBy.has(doc)) writtenBy.set(doc, new Set())
      writtenBy.get(doc)!.add(k)
    }
    const left = /(\d[\d,]*) page\(s\) not yet published/.exec(r.run.summary)?.[1] ?? (r.run.summary.includes('stopped while reading the wiki') ? 'all (stopped while reading the wiki)' : '0')
    runs.push({ seconds: r.seconds, calls: r.feishuCalls.length, complete: r.run.outputs.complete ?? '', created: Number(r.run.outputs.created ?? 0), exit: r.run.exitCode, left })
    if (r.run.exitCode !== 0) log(r.run.stdout.split("\n").filter((l) => l.startsWith("::error") || l.includes("failed")).slice(0, 5).join("\n"))
    log(`run ${k}: exit ${r.run.exitCode}, complete ${r.run.outputs.complete}, created ${r.run.outputs.created}, left ${left}, ${r.feishuCalls.length} calls, ${r.seconds.toFixed(0)} s`)
    if (r.run.outputs.complete === 'true' || r.run.exitCode !== 0) break
  }
  const { feishu, spaceId } = world.seeded
  const nodes = feishu.nodes(spaceId).filter((n) => n.node_token !== world.parentNode)
  const groups = new Map<string, number>()
  for (const n of nodes) groups.set(`${n.parent_node_token}/${n.title}`, (groups.get(`${n.parent_node_token}/${n.title}`) ?? 0) + 1)
  const duplicates = [...groups.values()].reduce((s, c) => s + c - 1, 0)
  const documents = nodes.map((n) => {
    let blocks = 0
    let images = 0
    let token: string | undefined
    do {
      const page = feishu.docs.listBlocks(n.obj_token, 500, token)
      blocks += page.items.length
      images += page.items.filter((b) => b.block_type === 27).length
      token = page.has_more ? page.page_token : undefined
    } while (token)
    return { documentId: n.obj_token, blocks: blocks - 1, images }
  })
  const minimum = minimumPublishCalls(nodes.length, documents)
  const bound = lowerBound(minimum.perRoute, minimum.perDocument, latencyMs)
  // One scan of the finished wiki: a list per 50 nodes (100/min) and a first-block read per document (5/s).
  const scanSeconds = Math.max(((Math.ceil(nodes.length / 50) - 1) / 100) * 60, (nodes.length - 1) / 5)
  const total = runs.reduce((s, r) => s + r.seconds, 0)
  const goal = 1.15 * bound.seconds + (runs.length - 1) * scanSeconds
  const minCalls = Object.values(minimum.perRoute).reduce((s, n) => s + n, 0)
  const made = runs.reduce((s, r) => s + r.calls, 0)
  const twice = [...writtenBy.values()].filter((set) => set.size > 1).length
  console.log(`resumed first publish: ${tree.docs} files → ${nodes.length} pages, time-budget-minutes ${budget}, scale ${scale}, latency ${latencyMs} ms`)
  console.log(`  runs: ${runs.length} (${runs.map((r) => `${r.seconds.toFixed(0)} s, left ${r.left}`).join('; ')})`)
  console.log(`  complete: ${runs.at(-1)?.complete === 'true' ? 'yes' : 'NO'}`)
  console.log(`  Feishu calls: ${made} made, ${minCalls} minimum (${(made / minCalls).toFixed(2)}×)`)
  console.log(`  duplicate nodes: ${duplicates}`)
  console.log(`  documents written by more than one run: ${twice}`)
  console.log(`  wall time: ${total.toFixed(0)} s; bound ${bound.seconds.toFixed(0)} s (${bound.binding.window}), one scan ${scanSeconds.toFixed(0)} s; goal ≤ 1.15 × bound + ${runs.length - 1} scans = ${goal.toFixed(0)} s → ratio ${(total / goal).toFixed(3)}`)
  console.log(`  (${((Date.now() - started) / 1000).toFixed(0)} s real)`)
} finally {
  await world.close()
}
