// The Feishu docx block model, as the Open API writes and reads it.
// Shapes: https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/block-data-structure
// and the official @larksuiteoapi/node-sdk types. Pure types and helpers: no I/O.

/** block_type numbers this project writes or must understand on read. */
export const BlockType = {
  page: 1,
  text: 2,
  heading1: 3,
  heading2: 4,
  heading3: 5,
  heading4: 6,
  heading5: 7,
  heading6: 8,
  heading7: 9,
  heading8: 10,
  heading9: 11,
  bullet: 12,
  ordered: 13,
  code: 14,
  quote: 15,
  equation: 16,
  todo: 17,
  callout: 19,
  divider: 22,
  image: 27,
  table: 31,
  table_cell: 32,
  view: 33,
  quote_container: 34,
  task: 35,
  board: 43,
} as const

export type BlockTypeName = keyof typeof BlockType

/** The payload key a block of each known type carries (`{block_type: 2, text: {...}}`). */
export const PAYLOAD_KEY: Readonly<Record<number, BlockTypeName>> = Object.fromEntries(
  Object.entries(BlockType).map(([name, type]) => [type, name as BlockTypeName]),
)

/** Block types whose payload is a TextBody (`{style?, elements}`). */
export const TEXT_BLOCK_TYPES: ReadonlySet<number> = new Set([
  BlockType.page,
  BlockType.text,
  BlockType.heading1,
  BlockType.heading2,
  BlockType.heading3,
  BlockType.heading4,
  BlockType.heading5,
  BlockType.heading6,
  BlockType.heading7,
  BlockType.heading8,
  BlockType.heading9,
  BlockType.bullet,
  BlockType.ordered,
  BlockType.code,
  BlockType.quote,
  BlockType.equation,
  BlockType.todo,
])

/** The heading block type for Markdown heading depth 1..6 (heading1 = 3 … heading6 = 8). */
export function headingBlockType(depth: number): number {
  return BlockType.heading1 + Math.min(Math.max(depth, 1), 9) - 1
}

export interface TextElementStyle {
  bold?: boolean
  italic?: boolean
  strikethrough?: boolean
  underline?: boolean
  inline_code?: boolean
  background_color?: number
  text_color?: number
  /** `url` is percent-encoded, as the API requires ("需要 url_encode"). */
  link?: { url: string }
  comment_ids?: string[]
}

/** Inline elements. We write text_run and equation; the others appear when reading documents people edited. */
export type TextElement =
  | { text_run: { content: string; text_element_style?: TextElementStyle } }
  | { equation: { content: string; text_element_style?: TextElementStyle } }
  | {
      mention_doc: {
        token: string
        obj_type: number
        url?: string
        title?: string
        text_element_style?: TextElementStyle
      }
    }
  | { mention_user: { user_id: string; text_element_style?: TextElementStyle } }
  | { reminder: Record<string, unknown> }
  | { file: Record<string, unknown> }
  | { inline_block: Record<string, unknown> }
  | { link_preview: Record<string, unknown> }

export interface TextStyle {
  /** 1 left (the default), 2 center, 3 right. */
  align?: 1 | 2 | 3
  done?: boolean
  folded?: boolean
  language?: number
  wrap?: boolean
  background_color?: string
  indentation_level?: 'NoIndent' | 'OneLevelIndent'
  /**
   * Ordered-list number. READ-ONLY: the server reports it, but the official descendant request schema has no
   * `sequence` (schemas/feishu/docx.v1.documentBlockDescendant.create.json, text styles are
   * additionalProperties:false), so a list's start number cannot be written.
   */
  sequence?: string
}

export interface TextBody {
  style?: TextStyle
  elements: TextElement[]
}

/**
 * `callout` payload. The request schema and the SDK's request types have no `emoji_id` (only responses carry it,
 * and the server picks a default emoji), so we never write it.
 */
export interface CalloutPayload {
  background_color?: number
  border_color?: number
  text_color?: number
  emoji_id?: string
}

export interface TableProperty {
  row_size: number
  column_size: number
  column_width?: number[]
  header_row?: boolean
  header_column?: boolean
  /** Read-only: sending it makes the descendant call fail. */
  merge_info?: { row_span?: number; col_span?: number }[]
}

export interface TablePayload {
  property: TableProperty
  /** Read-only: the row-major table_cell ids, only on read. */
  cells?: string[]
}

/**
 * One block. `block_id` is a temporary id in a `descendant` request and the server's id on read.
 * Exactly one payload key matching `block_type` is present (`text`, `heading1`, `table`, …).
 */
export interface Block {
  block_id: string
  block_type: number
  parent_id?: string
  children?: string[]
  comment_ids?: string[]
  [payload: string]: unknown
}

/** Body of POST /open-apis/docx/v1/documents/:document_id/blocks/:block_id/descendant. */
export interface DescendantRequest {
  index?: number
  children_id: string[]
  descendants: Block[]
}

/** A block's own content, without the ids that tie it into a document. */
export interface BlockContent {
  block_type: number
  [payload: string]: unknown
}

/**
 * A block with its child blocks as a tree. The converter builds these (content only, ids assigned when the
 * request is made); `parseDocumentBlocks` builds them from what the server returns (full server blocks).
 */
export interface BlockNode<B extends BlockContent = BlockContent> {
  block: B
  children: BlockNode<B>[]
}
