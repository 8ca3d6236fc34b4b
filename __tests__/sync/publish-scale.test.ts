// Call budgets of a 50-document tree (5 folders × 10 pages, each with a list, a table, code and a link to a
// page in another folder): the first publish makes one node create and one docx write per page (and writes
// the sync state's page); a re-run makes no write and reads only the sync state's page: the listing and the
// state say every page is as the action left it. Run: npx vitest run __tests__/sync/publish-scale.test.ts
import { afterEach, expect, it } from 'vitest'
import type { RecordedCall } from '../../emulator/core/server.js'
import { type PublishWorld, startPublishWorld } from './publish-helpers.js'

let world: PublishWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

const byRoute = (calls: RecordedCall[]) =>
  calls.filter((c) => c.status === 200).reduce<Record<string, number>>((m, c) => ((m[c.route] = (m[c.route] ?? 0) + 1), m), {})

it('50 documents: 110 page writes for the first publish, 0 writes and 9 reads for a re-run', async () => {
  const files: Record<string, string> = {}
  for (let i = 0; i < 50; i++) {
    files[`s${i % 5}/p${i}.md`] =
      `# Page ${i}\n\nParagraph ${i} with [a link](../s${(i + 1) % 5}/p${(i + 1) % 50}.md).\n\n- one\n- two\n\n` +
      `| a | b |\n|---|---|\n| 1 | 2 |\n\n\`\`\`ts\nconst x = ${i}\n\`\`\`\n`
  }
  world = await startPublishWorld({ files, scale: 20 })

  const first = await world.publish()
  expect(first.result.counts).toMatchObject({ created: 55, failed: 0 })
  expect(byRoute(first.writes)).toEqual({ 'wiki.v2.spaceNode.create': 55, 'docx.v1.documentBlockDescendant.create': 55 })
  // The state's page: one node create and one block write, after the pages.
  expect(byRoute(first.stateWrites)).toEqual({ 'wiki.v2.spaceNode.create': 1, 'docx.v1.documentBlockChildren.create': 1 })
  expect(first.result.writeCalls).toBe(112)

  const again = await world.publish()
  expect(again.writes).toEqual([])
  expect(again.result.counts).toMatchObject({ unchanged: 55, created: 0, updated: 0 })
  // 1 space + 1 parent + 6 lists (root and 5 folders) + the state's page; no page is read (auth: app, so no
  // user_info: the state remembers the app's identity from the nodes it created).
  expect(byRoute(again.calls)).toEqual({
    'wiki.v2.space.get': 1,
    'wiki.v2.space.getNode': 1,
    'wiki.v2.spaceNode.list': 6,
    'docx.v1.documentBlock.list': 1,
  })
  expect(again.result.readCalls).toBe(9)
  console.info(`first publish: ${first.result.writeCalls} writes, ${first.result.readCalls} reads; re-run: ${again.result.writeCalls} writes, ${again.result.readCalls} reads`)
})
