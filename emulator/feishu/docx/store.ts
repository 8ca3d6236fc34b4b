// In-memory model of Feishu docx documents: the state behind the emulator's /open-apis/docx/v1 routes.
// No HTTP, auth or rate limits here (emulator/feishu/*.ts does those); this file stands for the outside world
// and imports nothing from src/. The rules it enforces, and where they come from, are listed in README.md;
// what is guessed is in GUESSES.md.
//
// Official pages the behaviour follows:
//   create children  https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block-children/create
//   descendant       https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/document-block-descendant/create
//   batch_delete     https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block-children/batch_delete
//   patch / batch    https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/batch_update
//   block structure  https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/data-structure/block

import type { Clock } from '../../core/clock.js'
import { DocxError } from './errors.js'
import { renderDocument } from './render.js'
import * as S from './schema.js'

export { DocxError }

export type Block = {
  block_id: string
  block_type: number
  parent_id?: string
  children?: string[]
  comment_ids?: string[]
  [payload: string]: unknown
}

export interface BlockPage {
  items: Block[]
  page_token?: string
  has_more: boolean
}

/** What the drive upload recorded for a media token: the block it was uploaded to (and the image size, if known). */
export type MediaRelation = { blockId: string; width?: number; height?: number }

interface MergeEntry {
  row_span: number
  col_span: number
}

// One shared, frozen entry for every unmerged cell: building merge_info for a 10,000-row table on every table
// operation must not allocate an object per cell.
const UNIT_MERGE: MergeEntry = Object.freeze({ row_span: 1, col_span: 1 })

interface Node {
  id: string
  type: number
  key: string
  /** Deep-frozen; replaced, never mutated, so reads can share it. Tables keep `property` without merge_info. */
  payload: Readonly<Record<string, unknown>>
  /** '' for the page block. */
  parent: string
  /**
   * Spliced in place (with an undo record) so that a row insert into a 10,000-row table does not copy the
   * cell list; reads hand out a copy.
   */
  children: string[]
  comments: readonly string[]
  /** Tables only; undefined means every cell is 1×1. */
  mergeInfo?: readonly MergeEntry[]
  /** Top-level fields of a recorded document this model does not know (e.g. the legacy `divider: {}`). */
  extra?: Readonly<Record<string, unknown>>
  /** Legacy recordings have no parent_id on the page block; everything else reports it. */
  emitParent: boolean
}

interface StoredComment {
  commentId: string
  blockId: string
  text: string
  createdAt: number
  /** creation order, so comments() keeps it even after a rolled-back delete restores some */
  seq: number
}

interface Doc {
  id: string
  revision: number
  edits: number
  blocks: Map<string, Node>
  /** Cached pre-order block ids; null after any structural change. */
  order: string[] | null
  /** `${operation}\u0000${client_token}` → the response first given for it. */
  replies: Map<string, unknown>
  comments: Map<string, StoredComment>
}

/** Undo log of one write: everything it changed, so a failing request (or batch) leaves no trace. */
class Txn {
  readonly undo: (() => void)[] = []
}

const MAX_PAGE_SIZE = 500 // official API metadata: default (and effective maximum) page_size of list blocks / get children

function notFound(what: string): DocxError {
  return new DocxError(1770002, `not found: ${what}`, 404)
}

function spliced<T>(arr: readonly T[], start: number, deleteCount: number, items: readonly T[]): T[] {
  return arr.slice(0, start).concat(items, arr.slice(start + deleteCount))
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v)
}

const TEXT_STYLE_FIELDS: Record<number, string> = { 1: 'align', 2: 'done', 3: 'folded', 4: 'language', 5: 'wrap', 6: 'background_color', 7: 'indentation_level' }

const UNMODELED_OPS = new Set(['insert_grid_column', 'delete_grid_column', 'update_grid_column_width_ratio', 'replace_file', 'update_task'])
const OPS = new Set(['update_text_elements', 'update_text_style', 'update_text', 'update_table_property', 'insert_table_row',
  'insert_table_column', 'delete_table_rows', 'delete_table_columns', 'merge_table_cells', 'unmerge_table_cells', 'replace_image', ...UNMODELED_OPS])

export class DocumentStore {
  private readonly docs = new Map<string, Doc>()
  private readonly clock: Clock
  private readonly newId: (prefix: string) => string
  private mediaLookup: ((fileToken: string) => MediaRelation | undefined) | undefined
  private tokenCounter = 0
  private commentCounter = 0
  /** whiteboard_id → the document whose board block made it. */
  private readonly boards = new Map<string, string>()

  constructor(options: { clock: Clock; newId: (prefix: string) => string }) {
    this.clock = options.clock
    this.newId = options.newId
  }

  // ------------------------------------------------------------------------------------------------ documents

  /** A new document: the page block (type 1), whose block_id is the document_id and whose page.elements is the title. */
  createDocument(documentId: string, title: string): void {
    if (typeof documentId !== 'string' || documentId === '') throw S.invalid('document_id must be a non-empty string')
    if (this.docs.has(documentId)) throw S.invalid(`document ${documentId} already exists`)
    const doc = this.newDoc(documentId, 1) // "文档创建后，版本为 1"
    doc.blocks.set(documentId, {
      id: documentId,
      type: S.PAGE,
      key: 'page',
      payload: S.deepFreeze({ elements: S.titleElements(title), style: S.defaultStyle(S.PAGE) }),
      parent: '',
      children: [],
      comments: [],
      emitParent: true,
    })
    this.docs.set(documentId, doc)
  }

  /** Where a whiteboard lives: its document and board block, while that block exists. */
  findBoard(token: string): { documentId: string; blockId: string } | undefined {
    const doc = this.docs.get(this.boards.get(token) ?? '')
    if (!doc) return undefined
    for (const node of doc.blocks.values()) {
      if (node.type === S.BOARD && node.payload.token === token) return { documentId: doc.id, blockId: node.id }
    }
    return undefined
  }

  has(documentId: string): boolean {
    return this.docs.has(documentId)
  }

  getDocument(documentId: string): { document_id: string; revision_id: number; title: string } {
    const doc = this.doc(documentId)
    return { document_id: doc.id, revision_id: doc.revision, title: this.title(doc) }
  }

  /** Every block, in document order (pre-order from the page block), in the shape the read API returns. */
  listBlocks(documentId: string, pageSize: number, pageToken?: string): BlockPage {
    const doc = this.doc(documentId)
    const size = this.pageSize(pageSize)
    const order = this.order(doc)
    return this.page(doc, order, size, `b:${doc.id}`, pageToken)
  }

  getBlock(documentId: string, blockId: string): Block {
    const doc = this.doc(documentId)
    return this.read(this.node(doc, blockId))
  }

