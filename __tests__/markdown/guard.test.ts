// The pre-parse guard: large files are parsed in segments cut only where no construct spans the cut, so the
// result is the same as parsing the whole file; absurd nesting and delimiter storms are defused without
// touching code.
import { describe, expect, it } from 'vitest'
import {
  guardSource,
  MAX_CONTAINER_MARKERS,
  MAX_PARAGRAPH_DELIMITERS,
  MAX_PARAGRAPH_SYNTAX_RUNS,
  SEGMENT_HARD_CHARS,
  SEGMENT_TARGET_CHARS,
} from '../../src/markdown/guard.js'
import { convert, requestProblems, requestText, run, shape } from './helpers.js'

const repeat = (text: string, minChars: number) => text.repeat(Math.ceil(minChars / text.length))

describe('segments', () => {
  it('a small file is one segment, unchanged', () => {
    const markdown = '# A\n\ntext\n'
    expect(guardSource(markdown)).toEqual({ segments: [{ text: markdown, firstLine: 1, continuesList: false }], notices: [] })
  })

  it('a large file is cut after a blank line before an unindented block; the segments join back to the file', () => {
    const markdown = repeat('## Part\n\n- item\n  continued\n\n    indented code\n\n> quote\nlazy\n\nParagraph *x*\n\n', 5 * SEGMENT_TARGET_CHARS)
    const { segments } = guardSource(markdown)
    expect(segments.length).toBeGreaterThan(3)
    expect(segments.map((segment) => segment.text).join('')).toBe(markdown)
    for (const segment of segments.slice(1)) {
      expect(segment.text).toMatch(/^[^\s\-*+\d]/)
      expect(markdown.split('\n')[segment.firstLine - 2]).toBe('')
    }
  })

  it('converting in segments gives the same blocks as the parts converted one by one', () => {
    const part = 'Intro\n\n## Part\n\nSome **bold** and a [link](https://x.y).\n\n- a\n  - b\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n'
    const count = Math.ceil((4 * SEGMENT_TARGET_CHARS) / part.length)
    const whole = shape(convert(part.repeat(count)).blocks)
    expect(whole).toEqual(Array.from({ length: count }, () => shape(convert(part).blocks)).flat())
  })

  it('link and footnote definitions reach references in other segments', () => {
    const body = repeat('See [the guide][guide], [Home] and a note[^n].\n\n', 3 * SEGMENT_TARGET_CHARS)
    const result = convert(`${body}[guide]: https://example.com/guide\n[home]: ./README.md\n\n[^n]: The note.\n`)
    expect(requestProblems(result.blocks)).toEqual([])
    const text = requestText(result.blocks)
    expect(text).not.toContain('[guide]')
    expect(text).not.toContain('[^n]')
    expect(new Set(result.links.map((link) => link.href))).toEqual(new Set(['https://example.com/guide', './README.md']))
    expect(result.links.length).toBe(2 * body.split('\n\n').filter(Boolean).length)
    expect(shape(result.blocks).at(-1)).toEqual({ t: 2, p: { elements: [run('[1] The note.')] } })
  })

  it('fenced code, math and HTML blocks with blank lines are never cut', () => {
    const code = repeat('line *x* [y]\n\nunindented after blank\n', 3 * SEGMENT_TARGET_CHARS)
    for (const [open, close] of [['```', '```'], ['~~~~', '~~~~'], ['$$', '$$'], ['<!--', '-->'], ['<pre>', '</pre>']] as const) {
      const markdown = `Intro\n\n${open}\n${code}${close}\n\nAfter\n`
      const { segments } = guardSource(markdown)
      expect(segments.map((segment) => segment.text).join('')).toBe(markdown)
      expect(segments.some((segment) => segment.text.startsWith('unindented'))).toBe(false)
    }
    const fenced = convert(`Intro\n\n\`\`\`\n${code}\`\`\`\n\nAfter\n`)
    expect(shape(fenced.blocks)).toEqual([
      { t: 2, p: { elements: [run('Intro')] } },
      { t: 14, p: { style: { language: 1 }, elements: [run(code.slice(0, -1))] } },
      { t: 2, p: { elements: [run('After')] } },
    ])
  })

  it('a huge list without blank lines is cut between its items, and its numbers are not warned about', () => {
    const items = Array.from({ length: Math.ceil((2 * SEGMENT_HARD_CHARS) / 30) }, (_, i) => `${i + 1}. item number ${i + 1} here\n`).join('')
    const { segments } = guardSource(items)
    expect(segments.length).toBeGreaterThan(1)
    expect(segments.slice(1).every((segment) => segment.continuesList && /^\d+\. /.test(segment.text))).toBe(true)
    const result = convert(items)
    expect(result.warnings).toEqual([])
    expect(result.blocks.children_id.length).toBe(items.split('\n').length - 1)
  })
})

describe('defusing pathological input', () => {
  it('a paragraph with too many emphasis delimiters keeps its exact text, unformatted, with a warning', () => {
    const paragraph = '*a_ '.repeat(MAX_PARAGRAPH_DELIMITERS)
    const result = convert(`Before *x*\n\n${paragraph}\n\n\`\`\`\n${paragraph}\n\`\`\``)
    expect(shape(result.blocks)).toEqual([
      { t: 2, p: { elements: [run('Before '), run('x', { italic: true })] } },
      { t: 2, p: { elements: [run(paragraph.trim())] } },
      { t: 14, p: { style: { language: 1 }, elements: [run(paragraph)] } },
    ])
    expect(result.warnings).toMatchObject([{ code: 'inline-formatting-skipped', line: 3 }])
  })

  it('table rows count on their own: a long table keeps its formatting', () => {
    const table = `| a | b |\n|---|---|\n${'| *x* | [l](u) |\n'.repeat(MAX_PARAGRAPH_DELIMITERS)}`
    const result = convert(table)
    // Formatting kept; only the split into tables that each fit one descendant call is reported.
    expect(result.warnings.map((w) => w.code)).toEqual(['table-split'])
    expect(result.links.length).toBe(MAX_PARAGRAPH_DELIMITERS)
  })

  it('container markers beyond the cap are cut, with one warning', () => {
    const result = convert(`${'> '.repeat(10 * MAX_CONTAINER_MARKERS)}deep\n${'> '.repeat(2 * MAX_CONTAINER_MARKERS)}again`)
    expect(requestProblems(result.blocks)).toEqual([])
    expect(requestText(result.blocks)).toBe('deep again')
    expect(result.warnings.map((warning) => warning.code)).toEqual(['container-depth-capped', 'nesting-flattened'])
  })

  it('a paragraph with more inline syntax than the parser resolves in bounded time is plain text, unparsed; its neighbours are parsed', () => {
    const storm = 'a]'.repeat(MAX_PARAGRAPH_SYNTAX_RUNS + 1)
    const result = convert(`# T\n\nbefore *x*\n\n${storm}\n\n- after [l](u)\n`)
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([['paragraph-not-parsed', 5]])
    expect(requestText(result.blocks)).toContain(storm)
    expect(result.links.map((l) => l.href)).toEqual(['u'])
    expect(requestProblems(result.blocks)).toEqual([])
    // A long tight list counts item by item.
    const list = Array.from({ length: MAX_PARAGRAPH_SYNTAX_RUNS }, (_, i) => `- [l${i}](u${i})`).join('\n')
    expect(convert(list).warnings.filter((w) => w.code === 'paragraph-not-parsed')).toEqual([])
  })
})
