// HTML tables (`table/caption/thead/tbody/tfoot/tr/th/td`) → native Feishu tables, parsed with the unified
// ecosystem's HTML parser (hast-util-from-html, the parser rehype-parse uses), so browsers' rules for omitted end
// tags and stray text apply. Cell content (inline markup, links, images, line breaks, lists) goes through the
// HTML block writer (html-blocks.ts).
//
// colspan/rowspan: a merged cell cannot be created. `table.property.merge_info` is read-only and rejected on
// create ("Do not send merge_info", https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/block-data-structure),
// merging takes a separate `merge_table_cells` update after the table exists, which the writer does not do, so
// a spanned cell's content stays in its first cell, the cells it covers are empty, and the page gets a warning.
import type { Element, ElementContent, Root, RootContent } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { toHtml } from 'hast-util-to-html'
import type { Node, RootContent as MdastContent } from 'mdast'
import { toHast } from 'mdast-util-to-hast'
import { type BlockNode, BlockType } from '../blocks/model.js'
import { containerBlock, textBlock } from './build.js'
import type { ConvertContext } from './context.js'
import { tableFromRows } from './tables.js'

/** Rows or columns one span may cover: our bound against `colspan="100000"`, far beyond real tables. */
const MAX_SPAN = 100

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
  let merged = false
  rows.forEach((row, r) => {
    let column = 0
    for (const cell of row.cells) {
      while (grid[r]![column] !== undefined) column++
      const colspan = span(cell.properties?.colSpan)
      const rowspan = Math.min(span(cell.properties?.rowSpan), rows.length - r)
      if (colspan > 1 || rowspan > 1) merged = true
      for (let dr = 0; dr < rowspan; dr++) for (let dc = 0; dc < colspan; dc++) grid[r + dr]![column + dc] = dr === 0 && dc === 0 ? cell : null
      column += colspan
    }
  })
  const columns = Math.max(1, ...grid.map((row) => row.length))
  if (merged) {
    ctx.warn(
      'html-table-merged-cells',
      source,
      'An HTML table has merged cells (colspan/rowspan): each one is published in its first cell and the cells it spans are left empty, since Feishu creates tables without merges.',
    )
  }
  const cellRows = grid.map((row) => Array.from({ length: columns }, (_, c) => cellBlock(row[c] ?? null, otherHtml)))
  const headerRow = rows[0]!.head || rows[0]!.cells.every((cell) => cell.tagName === 'th')
  return [...before, ...tableFromRows(cellRows, columns, headerRow, source, ctx)]
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

function span(value: unknown): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? '1'), 10)
  return Number.isFinite(n) && n >= 1 ? Math.min(Math.floor(n), MAX_SPAN) : 1
}
