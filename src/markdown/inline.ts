// Phrasing content (text, emphasis, links, code spans, math, inline HTML, images) → text runs and images.
// Iterative (an explicit stack), so deeply nested emphasis cannot overflow the call stack.
import type { Node, Nodes, PhrasingContent } from 'mdast'
import type { ConvertContext } from './context.js'
import { type HtmlToken, isVoidTag, tagRole, tokenizeHtml } from './html.js'
import { type InlinePiece, PieceBuilder } from './pieces.js'
import { type InlineStyle, PLAIN, TagStyles, tagStyle, withFlag, withLink } from './styles.js'

const SOFT_BREAK = /[ \t]*(?:\r\n|\r|\n)[ \t]*/g

export function convertInline(nodes: readonly PhrasingContent[], ctx: ConvertContext): InlinePiece[] {
  return new InlineConverter(ctx).run(nodes)
}

interface Frame {
  nodes: readonly Nodes[]
  index: number
  /** The Markdown style of these nodes (inline HTML styles are applied on top when text is written). */
  style: InlineStyle
  /** Text written when the frame's nodes are done (the closing part of an unresolved reference). */
  after?: string
}

class InlineConverter {
  private readonly out = new PieceBuilder()
  private readonly html: InlineHtml
  private readonly stack: Frame[] = []

  constructor(private readonly ctx: ConvertContext) {
    this.html = new InlineHtml(ctx, this.out)
  }

  run(nodes: readonly PhrasingContent[]): InlinePiece[] {
    this.stack.push({ nodes, index: 0, style: PLAIN })
    while (this.stack.length > 0) {
      const frame = this.stack.at(-1)!
      if (frame.index < frame.nodes.length) this.visit(frame.nodes[frame.index++]!, frame.style)
      else {
        this.stack.pop()
        if (frame.after) this.out.text(frame.after, this.html.styled(this.stack.at(-1)?.style ?? PLAIN))
      }
    }
    this.html.report()
    return this.out.finish()
  }

  private visit(node: Nodes, base: InlineStyle): void {
    if (this.html.hiding && node.type !== 'html') return
    const style = this.html.styled(base)
    switch (node.type) {
      case 'text':
        return this.out.text(node.value.replace(SOFT_BREAK, ' '), style)
      case 'break':
        return this.out.text('\n', style)
      case 'emphasis':
        return this.descend(node.children, withFlag(base, 'italic'))
      case 'strong':
        return this.descend(node.children, withFlag(base, 'bold'))
      case 'delete':
        return this.descend(node.children, withFlag(base, 'strikethrough'))
      case 'inlineCode':
        return this.out.text(node.value.replace(SOFT_BREAK, ' '), withFlag(style, 'inline_code'))
      case 'inlineMath':
        if (node.value.trim() !== '') this.out.equation(node.value.trim(), style)
        return
      case 'link':
        return this.link(node.url, node.children, node, base)
      case 'linkReference':
      case 'imageReference':
        return this.reference(node, base)
      case 'image':
        return this.out.image({ src: node.url, alt: node.alt ?? '', source: node, linked: style.link !== undefined })
      case 'footnoteReference':
        return this.out.text(`[${this.ctx.footnotes.numberOf(node.identifier)}]`, style)
      case 'html':
        return this.html.write(node.value, node, base)
      default:
        return this.out.text(plainText([node]), style)
    }
  }

  private descend(nodes: readonly Nodes[], style: InlineStyle, after?: string): void {
    this.stack.push({ nodes, index: 0, style, ...(after ? { after } : {}) })
  }

  private link(url: string, children: readonly Nodes[], source: Node, base: InlineStyle): void {
    const style = withLink(base, this.ctx.linkUrl(url, source))
    if (children.length === 0) this.out.text(url, this.html.styled(style))
    else this.descend(children, style)
  }

