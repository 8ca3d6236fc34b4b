// Write planning: a whole-document request becomes calls of at most 1000 blocks, a block stays with its subtree
// unless that subtree alone is too big, and oversized tables become "first K rows, then append these rows".
import { describe, expect, it } from 'vitest'
import { MAX_BLOCKS_PER_CALL, planDescendantWrites, splitTable, type WriteStep } from '../../src/blocks/chunk.js'
import type { Block, BlockNode, DescendantRequest } from '../../src/blocks/model.js'
import { canonicalTree } from '../../src/blocks/canonical.js'
import { countBlocks, requestToTree, toDescendantRequest } from '../../src/blocks/tree.js'

const text = (content: string): BlockNode => ({ block: { block_type: 2, text: { elements: [{ text_run: { content } }] } }, children: [] })
const quote = (children: BlockNode[]): BlockNode => ({ block: { block_type: 34, quote_container: {} }, children })
const table = (rows: number, columns: number, perCell = 1): BlockNode => ({
  block: { block_type: 31, table: { property: { row_size: rows, column_size: columns, header_row: true } } },
  children: Array.from({ length: rows * columns }, (_, i) => ({
    block: { block_type: 32, table_cell: {} },
    children: Array.from({ length: perCell }, (_, j) => text(`r${Math.floor(i / columns)}c${i % columns}.${j}`)),
  })),
})

/**
 * Carries the steps out the way the writer does (create under the target or under an earlier block, insert
 * table rows and fill their cells) on an in-memory tree, and returns the resulting top-level blocks.
 */
function replay(steps: WriteStep[], limit = MAX_BLOCKS_PER_CALL): BlockNode[] {
  const roots: BlockNode[] = []
  const created = new Map<string, BlockNode>()
  const adopt = (request: DescendantRequest) => {
    const nodes = requestToTree(request)
    const pending = [...nodes]
    for (let node = pending.pop(); node; node = pending.pop()) {
      created.set(node.block.block_id, node)
      pending.push(...node.children)
    }
    return nodes
  }
  for (const step of steps) {
    if (step.kind === 'descendant') {
      expect(countBlocks(step.request)).toBeLessThanOrEqual(limit)
      const nodes = adopt(step.request)
      const siblings = step.parent === undefined ? roots : created.get(step.parent)!.children
      siblings.splice(step.request.index === undefined || step.request.index < 0 ? siblings.length : step.request.index, 0, ...nodes)
    } else {
      const target = created.get(step.table)!
      const property = (target.block.table as { property: { row_size: number } }).property
      for (const row of step.rows) {
        expect(row.rowIndex).toBe(property.row_size)
        property.row_size++
        for (const cell of row.cells) {
          expect(countBlocks(cell)).toBeLessThanOrEqual(limit)
          target.children.push({ block: { block_type: 32, table_cell: {} }, children: adopt(cell) })
        }
      }
    }
  }
  return roots
}

const plan = (roots: BlockNode[], limit = MAX_BLOCKS_PER_CALL, index?: number) => {
  const { request } = toDescendantRequest(roots)
  if (index !== undefined) request.index = index
  return { request, steps: planDescendantWrites(request, limit) }
}

describe('planDescendantWrites', () => {
  it('a request within the limit is one step, unchanged', () => {
    const { request, steps } = plan([text('a'), quote([text('b')])], 1000, 0)
    expect(steps).toEqual([{ kind: 'descendant', request }])
  })

  it('many blocks: calls of at most `limit` blocks, subtrees whole, order kept, insert index advancing', () => {
    const roots = Array.from({ length: 2500 }, (_, i) => (i % 10 === 0 ? quote([text(`${i}a`), text(`${i}b`)]) : text(`${i}`)))
    const { steps } = plan(roots, 1000, 4)
    const requests = steps.map((step) => (step as Extract<WriteStep, { kind: 'descendant' }>).request)
    expect(requests.map((request) => request.index)).toEqual([4, 4 + requests[0]!.children_id.length, 4 + requests[0]!.children_id.length + requests[1]!.children_id.length])
    expect(replay(steps).map(canonicalTree)).toEqual(roots.map(canonicalTree))
  })

  it('appending (index -1 or absent) stays appending', () => {
    const roots = Array.from({ length: 30 }, (_, i) => text(`${i}`))
    expect(plan(roots, 10, -1).steps.map((step) => step.kind === 'descendant' && step.request.index)).toEqual([-1, -1, -1])
    expect(plan(roots, 10).steps.every((step) => step.kind === 'descendant' && step.request.index === undefined)).toBe(true)
  })

  it('a subtree larger than a call: the block with the children that fit, the rest appended under it', () => {
    const big = quote(Array.from({ length: 25 }, (_, i) => (i === 3 ? quote([text('x'), text('y')]) : text(`${i}`))))
    const roots = [text('before'), big, text('after')]
    const { steps } = plan(roots, 10)
    expect(steps.filter((step) => step.kind === 'descendant' && step.parent !== undefined).length).toBeGreaterThan(1)
    expect(replay(steps, 10).map(canonicalTree)).toEqual(roots.map(canonicalTree))
  })

  it('a table larger than a call: created with its first rows, the other rows appended', () => {
    const roots = [text('intro'), table(600, 2)]
    const { steps } = plan(roots)
    const rowSteps = steps.filter((step) => step.kind === 'table-rows')
    expect(rowSteps).toHaveLength(1)
    expect(rowSteps[0]!.kind === 'table-rows' && rowSteps[0].rows.map((row) => row.rowIndex)).toEqual(Array.from({ length: 600 - 249 }, (_, i) => 249 + i))
    expect(replay(steps).map(canonicalTree)).toEqual(roots.map(canonicalTree))
  })
})

describe('splitTable', () => {
  it('K is the largest number of rows that fits with the table block', () => {
    const tree = requestToTree(toDescendantRequest([table(600, 2)]).request)[0]!
    const split = splitTable(tree, 1000)
    expect((split.head.block.table as { property: { row_size: number } }).property.row_size).toBe(249) // 1 + 249 × 2 cells × 2 blocks = 997
    expect(split.head.children).toHaveLength(498)
    expect(split.rows).toHaveLength(351)
    expect(split.rows[0]!.cells.map((cell) => cell.descendants.map((block: Block) => (block.text as { elements: { text_run: { content: string } }[] }).elements[0]!.text_run.content))).toEqual([['r249c0.0'], ['r249c1.0']])
    expect(split.fits).toBe(true)
  })

  it('reports when even one row does not fit', () => {
    const tree = requestToTree(toDescendantRequest([table(2, 600)]).request)[0]!
    const split = splitTable(tree, 1000)
    expect(split.fits).toBe(false)
    expect((split.head.block.table as { property: { row_size: number } }).property.row_size).toBe(1)
  })
})
