// The block diff: from the body a document has to the body the source asks for, with as few writes as the
// docx API allows and without touching what did not change. Pure: no I/O.
//
// 1. Every block gets a fingerprint: its own canonical content (DiffKeys.own, from the converter's
//    normalisation, plus DiffKeys.asset for images) hashed together with its children's fingerprints.
// 2. A parent's old and new child lists are aligned on those fingerprints (longest common subsequence,
//    block-lcs.ts). Aligned blocks are kept as they are: same block id, comments intact.
// 3. Within each range between aligned blocks, old and new blocks of a compatible kind are paired
//    (a weighted LCS preferring similar text). A pair becomes
//      - a text patch (update_text_elements / update_text_style / update_text) when the block's type and the
//        parts a patch cannot change are equal,
//      - an image re-point (upload + replace_image) when only the image's asset differs,
//      - a recursive diff of the children for containers whose own content is equal (callouts, quotes,
//        list items with nested lists, table cells position by position),
//    or is dropped when none applies or when recursing would cost more calls than replacing the block.
// 4. What is left unpaired becomes "delete old[a, b) then insert new blocks": per parent the ranges are
//    emitted from the last to the first, and within a range the insertion goes at index b BEFORE the
//    deletion of [a, b), so earlier indices never move and a container (callout, cell) is never left empty.
import { createHash } from 'node:crypto'
import { type Block, type BlockNode, BlockType, type DescendantRequest, PAYLOAD_KEY, TEXT_BLOCK_TYPES, type TextElement } from '../../blocks/model.js'
import { blockTree, countBlocks, preOrder, requestOf, requestToTree } from '../../blocks/tree.js'
import { DOCX_LIMITS } from '../../blocks/limits.js'
import { tableMerges } from '../../blocks/merges.js'
import type { BlockUpdate } from '../../feishu/docx.js'
import { lcsPairs, weightedPairs } from './block-lcs.js'

/**
 * The one block tree of src/blocks (BlockNode): `block.block_id` is the server's id in an existing document and
 * the temporary id in a desired body.
 */
export type TreeNode = BlockNode<Block>

export interface DiffKeys {
  /**
   * Canonical key of a block's own content (no ids, no children): equal for what we write and what we read.
   * Production uses canonicalKey (src/blocks/canonical.ts), the one canonical form.
   */
  own(block: Block): string
  /** Fillable blocks only (images, whiteboards): the content hash of what fills the block (undefined when unknown). */
  asset?(block: Block): string | undefined
}

export type StructuralOp =
  | { kind: 'delete'; parentId: string; start: number; end: number; removed: TreeNode[] }
  | { kind: 'insert'; parentId: string; index: number; nodes: TreeNode[] }
  | TableRowsOp

/**
 * Rows removed from and added to an existing table (cells cannot be created or deleted as children):
 * `deletes` are old row ranges [start, end), last first (delete_table_rows); then `inserts` in ascending final
 * row index (insert_table_row, then the new cells are filled like any other diff).
 */
export interface TableRowsOp {
  kind: 'table-rows'
  tableId: string
  columns: number
  deletes: { start: number; end: number; removed: TreeNode[] }[]
  inserts: { row: number; cells: TreeNode[] }[]
}

export interface PatchOp {
  blockId: string
  update: BlockUpdate
}

/** An existing image block that must show another asset: upload with parent_node = blockId, then replace_image. */
export interface ImageOp {
  blockId: string
  /** The desired image node (temporary id), for its asset. */
  node: TreeNode
}

export interface DiffPlan {
  /** In application order (see the header). */
  structural: StructuralOp[]
  patches: PatchOp[]
  images: ImageOp[]
  /** Existing blocks (the page excluded) whose id survives. */
  keptBlocks: number
  /** Desired (temporary) id → existing id, for every desired block that keeps an existing block (kept or patched). */
  pairs: Map<string, string>
  existingBlocks: number
  insertedBlocks: number
  deletedBlocks: number
}

/** Parents whose children are created by the parent itself (cells, grid columns): diffed position by position. */
const POSITIONAL = new Set<number>([BlockType.table, 24 /* grid */])


/**
 * Style fields update_text / update_text_style can set, with their field codes and the server's defaults: the
 * ones the canonical form compares (CONTROLLED.textStyle). `folded` (3) and `wrap` (5) are not ours to reset.
 */
const PATCHABLE_STYLE: { key: string; code: number; initial: unknown }[] = [
  { key: 'align', code: 1, initial: 1 },
  { key: 'done', code: 2, initial: false },
  { key: 'language', code: 4, initial: 1 },
]

