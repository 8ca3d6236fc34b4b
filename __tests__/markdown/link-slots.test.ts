// Link slots (issue 15, "Convert once"): the converter says where each relative link's text went, and fillLinks puts
// the URLs in later without converting again.
import { describe, expect, it } from 'vitest'
import type { Block, DescendantRequest } from '../../src/blocks/model.js'
import { fillLinks } from '../../src/markdown/index.js'
import { convert } from './helpers.js'

/** Every linked text run: [block type, content, decoded URL]. */
function linkedRuns(request: DescendantRequest): [number, string, string][] {
  return request.descendants.flatMap((block) => {
    const payload = Object.values(block).find((v) => v && typeof v === 'object' && Array.isArray((v as { elements?: unknown }).elements)) as
      | { elements: { text_run?: { content: string; text_element_style?: { link?: { url: string } } } }[] }
      | undefined
    return (payload?.elements ?? []).flatMap((e): [number, string, string][] => {
      const url = e.text_run?.text_element_style?.link?.url
      return url === undefined ? [] : [[block.block_type, e.text_run!.content, decodeURIComponent(url)]]
    })
  })
}

describe('link slots', () => {
  it('one slot per distinct relative href, pointing at every element it produced, in any block', () => {
    const result = convert(
      ['See [**the** guide](guide.md) and [it again](guide.md#setup).', '', '- a [list item](guide.md) link', '', '| a | b |', '|---|---|', '| [cell](other.md) | x |', '', '[out](https://example.com)'].join('\n'),
      { path: 'docs/a.md' },
    )
    expect(result.slots.map((s) => [s.href, s.kind, s.path, s.anchor, s.line])).toEqual([
      ['guide.md', 'markdown-file', 'docs/guide.md', undefined, 1],
      ['guide.md#setup', 'markdown-file', 'docs/guide.md', 'setup', 1],
      ['other.md', 'markdown-file', 'docs/other.md', undefined, 7],
    ])
    // "**the** guide" is two runs (bold, plain) of one link; the list item's link shares the slot of its href.
    expect(result.slots[0]!.elements).toHaveLength(3)
    expect(new Set(result.slots[0]!.elements.map((e) => e.blockId)).size).toBe(2)
    expect(result.slots[2]!.elements).toHaveLength(1)
    // The absolute link has no slot; every link is still listed with its position.
    expect(result.links.map((l) => [l.href, l.slot])).toEqual([
      ['guide.md', 0],
      ['guide.md#setup', 1],
      ['guide.md', 0],
      ['other.md', 2],
      ['https://example.com', undefined],
    ])

    const filled = fillLinks(result.blocks, result.slots, (slot) => `https://wiki/${slot.path}${slot.anchor ? `#${slot.anchor}` : ''}`)
    expect(linkedRuns(filled)).toEqual([
      [2, 'the', 'https://wiki/docs/guide.md'],
      [2, ' guide', 'https://wiki/docs/guide.md'],
      [2, 'it again', 'https://wiki/docs/guide.md#setup'],
      [12, 'list item', 'https://wiki/docs/guide.md'],
      [2, 'cell', 'https://wiki/docs/other.md'],
      [2, 'out', 'https://example.com'],
    ])
    expect(filled.descendants.find((b) => b.block_type === 2 && JSON.stringify(b).includes('"the"'))!.text).toMatchObject({
      elements: [{ text_run: { content: 'See ' } }, { text_run: { content: 'the', text_element_style: { bold: true } } }, expect.anything(), expect.anything(), expect.anything(), expect.anything()],
    })
  })

  it('fillLinks leaves the conversion and every block without a slot as they were', () => {
    const result = convert('Plain paragraph.\n\nA [link](b.md).\n', { path: 'docs/a.md' })
    const before = JSON.stringify(result.blocks)
    const filled = fillLinks(result.blocks, result.slots, () => 'https://wiki/b')
    expect(JSON.stringify(result.blocks)).toBe(before)
    expect(filled.descendants[0]).toBe(result.blocks.descendants[0])
    expect(filled.descendants[1]).not.toBe(result.blocks.descendants[1])
    // Nothing to change: the very same request.
    expect(fillLinks(result.blocks, result.slots, () => undefined)).toBe(result.blocks)
    expect(fillLinks(result.blocks, result.slots, (slot) => slot.href)).toBe(result.blocks)
  })

  it('a URL whose scheme may not be a link leaves the text without a link; unfilled slots stay as written', () => {
    const result = convert('[a](x.md) [b](y.md)\n', { path: 'docs/a.md' })
    const filled = fillLinks(result.blocks, result.slots, (slot) => (slot.href === 'x.md' ? 'javascript:alert(1)' : undefined), (url) => url.startsWith('javascript:'))
    const block = filled.descendants[0] as Block & { text: { elements: { text_run: { content: string; text_element_style?: object } }[] } }
    expect(block.text.elements[0]).toEqual({ text_run: { content: 'a' } })
    expect(linkedRuns(filled)).toEqual([[2, 'b', 'y.md']])
  })

  it('a link split over two blocks by the text limit keeps its slot in both', () => {
    const long = 'x'.repeat(60_000)
    const result = convert(`[${long}${long}](far.md)\n`, { path: 'docs/a.md' })
    expect(result.blocks.descendants.length).toBe(2)
    expect(result.slots[0]!.elements.map((e) => e.blockId)).toEqual(result.blocks.descendants.map((b) => b.block_id))
    expect(linkedRuns(fillLinks(result.blocks, result.slots, () => 'https://wiki/far')).map(([, , url]) => url)).toEqual(['https://wiki/far', 'https://wiki/far'])
  })
})
