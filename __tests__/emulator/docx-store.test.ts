// Rules of the docx document store (emulator/feishu/docx/store.ts): write validation, limits, descendant
// structure, patch operations, client_token idempotency, revisions, comments and rendering.
import { describe, expect, it } from 'vitest'
import type { DocumentStoreContract } from '../../emulator/feishu/docx-contract.js'
import { DocumentStore, DocxError, type Block } from '../../emulator/feishu/docx/store.js'
import { DOC, allBlocks, bullet, desc, h1, makeStore, para, rootChildren, run, storeWithDoc, textBlock } from '../../emulator/feishu/docx/testing.js'

function expectDocxError(fn: () => unknown, code: number, httpStatus?: number): DocxError {
  let caught: unknown
  try {
    fn()
  } catch (error) {
    caught = error
  }
  expect(caught, `expected DocxError ${code}`).toBeInstanceOf(DocxError)
  const e = caught as DocxError
  expect({ code: e.code, message: e.message }).toMatchObject({ code })
  if (httpStatus !== undefined) expect(e.httpStatus).toBe(httpStatus)
  return e
}

const tableBlock = (rows: number, cols: number, extra: Record<string, unknown> = {}) =>
  ({ block_type: 31, table: { property: { row_size: rows, column_size: cols, ...extra } } }) as unknown as Block

/** A descendant table whose cells each hold one text block with the given contents (row-major). */
function descTable(id: string, rows: number, cols: number, texts: string[] = []): Block[] {
  const cells: Block[] = []
  const leaves: Block[] = []
  for (let i = 0; i < rows * cols; i++) {
    cells.push(desc(`${id}_c${i}`, { block_type: 32, table_cell: {} } as unknown as Block, [`${id}_t${i}`]))
    leaves.push(desc(`${id}_t${i}`, para(texts[i] ?? '')))
  }
  return [desc(id, tableBlock(rows, cols), cells.map((c) => c.block_id)), ...cells, ...leaves]
}

describe('contract', () => {
  it('implements the interface the HTTP layer codes against', () => {
    const store: DocumentStoreContract = makeStore()
    expect(store).toBeInstanceOf(DocumentStore)
  })

  it('throws DocxError with code, message and HTTP status', () => {
    const store = makeStore()
    const e = expectDocxError(() => store.getDocument('nope'), 1770002, 404)
    expect(e.name).toBe('DocxError')
    expect(e).toBeInstanceOf(Error)
  })
})

describe('documents', () => {
  it('creates a page block whose id is the document id and whose page.elements hold the title', () => {
    const store = storeWithDoc('Guide')
    expect(store.has(DOC)).toBe(true)
    expect(store.getDocument(DOC)).toEqual({ document_id: DOC, revision_id: 1, title: 'Guide' })
    const page = store.getBlock(DOC, DOC)
    expect(page).toEqual({
      block_id: DOC,
      block_type: 1,
      parent_id: '',
      page: {
        elements: [{ text_run: { content: 'Guide', text_element_style: { bold: false, inline_code: false, italic: false, strikethrough: false, underline: false } } }],
        style: { align: 1 },
      },
    })
    expectDocxError(() => store.createDocument(DOC, 'again'), 1770001)
  })

  it('setTitle retitles the page block and bumps the revision but is not a docx edit', () => {
    const store = storeWithDoc('Old')
    store.setTitle(DOC, 'New')
    expect(store.getDocument(DOC)).toMatchObject({ title: 'New', revision_id: 2 })
    expect(store.editCount(DOC)).toBe(0)
  })

  it('unknown documents and blocks are 1770002 with HTTP 404', () => {
    const store = storeWithDoc()
    expectDocxError(() => store.getBlock(DOC, 'doxcnMissing'), 1770002, 404)
    expectDocxError(() => store.createChildren('other', 'other', { children: [para('x')] }), 1770002, 404)
  })
})

