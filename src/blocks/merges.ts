// Merged table cells. Feishu reads a table's merges back as `table.property.merge_info`: one
// `{row_span, col_span}` per cell, row-major; a merged cell carries its spans and the cells it covers still exist,
// each read back 1×1 (recorded document: feishu-docx tests/fixtures/case3.raw.json, a `colspan="3"` row and two
// `rowspan="2"` cells). merge_info is read-only: sending it on create is an error ("由于当前 merge_info 为只读属性，
// 传入该字段会引发报错", docx.v1.document.convert, https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/document/convert).
// So a table is created unmerged and each merge is made afterwards with the update-block operation
// `merge_table_cells {row_start_index, row_end_index, column_start_index, column_end_index}`, whose end indexes
// are exclusive ("区间左闭右开", https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/batch_update).
//
// The converter puts the merges it wants on the table block as `merge_info`, in the shape Feishu reads back, so
// the canonical form (canonical.ts) compares both sides the same way; the writer strips it before creating the
// table (withoutMergeInfo) and sends mergeRequest for each merge.
import type { Block, TableProperty } from './model.js'

/** One merged cell: its top-left position and how many rows and columns it covers (each ≥ 1, not both 1). */
export interface CellMerge {
  row: number
  column: number
  rowSpan: number
  colSpan: number
}

export type MergeInfo = NonNullable<TableProperty['merge_info']>

/** The merges a table property holds (`merge_info` entries covering more than one cell), in row-major order. */
export function tableMerges(property: unknown): CellMerge[] {
  if (!isRecord(property) || !Array.isArray(property.merge_info)) return []
  const columns = Number(property.column_size)
  if (!Number.isInteger(columns) || columns < 1) return []
  const merges: CellMerge[] = []
  property.merge_info.forEach((entry: unknown, index: number) => {
    if (!isRecord(entry)) return
    const rowSpan = span(entry.row_span)
    const colSpan = span(entry.col_span)
    if (rowSpan > 1 || colSpan > 1) merges.push({ row: Math.floor(index / columns), column: index % columns, rowSpan, colSpan })
  })
  return merges
}

/** merge_info for a rows × columns table with these merges, as Feishu reads it back (every other cell 1×1). */
export function mergeInfoOf(rows: number, columns: number, merges: readonly CellMerge[]): MergeInfo {
  const info: MergeInfo = Array.from({ length: rows * columns }, () => ({ row_span: 1, col_span: 1 }))
  for (const m of merges) info[m.row * columns + m.column] = { row_span: m.rowSpan, col_span: m.colSpan }
  return info
}

/** The `merge_table_cells` operation making one merge (end indexes exclusive). */
export function mergeRequest(merge: CellMerge): {
  merge_table_cells: { row_start_index: number; row_end_index: number; column_start_index: number; column_end_index: number }
} {
  return {
    merge_table_cells: {
      row_start_index: merge.row,
      row_end_index: merge.row + merge.rowSpan,
      column_start_index: merge.column,
      column_end_index: merge.column + merge.colSpan,
    },
  }
}

/** The block as it can be created: a table without its read-only `merge_info`; any other block unchanged. */
export function withoutMergeInfo<B extends Block>(block: B): B {
  const table = block.table
  if (!isRecord(table) || !isRecord(table.property) || !('merge_info' in table.property)) return block
  const { merge_info: _readOnly, ...property } = table.property
  return { ...block, table: { ...table, property } }
}

function span(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 1 ? value : 1
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
