// HTML tables become native Feishu tables (hast-util-from-html), cell markup kept, spans laid out on the grid.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { canonicalBlock } from '../../../src/blocks/canonical.js'
import { tableMerges } from '../../../src/blocks/merges.js'
import type { Block } from '../../../src/blocks/model.js'
import { SEGMENT_TARGET_CHARS } from '../../../src/markdown/guard.js'
import { MAX_TABLE_MERGES } from '../../../src/markdown/html-tables.js'
import { checked, run, shape, type Shape } from '../helpers.js'

const FIXTURES = fileURLToPath(new URL('../../../node_modules/feishu-docx/tests/fixtures/', import.meta.url))
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

  it('colspan and rowspan are merged cells: content in the first cell, the covered cells empty, merge_info as Feishu reads it back', () => {
    const result = checked('<table><tr><td colspan="2">wide</td><td rowspan="2">tall</td></tr><tr><td>x</td><td>y</td></tr></table>')
    const [table] = shape(result.blocks)
    expect(table).toMatchObject({ t: 31, p: { property: { row_size: 2, column_size: 3 } } })
    expect(cellTexts(table!)).toEqual(['wide', '', 'tall', 'x', 'y', ''])
    const one = { row_span: 1, col_span: 1 }
    expect((table!.p as { property: { merge_info: unknown } }).property.merge_info).toEqual([{ row_span: 1, col_span: 2 }, one, { row_span: 2, col_span: 1 }, one, one, one])
    expect(result.warnings).toEqual([])
  })

  it('a table without spans carries no merge_info', () => {
    const [table] = shape(checked('<table><tr><td>a</td><td>b</td></tr></table>').blocks)
    expect((table!.p as { property: object }).property).not.toHaveProperty('merge_info')
  })

  it('the recorded merged table (feishu-docx case3) converts back to the merges Feishu recorded, compared as the diff compares them', () => {
    const raw = JSON.parse(readFileSync(join(FIXTURES, 'case3.raw.json'), 'utf8')) as { blocks: Block[] }
    const recorded = raw.blocks.filter((b) => b.block_type === 31).find((b) => tableMerges((b.table as { property: unknown }).property).length > 0)!
    const html = readFileSync(join(FIXTURES, 'case3.expect.md'), 'utf8').match(/<table[^>]*>(?:(?!<\/table>)[\s\S])*colspan[\s\S]*?<\/table>/)![0]
    const converted = checked(html).blocks.descendants.find((b) => b.block_type === 31)!
    expect(tableMerges((converted.table as { property: unknown }).property)).toEqual([
      { row: 1, column: 0, rowSpan: 1, colSpan: 3 },
      { row: 3, column: 0, rowSpan: 2, colSpan: 1 },
      { row: 3, column: 1, rowSpan: 2, colSpan: 1 },
    ])
    const merges = (block: Block) => canonicalBlock(block).table as { property: { merges?: unknown } }
    expect(merges(converted).property.merges).toEqual(merges(recorded).property.merges)
  })

  it('a span past the last row or over a cell a rowspan holds is cut to fit, with a warning at the cell\'s line', () => {
    const result = checked('Intro\n\n<table>\n<tr><td rowspan="2">a</td><td>b</td></tr>\n<tr><td colspan="2">c</td><td rowspan="5">d</td></tr>\n</table>\n')
    const [, table] = shape(result.blocks)
    expect(cellTexts(table!)).toEqual(['a', 'b', '', '', '', 'c', '', 'd'])
    const one = { row_span: 1, col_span: 1 }
    // row 1: column 0 is taken by "a", so "c" starts at column 1 and spans 2; "d" gets column 3 and 1 row.
    expect((table!.p as { property: { column_size: number; merge_info: unknown } }).property).toMatchObject({
      column_size: 4,
      merge_info: [{ row_span: 2, col_span: 1 }, one, one, one, one, { row_span: 1, col_span: 2 }, one, one],
    })
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([['html-table-span-clamped', 5]])
  })

  it('overlapping spans: a colspan running into a cell held from above is shortened', () => {
    const result = checked('<table><tr><td>a</td><td rowspan="2">b</td></tr><tr><td colspan="3">c</td></tr></table>')
    const [table] = shape(result.blocks)
    expect(cellTexts(table!)).toEqual(['a', 'b', 'c', ''])
    expect((table!.p as { property: { merge_info: unknown } }).property.merge_info).toEqual([
      { row_span: 1, col_span: 1 },
      { row_span: 2, col_span: 1 },
      { row_span: 1, col_span: 1 },
      { row_span: 1, col_span: 1 },
    ])
    expect(result.warnings.map((w) => w.code)).toEqual(['html-table-span-clamped'])
  })

  it('rowspan="0" runs to the last row, as in browsers', () => {
    const result = checked('<table><tr><td rowspan="0">a</td><td>b</td></tr><tr><td>c</td></tr><tr><td>d</td></tr></table>')
    const [table] = shape(result.blocks)
    expect(cellTexts(table!)).toEqual(['a', 'b', '', 'c', '', 'd'])
    expect(tableMerges((table!.p as { property: unknown }).property)).toEqual([{ row: 0, column: 0, rowSpan: 3, colSpan: 1 }])
    expect(result.warnings).toEqual([])
  })

  it('a merged table split into consecutive tables: each part keeps the header\'s merges and the merges that start in it, cut at its end', () => {
    // 600 body rows of 2 columns (4 blocks each): too many to create and grow, so consecutive tables of 248 body
    // rows, each repeating the header. Body rows 50 and 246 start a rowspan of 3; the second crosses into part 2.
    // (Blank lines between the rows keep each HTML block below the parser guard's bound.)
    const starts = new Set([50, 246])
    const body = Array.from({ length: 600 }, (_, i) =>
      starts.has(i) ? `<tr><td rowspan="3">${i}</td><td>x</td></tr>` : starts.has(i - 1) || starts.has(i - 2) ? `<tr><td>y${i}</td></tr>` : `<tr><td>${i}</td><td>x</td></tr>`,
    )
    const result = checked(`<table>\n<tr><th colspan="2">head</th></tr>\n\n${body.join('\n\n')}\n\n</table>`)
    expect(result.warnings.map((w) => w.code)).toEqual(['table-split'])
    const tables = shape(result.blocks).filter((b) => b.t === 31)
    expect(tables.map((t) => (t.p as { property: { row_size: number } }).property.row_size)).toEqual([249, 249, 105])
    const head = { row: 0, column: 0, rowSpan: 1, colSpan: 2 }
    expect(tables.map((t) => tableMerges((t.p as { property: unknown }).property))).toEqual([
      [head, { row: 51, column: 0, rowSpan: 3, colSpan: 1 }, { row: 247, column: 0, rowSpan: 2, colSpan: 1 }],
      [head],
      [head],
    ])
  })

  it(`at most ${MAX_TABLE_MERGES} merged cells per table (one write each); the others are laid out unmerged, with a warning`, () => {
    const rows = Array.from({ length: MAX_TABLE_MERGES + 5 }, (_, i) => `<tr><td colspan="2">${i}</td></tr>`).join('\n\n')
    const result = checked(`<table>\n\n${rows}\n\n</table>`)
    const [table] = shape(result.blocks)
    expect(tableMerges((table!.p as { property: unknown }).property)).toHaveLength(MAX_TABLE_MERGES)
    expect(cellTexts(table!).slice(-2)).toEqual([String(MAX_TABLE_MERGES + 4), ''])
    expect(result.warnings.map((w) => w.code)).toEqual(['html-table-merges-capped'])
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