describe('write validation: payloads', () => {
  const create = (block: unknown) => {
    const store = storeWithDoc()
    return store.createChildren(DOC, DOC, { children: [block as Block] })
  }

  it('accepts exactly one payload key matching block_type', () => {
    expect(create(para('ok')).children[0]).toMatchObject({ block_type: 2 })
    expect(create(h1('ok')).children[0]).toMatchObject({ block_type: 3 })
    expect(create({ block_type: 22, divider: {} }).children[0]).toMatchObject({ block_type: 22, divider: {} })
  })

  it('rejects mismatched, extra, missing and unknown payloads with 1770001', () => {
    expectDocxError(() => create({ block_type: 2, heading1: { elements: [run('x')] } }), 1770001)
    expectDocxError(() => create({ block_type: 2, text: { elements: [run('x')] }, bullet: { elements: [run('x')] } }), 1770001)
    expectDocxError(() => create({ block_type: 2 }), 1770001)
    expectDocxError(() => create({ block_type: 16, equation: { elements: [run('x')] } }), 1770001)
    expectDocxError(() => create({ block_type: 77, text: { elements: [run('x')] } }), 1770001)
    expectDocxError(() => create({ block_type: 2, text: { elements: [run('x')], colour: 1 } }), 1770001)
    expectDocxError(() => create({ block_type: 2, text: { elements: [run('x')] }, extra: true }), 1770001)
    expectDocxError(() => create({ block_type: 22, divider: { x: 1 } }), 1770001)
  })

  it('rejects empty or missing elements on text-like blocks (1770001)', () => {
    for (const [type, key] of [[2, 'text'], [3, 'heading1'], [12, 'bullet'], [13, 'ordered'], [14, 'code'], [15, 'quote'], [17, 'todo']] as const) {
      expectDocxError(() => create({ block_type: type, [key]: { elements: [] } }), 1770001)
      expectDocxError(() => create({ block_type: type, [key]: {} }), 1770001)
    }
    // a blank line is one text_run with empty content
    expect(create({ block_type: 2, text: { elements: [run('')] } }).children).toHaveLength(1)
  })

  it('rejects read-only fields on write (1770001)', () => {
    expectDocxError(() => create({ ...para('x'), parent_id: DOC }), 1770001)
    expectDocxError(() => create({ ...para('x'), comment_ids: ['1'] }), 1770001)
    expectDocxError(() => create({ ...para('x'), block_id: 'mine' }), 1770001)
    expectDocxError(() => create({ block_type: 31, table: { property: { row_size: 1, column_size: 1, merge_info: [{ row_span: 1, col_span: 1 }] } } }), 1770001)
    expectDocxError(() => create({ block_type: 31, table: { cells: ['a'], property: { row_size: 1, column_size: 1 } } }), 1770001)
    for (const field of ['token', 'width', 'height']) {
      expectDocxError(() => create({ block_type: 27, image: { [field]: field === 'token' ? 'boxcn' : 100 } }), 1770001)
    }
    expectDocxError(() => create({ block_type: 1, page: { elements: [run('another page')] } }), 1770001)
    expectDocxError(() => create({ block_type: 2, text: { elements: [run('x', { comment_ids: ['7300000000000000001'] })] } }), 1770001)
  })

  it('validates styles and inline styles', () => {
    expectDocxError(() => create(textBlock(2, 'text', 'x', { style: { align: 4 } })), 1770001)
    expectDocxError(() => create(textBlock(2, 'text', 'x', { style: { language: 30 } })), 1770001)
    expectDocxError(() => create(textBlock(2, 'text', 'x', { style: { colour: 'red' } })), 1770001)
    expectDocxError(() => create(textBlock(13, 'ordered', 'x', { style: { sequence: 'first' } })), 1770001)
    expectDocxError(() => create({ block_type: 2, text: { elements: [run('x', { Bold: true })] } }), 1770001)
    expectDocxError(() => create({ block_type: 2, text: { elements: [{ text_run: { content: 'x' }, equation: { content: 'y' } }] } }), 1770001)
    // only text_run elements may carry a link (1770024 invalid operation)
    expectDocxError(() => create({ block_type: 2, text: { elements: [{ mention_user: { user_id: 'ou_1', text_element_style: { link: { url: 'x' } } } }] } }), 1770024)
    // code blocks hold only text_run
    expectDocxError(() => create({ block_type: 14, code: { elements: [{ mention_user: { user_id: 'ou_1' } }] } }), 1770025)
    // a text block's content is at most 100,000 UTF-16 characters
    expectDocxError(() => create(para('x'.repeat(100_001))), 1770001)
    expect(create(para('x'.repeat(100_000))).children).toHaveLength(1)
  })

  it('table cells cannot be created with the children API (1770029)', () => {
    expectDocxError(() => create({ block_type: 32, table_cell: {} }), 1770029)
  })

  it('refuses children under blocks that cannot hold them (1770028) and wrong pairs (1770030)', () => {
    const store = storeWithDoc()
    const [div, img, tbl, callout] = store.createChildren(DOC, DOC, {
      children: [{ block_type: 22, divider: {} } as unknown as Block, { block_type: 27, image: {} } as unknown as Block, tableBlock(1, 1), { block_type: 19, callout: {} } as unknown as Block],
    }).children.map((b) => b.block_id)
    expectDocxError(() => store.createChildren(DOC, div!, { children: [para('x')] }), 1770028)
    expectDocxError(() => store.createChildren(DOC, img!, { children: [para('x')] }), 1770028)
    expectDocxError(() => store.createChildren(DOC, tbl!, { children: [para('x')] }), 1770028)
    // Callout children: only Text, HeadingN, Ordered, Bullet, Task, Todo, Quote, QuoteContainer
    expectDocxError(() => store.createChildren(DOC, callout!, { children: [tableBlock(1, 1)] }), 1770030)
    expectDocxError(() => store.createChildren(DOC, callout!, { children: [textBlock(14, 'code', 'x')] }), 1770030)
    expect(store.createChildren(DOC, callout!, { children: [h1('ok'), bullet('ok')] }).children).toHaveLength(2)
    // TableCell cannot contain a Table
    const cell = store.getBlock(DOC, tbl!).children![0]!
    expectDocxError(() => store.createChildren(DOC, cell, { children: [tableBlock(1, 1)] }), 1770030)
    expect(store.createChildren(DOC, cell, { children: [para('in cell')] }).children).toHaveLength(1)
  })
})

describe('write validation: limits and index', () => {
  it('children: 1 to 50 blocks', () => {
    const store = storeWithDoc()
    expectDocxError(() => store.createChildren(DOC, DOC, { children: [] }), 1770001)
    expectDocxError(() => store.createChildren(DOC, DOC, { children: Array.from({ length: 51 }, (_, i) => para(`p${i}`)) }), 1770001)
    expect(store.createChildren(DOC, DOC, { children: Array.from({ length: 50 }, (_, i) => para(`p${i}`)) }).children).toHaveLength(50)
  })

  it('descendant: 1 to 1000 descendants and children_id', () => {
    const store = storeWithDoc()
    const many = (n: number) => Array.from({ length: n }, (_, i) => desc(`t${i}`, para(`p${i}`)))
    expectDocxError(() => store.createDescendants(DOC, DOC, { children_id: [], descendants: many(1) }), 1770001)
    expectDocxError(() => store.createDescendants(DOC, DOC, { children_id: ['t0'], descendants: [] }), 1770001)
    const big = many(1001)
    expectDocxError(() => store.createDescendants(DOC, DOC, { children_id: big.map((b) => b.block_id), descendants: big }), 1770001)
    const ok = many(1000)
    expect(store.createDescendants(DOC, DOC, { children_id: ok.map((b) => b.block_id), descendants: ok }).block_id_relations).toHaveLength(1000)
  })

  it('index runs from -1 (append) to the current child count', () => {
    const store = storeWithDoc()
    store.createChildren(DOC, DOC, { children: [para('a'), para('b')] })
    expectDocxError(() => store.createChildren(DOC, DOC, { children: [para('x')], index: 3 }), 1770001)
    expectDocxError(() => store.createChildren(DOC, DOC, { children: [para('x')], index: -2 }), 1770001)
    expectDocxError(() => store.createChildren(DOC, DOC, { children: [para('x')], index: 1.5 }), 1770001)
    store.createChildren(DOC, DOC, { children: [para('first')], index: 0 })
    store.createChildren(DOC, DOC, { children: [para('last')], index: -1 })
    store.createChildren(DOC, DOC, { children: [para('end')], index: 4 })
    store.createDescendants(DOC, DOC, { children_id: ['m'], descendants: [desc('m', para('middle'))], index: 2 })
    expect(store.render(DOC)).toBe(['first', 'a', 'middle', 'b', 'last', 'end'].join('\n'))
  })

  it('batch_update takes at most 200 requests', () => {
    const store = storeWithDoc()
    const ids = [...store.createChildren(DOC, DOC, { children: Array.from({ length: 50 }, () => para('x')) }).children]
    for (let i = 0; i < 4; i++) ids.push(...store.createChildren(DOC, DOC, { children: Array.from({ length: 50 }, () => para('x')) }).children)
    const req = (b: Block) => ({ block_id: b.block_id, update_text_elements: { elements: [run('y')] } })
    expectDocxError(() => store.batchUpdate(DOC, { requests: ids.slice(0, 201).map(req) }), 1770001)
    expectDocxError(() => store.batchUpdate(DOC, { requests: [] }), 1770001)
    expect(store.batchUpdate(DOC, { requests: ids.slice(0, 200).map(req) }).blocks).toHaveLength(200)
  })

  it('page_size is 1 to 500; page tokens are checked', () => {
    const store = storeWithDoc()
    expectDocxError(() => store.listBlocks(DOC, 501), 1770001)
    expectDocxError(() => store.listBlocks(DOC, 0), 1770001)
    expectDocxError(() => store.getChildren(DOC, DOC, 501), 1770001)
    expectDocxError(() => store.listBlocks(DOC, 10, 'not-a-token'), 1770022)
    store.createChildren(DOC, DOC, { children: Array.from({ length: 5 }, (_, i) => para(`p${i}`)) })
    const first = store.getChildren(DOC, DOC, 2)
    expect(first).toMatchObject({ has_more: true })
    expectDocxError(() => store.listBlocks(DOC, 2, first.page_token), 1770022) // a children token is not a list token
    const second = store.getChildren(DOC, DOC, 2, first.page_token)
    const third = store.getChildren(DOC, DOC, 2, second.page_token)
    expect(third.has_more).toBe(false)
    expect(third.page_token).toBeUndefined()
    expect([...first.items, ...second.items, ...third.items].map((b) => b.block_id)).toEqual(rootChildren(store))
  })

  it('batch_delete takes a [start, end) range within bounds', () => {
    const store = storeWithDoc()
    store.createChildren(DOC, DOC, { children: ['a', 'b', 'c', 'd'].map(para) })
    for (const [s, e] of [[2, 2], [3, 1], [-1, 2], [0, 5], [0.5, 2]]) {
      expectDocxError(() => store.batchDelete(DOC, DOC, { start_index: s!, end_index: e! }), 1770001)
    }
    store.batchDelete(DOC, DOC, { start_index: 1, end_index: 3 })
    expect(store.render(DOC)).toBe('a\nd')
  })

  it('batch_delete cannot empty a table (1770031) or leave a cell or callout without children (1770041)', () => {
    const store = storeWithDoc()
    const [t, c] = store.createChildren(DOC, DOC, { children: [tableBlock(1, 1), { block_type: 19, callout: {} } as unknown as Block] }).children
    expectDocxError(() => store.batchDelete(DOC, t!.block_id, { start_index: 0, end_index: 1 }), 1770031)
    const cell = t!.children![0]!
    expectDocxError(() => store.batchDelete(DOC, cell, { start_index: 0, end_index: 1 }), 1770041)
    expectDocxError(() => store.batchDelete(DOC, c!.block_id, { start_index: 0, end_index: 1 }), 1770041)
    // replacing a cell's content: add the new block first, then delete the old one
    store.createChildren(DOC, cell, { children: [para('new')] })
    store.batchDelete(DOC, cell, { start_index: 0, end_index: 1 })
    expect(store.render(DOC)).toBe('| new |\n| --- |\n> [!callout]\n>')
  })
})

