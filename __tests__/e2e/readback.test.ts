// Nothing changed costs nothing, against a server that reads back the way real Feishu does (image align 2 and
// pixel sizes, a server-chosen callout emoji, style defaults, column widths: emulator/feishu/docx/GUESSES.md).
// Runs of the bundled action (`node dist/index.js`) over a corpus with every block type the converter writes:
// headings, nested and ordered lists, task lists, quotes, every GitHub alert kind, code with and without a
// language, tables with alignment and inline formatting, equations, dividers, PNG/JPEG/GIF images, links to
// other pages and to files on GitHub. Write calls are counted from the emulator's request log.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import type { RecordedCall } from '../../emulator/core/server.js'
import { ROUTE } from '../../emulator/feishu/index.js'
import { type ActionRun, expectNoLeaks } from '../helpers/action-runner.js'
import { REPO, type World, startWorld } from '../helpers/world.js'

const SCALE = 20
const CORPUS = path.join(import.meta.dirname, '..', 'fixtures', 'readback', 'corpus')
const PAGES = ['Read-back corpus', 'Text, lists and quotes', 'Alerts', 'Code and tables', 'Images and links']

let world: World
let parent: string
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})

async function setup(): Promise<void> {
  world = await startWorld({ feishu: { clock: scaledClock(SCALE) } })
  fs.cpSync(CORPUS, path.join(world.workspace, 'docs'), { recursive: true })
  fs.writeFileSync(path.join(world.workspace, 'LICENSE'), 'MIT\n')
  fs.mkdirSync(path.join(world.workspace, 'scripts'), { recursive: true })
  fs.writeFileSync(path.join(world.workspace, 'scripts', 'build.sh'), '#!/bin/sh\nnpm run build\n')
  parent = world.feishu.createNode(world.spaceId, { title: 'Corpus home', creator: 'someone-else' }).node_token
}

/**
 * Every call that changes something in the wiki, in a published page's document or in the drive. Left out: the
 * token refresh, POST reads (drive metas batch_query) and the action's own sync-state page, which a run
 * rewrites when it saw pages edited (src/sync/apply/sync-state.ts; not a page of the corpus).
 */
function writesSince(from: number): RecordedCall[] {
  const pages = new Set(PAGES.map(documentOf))
  return world.feishu.server.calls.slice(from).filter((c) => {
    if (c.method === 'GET' || !/^(wiki|docx|drive)\./.test(c.route) || c.route === 'drive.v1.meta.batchQuery') return false
    return !c.route.startsWith('docx.') || pages.has(c.path.split('/')[5]!)
  })
}

async function run(): Promise<{ run: ActionRun; writes: RecordedCall[] }> {
  const from = world.feishu.server.calls.length
  const r = await world.run({ inputs: { mode: 'all', 'parent-node': parent }, timeScale: SCALE })
  expect(r.exitCode, r.stdout + r.stderr).toBe(0)
  return { run: r, writes: writesSince(from) }
}

const documentOf = (title: string): string => {
  const found = world.feishu.nodes(world.spaceId).filter((n) => n.title === title)
  expect(found, title).toHaveLength(1)
  return found[0]!.obj_token
}
const blocksOf = (title: string) => world.feishu.docs.listBlocks(documentOf(title), 500).items

/** Nothing in the run's report says a page was edited in Feishu. */
function expectNoRemoteEdits(r: ActionRun): void {
  for (const text of [r.stdout, r.summary, JSON.stringify(r.outputs)]) {
    const found = /.{0,300}(edited by hand|overwrite edits made in Feishu).{0,300}/s.exec(text)?.[0]
    expect(found).toBeUndefined()
  }
}

