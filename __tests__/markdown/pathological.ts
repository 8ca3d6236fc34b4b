// Pathological inputs (the commonmark.js pathological cases and more), converted and checked in a plain Node
// process: under Vitest, micromark resolves to its `development` build (assertions on every token, many times
// slower), so timings measured there say nothing about the action, which runs the production build.
//   node --import tsx __tests__/markdown/pathological.ts   → one JSON line per case
import { fileURLToPath } from 'node:url'
import { convert, requestProblems } from './helpers.js'

const n = 10_000
export const ORDINARY_1_MB = 'ordinary documentation, 1 MB'
export const ORDINARY_2_MB = 'ordinary documentation, 2 MB'

export const PATHOLOGICAL_CASES: Record<string, () => string> = {
  'nested strong emphasis': () => '*a **a '.repeat(n) + 'b' + ' a** a*'.repeat(n),
  'many emphasis closers without openers': () => 'a_ '.repeat(n),
  'many emphasis openers without closers': () => '_a '.repeat(n),
  'many link closers without openers': () => 'a]'.repeat(n),
  'many link openers without closers': () => '[a'.repeat(n),
  'mismatched openers and closers': () => '*a_ '.repeat(n),
  'openers and closers multiple of 3': () => 'a**b' + 'c* '.repeat(n),
  'link openers and emphasis closers': () => '[ a_'.repeat(n),
  '10k nested brackets': () => '['.repeat(n) + 'a' + ']'.repeat(n),
  '10k nested block quotes': () => '> '.repeat(n) + 'a\n',
  'lists 100 deep': () => Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}- a\n`).join(''),
  'lists 1000 deep (1 MB)': () => Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}* a\n`).join(''),
  '"* " 10k times on one line': () => '* '.repeat(n) + 'a',
  'backticks of every length (500 kB)': () => Array.from({ length: 1000 }, (_, i) => `e${'`'.repeat(i)}`).join(''),
  'unclosed links (angle brackets)': () => '[a](<b'.repeat(n),
  'unclosed links': () => '[a](b'.repeat(n),
  'unclosed HTML comments': () => '</' + '<!--'.repeat(n),
  'empty lines in deeply nested lists in a quote': () => '> ' + '- '.repeat(n) + 'a\n' + '>\n'.repeat(n),
  'a run of 50k asterisks': () => '*'.repeat(5 * n),
  '10k reference definitions and uses': () =>
    Array.from({ length: n }, (_, i) => `[l${i}]: /u${i}`).join('\n') + '\n\n' + Array.from({ length: n }, (_, i) => `[l${i}]`).join(' '),
  '10k HTML tags with attributes': () => '<a x="1" y=\'2\' z>t</a> '.repeat(n),
  // Ordinary documentation at two sizes: with the time of each, the test shows conversion is linear (twice the
  // input, about twice the time; quadratic would be four times). The hostile suite publishes a 5 MB file end to end.
  [ORDINARY_1_MB]: () => ordinaryDocumentation(1e6),
  [ORDINARY_2_MB]: () => ordinaryDocumentation(2e6),
}

function ordinaryDocumentation(chars: number): string {
  const section =
    '## Section\n\nSome *emph* and **strong** text with a [link](https://x.y) and `code`.\n\n- item **bold**\n- item\n  - nested\n\n' +
    '1. first\n2. second\n\n> quoted [ref](./other.md#a)\n> - in quote\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n```ts\nconst a = 1\n```\n\n'
  return section.repeat(Math.ceil(chars / section.length))
}

export interface CaseReport {
  name: string
  chars: number
  seconds: number
  /** CPU time of this process (user + system) during the conversion: steadier than `seconds` on a busy machine. */
  cpuSeconds: number
  blocks: number
  problems: string[]
  warningsPerCode: Record<string, number>
}

function runCase(name: string, make: () => string): CaseReport {
  const markdown = make()
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  const result = convert(markdown)
  const cpu = process.cpuUsage(cpuStart)
  const seconds = (performance.now() - start) / 1000
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  const warningsPerCode: Record<string, number> = {}
  for (const warning of result.warnings) warningsPerCode[warning.code] = (warningsPerCode[warning.code] ?? 0) + 1
  return { name, chars: markdown.length, seconds, cpuSeconds, blocks: result.blocks.descendants.length, problems: requestProblems(result.blocks).slice(0, 5), warningsPerCode }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, make] of Object.entries(PATHOLOGICAL_CASES)) console.log(JSON.stringify(runCase(name, make)))
}
