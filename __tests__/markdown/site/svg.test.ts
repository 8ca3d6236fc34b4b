// SVG images: Feishu cannot show them, so they become a line linking to the file, with a warning.
import { describe, expect, it } from 'vitest'
import { fillLinks } from '../../../src/markdown/index.js'
import { checked, shape } from '../helpers.js'

describe('SVG images', () => {
  it('a local SVG becomes a link to the file through its link slot, not an image block', () => {
    const result = checked('![Architecture](img/arch.svg)\n\n![photo](img/p.png)', { path: 'docs/a.md' })
    const blocks = fillLinks(result.blocks, result.slots, (slot) => (slot.path ? `https://github.com/o/r/blob/main/${slot.path}` : undefined))
    expect(shape(blocks)).toEqual([
      { t: 2, p: { elements: [{ text_run: { content: '🖼 Architecture (SVG image)', text_element_style: { link: { url: encodeURIComponent('https://github.com/o/r/blob/main/docs/img/arch.svg') } } } }] } },
      { t: 27, p: {} },
    ])
    expect(result.fillables.map((a) => (a.kind === 'diagram' ? '' : a.src))).toEqual(['img/p.png'])
    expect(result.warnings).toMatchObject([{ code: 'svg-image', line: 1 }])
  })

  it('a remote SVG (with a query) links to its URL; a badge without an extension stays an image', () => {
    const result = checked('![](https://example.com/logo.svg?v=2) ![b](https://img.shields.io/badge/x-y-green)')
    expect(shape(result.blocks).map((b) => b.t)).toEqual([2, 27])
    expect(result.links.map((l) => l.href)).toEqual(['https://example.com/logo.svg?v=2'])
  })
})
