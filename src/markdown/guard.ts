// A line-level pass over the source, before remark parses it, that keeps parsing time and tree depth bounded.
//
// The parser (micromark 4, under remark-parse) is superlinear on some inputs; measured here:
// - every container (list, block quote) that closes rewrites the document's whole event list, so a file with
//   thousands of lists takes quadratic time (a 0.9 MB file of ordinary sections: minutes);
// - emphasis resolution scans back over all unmatched delimiters of a paragraph (the commonmark.js pathological
//   cases: 28 KB of nested `*a **a` takes ~30 s);
// - a line like `> > > …` 10 000 deep builds a tree so deep that remark-gfm's recursive transforms overflow the
//   stack.
// So this pass (1) cuts large files into segments at block boundaries that no construct spans, parsed one by
// one; (2) caps container markers per line; (3) turns off inline formatting (by backslash-escaping it) in a
// paragraph with an absurd number of emphasis delimiters, or once a whole-file budget of delimiter work is
// spent; (4) publishes as plain text, unparsed, a paragraph (or list item, or run of definitions) with so much
// inline syntax that even with its formatting escaped the parser is quadratic on it: micromark's text resolvers
// merge adjacent `data` events with Array#splice over the paragraph's whole event list, and a `]` scans back over
// all events for its `[`, so the cost grows with the square of the syntax runs in one paragraph (the remaining
// commonmark.js pathological cases, https://github.com/commonmark/commonmark.js/blob/master/test/pathological_tests.js:
// 130 000 runs took minutes). All bounds below are our own safety bounds against pathological input, not Feishu limits, chosen far
// above anything a person writes. Fenced code, math blocks, HTML blocks and front matter are never touched.

/** Segments end at the first safe boundary past this size: measured fastest for list-heavy docs (2–4 kB: ~0.32 MB/s here; 32 kB: ~0.1 MB/s). */
export const SEGMENT_TARGET_CHARS = 4 * 1024
/** Past this size a segment may also end between two items of a top-level list. */
export const SEGMENT_HARD_CHARS = 64 * 1024
/** Container markers (`>`, list markers) kept at the start of one line; 32 levels of nesting is beyond any real document. */
export const MAX_CONTAINER_MARKERS = 32
/**
 * Indentation kept before a list marker: nesting lists by indentation needs ≥ 2 more columns per level, so this
 * allows 64 levels; deeper items (1000 levels of indentation took the parser a minute) become siblings there.
 */
export const MAX_LIST_INDENT_COLUMNS = 128
/** Emphasis delimiters (and `[`) in one paragraph beyond which its inline formatting is ignored. */
export const MAX_PARAGRAPH_DELIMITERS = 1000
/** Whole-file budget of delimiter work, Σ(delimiters per paragraph)², ~25× the worst single paragraph. */
export const DELIMITER_WORK_BUDGET = 25 * MAX_PARAGRAPH_DELIMITERS ** 2
/**
 * Runs of inline syntax characters (`*_~`[]()<>!\&$`; a run of `*_~`$` counts once, as one delimiter) in one paragraph or
 * list item beyond which it is published as plain text without being parsed: 4000 runs take the parser ~0.3 s
 * (measured, production build), the 130 000 of a pathological case minutes.
 */
export const MAX_PARAGRAPH_SYNTAX_RUNS = 4 * MAX_PARAGRAPH_DELIMITERS
/** Whole-file budget of that work, Σ(runs per paragraph)², ~25× the worst single paragraph. */
export const SYNTAX_WORK_BUDGET = 25 * MAX_PARAGRAPH_SYNTAX_RUNS ** 2

export interface SourceSegment {
  text: string
  /** 1-based line, in the whole file, of the segment's first line. */
  firstLine: number
  /** The segment starts between two items of a list that began in the previous segment. */
  continuesList: boolean
  /** Published as plain text without parsing (too much inline syntax to parse in bounded time; a notice says so). */
  raw?: boolean
}

export interface GuardNotice {
  line: number
  code: 'container-depth-capped' | 'inline-formatting-skipped' | 'paragraph-not-parsed'
  message: string
}

export interface GuardedSource {
  segments: SourceSegment[]
  notices: GuardNotice[]
}

interface Line {
  text: string
  eol: string
}

type OpenBlock = { kind: 'fence'; marker: string; size: number } | { kind: 'html'; end: RegExp } | { kind: 'front-matter'; endLine: number }

interface Run {
  lines: number[]
  delimiters: number
  table: boolean
}

/** Lines of one paragraph or list item and their runs of inline syntax. */
interface SyntaxGroup {
  from: number
  to: number
  runs: number
}

