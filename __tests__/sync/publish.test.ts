// publishDocs in-process against the Feishu and GitHub emulators over HTTP: tree mapping, identity,
// idempotence, minimal updates, renames, removals under each policy, collisions, dry run, lost answers.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ROUTE } from '../../emulator/feishu/index.js'
import { type PublishWorld, REPO, headingBlockId, startPublishWorld, statuses } from './publish-helpers.js'
import { STATE_TITLE } from '../../src/sync/remote/state.js'

let world: PublishWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

const wikiUrl = (token: string) => `https://www.feishu.cn/wiki/${token}`

describe('publishDocs: first publish of a nested docs tree', () => {
  it('mirrors folders and files under the parent page, in order, with content, images and links', async () => {
    world = await startPublishWorld({ fixture: true })
    const { result, writes, stateWrites } = await world.publish()
    expect(result.counts).toMatchObject({ created: 11, failed: 0, updated: 0, unchanged: 0 })
    expect(result.stoppedBySafetyCap).toBeUndefined()
    // Tree: order front matter first, then file name; folders are pages; the parent itself is not written.
    expect(world.tree()).toBe(
      [
        'Handbook',
        'Getting started',
        'User guide',
        '  advanced',
        '    Tuning',
        '    Contributing',
        '  Install',
        'api',
        '  Endpoints',
        '  Errors',
        'FAQ',
      ].join('\n'),
    )
    expect(world.emu.docs.render(world.emu.nodes(world.spaceId).find((n) => n.node_token === world!.parentToken)!.obj_token)).toBe('')
    expect(writes.filter((c) => c.path.includes(world!.parentToken))).toEqual([])

    // Page by page against the source.
    const install = world.emu.docs.render(world.node('Install').obj_token)
    expect(install).toContain('Acme runs on three platforms.')
    expect(install).toMatch(/\| Platform \| Package \| Minimum version \|/)
    expect(install).toMatch(/\| Linux \| `acme.tar.gz` \| 5.10 \|/)
    expect(install).toContain('```bash')
    expect(install).toContain('tar xf acme.tar.gz')
    expect(install).toContain(`[handbook](${wikiUrl(world.node('Handbook').node_token)})`)
    // The marker callout first, naming the source file.
    expect(install.split('\n')[0]).toBe('> [!callout]')
    expect(install).toMatch(/Synced from \[acme\/handbook\/docs\/guide\/install\.md\]\(https:\/\/github\.com\/acme\/handbook\/blob\/main\/docs\/guide\/install\.md\?/)

    const home = world.emu.docs.render(world.node('Handbook').obj_token)
    expect(home).toContain(`[Getting started](${wikiUrl(world.node('Getting started').node_token)})`)
    expect(home).toContain(`[guide](${wikiUrl(world.node('User guide').node_token)})`)
    expect(home).toContain(`[src](https://github.com/${REPO}/tree/main/src)`)
    expect(home).toContain(`[LICENSE](https://github.com/${REPO}/blob/main/LICENSE)`)
    expect(home).toMatch(/\[image [A-Za-z0-9]+\]/)
    expect(world.emu.uploads()).toHaveLength(1)

    // A link to a heading points at the heading's block (Feishu opens `<page>#<block_id>` there).
    const started = world.emu.docs.render(world.node('Getting started').obj_token)
    const linux = headingBlockId(world.emu, world.node('Install').obj_token, 'Linux')
    expect(started).toContain(`[installation guide](${wikiUrl(world.node('Install').node_token)}#${linux})`)
    // A folder without index.md lists its pages.
    const api = world.emu.docs.render(world.node('api').obj_token)
    expect(api).toContain(`- [Endpoints](${wikiUrl(world.node('Endpoints').node_token)})`)
    expect(api).toContain(`- [Errors](${wikiUrl(world.node('Errors').node_token)})`)

    // Outputs of the report.
    const page = result.pages.find((p) => p.path === 'docs/guide/install.md')!
    expect(page).toMatchObject({ status: 'created', title: 'Install', url: wikiUrl(world.node('Install').node_token) })
    expect(result.pages.find((p) => p.path === 'docs/guide/index.md')).toMatchObject({ title: 'User guide', status: 'created' })
    expect(result.pages.find((p) => p.path === 'docs/api/')).toMatchObject({ title: 'api', status: 'created' })
    // One logical call each (a throttled attempt that was retried is not a second write).
    expect(result.writeCalls).toBe(writes.filter((c) => c.status === 200).length + stateWrites.length)
  })

  it('re-running makes zero write calls', async () => {
    world = await startPublishWorld({ fixture: true })
    await world.publish()
    const again = await world.publish()
    expect(again.writes).toEqual([])
    expect(again.result.writeCalls).toBe(0)
    expect(again.result.counts).toMatchObject({ created: 0, updated: 0, unchanged: 11, failed: 0 })
  })
})

describe('publishDocs: minimal updates', () => {
  it('a changed paragraph writes only its document; other block ids and comments survive', async () => {
    world = await startPublishWorld({ fixture: true })
    await world.publish()
    const installDoc = world.node('Install').obj_token
    const blocksBefore = new Map(
      world.emu
        .nodes(world.spaceId)
        .filter((n) => n.title !== STATE_TITLE)
        .map((n) => [n.obj_token, world!.emu.docs.render(n.obj_token)]),
    )
    const listBefore = await blockIds(world, installDoc)
    const tableId = listBefore.find((b) => b.block_type === 31)!.block_id
    world.emu.docs.addComment(installDoc, tableId, 'Is 5.10 right?')

    const text = fs.readFileSync(path.join(world.docsDir, 'guide/install.md'), 'utf8')
    world.write({ 'guide/install.md': text.replace('Acme runs on three platforms.', 'Acme runs on three desktop platforms.') })
    const { result, writes } = await world.publish()

    expect(statuses(result)['docs/guide/install.md']).toBe('updated')
    expect(result.counts).toMatchObject({ updated: 1, unchanged: 10, created: 0 })
    // Every write went to that one document.
    expect(new Set(writes.map((c) => c.path.split('/')[5]))).toEqual(new Set([installDoc]))
    const listAfter = await blockIds(world, installDoc)
    expect(listAfter.map((b) => b.block_id)).toEqual(listBefore.map((b) => b.block_id))
    expect(world.emu.docs.comments(installDoc)).toMatchObject([{ blockId: tableId, text: 'Is 5.10 right?' }])
    for (const n of world.emu.nodes(world.spaceId)) {
      if (n.obj_token !== installDoc && n.title !== STATE_TITLE) expect(world.emu.docs.render(n.obj_token)).toBe(blocksBefore.get(n.obj_token))
    }
    expect(world.emu.docs.render(installDoc)).toContain('Acme runs on three desktop platforms.')
  })

  it('a changed title is set with update_title, without recreating the page', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# Alpha\n\nText.\n' } })
    await world.publish()
    const token = world.node('Alpha').node_token
    world.write({ 'a.md': '# Alpha two\n\nText.\n' })
    const { result, writes } = await world.publish()
    expect(world.node('Alpha two').node_token).toBe(token)
    expect(writes.map((c) => c.route)).toContain(ROUTE.nodeUpdateTitle)
    expect(writes.map((c) => c.route)).not.toContain(ROUTE.nodeCreate)
    expect(statuses(result)['docs/a.md']).toBe('updated')
  })
})