describe('descendant structure', () => {
  const make = (children_id: string[], descendants: Block[], store = storeWithDoc()) => store.createDescendants(DOC, DOC, { children_id, descendants })

  it('creates a nested tree and maps temporary ids to server ids', () => {
    const store = storeWithDoc()
    const res = make(['h', 'l'], [
      desc('h', h1('Title')),
      desc('l', bullet('one'), ['l1']),
      desc('l1', textBlock(13, 'ordered', 'nested')),
    ], store)
    expect(res.block_id_relations.map((r) => r.temporary_block_id)).toEqual(['h', 'l', 'l1'])
    const real = Object.fromEntries(res.block_id_relations.map((r) => [r.temporary_block_id, r.block_id]))
    expect(real.h).toMatch(/^doxcn\d{22}$/)
    expect(res.children.map((b) => b.block_id)).toEqual([real.h, real.l, real.l1])
    expect(store.getBlock(DOC, real.l1!).parent_id).toBe(real.l)
    expect(store.getBlock(DOC, real.l!).children).toEqual([real.l1])
    expect(store.render(DOC)).toBe('# Title\n- one\n  1. nested')
  })

  it('every id must exist and be referenced exactly once, without cycles (1770014)', () => {
    expectDocxError(() => make(['a'], [desc('a', para('a'), ['ghost'])]), 1770014)
    expectDocxError(() => make(['ghost'], [desc('a', para('a'))]), 1770014)
    expectDocxError(() => make(['a', 'b'], [desc('a', bullet('a'), ['c']), desc('b', bullet('b'), ['c']), desc('c', para('c'))]), 1770014)
    expectDocxError(() => make(['a', 'a'], [desc('a', para('a'))]), 1770014)
    expectDocxError(() => make(['a'], [desc('a', para('a')), desc('orphan', para('o'))]), 1770014)
    expectDocxError(() => make(['a'], [desc('a', para('a')), desc('x', bullet('x'), ['y']), desc('y', bullet('y'), ['x'])]), 1770014)
    expectDocxError(() => make(['a'], [desc('a', bullet('a'), ['a'])]), 1770014)
    // the same temporary id twice
    expectDocxError(() => make(['a'], [desc('a', para('a')), desc('a', para('b'))]), 1770019)
  })

  it('a table needs row_size*column_size table_cell children, each with a child (1770041)', () => {
    expect(make(['t'], descTable('t', 2, 2, ['a', 'b', 'c', 'd'])).children).toHaveLength(9)
    const t = descTable('t', 2, 2)
    expectDocxError(() => make(['t'], [desc('t', tableBlock(2, 2), ['t_c0', 't_c1', 't_c2']), ...t.slice(1, 4), ...t.slice(5, 8)]), 1770041)
    expectDocxError(() => make(['t'], [desc('t', tableBlock(1, 1), ['p']), desc('p', para('not a cell'))]), 1770041)
    expectDocxError(() => make(['t'], [desc('t', tableBlock(1, 1), ['c']), desc('c', { block_type: 32, table_cell: {} } as unknown as Block)]), 1770041)
    expectDocxError(() => make(['t'], [desc('t', tableBlock(1, 1))]), 1770041)
  })

  it('callouts and grid columns need a child (1770041); callouts restrict their children (1770030)', () => {
    expectDocxError(() => make(['c'], [desc('c', { block_type: 19, callout: {} } as unknown as Block)]), 1770041)
    expectDocxError(() => make(['c'], [desc('c', { block_type: 19, callout: {} } as unknown as Block, ['d']), desc('d', { block_type: 22, divider: {} } as unknown as Block)]), 1770030)
    expect(make(['c'], [desc('c', { block_type: 19, callout: { emoji_id: 'bulb' } } as unknown as Block, ['q']), desc('q', textBlock(15, 'quote', 'note'))]).children).toHaveLength(2)
    expectDocxError(() => make(['g'], [
      desc('g', { block_type: 24, grid: { column_size: 2 } } as unknown as Block, ['g1', 'g2']),
      desc('g1', { block_type: 25, grid_column: {} } as unknown as Block, ['p']),
      desc('g2', { block_type: 25, grid_column: {} } as unknown as Block),
      desc('p', para('x')),
    ]), 1770041)
  })

  it('a table cell cannot hold a table (1770030); cells go only under a new table (1770029/1770030)', () => {
    const nested = [...descTable('t', 1, 1)]
    nested[2] = desc('t_t0', tableBlock(1, 1), ['u_c0'])
    expectDocxError(() => make(['t'], [...nested, desc('u_c0', { block_type: 32, table_cell: {} } as unknown as Block, ['u_t0']), desc('u_t0', para('x'))]), 1770030)
    expectDocxError(() => make(['c'], [desc('c', { block_type: 32, table_cell: {} } as unknown as Block, ['p']), desc('p', para('x'))]), 1770029)
    expectDocxError(() => make(['b'], [desc('b', bullet('b'), ['c']), desc('c', { block_type: 32, table_cell: {} } as unknown as Block, ['p']), desc('p', para('x'))]), 1770030)
  })

  it('blocks that cannot hold children refuse them (1770028)', () => {
    expectDocxError(() => make(['d'], [desc('d', { block_type: 22, divider: {} } as unknown as Block, ['p']), desc('p', para('x'))]), 1770028)
    expectDocxError(() => make(['c'], [desc('c', textBlock(14, 'code', 'x'), ['p']), desc('p', para('x'))]), 1770028)
  })

  it('a failing request leaves nothing behind', () => {
    const store = storeWithDoc()
    store.createChildren(DOC, DOC, { children: [para('keep')] })
    const before = allBlocks(store, DOC)
    expectDocxError(() => make(['a', 'b'], [desc('a', para('a')), desc('b', { block_type: 19, callout: {} } as unknown as Block)], store), 1770041)
    expectDocxError(() => store.createChildren(DOC, DOC, { children: [para('a'), tableBlock(2, 2), { block_type: 2 } as Block] }), 1770001)
    expect(allBlocks(store, DOC)).toEqual(before)
    expect(store.getDocument(DOC).revision_id).toBe(2)
    expect(store.editCount(DOC)).toBe(1)
  })
})

