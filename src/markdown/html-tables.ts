// HTML tables (`table/caption/thead/tbody/tfoot/tr/th/td`) → native Feishu tables, parsed with the unified
// ecosystem's HTML parser (hast-util-from-html, the parser rehype-parse uses), so browsers' rules for omitted end
// tags and stray text apply. Cell content (inline markup, links, images, line breaks, lists) goes through the
// HTML block writer (html-blocks.ts).
//
// colspan/rowspan: cells are laid out on the grid as browsers do, and each spanning cell becomes a merge of the
// table (src/blocks/merges.ts: carried as `merge_info`, made with `merge_table_cells` after the table exists).
// The content is in the merge's first cell; the cells it covers are empty. A span that runs past the table's end
// or into a cell already taken by a span from above is shortened to fit, with a warning at its line.
import type { Element, ElementContent, Root, RootContent } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { toHtml } from 'hast-util-to-html'
import type { Node, RootContent as MdastContent } from 'mdast'
import { toHast } from 'mdast-util-to-hast'
import type { CellMerge } from '../blocks/merges.js'
import { type BlockNode, BlockType } from '../blocks/model.js'
import { containerBlock, textBlock } from './build.js'
import type { ConvertContext } from './context.js'
import { tableFromRows } from './tables.js'

/** Rows or columns one span may cover: our bound against `colspan="100000"`, far beyond real tables. */
const MAX_SPAN = 100

/**
 * Merged cells made in one table. Each merge is one write call (batch_update takes one change per block per
 * call), at the documented 3 writes/s per document; our bound, not Feishu's, so a generated table with a span
 * in every row cannot cost minutes. Spans beyond it are laid out but left unmerged, with a warning.
 */
export const MAX_TABLE_MERGES = 50

export function hasHtmlTable(html: string): boolean {
  return /<table[\s>]/i.test(html)
}

/** `<table` opened minus `</table>` closed in an HTML fragment. */
function tableBalance(html: string): number {
  return (html.match(/<table[\s>]/gi)?.length ?? 0) - (html.match(/<\/table\s*>/gi)?.length ?? 0)
}

/**
 * An HTML table with blank lines in it is cut by CommonMark into several HTML blocks with Markdown between them
 * (`<td>` ⏎⏎ `**text**` ⏎⏎ `</td>`, as GitHub renders it). For an HTML node at `start` that opens a table it
 * does not close: the index of the sibling that closes it, else undefined.
 */
export function splitTableEnd(nodes: readonly MdastContent[], start: number): number | undefined {
  const first = nodes[start]
  if (first?.type !== 'html') return undefined
  let balance = tableBalance(first.value)
  if (balance <= 0) return undefined
  for (let i = start + 1; i < nodes.length; i++) {
    const node = nodes[i]!
    if (node.type === 'html') balance += tableBalance(node.value)
    if (balance <= 0) return i
  }
  return undefined
}

/** Such a run of siblings as one HTML text: the HTML as written, the Markdown between rendered by mdast-util-to-hast. */
export function joinedHtml(nodes: readonly MdastContent[]): string {
  return nodes
    .map((node) => (node.type === 'html' ? node.value : toHtml(toHast(node, { allowDangerousHtml: true }), { allowDangerousHtml: true })))
    .join('\n')
}

/**
 * The HTML as blocks: tables as Feishu tables, the rest through `otherHtml` (the HTML block writer), in order.
 */
export function htmlWithTables(html: string, source: Node, ctx: ConvertContext, otherHtml: (html: string) => BlockNode[]): BlockNode[] {
  const root: Root = fromHtml(html, { fragment: true })
  const out: BlockNode[] = []
  let pending: RootContent[] = []
  const flush = () => {
    if (pending.length > 0) out.push(...otherHtml(toHtml({ type: 'root', children: pending })))
    pending = []
  }
  const visit = (nodes: readonly RootContent[]) => {
    for (const node of nodes) {
      if (node.type === 'element' && node.tagName === 'table') {
        flush()
        out.push(...tableBlocks(node, source, ctx, otherHtml))
      } else if (node.type === 'element' && containsTable(node)) {
        // A wrapper (<div align="center">, <p>) around a table: its parts in order.
        visit(node.children)
      } else pending.push(node)
    }
  }
  visit(root.children)
  flush()
  return out
}

function containsTable(node: Element): boolean {
  return node.children.some((child) => child.type === 'element' && (child.tagName === 'table' || containsTable(child)))
}