describe('publishDocs: ownership', () => {
  it('fails only the file whose title a foreign page already has, and never touches that page', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# Meeting notes\n\nOurs.\n', 'b.md': '# Bee\n\nB.\n' } })
    const foreign = world.emu.createNode(world.spaceId, { title: 'Meeting notes', parentNodeToken: world.parentToken, creator: 'someone-else' })
    const { result } = await world.publish({ 'on-delete': 'delete' })
    expect(statuses(result)).toMatchObject({ 'docs/a.md': 'failed', 'docs/b.md': 'created' })
    expect(result.pages.find((p) => p.path === 'docs/a.md')!.reason).toMatch(/already exists.*not created by feishu-wiki-sync/)
    expect(world.emu.docs.render(foreign.obj_token)).toBe('')
    expect(world.emu.nodes(world.spaceId).filter((n) => n.title === 'Meeting notes')).toHaveLength(1)
  })

  it('leaves pages without our marker alone, even with on-delete: delete', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n', 'b.md': '# B\n', 'c.md': '# C\n' } })
    world.emu.createNode(world.spaceId, { title: 'Handwritten', parentNodeToken: world.parentToken, creator: 'someone-else' })
    await world.publish()
    const { result, writes } = await world.publish({ 'on-delete': 'delete' })
    expect(writes).toEqual([])
    expect(result.pages.map((p) => p.path).sort()).toEqual(['docs/a.md', 'docs/b.md', 'docs/c.md'])
    expect(world.tree()).toContain('Handwritten')
  })
})