/** Largest gap (old × new blocks) paired with the similarity-weighted DP; larger gaps pair by type. */
const WEIGHTED_GAP_LIMIT = 40_000

export function isTextLike(type: number): boolean {
  return TEXT_BLOCK_TYPES.has(type)
}

export function payloadKey(type: number): string | undefined {
  return PAYLOAD_KEY[type]
}

/** The desired body (temporary ids) as trees. */
export const treeFromDescendants: (request: DescendantRequest) => TreeNode[] = requestToTree

/** The existing document (read shape: every block, flattened) as a tree under `rootId` (the page block). */
export const treeFromBlocks: (blocks: readonly Block[], rootId: string) => TreeNode = blockTree

/** The trees back as a descendant request (temporary ids kept). */
export const descendantsOf: (nodes: readonly TreeNode[]) => DescendantRequest = requestOf

export function subtreeSize(node: TreeNode): number {
  return countBlocks([node])
}

/** Every node of the trees in document (pre-)order. */
export const walkTree: (nodes: readonly TreeNode[]) => Generator<TreeNode> = preOrder

/** Fingerprints of blocks and subtrees under one set of keys. */
export class Fingerprints {
  private readonly ownCache = new Map<TreeNode, string>()
  private readonly treeCache = new Map<TreeNode, string>()
  constructor(readonly keys: DiffKeys) {}

  /** Own content plus asset, without children. */
  own(node: TreeNode): string {
    let key = this.ownCache.get(node)
    if (key === undefined) {
      key = this.ownOf(node.block)
      this.ownCache.set(node, key)
    }
    return key
  }

  ownOf(block: Block): string {
    const asset = block.block_type === BlockType.image || block.block_type === BlockType.board ? this.keys.asset?.(block) : undefined
    return this.keys.own(block) + (asset !== undefined ? `#asset:${asset}` : '')
  }

  /** Own content and the whole subtree. */
  tree(node: TreeNode): string {
    let key = this.treeCache.get(node)
    if (key === undefined) {
      const h = createHash('sha256').update(this.own(node))
      for (const c of node.children) h.update('\u0000').update(this.tree(c))
      key = h.digest('base64url')
      this.treeCache.set(node, key)
    }
    return key
  }

  /** One hash over a list of subtrees, e.g. a document body. */
  list(nodes: TreeNode[]): string {
    const h = createHash('sha256')
    for (const n of nodes) h.update(this.tree(n)).update('\n')
    return h.digest('hex')
  }
}

interface SubPlan {
  structural: StructuralOp[]
  patches: PatchOp[]
  images: ImageOp[]
  kept: number
  /** [desired id, existing id] of the blocks kept in place. */
  pairs: [string, string][]
}

/**
 * Plan the edits that turn `existing.children` into `desired`. `existing` is the parent (the page block, or
 * any block); the marker, if the caller wants one, is simply part of both lists.
 */
export function planDiff(existing: TreeNode, desired: TreeNode[], keys: DiffKeys | Fingerprints): DiffPlan {
  const fp = keys instanceof Fingerprints ? keys : new Fingerprints(keys)
  const sub = diffChildren(fp, existing.block.block_id, existing.children, desired)
  let inserted = 0
  let deleted = 0
  for (const op of sub.structural) {
    if (op.kind === 'insert') for (const n of op.nodes) inserted += subtreeSize(n)
    else if (op.kind === 'delete') for (const n of op.removed) deleted += subtreeSize(n)
    else {
      for (const d of op.deletes) for (const n of d.removed) deleted += subtreeSize(n)
      for (const i of op.inserts) for (const n of i.cells) inserted += subtreeSize(n)
    }
  }
  return {
    structural: sub.structural,
    patches: sub.patches,
    images: sub.images,
    keptBlocks: sub.kept,
    pairs: new Map(sub.pairs),
    existingBlocks: subtreeSize(existing) - 1,
    insertedBlocks: inserted,
    deletedBlocks: deleted,
  }
}

function diffChildren(fp: Fingerprints, parentId: string, olds: TreeNode[], news: TreeNode[]): SubPlan {
  const plan: SubPlan = { structural: [], patches: [], images: [], kept: 0, pairs: [] }
  const anchors = lcsPairs(
    olds.map((n) => fp.tree(n)),
    news.map((n) => fp.tree(n)),
  )
  const hunks: { start: number; end: number; nodes: TreeNode[] }[] = []
  let i = 0
  let j = 0
  for (const [ai, aj] of [...anchors, [olds.length, news.length] as [number, number]]) {
    if (ai > i || aj > j) gap(fp, plan, hunks, olds, news, i, ai, j, aj)
    if (ai < olds.length) {
      plan.kept += subtreeSize(olds[ai]!)
      pairSubtrees(plan, olds[ai]!, news[aj]!)
    }
    i = ai + 1
    j = aj + 1
  }
  // Last range first; within a range insert after it, then delete it.
  const nested: StructuralOp[] = []
  for (let h = hunks.length - 1; h >= 0; h--) {
    const { start, end, nodes } = hunks[h]!
    if (nodes.length > 0) nested.push({ kind: 'insert', parentId, index: end, nodes })
    if (end > start) nested.push({ kind: 'delete', parentId, start, end, removed: olds.slice(start, end) })
  }
  plan.structural.unshift(...nested)
  return plan
}

