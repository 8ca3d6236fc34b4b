// Flow content (mdast) → Feishu block trees.
import type { Blockquote, Code, Heading, List, ListItem, Nodes, RootContent, Table, TableCell } from 'mdast'
import { MAX_BLOCKS_PER_CALL } from '../blocks/chunk.js'
import { type BlockNode, BlockType, headingBlockType, type TextElement } from '../blocks/model.js'
import { countBlocks } from '../blocks/tree.js'
import { type Alert, readAlert, separateCalloutContent } from './alerts.js'
import { codeBlock, containerBlock, dividerBlock, leadingText, piecesToBlocks, textBlock } from './build.js'
import { codeLanguage, PLAIN_TEXT } from './code-languages.js'
import type { ConvertContext } from './context.js'
import { htmlBlocks } from './html-blocks.js'
import { convertInline, plainText } from './inline.js'

/**
 * Our SAFETY bound on block nesting (lists in lists, quotes in quotes), NOT a Feishu limit: Feishu documents an
 * error for "too deep level" (1770005) but no number. Deeper content is flattened into the level-32 container
 * with a warning, so pathological input (lists 100 deep) stays bounded; 32 is far beyond what people write
 * (GitHub stops indenting visibly at about ten levels).
 */
export const MAX_NESTING = 32

export function convertBlocks(nodes: readonly RootContent[], ctx: ConvertContext, depth: number): BlockNode[] {
  if (depth >= MAX_NESTING) return flattenBlocks(nodes, ctx)
  return nodes.flatMap((node) => convertBlock(node, ctx, depth))
}

function convertBlock(node: RootContent, ctx: ConvertContext, depth: number): BlockNode[] {
  switch (node.type) {
    case 'paragraph':
      return piecesToBlocks(convertInline(node.children, ctx), ctx)
    case 'heading':
      return headingBlocks(node, ctx)
    case 'thematicBreak':
      return [dividerBlock()]
    case 'code':
      return [codeBlockFor(node, ctx)]
    case 'math':
      return [mathBlock(node.value)]
    case 'html':
      return htmlBlocks(node.value, node, ctx)
    case 'table':
      return tableBlocks(node, ctx)
    case 'blockquote':
      return quoteBlocks(node, ctx, depth)
    case 'list':
      return listBlocks(node, ctx, depth)
    case 'listItem':
      return listItemBlocks(node, false, ctx, depth)
    case 'definition':
    case 'footnoteDefinition':
    case 'yaml':
      return []
    default: {
      const text = plainText([node as Nodes])
      return text === '' ? [] : [textBlock(BlockType.text, [{ text_run: { content: text } }])]
    }
  }
}

function headingBlocks(heading: Heading, ctx: ConvertContext): BlockNode[] {
  const { elements, rest } = leadingText(convertInline(heading.children, ctx), ctx)
  if (heading === ctx.titleHeading) return rest.filter((node) => node.block.block_type === BlockType.image)
  return [textBlock(headingBlockType(heading.depth), elements), ...rest]
}

/** Fence languages that are diagrams, not code. */
const DIAGRAM_FENCES = new Set(['mermaid', 'plantuml', 'puml'])

function codeBlockFor(code: Code, ctx: ConvertContext): BlockNode {
  const lang = code.lang ?? ''
  if (DIAGRAM_FENCES.has(lang.trim().toLowerCase()) && code.value.trim() === '') {
    ctx.warn('diagram-empty', code, `This ${lang.trim()} diagram fence is empty: an empty code block is published in its place. Write the diagram inside the fence, or remove the fence.`)
  }
  if (lang.trim().toLowerCase() === 'mermaid') {
    // PlainText rather than Markdown: Markdown highlighting would colour Mermaid syntax wrongly.
    ctx.warn('mermaid-as-code', code, 'Mermaid diagram written as a plain-text code block: the API cannot create Feishu diagrams from Mermaid.')
    return codeBlock(code.value, PLAIN_TEXT)
  }
  const language = codeLanguage(lang)
  if (!language.known) ctx.warn('code-language-unknown', code, `Code language "${lang}" has no Feishu equivalent; the code block is plain text.`)
  return codeBlock(code.value, language.id)
}

