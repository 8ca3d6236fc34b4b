// Table blocks from rows of cells, for GFM tables (blocks.ts) and HTML tables (html-tables.ts): one table when
// it can be created, else consecutive tables that each repeat the first row.
import type { Node } from 'mdast'
import { MAX_BLOCKS_PER_CALL } from '../blocks/chunk.js'
import { type CellMerge, mergeInfoOf } from '../blocks/merges.js'
import { type BlockNode, BlockType } from '../blocks/model.js'
import { countBlocks } from '../blocks/tree.js'
import { containerBlock } from './build.js'
import type { ConvertContext } from './context.js'

/**
 * A table from rows of cell blocks (each row `columns` cells): one table block when it can be created, else
 * consecutive tables each starting with a copy of the first row (see splitTableRows). Also used for HTML tables,
 * with their merged cells (`merges`, positions in `rows`), carried as `merge_info` (src/blocks/merges.ts).
 */
export function tableFromRows(
  rows: BlockNode[][],
  columns: number,
  headerRow: boolean,
  source: Node,
  ctx: ConvertContext,
  merges: readonly CellMerge[] = [],
): BlockNode[] {
  const { parts, grown } = splitTableRows(rows)
  if (parts.length > 1) {
    ctx.warn(
      'table-split',
      source,
      `This table has ${rows.length - 1} rows, too many to create at once, so it is published as ${parts.length} consecutive tables of at most ` +
        `${Math.max(...parts.map((part) => part.length))} rows, each starting with the header row. Feishu creates table cells only together with ` +
        `their table (at most ${MAX_BLOCKS_PER_CALL} blocks per call) or one inserted row per call ` +
        `(https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/docx-overview); ${grown} rows added one call each would be ` +
        `more than the ${MAX_GROWN_TABLE_ROWS} this action adds to one table.`,
    )
  }
  let firstBody = 1
  return parts.map((part, i) => {
    const header = i === 0 ? rows[0]! : rows[0]!.map((cell) => copyBlock(cell, ctx))
    const cells = [...header, ...part].flat()
    const partMerges = mergesInPart(merges, firstBody, part.length)
    firstBody += part.length
    const property = {
      row_size: part.length + 1,
      column_size: columns,
      ...(headerRow ? { header_row: true } : {}),
      ...(partMerges.length > 0 ? { merge_info: mergeInfoOf(part.length + 1, columns, partMerges) } : {}),
    }
    return containerBlock(BlockType.table, { property }, cells)
  })
}

/**
 * The merges of one part of a split table (the header row, then source rows firstBody … firstBody+bodyRows-1),
 * in the part's rows: a merge starting in the part, cut at the part's last row (and at the header row, for a
 * header cell merged downwards in a later part, whose next row is not the source's next row).
 */
function mergesInPart(merges: readonly CellMerge[], firstBody: number, bodyRows: number): CellMerge[] {
  const out: CellMerge[] = []
  for (const m of merges) {
    let row: number
    let rowSpan: number
    if (m.row === 0) {
      row = 0
      rowSpan = firstBody === 1 ? Math.min(m.rowSpan, bodyRows + 1) : 1
    } else if (m.row >= firstBody && m.row < firstBody + bodyRows) {
      row = m.row - firstBody + 1
      rowSpan = Math.min(m.rowSpan, firstBody + bodyRows - m.row)
    } else continue
    if (rowSpan > 1 || m.colSpan > 1) out.push({ row, column: m.column, rowSpan, colSpan: m.colSpan })
  }
  return out
}

/**
 * Body rows beyond which a table no longer grows row by row. The writer creates a table whose cells exceed one
 * descendant call with the rows that fit, then adds the others one `insert_table_row` call each (src/sync/apply/document.ts);
 * a few such rows cost seconds, but 10,000 rows at the documented 3 writes/s would take about an hour, longer
 * than a run or its access token lasts. Our own bound, not a Feishu limit.
 */
export const MAX_GROWN_TABLE_ROWS = 50

/**
 * The body rows of each table a GFM table is published as: one part when its cells fit in one descendant call or
 * need at most MAX_GROWN_TABLE_ROWS rows added afterwards; otherwise consecutive parts that each fit in one call
 * together with a copy of the header row (so every part is created by one call and the block diff of a re-sync
 * compares like with like: the split is a pure function of the source).
 */
function splitTableRows(rows: readonly BlockNode[][]): { parts: BlockNode[][][]; grown: number } {
  const [header = [], ...body] = rows
  const size = (row: readonly BlockNode[]) => countBlocks(row)
  const sizes = body.map(size)
  const base = 1 + size(header)
  let used = base
  let fitting = 0
  while (fitting < body.length && used + sizes[fitting]! <= MAX_BLOCKS_PER_CALL) used += sizes[fitting++]!
  const grown = body.length - fitting
  if (grown <= MAX_GROWN_TABLE_ROWS) return { parts: [[...body]], grown }
  const parts: BlockNode[][][] = []
  let part: BlockNode[][] = []
  used = base
  body.forEach((row, i) => {
    if (part.length > 0 && used + sizes[i]! > MAX_BLOCKS_PER_CALL) {
      parts.push(part)
      part = []
      used = base
    }
    part.push(row)
    used += sizes[i]!
  })
  if (part.length > 0) parts.push(part)
  return { parts, grown }
}

/** A deep copy of a block tree (a repeated header row), with the images in it registered again. */
function copyBlock(node: BlockNode, ctx: ConvertContext): BlockNode {
  const copy: BlockNode = { block: structuredClone(node.block), children: node.children.map((child) => copyBlock(child, ctx)) }
  const fill = ctx.fillables.find((a) => a.node === node)
  if (fill) ctx.fillables.push({ ...fill, node: copy })
  return copy
}
