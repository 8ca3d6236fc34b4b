// Fidelity: the OFFICIAL Feishu Node SDK (@larksuiteoapi/node-sdk 1.74.0) drives the emulator. It builds the
// URLs, methods, query strings, bodies and multipart forms itself, and parses our answers with its own code —
// so a mismatch in paths, envelope, token handling or field names shows up here, not in our own client.
// Every SDK request must also pass the official request schemas (`schemaViolations` stays empty).
import * as lark from '@larksuiteoapi/node-sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock } from '../../emulator/core/clock.js'
import { type FeishuEmulator, ROUTE, startFeishuEmulator } from '../../emulator/feishu/index.js'

const APP = { appId: 'cli_emulator', appSecret: 'emulator-app-secret' }

let emulator: FeishuEmulator | undefined
afterEach(async () => {
  if (emulator) expect(emulator.schemaViolations).toEqual([])
  await emulator?.close()
  emulator = undefined
})

/** A cache per client: the SDK's default cache is process-wide and would leak tenant tokens across emulators. */
function freshCache(): lark.Cache {
  const values = new Map<string, { value: unknown; expire: number }>()
  const keyOf = (key: string | symbol, namespace?: string) => `${namespace ?? ''}/${String(key)}`
  return {
    async set(key, value, expire, options) {
      values.set(keyOf(key as string, options?.namespace), { value, expire: expire ?? Infinity })
      return true
    },
    async get(key, options) {
      const hit = values.get(keyOf(key as string, options?.namespace))
      return hit && hit.expire > Date.now() ? hit.value : undefined
    },
  }
}

const silent: lark.Logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} }

function sdk(e: FeishuEmulator): lark.Client {
  return new lark.Client({ ...APP, domain: e.url, oauthBaseUrl: e.url, cache: freshCache(), logger: silent })
}

async function axiosError(promise: Promise<unknown>): Promise<{ status: number; data: Record<string, any>; headers: Record<string, any> }> {
  try {
    await promise
  } catch (error) {
    const e = error as { response?: { status: number; data: Record<string, any>; headers: Record<string, any> } }
    if (e.response) return e.response
    throw error
  }
  throw new Error('expected the SDK call to fail')
}

describe('official SDK: auth', () => {
  it('fetches and caches a tenant token itself (top-level tenant_access_token / expire)', async () => {
    const e = (emulator = await startFeishuEmulator())
    const space = e.createSpace({ appIsMember: true })
    const client = sdk(e)
    const a = await client.wiki.v2.space.get({ path: { space_id: space } })
    const b = await client.wiki.v2.space.get({ path: { space_id: space } })
    expect(a.code).toBe(0)
    expect(a.data?.space?.space_id).toBe(space)
    expect(b.data?.space?.space_type).toBe('team')
    expect(e.server.callsTo(ROUTE.tenantToken)).toHaveLength(1)
    // The raw SDK method parses the same top-level body.
    const raw = (await client.auth.tenantAccessToken.internal({ data: { app_id: APP.appId, app_secret: APP.appSecret } })) as Record<string, unknown>
    expect(raw.code).toBe(0)
    expect(raw.expire).toBeGreaterThan(7000) // the same token, reused while it has over 30 minutes left
    expect(String(raw.tenant_access_token)).toMatch(/^t-/)
    expect(e.server.callsTo(ROUTE.tenantToken)).toHaveLength(2)
  })

  it('SDK AccessToken.refresh parses our flat token answers and our flat errors (v3 endpoint)', async () => {
    const e = (emulator = await startFeishuEmulator())
    const client = sdk(e)
    const first = e.issueRefreshToken()
    const r1 = await client.accessToken.refresh({ refreshToken: first })
    expect(r1).toMatchObject({ tokenType: 'Bearer', expiresIn: 7200, refreshTokenExpiresIn: 604800 })
    expect(r1.refreshToken).toBe(e.liveRefreshToken())
    expect(r1.scope).toContain('offline_access')
    const r2 = await client.accessToken.refresh({ refreshToken: r1.refreshToken! })
    expect(r2.refreshToken).toBe(e.liveRefreshToken())
    const replay = await client.accessToken.refresh({ refreshToken: first }).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(replay).toBeInstanceOf(lark.AccessTokenError)
    expect(replay).toMatchObject({ statusCode: 400, code: 20064, error: 'invalid_grant' })
    // The access token the SDK got works with the SDK's own user-token option.
    const me = await client.authen.userInfo.get({}, lark.withUserAccessToken(r2.accessToken))
    expect(me.data?.open_id).toBe('ou_emulator_user')
  })

  it('surfaces the access-token errors as HTTP 400 with the generic codes', async () => {
    const e = (emulator = await startFeishuEmulator())
    const space = e.createSpace()
    const client = sdk(e)
    const res = await axiosError(client.wiki.v2.space.get({ path: { space_id: space } }, lark.withUserAccessToken('u-bogus')))
    expect(res.status).toBe(400)
    expect(res.data.code).toBe(99991668)
    expect(res.headers['x-tt-logid']).toBe(res.data.error.log_id)
  })
})

