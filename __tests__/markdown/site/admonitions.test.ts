// VitePress/Docusaurus containers become callouts in GitHub's alert colours, parsed by the directive parser.
import { describe, expect, it } from 'vitest'
import { SEGMENT_TARGET_CHARS } from '../../../src/markdown/guard.js'
import { rewriteContainerTitles } from '../../../src/markdown/admonitions.js'
import { checked, requestText, run, shape } from '../helpers.js'

const B = { bold: true }
const callout = (color: number, ...children: unknown[]) => ({ t: 19, p: { background_color: color, border_color: color }, c: children })
const text = (...elements: unknown[]) => ({ t: 2, p: { elements } })

describe('admonitions', () => {
  it.each([
    ['tip', 4, 'Tip'],
    ['note', 5, 'Note'],
    ['info', 5, 'Info'],
    ['warning', 3, 'Warning'],
    ['danger', 1, 'Danger'],
    ['caution', 1, 'Caution'],
    ['important', 6, 'Important'],
    ['details', 7, 'Details'],
  ])('::: %s becomes a callout (colour %i) titled %s', (name, color, label) => {
    for (const opening of [`::: ${name}`, `:::${name}`]) {
      const result = checked(`${opening}\nBody *x*\n:::\n`)
      expect(shape(result.blocks)).toEqual([callout(color, text(run(label, B)), text(run('Body '), run('x', { italic: true })))])
      expect(result.warnings).toEqual([])
    }
  })

  it('the title after the name (VitePress, Docusaurus) or in brackets is the first line, in bold', () => {
    // The title's own text runs keep their styles, bold added.
    const expected = [callout(4, text(run('Read ', B), run('this', { bold: true, italic: true })), text(run('Body')))]
    expect(shape(checked('::: tip Read *this*\nBody\n:::\n').blocks)).toEqual(expected)
    expect(shape(checked(':::tip[Read *this*]\nBody\n:::\n').blocks)).toEqual(expected)
    expect(shape(checked('::: danger STOP [here]\nx\n:::\n').blocks)[0]!.c![0]).toEqual(text(run('STOP [here]', B)))
  })

  it('content a callout cannot hold follows it, with a warning; nested containers work', () => {
    const result = checked('::: warning\nText\n\n```sh\nrm -rf x\n```\n:::\n')
    expect(shape(result.blocks).map((b) => b.t)).toEqual([19, 14])
    expect(result.warnings.map((w) => w.code)).toEqual(['callout-content-moved'])
    const nested = checked(':::: details Outer\n::: tip\nInner\n:::\n::::\n')
    // A callout cannot hold a callout: the inner one follows the outer.
    expect(shape(nested.blocks)).toEqual([callout(7, text(run('Outer', B))), callout(4, text(run('Tip', B)), text(run('Inner')))])
  })

  it('an unknown container keeps its content, with one warning per kind', () => {
    const result = checked('::: code-group\n```sh [npm]\nnpm i\n```\n:::\n\n::: code-group\n```sh [pnpm]\npnpm i\n```\n:::\n')
    expect(shape(result.blocks).map((b) => b.t)).toEqual([14, 14])
    expect(result.warnings).toMatchObject([{ code: 'site-syntax', line: 1, message: expect.stringContaining(':::code-group') }])
  })

  it('leaves fenced code, prose colons and text directives alone', () => {
    expect(rewriteContainerTitles('```md\n::: tip Title\n```\n')).toBe('```md\n::: tip Title\n```\n')
    const result = checked('Time 10:30, key:value and :smile: stay text.\n')
    expect(shape(result.blocks)).toEqual([text(run('Time 10:30, key:value and :smile: stay text.'))])
  })

  it('a long container is never cut between segments', () => {
    const body = 'Paragraph text that goes on.\n\n'.repeat(Math.ceil((2 * SEGMENT_TARGET_CHARS) / 30))
    const result = checked(`Intro\n\n${'x\n\n'.repeat(2000)}::: tip\n${body}:::\n\nAfter\n`)
    const blocks = shape(result.blocks)
    const paragraphs = body.split('\n\n').filter(Boolean).length
    expect(blocks.filter((b) => b.t === 19).map((b) => b.c!.length)).toEqual([1 + paragraphs])
    expect(requestText(result.blocks)).not.toContain(':::')
    expect(result.warnings).toEqual([])
  })
})
