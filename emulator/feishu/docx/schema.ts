// Block schema for the docx emulator: block types, payload validation for writes, and the defaults the real
// server adds when it stores a block. Pure functions; nothing here knows about documents.
//
// Sources (see GUESSES.md for everything that is not one of these):
//  - block_type enum and payload keys: https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/data-structure/block
//    (https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/block-data-structure)
//  - request schemas: lark-mcp 0.5.1 zod definitions (schemas/feishu/docx.v1.*.json); every object there is
//    `additionalProperties:false`, so unknown keys are rejected here too.
//  - read-only fields (parent_id, page, table.cells, table.property.merge_info, image token/width/height):
//    offline-fidelity.md §3, checked against the five recorded feishu-docx documents.
//  - text_element_style defaults (`bold/inline_code/italic/strikethrough/underline: false`) and text style
//    defaults (`align: 1, folded: false`): the recorded documents case3/case4 and
//    https://github.com/larksuite/cli/issues/316 (a heading created through the API reads back
//    `"style": {"align": 1, "folded": false}`).

import { DocxError } from './errors.js'

export const PAGE = 1
export const TEXT = 2
export const BULLET = 12
export const ORDERED = 13
export const CODE = 14
export const QUOTE = 15
export const TODO = 17
export const BITABLE = 18
export const CALLOUT = 19
export const DIVIDER = 22
export const FILE = 23
export const GRID = 24
export const GRID_COLUMN = 25
export const IMAGE = 27
export const SHEET = 30
export const TABLE = 31
export const TABLE_CELL = 32
export const VIEW = 33
export const QUOTE_CONTAINER = 34
export const TASK = 35
export const OKR = 36
export const BOARD = 43
export const UNDEFINED_BLOCK = 999

/** block_type → payload key (complete enum; there is no 16). */
export const BLOCK_KEYS: Readonly<Record<number, string>> = Object.freeze({
  1: 'page', 2: 'text', 3: 'heading1', 4: 'heading2', 5: 'heading3', 6: 'heading4', 7: 'heading5', 8: 'heading6',
  9: 'heading7', 10: 'heading8', 11: 'heading9', 12: 'bullet', 13: 'ordered', 14: 'code', 15: 'quote', 17: 'todo',
  18: 'bitable', 19: 'callout', 20: 'chat_card', 21: 'diagram', 22: 'divider', 23: 'file', 24: 'grid',
  25: 'grid_column', 26: 'iframe', 27: 'image', 28: 'isv', 29: 'mindnote', 30: 'sheet', 31: 'table',
  32: 'table_cell', 33: 'view', 34: 'quote_container', 35: 'task', 36: 'okr', 37: 'okr_objective',
  38: 'okr_key_result', 39: 'okr_progress', 40: 'add_ons', 41: 'jira_issue', 42: 'wiki_catalog', 43: 'board',
  44: 'agenda', 45: 'agenda_item', 46: 'agenda_item_title', 47: 'agenda_item_content', 48: 'link_preview',
  49: 'source_synced', 50: 'reference_synced', 51: 'sub_page_list', 52: 'ai_template', 999: 'undefined',
})

const PAYLOAD_KEYS = new Set(Object.values(BLOCK_KEYS))

export function headingLevel(type: number): number {
  return type >= 3 && type <= 11 ? type - 2 : 0
}

/** Blocks whose payload is a TextBlock `{style?, elements}`. */
export function isTextType(type: number): boolean {
  return type === PAGE || type === TEXT || headingLevel(type) > 0 || type === BULLET || type === ORDERED ||
    type === CODE || type === QUOTE || type === TODO
}

/** Block types this emulator can create. Other known types get 1770029 with a message saying so. */
const MODELED_CREATE = new Set([TEXT, 3, 4, 5, 6, 7, 8, 9, 10, 11, BULLET, ORDERED, CODE, QUOTE, TODO, CALLOUT, DIVIDER,
  GRID, GRID_COLUMN, IMAGE, TABLE, TABLE_CELL, QUOTE_CONTAINER, BOARD])

/**
 * Which blocks may hold children at all (1770028 otherwise). Text-like blocks nest (the recorded documents
 * have text, bullet and ordered blocks with children); code, quote, divider, image, file... do not.
 * Table and grid hold only their cells / columns, which come with the table or grid itself or from
 * insert_table_row/column, so creating children under them is refused too.
 */
