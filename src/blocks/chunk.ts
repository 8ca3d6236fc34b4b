// Plans how a whole-document descendant request is written in calls the API accepts.
// - One descendant call creates at most 1000 blocks, every nested block counted ("单次调用创建嵌套块接口最多可插入
//   1000 个块": SDK doc comment of docx.v1.document.convert, linking
//   https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/document-block-descendant/create).
// - A block is never separated from its subtree unless the subtree alone is larger than a call: then the block
//   is created with the children that fit, and the others are appended under it in later calls.
// - TableCells cannot be created as children of an existing table; more rows are added with the update-block
//   operation `insert_table_row` and then filled (docx overview, 子块规则:
//   https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/docx-overview). So an oversized table is
//   created with the first K rows that fit, and the remaining rows are described for the writer to append.
//   That costs one write per appended row, so the converter (src/markdown/blocks.ts, MAX_GROWN_TABLE_ROWS) only
//   leaves a few rows to append: a larger table reaches this point already split into tables that each fit one call.
import type { Block, BlockNode, DescendantRequest, TablePayload } from './model.js'
import { BlockType } from './model.js'
import { DOCX_LIMITS } from './limits.js'
import { preOrder, requestOf, requestToTree } from './tree.js'

/** Blocks one descendant call may create (DOCX_LIMITS.createDescendants). */
export const MAX_BLOCKS_PER_CALL: number = DOCX_LIMITS.createDescendants

export type WriteStep =
  | {
      kind: 'descendant'
      /** Temporary id of a block created by an earlier step to write under; absent: the request's own parent. */
      parent?: string
      request: DescendantRequest
    }
  | {
      kind: 'table-rows'
      /** Temporary id of the table (created by an earlier step with its first rows). */
      table: string
      rows: TableRowAppend[]
    }

/** A row to add with `insert_table_row {row_index}`, then each new cell filled with its children request. */
export interface TableRowAppend {
  rowIndex: number
  /** One request per column, left to right: the cell's content (a cell holds ≥ 1 block). */
  cells: DescendantRequest[]
}

export interface TableSplit {
  /** The table with its first rows (row_size updated) and their cells: a request of at most `limit` blocks. */
  head: BlockNode<Block>
  rows: TableRowAppend[]
  /** False when even one row (or one cell's content) exceeds `limit`; the head then still holds one row. */
  fits: boolean
}

/** Splits a request into ordered write steps of at most `limit` blocks each (temporary ids are kept). */
export function planDescendantWrites(request: DescendantRequest, limit = MAX_BLOCKS_PER_CALL): WriteStep[] {
  const roots = requestToTree(request)
  const sizes = subtreeSizes(roots)
  const steps: WriteStep[] = []
  let rootsWritten = 0

  const emit = (nodes: BlockNode<Block>[], parent: string | undefined) => {
    const step = requestOf(nodes)
    if (parent !== undefined) {
      steps.push({ kind: 'descendant', parent, request: step })
      return
    }
    if (request.index !== undefined) step.index = request.index >= 0 ? request.index + rootsWritten : request.index
    rootsWritten += nodes.length
    steps.push({ kind: 'descendant', request: step })
  }

  const pack = (nodes: BlockNode<Block>[], parent: string | undefined) => {
    let batch: BlockNode<Block>[] = []
    let batchSize = 0
    const flush = () => {
      if (batch.length > 0) emit(batch, parent)
      batch = []
      batchSize = 0
    }
    for (const node of nodes) {
      const size = sizes.get(node)!
      if (size <= limit) {
        if (batchSize + size > limit) flush()
        batch.push(node)
        batchSize += size
        continue
      }
      flush()
      placeOversized(node, parent)
    }
    flush()
  }

  const placeOversized = (node: BlockNode<Block>, parent: string | undefined) => {
    if (node.block.block_type === BlockType.table) {
      const split = splitTable(node, limit)
      emit([split.head], parent)
      if (split.rows.length > 0) steps.push({ kind: 'table-rows', table: node.block.block_id, rows: split.rows })
      return
    }
    // The block with the leading children that fit; the others are appended under it afterwards.
    let used = 1
    let fitting = 0
    while (fitting < node.children.length && used + sizes.get(node.children[fitting]!)! <= limit) {
      used += sizes.get(node.children[fitting]!)!
      fitting++
    }
    emit([{ block: node.block, children: node.children.slice(0, fitting) }], parent)
    pack(node.children.slice(fitting), node.block.block_id)
  }

  pack(roots, undefined)
  return steps
}

/** Describes a table as "create it with the first K rows, then append these rows", K as large as `limit` allows. */
export function splitTable(table: BlockNode<Block>, limit = MAX_BLOCKS_PER_CALL): TableSplit {
  const payload = table.block.table as TablePayload | undefined
  const columns = Math.max(1, payload?.property.column_size ?? table.children.length)
  const rows: BlockNode<Block>[][] = []
  for (let start = 0; start < table.children.length; start += columns) rows.push(table.children.slice(start, start + columns))

  const sizes = subtreeSizes(table.children)
  const rowSize = (row: BlockNode<Block>[]) => row.reduce((sum, cell) => sum + sizes.get(cell)!, 0)
  let used = 1 + rowSize(rows[0] ?? [])
  let headRows = 1
  while (headRows < rows.length && used + rowSize(rows[headRows]!) <= limit) used += rowSize(rows[headRows++]!)

  const property = { ...payload?.property, row_size: Math.min(headRows, rows.length) }
  const head: BlockNode<Block> = {
    block: { ...table.block, table: { ...payload, property } },
    children: rows.slice(0, headRows).flat(),
  }
  const appended = rows.slice(headRows).map((row, offset) => ({
    rowIndex: headRows + offset,
    cells: row.map((cell) => requestOf(cell.children)),
  }))
  const fits = used <= limit && rows.every((row) => row.every((cell) => sizes.get(cell)! - 1 <= limit))
  return { head, rows: appended, fits }
}


/** Number of blocks in each node's subtree (the node included), computed bottom-up once. */
function subtreeSizes(roots: readonly BlockNode<Block>[]): Map<BlockNode<Block>, number> {
  const sizes = new Map<BlockNode<Block>, number>()
  const nodes = [...preOrder(roots)]
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!
    sizes.set(node, 1 + node.children.reduce((sum, child) => sum + sizes.get(child)!, 0))
  }
  return sizes
}
