// A run costs what changed, and touches only what is its own — proved as real runs of the bundle (`node
// dist/index.js`) against the emulators: the sync state (lost, corrupt, edited by a person: the first run falls
// back, the next is cheap again), ownership bound to the node (a copied marker is never ours), edits made in
// Feishu under each on-remote-edit policy, a person's page under an owned folder, and a push after a failed run.
import { afterEach, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import type { RecordedCall } from '../../emulator/core/server.js'
import type { Block } from '../../emulator/feishu/docx/store.js'
import { ROUTE } from '../../emulator/feishu/index.js'
import { type ActionRun, expectNoLeaks } from '../helpers/action-runner.js'
import { REPO, type World, startWorld } from '../helpers/world.js'

const SCALE = 20
const STATE_TITLE = 'feishu-wiki-sync state (do not edit)'

let world: World
let parent: string
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})

async function setup(files: Record<string, string>): Promise<void> {
  world = await startWorld({ feishu: { clock: scaledClock(SCALE) }, files })
  parent = world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
}

interface Run {
  run: ActionRun
  calls: RecordedCall[]
  /** docx GETs, by document id. */
  reads: string[]
  listings: number
}

async function run(inputs: Record<string, string> = {}, push?: { before: string; after: string }): Promise<Run> {
  const from = world.feishu.server.calls.length
  const r = await world.run({
    inputs: { mode: 'all', 'parent-node': parent, ...inputs },
    timeScale: SCALE,
    ...(push ? { eventName: 'push', eventPayload: push } : {}),
  })
  const calls = world.feishu.server.calls.slice(from)
  const reads = calls.filter((c) => c.method === 'GET' && c.route.startsWith('docx.')).map((c) => c.path.split('/')[5]!)
  return { run: r, calls, reads, listings: calls.filter((c) => c.route === ROUTE.nodeList).length }
}

const node = (title: string) => {
  const found = world.feishu.nodes(world.spaceId).filter((n) => n.title === title)
  expect(found, `nodes titled ${title}`).toHaveLength(1)
  return found[0]!
}
const render = (title: string) => world.feishu.docs.render(node(title).obj_token)
const statusOf = (r: ActionRun, path: string) => (JSON.parse(r.outputs.pages) as { path: string; status: string }[]).find((p) => p.path === path)?.status

function blocksOf(documentId: string): Block[] {
  return world.feishu.docs.listBlocks(documentId, 500).items
}

/** A person copies the marker callout (the first block) of one page into the top of another. */
function copyMarker(fromDoc: string, toDoc: string): void {
  const blocks = blocksOf(fromDoc)
  const byId = new Map(blocks.map((b) => [b.block_id, b]))
  const callout = byId.get(blocks[0]!.children![0]!)!
  const text = byId.get(callout.children![0]!)!
  world.feishu.personEdit(
    toDoc,
    (docs) =>
      docs.createDescendants(toDoc, toDoc, {
        index: 0,
        children_id: ['c1'],
        descendants: [
          { block_id: 'c1', block_type: 19, callout: { background_color: 5, border_color: 5 }, children: ['t1'] },
          { block_id: 't1', block_type: 2, text: { elements: (text as unknown as { text: { elements: unknown[] } }).text.elements }, children: [] },
        ] as unknown as Block[],
      }),
    'user',
  )
}

/** The page block's direct children of the state page's first code block, to damage it like a person would. */
function stateCodeBlock(): Block {
  const doc = node(STATE_TITLE).obj_token
  return blocksOf(doc).find((b) => b.block_type === 14)!
}

function stateJson(): string {
  return (stateCodeBlock() as unknown as { code: { elements: { text_run: { content: string } }[] } }).code.elements.map((e) => e.text_run.content).join('')
}

function setStateJson(text: string): void {
  const doc = node(STATE_TITLE).obj_token
  const block = stateCodeBlock()
  world.feishu.personEdit(doc, (docs) => docs.patch(doc, block.block_id, { update_text_elements: { elements: [{ text_run: { content: text } }] } }))
}

