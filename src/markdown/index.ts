// Markdown → the body of a Feishu docx document, as one `descendant` request
// (POST /open-apis/docx/v1/documents/:document_id/blocks/:block_id/descendant). Pure and deterministic: no I/O,
// no clock, no randomness, the same input always gives the same output (the publisher diffs documents on it),
// and no input makes it throw.
//
// Feishu rules followed (sources next to the code that applies them):
// - request shapes of the official schema, schemas/feishu/docx.v1.documentBlockDescendant.create.json (build.ts);
// - never an empty `elements`; code blocks always carry `elements` (build.ts);
// - table cells and callouts hold ≥ 1 child; callout children restricted; no table in a table cell (blocks.ts,
//   alerts.ts); table `cells`/`merge_info` and image `token` are read-only and never written;
// - link URLs url-encoded (links.ts); code languages from the official enum (code-languages.ts).
// The 1000-blocks-per-call limit is the writer's concern: src/blocks/chunk.ts plans the calls.
//
// Limits Feishu does not document, deliberately NOT enforced here (no invented numbers; the publisher reports the
// server's error if one is hit):
// - length of one text element (`text_run.content`): no maximum of its own in the official metadata; the text of one
//   block is capped at 100,000 UTF-16 characters (long-text.ts splits longer blocks) and the whole document's plain
//   text at 10,485,760 (1770033);
// - block nesting depth (1770005 "too deep level in document"), blocks per document (1770004), children per
//   block (1770007), table rows/columns/cells (1770010, 1770011), images per document (1770035);
// - which control characters a text run may contain.
// Our own safety bounds against pathological input (not Feishu limits) are documented where they are defined:
// guard.ts (parser work), blocks.ts MAX_NESTING (block depth), warnings.ts (warnings per code).
import type { BlockNode, DescendantRequest } from '../blocks/model.js'
import { toDescendantRequest } from '../blocks/tree.js'
import { rewriteContainerTitles } from './admonitions.js'
import { convertBlocks, footnoteSection } from './blocks.js'
import { codeBlock } from './build.js'
import { PLAIN_TEXT } from './code-languages.js'
import { ConvertContext, type FillSource, type LinkRef } from './context.js'
import { type LinkSlot, locateSlots } from './link-slots.js'
import { FootnoteNumbers } from './footnotes.js'
import type { IncludeReader } from './includes.js'
import { parseFrontMatter } from './front-matter.js'
import { type ParsedSegment, parseSource } from './parse.js'
import { MAX_TEXT_CHARS, splitLongText } from './long-text.js'
import { chooseTitle, type TitleSource } from './title.js'
import { type ConversionWarning, WarningList } from './warnings.js'

export { decodeUtf8Strict } from './decode.js'
export type { DecodeResult } from './decode.js'
export type { ConversionWarning } from './warnings.js'
export type { DiagramSource, FillSource, ImageSource, LinkRef } from './context.js'
export type { TitleSource } from './title.js'
export { fillLinks, type LinkSlot } from './link-slots.js'
export { refusedScheme } from './context.js'
export type { IncludeReader } from './includes.js'

export interface ConvertOptions {
  /** Repo-relative POSIX path of the file, e.g. "docs/guide/setup.md". */
  path: string
  /**
   * The page's title in the site generator's navigation (mdBook SUMMARY.md, MkDocs `nav`), read by the caller.
   * It comes after front matter `title` and before headings (title.ts).
   */
  navigationTitle?: string
  /**
   * Reads a repository file (repo-relative path) for an mdBook `{{#include}}` in a code block; the caller decides
   * which files may be read (includes.ts). Without it includes stay as written, with a warning.
   */
  readInclude?: IncludeReader
}

/**
 * A block left empty for the writer to fill (the architecture's "fillable"): an image block and its picture, or
 * a whiteboard (board block) and its diagram.
 */
export type Fillable = {
  /** Temporary id of the empty block. */
  blockId: string
  /** Source line of the image or of the diagram's fence. */
  line: number
} & FillSource