export function canHoldChildren(type: number): boolean {
  return type === PAGE || type === TEXT || headingLevel(type) > 0 || type === BULLET || type === ORDERED ||
    type === TODO || type === TASK || type === CALLOUT || type === GRID_COLUMN || type === TABLE_CELL ||
    type === QUOTE_CONTAINER || type === VIEW || type === UNDEFINED_BLOCK
}

/** Children a Callout may contain (docx overview, "父子关系限制": https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/docx-overview). */
const CALLOUT_CHILDREN = new Set([TEXT, 3, 4, 5, 6, 7, 8, 9, 10, 11, ORDERED, BULLET, TASK, TODO, QUOTE, QUOTE_CONTAINER])
/** Children a TableCell may not contain: no nested tables (same source). */
const NOT_IN_CELL = new Set([TABLE, SHEET, BITABLE, OKR])
const NOT_IN_GRID_COLUMN = new Set([GRID, BITABLE, OKR])

/** The parent/child rule check. Returns an error message, or undefined if the pair is allowed. */
export function parentChildProblem(parentType: number, childType: number): string | undefined {
  if (parentType === CALLOUT && !CALLOUT_CHILDREN.has(childType)) {
    return `a Callout may contain only Text, HeadingN, Ordered, Bullet, Task, Todo, Quote and QuoteContainer, not ${BLOCK_KEYS[childType]}`
  }
  if (parentType === TABLE_CELL && NOT_IN_CELL.has(childType)) return `a TableCell cannot contain ${BLOCK_KEYS[childType]}`
  if (parentType === GRID_COLUMN && NOT_IN_GRID_COLUMN.has(childType)) return `a GridColumn cannot contain ${BLOCK_KEYS[childType]}`
  if (childType === GRID_COLUMN && parentType !== GRID) return 'a GridColumn can only be a child of a Grid'
  if (parentType === GRID && childType !== GRID_COLUMN) return 'a Grid can only contain GridColumn blocks'
  return undefined
}

/** Blocks that must keep at least one child (SDK doc comment on the descendant API; 1770041 otherwise). */
export function needsChild(type: number): boolean {
  return type === TABLE_CELL || type === CALLOUT || type === GRID_COLUMN
}

// ---------------------------------------------------------------------------------------------------------
// small validation helpers

export function invalid(message: string): DocxError {
  return new DocxError(1770001, `invalid param: ${message}`)
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v)
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw invalid(`${where}: unknown field "${k}"`)
  }
}

function intIn(v: unknown, lo: number, hi: number, where: string): number {
  if (!isInt(v) || v < lo || v > hi) throw invalid(`${where} must be an integer in [${lo}, ${hi}]`)
  return v
}

function bool(v: unknown, where: string): boolean {
  if (typeof v !== 'boolean') throw invalid(`${where} must be a boolean`)
  return v
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') throw invalid(`${where} must be a string`)
  return v
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value as object)) deepFreeze(v)
  }
  return value
}

/** A JSON-only deep copy (the inputs are parsed JSON bodies). */
export function copyJson<T>(value: T): T {
  return value === undefined ? value : structuredClone(value)
}

// ---------------------------------------------------------------------------------------------------------
// text elements

const STYLE_BOOLS = ['bold', 'inline_code', 'italic', 'strikethrough', 'underline'] as const
const ELEMENT_STYLE_KEYS = [...STYLE_BOOLS, 'background_color', 'text_color', 'link', 'comment_ids']

export interface ElementContext {
  /** Comment ids this block already has; only these may appear in `comment_ids` (none on create). */
  commentIds: readonly string[]
  /** Elements already in the block, as JSON: inline `file` / `inline_block` elements may only be kept, not made. */
  existing: ReadonlySet<string>
}