describe('official SDK: wiki', () => {
  it('space get (my_library), node create / get_node / list (iterator) / update_title / move', async () => {
    const e = (emulator = await startFeishuEmulator())
    const client = sdk(e)
    const as = lark.withUserAccessToken(e.issueUserAccessToken())
    const library = await client.wiki.v2.space.get({ path: { space_id: 'my_library' } }, as)
    const spaceId = library.data!.space!.space_id!
    expect(library.data?.space?.space_type).toBe('my_library')

    const parent = await client.wiki.v2.spaceNode.create(
      { path: { space_id: spaceId }, data: { obj_type: 'docx', node_type: 'origin', title: 'Handbook' } },
      as,
    )
    const parentNode = parent.data!.node!
    expect(parentNode.node_token).toMatch(/^wikcn/)
    expect(parentNode.obj_token).toMatch(/^doxcn/)
    expect(parentNode.url).toContain(parentNode.node_token)

    const titles: string[] = []
    for (let i = 0; i < 5; i++) {
      const child = await client.wiki.v2.spaceNode.create(
        { path: { space_id: spaceId }, data: { obj_type: 'docx', node_type: 'origin', parent_node_token: parentNode.node_token, title: `Ch ${i}` } },
        as,
      )
      titles.push(child.data!.node!.title!)
    }

    const got = await client.wiki.v2.space.getNode({ params: { token: parentNode.obj_token!, obj_type: 'docx' } }, as)
    expect(got.data?.node?.node_token).toBe(parentNode.node_token)
    expect(got.data?.node?.has_child).toBe(true)

    // The SDK's own pager must walk our page_token/has_more, including a permission-filtered empty page.
    e.emptyListPages(1)
    const seen: string[] = []
    for await (const page of await client.wiki.v2.spaceNode.listWithIterator(
      { path: { space_id: spaceId }, params: { page_size: 2, parent_node_token: parentNode.node_token } },
      as,
    )) {
      seen.push(...(page?.items ?? []).map((n) => n.title!))
    }
    expect(seen).toEqual(titles)

    const list = await client.wiki.v2.spaceNode.list({ path: { space_id: spaceId }, params: { page_size: 50, parent_node_token: parentNode.node_token } }, as)
    const first = list.data!.items![0]!
    const renamed = await client.wiki.v2.spaceNode.updateTitle(
      { path: { space_id: spaceId, node_token: first.node_token! }, data: { title: 'Chapter zero' } },
      as,
    )
    expect(renamed.code).toBe(0)
    const moved = await client.wiki.v2.spaceNode.move(
      { path: { space_id: spaceId, node_token: first.node_token! }, data: { target_space_id: spaceId } },
      as,
    )
    expect(moved.data?.node?.parent_node_token).toBe('')
    expect(e.renderTree(spaceId)).toBe(['Handbook', '  Ch 1', '  Ch 2', '  Ch 3', '  Ch 4', 'Chapter zero'].join('\n'))

    const tooBig = await axiosError(client.wiki.v2.spaceNode.list({ path: { space_id: spaceId }, params: { page_size: 51 } }, as))
    expect([tooBig.status, tooBig.data.code]).toEqual([400, 131002])
  })
})