async function deleteNode(token: string): Promise<void> {
  const res = await fetch(`${world.feishu.url}/open-apis/wiki/v2/spaces/${world.spaceId}/nodes/${token}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${world.feishu.issueUserAccessToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ obj_type: 'wiki', include_children: true }),
  })
  expect(res.status).toBe(200)
}

const FILES = { 'docs/a.md': '# A\n\nAlpha.\n', 'docs/b.md': '# B\n\nBeta.\n', 'docs/guide/c.md': '# C\n\nGamma.\n', 'docs/guide/d.md': '# D\n\nDelta.\n' }

describe('the sync state', () => {
  it('a no-op all run reads only the state page; a lost, a corrupt and a hand-edited state each fall back once, then runs are cheap again', async () => {
    await setup(FILES)
    const first = await run()
    expect(first.run.exitCode, first.run.stdout).toBe(0)
    expect(first.run.summary).toContain('there was no sync state yet')
    const cheap = async () => {
      const r = await run()
      expect(r.run.exitCode, r.run.stdout).toBe(0)
      expect(r.reads).toEqual([node(STATE_TITLE).obj_token]) // the state page, nothing else
      expect(r.calls.length).toBeLessThanOrEqual(r.listings + 5)
      expect(r.run.summary).not.toContain('Sync state:')
      return r
    }
    await cheap()
    const fallsBack = async (why: string) => {
      const r = await run()
      expect(r.run.exitCode, r.run.stdout).toBe(0)
      expect(r.run.summary).toContain(why)
      expect(r.run.summary.match(/Sync state:/g)).toHaveLength(1) // said once
      expect(new Set(r.reads).size).toBeGreaterThanOrEqual(5) // every page of its own once (4 files + a folder page)
      expect(r.run.outputs.failed).toBe('0')
      await cheap()
    }

    await deleteNode(node(STATE_TITLE).node_token)
    await fallsBack('there was no sync state yet')

    setStateJson('{ this is not json')
    await fallsBack('not valid JSON')

    // A person "fixes" a title in the JSON: the checksum no longer matches.
    setStateJson(stateJson().replace('"title":"A"', '"title":"A (edited)"'))
    await fallsBack('does not match its checksum')
    expect(world.feishu.nodes(world.spaceId).filter((n) => n.title === STATE_TITLE)).toHaveLength(1)
  })

  it('a push right after a failed run heals the pages that run left half-written', async () => {
    await setup(FILES)
    expect((await run()).run.exitCode).toBe(0)
    world.github.addCommits(REPO, 'p1', 'p2', [{ filename: 'docs/a.md', status: 'modified' }])
    const fs = await import('node:fs')
    const path = await import('node:path')
    fs.writeFileSync(path.join(world.workspace, 'docs/a.md'), '# A\n\nAlpha, second edition.\n')
    world.feishu.server.inject({ route: 'docx.v1.documentBlock.batchUpdate', status: 503, body: 'upstream connect error', times: Infinity })
    world.feishu.server.inject({ route: 'docx.v1.documentBlockChildren.create', status: 503, body: 'upstream connect error', times: Infinity })
    world.feishu.server.inject({ route: 'docx.v1.documentBlockDescendant.create', status: 503, body: 'upstream connect error', times: Infinity })
    const failed = await run({ mode: 'auto' }, { before: 'p1', after: 'p2' })
    expect(failed.run.exitCode).not.toBe(0)
    expect(statusOf(failed.run, 'docs/a.md')).toBe('failed')
    world.feishu.server.clearFaults()

    // The next push touches only b.md; a.md is healed all the same (the state marks it), and nothing else is read.
    world.github.addCommits(REPO, 'p2', 'p3', [{ filename: 'docs/b.md', status: 'modified' }])
    fs.writeFileSync(path.join(world.workspace, 'docs/b.md'), '# B\n\nBeta, second edition.\n')
    const next = await run({ mode: 'auto' }, { before: 'p2', after: 'p3' })
    expect(next.run.exitCode, next.run.stdout).toBe(0)
    expect(statusOf(next.run, 'docs/a.md')).toBe('updated')
    expect(statusOf(next.run, 'docs/b.md')).toBe('updated')
    expect(render('A')).toContain('Alpha, second edition.')
    expect(next.run.summary).not.toContain('edited in Feishu') // its own half-write is not a person's edit
    const ours = new Set([node('A').obj_token, node('B').obj_token, node(STATE_TITLE).obj_token])
    expect(next.reads.filter((d) => !ours.has(d))).toEqual([])
  })
})

describe('ownership bound to the node', () => {
  for (const onDelete of ['delete', 'archive'] as const) {
    it(`a marker copied into a person's page is not ours: with on-delete: ${onDelete} only the real page goes`, async () => {
      await setup(FILES)
      expect((await run()).run.exitCode).toBe(0)
      // A page written by the same user (the identity the action runs as), with b.md's marker pasted in.
      const notes = world.feishu.createNode(world.spaceId, { title: 'My notes', parentNodeToken: parent, creator: 'user' })
      copyMarker(node('B').obj_token, notes.obj_token)
      const fs = await import('node:fs')
      const path = await import('node:path')
      fs.rmSync(path.join(world.workspace, 'docs/b.md'))
      const r = await run({ 'on-delete': onDelete })
      expect(r.run.exitCode, r.run.stdout).toBe(0)
      expect(statusOf(r.run, 'docs/b.md')).toBe(onDelete === 'delete' ? 'deleted' : 'archived')
      expect(world.feishu.nodes(world.spaceId).some((n) => n.node_token === notes.node_token && n.parent_node_token === parent)).toBe(true)
      expect(world.feishu.docs.render(notes.obj_token)).toContain('Synced from')
      expect(r.run.summary).toContain('"My notes"')
      expect(r.run.summary).toContain('copied from another page')
      // No write of any kind reached the person's page.
      expect(r.calls.filter((c) => c.method !== 'GET' && c.path.includes(notes.obj_token))).toEqual([])
      expect(r.calls.filter((c) => c.method !== 'GET' && c.path.includes(notes.node_token))).toEqual([])
    })
  }

  it("a marker pasted into an older page does not take the file's key: the real page stays the file's, nothing fails", async () => {
    await setup({ 'docs/a.md': '# A\n\nAlpha.\n' })
    const older = world.feishu.createNode(world.spaceId, { title: 'Older page', parentNodeToken: parent, creator: 'user' })
    expect((await run()).run.exitCode).toBe(0)
    copyMarker(node('A').obj_token, older.obj_token)
    // The state is lost too, so the run scans in full and sees both markers.
    await deleteNode(node(STATE_TITLE).node_token)
    const fs = await import('node:fs')
    const path = await import('node:path')
    fs.writeFileSync(path.join(world.workspace, 'docs/a.md'), '# A\n\nAlpha, again.\n')
    const r = await run()
    expect(r.run.exitCode, r.run.stdout).toBe(0)
    expect(statusOf(r.run, 'docs/a.md')).toBe('updated')
    expect(render('A')).toContain('Alpha, again.')
    expect(world.feishu.docs.render(older.obj_token)).not.toContain('Alpha')
    expect(r.run.summary).toContain('"Older page"')
  })

  it("a page a person adds under an owned folder is never read, written or moved; the folder's pages publish", async () => {
    await setup(FILES)
    expect((await run()).run.exitCode).toBe(0)
    const mine = world.feishu.createNode(world.spaceId, { title: 'Team notes', parentNodeToken: node('guide').node_token, creator: 'someone-else' })
    const fs = await import('node:fs')
    const path = await import('node:path')
    fs.writeFileSync(path.join(world.workspace, 'docs/guide/c.md'), '# C\n\nGamma, again.\n')
    const r = await run()
    expect(r.run.exitCode, r.run.stdout).toBe(0)
    expect(statusOf(r.run, 'docs/guide/c.md')).toBe('updated')
    expect(r.reads).not.toContain(mine.obj_token)
    expect(r.calls.filter((c) => c.path.includes(mine.obj_token) || (c.method !== 'GET' && c.path.includes(mine.node_token)))).toEqual([])
    expect(world.feishu.renderTree(world.spaceId, node('guide').node_token)).toBe(['C', 'D', 'Team notes'].join('\n'))
    // And a lost state (full scan) still does not read it: another identity's page.
    await deleteNode(node(STATE_TITLE).node_token)
    const full = await run()
    expect(full.run.exitCode).toBe(0)
    expect(full.reads).not.toContain(mine.obj_token)
  })
})