const LINE_BREAK = /\r\n|\r|\n/g
const BLANK = /^[ \t]*$/
const CONTAINER_MARKER = /[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))/y
const LIST_ITEM_AT_COLUMN_0 = /^(?:[-+*]|\d{1,9}[.)])[ \t]+\S/
const LIST_ITEM_START = /^(?:[ \t]*>)*[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/
const INDENTED_LIST_ITEM = /^[ \t]+(?=(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$))/
const FENCE_OPEN = /^(`{3,})[^`]*$|^(~{3,})|^(\${2,})[^$]*$/
const CONTAINER_OPEN = /^:{3,}[ \t]*[A-Za-z]/
const CONTAINER_CLOSE = /^:{3,}[ \t]*$/
const TABLE_OPEN = /<table[\s>]/gi
const TABLE_CLOSE = /<\/table\s*>/gi
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/
const DEFINITION = /^ {0,3}\[[^\]]+\]:/
const TABLE_DELIMITER_ROW = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/
const ESCAPABLE = /[\\*_~[\]`$]/g
const INLINE_SYNTAX = new Set('*_~`[]()<>!\\&$')
/** Characters whose runs act as one delimiter (emphasis, strikethrough, code spans, math); each other one counts. */
const DELIMITER_RUN_CHARS = new Set('*_~`$')
const HTML_BLOCK_ENDS: readonly [start: RegExp, end: RegExp][] = [
  [/^<(?:script|pre|style|textarea)(?=[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<!\[CDATA\[/, /\]\]>/],
  [/^<![A-Za-z]/, />/],
]

export function guardSource(markdown: string): GuardedSource {
  return new SourceGuard(splitLines(markdown)).run()
}

class SourceGuard {
  private readonly notices: GuardNotice[] = []
  private readonly segmentStarts: { line: number; continuesList: boolean }[] = [{ line: 0, continuesList: false }]
  private open: OpenBlock | undefined
  private segmentChars = 0
  private previousBlank = true
  private htmlSinceBlank = false
  private cappedLines = 0
  private paragraph: Run = { lines: [], delimiters: 0, table: false }
  private delimiterWork = 0
  private group: SyntaxGroup | undefined
  private syntaxWork = 0
  /** Line ranges [from, to) published as plain text. */
  private readonly rawRanges: { from: number; to: number }[] = []
  private readonly rawLines = new Set<number>()
  /** Open `:::` containers (admonitions.ts) and HTML tables (html-tables.ts): a segment never starts inside one, below the hard size. */
  private containerDepth = 0
  private tableDepth = 0

  constructor(private readonly lines: Line[]) {
    this.open = frontMatterAt(lines)
  }

  run(): GuardedSource {
    this.lines.forEach((line, index) => this.visit(line, index))
    this.endParagraph()
    // Plain-text ranges become segments of their own (they lie inside one paragraph run, so no start is inside one).
    const starts = new Map(this.segmentStarts.map((start) => [start.line, { ...start, raw: false }]))
    for (const range of this.rawRanges) {
      starts.set(range.from, { line: range.from, continuesList: false, raw: true })
      if (range.to < this.lines.length && !starts.has(range.to)) starts.set(range.to, { line: range.to, continuesList: false, raw: false })
    }
    const ordered = [...starts.values()].sort((a, b) => a.line - b.line)
    const segments = ordered.map((start, i) => ({
      text: joinLines(this.lines, start.line, ordered[i + 1]?.line ?? this.lines.length),
      firstLine: start.line + 1,
      continuesList: start.continuesList,
      ...(start.raw ? { raw: true } : {}),
    }))
    return { segments, notices: this.notices }
  }

  private visit(line: Line, index: number): void {
    const blank = BLANK.test(line.text)
    if (!this.open && !blank) {
      this.maybeSplitBefore(line, index)
      this.trackContainer(line.text)
    }
    this.segmentChars += line.text.length + line.eol.length
    if (this.open) {
      if (closes(this.open, line.text, index)) this.open = undefined
    } else if (blank) {
      this.endParagraph()
      this.htmlSinceBlank = false
    } else this.visitContent(line, index)
    this.previousBlank = blank && !this.open
  }

  /** Starts a new segment before this line if the current one is big enough and the boundary is safe. */
  private maybeSplitBefore(line: Line, index: number): void {
    const startsAtColumn0 = !/^[ \t]/.test(line.text)
    const listItem = startsAtColumn0 && LIST_ITEM_AT_COLUMN_0.test(line.text)
    const preferred = this.previousBlank && startsAtColumn0 && !listItem && this.containerDepth === 0 && this.tableDepth === 0
    const betweenItems = listItem && !this.htmlSinceBlank
    const split = (this.segmentChars >= SEGMENT_TARGET_CHARS && preferred) || (this.segmentChars >= SEGMENT_HARD_CHARS && betweenItems)
    if (index === 0 || !split) return
    this.endParagraph()
    this.segmentStarts.push({ line: index, continuesList: !preferred })
    this.segmentChars = 0
  }

  private trackContainer(text: string): void {
    if (text.includes('<')) this.tableDepth = Math.max(0, this.tableDepth + (text.match(TABLE_OPEN)?.length ?? 0) - (text.match(TABLE_CLOSE)?.length ?? 0))
    const content = text.slice(containerPrefixEnd(text).end).trimStart()
    if (!content.startsWith(':::')) return
    if (CONTAINER_OPEN.test(content)) this.containerDepth++
    else if (this.containerDepth > 0 && CONTAINER_CLOSE.test(content)) this.containerDepth--
  }

  private visitContent(line: Line, index: number): void {
    if (capNesting(line) && this.cappedLines++ === 0) {
      this.notices.push({
        line: index + 1,
        code: 'container-depth-capped',
        message: `Block quotes and lists nested absurdly deep are cut (more than ${MAX_CONTAINER_MARKERS} markers on a line or list items indented more than ${MAX_LIST_INDENT_COLUMNS} columns; first at line ${index + 1}).`,
      })
    }
    const content = line.text.slice(containerPrefixEnd(line.text).end).trimStart()
    if (content.startsWith('<')) this.htmlSinceBlank = true
    const opened = openedBlock(content)
    if (opened) {
      this.endParagraph()
      this.open = opened
      return
    }
    // In a table each row's cells are parsed on their own, so each row counts as its own paragraph.
    const firstLine = this.paragraph.lines[0]
    const tableStarts = this.paragraph.lines.length === 1 && TABLE_DELIMITER_ROW.test(line.text) && this.lines[firstLine!]!.text.includes('|')
    if (this.paragraph.table || tableStarts) {
      this.endParagraph()
      this.paragraph.table = true
    }
    this.paragraph.lines.push(index)
    this.paragraph.delimiters += countDelimiters(content)
    if (!this.group || this.paragraph.lines.length === 1 || LIST_ITEM_START.test(line.text)) {
      this.endGroup()
      this.group = { from: index, to: index + 1, runs: 0 }
    }
    this.group.to = index + 1
    this.group.runs += countSyntaxRuns(content)
  }

  /** A paragraph or list item with too much inline syntax (or past the file's budget) is kept as plain text. */
  private endGroup(): void {
    const group = this.group
    this.group = undefined
    if (!group || group.runs === 0) return
    const cost = group.runs ** 2
    if (group.runs <= MAX_PARAGRAPH_SYNTAX_RUNS && this.syntaxWork + cost <= SYNTAX_WORK_BUDGET) {
      this.syntaxWork += cost
      return
    }
    this.rawRanges.push({ from: group.from, to: group.to })
    for (let i = group.from; i < group.to; i++) this.rawLines.add(i)
    this.notices.push({
      line: group.from + 1,
      code: 'paragraph-not-parsed',
      message:
        `Lines ${group.from + 1}–${group.to} are published as plain text, without Markdown formatting: they hold ${group.runs} runs of inline ` +
        `syntax characters (*, _, [, ], \`, <, …), ${group.runs > MAX_PARAGRAPH_SYNTAX_RUNS ? `more than the ${MAX_PARAGRAPH_SYNTAX_RUNS} a paragraph may have` : 'past the budget for the whole file'} ` +
        'for the Markdown parser to finish in bounded time. Split the paragraph, or put the text in a code block.',
    })
  }

  /** Spends the paragraph's delimiter work from the budget, or turns its inline formatting off. */
  private endParagraph(): void {
    this.endGroup()
    const { delimiters } = this.paragraph
    const lines = this.paragraph.lines.filter((index) => !this.rawLines.has(index))
    this.paragraph = { lines: [], delimiters: 0, table: false }
    if (lines.length === 0) return
    if (delimiters === 0) return
    const cost = delimiters ** 2
    if (delimiters <= MAX_PARAGRAPH_DELIMITERS && this.delimiterWork + cost <= DELIMITER_WORK_BUDGET) {
      this.delimiterWork += cost
      return
    }
    for (const index of lines) escapeInline(this.lines[index]!)
    this.notices.push({
      line: lines[0]! + 1,
      code: 'inline-formatting-skipped',
      message:
        `Inline formatting (emphasis, links, code spans) is shown as plain text in the paragraph at line ${lines[0]! + 1}: ` +
        `it has ${delimiters} emphasis delimiters, more than the parser can resolve in bounded time.`,
    })
  }
}

/** Cuts container markers past MAX_CONTAINER_MARKERS and list indentation past MAX_LIST_INDENT_COLUMNS. */
function capNesting(line: Line): boolean {
  const indent = INDENTED_LIST_ITEM.exec(line.text)?.[0]
  const tooIndented = indent !== undefined && columns(indent) > MAX_LIST_INDENT_COLUMNS
  if (tooIndented) line.text = ' '.repeat(MAX_LIST_INDENT_COLUMNS) + line.text.slice(indent.length)
  const prefix = containerPrefixEnd(line.text)
  if (prefix.markers <= MAX_CONTAINER_MARKERS) return tooIndented
  line.text = line.text.slice(0, prefix.cappedAt) + ' ' + line.text.slice(prefix.end).trimStart()
  return true
}

/** Width of leading whitespace, tabs to the next multiple of 4 (CommonMark tab stops). */
function columns(whitespace: string): number {
  let width = 0
  for (const char of whitespace) width = char === '\t' ? width + 4 - (width % 4) : width + 1
  return width
}

function splitLines(text: string): Line[] {
  const lines: Line[] = []
  let start = 0
  LINE_BREAK.lastIndex = 0
  for (let match = LINE_BREAK.exec(text); match; match = LINE_BREAK.exec(text)) {
    lines.push({ text: text.slice(start, match.index), eol: match[0] })
    start = match.index + match[0].length
  }
  if (start < text.length || lines.length === 0) lines.push({ text: text.slice(start), eol: '' })
  return lines
}

function joinLines(lines: readonly Line[], from: number, to: number): string {
  let text = ''
  for (let i = from; i < to; i++) text += lines[i]!.text + lines[i]!.eol
  return text
}

/** YAML front matter (remark-frontmatter): `---` on the first line, closed by a later `---` line. */
function frontMatterAt(lines: readonly Line[]): OpenBlock | undefined {
  if (lines[0]?.text.trimEnd() !== '---') return undefined
  const endLine = lines.findIndex((line, i) => i > 0 && line.text.trimEnd() === '---')
  return endLine > 0 ? { kind: 'front-matter', endLine } : undefined
}

/** The construct a line opens that runs until an end marker (and may contain blank lines), if any. */
function openedBlock(content: string): OpenBlock | undefined {
  const fence = FENCE_OPEN.exec(content)
  if (fence) {
    const marker = fence[1] ?? fence[2] ?? fence[3]!
    return { kind: 'fence', marker: marker[0]!, size: marker.length }
  }
  for (const [start, end] of HTML_BLOCK_ENDS) {
    const opening = start.exec(content)
    if (opening) return end.test(content.slice(opening[0].length)) ? undefined : { kind: 'html', end }
  }
  return undefined
}

function closes(open: OpenBlock, text: string, index: number): boolean {
  if (open.kind === 'front-matter') return index === open.endLine
  if (open.kind === 'html') return open.end.test(text)
  const content = text.slice(containerPrefixEnd(text).end).trimStart()
  let size = 0
  while (content[size] === open.marker) size++
  return size >= open.size && content.slice(size).trim() === ''
}

/** End of the run of container markers (`>`, `-`, `1.`) at the start of a line, and where the cap would cut it. */
function containerPrefixEnd(text: string): { end: number; markers: number; cappedAt: number } {
  let end = 0
  let markers = 0
  let cappedAt = 0
  CONTAINER_MARKER.lastIndex = 0
  for (let match = CONTAINER_MARKER.exec(text); match; match = CONTAINER_MARKER.exec(text)) {
    end = CONTAINER_MARKER.lastIndex
    if (++markers === MAX_CONTAINER_MARKERS) cappedAt = end
  }
  return { end, markers, cappedAt }
}

/** Emphasis delimiter runs that can open or close (`*`, `~`, `_` not inside a word) plus `[`, in one line. */
function countDelimiters(content: string): number {
  let count = 0
  for (let i = 0; i < content.length; i++) {
    const char = content[i]
    if (char === '[') count++
    else if (char === '*' || char === '~' || char === '_') {
      let end = i + 1
      while (content[end] === char) end++
      if (char !== '_' || !(isWordChar(content[i - 1]) && isWordChar(content[end]))) count++
      i = end - 1
    }
  }
  return count
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char)
}

/** Runs of inline syntax characters in one line (a run of a delimiter character counts once). */
function countSyntaxRuns(content: string): number {
  let count = 0
  for (let i = 0; i < content.length; i++) {
    const char = content[i]!
    if (INLINE_SYNTAX.has(char) && (char !== content[i - 1] || !DELIMITER_RUN_CHARS.has(char))) count++
  }
  return count
}

/** Makes a line's inline syntax literal, keeping its container markers, thematic breaks and definitions. */
function escapeInline(line: Line): void {
  if (THEMATIC_BREAK.test(line.text) || DEFINITION.test(line.text)) return
  const end = containerPrefixEnd(line.text).end
  line.text = line.text.slice(0, end) + line.text.slice(end).replace(ESCAPABLE, '\\$&')
}