describe('official SDK: docx and drive', () => {
  it('document get, blocks list, children create/get, descendant, patch, batch_update, batch_delete, upload_all + replace_image', async () => {
    const e = (emulator = await startFeishuEmulator({ rateLimits: false }))
    const client = sdk(e)
    const as = lark.withUserAccessToken(e.issueUserAccessToken())
    const space = e.createSpace()
    const { obj_token: doc } = e.createNode(space, { title: 'SDK doc' })

    const document = await client.docx.v1.document.get({ path: { document_id: doc } }, as)
    expect(document.data?.document).toMatchObject({ document_id: doc, title: 'SDK doc' })

    const created = await client.docx.v1.documentBlockChildren.create(
      {
        path: { document_id: doc, block_id: doc },
        params: { document_revision_id: -1, client_token: 'f3c2a1d4-0000-4000-8000-000000000001' },
        data: {
          index: 0,
          children: [
            { block_type: 3, heading1: { elements: [{ text_run: { content: 'Title', text_element_style: { bold: true } } }] } },
            { block_type: 2, text: { elements: [{ text_run: { content: 'see', text_element_style: { link: { url: encodeURIComponent('https://example.com/a?b=c') } } } }] } },
            { block_type: 27, image: {} },
          ],
        },
      },
      as,
    )
    const [heading, para, image] = created.data!.children!.map((b) => b.block_id!)
    expect(created.data?.client_token).toBe('f3c2a1d4-0000-4000-8000-000000000001')

    const desc = await client.docx.v1.documentBlockDescendant.create(
      {
        path: { document_id: doc, block_id: doc },
        params: { document_revision_id: -1 },
        data: {
          index: -1,
          children_id: ['tmp_list'],
          descendants: [
            { block_id: 'tmp_list', block_type: 12, bullet: { elements: [{ text_run: { content: 'outer' } }] }, children: ['tmp_inner'] },
            { block_id: 'tmp_inner', block_type: 12, bullet: { elements: [{ text_run: { content: 'inner' } }] }, children: [] },
          ],
        },
      },
      as,
    )
    expect(desc.data?.block_id_relations?.map((r) => r.temporary_block_id).sort()).toEqual(['tmp_inner', 'tmp_list'])

    const listed: string[] = []
    for await (const page of await client.docx.v1.documentBlock.listWithIterator({ path: { document_id: doc }, params: { page_size: 2 } }, as)) {
      listed.push(...(page?.items ?? []).map((b) => b.block_id!))
    }
    expect(listed[0]).toBe(doc)
    expect(listed).toHaveLength(6)

    const kids = await client.docx.v1.documentBlockChildren.get({ path: { document_id: doc, block_id: doc }, params: { page_size: 50 } }, as)
    expect(kids.data?.items?.map((b) => b.block_id)).toContain(heading)
    const one = await client.docx.v1.documentBlock.get({ path: { document_id: doc, block_id: para! } }, as)
    expect(one.data?.block?.block_type).toBe(2)

    const patched = await client.docx.v1.documentBlock.patch(
      { path: { document_id: doc, block_id: heading! }, data: { update_text_elements: { elements: [{ text_run: { content: 'New title' } }] } } },
      as,
    )
    expect(patched.data?.block?.block_id).toBe(heading)

    const png = Buffer.alloc(33)
    png.writeUInt32BE(0x89504e47, 0)
    png.write('IHDR', 12, 'latin1')
    png.writeUInt32BE(32, 16)
    png.writeUInt32BE(16, 20)
    const uploaded = await client.drive.v1.media.uploadAll(
      {
        data: {
          file_name: 'diagram.png',
          parent_type: 'docx_image',
          parent_node: image!,
          size: png.length,
          extra: JSON.stringify({ drive_route_token: doc }),
          file: png,
        },
      },
      as,
    )
    expect(uploaded?.file_token).toBeTypeOf('string')

    const batch = await client.docx.v1.documentBlock.batchUpdate(
      { path: { document_id: doc }, data: { requests: [{ block_id: image!, replace_image: { token: uploaded!.file_token!, align: 2 } }] } },
      as,
    )
    expect(batch.data?.blocks?.[0]?.image).toMatchObject({ token: uploaded!.file_token, width: 32, height: 16 })

    const removed = await client.docx.v1.documentBlockChildren.batchDelete(
      { path: { document_id: doc, block_id: doc }, data: { start_index: 1, end_index: 2 } },
      as,
    )
    expect(removed.data?.document_revision_id).toBeGreaterThan(1)
    expect(e.docs.render(doc)).toContain('New title')
    expect(e.docs.render(doc)).not.toContain('see')
  })

  it('surfaces docx errors through the SDK (1770013 relation mismatch, 99992402 field violations)', async () => {
    const e = (emulator = await startFeishuEmulator({ rateLimits: false }))
    const client = sdk(e)
    const as = lark.withUserAccessToken(e.issueUserAccessToken())
    const { obj_token: doc } = e.createNode(e.createSpace(), { title: 'x' })
    const created = await client.docx.v1.documentBlockChildren.create(
      { path: { document_id: doc, block_id: doc }, data: { children: [{ block_type: 27, image: {} }, { block_type: 27, image: {} }] } },
      as,
    )
    const [a, b] = created.data!.children!.map((x) => x.block_id!)
    const up = await client.drive.v1.media.uploadAll({ data: { file_name: 'a.png', parent_type: 'docx_image', parent_node: a!, size: 3, file: Buffer.from('abc') } }, as)
    const mismatch = await axiosError(
      client.docx.v1.documentBlock.patch({ path: { document_id: doc, block_id: b! }, data: { replace_image: { token: up!.file_token! } } }, as),
    )
    expect([mismatch.status, mismatch.data.code]).toEqual([400, 1770013])
    const tooMany = await axiosError(
      client.docx.v1.documentBlockChildren.create(
        { path: { document_id: doc, block_id: doc }, data: { children: Array.from({ length: 51 }, () => ({ block_type: 2, text: { elements: [{ text_run: { content: 'x' } }] } })) } },
        as,
      ),
    )
    expect([tooMany.status, tooMany.data.code]).toEqual([400, 99992402])
    // The over-long request is a documented limit, not a schema violation of the SDK: clear it for the check.
    e.schemaViolations.length = 0
  })
})

