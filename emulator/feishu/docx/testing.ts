// Builders for tests and demos that drive the document store directly (no HTTP): a deterministic store,
// write-shaped blocks, descendant items and paging helpers. Imports no test framework.
import { manualClock } from '../../core/clock.js'
import { DocumentStore, type Block } from './store.js'

export const DOC = 'doxcnTestDocument000000000a'

/** A store with deterministic 27-character block ids ("doxcn" + 22 digits), shaped like the HTTP layer's. */
export function makeStore(): DocumentStore {
  let n = 0
  return new DocumentStore({ clock: manualClock(), newId: (prefix) => `${prefix}${String(++n).padStart(22, '0')}` })
}

/** makeStore() plus a document DOC with the given title. */
export function storeWithDoc(title = 'Test document'): DocumentStore {
  const store = makeStore()
  store.createDocument(DOC, title)
  return store
}

/** A text_run element. */
export const run = (content: string, style?: Record<string, unknown>) => ({
  text_run: style ? { content, text_element_style: style } : { content },
})

/** A write-shaped block of a text-like type, e.g. textBlock(13, 'ordered', 'step'). */
export function textBlock(type: number, key: string, content: string, extra: Record<string, unknown> = {}): Block {
  return { block_type: type, [key]: { elements: [run(content)], ...extra } } as unknown as Block
}

export const para = (content: string): Block => textBlock(2, 'text', content)
export const h1 = (content: string): Block => textBlock(3, 'heading1', content)
export const bullet = (content: string): Block => textBlock(12, 'bullet', content)

/** A descendant item: the block with a temporary id and its children's temporary ids. */
export function desc(id: string, block: Block, children: string[] = []): Block {
  return { ...block, block_id: id, children } as Block
}

/** All blocks of a document, following page tokens. */
export function allBlocks(store: DocumentStore, documentId: string, pageSize = 500): Block[] {
  const out: Block[] = []
  let token: string | undefined
  do {
    const page = store.listBlocks(documentId, pageSize, token)
    out.push(...page.items)
    token = page.has_more ? page.page_token : undefined
  } while (token)
  return out
}

/** Ids of the page block's children. */
export function rootChildren(store: DocumentStore, documentId = DOC): string[] {
  return store.getBlock(documentId, documentId).children ?? []
}