function validateElementStyle(raw: unknown, kind: string, where: string, ctx: ElementContext): Record<string, unknown> {
  if (!isObject(raw)) throw invalid(`${where}.text_element_style must be an object`)
  checkKeys(raw, ELEMENT_STYLE_KEYS, `${where}.text_element_style`)
  for (const k of STYLE_BOOLS) if (k in raw) bool(raw[k], `${where}.text_element_style.${k}`)
  if ('background_color' in raw) intIn(raw.background_color, 1, 15, `${where}.text_element_style.background_color`)
  if ('text_color' in raw) intIn(raw.text_color, 1, 7, `${where}.text_element_style.text_color`)
  if ('link' in raw) {
    // "除了 text_run，其他 text_element 不允许设置 link 属性" → 1770024 (batch_update error table,
    // https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/batch_update)
    if (kind !== 'text_run') throw new DocxError(1770024, `invalid operation: only text_run elements may carry a link (${where})`)
    const link = raw.link
    if (!isObject(link)) throw invalid(`${where}.text_element_style.link must be an object`)
    checkKeys(link, ['url'], `${where}.text_element_style.link`)
    if (typeof link.url !== 'string' || link.url === '') throw invalid(`${where}.text_element_style.link.url must be a non-empty string`)
  }
  if ('comment_ids' in raw) {
    const ids = raw.comment_ids
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw invalid(`${where}.text_element_style.comment_ids must be strings`)
    // "在创建 Block 时，不支持传入评论 ID；在更新文本 Block 的 Element 时，允许将对应版本已存在的评论 ID 移动到
    //  同一个 Block 内的任意 Element 中，但不支持传入新的评论 ID" (batch_update request body docs).
    for (const id of ids) {
      if (!ctx.commentIds.includes(id)) throw invalid(`${where}: comment id ${id} does not belong to this block (new comment ids cannot be written)`)
    }
  }
  return raw
}

const MENTION_OBJ_TYPES = [1, 3, 8, 11, 12, 15, 16, 22]

/** Validates and normalises a text element list (create or update_text_elements). */
export function validateElements(raw: unknown, where: string, ctx: ElementContext): Record<string, unknown>[] {
  if (!Array.isArray(raw)) throw invalid(`${where}.elements must be an array`)
  // An empty elements list is refused: the minimum length is 1 ("最小长度：1"); the predecessor Python tool
  // failed on exactly this when it wrote blank paragraphs as `elements: []`.
  if (raw.length === 0) throw invalid(`${where}.elements must not be empty (write one text_run with content "" for a blank line)`)
  let chars = 0
  const counts = { mention_doc: 0, mention_user: 0, reminder: 0 }
  const out = raw.map((el, i) => {
    const w = `${where}.elements[${i}]`
    if (!isObject(el)) throw invalid(`${w} must be an object`)
    const keys = Object.keys(el)
    if (keys.length !== 1) throw invalid(`${w} must have exactly one element kind, has [${keys.join(', ')}]`)
    const kind = keys[0]!
    const body = el[kind]
    if (!isObject(body)) throw invalid(`${w}.${kind} must be an object`)
    const bw = `${w}.${kind}`
    switch (kind) {
      case 'text_run': {
        checkKeys(body, ['content', 'text_element_style'], bw)
        const content = str(body.content, `${bw}.content`)
        chars += content.length
        const style = 'text_element_style' in body ? validateElementStyle(body.text_element_style, kind, bw, ctx) : {}
        const normal: Record<string, unknown> = { bold: false, inline_code: false, italic: false, strikethrough: false, underline: false, ...style }
        return { text_run: { content, text_element_style: normal } }
      }
      case 'mention_user':
        checkKeys(body, ['user_id', 'text_element_style'], bw)
        str(body.user_id, `${bw}.user_id`)
        counts.mention_user++
        break
      case 'mention_doc': {
        checkKeys(body, ['token', 'obj_type', 'url', 'title', 'fallback_type', 'text_element_style'], bw)
        str(body.token, `${bw}.token`)
        if (!MENTION_OBJ_TYPES.includes(body.obj_type as number)) throw invalid(`${bw}.obj_type must be one of ${MENTION_OBJ_TYPES.join(',')}`)
        if ('url' in body) str(body.url, `${bw}.url`)
        if ('title' in body && str(body.title, `${bw}.title`).length > 800) throw invalid(`${bw}.title is longer than 800 characters`)
        if ('fallback_type' in body) {
          if (body.fallback_type !== 'FallbackToLink' && body.fallback_type !== 'FallbackToText') throw invalid(`${bw}.fallback_type is invalid`)
          // "指定了 fallback_type 时此字段必填" (url); FallbackToLink also needs the title (official metadata of mention_doc, via FeishuNetSdk TextElement.cs)
          if (!('url' in body)) throw invalid(`${bw}.url is required when fallback_type is set`)
          if (body.fallback_type === 'FallbackToLink' && !('title' in body)) throw invalid(`${bw}.title is required for FallbackToLink`)
        }
        counts.mention_doc++
        break
      }
      case 'reminder':
        checkKeys(body, ['create_user_id', 'is_notify', 'is_whole_day', 'expire_time', 'notify_time', 'text_element_style'], bw)
        str(body.create_user_id, `${bw}.create_user_id`)
        str(body.expire_time, `${bw}.expire_time`)
        str(body.notify_time, `${bw}.notify_time`)
        counts.reminder++
        break
      case 'equation': {
        checkKeys(body, ['content', 'text_element_style'], bw)
        const content = str(body.content, `${bw}.content`)
        if (content.length < 1 || content.length > 10_000) throw invalid(`${bw}.content must be 1..10000 characters`)
        chars += content.length
        break
      }
      case 'link_preview':
        checkKeys(body, ['url', 'url_type', 'title', 'text_element_style'], bw)
        str(body.url, `${bw}.url`)
        break
      case 'file':
      case 'inline_block':
        // "仅支持删除或移动位置，不支持创建新的内联文件/内联块": only elements already in the block may be kept.
        if (!ctx.existing.has(JSON.stringify(el))) throw invalid(`${bw}: inline ${kind} elements cannot be created, only kept or moved`)
        return copyJson(el)
      default:
        throw invalid(`${w}: unknown element kind "${kind}"`)
    }
    if ('text_element_style' in body) validateElementStyle(body.text_element_style, kind, bw, ctx)
    return copyJson(el)
  })
  // "一个文本 Block 中 content 总长度最大值：100,000 个 UTF-16 编码的字符" (batch_update request docs)
  if (chars > 100_000) throw invalid(`${where}: text content is ${chars} UTF-16 characters, more than 100000`)
  // per-update caps "reminder 元素上限 30 个, mention_doc 元素上限 50 个, mention_user 元素上限 100 个"
  if (counts.reminder > 30 || counts.mention_doc > 50 || counts.mention_user > 100) {
    throw invalid(`${where}: too many reminder/mention_doc/mention_user elements (limits 30/50/100)`)
  }
  return out
}

