// Wiki v2 rules of the Feishu emulator: spaces and my_library, get_node, paging, create/update/move/delete,
// identity and membership, and the wiki rate limit.
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock } from '../../emulator/core/clock.js'
import { type FeishuEmulator, type FeishuEmulatorOptions, ROUTE, startFeishuEmulator } from '../../emulator/feishu/index.js'
import { type Answer, FeishuHttp } from './feishu-http.js'

let emulator: FeishuEmulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

async function start(options: FeishuEmulatorOptions = {}): Promise<{ e: FeishuEmulator; api: Api }> {
  emulator = await startFeishuEmulator(options)
  return { e: emulator, api: new Api(emulator.url, emulator.issueUserAccessToken()) }
}

class Api extends FeishuHttp {

  get(path: string): Promise<Answer> {
    return this.send('GET', path)
  }

  createNode(spaceId: string, title: string, parent?: string): Promise<Answer> {
    return this.send('POST', `/open-apis/wiki/v2/spaces/${spaceId}/nodes`, {
      obj_type: 'docx',
      node_type: 'origin',
      title,
      ...(parent ? { parent_node_token: parent } : {}),
    })
  }
}

describe('spaces', () => {
  it('resolves my_library to the caller library with its real space_id', async () => {
    const { e, api } = await start()
    const res = await api.get('/open-apis/wiki/v2/spaces/my_library')
    expect(res.status).toBe(200)
    expect(res.body.code).toBe(0)
    expect(res.body.data.space.space_type).toBe('my_library')
    expect(res.body.data.space.space_id).toMatch(/^\d{19}$/)
    expect(res.body.data.space.space_id).toBe(e.myLibrary())
    const other = new Api(e.url, e.issueUserAccessToken({ userId: 'ou_other' }))
    const theirs = await other.get('/open-apis/wiki/v2/spaces/my_library')
    expect(theirs.body.data.space.space_id).not.toBe(res.body.data.space.space_id)
    // Another user's library is not readable.
    expect((await other.get(`/open-apis/wiki/v2/spaces/${e.myLibrary()}`)).body.code).toBe(131006)
    // Nodes are created in the resolved library; the literal alias is not accepted on create.
    expect((await api.createNode('my_library', 'x')).body.code).toBe(131005)
    expect((await api.createNode(e.myLibrary(), 'x')).body.code).toBe(0)
    // my_library is accepted on list
    expect((await api.get('/open-apis/wiki/v2/spaces/my_library/nodes')).body.data.items).toHaveLength(1)
  })

  it('answers 131005 for unknown spaces and 131006 when the user is not a member', async () => {
    const { e, api } = await start()
    expect((await api.get('/open-apis/wiki/v2/spaces/123')).body).toMatchObject({ code: 131005 })
    const closed = e.createSpace({ userIsMember: false })
    const res = await api.get(`/open-apis/wiki/v2/spaces/${closed}`)
    expect([res.status, res.body.code]).toEqual([400, 131006])
    expect((await api.createNode(closed, 'x')).body.code).toBe(131006)
  })
})