describe('read shape', () => {
  it('adds server ids, parent_id, children, defaults and text element styles', () => {
    const store = storeWithDoc()
    const [p] = store.createChildren(DOC, DOC, { children: [textBlock(2, 'text', 'hello', { style: { align: 2 } })] }).children
    expect(p).toEqual({
      block_id: 'doxcn0000000000000000000001',
      block_type: 2,
      parent_id: DOC,
      text: {
        elements: [{ text_run: { content: 'hello', text_element_style: { bold: false, inline_code: false, italic: false, strikethrough: false, underline: false } } }],
        style: { align: 2, folded: false },
      },
    })
    expect(store.getBlock(DOC, DOC).children).toEqual([p!.block_id])
    // blocks without children have no children key (as in the recorded documents)
    expect('children' in p!).toBe(false)
  })

  it('ordered blocks keep a written style.sequence and add none otherwise (the recorded documents have none)', () => {
    const store = storeWithDoc()
    const [a, b] = store.createChildren(DOC, DOC, { children: [textBlock(13, 'ordered', 'one'), textBlock(13, 'ordered', 'three', { style: { sequence: '3' } })] }).children
    expect((a!.ordered as { style: object }).style).toEqual({ align: 1, folded: false })
    expect((b!.ordered as { style: object }).style).toEqual({ align: 1, folded: false, sequence: '3' })
    expect(store.render(DOC)).toBe('1. one\n3. three')
  })

  it('a table created with the children API comes with its cells, each holding an empty text block', () => {
    const store = storeWithDoc()
    const [t] = store.createChildren(DOC, DOC, { children: [tableBlock(2, 3)] }).children
    const table = t!.table as { cells: string[]; property: Record<string, unknown> }
    expect(table.cells).toHaveLength(6)
    expect(t!.children).toEqual(table.cells)
    expect(table.property).toEqual({
      row_size: 2,
      column_size: 3,
      column_width: [100, 100, 100],
      merge_info: Array.from({ length: 6 }, () => ({ row_span: 1, col_span: 1 })),
    })
    for (const cellId of table.cells) {
      const cell = store.getBlock(DOC, cellId)
      expect(cell).toMatchObject({ block_type: 32, parent_id: t!.block_id, table_cell: {} })
      expect(cell.children).toHaveLength(1)
      const text = store.getBlock(DOC, cell.children![0]!)
      expect(text).toMatchObject({ block_type: 2, parent_id: cellId, text: { elements: [{ text_run: { content: '' } }] } })
    }
    // header flags and widths given at creation are kept
    const [u] = store.createChildren(DOC, DOC, { children: [tableBlock(1, 2, { column_width: [120, 300], header_row: true })] }).children
    expect((u!.table as { property: object }).property).toMatchObject({ column_width: [120, 300], header_row: true })
    expectDocxError(() => store.createChildren(DOC, DOC, { children: [tableBlock(1, 2, { column_width: [120] })] }), 1770001)
  })

  it('a callout created with the children API gets an empty text child', () => {
    const store = storeWithDoc()
    const [c] = store.createChildren(DOC, DOC, { children: [{ block_type: 19, callout: { background_color: 3, emoji_id: 'bulb' } } as unknown as Block] }).children
    expect(c).toMatchObject({ callout: { background_color: 3, emoji_id: 'bulb' } })
    expect(c!.children).toHaveLength(1)
  })

  it('lists every block in document order (pre-order), page first', () => {
    const store = storeWithDoc()
    const res = store.createDescendants(DOC, DOC, {
      children_id: ['a', 't', 'z'],
      descendants: [desc('a', bullet('a'), ['a1']), desc('a1', para('a1')), ...descTable('t', 1, 2, ['x', 'y']), desc('z', para('z'))],
    })
    const id = (t: string) => res.block_id_relations.find((r) => r.temporary_block_id === t)!.block_id
    expect(allBlocks(store, DOC, 3).map((b) => b.block_id)).toEqual([DOC, id('a'), id('a1'), id('t'), id('t_c0'), id('t_t0'), id('t_c1'), id('t_t1'), id('z')])
    for (const b of allBlocks(store, DOC)) expect(typeof b.parent_id).toBe('string')
  })

  it('returned blocks are snapshots: later writes do not change them', () => {
    const store = storeWithDoc()
    const [p] = store.createChildren(DOC, DOC, { children: [para('before')] }).children
    store.patch(DOC, p!.block_id, { update_text_elements: { elements: [run('after')] } })
    expect(JSON.stringify(p)).toContain('before')
    expect(store.render(DOC)).toBe('after')
  })
})

