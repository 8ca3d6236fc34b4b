// The one place the publishing engine calls the Markdown converter (src/markdown), so its result is read in
// one place: title, front matter `order`, the blocks and images for syncDocument, warnings with positions, and the
// link slots. Each file is converted once per run (loadDocs); its relative links are filled in later, when the
// pages exist (fillLinks), without converting again.
import { decodeUtf8Strict } from '../../markdown/decode.js'
import { convertMarkdown, type IncludeReader, type LinkSlot, type TitleSource } from '../../markdown/index.js'
import type { DocumentConversion } from '../apply/document.js'

/** A converter warning with its place in the source file (line 0: the page as a whole). */
export interface PageWarning {
  line: number
  column: number
  message: string
  /** The kind, for grouping (the converter's codes, "link", "write"). */
  code?: string
  /** Set on a line that stands for this many left-out warnings of its kind (the converter's cap). */
  omitted?: number
}

export interface ConvertedSource {
  title: string
  /** The converter fell back to the file name (no front matter title, no navigation, no heading). */
  titleFromFileName: boolean
  titleSource: TitleSource
  order?: number
  /** The document with its relative links as written: fill them in with fillLinks before writing. */
  conversion: DocumentConversion
  warnings: PageWarning[]
  /** Every link as written, with its position (a relative one with its slot, an index into `slots`). */
  links: { href: string; line: number; column: number; slot?: number }[]
  /** The relative links (one per distinct href), each pointing at the text elements it produced. */
  slots: LinkSlot[]
  /** The Markdown headings in document order, each with its heading block's temporary id (none for the title's). */
  headings: { text: string; blockId?: string }[]
  /** Every image, with the line it is on: a local one by its repo path (absent when it leaves the repository). */
  images: { src: string; repoPath?: string; remote: boolean; line: number }[]
}

/** What the site around a file says about it, read before conversion (navigation.ts, docs.ts). */
export interface SourceContext {
  /** Title in the site generator's navigation (mdBook SUMMARY.md, MkDocs nav). */
  navigationTitle?: string
  /** Position in that navigation, the sibling order when front matter has none. */
  navigationOrder?: number
  /** Reads the files mdBook `{{#include}}`s name, inside the docs folder only (docs.ts). */
  readInclude?: IncludeReader
}

/** Converts Markdown; relative links stay as written, each with its slot. */
export function convertSource(markdown: string, repoPath: string, site: SourceContext = {}): ConvertedSource {
  const result = convertMarkdown(markdown, {
    path: repoPath,
    ...(site.navigationTitle !== undefined ? { navigationTitle: site.navigationTitle } : {}),
    ...(site.readInclude ? { readInclude: site.readInclude } : {}),
  })
  // Front matter `order`, else Docusaurus' `sidebar_position`, else the place in the navigation.
  const order = readOrder(result.frontMatter.order) ?? readOrder(result.frontMatter.sidebar_position) ?? site.navigationOrder
  return {
    title: result.title,
    titleFromFileName: result.titleSource === 'file-name',
    titleSource: result.titleSource,
    ...(order !== undefined ? { order } : {}),
    conversion: {
      blocks: result.blocks,
      assets: result.fillables.flatMap((fill) =>
        fill.kind === 'diagram' ? [] : [{ blockId: fill.blockId, alt: fill.alt, ...(fill.kind === 'local' ? { repoPath: fill.path } : { url: fill.src }) }],
      ),
      diagrams: result.fillables.flatMap((fill) =>
        fill.kind === 'diagram' ? [{ blockId: fill.blockId, syntax: fill.syntax, code: fill.code, fallback: fill.fallback, line: fill.line }] : [],
      ),
    },
    warnings: result.warnings.map((w) => ({ line: w.line, column: w.column, message: w.message, code: w.code, ...(w.omitted ? { omitted: w.omitted } : {}) })),
    links: result.links.map((l) => ({ href: l.href, line: l.line, column: l.column, ...(l.slot !== undefined ? { slot: l.slot } : {}) })),
    slots: result.slots,
    headings: result.headings,
    images: result.fillables.flatMap((a) =>
      a.kind === 'diagram' ? [] : [{ src: a.src, ...(a.path !== undefined ? { repoPath: a.path } : {}), remote: a.kind === 'remote', line: a.line }],
    ),
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
