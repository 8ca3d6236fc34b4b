// src/feishu/wiki.ts against the Feishu emulator over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import { type FeishuEmulator, ROUTE, startFeishuEmulator } from '../../emulator/feishu/index.js'
import { FeishuClient, FeishuError } from '../../src/feishu/client.js'
import { LIST_PAGE_SIZE, WikiApi } from '../../src/feishu/wiki.js'

let emu: FeishuEmulator
let wiki: WikiApi
let spaceId: string

beforeAll(async () => {
  const clock = scaledClock(100)
  emu = await startFeishuEmulator({ clock, accessTokenTtlSeconds: 30 * 86_400 })
  spaceId = emu.createSpace({ name: 'Wiki API' })
  const token = emu.issueUserAccessToken()
  wiki = new WikiApi(new FeishuClient({ baseUrl: emu.url, accessToken: () => token, clock }))
})
afterAll(async () => {
  await emu.close()
})

describe('WikiApi', () => {
  it('gets a space, and resolves my_library to its real id', async () => {
    expect(await wiki.getSpace(spaceId)).toMatchObject({ space_id: spaceId, name: 'Wiki API' })
    const library = await wiki.getSpace('my_library')
    expect(library.space_id).toBe(emu.myLibrary())
    expect(library.space_id).not.toBe('my_library')
  })

  it('creates docx nodes (node_type origin) and reads them back', async () => {
    const parent = await wiki.createNode(spaceId, undefined, 'Parent')
    expect(parent).toMatchObject({ obj_type: 'docx', node_type: 'origin', title: 'Parent', parent_node_token: '' })
    const child = await wiki.createNode(spaceId, parent.node_token, 'Child')
    expect(await wiki.getNode(child.node_token)).toMatchObject({ parent_node_token: parent.node_token, title: 'Child', space_id: spaceId })
    expect((await wiki.getNode(child.obj_token, 'docx')).node_token).toBe(child.node_token)
    const body = emu.server.callsTo(ROUTE.nodeCreate).at(-1)!.body
    expect(body).toEqual({ obj_type: 'docx', node_type: 'origin', parent_node_token: parent.node_token, title: 'Child' })
  })

  it(`lists every child, ${LIST_PAGE_SIZE} per page, through empty pages with has_more`, async () => {
    const parent = await wiki.createNode(spaceId, undefined, 'Many')
    for (let i = 0; i < 120; i++) emu.createNode(spaceId, { title: `n${i}`, parentNodeToken: parent.node_token })
    emu.emptyListPages(3)
    const before = emu.server.callsTo(ROUTE.nodeList).length
    const children = await wiki.listChildren(spaceId, parent.node_token)
    expect(children.map((c) => c.title)).toEqual(Array.from({ length: 120 }, (_, i) => `n${i}`))
    const calls = emu.server.callsTo(ROUTE.nodeList).slice(before)
    expect(calls.length).toBe(3 + 3)
    expect(calls.every((c) => c.query.page_size === String(LIST_PAGE_SIZE))).toBe(true)
  })

  it('retitles, moves and deletes nodes', async () => {
    const a = await wiki.createNode(spaceId, undefined, 'A')
    const b = await wiki.createNode(spaceId, undefined, 'B')
    const c = await wiki.createNode(spaceId, a.node_token, 'C')
    await wiki.updateTitle(spaceId, a.node_token, 'A2')
    expect((await wiki.getNode(a.node_token)).title).toBe('A2')
    await wiki.moveNode(spaceId, a.node_token, b.node_token)
    expect((await wiki.getNode(a.node_token)).parent_node_token).toBe(b.node_token)
    expect((await wiki.getNode(c.node_token)).parent_node_token).toBe(a.node_token)
    expect(await wiki.deleteNode(spaceId, a.node_token, true)).toEqual({ taskId: undefined })
    expect(emu.server.callsTo(ROUTE.nodeDelete).at(-1)!.body).toEqual({ obj_type: 'wiki', include_children: true })
    await expect(wiki.getNode(c.node_token)).rejects.toMatchObject({ code: 131005 })
  })

  it('never repeats a create whose answer was lost (the caller looks first)', async () => {
    emu.server.inject({ route: ROUTE.nodeCreate, drop: 'after' })
    const before = emu.server.callsTo(ROUTE.nodeCreate).length
    const error = await wiki.createNode(spaceId, undefined, 'Lost').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FeishuError)
    expect((error as FeishuError).ambiguous).toBe(true)
    expect(emu.server.callsTo(ROUTE.nodeCreate).length - before).toBe(1)
    expect(emu.nodes(spaceId).filter((n) => n.title === 'Lost')).toHaveLength(1)
  })

  it('reports not found and permission errors with their codes', async () => {
    await expect(wiki.getNode('wikcnDoesNotExist')).rejects.toMatchObject({ code: 131005, endpoint: 'wiki.space.getNode' })
    const closed = emu.createSpace({ name: 'Closed', userIsMember: false })
    await expect(wiki.listChildren(closed)).rejects.toMatchObject({ code: 131006 })
  })
})
