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
} as const

export type BlockTypeName = keyof typeof BlockType

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

export interface TextStyle {
  align?: 1 | 2 | 3
  done?: boolean
  folded?: boolean
  language?: number
  wrap?: boolean
  background_color?: string
  indentation_level?: 'NoIndent' | 'OneLevelIndent'
  /** Ordered-list number. The write schema accepts it ("auto" or a number as string). */
  sequence?: string
}

export interface TextBody {
  style?: TextStyle
  elements: TextElement[]
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