/**
 * Page and Code blocks hold only text_run (the element docs: mention_user / mention_doc / reminder
 * "支持对 Text、Heading1~9、Bullet、Ordered、Quote、Todo 块进行修改"; text_run also Page and Code).
 */
export function checkElementKinds(type: number, elements: readonly Record<string, unknown>[], where: string): void {
  if (type !== PAGE && type !== CODE) return
  for (const [i, el] of elements.entries()) {
    if (!('text_run' in el)) throw new DocxError(1770025, `operation and block not match: ${where}.elements[${i}]: ${BLOCK_KEYS[type]} blocks hold only text_run elements`)
  }
}

// ---------------------------------------------------------------------------------------------------------
// text style

const BACKGROUND = ['LightGrayBackground', 'LightRedBackground', 'LightOrangeBackground', 'LightYellowBackground',
  'LightGreenBackground', 'LightBlueBackground', 'LightPurpleBackground', 'PaleGrayBackground', 'DarkGrayBackground',
  'DarkRedBackground', 'DarkOrangeBackground', 'DarkYellowBackground', 'DarkGreenBackground', 'DarkBlueBackground',
  'DarkPurpleBackground']
const STYLE_KEYS = ['align', 'done', 'folded', 'language', 'wrap', 'background_color', 'indentation_level', 'sequence']