describe('official SDK: merged table cells', () => {
  it('a table is created unmerged (merge_info refused on create), merged with merge_table_cells, and reads merge_info back as recorded', async () => {
    const e = (emulator = await startFeishuEmulator({ rateLimits: false }))
    const client = sdk(e)
    const as = lark.withUserAccessToken(e.issueUserAccessToken())
    const { obj_token: doc } = e.createNode(e.createSpace(), { title: 'merges' })
    const cellIds = Array.from({ length: 6 }, (_, i) => `tmp_c${i}`)
    const descendants = (property: Record<string, unknown>) => [
      { block_id: 'tmp_t', block_type: 31, table: { property: { row_size: 3, column_size: 2, ...property } }, children: cellIds },
      ...cellIds.map((id, i) => ({ block_id: id, block_type: 32, table_cell: {}, children: [`tmp_x${i}`] })),
      ...cellIds.map((_, i) => ({ block_id: `tmp_x${i}`, block_type: 2, text: { elements: [{ text_run: { content: `cell ${i}` } }] }, children: [] })),
    ]

    // merge_info is read-only: "由于当前 merge_info 为只读属性，传入该字段会引发报错" (docx.v1.document.convert).
    const mergeInfo = [{ row_span: 1, col_span: 2 }, ...Array.from({ length: 5 }, () => ({ row_span: 1, col_span: 1 }))]
    const refused = await axiosError(
      client.docx.v1.documentBlockDescendant.create({ path: { document_id: doc, block_id: doc }, data: { children_id: ['tmp_t'], descendants: descendants({ merge_info: mergeInfo }) } }, as),
    )
    expect([refused.status, refused.data.code]).toEqual([400, 1770001])
    // The request schema allows the field; the emulator records the read-only violation, which this test sent on purpose.
    expect(e.schemaViolations.map((v) => JSON.stringify(v))).toEqual([expect.stringContaining('merge_info is read-only')])
    e.schemaViolations.length = 0

    const created = await client.docx.v1.documentBlockDescendant.create({ path: { document_id: doc, block_id: doc }, data: { children_id: ['tmp_t'], descendants: descendants({}) } }, as)
    const table = created.data!.block_id_relations!.find((r) => r.temporary_block_id === 'tmp_t')!.block_id!
    const before = await client.docx.v1.documentBlock.get({ path: { document_id: doc, block_id: table } }, as)
    expect(before.data?.block?.table?.property?.merge_info).toEqual(Array.from({ length: 6 }, () => ({ row_span: 1, col_span: 1 })))

    // One merge per call for one table (batch_update refuses a block twice): a patch, then a batch_update.
    await client.docx.v1.documentBlock.patch(
      { path: { document_id: doc, block_id: table }, data: { merge_table_cells: { row_start_index: 0, row_end_index: 1, column_start_index: 0, column_end_index: 2 } } },
      as,
    )
    const batch = await client.docx.v1.documentBlock.batchUpdate(
      { path: { document_id: doc }, data: { requests: [{ block_id: table, merge_table_cells: { row_start_index: 1, row_end_index: 3, column_start_index: 1, column_end_index: 2 } }] } },
      as,
    )
    const one = { row_span: 1, col_span: 1 }
    const merged = [{ row_span: 1, col_span: 2 }, one, one, { row_span: 2, col_span: 1 }, one, one]
    expect(batch.data?.blocks?.[0]?.table?.property?.merge_info).toEqual(merged)
    const read = await client.docx.v1.documentBlock.list({ path: { document_id: doc }, params: { page_size: 500 } }, as)
    const readTable = read.data!.items!.find((b) => b.block_id === table)!
    expect(readTable.table?.property?.merge_info).toEqual(merged)
    // The covered cells still exist, with their content (the recorded case3 table keeps its covered cells too).
    expect(readTable.table?.cells).toHaveLength(6)
    expect(e.docs.render(doc)).toContain('cell 1')

    const overlap = await axiosError(
      client.docx.v1.documentBlock.patch(
        { path: { document_id: doc, block_id: table }, data: { merge_table_cells: { row_start_index: 0, row_end_index: 2, column_start_index: 0, column_end_index: 1 } } },
        as,
      ),
    )
    expect([overlap.status, overlap.data.code]).toEqual([400, 1770024])
    const unmerged = await client.docx.v1.documentBlock.patch({ path: { document_id: doc, block_id: table }, data: { unmerge_table_cells: { row_index: 2, column_index: 1 } } }, as)
    expect(unmerged.data?.block?.table?.property?.merge_info).toEqual([{ row_span: 1, col_span: 2 }, one, one, one, one, one])
  })
})