describe('read-back fidelity: a corpus of every block type, published through the recorded read shapes', () => {
  it('a second run makes 0 write calls and no upload; a one-word edit is one batch_update in that document', async () => {
    await setup()
    const { run: first } = await run()
    expect(first.outputs).toMatchObject({ created: String(PAGES.length), failed: '0' })
    const uploads = world.feishu.uploads().length
    expect(uploads).toBe(3)

    // The documents now read back the way real Feishu reads them back, not the way we wrote them.
    const images = blocksOf('Images and links').filter((b) => b.block_type === 27).map((b) => b.image)
    expect(images).toEqual([
      { align: 2, width: 64, height: 48, token: expect.any(String) },
      { align: 2, width: 80, height: 60, token: expect.any(String) },
      { align: 2, width: 32, height: 24, token: expect.any(String) },
    ])
    const alerts = blocksOf('Alerts').filter((b) => b.block_type === 19)
    expect(alerts).toHaveLength(6) // five alerts and the provenance marker
    for (const callout of alerts) expect(callout.callout).toMatchObject({ emoji_id: 'bulb' })
    const table = blocksOf('Code and tables').find((b) => b.block_type === 31)!.table as { property: Record<string, unknown> }
    expect(table.property).toMatchObject({ column_width: [100, 100, 100], header_row: true })
    expect(world.feishu.docs.render(documentOf('Read-back corpus'))).toContain(`(https://github.com/${REPO}/blob/main/LICENSE)`)

    // Nothing changed: nothing written, nothing uploaded, no page reported as edited in Feishu.
    const { run: second, writes } = await run()
    expect(writes.map((c) => `${c.route} ${c.path}`)).toEqual([])
    expect(world.feishu.uploads()).toHaveLength(uploads)
    expect(second.outputs).toMatchObject({ created: '0', updated: '0', unchanged: String(PAGES.length), failed: '0' })
    expectNoRemoteEdits(second)

    // One word in one paragraph: one batch_update in that document (the paragraph and the marker's hash), no other call.
    const file = path.join(world.workspace, 'docs', 'text.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('a word to edit.', 'a word to change.'))
    const text = documentOf('Text, lists and quotes')
    const { run: third, writes: edit } = await run()
    expect(edit.map((c) => `${c.route} ${c.path.split('/')[5]}`)).toEqual([`${ROUTE.blockBatchUpdate} ${text}`])
    expect(third.outputs).toMatchObject({ updated: '1', unchanged: String(PAGES.length - 1), failed: '0' })
    expectNoRemoteEdits(third)
    expect(world.feishu.docs.render(text)).toContain('The last paragraph of the page, with a word to change.')
  })

  it('a comment, a resized image and a resized column made in Feishu are left alone by the next run', async () => {
    await setup()
    await run()
    const images = documentOf('Images and links')
    const tables = documentOf('Code and tables')
    const image = blocksOf('Images and links').find((b) => b.block_type === 27)!
    const paragraph = blocksOf('Images and links').find((b) => b.block_type === 2 && JSON.stringify(b.text).includes('A JPEG photo'))!
    const table = blocksOf('Code and tables').find((b) => b.block_type === 31)!
    const cell = table.children![4]!

    const comments = [
      world.feishu.person.comment(images, paragraph.block_id, 'Which camera?'),
      world.feishu.person.comment(images, image.block_id, 'Too small'),
      world.feishu.person.comment(tables, cell, 'Is this right?'),
    ]
    world.feishu.person.resizeImage(images, image.block_id, 128, 96)
    world.feishu.person.resizeColumn(tables, table.block_id, 1, 260)
    const before = new Map([images, tables].map((d) => [d, world.feishu.docs.listBlocks(d, 500).items]))

    const { run: next, writes } = await run()
    expect(writes.map((c) => `${c.route} ${c.path}`)).toEqual([])
    expect(next.outputs).toMatchObject({ updated: '0', unchanged: String(PAGES.length), failed: '0' })
    expectNoRemoteEdits(next)
    for (const [documentId, blocks] of before) expect(world.feishu.docs.listBlocks(documentId, 500).items).toEqual(blocks)
    expect([...world.feishu.docs.comments(images), ...world.feishu.docs.comments(tables)].map((c) => c.commentId)).toEqual(comments)
    expect(blocksOf('Images and links').find((b) => b.block_id === image.block_id)!.image).toMatchObject({ width: 128, height: 96 })
  })
})