describe('edits made in Feishu (on-remote-edit)', () => {
  const personEdits = () => {
    const doc = node('A').obj_token
    world.feishu.personEdit(doc, (docs) =>
      docs.createChildren(doc, doc, { children: [{ block_type: 2, text: { elements: [{ text_run: { content: 'Added in Feishu.' } }] } } as unknown as Block] }),
    )
  }

  it('overwrite (default): the source wins, and the summary names who edited and when; unchanged pages are not read', async () => {
    await setup(FILES)
    expect((await run()).run.exitCode).toBe(0)
    personEdits()
    const r = await run()
    expect(r.run.exitCode, r.run.stdout).toBe(0)
    expect(render('A')).not.toContain('Added in Feishu.')
    expect(r.run.summary).toMatch(/edited in Feishu by ou_someone_else at \d{4}-\d\d-\d\dT/)
    expect(r.calls.filter((c) => c.route === ROUTE.metasBatchQuery)).toHaveLength(1)
    // The state page's code block is rewritten in place: one call (it was a create and a delete).
    expect(r.calls.filter((c) => c.method !== 'GET' && c.path.includes(node(STATE_TITLE).obj_token)).map((c) => c.route)).toEqual([ROUTE.blockBatchUpdate])
    expect(new Set(r.reads)).toEqual(new Set([node(STATE_TITLE).obj_token, node('A').obj_token]))
    // Written back, it is ours again: the next run reads nothing but the state.
    const again = await run()
    expect(again.reads).toEqual([node(STATE_TITLE).obj_token])
  })

  it('keep: the page stays as the person made it, is reported, and the run succeeds', async () => {
    await setup(FILES)
    expect((await run()).run.exitCode).toBe(0)
    personEdits()
    const r = await run({ 'on-remote-edit': 'keep' })
    expect(r.run.exitCode, r.run.stdout).toBe(0)
    expect(render('A')).toContain('Added in Feishu.')
    expect(r.run.summary).toContain('left as edited (on-remote-edit: keep)')
    expect(r.calls.filter((c) => c.method !== 'GET' && c.path.includes(node('A').obj_token))).toEqual([])
    // Still reported on the next run (the state keeps the edit time of its own last write).
    const again = await run({ 'on-remote-edit': 'keep' })
    expect(again.run.summary).toContain('left as edited (on-remote-edit: keep)')
  })

  it('keep and fail: a comment alone moves the edit time but triggers no policy (one read to compare); a real edit does', async () => {
    await setup(FILES)
    const doc = () => node('A').obj_token
    const comment = async (text: string) => {
      const paragraph = blocksOf(doc()).find((b) => b.block_type === 2 && JSON.stringify(b).includes('"Alpha."'))!
      const editTime = node('A').obj_edit_time
      await new Promise((resolve) => setTimeout(resolve, 150)) // 3 s of emulator time: the edit time is in seconds
      world.feishu.person.comment(doc(), paragraph.block_id, text)
      expect(node('A').obj_edit_time, 'a comment moves obj_edit_time').not.toBe(editTime)
    }
    for (const policy of ['keep', 'fail']) {
      expect((await run({ 'on-remote-edit': policy })).run.exitCode).toBe(0) // the markers say the policy
      await comment(`A question under ${policy}`)
      const r = await run({ 'on-remote-edit': policy })
      expect(r.run.exitCode, r.run.stdout).toBe(0)
      expect(r.run.summary).not.toContain('edited in Feishu')
      expect(statusOf(r.run, 'docs/a.md')).toBe('unchanged')
      expect(new Set(r.reads), 'the one read that compares the page with its marker').toEqual(new Set([node(STATE_TITLE).obj_token, doc()]))
      const again = await run({ 'on-remote-edit': policy })
      expect(again.reads, 'the new edit time was recorded: nothing to compare again').toEqual([node(STATE_TITLE).obj_token])
    }
    expect(world.feishu.docs.comments(doc())).toHaveLength(2)
    // A real edit of the content does trigger it.
    personEdits()
    const edited = await run({ 'on-remote-edit': 'fail' })
    expect(edited.run.exitCode).not.toBe(0)
    expect(statusOf(edited.run, 'docs/a.md')).toBe('failed')
    expect(edited.run.summary).toContain('left alone (on-remote-edit: fail)')
    expect(render('A')).toContain('Added in Feishu.')
  })

  it('fail: the page is left alone and the step fails, naming the page', async () => {
    await setup(FILES)
    expect((await run()).run.exitCode).toBe(0)
    personEdits()
    const r = await run({ 'on-remote-edit': 'fail' })
    expect(r.run.exitCode).not.toBe(0)
    expect(render('A')).toContain('Added in Feishu.')
    expect(statusOf(r.run, 'docs/a.md')).toBe('failed')
    expect(r.run.summary).toContain('left alone (on-remote-edit: fail)')
    // The other pages are published, and their marker now tells readers what happens to their edits.
    expect(statusOf(r.run, 'docs/b.md')).toBe('updated')
    expect(render('B')).toContain('edits made here are kept, and stop the next sync until they are in the source.')
  })
})