/**
 * `$$…$$` → a text block holding one equation element. The request schema has an `equation` payload, but the
 * official block_type enum has no number for it (it skips 16), so the block form is not used.
 */
function mathBlock(tex: string): BlockNode {
  const content = tex.trim()
  return textBlock(BlockType.text, content === '' ? [] : [{ equation: { content } }])
}

function quoteBlocks(quote: Blockquote, ctx: ConvertContext, depth: number): BlockNode[] {
  const alert = readAlert(quote)
  if (alert) return calloutBlocks(alert, quote, ctx, depth)
  const children = convertBlocks(quote.children, ctx, depth + 1)
  return [containerBlock(BlockType.quote_container, {}, children.length > 0 ? children : [textBlock(BlockType.text, [])])]
}

function calloutBlocks(alert: Alert, quote: Blockquote, ctx: ConvertContext, depth: number): BlockNode[] {
  const title = textBlock(BlockType.text, [{ text_run: { content: alert.label, text_element_style: { bold: true } } }])
  const { inside, after } = separateCalloutContent(convertBlocks(alert.content, ctx, depth + 1))
  if (after.length > 0) {
    ctx.warn(
      'callout-content-moved',
      quote,
      `${after.length} block(s) of the ${alert.label} alert placed right after its callout: a Feishu callout can only hold text, headings, lists, to-dos and quotes.`,
    )
  }
  return [containerBlock(BlockType.callout, { ...alert.colors }, [title, ...inside]), ...after]
}

function listBlocks(list: List, ctx: ConvertContext, depth: number): BlockNode[] {
  const start = list.start ?? 1
  if (list.ordered && start !== 1 && ctx.continuedList !== list) {
    ctx.warn('ordered-list-start', list, `This list starts at ${start}, but Feishu numbers it from 1: the create-block request has no field for the start number.`)
  }
  return list.children.flatMap((item) => listItemBlocks(item, list.ordered === true, ctx, depth))
}

/** A list item: its first paragraph is the bullet/ordered/todo block's text, everything else its children. */
function listItemBlocks(item: ListItem, ordered: boolean, ctx: ConvertContext, depth: number): BlockNode[] {
  const { block, rest, children } = listItemBlock(item, ordered, ctx)
  block.children = [...rest, ...convertBlocks(children, ctx, depth + 1)]
  return [block]
}

function listItemBlock(item: ListItem, ordered: boolean, ctx: ConvertContext): { block: BlockNode; rest: BlockNode[]; children: RootContent[] } {
  const [first, ...others] = item.children
  const startsWithText = first?.type === 'paragraph'
  const { elements, rest } = startsWithText ? leadingText(convertInline(first.children, ctx), ctx) : { elements: [], rest: [] }
  const task = typeof item.checked === 'boolean'
  const type = task ? BlockType.todo : ordered ? BlockType.ordered : BlockType.bullet
  return { block: textBlock(type, elements, task ? { done: item.checked === true } : undefined), rest, children: startsWithText ? others : item.children }
}

/** Nesting past MAX_NESTING: containers are unwrapped and their content placed side by side, iteratively. */
function flattenBlocks(nodes: readonly RootContent[], ctx: ConvertContext): BlockNode[] {
  ctx.warnOnce(
    'nesting-flattened',
    nodes[0],
    `Lists and quotes nested deeper than ${MAX_NESTING} levels are flattened to that depth (a safety bound of this converter).`,
  )
  const out: BlockNode[] = []
  const pending: { node: RootContent; ordered: boolean }[] = nodes.map((node) => ({ node, ordered: false })).reverse()
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node } = next
    if (node.type === 'list') pending.push(...node.children.map((item) => ({ node: item, ordered: node.ordered === true })).reverse())
    else if (node.type === 'listItem') {
      const { block, rest, children } = listItemBlock(node, next.ordered, ctx)
      out.push(block, ...rest)
      pending.push(...children.map((child) => ({ node: child, ordered: false })).reverse())
    } else if (node.type === 'blockquote') pending.push(...node.children.map((child) => ({ node: child, ordered: false })).reverse())
    else out.push(...convertBlock(node, ctx, MAX_NESTING))
  }
  return out
}

