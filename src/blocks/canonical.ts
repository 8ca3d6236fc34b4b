// The one canonical form of a block: what the diff compares, what the marker's content hash covers and what
// the round-trip tests check. It is the same for the block we write and for what Feishu hands back for it.
//
// The rule: compare what we control. A block's canonical form holds only the fields the converter writes
// (CONTROLLED below), each compared against the value Feishu assumes when the field is absent. So
//   - a field we never send never makes a block "changed": server defaults (`style.align: 1`, `folded: false`,
//     the five `false` inline flags), server-chosen values (callout `emoji_id`: larksuite/cli issue #80),
//     picture sizes and placement (image `align: 2`, `width`, `height`, `scale`), a person's column widths,
//     read-only bookkeeping (`merge_info`, `cells`, `comment_ids`, ordered `sequence`) and any field Feishu
//     adds tomorrow;
//   - a field we do send that reads back different (text, inline styles, a link, a code language, a to-do's
//     state, an alignment, a table's size or header row, a callout's colours) makes it changed.
// `__tests__/blocks/canonical.test.ts` checks that every field the converter emits is listed here, so a new
// field the converter starts to send cannot silently escape the comparison.
//
// List or subset, per payload kind (why):
//   - `elements` of a text block: a LIST, compared whole and in order. We write every element of it and a reader
//     sees every one, so an element a person adds or removes is a change to our content. Two normalisations
//     make equal text compare equal: adjacent runs with the same controlled style are one run (the server may
//     split or merge them) and empty runs are dropped (`[{text_run:{content:""}}]` is `[]`).
//   - an element's `text_element_style`: a SUBSET (CONTROLLED.elementStyle) with default false / no link. Link
//     URLs compare percent-decoded: the API stores them url-encoded ("需要 url_encode") and may echo either form.
//   - a text block's `style`: a SUBSET (CONTROLLED.textStyle) with Feishu's defaults (align 1, done false,
//     code language 1 = PlainText). `folded`, `wrap`, `indentation_level`, `background_color`, `sequence`: not
//     ours (we never send them; a reader folding a heading is not a change to the source).
//   - `callout`: a SUBSET (background_color, border_color). `emoji_id` is chosen by the server when not sent.
//   - `image`: NOTHING of the payload. Which picture it shows is compared separately, by the content hash of
//     the asset (DiffKeys.asset in src/sync/apply/block-diff.ts); `align`, `width`, `height`, `scale` are set by Feishu
//     or by a person resizing it.
//   - `board` (a whiteboard): NOTHING of the payload, like an image. Which diagram it shows is compared by the
//     content hash of the diagram's source (DiffKeys.asset); `token` is the whiteboard the server made, `align`,
//     `width`, `height` are placement.
//   - `table.property`: a SUBSET (row_size, column_size, header_row default false, header_column default false),
//     plus the table's merged cells (`merges`: each merge_info entry spanning more than one cell, by position;
//     none when no cell is merged). `column_width` is a person's resizing; `cells` is read-only. The converter
//     writes the merges it wants as `merge_info` in the read shape (merges.ts), so both sides compare alike.
//   - `table_cell`, `quote_container`, `divider`: empty payloads; their content is their children.
//   - children: a LIST (the tree), compared in order by the diff and by canonicalTree.
//   - block types we never write (a sheet, a board a person added): the whole payload, so such a block never
//     compares equal to one of ours and is replaced.
import { fnv1a64 } from './hash.js'
import { tableMerges } from './merges.js'
import { type BlockContent, type BlockNode, BlockType, PAYLOAD_KEY, TEXT_BLOCK_TYPES } from './model.js'

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

/** Each field we write, with the value Feishu assumes when it is absent (undefined: no default). */
export const CONTROLLED = {
  textStyle: { align: 1, done: false, language: undefined },
  elementStyle: {
    bold: false,
    italic: false,
    strikethrough: false,
    underline: false,
    inline_code: false,
    background_color: undefined,
    link: undefined,
  },
  callout: { background_color: undefined, border_color: undefined },
  tableProperty: { row_size: undefined, column_size: undefined, header_row: false, header_column: false },
} as const satisfies Record<string, Record<string, Json | undefined>>

/** code.style.language when none is sent: 1 = PlainText (the language enum of the block data structure). */
const CODE_LANGUAGE_DEFAULT = 1

/** Payload kinds whose payload we write as `{}`: nothing in them is ours. */
const EMPTY_PAYLOADS: ReadonlySet<number> = new Set([BlockType.image, BlockType.board, BlockType.table_cell, BlockType.quote_container, BlockType.divider])

const BOOKKEEPING = new Set(['block_id', 'parent_id', 'children', 'comment_ids', 'block_type'])

