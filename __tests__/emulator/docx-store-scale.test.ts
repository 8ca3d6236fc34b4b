// The document store stays linear on big documents: a 20,000-block document and a 10,000-row table.
// Budgets are generous for slow CI machines (this sandbox runs plain JS about 10x slower than a laptop) yet
// far below what a quadratic implementation takes (an earlier copy-per-operation version needed >100 s to
// grow a table to 10,000 rows).
import { describe, expect, it } from 'vitest'
import type { Block } from '../../emulator/feishu/docx/store.js'
import { DOC, allBlocks, bullet, desc, para, rootChildren, run, storeWithDoc } from '../../emulator/feishu/docx/testing.js'

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now()
  const value = fn()
  return [value, performance.now() - start]
}

describe('scale', () => {
  it('a 20,000-block document: build, page through, render, edit in the middle, clear', () => {
    const store = storeWithDoc()
    const [, build] = timed(() => {
      for (let k = 0; k < 20; k++) {
        const roots: string[] = []
        const items: Block[] = []
        for (let i = 0; i < 500; i++) {
          roots.push(`b${i}`)
          items.push(desc(`b${i}`, bullet(`item ${k}.${i}`), [`t${i}`]), desc(`t${i}`, para(`text ${k}.${i}`)))
        }
        store.createDescendants(DOC, DOC, { children_id: roots, descendants: items })
      }
    })
    const [blocks, list] = timed(() => allBlocks(store, DOC, 500))
    expect(blocks).toHaveLength(20_001)
    expect(new Set(blocks.map((b) => b.block_id)).size).toBe(20_001)
    const [text, render] = timed(() => store.render(DOC))
    expect(text.split('\n')).toHaveLength(20_000)
    const [, edits] = timed(() => {
      for (let i = 0; i < 100; i++) store.createChildren(DOC, DOC, { children: [para(`mid ${i}`)], index: 5_000 })
      const mid = rootChildren(store)[5_000]!
      for (let i = 0; i < 100; i++) store.patch(DOC, mid, { update_text_elements: { elements: [run(`edit ${i}`)] } })
      const child = store.getChildren(DOC, DOC, 500, undefined)
      expect(child.has_more).toBe(true)
    })
    const [, clear] = timed(() => store.batchDelete(DOC, DOC, { start_index: 0, end_index: rootChildren(store).length }))
    expect(allBlocks(store, DOC)).toHaveLength(1)
    const total = build + list + render + edits + clear
    expect(total, `build ${build.toFixed(0)} list ${list.toFixed(0)} render ${render.toFixed(0)} edits ${edits.toFixed(0)} clear ${clear.toFixed(0)} ms`).toBeLessThan(8_000)
  })

  it('a 10,000-row table: create, insert and delete rows in the middle, add a column, read, render', () => {
    const store = storeWithDoc()
    const [created, create] = timed(() =>
      store.createChildren(DOC, DOC, { children: [{ block_type: 31, table: { property: { row_size: 10_000, column_size: 3 } } } as unknown as Block] }),
    )
    const table = created.children[0]!.block_id
    expect((created.children[0]!.table as { cells: string[] }).cells).toHaveLength(30_000)
    const [, ops] = timed(() => {
      for (let i = 0; i < 50; i++) store.patch(DOC, table, { insert_table_row: { row_index: 5_000 } }, `row-${i}`)
      store.patch(DOC, table, { delete_table_rows: { row_start_index: 100, row_end_index: 2_100 } })
      store.patch(DOC, table, { insert_table_column: { column_index: 1 } })
      store.batchUpdate(DOC, { requests: [{ block_id: table, update_table_property: { column_width: 200, column_index: 0 } }] })
      // fill a few cells the way a client does: write into the cell's text block
      const cells = store.getBlock(DOC, table).children!
      const requests = cells.slice(0, 200).map((cell, i) => ({ block_id: store.getChildren(DOC, cell, 1).items[0]!.block_id, update_text_elements: { elements: [run(`c${i}`)] } }))
      store.batchUpdate(DOC, { requests })
    })
    const [blocks, read] = timed(() => allBlocks(store, DOC, 500))
    const t = blocks.find((b) => b.block_id === table)!.table as { property: { row_size: number; column_size: number; merge_info: unknown[] } }
    expect(t.property.row_size).toBe(8_050)
    expect(t.property.column_size).toBe(4)
    expect(t.property.merge_info).toHaveLength(32_200)
    expect(blocks).toHaveLength(1 + 1 + 32_200 * 2)
    const [text, render] = timed(() => store.render(DOC))
    expect(text.split('\n')).toHaveLength(8_051)
    expect(text.split('\n')[0]).toBe('| c0 | c1 | c2 | c3 |')
    const total = create + ops + read + render
    expect(total, `create ${create.toFixed(0)} ops ${ops.toFixed(0)} read ${read.toFixed(0)} render ${render.toFixed(0)} ms`).toBeLessThan(8_000)
  })
})
