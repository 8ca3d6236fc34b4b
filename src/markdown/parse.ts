// Markdown → mdast with remark (remark-parse + remark-gfm + remark-frontmatter + math with GitHub's rules, math.ts), one segment of
// the guarded source at a time (see guard.ts for why), with link and footnote definitions shared across segments.
import type { Definition, FootnoteDefinition, Nodes, Root } from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { type GuardNotice, guardSource } from './guard.js'
import { containerDirectives } from './admonitions.js'
import { githubMath } from './math.js'

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).use(githubMath).use(containerDirectives).freeze()

export type ParsedSegment =
  | { ok: true; root: Root; text: string; firstLine: number; continuesList: boolean }
  | { ok: false; text: string; firstLine: number; error: string; raw?: boolean }

export interface ParsedSource {
  segments: ParsedSegment[]
  /** Link definitions by identifier; the first one in the document wins, as in CommonMark. */
  definitions: Map<string, Definition>
  footnotes: Map<string, PlacedFootnote>
  notices: GuardNotice[]
}

/** A footnote definition and the line offset of the segment it was parsed in. */
export interface PlacedFootnote {
  definition: FootnoteDefinition
  lineOffset: number
}

export function parseSource(markdown: string): ParsedSource {
  const guarded = guardSource(markdown)
  const segments: ParsedSegment[] = guarded.segments.map((segment) => {
    // Too much inline syntax to parse in bounded time: plain text, as the guard's notice says.
    if (segment.raw) return { ok: false, text: segment.text, firstLine: segment.firstLine, error: 'not parsed', raw: true }
    try {
      return { ok: true, root: processor.parse(segment.text), ...segment }
    } catch (error) {
      // Only reachable on input the guard does not foresee (a stack overflow on absurd nesting); the caller
      // publishes such a segment as plain text.
      return { ok: false, text: segment.text, firstLine: segment.firstLine, error: String(error) }
    }
  })
  const definitions = new Map<string, Definition>()
  const footnotes = new Map<string, PlacedFootnote>()
  for (const segment of segments) {
    if (!segment.ok) continue
    const segmentFootnotes = new Map<string, FootnoteDefinition>()
    collectDefinitions(segment.root, definitions, segmentFootnotes)
    for (const [id, definition] of segmentFootnotes) {
      if (!footnotes.has(id)) footnotes.set(id, { definition, lineOffset: segment.firstLine - 1 })
    }
  }
  if (segments.length > 1 && definitions.size + footnotes.size > 0) {
    guarded.segments.forEach((source, i) => {
      const segment = segments[i]!
      if (segment.ok) segment.root = withOutsideDefinitions(source.text, segment.root, definitions, footnotes)
    })
  }
  return { segments, definitions, footnotes, notices: guarded.notices }
}

/**
 * Re-parses a segment whose references point at definitions in other segments, with those definitions'
 * labels appended (`[label]: x`), so the parser treats them as defined; the appended nodes are dropped, and the
 * URLs come from the real definitions. Kept only if nothing of the segment itself changed extent.
 */
function withOutsideDefinitions(
  text: string,
  root: Root,
  definitions: ReadonlyMap<string, Definition>,
  footnotes: ReadonlyMap<string, PlacedFootnote>,
): Root {
  const ownDefinitions = new Map<string, Definition>()
  const ownFootnotes = new Map<string, FootnoteDefinition>()
  collectDefinitions(root, ownDefinitions, ownFootnotes)
  const labels = new Set<string>()
  for (const match of text.matchAll(/\[(\^?)([^[\]\n]{1,999})\]/g)) {
    const id = normalizeIdentifier(match[2]!)
    const [everywhere, here] = match[1] === '^' ? [footnotes, ownFootnotes] : [definitions, ownDefinitions]
    if (everywhere.has(id) && !here.has(id)) labels.add(`[${match[1]}${match[2]}]: x`)
  }
  if (labels.size === 0) return root
  try {
    const reparsed = processor.parse(`${text}\n\n${[...labels].join('\n\n')}\n`)
    const kept = reparsed.children.filter((node) => (node.position?.start.offset ?? 0) < text.length)
    if (kept.some((node) => (node.position?.end.offset ?? 0) > text.length)) return root
    return { ...reparsed, children: kept }
  } catch {
    return root // the first parse stands: those references stay plain text
  }
}

/** The identifier mdast gives a label (micromark-util-normalize-identifier, then lower case). */
function normalizeIdentifier(label: string): string {
  return label
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/^ | $/g, '')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase()
}

/** Definitions sit in flow content only: the root and block containers, never inside paragraphs. */
function collectDefinitions(root: Root, definitions: Map<string, Definition>, footnotes: Map<string, FootnoteDefinition>): void {
  const pending: Nodes[] = [root]
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node)
    if (node.type === 'footnoteDefinition' && !footnotes.has(node.identifier)) footnotes.set(node.identifier, node)
    if (node.type === 'root' || node.type === 'blockquote' || node.type === 'list' || node.type === 'listItem' || node.type === 'footnoteDefinition') {
      for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]!)
    }
  }
}