/** Validates a TextStyle for a block of `type` (values only; which keys suit which block is checked too). */
export function validateStyle(raw: unknown, type: number, where: string): Record<string, unknown> {
  if (!isObject(raw)) throw invalid(`${where}.style must be an object`)
  checkKeys(raw, STYLE_KEYS, `${where}.style`)
  if ('align' in raw) intIn(raw.align, 1, 3, `${where}.style.align`)
  if ('done' in raw) {
    bool(raw.done, `${where}.style.done`)
    if (type !== TODO && type !== TASK) throw invalid(`${where}.style.done applies only to Todo blocks`)
  }
  if ('folded' in raw) bool(raw.folded, `${where}.style.folded`)
  if ('language' in raw) {
    intIn(raw.language, 1, 75, `${where}.style.language`)
    if (type !== CODE) throw invalid(`${where}.style.language applies only to Code blocks`)
  }
  if ('wrap' in raw) {
    bool(raw.wrap, `${where}.style.wrap`)
    if (type !== CODE) throw invalid(`${where}.style.wrap applies only to Code blocks`)
  }
  if ('background_color' in raw && !BACKGROUND.includes(raw.background_color as string)) throw invalid(`${where}.style.background_color is invalid`)
  if ('indentation_level' in raw && raw.indentation_level !== 'NoIndent' && raw.indentation_level !== 'OneLevelIndent') {
    throw invalid(`${where}.style.indentation_level is invalid`)
  }
  if ('sequence' in raw) {
    const s = raw.sequence
    if (type !== ORDERED) throw invalid(`${where}.style.sequence applies only to Ordered blocks`)
    if (typeof s !== 'string' || !(s === 'auto' || /^[1-9]\d{0,8}$/.test(s))) throw invalid(`${where}.style.sequence must be "auto" or a positive number as a string`)
  }
  return raw
}

/** The style defaults the server fills in when it stores a text-like block (see the header for sources). */
export function defaultStyle(type: number): Record<string, unknown> {
  if (type === PAGE) return { align: 1 }
  if (type === CODE) return { language: 1, wrap: false }
  if (type === TODO) return { align: 1, done: false, folded: false }
  return { align: 1, folded: false }
}

// ---------------------------------------------------------------------------------------------------------
// whole blocks

export interface ValidBlock {
  type: number
  key: string
  payload: Record<string, unknown>
  /** descendant API only */
  tempId?: string
  childIds?: string[]
}

/**
 * Validates one block of a write request (`children` create or a `descendants` item) and returns its stored,
 * normalised payload. Read-only fields, mismatched or extra payload keys, and empty text all give 1770001.
 */
export function validateWriteBlock(input: unknown, where: string, api: 'children' | 'descendant'): ValidBlock {
  if (!isObject(input)) throw invalid(`${where} must be an object`)
  let raw: Record<string, unknown> = input
  const type = raw.block_type
  if (!isInt(type)) throw invalid(`${where}.block_type must be an integer`)
  const key = BLOCK_KEYS[type]
  if (key === undefined) throw invalid(`${where}.block_type ${type} is not a block type`)
  if (type === PAGE) throw invalid(`${where}: page blocks cannot be created; a document has exactly one`)
  for (const k of Object.keys(raw)) {
    if (k === 'block_type' || k === key) continue
    if (api === 'descendant' && (k === 'block_id' || k === 'children')) continue
    if (api === 'children' && k === 'children' && Array.isArray(raw.children) && raw.children.length === 0) continue
    if (k === 'parent_id') throw invalid(`${where}.parent_id is read-only`)
    if (k === 'comment_ids') throw invalid(`${where}.comment_ids cannot be written (comments are not created through blocks)`)
    if (k === 'block_id') throw invalid(`${where}.block_id is assigned by the server (use the descendant API for temporary ids)`)
    if (k === 'children') throw invalid(`${where}.children: nested blocks need the descendant API`)
    if (PAYLOAD_KEYS.has(k)) throw invalid(`${where}: payload "${k}" does not match block_type ${type} (${key})`)
    throw invalid(`${where}: unknown field "${k}"`)
  }
  if (type === TABLE_CELL && api === 'children') {
    // TableCell blocks come only with their table or from insert_table_row / insert_table_column
    // (docx overview, 子块规则: https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/docx-overview)
    throw new DocxError(1770029, 'block not support to create: TableCell blocks are created by their table or by insert_table_row/insert_table_column')
  }
  if (type === BOARD && api === 'descendant') {
    // Not documented either way; the emulator refuses it so a client creates boards the way known clients do,
    // through `children` create (GUESSES.md, "Board blocks").
    throw new DocxError(1770029, `block not support to create: ${where}: board blocks are created with the children API, not the descendant API`)
  }
  if (!MODELED_CREATE.has(type)) {
    throw new DocxError(1770029, `block not support to create: the emulator does not model creating ${key} (block_type ${type}) blocks`)
  }
  if (!(key in raw)) {
    // empty payloads are allowed for the containers ({} is their whole payload)
    if (type === DIVIDER || type === QUOTE_CONTAINER || type === TABLE_CELL || type === IMAGE || type === GRID_COLUMN || type === BOARD) raw = { ...raw, [key]: {} }
    else throw invalid(`${where}: missing payload "${key}" for block_type ${type}`)
  }
  const body = raw[key]
  if (!isObject(body)) throw invalid(`${where}.${key} must be an object`)
  const w = `${where}.${key}`
  let payload: Record<string, unknown>
  if (isTextType(type)) {
    checkKeys(body, ['style', 'elements'], w)
    const elements = validateElements(body.elements, w, { commentIds: [], existing: new Set() })
    checkElementKinds(type, elements, w)
    const style = 'style' in body ? validateStyle(body.style, type, w) : {}
    // validated style values are all primitives, so a shallow copy is a full copy
    payload = { elements, style: { ...defaultStyle(type), ...style } }
  } else {
    payload = validateOtherPayload(type, body, w)
  }
  const result: ValidBlock = { type, key, payload }
  if (api === 'descendant') {
    if (typeof raw.block_id !== 'string' || raw.block_id === '') throw invalid(`${where}.block_id (a temporary id) is required`)
    result.tempId = raw.block_id
    const ch = raw.children ?? []
    if (!Array.isArray(ch) || !ch.every((c) => typeof c === 'string')) throw invalid(`${where}.children must be a list of temporary ids`)
    result.childIds = ch as string[]
  }
  return result
}

