// No input makes the converter throw, its output stays bounded and valid, it returns in bounded time, and the
// same input always gives the same output.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_WARNINGS_PER_CODE } from '../../src/markdown/warnings.js'
import { convert, requestProblems } from './helpers.js'
import { type CaseReport, ORDINARY_1_MB, ORDINARY_2_MB, PATHOLOGICAL_CASES } from './pathological.js'

/**
 * CPU time allowed per case. Wall time measured on a loaded 2-CPU machine: every case under 8 s, ordinary documentation
 * 10–17 s per MB (micromark runs at 0.06–0.1 MB/s there); the bounds leave room for slower CI machines.
 */
const SECONDS_PER_CASE = 30
const SECONDS_PER_MB = 60

describe('odd input', () => {
  const cases: Record<string, string> = {
    'empty file': '',
    'only whitespace': ' \n\t\n  ',
    'NUL bytes': 'a\0b\n\0\n# \0\n```\0\n```',
    'BOM only': '\uFEFF',
    'lone surrogates': 'a\uD800b [x](\uDC00) ![i](\uD800.png)',
    'CR and CRLF line endings': '# T\r\n\r\npara\rline\r\n- a\r\n- b',
    'control characters': '\u0001\u0002\u001b[31mred\u001b[0m',
    'unclosed everything': '```js\n<div>\n<!--\n$$\n> [!NOTE',
    'only definitions': '[a]: /u\n[^b]: note',
  }
  for (const [name, markdown] of Object.entries(cases)) {
    it(`${name}: no throw, a valid request`, () => {
      const result = convert(markdown)
      expect(requestProblems(result.blocks)).toEqual([])
      expect(result.warnings.map((warning) => warning.code)).not.toContain('conversion-failed')
      expect(JSON.stringify(result)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/)
    })
  }

  it('an empty file has an empty body and the file name as title', () => {
    expect(convert('')).toMatchObject({ title: 'page', titleSource: 'file-name', blocks: { children_id: [], descendants: [] }, fillables: [], links: [], warnings: [] })
  })

  it('fuzz: 300 random Markdown-ish documents', () => {
    const alphabet = ['*', '_', '~', '`', '[', ']', '(', ')', '<', '>', '!', '#', '-', '+', '|', '$', '^', ':', '\\', '&', ';', '"', "'", '=', '/', '\n', '\n\n', ' ', '  ', '\t', '1.', 'a', 'b', 'word', '```', '> ', '- ', '<b>', '</b>', '<img src=x>', '[^1]', '[!NOTE]', 'http://x.y', '---\n']
    let seed = 7
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648)
    for (let doc = 0; doc < 300; doc++) {
      const length = 1 + Math.floor(random() * 200)
      const markdown = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')
      const result = convert(markdown)
      expect(requestProblems(result.blocks), markdown).toEqual([])
    }
  })
})

describe('pathological input (the commonmark.js pathological cases and more)', () => {
  // Run in a plain Node process: see pathological.ts for why timings under Vitest are meaningless.
  const reports = new Map<string, CaseReport>()
  beforeAll(() => {
    const runner = fileURLToPath(new URL('./pathological.ts', import.meta.url))
    const child = spawnSync(process.execPath, ['--import', 'tsx', runner], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 900_000 })
    expect(child.stderr).toBe('')
    for (const line of child.stdout.trim().split('\n')) {
      const report = JSON.parse(line) as CaseReport
      reports.set(report.name, report)
    }
  }, 900_000)

  for (const name of Object.keys(PATHOLOGICAL_CASES)) {
    it(`${name}: a valid request, bounded output, bounded time`, () => {
      const report = reports.get(name)!
      expect(report.problems).toEqual([])
      expect(report.blocks).toBeLessThanOrEqual(report.chars + 1)
      for (const count of Object.values(report.warningsPerCode)) expect(count).toBeLessThanOrEqual(MAX_WARNINGS_PER_CODE + 1)
      expect(report.warningsPerCode['conversion-failed']).toBeUndefined()
      // CPU time, not wall time: a blow-up shows in both, but only wall time grows when other work shares the machine.
      expect(report.cpuSeconds, `${report.seconds.toFixed(1)} s wall`).toBeLessThan(name.startsWith('ordinary documentation') ? (SECONDS_PER_MB * report.chars) / 1e6 : SECONDS_PER_CASE)
    })
  }

  it('ordinary documentation converts in linear time: twice the input takes about twice the time, not four times', () => {
    const [one, two] = [reports.get(ORDINARY_1_MB)!, reports.get(ORDINARY_2_MB)!]
    expect(two.chars / one.chars).toBeCloseTo(2, 2)
    // CPU time of the converting process, so other work on the machine does not skew the ratio. Only an upper
    // bound: quadratic work shows as ~4; the first case also pays the JIT warm-up, so the ratio can be well below 2.
    const ratio = two.cpuSeconds / one.cpuSeconds
    expect(ratio, `1 MB: ${one.cpuSeconds.toFixed(2)} s CPU, 2 MB: ${two.cpuSeconds.toFixed(2)} s CPU`).toBeLessThan(3)
  })
})

describe('determinism', () => {
  it('the same input gives byte-identical output', () => {
    const markdown = '---\ntitle: T\n---\n# H\n\n> [!TIP]\n> x\n\n- [ ] a\n  - b\n\n| a |\n|---|\n| ![i](x.png) |\n\nnote[^1]\n\n[^1]: n\n'
    expect(JSON.stringify(convert(markdown))).toBe(JSON.stringify(convert(markdown)))
  })
})