describe('patch operations', () => {
  function setup() {
    const store = storeWithDoc()
    const ids = store.createChildren(DOC, DOC, {
      children: [para('text'), textBlock(17, 'todo', 'task'), textBlock(14, 'code', 'x = 1'), h1('Head'), tableBlock(2, 2), { block_type: 27, image: {} } as unknown as Block],
    }).children.map((b) => b.block_id)
    const [text, todo, code, head, table, image] = ids as [string, string, string, string, string, string]
    return { store, text, todo, code, head, table, image }
  }

  it('update_text_elements replaces the elements (and on the page block, the title)', () => {
    const { store, text, table } = setup()
    const res = store.patch(DOC, text, { update_text_elements: { elements: [run('new', { bold: true })] } })
    expect(res.block).toMatchObject({ block_id: text, text: { elements: [{ text_run: { content: 'new', text_element_style: { bold: true, italic: false } } }], style: { align: 1 } } })
    expectDocxError(() => store.patch(DOC, text, { update_text_elements: { elements: [] } }), 1770001)
    expectDocxError(() => store.patch(DOC, table, { update_text_elements: { elements: [run('x')] } }), 1770025)
    store.patch(DOC, DOC, { update_text_elements: { elements: [run('Renamed')] } })
    expect(store.getDocument(DOC).title).toBe('Renamed')
  })

  it('update_text_style sets the listed fields (1 align, 2 done, 3 folded, 4 language, 5 wrap)', () => {
    const { store, text, todo, code, head } = setup()
    expect(store.patch(DOC, text, { update_text_style: { style: { align: 3 }, fields: [1] } }).block).toMatchObject({ text: { style: { align: 3 } } })
    expect(store.patch(DOC, todo, { update_text_style: { style: { done: true }, fields: [2] } }).block).toMatchObject({ todo: { style: { done: true } } })
    expect(store.patch(DOC, head, { update_text_style: { style: { folded: true }, fields: [3] } }).block).toMatchObject({ heading1: { style: { folded: true } } })
    expect(store.patch(DOC, code, { update_text_style: { style: { language: 63, wrap: true }, fields: [4, 5] } }).block).toMatchObject({ code: { style: { language: 63, wrap: true } } })
    // a listed field that is absent from style goes back to its default
    expect(store.patch(DOC, text, { update_text_style: { style: {}, fields: [1] } }).block).toMatchObject({ text: { style: { align: 1 } } })
    expectDocxError(() => store.patch(DOC, text, { update_text_style: { style: { done: true }, fields: [2] } }), 1770001) // done is not a text style
    expectDocxError(() => store.patch(DOC, text, { update_text_style: { style: {}, fields: [2] } }), 1770025)
    expectDocxError(() => store.patch(DOC, text, { update_text_style: { style: {}, fields: [4] } }), 1770025)
    expectDocxError(() => store.patch(DOC, text, { update_text_style: { style: {}, fields: [3] } }), 1770025) // folding needs children
    expectDocxError(() => store.patch(DOC, text, { update_text_style: { style: { align: 2 }, fields: [] } }), 1770001)
    expectDocxError(() => store.patch(DOC, text, { update_text_style: { style: { align: 2 }, fields: [8] } }), 1770001)
    expect(store.render(DOC)).toContain('[x] task')
    expect(store.render(DOC)).toContain('```typescript\nx = 1\n```')
  })

  it('update_text sets elements and style together', () => {
    const { store, text } = setup()
    const res = store.patch(DOC, text, { update_text: { elements: [run('both')], style: { align: 2 }, fields: [1] } })
    expect(res.block).toMatchObject({ text: { elements: [{ text_run: { content: 'both' } }], style: { align: 2 } } })
  })

  it('insert_table_row creates the row\'s cells, each with an empty text block', () => {
    const { store, table } = setup()
    const before = store.getBlock(DOC, table).children!
    const res = store.patch(DOC, table, { insert_table_row: { row_index: 1 } })
    const t = res.block.table as { cells: string[]; property: { row_size: number; merge_info: unknown[] } }
    expect(t.property.row_size).toBe(3)
    expect(t.cells).toHaveLength(6)
    expect(t.property.merge_info).toHaveLength(6)
    expect([t.cells[0], t.cells[1], t.cells[4], t.cells[5]]).toEqual(before)
    for (const id of t.cells.slice(2, 4)) {
      const cell = store.getBlock(DOC, id)
      expect(cell).toMatchObject({ block_type: 32, parent_id: table })
      expect(store.getBlock(DOC, cell.children![0]!)).toMatchObject({ block_type: 2, text: { elements: [{ text_run: { content: '' } }] } })
    }
    store.patch(DOC, table, { insert_table_row: { row_index: -1 } })
    expect(store.getBlock(DOC, table).children).toHaveLength(8)
    expectDocxError(() => store.patch(DOC, table, { insert_table_row: { row_index: 5 } }), 1770026)
    expectDocxError(() => store.patch(DOC, table, { insert_table_row: { row_index: -2 } }), 1770026)
  })

  it('delete_table_rows removes [start, end) with the cells\' content; a table keeps one row', () => {
    const { store, table } = setup()
    store.patch(DOC, table, { insert_table_row: { row_index: -1 } })
    const cells = store.getBlock(DOC, table).children!
    const inner = store.getBlock(DOC, cells[2]!).children![0]!
    store.patch(DOC, table, { delete_table_rows: { row_start_index: 1, row_end_index: 2 } })
    expect(store.getBlock(DOC, table).children).toEqual([cells[0], cells[1], cells[4], cells[5]])
    expectDocxError(() => store.getBlock(DOC, cells[2]!), 1770002)
    expectDocxError(() => store.getBlock(DOC, inner), 1770002)
    expectDocxError(() => store.patch(DOC, table, { delete_table_rows: { row_start_index: 1, row_end_index: 3 } }), 1770026)
    expectDocxError(() => store.patch(DOC, table, { delete_table_rows: { row_start_index: 1, row_end_index: 1 } }), 1770026)
    expectDocxError(() => store.patch(DOC, table, { delete_table_rows: { row_start_index: 0, row_end_index: 2 } }), 1770024)
  })

  it('insert_table_column and delete_table_columns keep cells row-major and widths aligned', () => {
    const { store, table } = setup()
    const [a, b, c, d] = store.getBlock(DOC, table).children!
    const res = store.patch(DOC, table, { insert_table_column: { column_index: 1 } })
    const t = res.block.table as { cells: string[]; property: Record<string, unknown> }
    expect(t.property).toMatchObject({ column_size: 3, row_size: 2, column_width: [100, 100, 100] })
    expect([t.cells[0], t.cells[2], t.cells[3], t.cells[5]]).toEqual([a, b, c, d])
    expectDocxError(() => store.patch(DOC, table, { insert_table_column: { column_index: 4 } }), 1770027)
    store.patch(DOC, table, { update_table_property: { column_width: 250, column_index: 2 } })
    store.patch(DOC, table, { delete_table_columns: { column_start_index: 0, column_end_index: 1 } })
    const after = store.getBlock(DOC, table)
    expect((after.table as { property: object }).property).toMatchObject({ column_size: 2, column_width: [100, 250] })
    expect(after.children).toEqual([t.cells[1], b, t.cells[4], d])
    expectDocxError(() => store.patch(DOC, table, { delete_table_columns: { column_start_index: 0, column_end_index: 2 } }), 1770024)
    expectDocxError(() => store.patch(DOC, table, { delete_table_columns: { column_start_index: 1, column_end_index: 3 } }), 1770027)
  })

  it('update_table_property sets a column width (>= 50) and header flags', () => {
    const { store, table, text } = setup()
    const res = store.patch(DOC, table, { update_table_property: { column_width: 180, column_index: 1, header_row: true } })
    expect((res.block.table as { property: object }).property).toMatchObject({ column_width: [100, 180], header_row: true })
    expectDocxError(() => store.patch(DOC, table, { update_table_property: { column_width: 49, column_index: 0 } }), 1770001)
    expectDocxError(() => store.patch(DOC, table, { update_table_property: { column_width: 100, column_index: 2 } }), 1770027)
    expectDocxError(() => store.patch(DOC, text, { update_table_property: { header_row: true } }), 1770025)
  })

  it('replace_image needs a token uploaded for this very block', () => {
    const { store, image, text } = setup()
    const uploads = new Map<string, { blockId: string; width?: number; height?: number }>([
      ['boxcnForImage', { blockId: image, width: 640, height: 480 }],
      ['boxcnForOther', { blockId: 'doxcnSomewhereElse000000000' }],
    ])
    store.setMediaRelation((token) => uploads.get(token))
    expectDocxError(() => store.patch(DOC, image, { replace_image: { token: 'boxcnNeverUploaded' } }), 1770038)
    expectDocxError(() => store.patch(DOC, image, { replace_image: { token: 'boxcnForOther' } }), 1770013)
    expectDocxError(() => store.patch(DOC, text, { replace_image: { token: 'boxcnForImage' } }), 1770025)
    expect(store.render(DOC)).toContain('[image empty]')
    const res = store.patch(DOC, image, { replace_image: { token: 'boxcnForImage', align: 2 } })
    expect(res.block).toEqual({ block_id: image, block_type: 27, parent_id: DOC, image: { token: 'boxcnForImage', width: 640, height: 480, align: 2 } })
    expect(store.render(DOC)).toContain('[image boxcnForImage]')
    // width/height given with the request win over the upload's
    expect(store.patch(DOC, image, { replace_image: { token: 'boxcnForImage', width: 320, height: 240 } }).block).toMatchObject({ image: { width: 320, height: 240 } })
  })

  it('unknown operations, several operations at once and unmodelled ones are 1770001', () => {
    const { store, text, table } = setup()
    expectDocxError(() => store.patch(DOC, text, { rewrite: {} }), 1770001)
    expectDocxError(() => store.patch(DOC, text, {}), 1770001)
    expectDocxError(() => store.patch(DOC, text, { update_text_elements: { elements: [run('a')] }, update_text_style: { style: {}, fields: [1] } }), 1770001)
    expectDocxError(() => store.patch(DOC, table, { insert_grid_column: { column_index: 1 } }), 1770001)
  })

  it('merge_table_cells (end indexes exclusive) sets the spans; covered cells stay, read back 1×1, with their content', () => {
    const store = storeWithDoc()
    const [table] = store.createChildren(DOC, DOC, { children: [tableBlock(3, 3)] }).children.map((b) => b.block_id) as [string]
    const spans = () => (store.getBlock(DOC, table).table as { property: { merge_info: { row_span: number; col_span: number }[] } }).property.merge_info.map((m) => `${m.row_span}${m.col_span}`)
    const cells = store.getBlock(DOC, table).children!
    const merge = (rs: number, re: number, cs: number, ce: number) => ({ merge_table_cells: { row_start_index: rs, row_end_index: re, column_start_index: cs, column_end_index: ce } })
    expect(spans()).toEqual(Array(9).fill('11'))
    store.patch(DOC, table, merge(0, 1, 0, 3)) // the first row
    store.batchUpdate(DOC, { requests: [{ block_id: table, ...merge(1, 3, 0, 1) }] }) // rows 1-2 of column 0
    expect(spans()).toEqual(['13', '11', '11', '21', '11', '11', '11', '11', '11'])
    expect(store.getBlock(DOC, table).children).toEqual(cells)
    expect(store.getBlock(DOC, cells[1]!).children).toHaveLength(1)
    // out of range, a single cell, a range cutting through a merge, not a table
    expectDocxError(() => store.patch(DOC, table, merge(2, 4, 1, 2)), 1770026)
    expectDocxError(() => store.patch(DOC, table, merge(1, 1, 1, 2)), 1770026)
    expectDocxError(() => store.patch(DOC, table, merge(1, 2, 2, 4)), 1770027)
    expectDocxError(() => store.patch(DOC, table, merge(1, 2, 1, 2)), 1770024)
    expectDocxError(() => store.patch(DOC, table, merge(2, 3, 0, 2)), 1770024)
    expectDocxError(() => store.patch(DOC, cells[0]!, merge(0, 1, 0, 2)), 1770025)
    // a range holding a whole merge absorbs it
    store.patch(DOC, table, merge(1, 3, 0, 2))
    expect(spans()).toEqual(['13', '11', '11', '22', '11', '11', '11', '11', '11'])
    // unmerge names the merged cell or any cell it covers
    store.patch(DOC, table, { unmerge_table_cells: { row_index: 2, column_index: 1 } })
    expect(spans()).toEqual(['13', '11', '11', '11', '11', '11', '11', '11', '11'])
    expectDocxError(() => store.patch(DOC, table, { unmerge_table_cells: { row_index: 2, column_index: 1 } }), 1770024)
    expectDocxError(() => store.patch(DOC, table, { unmerge_table_cells: { row_index: 3, column_index: 0 } }), 1770026)
    // several merges of one table need several calls: batch_update refuses the table twice
    expectDocxError(() => store.batchUpdate(DOC, { requests: [{ block_id: table, ...merge(1, 2, 0, 2) }, { block_id: table, ...merge(2, 3, 0, 2) }] }), 1770001)
  })

  it('merge_info is refused on create (read-only), in children and descendant requests', () => {
    const store = storeWithDoc()
    const merged = tableBlock(1, 2, { merge_info: [{ row_span: 1, col_span: 2 }, { row_span: 1, col_span: 1 }] })
    expectDocxError(() => store.createChildren(DOC, DOC, { children: [merged] }), 1770001)
    const [first, ...rest] = descTable('t', 1, 2)
    const withMerge = { ...first!, table: { property: { row_size: 1, column_size: 2, merge_info: [{ row_span: 1, col_span: 2 }, { row_span: 1, col_span: 1 }] } } } as Block
    expectDocxError(() => store.createDescendants(DOC, DOC, { children_id: ['t'], descendants: [withMerge, ...rest] }), 1770001)
  })

  it('batch_update applies all requests or none, and refuses a block twice', () => {
    const { store, text, todo, table } = setup()
    const before = allBlocks(store, DOC)
    const rev = store.getDocument(DOC).revision_id
    expectDocxError(() => store.batchUpdate(DOC, { requests: [
      { block_id: text, update_text_elements: { elements: [run('a')] } },
      { block_id: text, update_text_style: { style: { align: 2 }, fields: [1] } },
    ] }), 1770001)
    expectDocxError(() => store.batchUpdate(DOC, { requests: [
      { block_id: text, update_text_elements: { elements: [run('changed')] } },
      { block_id: table, insert_table_row: { row_index: -1 } },
      { block_id: todo, insert_table_row: { row_index: 0 } }, // wrong block type: the whole batch fails
    ] }), 1770025)
    expect(allBlocks(store, DOC)).toEqual(before)
    expect(store.getDocument(DOC).revision_id).toBe(rev)
    const ok = store.batchUpdate(DOC, { requests: [
      { block_id: text, update_text_elements: { elements: [run('changed')] } },
      { block_id: table, insert_table_row: { row_index: -1 } },
    ] })
    expect(ok.blocks.map((b) => b.block_id)).toEqual([text, table])
    expect(ok.document_revision_id).toBe(rev + 1)
  })
})

