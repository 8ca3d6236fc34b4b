// The document store's contract as the HTTP layer uses it (implemented in ./docx/store.ts by the docx owner).
// A structural interface: index.ts assigns the real store to it, so a drift between the two fails `tsc`.
import type { Clock } from '../core/clock.js'

export type Block = Record<string, unknown> & { block_id?: string; block_type?: number; children?: string[]; parent_id?: string }

export interface Page<T> {
  items: T[]
  page_token?: string
  has_more: boolean
}

export interface DocumentStoreContract {
  createDocument(documentId: string, title: string): void
  has(documentId: string): boolean
  getDocument(documentId: string): { document_id: string; revision_id: number; title: string }
  listBlocks(documentId: string, pageSize: number, pageToken?: string): Page<Block>
  getBlock(documentId: string, blockId: string): Block
  getChildren(documentId: string, blockId: string, pageSize: number, pageToken?: string): Page<Block>
  createChildren(
    documentId: string,
    blockId: string,
    body: { children: Block[]; index?: number },
    clientToken?: string,
  ): { children: Block[]; document_revision_id: number; client_token: string }
  createDescendants(
    documentId: string,
    blockId: string,
    body: { children_id: string[]; descendants: Block[]; index?: number },
    clientToken?: string,
  ): {
    children: Block[]
    block_id_relations: { temporary_block_id: string; block_id: string }[]
    document_revision_id: number
    client_token: string
  }
  batchDelete(
    documentId: string,
    blockId: string,
    body: { start_index: number; end_index: number },
    clientToken?: string,
  ): { document_revision_id: number; client_token: string }
  patch(
    documentId: string,
    blockId: string,
    body: Record<string, unknown>,
    clientToken?: string,
  ): { block: Block; document_revision_id: number; client_token: string }
  batchUpdate(
    documentId: string,
    body: { requests: Record<string, unknown>[] },
    clientToken?: string,
  ): { blocks: Block[]; document_revision_id: number; client_token: string }
  setTitle(documentId: string, title: string): void
  setMediaRelation(lookup: (fileToken: string) => { blockId: string; width?: number; height?: number } | undefined): void
  render(documentId: string): string
  addComment(documentId: string, blockId: string, text: string): string
  comments(documentId: string): { commentId: string; blockId: string; text: string }[]
  editCount(documentId: string): number
}

export type DocumentStoreFactory = new (options: { clock: Clock; newId: (prefix: string) => string }) => DocumentStoreContract