describe('publishDocs: renames and removals', () => {
  async function pushWorld(files: Record<string, string>) {
    world = await startPublishWorld({ files })
    await world.publish()
  }

  it('a renamed file keeps its page (moved and retitled), from the push compare', async () => {
    await pushWorld({ 'a.md': '# A\n\nText.\n', 'b.md': '# B\n', 'c.md': '# C\n', 'g/x.md': '# X\n' })
    const token = world!.node('A').node_token
    world!.move('a.md', 'g/renamed.md')
    world!.github.addCommits(REPO, 'c1', 'c2', [{ filename: 'docs/g/renamed.md', previous_filename: 'docs/a.md', status: 'renamed' }])
    const { result, writes } = await world!.publish({ mode: 'changed', 'on-delete': 'delete' }, { push: { before: 'c1', after: 'c2' } })
    expect(result.mode?.effective).toBe('changed')
    expect(world!.emu.nodes(world!.spaceId).find((n) => n.node_token === token)).toMatchObject({ parent_node_token: world!.node('g').node_token })
    expect(writes.map((c) => c.route)).not.toContain(ROUTE.nodeCreate)
    expect(writes.map((c) => c.route)).not.toContain(ROUTE.nodeDelete)
    expect(result.pages.find((p) => p.path === 'docs/g/renamed.md')).toMatchObject({ nodeToken: token, reason: expect.stringContaining('renamed from docs/a.md') })
  })

  it('in changed mode a file moved to another folder leaves the old folder page and joins the new one', async () => {
    await pushWorld({ 'a.md': '# A\n', 'g/x.md': '# X\n', 'g/moved.md': '# Moved\n', 'h/y.md': '# Y\n' })
    const folderPage = (title: string) => world!.emu.docs.render(world!.node(title).obj_token)
    const moved = world!.node('Moved').node_token
    expect(folderPage('g')).toContain(`[Moved](${wikiUrl(moved)})`)
    expect(folderPage('h')).not.toContain('[Moved]')
    world!.move('g/moved.md', 'h/moved.md')
    world!.github.addCommits(REPO, 'c1', 'c2', [{ filename: 'docs/h/moved.md', previous_filename: 'docs/g/moved.md', status: 'renamed' }])
    const { result } = await world!.publish({ mode: 'changed' }, { push: { before: 'c1', after: 'c2' } })
    expect(result.mode?.effective).toBe('changed')
    expect(world!.node('Moved')).toMatchObject({ node_token: moved, parent_node_token: world!.node('h').node_token })
    expect(folderPage('g')).not.toContain('[Moved]')
    expect(folderPage('g')).toContain(`[X](${wikiUrl(world!.node('X').node_token)})`)
    expect(folderPage('h')).toContain(`[Moved](${wikiUrl(moved)})`)
    expect(folderPage('h')).toContain(`[Y](${wikiUrl(world!.node('Y').node_token)})`)
  })

  it.each([
    ['report', 'orphan'],
    ['archive', 'archived'],
    ['delete', 'deleted'],
  ] as const)('a removed file under on-delete: %s is %s', async (onDelete, status) => {
    await pushWorld({ 'a.md': '# A\n', 'b.md': '# B\n', 'c.md': '# C\n' })
    const token = world!.node('C').node_token
    world!.remove('c.md')
    const { result } = await world!.publish({ 'on-delete': onDelete })
    expect(result.pages.find((p) => p.path === 'docs/c.md')).toMatchObject({ status })
    const node = world!.emu.nodes(world!.spaceId).find((n) => n.node_token === token)
    if (onDelete === 'report') expect(node?.parent_node_token).toBe(world!.parentToken)
    if (onDelete === 'archive') expect(node?.parent_node_token).toBe(world!.node('Archived').node_token)
    if (onDelete === 'delete') expect(node).toBeUndefined()
    // The next run has nothing left to do.
    expect((await world!.publish({ 'on-delete': onDelete })).writes).toEqual([])
  })

  it('archives instead of deleting a removed folder that holds a foreign page', async () => {
    await pushWorld({ 'a.md': '# A\n', 'b.md': '# B\n', 'c.md': '# C\n', 'g/x.md': '# X\n' })
    const foreign = world!.emu.createNode(world!.spaceId, { title: 'Notes', parentNodeToken: world!.node('g').node_token, creator: 'someone-else' })
    world!.remove('g')
    const { result } = await world!.publish({ 'on-delete': 'delete' })
    expect(result.pages.find((p) => p.path === 'docs/g/')).toMatchObject({ status: 'archived', reason: expect.stringContaining('"Notes"') })
    expect(world!.emu.nodes(world!.spaceId).find((n) => n.node_token === foreign.node_token)).toBeDefined()
  })

  it('falls back to archive when the delete API answers 404', async () => {
    await pushWorld({ 'a.md': '# A\n', 'b.md': '# B\n', 'c.md': '# C\n' })
    world!.emu.server.inject({ route: ROUTE.nodeDelete, status: 404, body: '404 page not found' })
    world!.remove('c.md')
    const { result } = await world!.publish({ 'on-delete': 'delete' })
    expect(result.pages.find((p) => p.path === 'docs/c.md')).toMatchObject({ status: 'archived', reason: expect.stringContaining('404') })
  })

  it('stops at the safety cap when more than half of the owned pages would go, writing nothing', async () => {
    await pushWorld({ 'a.md': '# A\n', 'b.md': '# B\n', 'c.md': '# C\n' })
    world!.remove('a.md')
    world!.remove('b.md')
    const { result, writes } = await world!.publish({ 'on-delete': 'archive' })
    expect(writes).toEqual([])
    expect(result.stoppedBySafetyCap).toMatch(/archive 2 of the 3 pages/)
    expect(result.counts.failed).toBe(2)
  })
})