function tableBlocks(table: Element, source: Node, ctx: ConvertContext, otherHtml: (html: string) => BlockNode[]): BlockNode[] {
  const caption = elements(table.children).find((child) => child.tagName === 'caption')
  const rows: { cells: Element[]; head: boolean }[] = []
  for (const child of elements(table.children)) {
    if (child.tagName === 'tr') rows.push({ cells: cellsOf(child), head: false })
    else if (['thead', 'tbody', 'tfoot'].includes(child.tagName)) {
      for (const row of elements(child.children)) if (row.tagName === 'tr') rows.push({ cells: cellsOf(row), head: child.tagName === 'thead' })
    }
  }
  const before = caption ? otherHtml(`<p>${toHtml(caption.children)}</p>`) : []
  if (rows.length === 0 || rows.every((row) => row.cells.length === 0)) return before

  // Lay the cells out on a grid, as browsers do: a cell takes the first free column of its row.
  const grid: (Element | null)[][] = rows.map(() => [])
  const merges: CellMerge[] = []
  rows.forEach((row, r) => {
    let column = 0
    for (const cell of row.cells) {
      while (grid[r]![column] !== undefined) column++
      const wanted = { colspan: spanOf(cell.properties?.colSpan), rowspan: spanOf(cell.properties?.rowSpan, rows.length - r) }
      // A span may not reach past the last row, nor over a column a rowspan from above already holds.
      let colspan = 0
      while (colspan < wanted.colspan && grid[r]![column + colspan] === undefined) colspan++
      const rowspan = Math.min(wanted.rowspan, rows.length - r)
      if (colspan < wanted.colspan || rowspan < wanted.rowspan) {
        ctx.warn(
          'html-table-span-clamped',
          cellSource(cell, source),
          `An HTML table cell spans ${wanted.colspan} column(s) and ${wanted.rowspan} row(s), which ${rowspan < wanted.rowspan ? 'runs past the end of the table' : 'overlaps a cell spanning from a row above'}: ` +
            `it is merged over ${colspan} column(s) and ${rowspan} row(s). Fix its colspan/rowspan so the table's cells do not overlap.`,
        )
      }
      for (let dr = 0; dr < rowspan; dr++) for (let dc = 0; dc < colspan; dc++) grid[r + dr]![column + dc] = dr === 0 && dc === 0 ? cell : null
      if (colspan > 1 || rowspan > 1) merges.push({ row: r, column, rowSpan: rowspan, colSpan: colspan })
      column += colspan
    }
  })
  if (merges.length > MAX_TABLE_MERGES) {
    ctx.warn(
      'html-table-merges-capped',
      source,
      `An HTML table has ${merges.length} cells with colspan/rowspan; the first ${MAX_TABLE_MERGES} are merged and the others are left unmerged ` +
        `(their content in their first cell, the cells they span empty): each merge is one write to Feishu, which takes one change per table per call.`,
    )
    merges.length = MAX_TABLE_MERGES
  }
  const columns = Math.max(1, ...grid.map((row) => row.length))
  const cellRows = grid.map((row) => Array.from({ length: columns }, (_, c) => cellBlock(row[c] ?? null, otherHtml)))
  const headerRow = rows[0]!.head || rows[0]!.cells.every((cell) => cell.tagName === 'th')
  return [...before, ...tableFromRows(cellRows, columns, headerRow, source, ctx, merges)]
}

/** A cell holds at least one text block, and never a table (Feishu's rule, see blocks.ts). */
function cellBlock(cell: Element | null, otherHtml: (html: string) => BlockNode[]): BlockNode {
  const content = cell ? otherHtml(toHtml(cell.children)).filter((block) => block.block.block_type !== BlockType.table) : []
  return containerBlock(BlockType.table_cell, {}, content.length > 0 ? content : [textBlock(BlockType.text, [])])
}

function cellsOf(row: Element): Element[] {
  return elements(row.children).filter((cell) => cell.tagName === 'td' || cell.tagName === 'th')
}

function elements(nodes: readonly (ElementContent | RootContent)[]): Element[] {
  return nodes.filter((node): node is Element => node.type === 'element')
}

/**
 * A colspan/rowspan as browsers read it: a positive integer, else 1; `rowspan="0"` runs to the last row
 * (`toEnd`); at most MAX_SPAN.
 */
function spanOf(value: unknown, toEnd?: number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? '1'), 10)
  if (n === 0 && toEnd !== undefined) return toEnd
  return Number.isFinite(n) && n >= 1 ? Math.min(Math.floor(n), MAX_SPAN) : 1
}

/** The cell's place in the Markdown file, for a warning: the HTML's line plus the cell's line within it. */
function cellSource(cell: Element, source: Node): Node {
  const start = source.position?.start
  const within = cell.position?.start.line
  if (!start || within === undefined) return source
  const line = start.line + within - 1
  return { type: source.type, position: { start: { line, column: 1 }, end: { line, column: 1 } } }
}