export interface ConversionResult {
  title: string
  titleSource: TitleSource
  /** Parsed YAML front matter; {} when there is none or it is invalid (with a warning). */
  frontMatter: Record<string, unknown>
  /** The whole document body (not the page block), with deterministic temporary ids b1, b2, … in document order. */
  blocks: DescendantRequest
  fillables: Fillable[]
  /** Every link as written, with its position (a relative one with its slot). */
  links: LinkRef[]
  /**
   * The relative links, each pointing at the text elements it produced: written as written until the caller
   * fills in their URLs with fillLinks (link-slots.ts), once it knows where each leads.
   */
  slots: LinkSlot[]
  /**
   * The Markdown headings in document order, as GitHub sees them (its #anchors come from these), each with the
   * temporary id of its heading block; none for the heading that became the title (it left the body).
   */
  headings: { text: string; blockId?: string }[]
  warnings: ConversionWarning[]
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

export function convertMarkdown(markdown: string, options: ConvertOptions): ConversionResult {
  // Lone surrogates cannot be url-encoded or sent as UTF-8; the BOM is not content.
  const source = rewriteContainerTitles(markdown.replace(LONE_SURROGATE, '\uFFFD').replace(/^\uFEFF/, ''))
  const parsed = parseSource(source)
  const warnings = new WarningList()
  for (const notice of parsed.notices) warnings.add(notice.code, { line: notice.line, column: 1 }, notice.message)
  warnNulCharacters(source, warnings)
  const roots = parsed.segments.flatMap((segment) => (segment.ok ? [segment.root] : []))
  const frontMatter = readFrontMatter(parsed.segments[0], warnings)
  const title = chooseTitle(roots, frontMatter, options.path, options.navigationTitle)
  const ctx = new ConvertContext(options.path, parsed.definitions, new FootnoteNumbers(parsed.footnotes), warnings)

  ctx.titleHeading = title.removedHeading
  ctx.readInclude = options.readInclude
  const body: BlockNode[] = []
  for (const segment of parsed.segments) {
    const blocks = splitLongText(convertSegment(segment, ctx), (parts) =>
      warnings.add(
        'text-split',
        { line: segment.firstLine, column: 1 },
        `A paragraph or code block from line ${segment.firstLine} on is longer than Feishu's ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters per block, so it is published as ${parts} consecutive blocks.`,
      ),
    )
    body.push(...blocks)
  }
  body.push(...guarded(ctx, 1, () => footnoteSection(ctx), () => []))

  const { request, idOf } = toDescendantRequest(body)
  locateSlots(request, ctx.slots)
  const fillables = ctx.fillables.flatMap(({ node, ...fill }): Fillable[] => {
    const blockId = idOf.get(node)
    return blockId === undefined ? [] : [{ blockId, ...fill }]
  })
  return {
    title: title.title,
    titleSource: title.titleSource,
    frontMatter,
    blocks: request,
    fillables,
    links: ctx.links,
    slots: ctx.slots,
    headings: ctx.headings.map(({ text, node }) => {
      const blockId = node ? idOf.get(node) : undefined
      return { text, ...(blockId !== undefined ? { blockId } : {}) }
    }),
    warnings: warnings.list(),
  }
}

/**
 * NUL characters: CommonMark replaces each with U+FFFD (https://spec.commonmark.org/0.31.2/#insecure-characters),
 * so the page is published, but a Markdown file does not contain them: the author is told where the first is.
 * (A file made mostly of NUL bytes is refused before conversion as binary, see decode.ts.)
 */
function warnNulCharacters(source: string, warnings: WarningList): void {
  const first = source.indexOf('\u0000')
  if (first < 0) return
  let count = 0
  for (let i = first; i >= 0; i = source.indexOf('\u0000', i + 1)) count++
  let line = 1
  for (let i = source.indexOf('\n'); i >= 0 && i < first; i = source.indexOf('\n', i + 1)) line++
  const column = first - source.lastIndexOf('\n', first - 1)
  warnings.add(
    'nul-characters',
    { line, column },
    `This file contains ${count} NUL (0x00) ${count === 1 ? 'character' : 'characters'}, the first on line ${line}; each is published as U+FFFD (�), as CommonMark ` +
      'requires. Text files do not contain NUL bytes: check that this is the Markdown file you meant (not a binary or UTF-16 file) and remove them.',
  )
}

function readFrontMatter(first: ParsedSegment | undefined, warnings: WarningList): Record<string, unknown> {
  const yaml = first?.ok ? first.root.children.find((node) => node.type === 'yaml') : undefined
  if (yaml?.type !== 'yaml') return {}
  return parseFrontMatter(yaml.value, (yaml.position?.start.line ?? 1) + 1, warnings)
}

function convertSegment(segment: ParsedSegment, ctx: ConvertContext): BlockNode[] {
  if (!segment.ok && segment.raw) return [asPlainText(segment.text)]
  if (!segment.ok) {
    ctx.warnings.add('segment-unparsed', { line: segment.firstLine, column: 1 }, `Lines from ${segment.firstLine} could not be parsed (${segment.error}); they are published as plain text.`)
    return [asPlainText(segment.text)]
  }
  ctx.lineOffset = segment.firstLine - 1
  ctx.continuedList = segment.continuesList ? segment.root.children[0] : undefined
  return guarded(
    ctx,
    segment.firstLine,
    () => convertBlocks(segment.root.children, ctx, 0),
    () => [asPlainText(segment.text)],
  )
}

/**
 * Last line of defence for "never throws": a converter bug on some input publishes that part as plain text
 * with a warning instead of failing the whole file.
 */
function guarded(ctx: ConvertContext, line: number, convert: () => BlockNode[], fallback: () => BlockNode[]): BlockNode[] {
  try {
    return convert()
  } catch (error) {
    ctx.warnings.add('conversion-failed', { line, column: 1 }, `This part could not be converted (${String(error)}); it is published as plain text.`)
    return fallback()
  }
}

function asPlainText(text: string): BlockNode {
  return codeBlock(text.replace(/\r?\n$/, ''), PLAIN_TEXT)
}
