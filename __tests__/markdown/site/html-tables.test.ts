// HTML tables become native Feishu tables (hast-util-from-html), cell markup kept, spans laid out on the grid.
import { describe, expect, it } from 'vitest'
import { SEGMENT_TARGET_CHARS } from '../../../src/markdown/guard.js'
import { checked, run, shape, type Shape } from '../helpers.js'

const B = { bold: true }
const cellTexts = (table: Shape) => table.c!.map((cell) => cell.c!.map((b) => (b.p as { elements?: { text_run?: { content: string } }[] }).elements?.map((e) => e.text_run?.content ?? '').join('') ?? `#${b.t}`).join('|'))

describe('HTML tables', () => {
  it('a thead/tbody table with inline markup becomes a table with a header row', () => {
    const result = checked('<table>\n<thead><tr><th>名称</th><th>说明</th></tr></thead>\n<tbody>\n<tr><td><code>a</code></td><td><b>粗体</b> <a href="https://x.y">link</a></td></tr>\n<tr><td>b<br>c</td><td></td></tr>\n</tbody>\n</table>')
    const [table] = shape(result.blocks)
    expect(table).toMatchObject({ t: 31, p: { property: { row_size: 3, column_size: 2, header_row: true } } })
    expect(cellTexts(table!)).toEqual(['名称', '说明', 'a', '粗体 link', 'b\nc', ''])
    expect(table!.c![3]!.c![0]).toEqual({ t: 2, p: { elements: [run('粗体', B), run(' '), run('link', { link: { url: 'https%3A%2F%2Fx.y' } })] } })
    expect(result.warnings).toEqual([])
  })

  it('colspan and rowspan are laid out on the grid: content in the first cell, the spanned cells empty, one warning', () => {
    const result = checked('<table><tr><td colspan="2">wide</td><td rowspan="2">tall</td></tr><tr><td>x</td><td>y</td></tr></table>')
    const [table] = shape(result.blocks)
    expect(table).toMatchObject({ t: 31, p: { property: { row_size: 2, column_size: 3 } } })
    expect(cellTexts(table!)).toEqual(['wide', '', 'tall', 'x', 'y', ''])
    expect(result.warnings.map((w) => w.code)).toEqual(['html-table-merged-cells'])
  })

  it('a table cut by blank lines, with Markdown in its cells, is one table', () => {
    const result = checked('<table>\n<tr>\n<td>\n\n**Bold** cell\n\n</td>\n<td>\n\n- item\n\n</td>\n</tr>\n</table>\n\nAfter\n')
    const blocks = shape(result.blocks)
    expect(blocks.map((b) => b.t)).toEqual([31, 2])
    expect(cellTexts(blocks[0]!)).toEqual(['Bold cell', 'item'])
  })

  it('a caption is a paragraph before the table; a wrapper keeps its other content', () => {
    const blocks = shape(checked('<div align="center">\n<p>Intro</p>\n<table><caption>Sizes</caption><tr><td>1</td></tr></table>\n</div>').blocks)
    expect(blocks.map((b) => b.t)).toEqual([2, 2, 31])
  })

  it('a long HTML table with blank lines is never cut between segments', () => {
    const rows = Array.from({ length: Math.ceil((2 * SEGMENT_TARGET_CHARS) / 40) }, (_, i) => `<tr>\n<td>\n\nrow ${i}\n\n</td>\n</tr>\n`).join('')
    const blocks = shape(checked(`${'x\n\n'.repeat(2000)}<table>\n${rows}</table>\n`).blocks)
    expect(blocks.filter((b) => b.t === 31)).toHaveLength(1)
  })
})