function validateOtherPayload(type: number, body: Record<string, unknown>, w: string): Record<string, unknown> {
  switch (type) {
    case DIVIDER:
    case QUOTE_CONTAINER:
    case TABLE_CELL:
      checkKeys(body, [], w)
      return {}
    case CALLOUT:
      checkKeys(body, ['background_color', 'border_color', 'text_color', 'emoji_id'], w)
      if ('background_color' in body) intIn(body.background_color, 1, 15, `${w}.background_color`)
      if ('border_color' in body) intIn(body.border_color, 1, 7, `${w}.border_color`)
      if ('text_color' in body) intIn(body.text_color, 1, 7, `${w}.text_color`)
      if ('emoji_id' in body) str(body.emoji_id, `${w}.emoji_id`)
      // The server picks an emoji when none is sent: every recorded callout has one (feishu-docx case3: "bulb",
      // "bulb", "tada") and the default is the light bulb (larksuite/cli issue #80; larksuite/cli lark-doc-xml.md
      // reference: "💡(默认)"). GUESSES.md, read shape.
      return { emoji_id: DEFAULT_CALLOUT_EMOJI, ...body }
    case IMAGE: {
      for (const k of ['token', 'width', 'height']) {
        // "The token cannot be set at creation" (larksuite/openclaw-lark src/tools/oapi/drive/doc-media.ts): upload to the block, then replace_image.
        if (k in body) throw invalid(`${w}.${k} is read-only on create: create an empty image, upload with parent_node = the block id, then replace_image`)
      }
      checkKeys(body, ['align', 'caption'], w)
      if ('align' in body) intIn(body.align, 1, 3, `${w}.align`)
      // An empty image reads back 100×100 with an empty token (a recorded create answer:
      // shengbinxu/Feishu-MCP doc/feishu_doc.md, "创建图片 Block"); replace_image sets the real ones.
      const empty = { width: DEFAULT_EMPTY_IMAGE_SIZE, height: DEFAULT_EMPTY_IMAGE_SIZE, token: '' }
      if ('caption' in body) {
        if (!isObject(body.caption)) throw invalid(`${w}.caption must be an object`)
        checkKeys(body.caption, ['content'], `${w}.caption`)
        if ('content' in body.caption) str(body.caption.content, `${w}.caption.content`)
        return { ...empty, ...body, caption: { ...body.caption } }
      }
      return { ...empty, ...body }
    }
    case BOARD:
      // The server names the whiteboard (`board.token` = whiteboard_id in the answer); the node-sdk 1.74 request
      // type takes align, width and height.
      if ('token' in body) throw invalid(`${w}.token is read-only: the server creates the whiteboard and answers its token`)
      checkKeys(body, ['align', 'width', 'height'], w)
      if ('align' in body) intIn(body.align, 1, 3, `${w}.align`)
      if ('width' in body) intIn(body.width, 1, Number.MAX_SAFE_INTEGER, `${w}.width`)
      if ('height' in body) intIn(body.height, 1, Number.MAX_SAFE_INTEGER, `${w}.height`)
      return { ...body }
    case TABLE: {
      if ('cells' in body) throw invalid(`${w}.cells is read-only: cells are created with the table`)
      checkKeys(body, ['property'], w)
      const p = body.property
      if (!isObject(p)) throw invalid(`${w}.property is required`)
      // "merge_info ... This property is read-only when creating a table and is generated by the backend"
      if ('merge_info' in p) throw invalid(`${w}.property.merge_info is read-only; strip it before creating a table`)
      checkKeys(p, ['row_size', 'column_size', 'column_width', 'header_row', 'header_column'], `${w}.property`)
      // minimum 1, no documented maximum (the official metadata gives no maximum for Table row_size; the 1–9 range belongs to the Sheet block)
      const rows = intIn(p.row_size, 1, Number.MAX_SAFE_INTEGER, `${w}.property.row_size`)
      const cols = intIn(p.column_size, 1, Number.MAX_SAFE_INTEGER, `${w}.property.column_size`)
      const property: Record<string, unknown> = { row_size: rows, column_size: cols }
      if ('column_width' in p) {
        const cw = p.column_width
        if (!Array.isArray(cw) || cw.length !== cols || !cw.every((x) => isInt(x) && x >= 50)) {
          throw invalid(`${w}.property.column_width must list ${cols} widths of at least 50 px`)
        }
        property.column_width = [...cw]
      } else {
        property.column_width = new Array<number>(cols).fill(DEFAULT_COLUMN_WIDTH)
      }
      if ('header_row' in p) property.header_row = bool(p.header_row, `${w}.property.header_row`)
      if ('header_column' in p) property.header_column = bool(p.header_column, `${w}.property.header_column`)
      return { property }
    }
    case GRID:
      checkKeys(body, ['column_size'], w)
      // grid.column_size 2–5 (official metadata, via FeishuNetSdk BlockGrid.cs)
      return { column_size: intIn(body.column_size, 2, 5, `${w}.column_size`) }
    case GRID_COLUMN:
      checkKeys(body, ['width_ratio'], w)
      if ('width_ratio' in body) intIn(body.width_ratio, 1, 99, `${w}.width_ratio`)
      return { ...body }
    default:
      throw new DocxError(1770029, `block not support to create: block_type ${type}`)
  }
}