/** Old blocks [i0, i1) and new blocks [j0, j1) differ: pair what can be edited in place, replace the rest. */
function gap(
  fp: Fingerprints,
  plan: SubPlan,
  hunks: { start: number; end: number; nodes: TreeNode[] }[],
  olds: TreeNode[],
  news: TreeNode[],
  i0: number,
  i1: number,
  j0: number,
  j1: number,
): void {
  const n = i1 - i0
  const m = j1 - j0
  let candidates: [number, number][]
  if (n === 0 || m === 0) {
    candidates = []
  } else if (n * m <= WEIGHTED_GAP_LIMIT) {
    candidates = weightedPairs(n, m, (a, b) => {
      const o = olds[i0 + a]!
      const w = news[j0 + b]!
      return compatible(fp, o, w) ? 1 + similarity(o.block, w.block) : 0
    })
  } else {
    candidates = lcsPairs(
      olds.slice(i0, i1).map((o) => shapeKey(fp, o)),
      news.slice(j0, j1).map((w) => shapeKey(fp, w)),
    ).filter(([a, b]) => compatible(fp, olds[i0 + a]!, news[j0 + b]!))
  }
  let oi = i0
  let nj = j0
  for (const [a, b] of candidates) {
    const o = olds[i0 + a]!
    const w = news[j0 + b]!
    const sub = editInPlace(fp, o, w)
    if (!sub) continue
    if (i0 + a > oi || j0 + b > nj) hunks.push({ start: oi, end: i0 + a, nodes: news.slice(nj, j0 + b) })
    plan.structural.push(...sub.structural)
    plan.patches.push(...sub.patches)
    plan.images.push(...sub.images)
    plan.kept += sub.kept
    plan.pairs.push(...sub.pairs)
    oi = i0 + a + 1
    nj = j0 + b + 1
  }
  if (i1 > oi || j1 > nj) hunks.push({ start: oi, end: i1, nodes: news.slice(nj, j1) })
}

function shapeKey(fp: Fingerprints, node: TreeNode): string {
  const type = node.block.block_type
  if (isTextLike(type) || type === BlockType.image) return String(type)
  if (type === BlockType.table) return `${type}:${tableProperty(node).column_size}`
  return `${type}:${fp.own(node)}`
}

function compatible(fp: Fingerprints, o: TreeNode, w: TreeNode): boolean {
  const type = o.block.block_type
  if (type !== w.block.block_type) return false
  if (isTextLike(type) || type === BlockType.image) return true
  if (type === BlockType.table) return sameTableShape(fp, o, w)
  return fp.own(o) === fp.own(w)
}

interface TableProperty {
  row_size: number
  column_size: number
}

function tableProperty(node: TreeNode): TableProperty {
  return ((node.block.table as { property?: TableProperty } | undefined)?.property ?? { row_size: 0, column_size: 0 }) as TableProperty
}

/** Equal tables but (perhaps) for their row count. */
function sameTableShape(fp: Fingerprints, o: TreeNode, w: TreeNode): boolean {
  const po = tableProperty(o)
  const pw = tableProperty(w)
  if (po.column_size !== pw.column_size || pw.column_size < 1) return false
  // Rows added or removed around merged cells would move or cut the merges: such a table is replaced.
  if (po.row_size !== pw.row_size && (hasMerges(o) || hasMerges(w))) return false
  const table = w.block.table as Record<string, unknown>
  const resized = { ...w.block, table: { ...table, property: { ...pw, row_size: po.row_size } } }
  return fp.keys.own(resized) === fp.keys.own(o.block)
}

function hasMerges(node: TreeNode): boolean {
  return tableMerges(tableProperty(node)).length > 0
}

/**
 * A table whose rows were added, removed or edited: align rows on their cells' fingerprints, edit paired rows
 * cell by cell, and emit one TableRowsOp for the rest. Undefined when no old row survives (replace instead)
 * or when that would cost more calls than replacing the table.
 */