describe('publishDocs: what to sync', () => {
  it('changed mode follows the compare of a multi-commit push, publishes a file missing from the wiki, and brings a page that differs from its source in line', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n\nOne.\n', 'b.md': '# B\n\nOne.\n', 'c.md': '# C\n\nOne.\n' } })
    await world.publish()
    world.write({ 'a.md': '# A\n\nTwo.\n', 'b.md': '# B\n\nTwo.\n', 'c.md': '# C\n\nTwo (not in the push).\n', 'new.md': '# New\n' })
    world.github.addCommits(REPO, 'c1', 'c2', [{ filename: 'docs/a.md', status: 'modified' }])
    world.github.addCommits(REPO, 'c2', 'c3', [{ filename: 'docs/b.md', status: 'modified' }])
    const { result, log } = await world.publish({ mode: 'auto' }, { push: { before: 'c1', after: 'c3' } })
    expect(result.mode).toMatchObject({ effective: 'changed' })
    // c.md is not in the push, but its page (read whole by the scan) differs from it: compared at no cost, updated.
    expect(statuses(result)).toEqual({ 'docs/a.md': 'updated', 'docs/b.md': 'updated', 'docs/c.md': 'updated', 'docs/new.md': 'created' })
    expect(log.infos.some((m) => m.startsWith('docs/c.md: differs from its source although this push did not change it'))).toBe(true)
    // A push that changes nothing leaves every page alone.
    world.github.addCommits(REPO, 'c3', 'c4', [])
    const quiet = await world.publish({ mode: 'auto' }, { push: { before: 'c3', after: 'c4' } })
    expect(quiet.writes).toEqual([])
    expect(new Set(Object.values(statuses(quiet.result)))).toEqual(new Set(['unchanged']))
  })

  it('changed mode heals a page an earlier run left half-written (its content write failed)', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n\nOne.\n', 'b.md': '# B\n\nOne.\n' } })
    await world.publish()
    world.write({ 'a.md': '# A\n\nTwo.\n' })
    world.github.addCommits(REPO, 'c1', 'c2', [{ filename: 'docs/a.md', status: 'modified' }])
    world.emu.server.inject({ route: 'docx.v1.documentBlock.batchUpdate', status: 503, body: 'upstream connect error', times: Infinity })
    const failed = await world.publish({ mode: 'auto' }, { push: { before: 'c1', after: 'c2' } })
    expect(statuses(failed.result)['docs/a.md']).toBe('failed')
    world.emu.server.clearFaults()
    // The next push does not touch a.md; its page still says "One." and is updated all the same.
    world.write({ 'b.md': '# B\n\nTwo.\n' })
    world.github.addCommits(REPO, 'c2', 'c3', [{ filename: 'docs/b.md', status: 'modified' }])
    const next = await world.publish({ mode: 'auto' }, { push: { before: 'c2', after: 'c3' } })
    expect(statuses(next.result)).toEqual({ 'docs/a.md': 'updated', 'docs/b.md': 'updated' })
    expect(world.emu.docs.render(world.node('A').obj_token)).toContain('Two.')
  })

  it('falls back to all when the compare fails or the push created the branch, and says so', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n' } })
    const unknown = await world.publish({ mode: 'changed' }, { push: { before: 'feedface', after: 'deadbeef' } })
    expect(unknown.result.mode).toMatchObject({ effective: 'all', reason: expect.stringContaining('failed') })
    const created = await world.publish({ mode: 'changed' }, { push: { before: '0'.repeat(40), after: 'deadbeef' } })
    expect(created.result.mode).toMatchObject({ effective: 'all', reason: expect.stringContaining('created the branch') })
    const dispatch = await world.publish({ mode: 'auto' })
    expect(dispatch.result.mode).toMatchObject({ effective: 'all' })
  })

  it('updates a page whose link target appears in this run, even in changed mode', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n\nSee [B](b.md).\n' } })
    await world.publish()
    expect(world.emu.docs.render(world.node('A').obj_token)).toContain('https://github.com/acme/handbook/blob/main/docs/b.md')
    world.write({ 'b.md': '# B\n' })
    world.github.addCommits(REPO, 'c1', 'c2', [{ filename: 'docs/b.md', status: 'added' }])
    const { result } = await world.publish({ mode: 'changed' }, { push: { before: 'c1', after: 'c2' } })
    expect(statuses(result)).toEqual({ 'docs/a.md': 'updated', 'docs/b.md': 'created' })
    expect(world.emu.docs.render(world.node('A').obj_token)).toContain(`[B](${wikiUrl(world.node('B').node_token)})`)
  })

  it('deletes a removed folder with its pages in one call', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n', 'b.md': '# B\n', 'c.md': '# C\n', 'g/x.md': '# X\n' } })
    await world.publish()
    world.remove('g')
    const { result, writes } = await world.publish({ 'on-delete': 'delete' })
    expect(writes.filter((c) => c.route === ROUTE.nodeDelete)).toHaveLength(1)
    expect(statuses(result)).toMatchObject({ 'docs/g/': 'deleted', 'docs/g/x.md': 'deleted' })
    expect(world.tree()).toBe('A\nB\nC')
  })
})