  /** A reference resolves through the definitions; an unresolved one is shown as written. */
  private reference(node: Extract<Nodes, { type: 'linkReference' | 'imageReference' }>, base: InlineStyle): void {
    const definition = this.ctx.definitions.get(node.identifier)
    const style = this.html.styled(base)
    const suffix = node.referenceType === 'full' ? `[${node.label ?? ''}]` : node.referenceType === 'collapsed' ? '[]' : ''
    if (node.type === 'imageReference') {
      if (definition) this.out.image({ src: definition.url, alt: node.alt ?? '', source: node, linked: style.link !== undefined })
      else this.out.text(`![${node.alt ?? ''}]${suffix}`, style)
    } else if (definition) this.link(definition.url, node.children, node, base)
    else {
      this.out.text('[', style)
      this.descend(node.children, base, `]${suffix}`)
    }
  }
}

/**
 * Inline HTML inside a paragraph. Each tag arrives as its own node, so the styles tags open are kept across
 * nodes and applied on top of the Markdown styles; `<script>`-like content is skipped until its end tag. Tags
 * that cannot be shown are reported once per paragraph.
 */
class InlineHtml {
  private readonly styles = new TagStyles()
  private readonly lost = new Set<string>()
  private readonly dropped = new Set<string>()
  private firstLoss: Node | undefined
  private hidden: { name: string; depth: number } | undefined

  constructor(
    private readonly ctx: ConvertContext,
    private readonly out: PieceBuilder,
  ) {}

  get hiding(): boolean {
    return this.hidden !== undefined
  }

  styled(style: InlineStyle): InlineStyle {
    return this.styles.applyTo(style)
  }

  write(value: string, source: Node, base: InlineStyle): void {
    for (const token of tokenizeHtml(value)) {
      if (this.hidden) this.skip(token)
      else if (token.kind === 'text') this.out.text(token.text.replace(SOFT_BREAK, ' '), this.styled(base))
      else if (token.kind === 'close') this.styles.leave(token.name)
      else if (token.kind === 'open') this.opening(token, source, base)
    }
  }

  report(): void {
    const tags = (names: ReadonlySet<string>) => [...names].map((name) => `<${name}>`).join(', ')
    if (this.lost.size > 0) {
      this.ctx.warn('html-stripped', this.firstLoss, `HTML ${tags(this.lost)} cannot be shown in a Feishu document: the tags are left out and the text they hold is kept.`)
    }
    if (this.dropped.size > 0) {
      this.ctx.warn('html-dropped', this.firstLoss, `HTML ${tags(this.dropped)} left out: scripts, media and form controls cannot be shown in a Feishu document.`)
    }
  }

  private opening(token: Extract<HtmlToken, { kind: 'open' }>, source: Node, base: InlineStyle): void {
    const role = tagRole(token.name).role
    if (role === 'line-break') this.out.text('\n', this.styled(base))
    else if (role === 'image') this.out.imageTag(token, source, this.styled(base))
    else if (role === 'dropped') {
      this.dropped.add(token.name)
      this.firstLoss ??= source
      if (!token.selfClosing && !isVoidTag(token.name)) this.hidden = { name: token.name, depth: 1 }
    } else {
      this.styles.enter(token, tagStyle(token, this.ctx, source))
      if (role !== 'style' && role !== 'link' && role !== 'transparent' && role !== 'block') {
        this.lost.add(token.name)
        this.firstLoss ??= source
      }
    }
  }

  private skip(token: HtmlToken): void {
    const hidden = this.hidden!
    if (token.kind === 'open' && token.name === hidden.name && !token.selfClosing) hidden.depth++
    if (token.kind === 'close' && token.name === hidden.name && --hidden.depth === 0) this.hidden = undefined
  }
}

/** The text of phrasing content, for a title: no markup, no images, whitespace collapsed. */
export function plainText(nodes: readonly Nodes[]): string {
  let text = ''
  const stack: Nodes[] = [...nodes].reverse()
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'inlineMath') text += node.value
    else if (node.type === 'break') text += ' '
    else if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!)
  }
  return text.replace(/\s+/g, ' ').trim()
}
