// Fenced code info strings with the site generators' attributes keep their language.
import { describe, expect, it } from 'vitest'
import { codeLanguage, infoLanguage } from '../../../src/markdown/code-languages.js'
import { convert } from '../helpers.js'

const RUST = 53
const JS = 30
const TS = 63
const SHELL = 60
const YAML = 67
const JSON = 28
const HTML = 24

describe('code fence info strings', () => {
  it.each([
    ['rust,ignore', RUST],
    ['rust,no_run,noplayground', RUST],
    ['js{1}', JS],
    ['js{1,3-5}', JS],
    ['ts twoslash', TS],
    ['ts:line-numbers {1}', TS],
    ['tsx title="App.tsx"', TS],
    ['sh [npm]', SHELL],
    ['shell', SHELL],
    ['console', SHELL],
    ['yml', YAML],
    ['jsonc', JSON],
    ['vue', HTML],
    ['{.rb}', 52],
  ])('%s → language %i, without a warning', (info, id) => {
    expect(codeLanguage(info)).toEqual({ id, known: true })
    const result = convert(`\`\`\`${info}\nx\n\`\`\``)
    expect(result.blocks.descendants[0]!.code).toMatchObject({ style: { language: id } })
    expect(result.warnings).toEqual([])
  })

  it('the language is the first token before `,`, `{`, `[`, `:` or a space', () => {
    expect(['rust,ignore', 'js{1}', 'ts twoslash', 'sh [pnpm]', 'ts:no-line-numbers', '  Python  '].map(infoLanguage)).toEqual(['rust', 'js', 'ts', 'sh', 'ts', 'python'])
  })

  it('an unknown language warns with the language token, not the attributes', () => {
    const result = convert('```brainfuck,ignore\n+\n```')
    expect(result.warnings.map((w) => w.message)).toEqual(['Code language "brainfuck" has no Feishu equivalent; the code block is plain text.'])
  })
})
