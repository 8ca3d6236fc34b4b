// A first publish that outgrows one run (issue: long runs, item 5): the same docs tree published by resumed
// runs, each with time-budget-minutes, on the emulators' scaled clock, until a run reports complete: true.
//   npx tsx bench/resume.ts [--docs 10000] [--budget 30] [--scale 2] [--latency-ms 40] [--max-runs 30]
// (also `npm run bench -- --only resume --resume-docs 10000 --resume-budget 30`). Measures the number of runs,
// the Feishu calls made against the minimum one run would need, duplicate nodes, pages written by more than one
// run, and the summed wall time against the rate-limit bound plus one listing scan of the wiki per extra run.
import { pathToFileURL } from 'node:url'
import { STATE_TITLE } from '../src/sync/remote/state.js'
import { generateDocsTree } from './generate.js'
import { lowerBound, minimumPublishCalls } from './bound.js'
import { startBenchWorld } from './world.js'

export interface ResumeFigures {
  docs: number
  pages: number
  budget_minutes: number
  scale: number
  runs: number
  complete: boolean
  /** Every Feishu call of every run (the token refresh included), and the fewest one uninterrupted run needs. */
  calls: number
  minimum_calls: number
  /** Calls beyond the writes: listing, reads of documents (the state page's included), lookups. */
  listing_calls: number
  docx_reads: number
  duplicate_nodes: number
  /** Documents (the state page left out) written in more than one run. */
  pages_written_twice: number
  /** Emulator seconds summed over the runs (each from its first request to its exit). */
  seconds: number
  bound_seconds: number
  /** One listing scan of the finished wiki (list calls at 100/min) and the read of the state page. */
  scan_seconds: number
  /** 1.15 × bound + one scan per extra run. */
  goal_seconds: number
  ratio: number
  per_run: { seconds: number; calls: number; created: number; left: string; docx_reads: number }[]
}

export async function measureResume(options: { docs: number; budget: number; scale: number; latencyMs: number; maxRuns?: number; log?: (m: string) => void }): Promise<ResumeFigures> {
  const log = options.log ?? (() => {})
  const tree = generateDocsTree(options.docs)
  const world = await startBenchWorld({ scale: options.scale, latencyMs: options.latencyMs })
  world.writeFiles(tree.files)
  const writtenBy = new Map<string, Set<number>>()
  const runs: ResumeFigures['per_run'] = []
  let listing = 0
  let reads = 0
  let complete = false
  try {
    for (let k = 1; k <= (options.maxRuns ?? 30); k++) {
      const r = await world.run({ inputs: { 'time-budget-minutes': String(options.budget) } })
      let runReads = 0
      for (const c of r.feishuCalls) {
        if (c.route === 'wiki.v2.spaceNode.list') listing++
        if (!c.route.startsWith('docx.')) continue
        if (c.method === 'GET') {
          runReads++
          continue
        }
        const doc = c.path.split('/')[5]!
        if (!writtenBy.has(doc)) writtenBy.set(doc, new Set())
        writtenBy.get(doc)!.add(k)
      }
      reads += runReads
      const left = /(\d[\d,]*) page\(s\) not yet published/.exec(r.run.summary)?.[1] ?? (r.run.summary.includes('stopped while reading the wiki') ? 'all (stopped while reading the wiki)' : '0')
      runs.push({ seconds: Math.round(r.seconds), calls: r.feishuCalls.length, created: Number(r.run.outputs.created ?? 0), left, docx_reads: runReads })
      log(`run ${k}: exit ${r.run.exitCode}, complete ${r.run.outputs.complete}, created ${r.run.outputs.created}, left ${left}, ${r.feishuCalls.length} calls (${runReads} docx reads), ${r.seconds.toFixed(0)} s`)
      if (r.run.exitCode !== 0) {
        log(r.run.stdout.split('\n').filter((l) => l.startsWith('::error')).slice(0, 5).join('\n'))
        break
      }
      if (r.run.outputs.complete === 'true') {
        complete = true
        break
      }
    }
    const { feishu, spaceId } = world.seeded
    const all = feishu.nodes(spaceId).filter((n) => n.node_token !== world.parentNode)
    const statePage = all.find((n) => n.title === STATE_TITLE)
    const nodes = all.filter((n) => n !== statePage)
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
    const bound = lowerBound(minimum.perRoute, minimum.perDocument, options.latencyMs)
    // One listing scan with the sync state: parent-node, then every page with children (50 a call, 100/min), and
    // the state page's one read. No document of ours is read.
    const children = new Map<string, number>()
    for (const n of all) children.set(n.parent_node_token, (children.get(n.parent_node_token) ?? 0) + 1)
    const listCalls = [...children.values()].reduce((s, c) => s + Math.ceil(c / 50), 0)
    const scanSeconds = ((listCalls - 1) / 100) * 60 + 1
    const seconds = runs.reduce((s, r) => s + r.seconds, 0)
    const goal = 1.15 * bound.seconds + (runs.length - 1) * scanSeconds
    const minCalls = Object.values(minimum.perRoute).reduce((s, n) => s + n, 0)
    const calls = runs.reduce((s, r) => s + r.calls, 0)
    const statePageDoc = statePage?.obj_token
    const twice = [...writtenBy].filter(([doc, set]) => doc !== statePageDoc && set.size > 1).length
    return {
      docs: tree.docs,
      pages: nodes.length,
      budget_minutes: options.budget,
      scale: options.scale,
      runs: runs.length,
      complete,
      calls,
      minimum_calls: minCalls,
      listing_calls: listing,
      docx_reads: reads,
      duplicate_nodes: duplicates,
      pages_written_twice: twice,
      seconds,
      bound_seconds: Math.round(bound.seconds),
      scan_seconds: Math.round(scanSeconds),
      goal_seconds: Math.round(goal),
      ratio: Math.round((seconds / goal) * 1000) / 1000,
      per_run: runs,
    }
  } finally {
    await world.close()
  }
}

export function resumeDetails(f: ResumeFigures): string {
  return [
    `resume: a first publish of ${f.docs} files (${f.pages} pages) across runs with time-budget-minutes ${f.budget_minutes}, scale ${f.scale}`,
    `  runs: ${f.runs}, complete: ${f.complete ? 'yes' : 'NO'} (${f.per_run.map((r) => `${r.seconds} s, ${r.calls} calls, ${r.docx_reads} docx reads, left ${r.left}`).join('; ')})`,
    `  Feishu calls: ${f.calls} made, ${f.minimum_calls} minimum (${(f.calls / f.minimum_calls).toFixed(3)}×); ${f.listing_calls} listing calls, ${f.docx_reads} docx reads`,
    `  duplicate nodes: ${f.duplicate_nodes}; pages written by more than one run: ${f.pages_written_twice}`,
    `  wall time: ${f.seconds} s; bound ${f.bound_seconds} s, one listing scan ${f.scan_seconds} s; goal ≤ 1.15 × bound + ${f.runs - 1} scans = ${f.goal_seconds} s → ratio ${f.ratio}`,
  ].join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = new Map<string, string>()
  for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '')
  const started = Date.now()
  const figures = await measureResume({
    docs: Number(args.get('docs') ?? 10_000),
    budget: Number(args.get('budget') ?? 30),
    scale: Number(args.get('scale') ?? 2),
    latencyMs: Number(args.get('latency-ms') ?? 40),
    maxRuns: Number(args.get('max-runs') ?? 30),
    log: (m) => process.stderr.write(`[resume] ${m}\n`),
  })
  console.log(resumeDetails(figures))
  console.log(`  (${((Date.now() - started) / 1000).toFixed(0)} s real)`)
}
