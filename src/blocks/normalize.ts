// A canonical form of a block subtree that is the same for what we write and for what the server returns for
// it, so an unchanged document compares equal. It keeps what a reader sees (types, text, inline styles, links,
// list/todo/code/table/callout settings, structure) and drops:
// - ids and server bookkeeping: block_id, parent_id, children ids (structure comes from the tree), comment_ids;
// - read-only fields: table.cells, table.property.merge_info (sending it fails the create call, per the SDK's
//   convert doc comment), image token/width/height/scale/align (set by the upload flow, not by us);
// - defaults the server fills in: style.align 1, folded/wrap/done false, indentation_level "NoIndent",
//   header_row/header_column false, column_width, false inline-style flags (real documents carry
//   `{"bold":false,"italic":false,...}`), callout emoji_id (the server picks one: larksuite/cli issue #80);
// - the read-only ordered-list `style.sequence`.
// Link URLs are compared percent-decoded (the API stores them url-encoded), adjacent runs with the same style
// are merged and empty runs dropped (so `[{"text_run":{"content":""}}]` equals `[]`).
import { fnv1a64 } from './hash.js'
import { type BlockContent, type BlockNode, BlockType, PAYLOAD_KEY, TEXT_BLOCK_TYPES } from './model.js'

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

const BLOCK_BOOKKEEPING = new Set(['block_id', 'parent_id', 'children', 'comment_ids', 'block_type'])
const STYLE_DEFAULTS: Readonly<Record<string, unknown>> = {
  align: 1,
  folded: false,
  wrap: false,
  done: false,
  indentation_level: 'NoIndent',
}

/** The canonical form of a block and its subtree. */
export function normalizeBlock(node: BlockNode): { [key: string]: Json } {
  const { block } = node
  const normalized: { [key: string]: Json } = { block_type: block.block_type }
  for (const [key, value] of payloadEntries(block)) normalized[key] = normalizePayload(block.block_type, value)
  if (node.children.length > 0) normalized.children = node.children.map(normalizeBlock)
  return normalized
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

/** A short content hash of a block subtree (16 hex digits), equal for equal canonical forms. */
export function blockFingerprint(node: BlockNode): string {
  return fnv1a64(canonicalJson(normalizeBlock(node)))
}

/** The payload of a known block type is its one matching key; for unknown types every non-bookkeeping key. */
function payloadEntries(block: BlockContent): [string, unknown][] {
  const key = PAYLOAD_KEY[block.block_type]
  if (key !== undefined) return key in block ? [[key, block[key]]] : []
  return Object.entries(block).filter(([name]) => !BLOCK_BOOKKEEPING.has(name))
}

function normalizePayload(blockType: number, payload: unknown): Json {
  if (!isRecord(payload)) return toJson(payload)
  if (TEXT_BLOCK_TYPES.has(blockType)) return normalizeTextBody(payload)
  switch (blockType) {
    case BlockType.table:
      return normalizeTable(payload)
    case BlockType.image:
      return normalizeImage(payload)
    case BlockType.callout:
      return toJson(omit(payload, ['emoji_id']))
    default:
      return toJson(payload)
  }
}

function normalizeTextBody(body: Record<string, unknown>): Json {
  const result: { [key: string]: Json } = { elements: normalizeElements(body.elements) }
  const style = isRecord(body.style) ? normalizeTextStyle(body.style) : {}
  if (Object.keys(style).length > 0) result.style = style
  return result
}

function normalizeTextStyle(style: Record<string, unknown>): { [key: string]: Json } {
  const result: { [key: string]: Json } = {}
  for (const [key, value] of Object.entries(style)) {
    if (key === 'sequence' || value === undefined || STYLE_DEFAULTS[key] === value) continue
    result[key] = toJson(value)
  }
  return result
}

function normalizeElements(elements: unknown): Json[] {
  const result: { [key: string]: Json }[] = []
  let previousRun: { content: string; styleKey: string } | undefined
  for (const element of Array.isArray(elements) ? elements : []) {
    if (!isRecord(element)) continue
    if (!isRecord(element.text_run)) {
      result.push(normalizeInlineElement(element))
      previousRun = undefined
      continue
    }
    const content = typeof element.text_run.content === 'string' ? element.text_run.content : ''
    if (content === '') continue
    const style = normalizeElementStyle(element.text_run.text_element_style)
    const styleKey = canonicalJson(style)
    const last = result.at(-1)
    if (previousRun && previousRun.styleKey === styleKey && last) {
      previousRun.content += content
      ;(last.text_run as { [key: string]: Json }).content = previousRun.content
      continue
    }
    previousRun = { content, styleKey }
    result.push({ text_run: style ? { content, text_element_style: style } : { content } })
  }
  return result
}

function normalizeInlineElement(element: Record<string, unknown>): { [key: string]: Json } {
  const result: { [key: string]: Json } = {}
  for (const [kind, value] of Object.entries(element)) {
    if (!isRecord(value)) continue
    const body: { [key: string]: Json } = toJson(omit(value, ['text_element_style'])) as { [key: string]: Json }
    if (typeof body.content === 'string') body.content = body.content.trim()
    const style = normalizeElementStyle(value.text_element_style)
    if (style) body.text_element_style = style
    result[kind] = body
  }
  return result
}

function normalizeElementStyle(style: unknown): { [key: string]: Json } | undefined {
  if (!isRecord(style)) return undefined
  const result: { [key: string]: Json } = {}
  for (const [key, value] of Object.entries(style)) {
    if (key === 'comment_ids' || value === false || value === undefined || value === null) continue
    if (key === 'link' && isRecord(value)) result.link = { url: decodeUrl(String(value.url ?? '')) }
    else result[key] = toJson(value)
  }
  return Object.keys(result).length > 0 ? result : undefined
}

function normalizeTable(table: Record<string, unknown>): Json {
  const property = isRecord(table.property) ? table.property : {}
  const kept: { [key: string]: Json } = {}
  for (const [key, value] of Object.entries(property)) {
    if (key === 'merge_info' || key === 'column_width' || value === false || value === undefined) continue
    kept[key] = toJson(value)
  }
  return { property: kept }
}

function normalizeImage(image: Record<string, unknown>): Json {
  const caption = isRecord(image.caption) ? image.caption.content : undefined
  return typeof caption === 'string' && caption !== '' ? { caption: { content: caption } } : {}
}

function decodeUrl(url: string): string {
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
}

function omit(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)))
}

function toJson(value: unknown): Json {
  return JSON.parse(canonicalJson(value)) as Json
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
