// State shared by the converter's parts while one document is converted.
import type { Definition, Node } from 'mdast'
import type { BlockContent, BlockNode } from '../blocks/model.js'
import type { FootnoteNumbers } from './footnotes.js'
import type { IncludeReader } from './includes.js'
import type { LinkSlot } from './link-slots.js'
import { classifyImage, classifyLink, encodeLinkUrl, type LinkKind } from './links.js'
import type { SourcePoint, WarningList } from './warnings.js'

export interface LinkRef {
  href: string
  path?: string
  anchor?: string
  kind: LinkKind
  line: number
  column: number
  /** A relative link's slot (index into the result's `slots`), filled once the pages exist (link-slots.ts). */
  slot?: number
}

/** Where an image block's picture comes from: a file of the repository or a URL. */
export interface ImageSource {
  kind: 'local' | 'remote'
  /** The source as written. */
  src: string
  /** For local images: the repo-relative resolved path (absent when it points outside the repository). */
  path?: string
  alt: string
}

/** A diagram fence: the text a whiteboard is drawn from, and the code block to publish if Feishu refuses it. */
export interface DiagramSource {
  kind: 'diagram'
  syntax: 'mermaid' | 'plantuml'
  /** The diagram text as sent to Feishu. */
  code: string
  /** The fence as a code block (its language, its text): what the page shows when the diagram cannot be drawn. */
  fallback: BlockContent
}

/**
 * What fills a block the converter leaves empty: an image block's picture or a whiteboard's diagram. The
 * converter is pure, so it only says where the content comes from; the writer fills the block.
 */
export type FillSource = ImageSource | DiagramSource

/** A fillable block waiting for its temporary id. */
export type PendingFillable = { node: BlockNode; line: number } & FillSource

export class ConvertContext {
  readonly links: LinkRef[] = []
  /** The Markdown headings in document order, each with its block (none for the one that became the title). */
  readonly headings: { text: string; node?: BlockNode }[] = []
  /** One per distinct relative href; located in the finished request (link-slots.ts). */
  readonly slots: LinkSlot[] = []
  private readonly slotOf = new Map<string, number>()
  readonly fillables: PendingFillable[] = []
  /** Added to segment-relative line numbers (the source is parsed in segments). */
  lineOffset = 0
  /** A list that continues one split off the previous segment (its start number is not the author's). */
  continuedList: Node | undefined
  /** The H1 that became the document title: its text leaves the body (images in it stay). */
  titleHeading: Node | undefined
  /** Reads files for mdBook includes (includes.ts); without it includes stay as written. */
  readInclude: IncludeReader | undefined
  private readonly warnedOnce = new Set<string>()

  constructor(
    readonly path: string,
    readonly definitions: ReadonlyMap<string, Definition>,
    readonly footnotes: FootnoteNumbers,
    readonly warnings: WarningList,
  ) {}

  /** Document position of a node's start. */
  at(node: Node | undefined): SourcePoint {
    const start = node?.position?.start
    return { line: (start?.line ?? 1) + this.lineOffset, column: start?.column ?? 1 }
  }

  warn(code: string, node: Node | undefined, message: string): void {
    this.warnings.add(code, this.at(node), message)
  }

  /** A warning given once per document (per `key`, when one code covers several kinds). */
  warnOnce(code: string, node: Node | undefined, message: string, key = code): void {
    if (this.warnedOnce.has(key)) return
    this.warnedOnce.add(key)
    this.warn(code, node, message)
  }

  /**
   * Records a link and returns the url-encoded URL to write for it, or undefined when its scheme may not be a
   * link target (only http, https and mailto may: javascript:, data:, vbscript:, file: … stay plain text). A
   * relative link is written as written and gets a slot: the caller fills in its URL once the pages exist.
   */
  linkUrl(href: string, node: Node | undefined): string | undefined {
    const at = this.at(node)
    const refused = refusedScheme(href)
    if (refused) {
      this.warnings.add('link-scheme', at, `Link ${href.slice(0, 80)} uses the scheme ${refused}:, which is not published as a link (only http, https and mailto are); its text is kept.`)
      return undefined
    }
    const link = classifyLink(href, this.path)
    const target = { ...(link.path !== undefined ? { path: link.path } : {}), ...(link.anchor !== undefined ? { anchor: link.anchor } : {}) }
    let slot: number | undefined
    if (link.kind !== 'external') {
      slot = this.slotOf.get(href)
      if (slot === undefined) {
        slot = this.slots.length
        this.slotOf.set(href, slot)
        this.slots.push({ href, kind: link.kind, ...target, line: at.line, column: at.column, elements: [] })
      }
    }
    this.links.push({ href, ...target, kind: link.kind, line: at.line, column: at.column, ...(slot !== undefined ? { slot } : {}) })
    if (link.outsideRepo) this.warnings.add('link-outside-repo', at, `Link ${href} points outside the repository.`)
    return encodeLinkUrl(href)
  }

  /** Records where the content of a new fillable block (image, whiteboard) comes from. */
  addFillable(node: BlockNode, fill: FillSource, source: Node | undefined): void {
    this.fillables.push({ node, line: this.at(source).line, ...fill })
  }

  /** Records the picture of a new image block. */
  addImage(node: BlockNode, src: string, alt: string, source: Node | undefined): void {
    const image = classifyImage(src, this.path)
    if (image.kind === 'remote') return this.addFillable(node, { kind: 'remote', src, alt }, source)
    if (image.path === undefined) this.warn('image-outside-repo', source, `Image ${src} points outside the repository.`)
    this.addFillable(node, { kind: 'local', src, ...(image.path !== undefined ? { path: image.path } : {}), alt }, source)
  }
}

/** Schemes a link target may have. */
const LINK_SCHEMES = new Set(['http', 'https', 'mailto'])

/**
 * The scheme of a URL that may not be a link target, lowercased, or undefined. Read the way a browser's URL
 * parser reads it (https://url.spec.whatwg.org/#concept-basic-url-parser): leading C0 controls and spaces are
 * dropped and tabs and newlines removed anywhere, so "java\tscript:" is javascript:.
 */
export function refusedScheme(url: string): string | undefined {
  const cleaned = url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '')
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(cleaned)?.[1]?.toLowerCase()
  return scheme !== undefined && !LINK_SCHEMES.has(scheme) ? scheme : undefined
}
