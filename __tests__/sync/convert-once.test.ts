// Issue 15, "Convert once": per file, one conversion and at most one diff per run. The converter's entry point and
// the document diff (syncDocument: one per document it is called for) are counted over real publishes into the
// emulator: several files linking to each other and to their headings, a first publish, a `changed` push with the
// sync state, and a `changed` push without a usable state (where a dry run used to decide the real run).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { STATE_TITLE } from '../../src/sync/remote/state.js'
import { type PublishWorld, REPO, startPublishWorld } from './publish-helpers.js'

const counts = vi.hoisted(() => ({ conversions: new Map<string, number>(), diffs: new Map<string, number>() }))
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)

vi.mock('../../src/markdown/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/markdown/index.js')>()
  return {
    ...original,
    convertMarkdown: (markdown: string, options: Parameters<typeof original.convertMarkdown>[1]) => {
      bump(counts.conversions, options.path)
      return original.convertMarkdown(markdown, options)
    },
  }
})

vi.mock('../../src/sync/apply/document.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/sync/apply/document.js')>()
  return {
    ...original,
    syncDocument: (...args: Parameters<typeof original.syncDocument>) => {
      bump(counts.diffs, args[2].documentId)
      return original.syncDocument(...args)
    },
  }
})

let world: PublishWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

function reset(): void {
  counts.conversions.clear()
  counts.diffs.clear()
}

/** Nothing converted or diffed twice in the run just made. */
function expectOnce(): void {
  expect([...counts.conversions].filter(([, n]) => n > 1)).toEqual([])
  expect([...counts.diffs].filter(([, n]) => n > 1)).toEqual([])
}

const FILES = {
  'a.md': '# A\n\nSee [B](b.md), [C](c.md#c-details) and [later](#a-later).\n\n## A later\n\nText.\n',
  'b.md': '# B\n\nBack to [A](a.md#a-later); on to [guide](guide/x.md).\n\n## B part\n\nMore.\n',
  'c.md': '# C\n\n## C details\n\nSee [A](./a.md) and [B part](b.md#b-part).\n',
  'guide/x.md': '# X\n\nUp to [A](../a.md) and [C](../c.md#c-details).\n',
}

describe('convert once', () => {
  it('each file is converted once and each document diffed at most once per run: first publish and changed pushes', async () => {
    world = await startPublishWorld({ files: FILES })
    reset()
    const first = await world.publish()
    expect(first.result.counts.failed).toBe(0)
    expect(counts.conversions.get('docs/a.md')).toBe(1)
    expect(counts.diffs.size).toBeGreaterThanOrEqual(5) // 4 files and the folder page
    expectOnce()

    // A changed push with the sync state: the changed file and the pages that might differ are looked at once.
    world.write({ 'a.md': FILES['a.md'].replace('Text.', 'Text, edited.') })
    world.github.addCommits(REPO, 'c1', 'c2', [{ filename: 'docs/a.md', status: 'modified' }])
    reset()
    const pushed = await world.publish({ mode: 'changed' }, { push: { before: 'c1', after: 'c2' } })
    expect(pushed.result.mode?.effective).toBe('changed')
    expect(pushed.result.pages.find((p) => p.path === 'docs/a.md')?.status).toBe('updated')
    expect(counts.conversions.get('docs/a.md')).toBe(1)
    expectOnce()

    // Without a usable state (the state page edited by hand), a changed push compares the pages the scan read:
    // one diff each, which also writes what differs (no dry run first). A page edited in Feishu is put back.
    const stateDoc = world.node(STATE_TITLE).obj_token
    world.emu.personEdit(stateDoc, (docs) => docs.batchDelete(stateDoc, stateDoc, { start_index: 1, end_index: 2 }))
    const cDoc = world.node('C').obj_token
    const cBefore = world.emu.docs.render(cDoc)
    world.emu.personEdit(cDoc, (docs) => docs.batchDelete(cDoc, cDoc, { start_index: 2, end_index: 3 }))
    expect(world.emu.docs.render(cDoc)).not.toBe(cBefore)
    world.write({ 'b.md': FILES['b.md'].replace('More.', 'More, edited.') })
    world.github.addCommits(REPO, 'c2', 'c3', [{ filename: 'docs/b.md', status: 'modified' }])
    reset()
    const stateless = await world.publish({ mode: 'changed' }, { push: { before: 'c2', after: 'c3' } })
    expect(stateless.result.mode?.effective).toBe('changed')
    expect(stateless.result.pages.find((p) => p.path === 'docs/c.md')?.status).toBe('updated')
    expect(world.emu.docs.render(cDoc)).toBe(cBefore)
    expect(counts.diffs.get(cDoc)).toBe(1)
    expectOnce()
  })

  it('on-remote-edit keep: a page whose edit time moved (a comment) is compared with its marker and then diffed once', async () => {
    world = await startPublishWorld({ files: FILES })
    expect((await world.publish({ 'on-remote-edit': 'keep' })).result.counts.failed).toBe(0)
    const cDoc = world.node('C').obj_token
    const editTimeOf = (title: string) => world!.emu.nodes(world!.spaceId).find((n) => n.title === title)!.obj_edit_time
    const editTime = editTimeOf('C')
    await world.clock.sleep(2_000) // edit times are in seconds
    const paragraph = world.emu.docs.listBlocks(cDoc, 500).items.find((b) => b.block_type === 2)!
    world.emu.person.comment(cDoc, paragraph.block_id, 'A question')
    expect(editTimeOf('C'), 'a comment moves the edit time').not.toBe(editTime)
    reset()
    const again = await world.publish({ 'on-remote-edit': 'keep' })
    const c = again.result.pages.find((p) => p.path === 'docs/c.md')
    // Written, not kept: a comment is no edit (the marker may be refreshed: the anchor pass leaves its hash behind).
    expect(c?.status).toMatch(/^(unchanged|updated)$/)
    expect(c?.remoteEdited).toBeFalsy()
    expect(counts.diffs.get(cDoc)).toBe(1)
    expectOnce()
  })
})