/** The canonical form of one block's own content (no ids, no children). */
export function canonicalBlock(block: BlockContent): JsonObject {
  const canonical: JsonObject = { block_type: block.block_type }
  const key = PAYLOAD_KEY[block.block_type]
  if (key === undefined) {
    // A block type we never write: all of it, so it never equals one of ours.
    for (const [name, value] of Object.entries(block)) if (!BOOKKEEPING.has(name)) canonical[name] = toJson(value)
    return canonical
  }
  const payload = block[key]
  canonical[key] = canonicalPayload(block.block_type, isRecord(payload) ? payload : {})
  return canonical
}

/** The canonical form of a block with its subtree. */
export function canonicalTree(node: BlockNode): JsonObject {
  const canonical = canonicalBlock(node.block)
  if (node.children.length > 0) canonical.children = node.children.map(canonicalTree)
  return canonical
}

/** A string key of a block's own content: equal exactly when the canonical forms are equal. */
export function canonicalKey(block: BlockContent): string {
  return canonicalJson(canonicalBlock(block))
}

/** A short content hash of a block subtree (16 hex digits), equal for equal canonical forms. */
export function blockFingerprint(node: BlockNode): string {
  return fnv1a64(canonicalJson(canonicalTree(node)))
}

/** Deterministic JSON: object keys sorted, `undefined` members left out, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function canonicalPayload(blockType: number, payload: Record<string, unknown>): JsonObject {
  if (TEXT_BLOCK_TYPES.has(blockType)) return canonicalTextBody(blockType, payload)
  if (EMPTY_PAYLOADS.has(blockType)) return {}
  switch (blockType) {
    case BlockType.callout:
      return pick(payload, CONTROLLED.callout)
    case BlockType.table: {
      const property = pick(isRecord(payload.property) ? payload.property : {}, CONTROLLED.tableProperty)
      const merges = tableMerges(payload.property)
      if (merges.length > 0) property.merges = merges.map((m) => [m.row, m.column, m.rowSpan, m.colSpan])
      return { property }
    }
    default:
      // A known type the converter does not write (view, task, …): all of it.
      return toJson(payload) as JsonObject
  }
}

function canonicalTextBody(blockType: number, body: Record<string, unknown>): JsonObject {
  const defaults = blockType === BlockType.code ? { ...CONTROLLED.textStyle, language: CODE_LANGUAGE_DEFAULT } : CONTROLLED.textStyle
  const style = pick(isRecord(body.style) ? body.style : {}, defaults)
  const result: JsonObject = { elements: canonicalElements(body.elements) }
  if (Object.keys(style).length > 0) result.style = style
  return result
}

function canonicalElements(elements: unknown): JsonObject[] {
  const result: JsonObject[] = []
  let previousRun: { content: string; styleKey: string } | undefined
  for (const element of Array.isArray(elements) ? elements : []) {
    if (!isRecord(element)) continue
    if (!isRecord(element.text_run)) {
      result.push(canonicalInlineElement(element))
      previousRun = undefined
      continue
    }
    const content = typeof element.text_run.content === 'string' ? element.text_run.content : ''
    if (content === '') continue
    const style = canonicalElementStyle(element.text_run.text_element_style)
    const styleKey = canonicalJson(style)
    const last = result.at(-1)
    if (previousRun && previousRun.styleKey === styleKey && last) {
      previousRun.content += content
      ;(last.text_run as JsonObject).content = previousRun.content
      continue
    }
    previousRun = { content, styleKey }
    result.push({ text_run: style ? { content, text_element_style: style } : { content } })
  }
  return result
}

/** equation, mention_doc and the kinds only people write: the body, its style reduced to what we control. */
function canonicalInlineElement(element: Record<string, unknown>): JsonObject {
  const result: JsonObject = {}
  for (const [kind, value] of Object.entries(element)) {
    if (!isRecord(value)) continue
    const { text_element_style, ...rest } = value
    const body = toJson(rest) as JsonObject
    // Spaces at the ends of an equation render the same (the converter trims them too: src/markdown/inline.ts).
    if (typeof body.content === 'string') body.content = body.content.trim()
    if (typeof body.url === 'string') body.url = decodeUrl(body.url)
    const style = canonicalElementStyle(text_element_style)
    if (style) body.text_element_style = style
    result[kind] = body
  }
  return result
}

function canonicalElementStyle(style: unknown): JsonObject | undefined {
  if (!isRecord(style)) return undefined
  const result = pick(style, CONTROLLED.elementStyle)
  if (isRecord(result.link)) result.link = { url: decodeUrl(String(result.link.url ?? '')) }
  return Object.keys(result).length > 0 ? result : undefined
}

/** The controlled fields of `record`, each left out when absent or equal to its default. */
function pick(record: Record<string, unknown>, controlled: Readonly<Record<string, Json | undefined>>): JsonObject {
  const result: JsonObject = {}
  for (const [field, fallback] of Object.entries(controlled)) {
    const value = record[field]
    if (value === undefined || value === null || value === fallback) continue
    result[field] = toJson(value)
  }
  return result
}

function decodeUrl(url: string): string {
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
}

function toJson(value: unknown): Json {
  return JSON.parse(canonicalJson(value)) as Json
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