function tableRows(fp: Fingerprints, o: TreeNode, w: TreeNode): SubPlan | undefined {
  if (!sameTableShape(fp, o, w)) return undefined
  const cols = tableProperty(w).column_size
  const rowsOf = (n: TreeNode) => {
    const rows: TreeNode[][] = []
    for (let i = 0; i < n.children.length; i += cols) rows.push(n.children.slice(i, i + cols))
    return rows
  }
  const oldRows = rowsOf(o)
  const newRows = rowsOf(w)
  if (oldRows.length !== tableProperty(o).row_size || newRows.length !== tableProperty(w).row_size) return undefined
  const key = (row: TreeNode[]) => row.map((c) => fp.tree(c)).join('|')
  const anchors = lcsPairs(oldRows.map(key), newRows.map(key))
  const plan: SubPlan = { structural: [], patches: [], images: [], kept: 1, pairs: [[w.block.block_id, o.block.block_id]] }
  const op: TableRowsOp = { kind: 'table-rows', tableId: o.block.block_id, columns: cols, deletes: [], inserts: [] }
  let survivors = 0
  let i = 0
  let j = 0
  for (const [ai, aj] of [...anchors, [oldRows.length, newRows.length] as [number, number]]) {
    const paired = Math.min(ai - i, aj - j)
    for (let k = 0; k < paired; k++) {
      for (let c = 0; c < cols; c++) {
        const oc = oldRows[i + k]![c]!
        const wc = newRows[j + k]![c]!
        if (fp.own(oc) !== fp.own(wc)) return undefined
        const cell = diffChildren(fp, oc.block.block_id, oc.children, wc.children)
        plan.structural.push(...cell.structural)
        plan.patches.push(...cell.patches)
        plan.images.push(...cell.images)
        plan.kept += cell.kept + 1
        plan.pairs.push([wc.block.block_id, oc.block.block_id], ...cell.pairs)
      }
      survivors++
    }
    if (ai - i > paired) op.deletes.unshift({ start: i + paired, end: ai, removed: oldRows.slice(i + paired, ai).flat() })
    for (let r = j + paired; r < aj; r++) op.inserts.push({ row: r, cells: newRows[r]! })
    if (ai < oldRows.length) {
      oldRows[ai]!.forEach((c, k) => {
        plan.kept += subtreeSize(c)
        pairSubtrees(plan, c, newRows[aj]![k]!)
      })
      survivors++
    }
    i = ai + 1
    j = aj + 1
  }
  if (survivors === 0) return undefined
  if (op.deletes.length + op.inserts.length > 0) {
    if (hasMerges(o) || hasMerges(w)) return undefined // see sameTableShape
    plan.structural.push(op)
  }
  const cost = op.deletes.length + op.inserts.length + plan.structural.length
  if (cost > Math.max(2, replaceCost(w))) return undefined
  return plan
}

/** The edits that turn block `o` into `w` while keeping its id, or undefined when it must be replaced. */
function editInPlace(fp: Fingerprints, o: TreeNode, w: TreeNode): SubPlan | undefined {
  const plan: SubPlan = { structural: [], patches: [], images: [], kept: 1, pairs: [[w.block.block_id, o.block.block_id]] }
  if (fp.tree(o) === fp.tree(w)) {
    pairSubtrees(plan, o, w)
    return { ...plan, kept: subtreeSize(o), pairs: plan.pairs.slice(1) }
  }
  const type = o.block.block_type
  if (type === BlockType.table) return tableRows(fp, o, w)
  if (fp.own(o) !== fp.own(w)) {
    if (isTextLike(type)) {
      const update = textUpdate(fp, o.block, w.block)
      if (!update) return undefined
      plan.patches.push({ blockId: o.block.block_id, update })
    } else if (type === BlockType.image) {
      if (fp.keys.own(o.block) !== fp.keys.own(w.block) || o.children.length > 0 || w.children.length > 0) return undefined
      plan.images.push({ blockId: o.block.block_id, node: w })
    } else {
      return undefined
    }
  }
  const childrenDiffer =
    o.children.length !== w.children.length || o.children.some((c, k) => fp.tree(c) !== fp.tree(w.children[k]!))
  if (!childrenDiffer) {
    o.children.forEach((c, k) => {
      plan.kept += subtreeSize(c)
      pairSubtrees(plan, c, w.children[k]!)
    })
    return plan
  }
  let sub: SubPlan
  if (POSITIONAL.has(type)) {
    if (o.children.length !== w.children.length) return undefined
    sub = { structural: [], patches: [], images: [], kept: 0, pairs: [] }
    for (let k = 0; k < o.children.length; k++) {
      const oc = o.children[k]!
      const wc = w.children[k]!
      if (fp.tree(oc) === fp.tree(wc)) {
        sub.kept += subtreeSize(oc)
        pairSubtrees(sub, oc, wc)
        continue
      }
      if (fp.own(oc) !== fp.own(wc)) return undefined
      const cell = diffChildren(fp, oc.block.block_id, oc.children, wc.children)
      sub.structural.push(...cell.structural)
      sub.patches.push(...cell.patches)
      sub.images.push(...cell.images)
      sub.kept += cell.kept + 1
      sub.pairs.push([wc.block.block_id, oc.block.block_id], ...cell.pairs)
    }
  } else {
    sub = diffChildren(fp, o.block.block_id, o.children, w.children)
  }
  // Recursing is worth it while it costs no more create/delete calls than replacing the block would.
  if (sub.structural.length > Math.max(2, replaceCost(w))) return undefined
  plan.structural.push(...sub.structural)
  plan.patches.push(...sub.patches)
  plan.images.push(...sub.images)
  plan.kept += sub.kept
  plan.pairs.push(...sub.pairs)
  return plan
}

