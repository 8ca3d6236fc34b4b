// Inline math follows GitHub's rules (src/markdown/math.ts): dollars in real documentation prose are money and shell
// variables; only clear math becomes an equation.
import { describe, expect, it } from 'vitest'
import type { TextElement } from '../../../src/blocks/model.js'
import { convert, requestProblems } from '../helpers.js'
import { FALSE_POSITIVES } from './math-corpus.js'

function elements(markdown: string): TextElement[] {
  const result = convert(markdown)
  expect(requestProblems(result.blocks)).toEqual([])
  return result.blocks.descendants.flatMap((block) => (block.text as { elements?: TextElement[] } | undefined)?.elements ?? [])
}
const equations = (markdown: string) => elements(markdown).flatMap((e) => ('equation' in e ? [e.equation.content] : []))
const text = (markdown: string) => elements(markdown).map((e) => ('text_run' in e ? e.text_run.content : 'equation' in e ? `[${e.equation.content}]` : '')).join('')

/** True math as GitHub renders it, with the equation each must give. */
const TRUE_MATH: readonly [markdown: string, equations: string[]][] = [
  ['Euler: $e^{i\\pi}+1=0$.', ['e^{i\\pi}+1=0']],
  ['The sum $\\sum_{i=1}^n i = \\frac{n(n+1)}{2}$ holds.', ['\\sum_{i=1}^n i = \\frac{n(n+1)}{2}']],
  ['Let $x$ and $y$ be reals.', ['x', 'y']],
  ['其中 $x$是变量，$y$为常数。', ['x', 'y']],
  ['The cost is $O(n \\log n)$, not $O(n^2)$.', ['O(n \\log n)', 'O(n^2)']],
  ['Inline with code: $`\\sqrt{3} + a$b`$ done.', ['\\sqrt{3} + a$b']],
  ['A dollar inside: $\\text{cost} = \\$5$ ok.', ['\\text{cost} = \\$5']],
  ['Display inline $$a^2+b^2=c^2$$ too.', ['a^2+b^2=c^2']],
  ['勾股定理：$a^2+b^2=c^2$。', ['a^2+b^2=c^2']],
  // Prices and math in one paragraph: a bare `$` inside ends an attempt (stricter than GitHub, see math.ts).
  ['每月费用为 $9.99，年付 $99。勾股定理：$a^2+b^2=c^2$。', ['a^2+b^2=c^2']],
]

describe('inline math follows GitHub’s rules', () => {
  it(`gives no equation for ${FALSE_POSITIVES.length} false-positive lines from real docs`, () => {
    expect(FALSE_POSITIVES.length).toBeGreaterThanOrEqual(20)
    for (const line of FALSE_POSITIVES) expect({ line, equations: equations(line) }).toEqual({ line, equations: [] })
  })

  it.each(TRUE_MATH)('still gives equations for %s', (markdown, expected) => {
    expect(equations(markdown)).toEqual(expected)
  })

  it('keeps the emphasis and the code span a dollar would have swallowed', () => {
    const result = elements('Installed into *$HOME/.cargo/bin*; add it to your `$PATH`.')
    expect(result).toContainEqual({ text_run: { content: '$HOME/.cargo/bin', text_element_style: { italic: true } } })
    expect(result).toContainEqual({ text_run: { content: '$PATH', text_element_style: { inline_code: true } } })
  })

  it('the closing dollar needs a non-space before it and no digit after it; \\$ never closes', () => {
    expect(text('$a $b')).toBe('$a $b')
    expect(text('$a$1 and $b$')).toBe('$a$1 and [b]')
    expect(text('$a\\$ b$')).toBe('[a\\$ b]')
    expect(text('$ a$')).toBe('$ a$')
  })

  it('a closing dollar is not followed by an ASCII letter', () => {
    expect(text('$a$b')).toBe('$a$b')
    expect(text('the $n$-th item')).toBe('the [n]-th item')
  })

  it('code spans take precedence over math', () => {
    expect(text('$a `b$` c$')).toBe('$a b$ c$')
  })

  it('block math is unchanged', () => {
    expect(equations('$$\n\\int_0^1 x\\,dx\n$$')).toEqual(['\\int_0^1 x\\,dx'])
  })
})
