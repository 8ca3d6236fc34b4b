// The docx v1 API: the only module that knows its paths, limits and idempotency rules. Every call goes
// through FeishuClient.request (pacing, retries, errors); nothing here calls fetch.
//
// Writes carry `document_revision_id=-1` (the latest revision) and a `client_token`: "此值非空表示幂等的进行更新操作"
// (a non-empty value makes the update idempotent), https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/patch.
// One UUID is made per logical write and the same request object (query included) is re-sent on every retry,
// so a retry after a lost response is answered from the first attempt instead of writing the content twice.
import { randomUUID } from 'node:crypto'
import { DOCX_LIMITS } from '../blocks/limits.js'
import type { Block, DescendantRequest } from '../blocks/model.js'
import type { FeishuClient } from './client.js'

export { DOCX_LIMITS }

export interface DocumentInfo {
  document_id: string
  revision_id: number
  title: string
}

export interface BlockPage {
  items: Block[]
  page_token?: string
  has_more?: boolean
}

export interface WriteResult {
  document_revision_id?: number
  client_token?: string
}

export interface CreateChildrenResult extends WriteResult {
  children: Block[]
}

export interface CreateDescendantsResult extends WriteResult {
  children: Block[]
  block_id_relations: { temporary_block_id: string; block_id: string }[]
}

/** One operation of the update-block API (exactly one key), without `block_id`. */
export type BlockUpdate =
  | { update_text_elements: { elements: unknown[] } }
  | { update_text_style: { style: Record<string, unknown>; fields: number[] } }
  | { update_text: { elements: unknown[]; style: Record<string, unknown>; fields: number[] } }
  | { replace_image: { token: string } }
  | { insert_table_row: { row_index: number } }
  | { delete_table_rows: { row_start_index: number; row_end_index: number } }
  | { merge_table_cells: { row_start_index: number; row_end_index: number; column_start_index: number; column_end_index: number } }
  | Record<string, unknown>

export type BatchUpdateRequest = { block_id: string } & BlockUpdate

export interface DocxApi {
  getDocument(documentId: string): Promise<DocumentInfo>
  /** One page of the deep, document-ordered block list (the page block first). */
  listBlocksPage(documentId: string, pageSize?: number, pageToken?: string): Promise<BlockPage>
  /** Every block of the document, paging while has_more. */
  listBlocks(documentId: string): Promise<Block[]>
  /** The direct children of a block, paging while has_more. */
  getChildren(documentId: string, blockId: string): Promise<Block[]>
  createChildren(documentId: string, parentId: string, children: Block[], index?: number): Promise<CreateChildrenResult>
  createDescendants(documentId: string, parentId: string, request: DescendantRequest): Promise<CreateDescendantsResult>
  /** Delete the children [startIndex, endIndex) of a block. */
  batchDelete(documentId: string, parentId: string, startIndex: number, endIndex: number): Promise<WriteResult>
  patchBlock(documentId: string, blockId: string, update: BlockUpdate): Promise<WriteResult & { block?: Block }>
  batchUpdate(documentId: string, requests: BatchUpdateRequest[]): Promise<WriteResult & { blocks?: Block[] }>
}

export interface DocxApiOptions {
  /** Makes one client_token per logical write (tests pin it). */
  newClientToken?: () => string
}

const enc = encodeURIComponent

