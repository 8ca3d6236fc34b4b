// Text runs and images in reading order: text between images becomes separate pieces, because an image is a
// block of its own in a docx. Adjacent runs with the same style are merged.
import type { Node } from 'mdast'
import type { TextElement } from '../blocks/model.js'
import type { HtmlToken } from './html.js'
import { elementStyle, type InlineStyle } from './styles.js'

export interface ImageRef {
  src: string
  alt: string
  source: Node | undefined
  /** The image sat inside a link, which an image block cannot carry. */
  linked: boolean
}

export type InlinePiece = { kind: 'text'; elements: TextElement[] } | { kind: 'image'; image: ImageRef }

export class PieceBuilder {
  private readonly pieces: InlinePiece[] = []
  private elements: TextElement[] | undefined
  private lastRun: { content: string; key: string } | undefined

  text(content: string, style: InlineStyle): void {
    if (content === '') return
    const last = this.lastRun
    if (last && last.key === style.key) {
      last.content += content
      const element = this.elements!.at(-1) as { text_run: { content: string } }
      element.text_run.content = last.content
      return
    }
    const textStyle = elementStyle(style)
    this.current().push({ text_run: textStyle ? { content, text_element_style: textStyle } : { content } })
    this.lastRun = { content, key: style.key }
  }

  equation(content: string, style: InlineStyle): void {
    const textStyle = elementStyle(style)
    this.current().push({ equation: textStyle ? { content, text_element_style: textStyle } : { content } })
    this.lastRun = undefined
  }

  image(image: ImageRef): void {
    this.elements = undefined
    this.lastRun = undefined
    this.pieces.push({ kind: 'image', image })
  }

  /** An `<img src alt>` tag; without `src` only its alt text can be shown. */
  imageTag(token: Extract<HtmlToken, { kind: 'open' }>, source: Node, style: InlineStyle): void {
    const src = token.attributes.src ?? ''
    const alt = token.attributes.alt ?? ''
    if (src.trim() === '') this.text(alt, style)
    else this.image({ src, alt, source, linked: style.link !== undefined })
  }

  /** The pieces, text trimmed at paragraph edges and around images; whitespace-only text dropped. */
  finish(): InlinePiece[] {
    return this.pieces.filter((piece) => piece.kind === 'image' || trimEdges(piece.elements).length > 0)
  }

  private current(): TextElement[] {
    if (!this.elements) {
      this.elements = []
      this.pieces.push({ kind: 'text', elements: this.elements })
    }
    return this.elements
  }
}

/** Trims whitespace at both ends of a run list (not inside code spans or equations); drops emptied runs. */
function trimEdges(elements: TextElement[]): TextElement[] {
  const run = (element: TextElement | undefined) =>
    element && 'text_run' in element && !element.text_run.text_element_style?.inline_code ? element.text_run : undefined
  for (let first = run(elements[0]); first; first = run(elements[0])) {
    first.content = first.content.trimStart()
    if (first.content !== '') break
    elements.shift()
  }
  for (let last = run(elements.at(-1)); last; last = run(elements.at(-1))) {
    last.content = last.content.trimEnd()
    if (last.content !== '') break
    elements.pop()
  }
  return elements
}