describe('client_token', () => {
  it('a repeat with the same token returns the first response and applies nothing', () => {
    const store = storeWithDoc()
    const first = store.createChildren(DOC, DOC, { children: [para('once')] }, 'token-1')
    const again = store.createChildren(DOC, DOC, { children: [para('once')] }, 'token-1')
    expect(again).toEqual(first)
    expect(first.client_token).toBe('token-1')
    expect(store.render(DOC)).toBe('once')
    expect(store.getDocument(DOC).revision_id).toBe(2)
    expect(store.editCount(DOC)).toBe(1)
    // a fresh token is a new request
    store.createChildren(DOC, DOC, { children: [para('once')] }, 'token-2')
    expect(store.render(DOC)).toBe('once\nonce')
  })

  it('covers every write operation', () => {
    const store = storeWithDoc()
    store.createChildren(DOC, DOC, { children: ['a', 'b', 'c'].map(para) })
    const d1 = store.batchDelete(DOC, DOC, { start_index: 0, end_index: 1 }, 'del')
    expect(store.batchDelete(DOC, DOC, { start_index: 0, end_index: 1 }, 'del')).toEqual(d1)
    expect(store.render(DOC)).toBe('b\nc')
    const [b] = rootChildren(store)
    const p1 = store.patch(DOC, b!, { update_text_elements: { elements: [run('B')] } }, 'patch')
    expect(store.patch(DOC, b!, { update_text_elements: { elements: [run('X')] } }, 'patch')).toEqual(p1)
    expect(store.render(DOC)).toBe('B\nc')
    const u1 = store.batchUpdate(DOC, { requests: [{ block_id: b!, update_text_elements: { elements: [run('C')] } }] }, 'batch')
    expect(store.batchUpdate(DOC, { requests: [{ block_id: b!, update_text_elements: { elements: [run('Z')] } }] }, 'batch')).toEqual(u1)
    const n1 = store.createDescendants(DOC, DOC, { children_id: ['x'], descendants: [desc('x', para('x'))] }, 'desc')
    expect(store.createDescendants(DOC, DOC, { children_id: ['x'], descendants: [desc('x', para('x'))] }, 'desc')).toEqual(n1)
    expect(store.render(DOC)).toBe('C\nc\nx')
    expect(store.editCount(DOC)).toBe(5)
  })

  it('a request that failed is not remembered, so a retry with its token runs', () => {
    const store = storeWithDoc()
    expectDocxError(() => store.createChildren(DOC, DOC, { children: [{ block_type: 2, text: { elements: [] } } as unknown as Block] }, 'retry'), 1770001)
    store.createChildren(DOC, DOC, { children: [para('second try')] }, 'retry')
    expect(store.render(DOC)).toBe('second try')
  })

  it('tokens are per document; without a token every request is new and gets a generated token', () => {
    const store = storeWithDoc()
    store.createDocument('doxcnOtherDocument000000000', 'Other')
    store.createChildren(DOC, DOC, { children: [para('a')] }, 'shared')
    store.createChildren('doxcnOtherDocument000000000', 'doxcnOtherDocument000000000', { children: [para('b')] }, 'shared')
    expect(store.render('doxcnOtherDocument000000000')).toBe('b')
    const x = store.createChildren(DOC, DOC, { children: [para('c')] })
    const y = store.createChildren(DOC, DOC, { children: [para('c')] })
    expect(x.client_token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(x.client_token).not.toBe(y.client_token)
    expect(store.render(DOC)).toBe('a\nc\nc')
  })
})

describe('revisions and edit counts', () => {
  it('each successful write bumps revision_id once and counts one edit', () => {
    const store = storeWithDoc()
    const r1 = store.createChildren(DOC, DOC, { children: [para('a'), para('b')] })
    expect(r1.document_revision_id).toBe(2)
    const r2 = store.createDescendants(DOC, DOC, { children_id: ['x'], descendants: [desc('x', para('x'))] })
    expect(r2.document_revision_id).toBe(3)
    const r3 = store.patch(DOC, r1.children[0]!.block_id, { update_text_elements: { elements: [run('A')] } })
    expect(r3.document_revision_id).toBe(4)
    const r4 = store.batchDelete(DOC, DOC, { start_index: 1, end_index: 2 })
    expect(r4.document_revision_id).toBe(5)
    expect(store.getDocument(DOC).revision_id).toBe(5)
    expect(store.editCount(DOC)).toBe(4)
    expectDocxError(() => store.batchDelete(DOC, DOC, { start_index: 0, end_index: 9 }), 1770001)
    expect(store.editCount(DOC)).toBe(4)
    store.getBlock(DOC, DOC)
    store.listBlocks(DOC, 500)
    expect(store.getDocument(DOC).revision_id).toBe(5)
  })
})

describe('comments', () => {
  it('a commented block reads back with comment_ids', () => {
    const store = storeWithDoc()
    const [a] = store.createChildren(DOC, DOC, { children: [para('a')] }).children
    const id = store.addComment(DOC, a!.block_id, 'typo here')
    expect(id).toMatch(/^\d{19}$/)
    expect(store.getBlock(DOC, a!.block_id).comment_ids).toEqual([id])
    expect(store.comments(DOC)).toEqual([{ commentId: id, blockId: a!.block_id, text: 'typo here' }])
    expectDocxError(() => store.addComment(DOC, 'doxcnMissing', 'x'), 1770002)
    // comments are not document writes
    expect(store.editCount(DOC)).toBe(1)
    // existing comment ids may be kept in the block's elements; new ones cannot be written
    store.patch(DOC, a!.block_id, { update_text_elements: { elements: [run('a', { comment_ids: [id] })] } })
    expectDocxError(() => store.patch(DOC, a!.block_id, { update_text_elements: { elements: [run('a', { comment_ids: ['7399999999999999999'] })] } }), 1770001)
  })

  it('deleting blocks deletes their subtree and the comments on it', () => {
    const store = storeWithDoc()
    const res = store.createDescendants(DOC, DOC, {
      children_id: ['keep', 'list', 't'],
      descendants: [desc('keep', para('keep')), desc('list', bullet('list'), ['child']), desc('child', para('child')), ...descTable('t', 2, 1, ['r0', 'r1'])],
    })
    const id = (t: string) => res.block_id_relations.find((r) => r.temporary_block_id === t)!.block_id
    const cKeep = store.addComment(DOC, id('keep'), 'stays')
    store.addComment(DOC, id('child'), 'goes with its parent')
    store.addComment(DOC, id('t_t1'), 'goes with its row')
    const cRow0 = store.addComment(DOC, id('t_t0'), 'stays too')
    store.batchDelete(DOC, DOC, { start_index: 1, end_index: 2 })
    expectDocxError(() => store.getBlock(DOC, id('child')), 1770002)
    store.patch(DOC, id('t'), { delete_table_rows: { row_start_index: 1, row_end_index: 2 } })
    expect(store.comments(DOC).map((c) => c.commentId)).toEqual([cKeep, cRow0])
  })

  it('a rolled-back delete keeps the comments', () => {
    const store = storeWithDoc()
    const res = store.createChildren(DOC, DOC, { children: [para('a'), para('b')] })
    const [a, b] = res.children.map((x) => x.block_id)
    const c1 = store.addComment(DOC, a!, 'one')
    const c2 = store.addComment(DOC, b!, 'two')
    const t = store.createChildren(DOC, DOC, { children: [tableBlock(2, 1)] }).children[0]!
    const cellText = store.getBlock(DOC, t.children![1]!).children![0]!
    const c3 = store.addComment(DOC, cellText, 'three')
    expectDocxError(() => store.batchUpdate(DOC, { requests: [
      { block_id: t.block_id, delete_table_rows: { row_start_index: 1, row_end_index: 2 } },
      { block_id: a!, insert_table_row: { row_index: 0 } },
    ] }), 1770025)
    expect(store.comments(DOC).map((c) => c.commentId)).toEqual([c1, c2, c3])
    expect(store.getBlock(DOC, cellText).comment_ids).toEqual([c3])
  })
})

describe('render', () => {
  it('renders every block kind in the documented Markdown-like form', () => {
    const store = storeWithDoc('Title is not rendered')
    store.createDescendants(DOC, DOC, {
      children_id: ['h1', 'h2', 'p', 'b', 'o1', 'o2', 'todo', 'code', 'q', 'qc', 'co', 'div', 'img', 't', 'h9'],
      descendants: [
        desc('h1', h1('One')),
        desc('h2', textBlock(4, 'heading2', 'Two')),
        desc('p', { block_type: 2, text: { elements: [
          run('plain '), run('bold', { bold: true }), run(' '), run('code', { inline_code: true }), run(' '),
          run('link', { link: { url: 'https%3A%2F%2Fexample.com%2Fa%3Fb%3D1' } }), run(' '), run('it', { italic: true }), run(' '), run('gone', { strikethrough: true }),
        ] } } as unknown as Block),
        desc('b', bullet('item'), ['b1']),
        desc('b1', bullet('sub item'), ['b2']),
        desc('b2', para('deep text')),
        desc('o1', textBlock(13, 'ordered', 'first')),
        desc('o2', textBlock(13, 'ordered', 'second')),
        desc('todo', textBlock(17, 'todo', 'done', { style: { done: true } })),
        desc('code', textBlock(14, 'code', 'const a = 1\nconst b = 2\n', { style: { language: 63 } })),
        desc('q', textBlock(15, 'quote', 'quoted')),
        desc('qc', { block_type: 34, quote_container: {} } as unknown as Block, ['qc1', 'qc2']),
        desc('qc1', para('in container')),
        desc('qc2', bullet('listed')),
        desc('co', { block_type: 19, callout: { emoji_id: 'bulb' } } as unknown as Block, ['co1']),
        desc('co1', para('careful')),
        desc('div', { block_type: 22, divider: {} } as unknown as Block),
        desc('img', { block_type: 27, image: {} } as unknown as Block),
        ...descTable('t', 2, 2, ['a', 'b|c', 'd', '']),
        desc('h9', textBlock(11, 'heading9', 'Nine')),
      ],
    })
    expect(store.render(DOC)).toBe([
      '# One',
      '## Two',
      'plain **bold** `code` [link](https://example.com/a?b=1) *it* ~~gone~~',
      '- item',
      '  - sub item',
      '    deep text',
      '1. first',
      '2. second',
      '[x] done',
      '```typescript',
      'const a = 1',
      'const b = 2',
      '```',
      '> quoted',
      '> in container',
      '> - listed',
      '> [!callout]',
      '> careful',
      '---',
      '[image empty]',
      '| a | b\\|c |',
      '| --- | --- |',
      '| d |  |',
      '######### Nine',
    ].join('\n'))
  })
})

describe('errors are DocxError instances the HTTP layer can map', () => {
  it('carries 400 for validation errors', () => {
    const store = storeWithDoc()
    try {
      store.createChildren(DOC, DOC, { children: [] })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(DocxError)
      expect((error as DocxError).httpStatus).toBe(400)
      expect((error as DocxError).message).toMatch(/^invalid param/)
    }
  })
})
