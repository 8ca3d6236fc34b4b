// Docx routes (wired to the document store), drive media upload, request/field validation, docx access checks
// and the docx rate limits of the Feishu emulator.
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock } from '../../emulator/core/clock.js'
import { type FeishuEmulator, type FeishuEmulatorOptions, ROUTE, startFeishuEmulator } from '../../emulator/feishu/index.js'
import { type Answer, FeishuHttp } from './feishu-http.js'

let emulator: FeishuEmulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

class Api extends FeishuHttp {

  async upload(fields: Record<string, string>, bytes: Uint8Array, fileName = 'a.png'): Promise<Answer> {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.set(k, v)
    form.set('file', new Blob([bytes]), fileName)
    const res = await fetch(`${this.base}/open-apis/drive/v1/medias/upload_all`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}` },
      body: form,
    })
    return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers }
  }
}

const text = (content: string) => ({ block_type: 2, text: { elements: [{ text_run: { content } }] } })

/** A 3×2 PNG header (the size is all the emulator reads). */
function png(width: number, height: number): Uint8Array {
  const b = Buffer.alloc(33)
  b.writeUInt32BE(0x89504e47, 0)
  b.writeUInt32BE(0x0d0a1a0a, 4)
  b.writeUInt32BE(13, 8)
  b.write('IHDR', 12, 'latin1')
  b.writeUInt32BE(width, 16)
  b.writeUInt32BE(height, 20)
  return new Uint8Array(b)
}

async function start(options: FeishuEmulatorOptions = {}) {
  const e = (emulator = await startFeishuEmulator(options))
  const api = new Api(e.url, e.issueUserAccessToken())
  const space = e.createSpace()
  const { node_token, obj_token: doc } = e.createNode(space, { title: 'Guide' })
  return { e, api, space, node_token, doc }
}

describe('docx routes', () => {
  it('a new node hosts an empty docx whose page block id is the obj_token and whose title is the node title', async () => {
    const { api, doc } = await start()
    const got = await api.send('GET', `/open-apis/docx/v1/documents/${doc}`)
    expect(got.body).toMatchObject({ code: 0, data: { document: { document_id: doc, title: 'Guide' } } })
    const blocks = await api.send('GET', `/open-apis/docx/v1/documents/${doc}/blocks`)
    expect(blocks.body.data.items).toHaveLength(1)
    expect(blocks.body.data.items[0]).toMatchObject({ block_id: doc, block_type: 1 })
    expect(blocks.body.data.has_more).toBe(false)
  })

  it('creates, reads, patches, batch-updates and deletes blocks through the store', async () => {
    const clock = manualClock()
    const { e, api, space, doc, node_token } = await start({ clock })
    const created = await api.send('POST', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/children?document_revision_id=-1&client_token=t1`, {
      children: [text('one'), text('two'), text('three')],
      index: 0,
    })
    expect(created.status).toBe(200)
    const ids = created.body.data.children.map((b: { block_id: string }) => b.block_id)
    expect(ids).toHaveLength(3)
    expect(created.body.data.client_token).toBe('t1')
    const children = await api.send('GET', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/children?page_size=2`)
    expect(children.body.data.items.map((b: { block_id: string }) => b.block_id)).toEqual(ids.slice(0, 2))
    expect(children.body.data.has_more).toBe(true)
    const one = await api.send('GET', `/open-apis/docx/v1/documents/${doc}/blocks/${ids[1]}`)
    expect(one.body.data.block.parent_id).toBe(doc)
    clock.advance(2000)
    const patched = await api.send('PATCH', `/open-apis/docx/v1/documents/${doc}/blocks/${ids[0]}`, {
      update_text_elements: { elements: [{ text_run: { content: 'ONE' } }] },
    })
    expect(patched.body.code).toBe(0)
    expect(Number(e.nodes(space).find((n) => n.node_token === node_token)!.obj_edit_time)).toBe(Math.floor(clock.now() / 1000))
    const batch = await api.send('PATCH', `/open-apis/docx/v1/documents/${doc}/blocks/batch_update`, {
      requests: [{ block_id: ids[1], update_text_elements: { elements: [{ text_run: { content: 'TWO' } }] } }],
    })
    expect(batch.body.data.blocks).toHaveLength(1)
    clock.advance(1000) // the document takes 3 edits per second
    const del = await api.send('DELETE', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/children/batch_delete`, { start_index: 2, end_index: 3 })
    expect(del.body.data.document_revision_id).toBeTypeOf('number')
    const desc = await api.send('POST', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/descendant`, {
      index: -1,
      children_id: ['tmp_tbl'],
      descendants: [
        { block_id: 'tmp_tbl', block_type: 31, table: { property: { row_size: 1, column_size: 2 } }, children: ['c1', 'c2'] },
        { block_id: 'c1', block_type: 32, table_cell: {}, children: ['t1'] },
        { block_id: 't1', ...text('a'), children: [] },
        { block_id: 'c2', block_type: 32, table_cell: {}, children: ['t2'] },
        { block_id: 't2', ...text('b'), children: [] },
      ],
    })
    expect(desc.status).toBe(200)
    expect(desc.body.data.block_id_relations.map((r: { temporary_block_id: string }) => r.temporary_block_id).sort()).toEqual(['c1', 'c2', 't1', 't2', 'tmp_tbl'])
    expect(e.docs.render(doc)).toContain('ONE')
    expect(e.docs.editCount(doc)).toBeGreaterThanOrEqual(5)
    expect(e.schemaViolations).toEqual([])
  })

  it('maps store errors to the envelope (DocxError code and HTTP status)', async () => {
    const { api, doc } = await start()
    const res = await api.send('GET', `/open-apis/docx/v1/documents/${doc}/blocks/doxcnNOSUCHBLOCK`)
    expect([res.status, res.body.code]).toEqual([404, 1770002])
    expect(res.body.error.log_id).toBe(res.headers.get('x-tt-logid'))
    const badIndex = await api.send('POST', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/children`, { children: [text('x')], index: 99 })
    expect([badIndex.status, badIndex.body.code]).toEqual([400, 1770001])
  })

  it('checks document access: unknown 404/1770002, other space 403/1770032, tenant token needs the app in the space', async () => {
    const { e, api } = await start()
    expect((await api.send('GET', '/open-apis/docx/v1/documents/doxcnUNKNOWN')).body.code).toBe(1770002)
    const closed = e.createSpace({ userIsMember: false })
    const hidden = e.createNode(closed, { title: 'secret', creator: 'someone-else' })
    const denied = await api.send('GET', `/open-apis/docx/v1/documents/${hidden.obj_token}`)
    expect([denied.status, denied.body.code]).toEqual([403, 1770032])
    const write = await api.send('POST', `/open-apis/docx/v1/documents/${hidden.obj_token}/blocks/${hidden.obj_token}/children`, { children: [text('x')] })
    expect([write.status, write.body.code]).toEqual([403, 1770032])
    const tenant = (await (
      await fetch(`${e.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        body: JSON.stringify({ app_id: 'cli_emulator', app_secret: 'emulator-app-secret' }),
        headers: { 'content-type': 'application/json' },
      })
    ).json()) as { tenant_access_token: string }
    const bot = new Api(e.url, tenant.tenant_access_token)
    const appSpace = e.createSpace({ appIsMember: true })
    const appDoc = e.createNode(appSpace, { title: 'bot', creator: 'app' })
    expect((await bot.send('GET', `/open-apis/docx/v1/documents/${appDoc.obj_token}`)).body.code).toBe(0)
    expect((await bot.send('GET', `/open-apis/docx/v1/documents/${hidden.obj_token}`)).body.code).toBe(1770032)
  })

  it('refuses a revision newer than the document', async () => {
    const { api, doc } = await start()
    const res = await api.send('GET', `/open-apis/docx/v1/documents/${doc}/blocks?document_revision_id=999`)
    expect(res.body.code).toBe(1770001)
  })
})

describe('validation', () => {
  it('answers declared size limits like the gateway: HTTP 400, 99992402, field_violations', async () => {
    const { e, api, doc } = await start()
    const many = Array.from({ length: 51 }, (_, i) => text(`b${i}`))
    const res = await api.send('POST', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/children`, { children: many })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ code: 99992402, msg: 'field validation failed' })
    expect(res.body.error.field_violations).toEqual([{ field: 'children', description: 'the max len is 50' }])
    const desc = await api.send('POST', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/descendant`, {
      children_id: Array.from({ length: 1001 }, (_, i) => `t${i}`),
      descendants: Array.from({ length: 1001 }, (_, i) => ({ block_id: `t${i}`, ...text('x'), children: [] })),
    })
    expect(desc.body.error.field_violations.map((v: { field: string }) => v.field)).toEqual(['children_id', 'descendants'])
    const batch = await api.send('PATCH', `/open-apis/docx/v1/documents/${doc}/blocks/batch_update`, {
      requests: Array.from({ length: 201 }, () => ({ block_id: doc, update_text_elements: { elements: [] } })),
    })
    expect(batch.body.error.field_violations).toEqual([{ field: 'requests', description: 'the max len is 200' }])
    expect(e.docs.editCount(doc)).toBe(0)
    expect(e.schemaViolations.map((v) => v.route)).toEqual([ROUTE.childrenCreate, ROUTE.descendantCreate, ROUTE.blockBatchUpdate])
  })

  it('rejects schema violations with the family code and records them', async () => {
    const { e, api, doc, space } = await start()
    const styled = await api.send('POST', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/children`, {
      children: [{ block_type: 2, text: { elements: [{ text_run: { content: 'x', text_element_style: { Bold: true } } }] } }],
    })
    expect([styled.status, styled.body.code]).toEqual([400, 1770001])
    const wiki = await api.send('POST', `/open-apis/wiki/v2/spaces/${space}/nodes`, { obj_type: 'docx', node_type: 'origin', titel: 'typo' })
    expect([wiki.status, wiki.body.code]).toEqual([400, 131002])
    const query = await api.send('GET', `/open-apis/docx/v1/documents/${doc}/blocks?bogus=1`)
    expect(query.body.code).toBe(1770001)
    expect(e.schemaViolations).toHaveLength(3)
    expect(e.schemaViolations[0]!.errors.join('\n')).toContain('additionalProperty')
    expect(e.schemaViolations[1]).toMatchObject({ route: ROUTE.nodeCreate })
  })

  it('rejects read-only fields on write even where the schema allows them', async () => {
    const { e, api, doc } = await start()
    const image = await api.send('POST', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/descendant`, {
      children_id: ['i'],
      descendants: [{ block_id: 'i', block_type: 27, image: { token: 'boxcnX', width: 10, height: 10 }, children: [] }],
    })
    expect(image.body.code).toBe(1770001)
    const merge = await api.send('POST', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/descendant`, {
      children_id: ['t'],
      descendants: [
        { block_id: 't', block_type: 31, table: { property: { row_size: 1, column_size: 1, merge_info: [{ row_span: 1, col_span: 1 }] } }, children: ['c'] },
        { block_id: 'c', block_type: 32, table_cell: {}, children: ['x'] },
        { block_id: 'x', ...text('x'), children: [] },
      ],
    })
    expect(merge.body.code).toBe(1770001)
    const errors = e.schemaViolations.flatMap((v) => v.errors).join('\n')
    expect(errors).toContain('image/token cannot be set at creation')
    expect(errors).toContain('merge_info is read-only')
  })

  it('can be switched off (validateRequests: false), leaving the store its own checks', async () => {
    const { e, api, doc } = await start({ validateRequests: false })
    expect((await api.send('GET', `/open-apis/docx/v1/documents/${doc}/blocks?bogus=1`)).body.code).toBe(0)
    expect(e.schemaViolations).toEqual([])
  })
})

