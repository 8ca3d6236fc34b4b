// Block trees ⇄ the API's flat shapes, including the five real documents recorded by feishu-docx.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Block, BlockNode } from '../../src/blocks/model.js'
import { countBlocks, parseDocumentBlocks, preOrder, requestToTree, toDescendantRequest } from '../../src/blocks/tree.js'

const fixtures = join(dirname(createRequire(import.meta.url).resolve('feishu-docx/package.json')), 'tests', 'fixtures')
const recorded = [0, 1, 2, 3, 4].map((n) => ({
  name: `case${n}`,
  ...(JSON.parse(readFileSync(join(fixtures, `case${n}.raw.json`), 'utf8')) as { document: { document_id: string }; blocks: Block[] }),
}))

const leaf = (block_type: number, content: string): BlockNode => ({ block: { block_type, text: { elements: [{ text_run: { content } }] } }, children: [] })

describe('toDescendantRequest / requestToTree', () => {
  const trees: BlockNode[] = [
    { ...leaf(12, 'a'), children: [leaf(12, 'a.1'), { ...leaf(12, 'a.2'), children: [leaf(2, 'deep')] }] },
    leaf(2, 'b'),
  ]

  it('numbers blocks in pre-order and lists children by id', () => {
    const { request, idOf } = toDescendantRequest(trees)
    expect(request.children_id).toEqual(['b1', 'b5'])
    expect(request.descendants.map((block) => [block.block_id, block.children])).toEqual([
      ['b1', ['b2', 'b3']],
      ['b2', []],
      ['b3', ['b4']],
      ['b4', []],
      ['b5', []],
    ])
    expect(idOf.get(trees[1]!)).toBe('b5')
    expect(toDescendantRequest(trees, 'x').request.children_id).toEqual(['x1', 'x5'])
  })

  it('requestToTree rebuilds the same trees', () => {
    const { request } = toDescendantRequest(trees)
    const strip = (nodes: BlockNode[]): unknown => nodes.map(({ block: { block_id, children, ...content }, children: kids }) => ({ content, kids: strip(kids) }))
    expect(strip(requestToTree(request) as BlockNode[])).toEqual(strip(trees))
    expect(countBlocks(request)).toBe(5)
    expect(countBlocks(trees)).toBe(5)
  })

  it('preOrder walks deep trees without recursion', () => {
    let deep: BlockNode = leaf(2, 'bottom')
    for (let i = 0; i < 100_000; i++) deep = { block: { block_type: 34, quote_container: {} }, children: [deep] }
    expect(countBlocks([deep])).toBe(100_001)
  })
})

describe('parseDocumentBlocks', () => {
  it('turns a block list into the page tree, children in order', () => {
    const items: Block[] = [
      { block_id: 'doc', block_type: 1, children: ['x', 'y'], page: { elements: [] } },
      { block_id: 'y', block_type: 2, parent_id: 'doc', text: { elements: [] } },
      { block_id: 'x', block_type: 12, parent_id: 'doc', children: ['z'], bullet: { elements: [] } },
      { block_id: 'z', block_type: 2, parent_id: 'x', text: { elements: [] } },
    ]
    const root = parseDocumentBlocks(items)
    expect([...preOrder([root])].map((node) => node.block.block_id)).toEqual(['doc', 'x', 'z', 'y'])
  })

  it('skips missing children and places a block once, so a malformed list cannot loop', () => {
    const root = parseDocumentBlocks([
      { block_id: 'doc', block_type: 1, children: ['a', 'gone', 'a'] },
      { block_id: 'a', block_type: 34, children: ['doc', 'b'] },
      { block_id: 'b', block_type: 2, children: ['a'] },
    ])
    expect([...preOrder([root])].map((node) => node.block.block_id)).toEqual(['doc', 'a', 'b'])
    expect(() => parseDocumentBlocks([])).toThrow(/empty/)
  })

  describe.each(recorded)('real document $name', ({ blocks, document }) => {
    const root = parseDocumentBlocks(blocks)
    const nodes = [...preOrder([root])]
    const byId = new Map(blocks.map((block) => [block.block_id, block]))

    it('starts at the page block and reaches every block its parents list', () => {
      expect(root.block.block_id).toBe(document.document_id)
      const listed = new Set([document.document_id, ...blocks.flatMap((block) => block.children ?? [])])
      expect(nodes.map((node) => node.block.block_id).sort()).toEqual(blocks.filter((block) => listed.has(block.block_id)).map((block) => block.block_id).sort())
    })

    it('keeps each block as recorded (types, text elements, styles, code language, table sizes, …)', () => {
      for (const node of nodes) expect(node.block).toEqual(byId.get(node.block.block_id))
    })

    it('keeps the children structure and order', () => {
      for (const node of nodes) {
        const recordedChildren = (node.block.children ?? []).filter((id) => byId.has(id))
        expect(node.children.map((child) => child.block.block_id)).toEqual(recordedChildren)
      }
    })
  })

  it('the recorded documents carry what the publisher reads: styles, code languages, table sizes', () => {
    const all = recorded.flatMap(({ blocks }) => [...preOrder([parseDocumentBlocks(blocks)])].map((node) => node.block))
    const languages = all.filter((block) => block.block_type === 14).map((block) => (block.code as { style: { language?: number } }).style.language)
    expect(languages).toEqual(expect.arrayContaining([7, 39, 67]))
    const table = all.find((block) => block.block_type === 31) as { table: { property: { row_size: number; column_size: number } } } | undefined
    expect(table?.table.property).toMatchObject({ row_size: 3, column_size: 3 })
    expect(JSON.stringify(all)).toContain('"bold":true')
  })
})