describe('official SDK: board (whiteboards behind board blocks)', () => {
  const FLOW = 'flowchart TD\n  A[Start] --> B{Ready?}\n  B -->|yes| C[Ship]\n  B -->|no| A'
  const SEQUENCE = '@startuml\nAlice -> Bob: Authentication Request\nBob --> Alice: Authentication Response\n@enduml'

  it('children create answers board.token; createPlantuml (Mermaid, PlantUML classic) and list run unchanged', async () => {
    const e = (emulator = await startFeishuEmulator({ rateLimits: false }))
    const client = sdk(e)
    const as = lark.withUserAccessToken(e.issueUserAccessToken())
    const { obj_token: doc } = e.createNode(e.createSpace(), { title: 'Diagrams' })
    const created = await client.docx.v1.documentBlockChildren.create(
      { path: { document_id: doc, block_id: doc }, data: { index: 0, children: [{ block_type: 43, board: {} }, { block_type: 43, board: { align: 2 } }] } },
      as,
    )
    const [flowBoard, seqBoard] = created.data!.children!.map((b) => b.board?.token ?? '')
    expect(flowBoard).toMatch(/^[A-Za-z0-9]{27}$/)
    expect(seqBoard).not.toBe(flowBoard)
    expect(e.docs.render(doc)).toBe(`[board ${flowBoard}]\n[board ${seqBoard}]`)

    const flow = await client.board.v1.whiteboardNode.createPlantuml(
      { path: { whiteboard_id: flowBoard! }, data: { plant_uml_code: FLOW, syntax_type: 2, style_type: 1, diagram_type: 0 } },
      as,
    )
    expect(flow.code).toBe(0)
    expect(flow.data?.node_id).toMatch(/^t\d+:1$/)
    const classic = await client.board.v1.whiteboardNode.createPlantuml({ path: { whiteboard_id: seqBoard! }, data: { plant_uml_code: SEQUENCE, syntax_type: 1, style_type: 2 } }, as)
    expect(classic.code).toBe(0)

    const nodes = await client.board.v1.whiteboardNode.list({ path: { whiteboard_id: flowBoard! } }, as)
    const shapes = nodes.data!.nodes!.filter((n) => n.type === 'composite_shape').map((n) => n.text?.text)
    expect(shapes).toEqual(['Start', 'Ready?', 'Ship'])
    expect(nodes.data!.nodes!.filter((n) => n.type === 'connector')).toHaveLength(3)
    expect(nodes.data!.nodes![0]).toMatchObject({ id: flow.data!.node_id, type: 'group' })
    const picture = await client.board.v1.whiteboardNode.list({ path: { whiteboard_id: seqBoard! } }, as)
    expect(picture.data!.nodes!.map((n) => n.type)).toEqual(['image'])
    expect(e.boardDiagrams().map((d) => [d.whiteboardId, d.syntaxType, d.styleType, d.code])).toEqual([
      [flowBoard, 2, 1, FLOW],
      [seqBoard, 1, 2, SEQUENCE],
    ])
    expect(e.renderBoard(flowBoard!)).toContain('7 node(s)')
    // A tenant token of an app that is a member of the space works the same way.
    const space = e.createSpace({ appIsMember: true })
    const { obj_token: appDoc } = e.createNode(space, { title: 'App diagrams' })
    const appBoard = await client.docx.v1.documentBlockChildren.create({ path: { document_id: appDoc, block_id: appDoc }, data: { children: [{ block_type: 43, board: {} }] } })
    const byApp = await client.board.v1.whiteboardNode.createPlantuml({
      path: { whiteboard_id: appBoard.data!.children![0]!.board!.token! },
      data: { plant_uml_code: 'sequenceDiagram\n  Alice->>Bob: Hi', syntax_type: 2, style_type: 1 },
    })
    expect(byApp.code).toBe(0)
  })

  it('answers the documented errors: 2890002 syntax and arguments, 2890003 unknown board, 2890005 no access, 2890006 over 5/s, scopes', async () => {
    const e = (emulator = await startFeishuEmulator())
    const client = sdk(e)
    const as = lark.withUserAccessToken(e.issueUserAccessToken())
    const { obj_token: doc } = e.createNode(e.createSpace(), { title: 'Errors' })
    const made = await client.docx.v1.documentBlockChildren.create({ path: { document_id: doc, block_id: doc }, data: { children: [{ block_type: 43, board: {} }] } }, as)
    const board = made.data!.children![0]!.board!.token!
    const parse = (data: { plant_uml_code: string; syntax_type?: number; style_type?: number; diagram_type?: number }, id = board, opts = as) =>
      axiosError(client.board.v1.whiteboardNode.createPlantuml({ path: { whiteboard_id: id }, data }, opts))

    const broken = await parse({ plant_uml_code: 'flowchart TD\n  A[Start --> B', syntax_type: 2, style_type: 1 })
    expect([broken.status, broken.data.code]).toEqual([400, 2890002])
    expect(broken.data.msg).toContain('Parse error on line 2')
    const noEnd = await parse({ plant_uml_code: '@startuml\nAlice -> Bob: hi', syntax_type: 1, style_type: 1 })
    expect([noEnd.status, noEnd.data.code]).toEqual([400, 2890002])
    const classicMermaid = await parse({ plant_uml_code: 'flowchart TD\n  A --> B', syntax_type: 2, style_type: 2 })
    expect(classicMermaid.data.code).toBe(2890002)
    const typedMermaid = await parse({ plant_uml_code: 'flowchart TD\n  A --> B', syntax_type: 2, style_type: 1, diagram_type: 6 })
    expect(typedMermaid.data.code).toBe(2890002)
    await new Promise((r) => setTimeout(r, 1100)) // refused calls count against the 5/s window too
    const unknown = await parse({ plant_uml_code: 'flowchart TD\n  A --> B', syntax_type: 2, style_type: 1 }, 'VF5Bwo7Z5icC0bk8EWbb57Vbckh')
    expect([unknown.status, unknown.data.code]).toEqual([400, 2890003])
    const short = await parse({ plant_uml_code: 'flowchart TD\n  A --> B', syntax_type: 2, style_type: 1 }, 'short')
    expect(short.data.code).toBe(2890002)
    expect(e.boardDiagrams()).toEqual([])

    // Over 5 calls in one second: HTTP 429 + 2890006.
    await new Promise((r) => setTimeout(r, 1100))
    const burst = await Promise.allSettled(
      Array.from({ length: 6 }, () => client.board.v1.whiteboardNode.createPlantuml({ path: { whiteboard_id: board }, data: { plant_uml_code: 'pie\n  "a" : 1', syntax_type: 2, style_type: 1 } }, as)),
    )
    const refused = burst.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.response)
    expect(refused.map((r) => [r.status, r.data.code])).toEqual([[429, 2890006]])
    expect(e.boardDiagrams()).toHaveLength(5)

    // A board in a document the caller cannot open.
    const closed = e.createSpace({ userIsMember: false, appIsMember: true })
    const { obj_token: closedDoc } = e.createNode(closed, { title: 'Closed' })
    const appMade = await client.docx.v1.documentBlockChildren.create({ path: { document_id: closedDoc, block_id: closedDoc }, data: { children: [{ block_type: 43, board: {} }] } })
    await new Promise((r) => setTimeout(r, 1100))
    const noAccess = await parse({ plant_uml_code: 'flowchart TD\n  A --> B', syntax_type: 2, style_type: 1 }, appMade.data!.children![0]!.board!.token!)
    expect([noAccess.status, noAccess.data.code]).toEqual([403, 2890005])

    // Scopes: a user who did not grant it, and an app that did not apply for it.
    const withoutScope = lark.withUserAccessToken(e.issueUserAccessToken({ scopes: ['wiki:wiki', 'docx:document'] }))
    const ungranted = await parse({ plant_uml_code: 'flowchart TD\n  A --> B', syntax_type: 2, style_type: 1 }, board, withoutScope)
    expect(ungranted.data.code).toBe(99991679)
    e.setMissingAppScopes(['board:whiteboard:node:create'])
    const notApplied = await parse({ plant_uml_code: 'flowchart TD\n  A --> B', syntax_type: 2, style_type: 1 })
    expect(notApplied.data.code).toBe(99991672)
    expect(notApplied.data.msg).toContain('board:whiteboard:node:create')
  })

  it('a board block goes with its whiteboard; descendant create refuses board blocks (GUESSES.md)', async () => {
    const e = (emulator = await startFeishuEmulator({ rateLimits: false }))
    const client = sdk(e)
    const as = lark.withUserAccessToken(e.issueUserAccessToken())
    const { obj_token: doc } = e.createNode(e.createSpace(), { title: 'Gone' })
    const made = await client.docx.v1.documentBlockChildren.create({ path: { document_id: doc, block_id: doc }, data: { children: [{ block_type: 43, board: {} }] } }, as)
    const board = made.data!.children![0]!.board!.token!
    await client.docx.v1.documentBlockChildren.batchDelete({ path: { document_id: doc, block_id: doc }, data: { start_index: 0, end_index: 1 } }, as)
    const gone = await axiosError(client.board.v1.whiteboardNode.list({ path: { whiteboard_id: board } }, as))
    expect([gone.status, gone.data.code]).toEqual([400, 2890003])
    const nested = await axiosError(
      client.docx.v1.documentBlockDescendant.create(
        { path: { document_id: doc, block_id: doc }, data: { children_id: ['b'], descendants: [{ block_id: 'b', block_type: 43, board: {} }] } },
        as,
      ),
    )
    expect([nested.status, nested.data.code]).toEqual([400, 1770029])
  })
})