export function createDocxApi(client: FeishuClient, options: DocxApiOptions = {}): DocxApi {
  const newToken = options.newClientToken ?? randomUUID
  const base = (documentId: string) => `/open-apis/docx/v1/documents/${enc(documentId)}`

  function write<T>(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    endpoint: string,
    documentId: string,
    body: unknown,
  ): Promise<T> {
    // The token is made once here; FeishuClient re-sends this same request object on its retries.
    return client.request<T>({
      method,
      path,
      endpoint,
      apiClass: 'docx-write',
      documentId,
      query: { document_revision_id: -1, client_token: newToken() },
      body,
      retrySafe: true,
    })
  }

  async function pages(path: string, endpoint: string, documentId: string): Promise<Block[]> {
    const out: Block[] = []
    let pageToken: string | undefined
    for (;;) {
      const page = await client.request<BlockPage>({
        method: 'GET',
        path,
        endpoint,
        apiClass: 'docx-read',
        documentId,
        query: { page_size: DOCX_LIMITS.pageSize, page_token: pageToken, document_revision_id: -1 },
        retrySafe: true,
      })
      out.push(...(page.items ?? []))
      if (!page.has_more || !page.page_token || page.page_token === pageToken) return out
      pageToken = page.page_token
    }
  }

  return {
    async getDocument(documentId) {
      const data = await client.request<{ document: DocumentInfo }>({
        method: 'GET',
        path: base(documentId),
        endpoint: 'docx.document.get',
        apiClass: 'docx-read',
        documentId,
        retrySafe: true,
      })
      return data.document
    },

    listBlocksPage(documentId, pageSize = DOCX_LIMITS.pageSize, pageToken) {
      return client.request<BlockPage>({
        method: 'GET',
        path: `${base(documentId)}/blocks`,
        endpoint: 'docx.documentBlock.list',
        apiClass: 'docx-read',
        documentId,
        query: { page_size: pageSize, page_token: pageToken, document_revision_id: -1 },
        retrySafe: true,
      })
    },

    listBlocks(documentId) {
      return pages(`${base(documentId)}/blocks`, 'docx.documentBlock.list', documentId)
    },

    getChildren(documentId, blockId) {
      return pages(`${base(documentId)}/blocks/${enc(blockId)}/children`, 'docx.documentBlockChildren.get', documentId)
    },

    createChildren(documentId, parentId, children, index) {
      if (children.length < 1 || children.length > DOCX_LIMITS.createChildren) {
        throw new RangeError(`createChildren takes 1–${DOCX_LIMITS.createChildren} blocks, got ${children.length}`)
      }
      return write(
        'POST',
        `${base(documentId)}/blocks/${enc(parentId)}/children`,
        'docx.documentBlockChildren.create',
        documentId,
        index === undefined ? { children } : { children, index },
      )
    },

    createDescendants(documentId, parentId, request) {
      const n = request.descendants.length
      if (n < 1 || n > DOCX_LIMITS.createDescendants || request.children_id.length < 1) {
        throw new RangeError(`createDescendants takes 1–${DOCX_LIMITS.createDescendants} blocks, got ${n}`)
      }
      return write(
        'POST',
        `${base(documentId)}/blocks/${enc(parentId)}/descendant`,
        'docx.documentBlockDescendant.create',
        documentId,
        request,
      )
    },

    batchDelete(documentId, parentId, startIndex, endIndex) {
      if (!(endIndex > startIndex && startIndex >= 0)) {
        throw new RangeError(`batchDelete needs 0 <= start < end, got [${startIndex}, ${endIndex})`)
      }
      // A DELETE with a JSON body; the range is left-closed, right-open
      // (https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/batch_delete).
      return write(
        'DELETE',
        `${base(documentId)}/blocks/${enc(parentId)}/children/batch_delete`,
        'docx.documentBlockChildren.batchDelete',
        documentId,
        { start_index: startIndex, end_index: endIndex },
      )
    },

    patchBlock(documentId, blockId, update) {
      return write('PATCH', `${base(documentId)}/blocks/${enc(blockId)}`, 'docx.documentBlock.patch', documentId, update)
    },

    batchUpdate(documentId, requests) {
      if (requests.length < 1 || requests.length > DOCX_LIMITS.batchUpdate) {
        throw new RangeError(`batchUpdate takes 1–${DOCX_LIMITS.batchUpdate} requests, got ${requests.length}`)
      }
      // https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/batch_update
      return write(
        'PATCH',
        `${base(documentId)}/blocks/batch_update`,
        'docx.documentBlock.batchUpdate',
        documentId,
        { requests },
      )
    },
  }
}