describe('drive upload_all and the image relation', () => {
  it('uploads for the image block; replace_image on that block works, on another block answers 1770013', async () => {
    const clock = manualClock()
    const { e, api, doc } = await start({ clock })
    const created = await api.send('POST', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/children`, {
      children: [{ block_type: 27, image: {} }, { block_type: 27, image: {} }],
    })
    const [img1, img2] = created.body.data.children.map((b: { block_id: string }) => b.block_id)
    const bytes = png(640, 480)
    const up = await api.upload(
      { file_name: 'a.png', parent_type: 'docx_image', parent_node: img1, size: String(bytes.length), extra: JSON.stringify({ drive_route_token: doc }) },
      bytes,
    )
    expect(up.status).toBe(200)
    const token = up.body.data.file_token
    expect(token).toBeTypeOf('string')
    expect(e.uploads()[0]).toMatchObject({ fileToken: token, parentNode: img1, documentId: doc, size: bytes.length })
    const wrong = await api.send('PATCH', `/open-apis/docx/v1/documents/${doc}/blocks/${img2}`, { replace_image: { token } })
    expect([wrong.status, wrong.body.code]).toEqual([400, 1770013])
    const right = await api.send('PATCH', `/open-apis/docx/v1/documents/${doc}/blocks/${img1}`, { replace_image: { token } })
    expect(right.body.code).toBe(0)
    expect(right.body.data.block.image).toMatchObject({ token, width: 640, height: 480 })
    // Uploading for the document id (a common mistake) is accepted, but the relation then mismatches.
    clock.advance(1000)
    const toDoc = await api.upload({ file_name: 'b.png', parent_type: 'docx_image', parent_node: doc, size: String(bytes.length) }, bytes)
    const mismatch = await api.send('PATCH', `/open-apis/docx/v1/documents/${doc}/blocks/batch_update`, {
      requests: [{ block_id: img2, replace_image: { token: toDoc.body.data.file_token } }],
    })
    expect(mismatch.body.code).toBe(1770013)
  })

  it('checks the form: size must equal the bytes, ≤ 20 MB, file_name ≤ 250, a known upload point', async () => {
    const { api, doc } = await start()
    const bytes = png(1, 1)
    const base = { file_name: 'a.png', parent_type: 'docx_image', parent_node: doc, size: String(bytes.length) }
    expect((await api.upload({ ...base, size: '5' }, bytes)).body.code).toBe(1062009)
    expect((await api.upload({ ...base, file_name: 'x'.repeat(251) }, bytes)).body.code).toBe(1061002)
    expect((await api.upload({ ...base, parent_type: 'nope' }, bytes)).body.code).toBe(1061002)
    expect((await api.upload({ ...base, parent_node: 'doxcnNOWHERE' }, bytes)).body.code).toBe(1061044)
    const big = new Uint8Array(20 * 1024 * 1024 + 1)
    const tooBig = await api.upload({ ...base, size: String(big.length) }, big)
    expect([tooBig.status, tooBig.body.code]).toEqual([400, 1061043])
  })

  it('answers metas batch_query with tenant URLs', async () => {
    const { api, doc, node_token } = await start()
    const res = await api.send('POST', '/open-apis/drive/v1/metas/batch_query', {
      request_docs: [
        { doc_token: node_token, doc_type: 'wiki' },
        { doc_token: doc, doc_type: 'docx' },
        { doc_token: 'nope', doc_type: 'docx' },
      ],
      with_url: true,
    })
    expect(res.body.data.metas.map((m: { url: string }) => m.url)).toEqual([
      `https://emulator.feishu.cn/wiki/${node_token}`,
      `https://emulator.feishu.cn/docx/${doc}`,
    ])
    expect(res.body.data.failed_list).toEqual([{ token: 'nope', code: 970005 }])
  })
})

