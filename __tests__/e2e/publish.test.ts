// Publishing, proved as real runs: `node dist/index.js` with the runner's environment against the Feishu and
// GitHub emulators (rate limits on, clocks scaled together). Every test ends with the shared leak scan.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import type { RecordedCall } from '../../emulator/core/server.js'
import { ROUTE } from '../../emulator/feishu/index.js'
import { type ActionRun, expectNoLeaks } from '../helpers/action-runner.js'
import { STATE_TITLE } from '../../src/sync/remote/state.js'
import { REPO, type World, contentWrites, startWorld } from '../helpers/world.js'

// Scaled request timeouts must stay long in real time while other test files load the machine (30 s / 20 = 1.5 s).
const SCALE = 20
const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'handbook')

let world: World
let lastRun: ActionRun | undefined
let parent: string
let scale = SCALE
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  lastRun = undefined
  await world.close()
})

async function setup(files?: Record<string, string>, timeScale = SCALE): Promise<void> {
  scale = timeScale
  world = await startWorld({ feishu: { clock: scaledClock(scale) }, files })
  if (!files) fs.cpSync(FIXTURE, path.join(world.workspace, 'docs'), { recursive: true })
  fs.writeFileSync(path.join(world.workspace, 'LICENSE'), 'MIT\n')
  fs.mkdirSync(path.join(world.workspace, 'src'), { recursive: true })
  parent = world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
}



/** The mirrored tree under the parent (the sync state's page, which sits there too, left out). */
function mirrored(): string {
  return world.feishu
    .renderTree(world.spaceId, parent)
    .split('\n')
    .filter((line) => line !== STATE_TITLE)
    .join('\n')
}

async function run(inputs: Record<string, string> = {}, extra: { push?: { before: string; after: string } } = {}) {
  const from = world.feishu.server.calls.length
  lastRun = await world.run({
    inputs: { mode: 'all', 'parent-node': parent, ...inputs },
    timeScale: scale,
    ...(extra.push ? { eventName: 'push', eventPayload: extra.push } : {}),
  })
  return { run: lastRun, writes: contentWrites(world, from) }
}

const node = (title: string) => {
  const found = world.feishu.nodes(world.spaceId).filter((n) => n.title === title)
  expect(found, `nodes titled ${title}`).toHaveLength(1)
  return found[0]!
}
const render = (title: string) => world.feishu.docs.render(node(title).obj_token)
const wiki = (title: string) => `https://www.feishu.cn/wiki/${node(title).node_token}`
const pagesOutput = (r: ActionRun) => JSON.parse(r.outputs.pages) as { path: string; title: string; node_token: string | null; url: string | null; status: string }[]