describe('publishDocs: dry run, robustness', () => {
  it('a dry run makes zero writes and says what would happen to every file', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n\nOne.\n', 'b.md': '# B\n', 'c.md': '# C\n' } })
    await world.publish()
    world.write({ 'a.md': '# A\n\nTwo.\n', 'd.md': '# D\n' })
    world.remove('c.md')
    const { result, writes } = await world.publish({ 'dry-run': 'true', 'on-delete': 'archive' })
    expect(writes).toEqual([])
    expect(Object.fromEntries(result.pages.map((p) => [p.path, p.plan]))).toEqual({
      'docs/a.md': 'update',
      'docs/b.md': 'unchanged',
      'docs/d.md': 'create',
      'docs/c.md': 'archive',
    })
  })

  it('a lost create answer does not make a duplicate page', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n', 'b.md': '# B\n' } })
    world.emu.server.inject({ route: ROUTE.nodeCreate, drop: 'after' })
    const { result } = await world.publish()
    expect(result.counts).toMatchObject({ created: 2, failed: 0 })
    expect(world.emu.nodes(world.spaceId).filter((n) => n.title === 'A')).toHaveLength(1)
  })

  it('a create that never reached the server is sent again (after a look at the parent)', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n' } })
    world.emu.server.inject({ route: ROUTE.nodeCreate, drop: 'before' })
    const { result, calls } = await world.publish()
    expect(result.counts).toMatchObject({ created: 1, failed: 0 })
    expect(calls.map((c) => c.route).filter((r) => r === ROUTE.nodeCreate || r === ROUTE.nodeList)).toEqual([
      ROUTE.nodeList, // the scan
      ROUTE.nodeCreate, // lost before it arrived
      ROUTE.nodeList, // the look
      ROUTE.nodeCreate,
      ROUTE.nodeCreate, // the sync state's page, after the pages it describes
    ])
    expect(world.tree()).toBe('A')
  })

  it('keeps paging a child list through empty pages with has_more', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n' } })
    await world.publish()
    world.emu.emptyListPages(2)
    const { writes } = await world.publish()
    expect(writes).toEqual([])
  })

  it('reports a file that is not UTF-8 as failed and publishes the others', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n', 'latin1.md': Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]) } })
    const { result } = await world.publish()
    expect(statuses(result)).toMatchObject({ 'docs/a.md': 'created', 'docs/latin1.md': 'failed' })
    expect(result.pages.find((p) => p.path === 'docs/latin1.md')!.reason).toMatch(/UTF-8/)
    expect(world.tree()).toBe('A')
  })

  it('honours exclude (picomatch, relative to path) and skips hidden files and folders', async () => {
    world = await startPublishWorld({
      files: { 'a.md': '# A\n', 'drafts/x.md': '# X\n', 'g/_partial.md': '# P\n', 'g/b.md': '# B\n', '.hidden/y.md': '# Y\n', '.z.md': '# Z\n' },
    })
    const { result } = await world.publish({ exclude: 'drafts/**\n**/_*.md\n# a comment' })
    expect(world.tree()).toBe('A\ng\n  B')
    expect(result.notes).toContain('2 Markdown file(s) left out by `exclude`.')
  })

  it('does not follow a symbolic link out of the workspace', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n' } })
    const outside = fs.mkdtempSync(path.join(path.dirname(world.workspace), 'outside-'))
    fs.writeFileSync(path.join(outside, 'secret.md'), '# Secret\n')
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(world.docsDir, 'secret.md'))
    const { result } = await world.publish()
    expect(result.pages.find((p) => p.path === 'docs/secret.md')).toMatchObject({ status: 'skipped' })
    expect(world.tree()).toBe('A')
    fs.rmSync(outside, { recursive: true, force: true })
  })

  it('turns converter warnings into annotations on the file and line', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n\nText.\n\n<video src="a.mp4"></video>\n\nSee [there](../../../elsewhere.md).\n' } })
    const { log, result } = await world.publish()
    expect(result.pages[0]!.warnings.length).toBeGreaterThan(0)
    expect(log.warnings).toContainEqual({ message: expect.stringContaining('docs/a.md'), where: { file: 'docs/a.md', line: 5, column: expect.any(Number) } })
    expect(log.warnings).toContainEqual({
      message: expect.stringContaining('points outside the repository'),
      where: { file: 'docs/a.md', line: 7, column: expect.any(Number) },
    })
    expect(world.emu.docs.render(world.node('A').obj_token)).toContain('[there](https://github.com/acme/handbook/blob/main/docs/a.md)')
  })

  it('publishes a single file when path names one', async () => {
    world = await startPublishWorld({ files: { 'one.md': '# One\n\nSee [two](two.md).\n', 'two.md': '# Two\n' } })
    const { result } = await world.publish({ path: 'docs/one.md' })
    expect(world.tree()).toBe('One')
    expect(result.pages.map((p) => p.path)).toEqual(['docs/one.md'])
    expect(world.emu.docs.render(world.node('One').obj_token)).toContain('[two](https://github.com/acme/handbook/blob/main/docs/two.md)')
  })

  it("publishes this repository's own docs folder cleanly (what the demo shows)", async () => {
    world = await startPublishWorld()
    fs.cpSync(path.join(import.meta.dirname, '..', '..', 'docs'), world.docsDir, { recursive: true })
    const { result, log } = await world.publish()
    expect(result.counts.failed).toBe(0)
    expect(log.warnings).toEqual([])
    expect(world.tree()).toBe(
      ['feishu-wiki-sync', 'Getting started', 'Reference', '  Inputs and outputs', '  Troubleshooting', 'FAQ', 'Benchmarks', 'concepts', '  How publishing works', '  Documentation sites', '  The sync state, and edits made in Feishu', '  The token chain'].join('\n'),
    )
    expect(world.emu.uploads().map((u) => u.fileName)).toEqual(['pipeline.png'])
  })

  it('resolves my_library to the real space id', async () => {
    world = await startPublishWorld({ files: { 'a.md': '# A\n' } })
    const library = world.emu.myLibrary()
    const { result } = await world.publish({ 'space-id': 'my_library', 'parent-node': '', auth: 'user', 'refresh-token': 'x', 'github-token': 'x' })
    expect(result.wiki?.spaceId).toBe(library)
    expect(world.emu.renderTree(library)).toBe(`A\n${STATE_TITLE}`)
  })
})

async function blockIds(w: PublishWorld, documentId: string): Promise<{ block_id: string; block_type: number }[]> {
  const res = await fetch(`${w.emu.url}/open-apis/docx/v1/documents/${documentId}/blocks?page_size=500`, {
    headers: { authorization: `Bearer ${w.emu.issueUserAccessToken()}` },
  })
  const body = (await res.json()) as { data: { items: { block_id: string; block_type: number }[] } }
  return body.data.items
}
