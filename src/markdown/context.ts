// State shared by the converter's parts while one document is converted.
import type { Definition, Node } from 'mdast'
import type { BlockNode } from '../blocks/model.js'
import type { FootnoteNumbers } from './footnotes.js'
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

  /** A warning given once per document. */
  warnOnce(code: string, node: Node | undefined, message: string): void {
    if (this.warnedOnce.has(code)) return
    this.warnedOnce.add(code)
    this.warn(code, node, message)
  }

  /**
   * Records a link and returns the url-encoded URL to write for it, or undefined when its scheme may not be a
   * link target (only http, https and mailto may: javascript:, data:, vbscript:, file: … stay plain text).
   */
  linkUrl(href: string, node: Node | undefined): string | undefined {
    const at = this.at(node)
    const refused = refusedScheme(href)
    if (refused) {
      this.warnings.add('link-scheme', at, `Link ${href.slice(0, 80)} uses the scheme ${refused}:, which is not published as a link (only http, https and mailto are); its text is kept.`)
      return undefined
    }
    const link = classifyLink(href, this.path)
    const target = linkTarget(link)
    this.links.push({ ...target, kind: link.kind, line: at.line, column: at.column })
    if (link.outsideRepo) this.warnings.add('link-outside-repo', at, `Link ${href} points outside the repository.`)
    const url = this.resolveLink?.(target) ?? href
    return refusedScheme(url) ? undefined : encodeLinkUrl(url)
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
