// State shared by the converter's parts while one document is converted.
import type { Definition, Node } from 'mdast'
import type { BlockNode } from '../blocks/model.js'
import type { FootnoteNumbers } from './footnotes.js'
import type { IncludeReader } from './includes.js'
import { classifyImage, classifyLink, encodeLinkUrl, type LinkKind, type LinkTarget, linkTarget } from './links.js'
import type { SourcePoint, WarningList } from './warnings.js'

export interface LinkRef {
  href: string
  path?: string
  anchor?: string
  kind: LinkKind
  line: number
  column: number
}

export type LinkResolver = (link: LinkTarget) => string | undefined

/** An image block waiting for its temporary id. */
export interface PendingAsset {
  node: BlockNode
  kind: 'local' | 'remote'
  src: string
  path?: string
  alt: string
  line: number
}

export class ConvertContext {
  readonly links: LinkRef[] = []
  readonly assets: PendingAsset[] = []
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
    readonly resolveLink: LinkResolver | undefined,
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

  /** Records a link and returns the url-encoded URL to write for it. */
  linkUrl(href: string, node: Node | undefined): string {
    const link = classifyLink(href, this.path)
    const target = linkTarget(link)
    const at = this.at(node)
    this.links.push({ ...target, kind: link.kind, line: at.line, column: at.column })
    // With a resolver, its owner decides and reports what such a link becomes (one warning per link, not two).
    if (link.outsideRepo && !this.resolveLink) this.warnings.add('link-outside-repo', at, `Link ${href} points outside the repository.`)
    return encodeLinkUrl(this.resolveLink?.(target) ?? href)
  }

  /** Records the asset of a new image block. */
  addImage(node: BlockNode, src: string, alt: string, source: Node | undefined): void {
    const at = this.at(source)
    const image = classifyImage(src, this.path)
    if (image.kind === 'remote') {
      this.assets.push({ node, kind: 'remote', src, alt, line: at.line })
      return
    }
    if (image.path === undefined) this.warnings.add('image-outside-repo', at, `Image ${src} points outside the repository.`)
    this.assets.push({ node, kind: 'local', src, ...(image.path !== undefined ? { path: image.path } : {}), alt, line: at.line })
  }
}