  getChildren(documentId: string, blockId: string, pageSize: number, pageToken?: string): BlockPage {
    const doc = this.doc(documentId)
    const size = this.pageSize(pageSize)
    const node = this.node(doc, blockId)
    return this.page(doc, node.children, size, `c:${doc.id}:${blockId}`, pageToken)
  }

  // ------------------------------------------------------------------------------------------------ writes

  createChildren(
    documentId: string,
    blockId: string,
    body: { children: Block[]; index?: number },
    clientToken?: string,
  ): { children: Block[]; document_revision_id: number; client_token: string } {
    const doc = this.doc(documentId)
    return this.write(doc, 'children', clientToken, (txn) => {
      const parent = this.node(doc, blockId)
      if (!S.isObject(body)) throw S.invalid('the body must be an object')
      const list = body.children
      // "最大长度：50 / 最小长度：1"
      if (!Array.isArray(list) || list.length < 1 || list.length > 50) throw S.invalid('children must hold 1 to 50 blocks')
      const index = this.insertIndex(body.index, parent)
      const valid = list.map((b, i) => S.validateWriteBlock(b, `children[${i}]`, 'children'))
      for (const [i, v] of valid.entries()) this.checkPlacement(parent.type, v.type, false, `children[${i}]`)
      const ids = valid.map((v) => this.materialize(doc, txn, v, parent.id))
      this.spliceChildren(doc, txn, parent, index, 0, ids)
      return { children: ids.map((id) => this.read(this.node(doc, id))) }
    })
  }

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
  } {
    const doc = this.doc(documentId)
    return this.write(doc, 'descendant', clientToken, (txn) => {
      const parent = this.node(doc, blockId)
      if (!S.isObject(body)) throw S.invalid('the body must be an object')
      const roots = body.children_id
      const list = body.descendants
      if (!Array.isArray(roots) || roots.length < 1 || roots.length > 1000 || !roots.every((r) => typeof r === 'string')) {
        throw S.invalid('children_id must hold 1 to 1000 temporary block ids')
      }
      if (!Array.isArray(list) || list.length < 1 || list.length > 1000) throw S.invalid('descendants must hold 1 to 1000 blocks')
      const index = this.insertIndex(body.index, parent)

      const byTemp = new Map<string, S.ValidBlock>()
      for (const [i, raw] of list.entries()) {
        const v = S.validateWriteBlock(raw, `descendants[${i}]`, 'descendant')
        if (byTemp.has(v.tempId!)) throw new DocxError(1770019, `repeated blockID: temporary id ${v.tempId} appears twice in descendants`)
        byTemp.set(v.tempId!, v)
      }
      // Every temporary id must be referenced exactly once (by children_id or one children list), and all
      // must hang from children_id; anything else is a broken tree (dangling, shared, orphaned or cyclic).
      const refs = new Map<string, number>()
      const ref = (id: string, from: string) => {
        if (!byTemp.has(id)) throw new DocxError(1770014, `parent children relation mismatch: ${from} refers to ${id}, which is not in descendants`)
        const n = (refs.get(id) ?? 0) + 1
        if (n > 1) throw new DocxError(1770014, `parent children relation mismatch: ${id} is referenced more than once`)
        refs.set(id, n)
      }
      for (const r of roots) ref(r, 'children_id')
      for (const v of byTemp.values()) for (const c of v.childIds!) ref(c, v.tempId!)
      for (const id of byTemp.keys()) {
        if (!refs.has(id)) throw new DocxError(1770014, `parent children relation mismatch: ${id} is not referenced by children_id or any children list`)
      }
      const reached = new Set<string>()
      const stack = [...roots]
      while (stack.length > 0) {
        const id = stack.pop()!
        reached.add(id)
        for (const c of byTemp.get(id)!.childIds!) stack.push(c)
      }
      if (reached.size !== byTemp.size) throw new DocxError(1770014, 'parent children relation mismatch: descendants contain a cycle')

      // Structural rules, checked top-down before anything is written.
      const check = (parentType: number, parentIsNew: boolean, id: string) => {
        const v = byTemp.get(id)!
        this.checkPlacement(parentType, v.type, parentIsNew, `descendant ${id}`)
        const kids = v.childIds!.map((c) => byTemp.get(c)!)
        if (v.type === S.TABLE) {
          const p = v.payload.property as { row_size: number; column_size: number }
          if (kids.length !== p.row_size * p.column_size || kids.some((k) => k.type !== S.TABLE_CELL)) {
            throw new DocxError(1770041, `open schema mismatch: table ${id} must have row_size*column_size = ${p.row_size * p.column_size} table_cell children, has ${kids.length}`)
          }
        } else if (v.type === S.GRID) {
          const n = v.payload.column_size as number
          if (kids.length !== n || kids.some((k) => k.type !== S.GRID_COLUMN)) {
            throw new DocxError(1770041, `open schema mismatch: grid ${id} must have column_size = ${n} grid_column children`)
          }
        } else if (kids.length > 0 && !S.canHoldChildren(v.type)) {
          throw new DocxError(1770028, `block not support create children: ${v.key} ${id} cannot have children`)
        }
        if (S.needsChild(v.type) && kids.length === 0) {
          throw new DocxError(1770041, `open schema mismatch: ${v.key} ${id} needs at least one child block (use an empty Text block)`)
        }
        for (const c of v.childIds!) check(v.type, true, c)
      }
      for (const r of roots) check(parent.type, false, r)

      const real = new Map<string, string>()
      const created: string[] = []
      const build = (id: string, parentId: string): string => {
        const v = byTemp.get(id)!
        const node = this.makeNode(doc, txn, v.type, v.key, v.payload, parentId)
        real.set(id, node.id)
        created.push(node.id)
        node.children = v.childIds!.map((c) => build(c, node.id))
        return node.id
      }
      const top = roots.map((r) => build(r, parent.id))
      this.spliceChildren(doc, txn, parent, index, 0, top)
      return {
        children: created.map((id) => this.read(this.node(doc, id))),
        block_id_relations: [...byTemp.keys()].map((t) => ({ temporary_block_id: t, block_id: real.get(t)! })),
      }
    })
  }

  /** Deletes parent.children[start_index, end_index) with their whole subtrees and their comments. */
  batchDelete(
    documentId: string,
    blockId: string,
    body: { start_index: number; end_index: number },
    clientToken?: string,
  ): { document_revision_id: number; client_token: string } {
    const doc = this.doc(documentId)
    return this.write(doc, 'batch_delete', clientToken, (txn) => {
      const parent = this.node(doc, blockId)
      if (!S.isObject(body)) throw S.invalid('the body must be an object')
      const { start_index: start, end_index: end } = body
      const n = parent.children.length
      if (!isInt(start) || !isInt(end) || start < 0 || end > n || start >= end) {
        throw S.invalid(`start_index/end_index must satisfy 0 <= start < end <= ${n} (the range is [start, end))`)
      }
      if (parent.type === S.TABLE || parent.type === S.GRID) {
        throw new DocxError(1770031, `block not support to delete children: use delete_table_rows/columns for ${parent.key} blocks`)
      }
      if (S.needsChild(parent.type) && end - start === n) {
        throw new DocxError(1770041, `open schema mismatch: a ${parent.key} must keep at least one child`)
      }
      const removed = this.spliceChildren(doc, txn, parent, start, end - start, [])
      for (const id of removed) this.removeSubtree(doc, txn, id)
      return {}
    })
  }

  patch(
    documentId: string,
    blockId: string,
    body: Record<string, unknown>,
    clientToken?: string,
  ): { block: Block; document_revision_id: number; client_token: string } {
    const doc = this.doc(documentId)
    return this.write(doc, 'patch', clientToken, (txn) => {
      const node = this.node(doc, blockId)
      if (!S.isObject(body)) throw S.invalid('the body must be an object')
      this.applyOp(doc, txn, node, body, 'body', false)
      return { block: this.read(this.node(doc, blockId)) }
    })
  }

  /** Up to 200 update requests, each on a different block, applied all or nothing. */
  batchUpdate(
    documentId: string,
    body: { requests: Record<string, unknown>[] },
    clientToken?: string,
  ): { blocks: Block[]; document_revision_id: number; client_token: string } {
    const doc = this.doc(documentId)
    return this.write(doc, 'batch_update', clientToken, (txn) => {
      if (!S.isObject(body)) throw S.invalid('the body must be an object')
      const requests = body.requests
      // "最大长度：200" (batch_update request body)
      if (!Array.isArray(requests) || requests.length < 1 || requests.length > 200) throw S.invalid('requests must hold 1 to 200 updates')
      const seen = new Set<string>()
      for (const [i, r] of requests.entries()) {
        if (!S.isObject(r) || typeof r.block_id !== 'string') throw S.invalid(`requests[${i}].block_id is required`)
        // "不支持在一次批量更新中，对同一个块进行多次更新。即请求体中的 Block ID 不能重复"
        if (seen.has(r.block_id)) throw S.invalid(`requests[${i}]: block ${r.block_id} is updated twice in one batch_update`)
        seen.add(r.block_id)
      }
      for (const [i, r] of requests.entries()) {
        this.applyOp(doc, txn, this.node(doc, r.block_id as string), r, `requests[${i}]`, true)
      }
      return { blocks: requests.map((r) => this.read(this.node(doc, r.block_id as string))) }
    })
  }

  /** The wiki's update_title also retitles the document: the page block's elements become the title. */
  setTitle(documentId: string, title: string): void {
    const doc = this.doc(documentId)
    const page = this.node(doc, doc.id)
    page.payload = S.deepFreeze({ ...page.payload, elements: S.titleElements(title) })
    doc.revision += 1
  }

  /** The drive upload's record of which block each uploaded file token belongs to (checked by replace_image). */
  setMediaRelation(lookup: (fileToken: string) => MediaRelation | undefined): void {
    this.mediaLookup = lookup
  }

  // ------------------------------------------------------------------------------------------------ test helpers

  /** See render.ts for the format. */
  render(documentId: string): string {
    const doc = this.doc(documentId)
    return renderDocument(doc.id, (id) => doc.blocks.get(id))
  }

  // Person-side edits: what a reader does in the Feishu UI, not through the API. Each bumps the revision (the
  // document changed) but not editCount (no API write was made). The HTTP layer's `person` helpers also mark
  // the wiki node as edited (obj_edit_time).

  /**
   * A comment on a whole block, as a reader adds it in the UI. The block reads back with `comment_ids`, and on a
   * text block every text_run carries the id in `text_element_style.comment_ids` too, as in the recorded
   * document feishu-docx case3 (block HceVdxtnZodQB6xCKV9cNLMUnod: the id on the block and on its runs).
   */
  addComment(documentId: string, blockId: string, text: string): string {
    const doc = this.doc(documentId)
    const node = this.node(doc, blockId)
    // Comment ids look like the real ones ("7278362223330754564"): 19 digits, here from a counter.
    const commentId = String(7_300_000_000_000_000_000n + BigInt(++this.commentCounter))
    doc.comments.set(commentId, { commentId, blockId, text, createdAt: this.clock.now(), seq: this.commentCounter })
    node.comments = [...node.comments, commentId]
    if (S.isTextType(node.type) && Array.isArray(node.payload.elements)) {
      const elements = (node.payload.elements as Record<string, unknown>[]).map((element) => {
        const run = element.text_run as { content: string; text_element_style?: Record<string, unknown> } | undefined
        if (!run) return element
        const style = run.text_element_style ?? {}
        const ids = Array.isArray(style.comment_ids) ? (style.comment_ids as string[]) : []
        return { text_run: { ...run, text_element_style: { ...style, comment_ids: [...ids, commentId] } } }
      })
      node.payload = S.deepFreeze({ ...node.payload, elements })
    }
    doc.revision += 1
    return commentId
  }

  /** A reader drags an image's corner: its pixel width and height change (nothing else does). */
  resizeImage(documentId: string, blockId: string, width: number, height: number): void {
    const doc = this.doc(documentId)
    const node = this.node(doc, blockId)
    if (node.type !== S.IMAGE) throw new Error(`resizeImage: ${blockId} is a ${node.key} block, not an image`)
    node.payload = S.deepFreeze({ ...node.payload, width, height })
    doc.revision += 1
  }

  /** A reader drags a table's column border: `property.column_width[column]` changes. */
  resizeColumn(documentId: string, tableId: string, column: number, width: number): void {
    const doc = this.doc(documentId)
    const node = this.node(doc, tableId)
    const { cols, property } = this.tableOf(node, 'resizeColumn')
    if (!isInt(column) || column < 0 || column >= cols) throw new Error(`resizeColumn: column ${column} is outside 0..${cols - 1}`)
    const widths = Array.isArray(property.column_width) ? [...(property.column_width as number[])] : new Array<number>(cols).fill(S.DEFAULT_COLUMN_WIDTH)
    widths[column] = width
    node.payload = S.deepFreeze({ ...node.payload, property: { ...property, column_width: widths } })
    doc.revision += 1
  }

  /** Live comments in the order they were made. A comment goes away with its block (see README.md). */
  comments(documentId: string): { commentId: string; blockId: string; text: string }[] {
    const doc = this.doc(documentId)
    return [...doc.comments.values()].sort((a, b) => a.seq - b.seq).map(({ commentId, blockId, text }) => ({ commentId, blockId, text }))
  }

  /** Successful docx write requests applied to the document (client_token replays and failures don't count). */
  editCount(documentId: string): number {
    return this.doc(documentId).edits
  }

  /**
   * Loads a recorded `{document, blocks}` dump (the shape of feishu-docx's fixtures) as an existing document.
   * Stored as recorded: no defaults are added. Broken references in hand-edited recordings are repaired
   * (dangling child ids dropped, parent_id taken from the parent's children list, unreachable blocks
   * dropped) and each repair is reported.
   */
  importDocument(raw: { document: { document_id: string; revision_id?: number; title?: string }; blocks: Record<string, unknown>[] }): {
    documentId: string
    repairs: string[]
  } {
    const id = raw.document.document_id
    if (this.docs.has(id)) throw S.invalid(`document ${id} already exists`)
    const byId = new Map<string, Record<string, unknown>>()
    for (const b of raw.blocks) byId.set(b.block_id as string, b)
    const pageRaw = byId.get(id)
    if (!pageRaw || pageRaw.block_type !== S.PAGE) throw new Error(`recorded document ${id} has no page block with block_id == document_id`)
    const doc = this.newDoc(id, raw.document.revision_id ?? 1)
    const repairs: string[] = []
    const stack: [string, string][] = [[id, '']]
    while (stack.length > 0) {
      const [bid, parent] = stack.pop()!
      const b = byId.get(bid)!
      const kids: string[] = []
      for (const c of (b.children as string[] | undefined) ?? []) {
        if (!byId.has(c)) repairs.push(`dropped the reference to missing block ${c} from ${bid}`)
        else if (doc.blocks.has(c) || kids.includes(c) || c === bid) repairs.push(`dropped a repeated reference to ${c} from ${bid}`)
        else kids.push(c)
      }
      if (bid !== id && b.parent_id !== parent) repairs.push(`${bid}: parent_id ${String(b.parent_id)} corrected to ${parent}`)
      const type = b.block_type as number
      const key = S.BLOCK_KEYS[type] ?? `block_type_${type}`
      let payload = S.copyJson((b[key] as Record<string, unknown> | undefined) ?? {})
      let mergeInfo: MergeEntry[] | undefined
      if (type === S.TABLE) {
        const { cells: _cells, property, ...rest } = payload as { cells?: unknown; property?: Record<string, unknown> }
        const { merge_info, ...prop } = property ?? {}
        mergeInfo = Array.isArray(merge_info) ? (merge_info as MergeEntry[]) : undefined
        payload = { ...rest, property: prop }
      }
      const extra: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(b)) {
        if (!['block_id', 'block_type', 'parent_id', 'children', 'comment_ids', key].includes(k)) extra[k] = S.copyJson(v)
      }
      const comments = Array.isArray(b.comment_ids) ? (b.comment_ids as string[]).slice() : []
      for (const c of comments) doc.comments.set(c, { commentId: c, blockId: bid, text: '', createdAt: this.clock.now(), seq: ++this.commentCounter })
      doc.blocks.set(bid, {
        id: bid,
        type,
        key,
        payload: S.deepFreeze(payload),
        parent,
        children: kids,
        comments,
        ...(mergeInfo ? { mergeInfo: S.deepFreeze(mergeInfo) } : {}),
        ...(Object.keys(extra).length > 0 ? { extra: S.deepFreeze(extra) } : {}),
        emitParent: bid !== id || 'parent_id' in b,
      })
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, bid])
    }
    for (const b of raw.blocks) {
      if (!doc.blocks.has(b.block_id as string)) repairs.push(`dropped block ${String(b.block_id)}, which no children list reaches`)
    }
    this.docs.set(id, doc)
    return { documentId: id, repairs }
  }

  // ------------------------------------------------------------------------------------------------ internals

  private newDoc(id: string, revision: number): Doc {
    return { id, revision, edits: 0, blocks: new Map(), order: null, replies: new Map(), comments: new Map() }
  }

  private doc(documentId: string): Doc {
    const doc = this.docs.get(documentId)
    if (!doc) throw notFound(`document ${documentId}`)
    return doc
  }

  private node(doc: Doc, blockId: string): Node {
    const node = typeof blockId === 'string' ? doc.blocks.get(blockId) : undefined
    if (!node) throw notFound(`block ${String(blockId)} in document ${doc.id}`)
    return node
  }

  private title(doc: Doc): string {
    return S.plainText(this.node(doc, doc.id).payload.elements)
  }

  private pageSize(pageSize: number): number {
    if (pageSize === undefined) return MAX_PAGE_SIZE
    if (!isInt(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw S.invalid(`page_size must be 1 to ${MAX_PAGE_SIZE}`)
    return pageSize
  }

  private page(doc: Doc, ids: readonly string[], size: number, scope: string, pageToken: string | undefined): BlockPage {
    let offset = 0
    if (pageToken !== undefined && pageToken !== '') {
      let parsed: unknown
      try {
        parsed = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8'))
      } catch {
        parsed = undefined
      }
      if (!Array.isArray(parsed) || parsed[0] !== scope || !isInt(parsed[1]) || parsed[1] < 0) {
        throw new DocxError(1770022, 'invalid page token')
      }
      offset = parsed[1]
    }
    const items = ids.slice(offset, offset + size).map((id) => this.read(this.node(doc, id)))
    const next = offset + size
    if (next < ids.length) {
      return { items, page_token: Buffer.from(JSON.stringify([scope, next])).toString('base64url'), has_more: true }
    }
    return { items, has_more: false }
  }

  private order(doc: Doc): string[] {
    if (doc.order) return doc.order
    const out: string[] = []
    const stack = [doc.id]
    while (stack.length > 0) {
      const id = stack.pop()!
      out.push(id)
      const kids = doc.blocks.get(id)!.children
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!)
    }
    doc.order = out
    return out
  }

  /** The read shape: server ids, parent_id, children, comment_ids, table.cells and merge_info added. */
  private read(node: Node): Block {
    const out: Block = { block_id: node.id, block_type: node.type }
    if (node.type !== S.PAGE || node.emitParent) out.parent_id = node.parent
    // One copy of the child list serves as both `children` and (for tables) `table.cells`: for a big table
    // each array is a large allocation, and the response is only serialised.
    const kids = node.children.length > 0 ? node.children.slice() : undefined
    if (kids) out.children = kids
    if (node.comments.length > 0) out.comment_ids = node.comments.slice()
    if (node.type === S.TABLE) {
      const { property, ...rest } = node.payload as { property?: Record<string, unknown> }
      const merge = node.mergeInfo
        ? node.mergeInfo.map((m) => ({ ...m }))
        : new Array<MergeEntry>(node.children.length).fill(UNIT_MERGE)
      out.table = { cells: kids ?? [], ...rest, property: { ...property, merge_info: merge } }
    } else {
      out[node.key] = node.payload
    }
    if (node.extra) for (const [k, v] of Object.entries(node.extra)) if (!(k in out)) out[k] = v
    return out
  }

  private insertIndex(raw: unknown, parent: Node): number {
    if (raw === undefined) return parent.children.length
    // "起始值为 0，最大值为原 children 长度"; -1 (the default) appends
    if (!isInt(raw) || raw < -1 || raw > parent.children.length) {
      throw S.invalid(`index must be -1 (append) or 0..${parent.children.length}`)
    }
    return raw === -1 ? parent.children.length : raw
  }

  /** Whether a block of childType may be created under parentType (parentIsNew: the parent is in the same request). */
  private checkPlacement(parentType: number, childType: number, parentIsNew: boolean, where: string): void {
    if (childType === S.TABLE_CELL && !(parentIsNew && parentType === S.TABLE)) {
      if (parentIsNew) throw new DocxError(1770030, `invalid parent children relation: ${where} is a table_cell outside a table`)
      throw new DocxError(1770029, `block not support to create: ${where}: table cells come only with their table or from insert_table_row/insert_table_column`)
    }
    if (childType === S.GRID_COLUMN && parentIsNew && parentType === S.GRID) return
    if (!(parentIsNew && (parentType === S.TABLE || parentType === S.GRID)) && !S.canHoldChildren(parentType)) {
      throw new DocxError(1770028, `block not support create children: ${S.BLOCK_KEYS[parentType] ?? parentType} blocks cannot have children created (${where})`)
    }
    const problem = S.parentChildProblem(parentType, childType)
    if (problem) throw new DocxError(1770030, `invalid parent children relation: ${problem} (${where})`)
  }

  /** Runs a write: client_token replay, all-or-nothing application, revision and edit count. */
  private write<R extends object>(
    doc: Doc,
    operation: string,
    clientToken: string | undefined,
    apply: (txn: Txn) => R,
  ): R & { document_revision_id: number; client_token: string } {
    // client_token: "此值为空表示将发起一次新的请求，此值非空表示幂等的进行更新操作". A repeat with the same
    // token returns the first answer and changes nothing (a third-party client observed Feishu ignoring a
    // second insert_table_row sent with a fixed token). Only successful requests are remembered, so a
    // request that failed (e.g. rate limited) can be retried with its token.
    const replayKey = clientToken ? `${operation}\u0000${clientToken}` : undefined
    if (replayKey !== undefined && doc.replies.has(replayKey)) {
      return doc.replies.get(replayKey) as R & { document_revision_id: number; client_token: string }
    }
    const txn = new Txn()
    let body: R
    try {
      body = apply(txn)
    } catch (error) {
      for (let i = txn.undo.length - 1; i >= 0; i--) txn.undo[i]!()
      doc.order = null
      throw error
    }
    doc.revision += 1
    doc.edits += 1
    const result = { ...body, document_revision_id: doc.revision, client_token: clientToken || this.newClientToken() }
    if (replayKey !== undefined) doc.replies.set(replayKey, result)
    return result
  }

  private newClientToken(): string {
    const n = (++this.tokenCounter).toString(16).padStart(12, '0')
    return `0e2633a3-aa1a-4171-af9e-${n}`
  }

  private freshId(doc: Doc): string {
    for (let i = 0; i < 10; i++) {
      const id = this.newId('doxcn')
      if (typeof id === 'string' && id !== '' && !doc.blocks.has(id)) return id
    }
    throw new Error('DocumentStore: newId keeps returning block ids that are already in use')
  }

  private makeNode(doc: Doc, txn: Txn, type: number, key: string, payload: Record<string, unknown>, parent: string): Node {
    const node: Node = { id: this.freshId(doc), type, key, payload: S.deepFreeze(payload), parent, children: [], comments: [], emitParent: true }
    doc.blocks.set(node.id, node)
    doc.order = null
    txn.undo.push(() => doc.blocks.delete(node.id))
    return node
  }

  /** Splices node.children in place and records the inverse splice. Returns the removed ids. */
  private spliceChildren(doc: Doc, txn: Txn, node: Node, start: number, deleteCount: number, items: readonly string[]): string[] {
    const arr = node.children
    doc.order = null
    if (items.length + deleteCount > 4096) {
      // big splices (a whole document cleared, a huge table created) rebuild instead of spreading arguments
      const removed = arr.slice(start, start + deleteCount)
      node.children = arr.slice(0, start).concat(items, arr.slice(start + deleteCount))
      txn.undo.push(() => {
        node.children = arr
      })
      return removed
    }
    const removed = arr.splice(start, deleteCount, ...items)
    txn.undo.push(() => {
      arr.splice(start, items.length, ...removed)
    })
    return removed
  }

  private update(doc: Doc, txn: Txn, node: Node, patch: Partial<Pick<Node, 'payload' | 'children' | 'mergeInfo'>>): void {
    const old: Partial<Node> = {}
    for (const k of Object.keys(patch) as (keyof typeof patch)[]) (old as Record<string, unknown>)[k] = node[k]
    txn.undo.push(() => Object.assign(node, old))
    Object.assign(node, patch)
    if ('children' in patch) doc.order = null
  }

  /** A new empty Text block under parentId (what the server puts in new table cells and callouts). */
  private emptyText(doc: Doc, txn: Txn, parentId: string): string {
    return this.makeNode(doc, txn, S.TEXT, 'text', S.emptyTextPayload(), parentId).id
  }

  private newCell(doc: Doc, txn: Txn, tableId: string): string {
    const cell = this.makeNode(doc, txn, S.TABLE_CELL, 'table_cell', {}, tableId)
    cell.children = [this.emptyText(doc, txn, cell.id)]
    return cell.id
  }

  /**
   * Creates a block from the `children` API with what the server adds to it: a table gets its cells, each
   * holding an empty Text block; a callout gets an empty Text child; a grid gets its columns.
   */
  private materialize(doc: Doc, txn: Txn, v: S.ValidBlock, parentId: string): string {
    // A board block comes with its whiteboard: the answer's board.token is the whiteboard_id (27 characters like
    // the recorded ones; the parse-syntax page allows 22–27).
    const payload = v.type === S.BOARD ? { ...v.payload, token: `${this.newId('')}${this.newId('').slice(0, 5)}` } : v.payload
    const node = this.makeNode(doc, txn, v.type, v.key, payload, parentId)
    if (v.type === S.BOARD) {
      const token = payload.token as string
      this.boards.set(token, doc.id)
      txn.undo.push(() => this.boards.delete(token))
    }
    if (v.type === S.TABLE) {
      const p = v.payload.property as { row_size: number; column_size: number }
      const cells: string[] = []
      for (let i = 0; i < p.row_size * p.column_size; i++) cells.push(this.newCell(doc, txn, node.id))
      node.children = cells
    } else if (v.type === S.CALLOUT) {
      node.children = [this.emptyText(doc, txn, node.id)]
    } else if (v.type === S.GRID) {
      const n = v.payload.column_size as number
      const cols: string[] = []
      for (let i = 0; i < n; i++) {
        const col = this.makeNode(doc, txn, S.GRID_COLUMN, 'grid_column', { width_ratio: Math.floor(100 / n) }, node.id)
        col.children = [this.emptyText(doc, txn, col.id)]
        cols.push(col.id)
      }
      node.children = cols
    }
    return node.id
  }

  /** Removes a block, its subtree and the comments on them (undoable as one step). */
  private removeSubtree(doc: Doc, txn: Txn, rootId: string): void {
    const nodes: Node[] = []
    const comments: StoredComment[] = []
    const stack = [rootId]
    while (stack.length > 0) {
      const node = doc.blocks.get(stack.pop()!)
      if (!node) continue
      nodes.push(node)
      for (const c of node.children) stack.push(c)
      for (const c of node.comments) {
        const stored = doc.comments.get(c)
        if (stored) comments.push(stored)
      }
    }
    for (const n of nodes) doc.blocks.delete(n.id)
    for (const c of comments) doc.comments.delete(c.commentId)
    doc.order = null
    txn.undo.push(() => {
      for (const n of nodes) doc.blocks.set(n.id, n)
      for (const c of comments) doc.comments.set(c.commentId, c)
    })
  }

  // ------------------------------------------------------------------------------------------------ update ops

  private applyOp(doc: Doc, txn: Txn, node: Node, req: Record<string, unknown>, where: string, batch: boolean): void {
    const keys = Object.keys(req).filter((k) => !(batch && k === 'block_id'))
    if (keys.length !== 1) throw S.invalid(`${where} must hold exactly one update operation, has [${keys.join(', ')}]`)
    const op = keys[0]!
    if (!OPS.has(op)) throw S.invalid(`${where}: unsupported operation "${op}"`)
    if (UNMODELED_OPS.has(op)) throw S.invalid(`${where}: the emulator does not model "${op}"`)
    const arg = req[op]
    if (!S.isObject(arg)) throw S.invalid(`${where}.${op} must be an object`)
    const w = `${where}.${op}`
    switch (op) {
      case 'update_text_elements':
        return this.opTextElements(doc, txn, node, arg.elements, w, arg, ['elements'])
      case 'update_text_style':
        return this.opTextStyle(doc, txn, node, arg, w, ['style', 'fields'])
      case 'update_text':
        this.opTextElements(doc, txn, node, arg.elements, w, arg, ['elements', 'style', 'fields'])
        return this.opTextStyle(doc, txn, node, arg, w, ['elements', 'style', 'fields'])
      case 'update_table_property':
        return this.opTableProperty(doc, txn, node, arg, w)
      case 'insert_table_row':
        return this.opInsertRow(doc, txn, node, arg, w)
      case 'insert_table_column':
        return this.opInsertColumn(doc, txn, node, arg, w)
      case 'delete_table_rows':
        return this.opDeleteRows(doc, txn, node, arg, w)
      case 'delete_table_columns':
        return this.opDeleteColumns(doc, txn, node, arg, w)
      case 'merge_table_cells':
        return this.opMergeCells(doc, txn, node, arg, w)
      case 'unmerge_table_cells':
        return this.opUnmergeCells(doc, txn, node, arg, w)
      case 'replace_image':
        return this.opReplaceImage(doc, txn, node, arg, w)
    }
  }

  private mismatch(node: Node, op: string): DocxError {
    return new DocxError(1770025, `operation and block not match: ${op} does not apply to ${node.key} block ${node.id}`)
  }

  private checkArgKeys(arg: Record<string, unknown>, allowed: string[], w: string): void {
    for (const k of Object.keys(arg)) if (!allowed.includes(k)) throw S.invalid(`${w}: unknown field "${k}"`)
  }

  private opTextElements(doc: Doc, txn: Txn, node: Node, elements: unknown, w: string, arg: Record<string, unknown>, allowed: string[]): void {
    this.checkArgKeys(arg, allowed, w)
    if (!S.isTextType(node.type)) throw this.mismatch(node, 'update_text_elements')
    const current = Array.isArray(node.payload.elements) ? node.payload.elements : []
    const existing = new Set(current.map((e) => JSON.stringify(e)))
    const next = S.validateElements(elements, w, { commentIds: node.comments, existing })
    S.checkElementKinds(node.type, next, w)
    this.update(doc, txn, node, { payload: S.deepFreeze({ ...node.payload, elements: next }) })
  }

  private opTextStyle(doc: Doc, txn: Txn, node: Node, arg: Record<string, unknown>, w: string, allowed: string[]): void {
    this.checkArgKeys(arg, allowed, w)
    if (!S.isTextType(node.type)) throw this.mismatch(node, 'update_text_style')
    const fields = arg.fields
    if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => isInt(f) && f >= 1 && f <= 7)) {
      throw S.invalid(`${w}.fields must list at least one field code 1..7 (1 align, 2 done, 3 folded, 4 language, 5 wrap, 6 background_color, 7 indentation_level)`)
    }
    const given = S.validateStyle(arg.style ?? {}, node.type === S.PAGE ? S.TEXT : node.type, w)
    const style: Record<string, unknown> = { ...(node.payload.style as Record<string, unknown> | undefined) }
    const defaults = S.defaultStyle(node.type)
    for (const f of fields as number[]) {
      const key = TEXT_STYLE_FIELDS[f]!
      // Which field suits which block, from the field descriptions of update_text_style ("2：Todo 的完成状态。
      // 支持对 Todo 和 Task 块进行修改 3：文本的折叠状态。支持对 Heading1~9、和有子块的 Text、Ordered、Bullet、Todo
      // 和 Task 块进行修改 4：仅支持对 Code 块 5：支持对 Code 块 7：仅支持对 Text 块").
      const ok =
        node.type === S.PAGE ? f === 1 :
        f === 2 ? node.type === S.TODO :
        f === 3 ? S.headingLevel(node.type) > 0 || ([S.TEXT, S.ORDERED, S.BULLET, S.TODO].includes(node.type) && node.children.length > 0) :
        f === 4 || f === 5 ? node.type === S.CODE :
        f === 7 ? node.type === S.TEXT :
        true
      if (!ok) throw new DocxError(1770025, `operation and block not match: style field ${f} (${key}) does not apply to ${node.key} block ${node.id}`)
      if (key in given) style[key] = given[key]
      else if (key in defaults) style[key] = defaults[key]
      else delete style[key]
    }
    this.update(doc, txn, node, { payload: S.deepFreeze({ ...node.payload, style }) })
  }

  private tableOf(node: Node, op: string): { rows: number; cols: number; property: Record<string, unknown> } {
    if (node.type !== S.TABLE) throw this.mismatch(node, op)
    const property = (node.payload.property ?? {}) as Record<string, unknown>
    return { rows: property.row_size as number, cols: property.column_size as number, property }
  }

  private setTable(doc: Doc, txn: Txn, node: Node, property: Record<string, unknown>, children: string[] | undefined, mergeInfo: readonly MergeEntry[] | undefined): void {
    this.update(doc, txn, node, { payload: S.deepFreeze({ ...node.payload, property }), ...(children ? { children } : {}), mergeInfo })
  }

  private opTableProperty(doc: Doc, txn: Txn, node: Node, arg: Record<string, unknown>, w: string): void {
    this.checkArgKeys(arg, ['column_width', 'column_index', 'header_row', 'header_column'], w)
    const { cols, property } = this.tableOf(node, 'update_table_property')
    if (Object.keys(arg).length === 0) throw S.invalid(`${w} changes nothing`)
    const next: Record<string, unknown> = { ...property }
    if ('column_width' in arg || 'column_index' in arg) {
      const width = arg.column_width
      const index = arg.column_index
      // column_width "最小值：50", column_index "最小值：0"
      if (!isInt(width) || width < 50) throw S.invalid(`${w}.column_width must be an integer of at least 50 (px)`)
      if (!isInt(index) || index < 0 || index >= cols) throw new DocxError(1770027, `column operation over range: column_index must be 0..${cols - 1}`)
      const widths = Array.isArray(property.column_width) ? [...(property.column_width as number[])] : new Array<number>(cols).fill(S.DEFAULT_COLUMN_WIDTH)
      widths[index] = width
      next.column_width = widths
    }
    for (const k of ['header_row', 'header_column']) {
      if (k in arg) {
        if (typeof arg[k] !== 'boolean') throw S.invalid(`${w}.${k} must be a boolean`)
        next[k] = arg[k]
      }
    }
    this.setTable(doc, txn, node, next, undefined, node.mergeInfo)
  }

  private opInsertRow(doc: Doc, txn: Txn, node: Node, arg: Record<string, unknown>, w: string): void {
    this.checkArgKeys(arg, ['row_index'], w)
    const { rows, cols, property } = this.tableOf(node, 'insert_table_row')
    const at = arg.row_index
    // "插入的行在表格中的索引。（-1表示在表格末尾插入一行）", minimum -1
    if (!isInt(at) || at < -1 || at > rows) throw new DocxError(1770026, `row operation over range: row_index must be -1..${rows}`)
    const r = at === -1 ? rows : at
    const cells: string[] = []
    for (let c = 0; c < cols; c++) cells.push(this.newCell(doc, txn, node.id))
    const merge = node.mergeInfo ? spliced(node.mergeInfo, r * cols, 0, new Array<MergeEntry>(cols).fill(UNIT_MERGE)) : undefined
    this.spliceChildren(doc, txn, node, r * cols, 0, cells)
    this.setTable(doc, txn, node, { ...property, row_size: rows + 1 }, undefined, merge)
  }

  private opInsertColumn(doc: Doc, txn: Txn, node: Node, arg: Record<string, unknown>, w: string): void {
    this.checkArgKeys(arg, ['column_index'], w)
    const { rows, cols, property } = this.tableOf(node, 'insert_table_column')
    const at = arg.column_index
    if (!isInt(at) || at < -1 || at > cols) throw new DocxError(1770027, `column operation over range: column_index must be -1..${cols}`)
    const c0 = at === -1 ? cols : at
    const children: string[] = []
    const merge: MergeEntry[] | undefined = node.mergeInfo ? [] : undefined
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c <= cols; c++) {
        if (c === c0) {
          children.push(this.newCell(doc, txn, node.id))
          merge?.push(UNIT_MERGE)
        }
        if (c < cols) {
          children.push(node.children[r * cols + c]!)
          merge?.push(node.mergeInfo![r * cols + c]!)
        }
      }
    }
    const widths = Array.isArray(property.column_width) ? spliced(property.column_width as number[], c0, 0, [S.DEFAULT_COLUMN_WIDTH]) : undefined
    this.setTable(doc, txn, node, { ...property, column_size: cols + 1, ...(widths ? { column_width: widths } : {}) }, children, merge)
  }

  private opDeleteRows(doc: Doc, txn: Txn, node: Node, arg: Record<string, unknown>, w: string): void {
    this.checkArgKeys(arg, ['row_start_index', 'row_end_index'], w)
    const { rows, cols, property } = this.tableOf(node, 'delete_table_rows')
    const { row_start_index: s, row_end_index: e } = arg
    // "行开始索引 / 行结束索引（区间左闭右开）"
    if (!isInt(s) || !isInt(e) || s < 0 || e > rows || s >= e) throw new DocxError(1770026, `row operation over range: need 0 <= row_start_index < row_end_index <= ${rows}`)
    // "表格只有一行或者一列时，不允许通过减少表格行列的请求操作表格" → 1770024
    if (e - s >= rows) throw new DocxError(1770024, 'invalid operation: a table must keep at least one row')
    const merge = node.mergeInfo ? spliced(node.mergeInfo, s * cols, (e - s) * cols, []) : undefined
    const removed = this.spliceChildren(doc, txn, node, s * cols, (e - s) * cols, [])
    this.setTable(doc, txn, node, { ...property, row_size: rows - (e - s) }, undefined, merge)
    for (const id of removed) this.removeSubtree(doc, txn, id)
  }

  private opDeleteColumns(doc: Doc, txn: Txn, node: Node, arg: Record<string, unknown>, w: string): void {
    this.checkArgKeys(arg, ['column_start_index', 'column_end_index'], w)
    const { rows, cols, property } = this.tableOf(node, 'delete_table_columns')
    const { column_start_index: s, column_end_index: e } = arg
    if (!isInt(s) || !isInt(e) || s < 0 || e > cols || s >= e) throw new DocxError(1770027, `column operation over range: need 0 <= column_start_index < column_end_index <= ${cols}`)
    if (e - s >= cols) throw new DocxError(1770024, 'invalid operation: a table must keep at least one column')
    const children: string[] = []
    const removed: string[] = []
    const merge: MergeEntry[] | undefined = node.mergeInfo ? [] : undefined
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const id = node.children[r * cols + c]!
        if (c >= s && c < e) removed.push(id)
        else {
          children.push(id)
          merge?.push(node.mergeInfo![r * cols + c]!)
        }
      }
    }
    const widths = Array.isArray(property.column_width) ? spliced(property.column_width as number[], s, e - s, []) : undefined
    this.setTable(doc, txn, node, { ...property, column_size: cols - (e - s), ...(widths ? { column_width: widths } : {}) }, children, merge)
    for (const id of removed) this.removeSubtree(doc, txn, id)
  }

  /** The merged regions of a table: [row, column, rowSpan, colSpan] for each entry spanning more than one cell. */
  private mergedRegions(node: Node, cols: number): [number, number, number, number][] {
    const out: [number, number, number, number][] = []
    node.mergeInfo?.forEach((m, i) => {
      if (m.row_span > 1 || m.col_span > 1) out.push([Math.floor(i / cols), i % cols, m.row_span, m.col_span])
    })
    return out
  }

  // merge_table_cells: "行开始索引 / 行结束索引 / 列开始索引 / 列结束索引（区间左闭右开）" (official request schema,
  // docx.v1.documentBlock.batchUpdate). Only the spans change: the covered cells stay, with their content
  // (GUESSES.md, "Merged cells"); they read back 1×1, as in the recorded merged table of feishu-docx case3.
  private opMergeCells(doc: Doc, txn: Txn, node: Node, arg: Record<string, unknown>, w: string): void {
    this.checkArgKeys(arg, ['row_start_index', 'row_end_index', 'column_start_index', 'column_end_index'], w)
    const { rows, cols, property } = this.tableOf(node, 'merge_table_cells')
    const { row_start_index: rs, row_end_index: re, column_start_index: cs, column_end_index: ce } = arg
    if (!isInt(rs) || !isInt(re) || rs < 0 || re > rows || rs >= re) throw new DocxError(1770026, `row operation over range: need 0 <= row_start_index < row_end_index <= ${rows}`)
    if (!isInt(cs) || !isInt(ce) || cs < 0 || ce > cols || cs >= ce) throw new DocxError(1770027, `column operation over range: need 0 <= column_start_index < column_end_index <= ${cols}`)
    if (re - rs === 1 && ce - cs === 1) throw new DocxError(1770024, 'invalid operation: merge_table_cells needs a range of at least two cells')
    const merge: MergeEntry[] = node.mergeInfo ? [...node.mergeInfo] : new Array<MergeEntry>(rows * cols).fill(UNIT_MERGE)
    for (const [r, c, h, wd] of this.mergedRegions(node, cols)) {
      const inside = r >= rs && r + h <= re && c >= cs && c + wd <= ce
      const apart = r + h <= rs || r >= re || c + wd <= cs || c >= ce
      // A merged cell inside the range joins the new merge; one that sticks out of it would make the merge
      // non-rectangular.
      if (!inside && !apart) throw new DocxError(1770024, `invalid operation: the range cuts through the merged cell at row ${r}, column ${c} (${h}×${wd})`)
      if (inside) merge[r * cols + c] = UNIT_MERGE
    }
    merge[rs * cols + cs] = { row_span: re - rs, col_span: ce - cs }
    this.setTable(doc, txn, node, property, undefined, merge)
  }

  // unmerge_table_cells {row_index, column_index}: "表格行索引 / 表格列索引". The cell named is the merged cell or
  // one it covers (GUESSES.md).
  private opUnmergeCells(doc: Doc, txn: Txn, node: Node, arg: Record<string, unknown>, w: string): void {
    this.checkArgKeys(arg, ['row_index', 'column_index'], w)
    const { rows, cols, property } = this.tableOf(node, 'unmerge_table_cells')
    const { row_index: ri, column_index: ci } = arg
    if (!isInt(ri) || ri < 0 || ri >= rows) throw new DocxError(1770026, `row operation over range: row_index must be 0..${rows - 1}`)
    if (!isInt(ci) || ci < 0 || ci >= cols) throw new DocxError(1770027, `column operation over range: column_index must be 0..${cols - 1}`)
    const region = this.mergedRegions(node, cols).find(([r, c, h, wd]) => ri >= r && ri < r + h && ci >= c && ci < c + wd)
    if (!region) throw new DocxError(1770024, `invalid operation: the cell at row ${ri}, column ${ci} is not merged`)
    const merge = [...node.mergeInfo!]
    merge[region[0] * cols + region[1]] = UNIT_MERGE
    this.setTable(doc, txn, node, property, undefined, merge)
  }

  private opReplaceImage(doc: Doc, txn: Txn, node: Node, arg: Record<string, unknown>, w: string): void {
    this.checkArgKeys(arg, ['token', 'width', 'height', 'align', 'caption', 'scale'], w)
    if (node.type !== S.IMAGE) throw this.mismatch(node, 'replace_image')
    const token = arg.token
    if (typeof token !== 'string' || token === '') throw S.invalid(`${w}.token is required`)
    for (const k of ['width', 'height']) if (k in arg && (!isInt(arg[k]) || (arg[k] as number) < 1)) throw S.invalid(`${w}.${k} must be a positive integer`)
    if ('align' in arg && (!isInt(arg.align) || (arg.align as number) < 1 || (arg.align as number) > 3)) throw S.invalid(`${w}.align must be 1, 2 or 3`)
    if ('scale' in arg && typeof arg.scale !== 'number') throw S.invalid(`${w}.scale must be a number`)
    if ('caption' in arg && !S.isObject(arg.caption)) throw S.invalid(`${w}.caption must be an object`)
    const relation = this.mediaLookup?.(token)
    // 1770038 "resource not found: 未查询到插入的资源或资源无权限插入"; 1770013 "relation mismatch: 图片、文件等资源的
    // 关联关系不正确。请确保…上传了相关图片或文件素材至对应的文档块中" (batch_update error table). Uploading with
    // parent_node = the document id instead of the image block id gives 1770013 (third-party reports).
    if (!relation) throw new DocxError(1770038, `resource not found: no uploaded media with token ${token}`)
    if (relation.blockId !== node.id) {
      throw new DocxError(1770013, `relation mismatch: media ${token} was uploaded for ${relation.blockId}, not for image block ${node.id} (upload with parent_node = the image block id)`)
    }
    const { token: _t, width: _w, height: _h, ...rest } = node.payload as Record<string, unknown>
    const image: Record<string, unknown> = {
      // Centred unless the client said otherwise: every current recorded image reads back `align: 2`
      // (feishu-docx case3, 5 of 5; xingfuyumin/feishu-docx's recorded wiki, 8 of 8). GUESSES.md, read shape.
      align: IMAGE_ALIGN_DEFAULT,
      ...rest,
      token,
      width: (arg.width as number | undefined) ?? relation.width ?? DEFAULT_IMAGE_SIZE,
      height: (arg.height as number | undefined) ?? relation.height ?? DEFAULT_IMAGE_SIZE,
    }
    for (const k of ['align', 'caption', 'scale']) if (k in arg) image[k] = S.copyJson(arg[k])
    this.update(doc, txn, node, { payload: S.deepFreeze(image) })
  }
}

/** Width/height reported for an image when neither replace_image nor the upload said (a guess; GUESSES.md). */
const DEFAULT_IMAGE_SIZE = 100
/** `image.align` after replace_image when none was sent: 2, centre (recorded; see opReplaceImage). */
const IMAGE_ALIGN_DEFAULT = 2