describe('nodes', () => {
  it('creates a docx node with url, an empty document titled like the node, owned by the caller', async () => {
    const { e, api } = await start()
    const space = e.createSpace({ name: 'Docs' })
    const res = await api.createNode(space, 'Guide')
    expect(res.status).toBe(200)
    const node = res.body.data.node
    expect(node).toMatchObject({
      space_id: space,
      obj_type: 'docx',
      node_type: 'origin',
      parent_node_token: '',
      title: 'Guide',
      has_child: false,
      creator: 'ou_emulator_user',
      owner: 'ou_emulator_user',
    })
    expect(node.url).toBe(`https://emulator.feishu.cn/wiki/${node.node_token}`)
    expect(node.node_create_time).toMatch(/^\d{10}$/)
    expect(e.docs.has(node.obj_token)).toBe(true)
    const got = await api.get(`/open-apis/wiki/v2/spaces/get_node?token=${node.node_token}`)
    expect(got.body.data.node.url).toBeUndefined() // get_node returns no url
    expect(got.body.data.node.obj_token).toBe(node.obj_token)
    const byDoc = await api.get(`/open-apis/wiki/v2/spaces/get_node?token=${node.obj_token}&obj_type=docx`)
    expect(byDoc.body.data.node.node_token).toBe(node.node_token)
    expect((await api.get('/open-apis/wiki/v2/spaces/get_node?token=wikcnNOPE')).body.code).toBe(131005)
    expect((await api.get('/open-apis/wiki/v2/spaces/get_node')).body.code).toBe(131002)
  })

  it('records the tenant identity as creator and nests under parents', async () => {
    const { e, api } = await start()
    const space = e.createSpace({ appIsMember: true })
    const tenant = await fetch(`${e.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: 'cli_emulator', app_secret: 'emulator-app-secret' }),
    }).then((r) => r.json() as Promise<Record<string, any>>)
    const bot = new Api(e.url, tenant.tenant_access_token)
    const parent = (await bot.createNode(space, 'Parent')).body.data.node
    expect(parent.creator).toBe('ou_app_cli_emulator')
    const child = (await api.createNode(space, 'Child', parent.node_token)).body.data.node
    expect(child.parent_node_token).toBe(parent.node_token)
    expect(e.renderTree(space)).toBe('Parent\n  Child')
    expect(e.nodes(space).find((n) => n.node_token === parent.node_token)?.has_child).toBe(true)
    expect((await api.createNode(space, 'Orphan', 'wikcnMISSING')).body.code).toBe(131005)
  })

  it('pages lists with page_size ≤ 50, page_token and has_more; empty filtered pages keep has_more', async () => {
    const { e, api } = await start()
    const space = e.createSpace()
    for (let i = 0; i < 7; i++) e.createNode(space, { title: `n${i}` })
    expect((await api.get(`/open-apis/wiki/v2/spaces/${space}/nodes?page_size=51`)).body.code).toBe(131002)
    expect((await api.get(`/open-apis/wiki/v2/spaces/${space}/nodes?page_token=bogus`)).body.code).toBe(131002)
    e.emptyListPages(2)
    const titles: string[] = []
    let pageToken: string | undefined
    let pages = 0
    let empties = 0
    do {
      const q = new URLSearchParams({ page_size: '3', ...(pageToken ? { page_token: pageToken } : {}) })
      const res = await api.get(`/open-apis/wiki/v2/spaces/${space}/nodes?${q}`)
      expect(res.body.code).toBe(0)
      if (res.body.data.items.length === 0) empties++
      titles.push(...res.body.data.items.map((n: { title: string }) => n.title))
      pageToken = res.body.data.has_more ? res.body.data.page_token : undefined
      pages++
    } while (pageToken)
    expect(empties).toBe(2)
    expect(pages).toBe(5)
    expect(titles).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6'])
  })

  it('updates titles (the document title follows), moves within and across spaces', async () => {
    const { e, api } = await start()
    const a = e.createSpace()
    const b = e.createSpace()
    const p = e.createNode(a, { title: 'P' })
    const q = e.createNode(a, { title: 'Q' })
    const c = e.createNode(a, { title: 'C', parentNodeToken: p.node_token })
    const t = await api.send('POST', `/open-apis/wiki/v2/spaces/${a}/nodes/${c.node_token}/update_title`, { title: 'C2' })
    expect(t.body).toMatchObject({ code: 0, data: {} })
    expect(e.docs.getDocument(c.obj_token).title).toBe('C2')
    const moved = await api.send('POST', `/open-apis/wiki/v2/spaces/${a}/nodes/${c.node_token}/move`, { target_parent_token: q.node_token })
    expect(moved.body.data.node.parent_node_token).toBe(q.node_token)
    expect(e.renderTree(a)).toBe('P\nQ\n  C2')
    // Into its own subtree: refused.
    expect((await api.send('POST', `/open-apis/wiki/v2/spaces/${a}/nodes/${q.node_token}/move`, { target_parent_token: c.node_token })).body.code).toBe(131002)
    expect((await api.send('POST', `/open-apis/wiki/v2/spaces/${a}/nodes/${q.node_token}/move`, {})).body.code).toBe(131002)
    const across = await api.send('POST', `/open-apis/wiki/v2/spaces/${a}/nodes/${q.node_token}/move`, { target_space_id: b })
    expect(across.body.data.node).toMatchObject({ space_id: b, parent_node_token: '' })
    expect(e.renderTree(b)).toBe('Q\n  C2')
    expect(e.renderTree(a)).toBe('P')
    expect((await api.send('POST', `/open-apis/wiki/v2/spaces/${a}/nodes/${q.node_token}/update_title`, { title: 'x' })).body.code).toBe(131005)
  })

  it('deletes a node with or without its children (DELETE …/nodes/:token)', async () => {
    const { e, api } = await start()
    const s = e.createSpace()
    const a = e.createNode(s, { title: 'A' })
    const b = e.createNode(s, { title: 'B', parentNodeToken: a.node_token })
    e.createNode(s, { title: 'C', parentNodeToken: b.node_token })
    e.createNode(s, { title: 'D' })
    const lift = await api.send('DELETE', `/open-apis/wiki/v2/spaces/${s}/nodes/${b.node_token}`, { obj_type: 'wiki', include_children: false })
    expect(lift.body).toMatchObject({ code: 0, data: { task_id: '' } })
    expect(e.renderTree(s)).toBe('A\n  C\nD')
    const all = await api.send('DELETE', `/open-apis/wiki/v2/spaces/${s}/nodes/${a.obj_token}`, { obj_type: 'docx', include_children: true })
    expect(all.body.code).toBe(0)
    expect(e.renderTree(s)).toBe('D')
    expect(e.deletedDocuments()).toContain(a.obj_token)
    expect((await api.send('DELETE', `/open-apis/wiki/v2/spaces/${s}/nodes/${a.node_token}`, { obj_type: 'wiki' })).body.code).toBe(131005)
    // The deleted document is gone for the docx API too.
    expect((await api.get(`/open-apis/docx/v1/documents/${a.obj_token}`)).status).toBe(404)
  })
})

describe('wiki rate limit', () => {
  it('throttles node APIs at 100/min with HTTP 429 and the ogw headers', async () => {
    const clock = manualClock()
    const { e, api } = await start({ clock })
    const space = e.createSpace()
    for (let i = 0; i < 100; i++) expect((await api.get(`/open-apis/wiki/v2/spaces/${space}/nodes`)).status).toBe(200)
    // A different API has its own window.
    expect((await api.createNode(space, 'ok')).status).toBe(200)
    clock.advance(20_000)
    const res = await api.get(`/open-apis/wiki/v2/spaces/${space}/nodes`)
    expect([res.status, res.body.code]).toEqual([429, 99991400])
    expect(res.headers.get('x-ogw-ratelimit-limit')).toBe('100')
    expect(res.headers.get('x-ogw-ratelimit-reset')).toBe('40')
    expect(e.throttled.total).toBe(1)
    expect(e.throttled.byRoute[ROUTE.nodeList]).toBe(1)
    clock.advance(40_000)
    expect((await api.get(`/open-apis/wiki/v2/spaces/${space}/nodes`)).status).toBe(200)
  })

  it('can be switched off', async () => {
    const { e, api } = await start({ rateLimits: false })
    const space = e.createSpace()
    for (let i = 0; i < 120; i++) expect((await api.get(`/open-apis/wiki/v2/spaces/${space}/nodes`)).status).toBe(200)
  })
})
