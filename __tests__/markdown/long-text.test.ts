// Feishu's 100,000-character cap on one block's text: longer paragraphs and code blocks become consecutive blocks.
import { describe, expect, it } from 'vitest'
import { BlockType } from '../../src/blocks/model.js'
import { MAX_TEXT_CHARS } from '../../src/markdown/long-text.js'
import { convert, requestProblems } from './helpers.js'

type Payload = { elements: { text_run?: { content: string } }[]; style?: { language?: number } }
const textOf = (p: Payload) => p.elements.map((e) => e.text_run?.content ?? '').join('')

describe('text longer than one block holds', () => {
  it('a 250,000-character paragraph becomes three paragraphs, every character kept, with a warning on its line', () => {
    const words = 'lorem ipsum '.repeat(250_000 / 12)
    const result = convert(`# Long\n\n${words}\n`)
    const blocks = result.blocks.descendants.filter((b) => b.block_type === BlockType.text)
    expect(blocks).toHaveLength(3)
    const texts = blocks.map((b) => textOf(b.text as Payload))
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(MAX_TEXT_CHARS)
    expect(texts.join('')).toBe(words.trimEnd())
    expect(result.warnings.filter((w) => w.code === 'text-split')).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining('3 consecutive blocks') })])
    expect(requestProblems(result.blocks)).toEqual([])
  })

  it('a 150,000-character code block becomes two code blocks with its language; a surrogate pair is never cut', () => {
    const code = `${'x'.repeat(MAX_TEXT_CHARS - 1)}😀${'y'.repeat(49_999)}`
    const result = convert(`\`\`\`js\n${code}\n\`\`\`\n`)
    const blocks = result.blocks.descendants.filter((b) => b.block_type === BlockType.code)
    expect(blocks).toHaveLength(2)
    const payloads = blocks.map((b) => b.code as Payload)
    expect(new Set(payloads.map((p) => p.style?.language)).size).toBe(1)
    expect(textOf(payloads[0]!)).toBe('x'.repeat(MAX_TEXT_CHARS - 1)) // the emoji moved whole to the next block
    expect(payloads.map(textOf).join('')).toBe(code)
    expect(requestProblems(result.blocks)).toEqual([])
  })

  it('text at the limit stays one block, without a warning', () => {
    const result = convert(`${'a'.repeat(MAX_TEXT_CHARS)}\n`)
    expect(result.blocks.descendants.filter((b) => b.block_type === BlockType.text)).toHaveLength(1)
    expect(result.warnings.map((w) => w.code)).not.toContain('text-split')
  })
})