function tableBlocks(table: Table, ctx: ConvertContext): BlockNode[] {
  const columns = Math.max(1, table.align?.length ?? table.children[0]?.children.length ?? 1)
  const rows = table.children.map((row) => {
    if (row.children.length > columns) {
      ctx.warn('table-cells-dropped', row, `A table row has ${row.children.length} cells but the table has ${columns} columns; the extra cells are left out (as GitHub does).`)
    }
    return Array.from({ length: columns }, (_, column) => tableCell(row.children[column], table.align?.[column], ctx))
  })
  const { parts, grown } = splitTableRows(rows)
  if (parts.length > 1) {
    ctx.warn(
      'table-split',
      table,
      `This table has ${rows.length - 1} rows, too many to create at once, so it is published as ${parts.length} consecutive tables of at most ` +
        `${Math.max(...parts.map((part) => part.length))} rows, each starting with the header row. Feishu creates table cells only together with ` +
        `their table (at most ${MAX_BLOCKS_PER_CALL} blocks per call) or one inserted row per call ` +
        `(https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/docx-overview); ${grown} rows added one call each would be ` +
        `more than the ${MAX_GROWN_TABLE_ROWS} this action adds to one table.`,
    )
  }
  return parts.map((part, i) => {
    const header = i === 0 ? rows[0]! : rows[0]!.map((cell) => copyBlock(cell, ctx))
    const cells = [...header, ...part].flat()
    return containerBlock(BlockType.table, { property: { row_size: part.length + 1, column_size: columns, header_row: true } }, cells)
  })
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
  const asset = ctx.assets.find((a) => a.node === node)
  if (asset) ctx.assets.push({ ...asset, node: copy })
  return copy
}

/**
 * A cell always holds a text block (empty cells too: a cell without a child fails with 1770041). Column
 * alignment goes on that text's style.align (2 center, 3 right; left is the default), the only alignment a
 * cell's content has in the request schema.
 */
function tableCell(cell: TableCell | undefined, align: string | null | undefined, ctx: ConvertContext): BlockNode {
  const { elements, rest } = leadingText(cell ? convertInline(cell.children, ctx) : [], ctx)
  const style = align === 'center' ? { align: 2 as const } : align === 'right' ? { align: 3 as const } : undefined
  return containerBlock(BlockType.table_cell, {}, [textBlock(BlockType.text, elements, style), ...rest])
}

/** The notes at the end of the document: a divider, a "Footnotes" heading, and "[n] …" per referenced note. */
export function footnoteSection(ctx: ConvertContext): BlockNode[] {
  if (ctx.footnotes.count === 0) return []
  const blocks = [dividerBlock(), textBlock(BlockType.heading2, [{ text_run: { content: 'Footnotes' } }])]
  // Notes can reference further notes, which get the next numbers: the loop sees the count grow.
  for (let number = 1; number <= ctx.footnotes.count; number++) {
    const placed = ctx.footnotes.definition(number)
    const content = placed?.definition.children ?? []
    ctx.lineOffset = placed?.lineOffset ?? 0
    const [first, ...others] = content
    const startsWithText = first?.type === 'paragraph'
    const { elements, rest } = startsWithText ? leadingText(convertInline(first.children, ctx), ctx) : { elements: [], rest: [] }
    blocks.push(textBlock(BlockType.text, withPrefix(`[${number}] `, elements)), ...rest, ...convertBlocks(startsWithText ? others : content, ctx, 0))
  }
  return blocks
}

function withPrefix(prefix: string, elements: readonly TextElement[]): TextElement[] {
  const [first, ...others] = elements
  if (first && 'text_run' in first && !first.text_run.text_element_style) {
    return [{ text_run: { content: prefix + first.text_run.content } }, ...others]
  }
  return [{ text_run: { content: prefix } }, ...elements]
}