describe('docx rate limits', () => {
  it('app writes: 3/s per API → HTTP 400 + 99991400; document edits: 3/s combined → HTTP 429', async () => {
    const clock = manualClock()
    const { e, api, space, doc } = await start({ clock })
    const other = e.createNode(space, { title: 'Other' }).obj_token
    const add = (d: string) => api.send('POST', `/open-apis/docx/v1/documents/${d}/blocks/${d}/children`, { children: [text('x')] })
    expect((await add(doc)).status).toBe(200)
    expect((await add(doc)).status).toBe(200)
    expect((await add(other)).status).toBe(200)
    const app = await add(other)
    expect([app.status, app.body.code, app.headers.get('x-ogw-ratelimit-limit'), app.headers.get('x-ogw-ratelimit-reset')]).toEqual([400, 99991400, '3', '1'])
    clock.advance(1000)
    // Three edits of one document through three different APIs, then a fourth edit of any kind: 429.
    expect((await add(doc)).status).toBe(200)
    expect((await api.send('PATCH', `/open-apis/docx/v1/documents/${doc}/blocks/batch_update`, { requests: [{ block_id: doc, update_text_elements: { elements: [{ text_run: { content: 'T' } }] } }] })).status).toBe(200)
    expect((await api.send('DELETE', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/children/batch_delete`, { start_index: 0, end_index: 1 })).status).toBe(200)
    const perDoc = await api.send('PATCH', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}`, { update_text_elements: { elements: [{ text_run: { content: 'U' } }] } })
    expect([perDoc.status, perDoc.body.code]).toEqual([429, 99991400])
    expect(e.throttled.total).toBe(2)
    expect(e.throttled.byRoute).toEqual({ [ROUTE.childrenCreate]: 1, [ROUTE.blockPatch]: 1 })
  })

  it('app reads: 5/s → HTTP 400 + 99991400', async () => {
    const clock = manualClock()
    const { api, doc } = await start({ clock })
    for (let i = 0; i < 5; i++) expect((await api.send('GET', `/open-apis/docx/v1/documents/${doc}/blocks`)).status).toBe(200)
    const res = await api.send('GET', `/open-apis/docx/v1/documents/${doc}/blocks`)
    expect([res.status, res.body.code]).toEqual([400, 99991400])
    expect((await api.send('GET', `/open-apis/docx/v1/documents/${doc}/blocks/${doc}/children`)).status).toBe(200)
  })

  it('upload_all: 5/s → 429', async () => {
    const clock = manualClock()
    const { api, doc } = await start({ clock })
    const bytes = png(1, 1)
    const fields = { file_name: 'a.png', parent_type: 'docx_image', parent_node: doc, size: String(bytes.length) }
    for (let i = 0; i < 5; i++) expect((await api.upload(fields, bytes)).status).toBe(200)
    const res = await api.upload(fields, bytes)
    expect([res.status, res.body.code, res.headers.get('x-ogw-ratelimit-limit')]).toEqual([429, 99991400, '5'])
  })
})
