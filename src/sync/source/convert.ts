// The one place the publishing engine calls the Markdown converter (src/markdown), so its result is read in
// one place: title, front matter `order`, the blocks and images for syncDocument, and warnings with positions.
import { decodeUtf8Strict } from '../../markdown/decode.js'
import { convertMarkdown } from '../../markdown/index.js'
import type { DocumentConversion } from '../apply/document.js'

/** A converter warning with its place in the source file (line 0: the page as a whole). */
export interface PageWarning {
  line: number
  column: number
  message: string
}

export interface ConvertedSource {
  title: string
  /** The converter fell back to the file name (no front matter title, no heading). */
  titleFromFileName: boolean
  order?: number
  conversion: DocumentConversion
  warnings: PageWarning[]
  /** Every link as written, with its position. */
  links: { href: string; line: number; column: number }[]
  /** Every image, with the line it is on: a local one by its repo path (absent when it leaves the repository). */
  images: { src: string; repoPath?: string; remote: boolean; line: number }[]
}

/**
 * Converts Markdown. `resolveLink` maps each link href (as written) to the URL to write; undefined makes the
 * converter keep the href as written (right for absolute URLs only, so the engine's resolver always answers
 * for the others).
 */
export function convertSource(markdown: string, repoPath: string, resolveLink: (href: string) => string | undefined): ConvertedSource {
  const result = convertMarkdown(markdown, { path: repoPath, resolveLink: (link) => resolveLink(link.href) })
  const order = readOrder(result.frontMatter.order)
  return {
    title: result.title,
    titleFromFileName: result.titleSource === 'file-name',
    ...(order !== undefined ? { order } : {}),
    conversion: {
      blocks: result.blocks,
      assets: result.assets.map((asset) => ({
        blockId: asset.blockId,
        alt: asset.alt,
        ...(asset.kind === 'local' ? { repoPath: asset.path } : { url: asset.src }),
      })),
    },
    warnings: result.warnings.map((w) => ({ line: w.line, column: w.column, message: w.message })),
    links: result.links.map((l) => ({ href: l.href, line: l.line, column: l.column })),
    images: result.assets.map((a) => ({ src: a.src, ...(a.path !== undefined ? { repoPath: a.path } : {}), remote: a.kind === 'remote', line: a.line })),
  }
}

/** Strict UTF-8: a file that is not valid UTF-8 is an error naming the line of the first bad byte. */
export function decodeSource(bytes: Uint8Array, repoPath: string): { text: string } | { error: string; line: number } {
  const decoded = decodeUtf8Strict(bytes, repoPath)
  return decoded.ok ? { text: decoded.text } : { error: decoded.message, line: decoded.line }
}

function readOrder(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return undefined
}