/** callout.emoji_id the server chooses when none is sent (see validateOtherPayload). */
export const DEFAULT_CALLOUT_EMOJI = 'bulb'

/** image width/height of an image block before replace_image. */
const DEFAULT_EMPTY_IMAGE_SIZE = 100

/** Column width the server reports when none was given (official batch_update response example; case2). */
export const DEFAULT_COLUMN_WIDTH = 100

/** The stored payload of a new empty Text block (an empty table cell or callout gets one). */
export function emptyTextPayload(): Record<string, unknown> {
  return {
    elements: [{ text_run: { content: '', text_element_style: { bold: false, inline_code: false, italic: false, strikethrough: false, underline: false } } }],
    style: defaultStyle(TEXT),
  }
}

export function titleElements(title: string): Record<string, unknown>[] {
  if (title === '') return []
  return [{ text_run: { content: title, text_element_style: { bold: false, inline_code: false, italic: false, strikethrough: false, underline: false } } }]
}

/** Plain text of an elements list (titles, cell text). */
export function plainText(elements: unknown): string {
  if (!Array.isArray(elements)) return ''
  let s = ''
  for (const el of elements) {
    if (!isObject(el)) continue
    const tr = el.text_run
    if (isObject(tr) && typeof tr.content === 'string') s += tr.content
    const eq = el.equation
    if (isObject(eq) && typeof eq.content === 'string') s += eq.content
  }
  return s
}
