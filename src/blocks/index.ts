// The docx block model and the pure helpers the publisher uses to write and read documents.
export * from './model.js'
export { countBlocks, DEFAULT_ID_PREFIX, parseDocumentBlocks, preOrder, requestToTree, toDescendantRequest } from './tree.js'
export type { BuiltRequest } from './tree.js'
export { blockFingerprint, canonicalJson, normalizeBlock } from './normalize.js'
export type { Json } from './normalize.js'
export { MAX_BLOCKS_PER_CALL, planDescendantWrites, splitTable } from './chunk.js'
export type { TableRowAppend, TableSplit, WriteStep } from './chunk.js'
export { fnv1a64 } from './hash.js'