describe('publishing (runs of the bundled action)', () => {
  it('first publish of a nested docs tree: every page checked against its source; a re-run writes nothing', async () => {
    await setup()
    const { run: first } = await run()
    expect(first.exitCode, first.stdout + first.stderr).toBe(0)
    expect(mirrored()).toBe(
      ['Handbook', 'Getting started', 'User guide', '  advanced', '    Tuning', '    Contributing', '  Install', 'api', '  Endpoints', '  Errors', 'FAQ'].join('\n'),
    )
    // Page by page.
    expect(render('Handbook')).toContain(`[Getting started](${wiki('Getting started')})`)
    expect(render('Handbook')).toContain(`[API reference](${wiki('Endpoints')})`)
    expect(render('Handbook')).toMatch(/\[image [A-Za-z0-9]+\]/)
    expect(render('Getting started')).toMatch(/1\. Download the archive\.\n2\. Unpack it\.\n3\. Run `acme --version`\./)
    expect(render('Getting started')).toContain(`[FAQ](${wiki('FAQ')})`)
    expect(render('User guide')).toContain(`[Install](${wiki('Install')})`)
    expect(render('Install')).toContain('| Linux | `acme.tar.gz` | 5.10 |')
    expect(render('Install')).toContain('```bash\ncurl -LO https://example.com/acme.tar.gz\ntar xf acme.tar.gz\n./acme --version\n```')
    expect(render('Tuning')).toContain('```typescript\nexport const threads = Number(process.env.ACME_THREADS ?? 4)\n```')
    expect(render('Tuning')).toContain(`[Install](${wiki('Install')})`)
    expect(render('Tuning')).toContain(`[logo](https://github.com/${REPO}/blob/main/docs/images/logo.png)`)
    expect(render('Contributing')).toContain(`[guide](${wiki('User guide')})`)
    expect(render('Endpoints')).toContain('[ ] document pagination')
    expect(render('Endpoints')).toContain('[x] document errors')
    expect(render('api')).toContain(`- [Errors](${wiki('Errors')})`)
    expect(render('FAQ')).toContain(`[Contributing](${wiki('Contributing')})`)
    for (const n of world.feishu.nodes(world.spaceId)) {
      if (n.node_token !== parent && n.title !== STATE_TITLE) expect(world.feishu.docs.render(n.obj_token).split('\n')[0]).toBe('> [!callout]')
    }
    expect(world.feishu.docs.render(world.feishu.nodes(world.spaceId).find((n) => n.node_token === parent)!.obj_token)).toBe('')

    // Outputs and summary say what happened.
    expect(first.outputs).toMatchObject({ created: '11', updated: '0', unchanged: '0', failed: '0' })
    const pages = pagesOutput(first)
    expect(pages).toHaveLength(11)
    expect(pages.find((p) => p.path === 'docs/guide/install.md')).toEqual({
      path: 'docs/guide/install.md',
      title: 'Install',
      node_token: node('Install').node_token,
      url: wiki('Install'),
      status: 'created',
    })
    expect(first.summary).toContain('<h3>Wiki pages</h3>')
    expect(first.summary).toContain('<td><code>docs/guide/install.md</code></td><td>Install</td><td>🆕\u00a0created</td>')
    expect(first.summary).toContain(`<a href="${wiki('Install')}">open</a>`)

    const { run: again, writes } = await run()
    expect(again.exitCode).toBe(0)
    expect(writes).toEqual([])
    expect(again.outputs).toMatchObject({ created: '0', updated: '0', unchanged: '11', failed: '0' })
    expect(again.summary).toContain('0 writes')
  })

  it('a push that changes one paragraph writes only that document; other block ids and a comment survive', async () => {
    await setup()
    expect((await run()).run.exitCode).toBe(0)
    const install = node('Install').obj_token
    const before = blockSnapshot()
    const paragraph = world.feishu.docs.render(install).split('\n').indexOf('Acme runs on three platforms.')
    expect(paragraph).toBeGreaterThan(0)
    const tableBlock = [...before.get(install)!].find(([, b]) => b.block_type === 31)![0]
    world.feishu.docs.addComment(install, tableBlock, 'Is 5.10 right?')

    const file = path.join(world.workspace, 'docs/guide/install.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('three platforms.', 'three desktop platforms.'))
    world.github.addCommits(REPO, 'c1', 'c2', [{ filename: 'docs/guide/install.md', status: 'modified' }])
    const { run: push, writes } = await run({ mode: 'auto' }, { push: { before: 'c1', after: 'c2' } })
    expect(push.exitCode, push.stdout).toBe(0)
    expect(push.outputs).toMatchObject({ created: '0', updated: '1', unchanged: '10', failed: '0' })
    expect(push.summary).toContain('<code>changed</code>')
    expect(new Set(writes.map((c) => c.path.split('/')[5]))).toEqual(new Set([install]))
    expect(writes.length).toBeLessThanOrEqual(2)
    const after = blockSnapshot()
    for (const [doc, blocks] of before) expect([...after.get(doc)!.keys()]).toEqual([...blocks.keys()])
    expect(world.feishu.docs.comments(install)).toMatchObject([{ blockId: tableBlock, text: 'Is 5.10 right?' }])
    expect(world.feishu.docs.render(install)).toContain('Acme runs on three desktop platforms.')
  })

  it('a renamed file keeps its node; a removed one follows on-delete: archive', async () => {
    await setup({ 'docs/a.md': '# Alpha\n\nA.\n', 'docs/b.md': '# Beta\n', 'docs/c.md': '# Gamma\n', 'docs/d.md': '# Delta\n' })
    expect((await run()).run.exitCode).toBe(0)
    const alpha = node('Alpha').node_token
    fs.mkdirSync(path.join(world.workspace, 'docs/more'))
    fs.renameSync(path.join(world.workspace, 'docs/a.md'), path.join(world.workspace, 'docs/more/alpha.md'))
    fs.rmSync(path.join(world.workspace, 'docs/d.md'))
    world.github.addCommits(REPO, 'c1', 'c2', [
      { filename: 'docs/more/alpha.md', previous_filename: 'docs/a.md', status: 'renamed' },
      { filename: 'docs/d.md', status: 'removed' },
    ])
    const { run: push, writes } = await run({ mode: 'changed', 'on-delete': 'archive' }, { push: { before: 'c1', after: 'c2' } })
    expect(push.exitCode, push.stdout).toBe(0)
    expect(node('Alpha').node_token).toBe(alpha)
    expect(node('Alpha').parent_node_token).toBe(node('more').node_token)
    expect(node('Delta').parent_node_token).toBe(node('Archived').node_token)
    expect(writes.filter((c) => c.route === ROUTE.nodeCreate).map((c) => (c.body as { title: string }).title).sort()).toEqual(['Archived', 'more'])
    expect(push.outputs).toMatchObject({ failed: '0' })
    const pages = pagesOutput(push)
    expect(pages.find((p) => p.path === 'docs/d.md')).toMatchObject({ status: 'archived' })
    expect(pages.find((p) => p.path === 'docs/more/alpha.md')).toMatchObject({ node_token: alpha })
  })

  it('on-delete: report lists the page, delete removes it; the safety cap stops a run that would remove most pages', async () => {
    await setup({ 'docs/a.md': '# A\n', 'docs/b.md': '# B\n', 'docs/c.md': '# C\n' })
    expect((await run()).run.exitCode).toBe(0)
    const c = node('C').node_token
    fs.rmSync(path.join(world.workspace, 'docs/c.md'))
    const { run: report, writes: reportWrites } = await run({ 'on-delete': 'report' })
    expect(report.exitCode, report.stdout).toBe(0)
    expect(reportWrites).toEqual([])
    expect(pagesOutput(report).find((p) => p.path === 'docs/c.md')).toMatchObject({ status: 'orphan', node_token: c })
    expect(report.summary).toContain('orphan')
    expect(mirrored()).toBe('A\nB\nC')
    const { run: del } = await run({ 'on-delete': 'delete' })
    expect(del.exitCode, del.stdout).toBe(0)
    expect(world.feishu.nodes(world.spaceId).find((n) => n.node_token === c)).toBeUndefined()
    expect(pagesOutput(del).find((p) => p.path === 'docs/c.md')).toMatchObject({ status: 'deleted' })

    // A wrong path: every page would go.
    fs.writeFileSync(path.join(world.workspace, 'src', 'notes.md'), '# Notes\n')
    const { run: wrong, writes } = await run({ 'on-delete': 'delete', path: 'src' })
    expect(writes).toEqual([])
    expect(wrong.exitCode).not.toBe(0)
    expect(wrong.summary).toContain('safety cap')
    expect(mirrored()).toBe('A\nB')
  })

  it('a foreign page with the same title fails that one file with guidance; the others publish', async () => {
    await setup({ 'docs/notes.md': '# Meeting notes\n\nOurs.\n', 'docs/other.md': '# Other\n' })
    const foreign = world.feishu.createNode(world.spaceId, { title: 'Meeting notes', parentNodeToken: parent, creator: 'someone-else' })
    const { run: r } = await run()
    expect(r.exitCode).toBe(1)
    expect(r.outputs).toMatchObject({ created: '1', failed: '1' })
    expect(r.summary).toContain('docs/notes.md')
    expect(r.summary).toContain('not created by feishu-wiki-sync')
    expect(world.feishu.docs.render(foreign.obj_token)).toBe('')
    const { run: lenient } = await run({ 'fail-on-error': 'false' })
    expect(lenient.exitCode).toBe(0)
  })

  it('dry-run writes nothing to the wiki, docx or drive, and shows the plan', async () => {
    await setup()
    const { run: dry, writes } = await run({ 'dry-run': 'true' })
    expect(dry.exitCode, dry.stdout).toBe(0)
    expect(writes).toEqual([])
    expect(mirrored()).toBe('')
    expect(dry.summary).toContain('dry run')
    expect(dry.summary).toContain('would create')
    expect(pagesOutput(dry).every((p) => p.status === 'skipped')).toBe(true)
  })

  it('completes against the throttling emulator (documented limits) in about the time the limits force', async () => {
    // Real time (scale 1): a scaled clock multiplies the real-time jitter of a busy machine into bursts the
    // emulator rightly throttles, and this test is about the pacing.
    const files: Record<string, string> = {}
    for (let i = 0; i < 30; i++) files[`docs/section-${i % 3}/page-${i}.md`] = `# Page ${i}\n\nParagraph ${i}.\n\n- one\n- two\n`
    await setup(files, 1)
    const { run: r, writes } = await run()
    expect(r.exitCode, r.stdout).toBe(0)
    expect(r.outputs).toMatchObject({ created: '33', failed: '0' })
    expect(world.feishu.throttled.total).toBeLessThanOrEqual(3)
    // 33 documents, one docx write each, at 3 writes per second: at least 11 s; the run stays near that.
    const docxWrites = writes.filter((c) => c.route.startsWith('docx.') && c.status === 200).length
    expect(docxWrites).toBe(33)
    expect(r.durationMs / 1000).toBeLessThan(33 / 3 + 30)
  })
})

function blockSnapshot(): Map<string, Map<string, { block_type: number }>> {
  const out = new Map<string, Map<string, { block_type: number }>>()
  for (const n of world.feishu.nodes(world.spaceId)) {
    if (n.title === STATE_TITLE) continue // rewritten whenever what it knows changes
    const blocks = new Map<string, { block_type: number }>()
    for (const b of world.feishu.docs.listBlocks(n.obj_token, 500).items) blocks.set(b.block_id, b)
    out.set(n.obj_token, blocks)
  }
  return out
}
