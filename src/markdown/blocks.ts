// Flow content (mdast) → Feishu block trees.
import type { Blockquote, Code, Heading, List, ListItem, Nodes, Paragraph, RootContent, Table, TableCell } from 'mdast'
import { type BlockNode, BlockType, headingBlockType, type TextElement } from '../blocks/model.js'
import type { ContainerDirective } from 'mdast-util-directive'
import { admonitionKind, splitLabel } from './admonitions.js'
import { type Alert, readAlert, separateCalloutContent } from './alerts.js'
import { codeBlock, containerBlock, dividerBlock, leadingText, piecesToBlocks, textBlock } from './build.js'
import { codeLanguage, infoLanguage } from './code-languages.js'
import type { ConvertContext } from './context.js'
import { diagramBlock } from './diagrams.js'
import { htmlBlocks } from './html-blocks.js'
import { expandIncludes, siteSyntaxKinds } from './includes.js'
import { joinedHtml, splitTableEnd } from './html-tables.js'
import { tableFromRows } from './tables.js'

export { MAX_GROWN_TABLE_ROWS } from './tables.js'
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
  const out: BlockNode[] = []
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!
    // An HTML table cut into several nodes by blank lines is converted whole (html-tables.ts).
    const end = node.type === 'html' ? splitTableEnd(nodes, i) : undefined
    if (end !== undefined) {
      out.push(...htmlBlocks(joinedHtml(nodes.slice(i, end + 1)), node, ctx))
      i = end
    } else out.push(...convertBlock(node, ctx, depth))
  }
  return out
}

function convertBlock(node: RootContent, ctx: ConvertContext, depth: number): BlockNode[] {
  switch (node.type) {
    case 'paragraph':
      warnSiteSyntax(node, ctx)
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
    case 'containerDirective':
      return admonitionBlocks(node, ctx, depth)
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

/** Site-generator syntax in a paragraph is published as written, with one warning per kind per file. */
function warnSiteSyntax(paragraph: Paragraph, ctx: ConvertContext): void {
  // Text only: syntax quoted in a code span is shown as code, as meant.
  const text = paragraph.children.map((node) => (node.type === 'text' ? node.value : ' ')).join('')
  for (const kind of siteSyntaxKinds(text)) {
    ctx.warnOnce('site-syntax', paragraph, `${kind} cannot be expanded here, so it is published as written.`, `syntax:${kind}`)
  }
}

function headingBlocks(heading: Heading, ctx: ConvertContext): BlockNode[] {
  const { elements, rest } = leadingText(convertInline(heading.children, ctx), ctx)
  if (heading === ctx.titleHeading) {
    ctx.headings.push({ text: plainText(heading.children) })
    return rest.filter((node) => node.block.block_type === BlockType.image)
  }
  const block = textBlock(headingBlockType(heading.depth), elements)
  ctx.headings.push({ text: plainText(heading.children), node: block })
  return [block, ...rest]
}

/** Fence languages that are diagrams, not code. */
const DIAGRAM_FENCES = new Set(['mermaid', 'plantuml', 'puml'])

function codeBlockFor(code: Code, ctx: ConvertContext): BlockNode {
  const diagram = diagramBlock(code, ctx)
  if (diagram) return diagram
  const lang = code.lang ?? ''
  const emptyDiagram = DIAGRAM_FENCES.has(lang.trim().toLowerCase()) && code.value.trim() === ''
  if (emptyDiagram) {
    ctx.warn('diagram-empty', code, `This ${lang.trim()} diagram fence is empty: an empty code block is published in its place. Write the diagram inside the fence, or remove the fence.`)
  }
  const language = codeLanguage(lang)
  // An empty diagram fence is warned about once, above.
  if (!language.known && !emptyDiagram) ctx.warn('code-language-unknown', code, `Code language "${infoLanguage(lang)}" has no Feishu equivalent; the code block is plain text.`)
  const included = expandIncludes(code.value, ctx.path, ctx.readInclude)
  for (const problem of included.problems) ctx.warn('include-unresolved', code, `${problem.directive} is published as written: ${problem.reason}.`)
  return codeBlock(included.code, language.id)
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
  const title = [{ text_run: { content: alert.label, text_element_style: { bold: true } } }]
  return callout(title, alert.colors, convertBlocks(alert.content, ctx, depth + 1), `${alert.label} alert`, quote, ctx)
}

/** A callout: the title line, then what a callout may hold; the rest follows it (alerts.ts). */
function callout(title: TextElement[], colors: object, content: BlockNode[], what: string, source: Nodes, ctx: ConvertContext): BlockNode[] {
  const { inside, after } = separateCalloutContent(content)
  if (after.length > 0) {
    ctx.warn(
      'callout-content-moved',
      source,
      `${after.length} block(s) of the ${what} placed right after its callout: a Feishu callout can only hold text, headings, lists, to-dos and quotes.`,
    )
  }
  return [containerBlock(BlockType.callout, { ...colors }, [textBlock(BlockType.text, title), ...inside]), ...after]
}

/** `::: tip Title` … `:::` (admonitions.ts): a callout; a container we do not know: its content, with a warning. */
function admonitionBlocks(node: ContainerDirective, ctx: ConvertContext, depth: number): BlockNode[] {
  const { label, content } = splitLabel(node)
  const kind = admonitionKind(node.name)
  const blocks = convertBlocks(content, ctx, depth + 1)
  if (!kind) {
    ctx.warnOnce(
      'site-syntax',
      node,
      `Container ":::${node.name}" has no Feishu equivalent: its content is published without it.`,
      `container:${node.name}`,
    )
    return label ? [...convertBlocks([label], ctx, depth + 1), ...blocks] : blocks
  }
  const titleText = label?.type === 'paragraph' ? leadingText(convertInline(label.children, ctx), ctx).elements : []
  const title: TextElement[] =
    titleText.length > 0
      ? titleText.map((element) => ('text_run' in element ? { text_run: { ...element.text_run, text_element_style: { ...element.text_run.text_element_style, bold: true } } } : element))
      : [{ text_run: { content: kind.label, text_element_style: { bold: true } } }]
  return callout(title, kind.colors, blocks, `"${node.name}" container`, node, ctx)
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
  return tableFromRows(rows, columns, true, table, ctx)
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
