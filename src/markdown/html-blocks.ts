// A block of raw HTML → blocks: paragraphs, headings, list items, <pre> code, images and dividers, with inline
// styles (<b>, <em>, <code>, <a href>, …) kept. <details>/<summary> becomes the summary as bold text, followed
// by the content. Tags a docx cannot show keep their text and are reported; scripts, media and forms are dropped.
import type { Node } from 'mdast'
import { type BlockNode, BlockType, headingBlockType } from '../blocks/model.js'
import { codeBlock, dividerBlock, leadingText, piecesToBlocks, textBlock } from './build.js'
import { PLAIN_TEXT } from './code-languages.js'
import type { ConvertContext } from './context.js'
import { type HtmlToken, isVoidTag, tagRole, tokenizeHtml } from './html.js'
import { hasHtmlTable, htmlWithTables } from './html-tables.js'
import { PieceBuilder } from './pieces.js'
import { type InlineStyle, PLAIN, TagStyles, tagStyle, withFlag } from './styles.js'

const HTML_WHITESPACE = /[ \t\r\n\f]+/g

export function htmlBlocks(html: string, source: Node, ctx: ConvertContext): BlockNode[] {
  if (hasHtmlTable(html)) return htmlWithTables(html, source, ctx, (part) => htmlBlocksWithoutTables(part, source, ctx))
  return htmlBlocksWithoutTables(html, source, ctx)
}

function htmlBlocksWithoutTables(html: string, source: Node, ctx: ConvertContext): BlockNode[] {
  const writer = new HtmlBlockWriter(ctx, source)
  for (const token of tokenizeHtml(html)) writer.write(token)
  return writer.finish()
}

class HtmlBlockWriter {
  private readonly blocks: BlockNode[] = []
  private pieces = new PieceBuilder()
  private paragraphType: number = BlockType.text
  private readonly styles = new TagStyles()
  private preformatted: string | undefined
  private dropping: { name: string; depth: number } | undefined
  private cellsInRow = 0
  private readonly lost = new Set<string>()
  private readonly dropped = new Set<string>()

  constructor(
    private readonly ctx: ConvertContext,
    private readonly source: Node,
  ) {}

  write(token: HtmlToken): void {
    if (this.dropping) this.skip(token)
    else if (this.preformatted !== undefined) this.inPre(token)
    else if (token.kind === 'text') this.pieces.text(token.text.replace(HTML_WHITESPACE, ' '), this.style())
    else if (token.kind === 'open') this.opening(token)
    else if (token.kind === 'close') this.closing(token.name)
  }

  finish(): BlockNode[] {
    this.endParagraph()
    if (this.preformatted !== undefined) this.endPre()
    if (this.lost.size > 0) {
      this.ctx.warn('html-stripped', this.source, `HTML ${tagList(this.lost)} cannot be shown in a Feishu document: the tags are left out and the text they hold is kept.`)
    }
    if (this.dropped.size > 0) {
      this.ctx.warn('html-dropped', this.source, `HTML ${tagList(this.dropped)} left out: scripts, media and form controls cannot be shown in a Feishu document.`)
    }
    return this.blocks
  }

  private opening(token: Extract<HtmlToken, { kind: 'open' }>): void {
    const role = tagRole(token.name)
    const push = (restyle?: (style: InlineStyle) => InlineStyle) => this.styles.enter(token, restyle)
    switch (role.role) {
      case 'style':
      case 'link':
        return push(tagStyle(token, this.ctx, this.source))
      case 'line-break':
        return this.pieces.text('\n', this.style())
      case 'image':
        return this.pieces.imageTag(token, this.source, this.style())
      case 'divider':
        this.endParagraph()
        this.blocks.push(dividerBlock())
        return
      case 'heading':
      case 'list-item':
        this.endParagraph()
        this.paragraphType = role.role === 'heading' ? headingBlockType(role.depth) : BlockType.bullet
        return push()
      case 'preformatted':
        this.endParagraph()
        this.preformatted = ''
        return
      case 'summary':
        this.endParagraph()
        return push((style) => withFlag(style, 'bold'))
      case 'table-cell':
        if (this.cellsInRow++ > 0) this.pieces.text(' | ', this.style())
        return push()
      case 'block':
        this.endParagraph()
        return push()
      case 'transparent':
        return push()
      case 'lossy':
        this.lost.add(token.name)
        if (role.block) this.endParagraph()
        if (token.name === 'tr') this.cellsInRow = 0
        this.captionOf(token)
        return push()
      case 'dropped':
        this.dropped.add(token.name)
        if (!token.selfClosing && !isVoidTag(token.name)) this.dropping = { name: token.name, depth: 1 }
    }
  }

  private closing(name: string): void {
    this.styles.leave(name)
    const role = tagRole(name)
    const endsParagraph =
      role.role === 'heading' || role.role === 'list-item' || role.role === 'block' || role.role === 'summary' || (role.role === 'lossy' && role.block)
    if (endsParagraph) this.endParagraph()
    if (role.role === 'heading' || role.role === 'list-item') this.paragraphType = BlockType.text
  }

  /**
   * A component's caption or title attribute is text the reader should see (mdBook's `<Listing number="3-1"
   * file-name="src/main.rs" caption="…">`): it is shown as its own line where the tag stands.
   */
  private captionOf(token: Extract<HtmlToken, { kind: 'open' }>): void {
    const { caption, title, number } = token.attributes
    const fileName = token.attributes['file-name']
    const label = caption ?? title
    if (label === undefined && fileName === undefined) return
    this.endParagraph()
    if (fileName) this.blocks.push(textBlock(BlockType.text, [{ text_run: { content: `Filename: ${fileName}`, text_element_style: { italic: true } } }]))
    if (label?.trim()) {
      const prefix = number ? `${token.name[0]!.toUpperCase()}${token.name.slice(1)} ${number}: ` : ''
      this.blocks.push(textBlock(BlockType.text, [{ text_run: { content: `${prefix}${label.trim()}`, text_element_style: { italic: true } } }]))
    }
  }

  private inPre(token: HtmlToken): void {
    if (token.kind === 'text') this.preformatted += token.text
    else if (token.kind === 'open' && token.name === 'br') this.preformatted += '\n'
    else if (token.kind === 'close' && token.name === 'pre') this.endPre()
  }

  private skip(token: HtmlToken): void {
    const dropping = this.dropping!
    if (token.kind === 'open' && token.name === dropping.name && !token.selfClosing) dropping.depth++
    if (token.kind === 'close' && token.name === dropping.name && --dropping.depth === 0) this.dropping = undefined
  }

  private endPre(): void {
    // A newline right after <pre> is not part of the content (HTML parsing rules).
    const code = this.preformatted!.replace(/^\r?\n/, '').replace(/\r?\n$/, '')
    this.blocks.push(codeBlock(code, PLAIN_TEXT))
    this.preformatted = undefined
  }

  private endParagraph(): void {
    const pieces = this.pieces.finish()
    this.pieces = new PieceBuilder()
    if (pieces.length === 0) return
    if (this.paragraphType === BlockType.text) this.blocks.push(...piecesToBlocks(pieces, this.ctx))
    else {
      const { elements, rest } = leadingText(pieces, this.ctx)
      this.blocks.push(textBlock(this.paragraphType, elements), ...rest)
    }
    this.paragraphType = BlockType.text
  }

  private style(): InlineStyle {
    return this.styles.applyTo(PLAIN)
  }
}

function tagList(names: ReadonlySet<string>): string {
  return [...names].map((name) => `<${name}>`).join(', ')
}