describe('official SDK: what the listing and drive metas say about who made and who edited a page', () => {
  it('listing fields per identity; every document edit moves obj_edit_time; metas batch_query names the last editor', async () => {
    const clock = manualClock(Date.UTC(2026, 11, 1))
    const e = (emulator = await startFeishuEmulator({ clock }))
    const spaceId = e.createSpace({ appIsMember: true, userIsMember: true })
    const client = sdk(e)
    const asUser = lark.withUserAccessToken(e.issueUserAccessToken())
    // The app (tenant token, the SDK fetches it itself) and the user each create a page; a third person another.
    const byApp = (await client.wiki.v2.spaceNode.create({ path: { space_id: spaceId }, data: { obj_type: 'docx', node_type: 'origin', title: 'By app' } })).data!.node!
    const byUser = (await client.wiki.v2.spaceNode.create({ path: { space_id: spaceId }, data: { obj_type: 'docx', node_type: 'origin', title: 'By user' } }, asUser)).data!.node!
    e.createNode(spaceId, { title: 'By someone else', creator: 'someone-else' })

    const me = await client.authen.v1.userInfo.get({}, asUser)
    const userId = me.data!.open_id!
    const list = async () => (await client.wiki.v2.spaceNode.list({ path: { space_id: spaceId }, params: { page_size: 50 } })).data!.items!
    const before = await list()
    const fields = ['creator', 'owner', 'node_creator', 'obj_create_time', 'obj_edit_time', 'node_create_time', 'title', 'obj_token', 'node_token'] as const
    for (const node of before) for (const f of fields) expect(typeof node[f], `${node.title}.${f}`).toBe('string')
    const creators = before.map((n) => n.node_creator)
    expect(new Set(creators).size).toBe(3) // app, user and the other person are three identities
    expect(before.find((n) => n.title === 'By user')!.creator).toBe(userId)
    expect(before.find((n) => n.title === 'By app')!.creator).not.toBe(userId)
    expect(before[0]!.obj_edit_time).toMatch(/^\d{10}$/) // unix seconds as a string

    // A write through the docx API by the user, then (later) a person's edit in the editor.
    clock.advance(60_000)
    await client.docx.v1.documentBlockChildren.create(
      { path: { document_id: byApp.obj_token!, block_id: byApp.obj_token! }, data: { children: [{ block_type: 2, text: { elements: [{ text_run: { content: 'x' } }] } }] } },
      asUser,
    )
    clock.advance(60_000)
    e.personEdit(byUser.obj_token!)
    const after = await list()
    const edit = (title: string, nodes: typeof before) => Number(nodes.find((n) => n.title === title)!.obj_edit_time)
    expect(edit('By app', after)).toBe(edit('By app', before) + 60)
    expect(edit('By user', after)).toBe(edit('By user', before) + 120)
    expect(edit('By someone else', after)).toBe(edit('By someone else', before))

    const metas = await client.drive.v1.meta.batchQuery({
      data: { request_docs: [byApp, byUser].map((n) => ({ doc_token: n.obj_token!, doc_type: 'docx' })) },
    })
    const byToken = new Map(metas.data!.metas!.map((m) => [m.doc_token, m]))
    expect(byToken.get(byApp.obj_token!)).toMatchObject({ latest_modify_user: userId, latest_modify_time: String(edit('By app', after)) })
    expect(byToken.get(byUser.obj_token!)!.latest_modify_user).not.toBe(userId)
    expect(byToken.get(byUser.obj_token!)!.latest_modify_time).toBe(String(edit('By user', after)))
  })
})