/** Two subtrees with one fingerprint (so one shape): each desired block keeps the existing block at its place. */
function pairSubtrees(plan: SubPlan, o: TreeNode, w: TreeNode): void {
  const olds = [...walkTree([o])]
  const news = [...walkTree([w])]
  olds.forEach((old, k) => {
    const want = news[k]
    if (want) plan.pairs.push([want.block.block_id, old.block.block_id])
  })
}

/** Rough write calls to delete and recreate a subtree. */
function replaceCost(node: TreeNode): number {
  const size = subtreeSize(node)
  let cost = 1 + Math.ceil(size / DOCX_LIMITS.createDescendants)
  if (node.block.block_type === BlockType.table && size > DOCX_LIMITS.createDescendants) {
    const rows = Number((node.block.table as { property?: { row_size?: number } })?.property?.row_size ?? 0)
    cost += rows // roughly one insert_table_row per row past the first chunk
  }
  return cost
}

/** A patch turning text block `o` into `w`, checked by applying it to `o` and comparing canonical keys. */
export function textUpdate(fp: Fingerprints, o: Block, w: Block): BlockUpdate | undefined {
  const key = payloadKey(o.block_type)
  if (!key) return undefined
  const oldBody = (o[key] ?? {}) as { style?: Record<string, unknown>; elements?: TextElement[] }
  const newBody = (w[key] ?? {}) as { style?: Record<string, unknown>; elements?: TextElement[] }
  const target = fp.keys.own(w)
  const elements = newBody.elements ?? []
  const style: Record<string, unknown> = {}
  const fields: number[] = []
  for (const { key: field, code, initial } of PATCHABLE_STYLE) {
    const next = newBody.style?.[field] ?? initial
    const prev = oldBody.style?.[field] ?? initial
    if (next !== prev) {
      style[field] = next
      fields.push(code)
    }
  }
  const simulate = (els: unknown[], st: Record<string, unknown> | undefined) =>
    fp.keys.own({ ...o, [key]: { ...oldBody, ...(st ? { style: { ...oldBody.style, ...st } } : {}), elements: els } })
  if (simulate(elements, undefined) === target) return { update_text_elements: { elements } }
  if (fields.length === 0) return undefined
  if (simulate(oldBody.elements ?? [], style) === target) return { update_text_style: { style, fields } }
  if (simulate(elements, style) === target) return { update_text: { elements, style, fields } }
  return undefined
}

/** Plain text of a text-like block, for pairing similar paragraphs. */
export function plainText(block: Block): string {
  const key = payloadKey(block.block_type)
  const body = key ? (block[key] as { elements?: TextElement[] } | undefined) : undefined
  let out = ''
  for (const e of body?.elements ?? []) {
    if ('text_run' in e) out += e.text_run.content
    else if ('equation' in e) out += e.equation.content
    else if ('mention_doc' in e) out += e.mention_doc.title ?? e.mention_doc.token
  }
  return out
}

/** 0 ≤ s < 1: shared prefix and suffix over the longer text. */
function similarity(a: Block, b: Block): number {
  const x = plainText(a)
  const y = plainText(b)
  const longest = Math.max(x.length, y.length)
  if (longest === 0) return 0.99
  let p = 0
  while (p < x.length && p < y.length && x[p] === y[p]) p++
  let s = 0
  while (s < x.length - p && s < y.length - p && x[x.length - 1 - s] === y[y.length - 1 - s]) s++
  return (0.99 * (p + s)) / longest
}
