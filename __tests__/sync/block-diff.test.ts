import { describe, expect, it } from 'vitest'
import { Fingerprints, planDiff, type TreeNode } from '../../src/sync/apply/block-diff.js'
import { lcsPairs } from '../../src/sync/apply/block-lcs.js'
import {
  bullet,
  callout,
  cloneTree,
  image,
  MiniDoc,
  randomDoc,
  randomEdit,
  reconvert,
  rng,
  table,
  testKeys,
  text,
} from './block-diff-helpers.js'

import { canonicalKey } from '../../src/blocks/canonical.js'
import { mergeInfoOf } from '../../src/blocks/merges.js'

const fp = () => new Fingerprints(testKeys)

/** Plan old → desired, apply it to a MiniDoc holding old, and check the result equals desired. */
function roundTrip(old: TreeNode[], desired: TreeNode[]) {
  const doc = MiniDoc.from(old)
  const before = new Set(doc.blocks.keys())
  const plan = planDiff(doc.tree(), desired, fp())
  doc.apply(plan)
  const f = fp()
  expect(f.list(doc.tree().children)).toBe(f.list(desired))
  const after = new Set(doc.blocks.keys())
  const survived = [...before].filter((id) => id !== doc.id && after.has(id)).length
  expect(survived).toBe(plan.keptBlocks)
  return { plan, doc }
}

describe('lcsPairs', () => {
  it('finds a longest common subsequence', () => {
    const a = 'ABCABBA'.split('')
    const b = 'CBABAC'.split('')
    const pairs = lcsPairs(a, b)
    expect(pairs).toHaveLength(4)
    for (const [i, j] of pairs) expect(a[i]).toBe(b[j])
    for (let k = 1; k < pairs.length; k++) {
      expect(pairs[k]![0]).toBeGreaterThan(pairs[k - 1]![0])
      expect(pairs[k]![1]).toBeGreaterThan(pairs[k - 1]![1])
    }
  })

  it('matches a brute-force LCS length on random inputs', () => {
    const r = rng(7)
    for (let t = 0; t < 300; t++) {
      const a = Array.from({ length: Math.floor(r() * 12) }, () => 'abc'[Math.floor(r() * 3)]!)
      const b = Array.from({ length: Math.floor(r() * 12) }, () => 'abc'[Math.floor(r() * 3)]!)
      const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
      for (let i = a.length - 1; i >= 0; i--)
        for (let j = b.length - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? 1 + dp[i + 1]![j + 1]! : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!)
      const pairs = lcsPairs(a, b)
      expect(pairs.length).toBe(dp[0]![0])
      for (const [i, j] of pairs) expect(a[i]).toBe(b[j])
    }
  })

  it('gives up on the middle, not on correctness, past its budget', () => {
    const a = Array.from({ length: 2000 }, (_, i) => `a${i}`)
    const b = Array.from({ length: 2000 }, (_, i) => `b${i}`)
    expect(lcsPairs(['x', ...a, 'y'], ['x', ...b, 'y'], 1000)).toEqual([
      [0, 0],
      [2001, 2001],
    ])
  })
})

describe('planDiff', () => {
  const base = () => [text('one'), text('two'), text('three'), text('four')]

  it('plans nothing for an identical body, even with fresh temporary ids', () => {
    const old = base()
    const { plan } = roundTrip(old, reconvert(old))
    expect(plan.structural).toEqual([])
    expect(plan.patches).toEqual([])
    expect(plan.keptBlocks).toBe(4)
  })

  it.each([
    ['start', 0],
    ['middle', 2],
    ['end', 4],
  ])('inserts at the %s with one call and keeps every block', (_, at) => {
    const old = base()
    const desired = reconvert(old)
    desired.splice(at, 0, text('new'))
    const { plan } = roundTrip(old, desired)
    expect(plan.structural).toHaveLength(1)
    expect(plan.structural[0]).toMatchObject({ kind: 'insert', index: at })
    expect(plan.keptBlocks).toBe(4)
  })

  it('deletes a range with one call', () => {
    const old = base()
    const desired = reconvert(old)
    desired.splice(1, 2)
    const { plan } = roundTrip(old, desired)
    expect(plan.structural).toEqual([expect.objectContaining({ kind: 'delete', start: 1, end: 3 })])
  })

  it('patches an edited paragraph in place', () => {
    const old = base()
    const desired = reconvert(old)
    desired[2] = text('three, edited')
    const { plan } = roundTrip(old, desired)
    expect(plan.structural).toEqual([])
    expect(plan.patches).toEqual([{ blockId: expect.any(String), update: { update_text_elements: { elements: [{ text_run: { content: 'three, edited' } }] } } }])
    expect(plan.keptBlocks).toBe(4)
  })

  it('pairs the most similar paragraph when one is inserted next to an edit', () => {
    const old = [text('the quick brown fox')]
    const desired = [text('something new'), text('the quick brown fox jumps')]
    const { plan, doc } = roundTrip(old, desired)
    const oldId = [...doc.blocks.keys()].find((k) => k !== doc.id && doc.blocks.get(k)!.text)!
    expect(plan.patches[0]!.blockId).toBe('b1')
    expect(oldId).toBeDefined()
    expect(plan.structural).toEqual([expect.objectContaining({ kind: 'insert', index: 0 })])
  })

  it('replaces a block whose type changed (paragraph → heading)', () => {
    const old = base()
    const desired = reconvert(old)
    desired[1] = text('two', 3, 'heading1')
    const { plan } = roundTrip(old, desired)
    expect(plan.structural.map((o) => o.kind)).toEqual(['insert', 'delete'])
    expect(plan.keptBlocks).toBe(3)
  })

  it('handles a move as one delete and one insert', () => {
    const old = [text('a'), text('b'), text('c'), text('d'), text('e')]
    const desired = reconvert([old[1]!, old[2]!, old[3]!, old[4]!, old[0]!])
    const { plan } = roundTrip(old, desired)
    expect(plan.structural).toHaveLength(2)
    expect(plan.keptBlocks).toBe(4)
  })

  it('diffs inside a callout and a nested list without replacing the container', () => {
    const old = [text('intro'), callout([text('note one'), text('note two')]), bullet('item', [bullet('child')])]
    const desired = reconvert(old)
    desired[1]!.children[1] = text('note two!')
    desired[1]!.children.push(text('note three'))
    desired[2]!.children[0] = bullet('child, edited')
    const { plan } = roundTrip(old, desired)
    expect(plan.structural).toEqual([expect.objectContaining({ kind: 'insert', index: 2 })])
    expect(plan.patches).toHaveLength(2)
    expect(plan.keptBlocks).toBe(plan.existingBlocks)
  })

  it('never leaves a callout empty while replacing all of its children', () => {
    const old = [callout([text('x')])]
    const desired = [callout([text('y', 3, 'heading1')])]
    const { plan } = roundTrip(old, desired)
    expect(plan.structural.map((o) => o.kind)).toEqual(['insert', 'delete'])
  })

  it('replaces a callout whose colour changed', () => {
    const old = [callout([text('x')], 5)]
    const desired = [callout([text('x')], 6)]
    const { plan } = roundTrip(old, desired)
    expect(plan.keptBlocks).toBe(0)
  })

  it('patches table cells in place, adds and removes rows in place, replaces a table with other columns', () => {
    const old = [table([['a', 'b'], ['c', 'd']])]
    const edited = reconvert(old)
    edited[0]!.children[3]!.children[0] = text('D')
    const first = roundTrip(old, edited)
    expect(first.plan.structural).toEqual([])
    expect(first.plan.patches).toHaveLength(1)

    const grown = [table([['a', 'b'], ['x', 'y'], ['c', 'd']])]
    const second = roundTrip(old, grown)
    expect(second.plan.structural).toEqual([
      expect.objectContaining({ kind: 'table-rows', deletes: [], inserts: [expect.objectContaining({ row: 1 })] }),
    ])
    expect(second.plan.keptBlocks).toBe(second.plan.existingBlocks)

    const shrunk = [table([['c', 'd']])]
    const third = roundTrip(old, shrunk)
    expect(third.plan.structural).toEqual([expect.objectContaining({ kind: 'table-rows', deletes: [expect.objectContaining({ start: 0, end: 1 })], inserts: [] })])

    const wider = [table([['a', 'b', 'c'], ['c', 'd', 'e']])]
    expect(roundTrip(old, wider).plan.keptBlocks).toBe(0)
  })

  it('never adds or removes rows under merged cells: such a table is replaced; its cells are still patched in place', () => {
    const merged = (rows: string[][]) => {
      const t = table(rows)
      const property = (t.block.table as { property: Record<string, unknown> }).property
      property.merge_info = mergeInfoOf(rows.length, 2, [{ row: 0, column: 0, rowSpan: 1, colSpan: 2 }])
      return t
    }
    const old = [merged([['a', ''], ['c', 'd'], ['x', 'y']])]
    const edited = reconvert(old)
    edited[0]!.children[3]!.children[0] = text('D')
    const first = roundTrip(old, edited)
    expect(first.plan.structural).toEqual([])
    expect(first.plan.patches).toHaveLength(1)

    // a row added, rows removed, rows moved (same count): no row operations under the merges
    // (with the production keys, which compare merges by position, so the merges alone do not tell the tables apart)
    const canonical = new Fingerprints({ own: canonicalKey })
    for (const rows of [[['a', ''], ['c', 'd'], ['n', 'm'], ['x', 'y']], [['a', ''], ['c', 'd']], [['a', ''], ['x', 'y'], ['c', 'd']]]) {
      const plan = planDiff(MiniDoc.from(old).tree(), [merged(rows)], canonical)
      expect(plan.structural.map((op) => op.kind)).toEqual(['insert', 'delete'])
      expect(plan.keptBlocks).toBe(0)
    }
    // without merges the same changes are row operations
    const plain = planDiff(MiniDoc.from([table([['a', ''], ['c', 'd'], ['x', 'y']])]).tree(), [table([['a', ''], ['c', 'd'], ['n', 'm'], ['x', 'y']])], canonical)
    expect(plain.structural.map((op) => op.kind)).toEqual(['table-rows'])
  })

  it('keeps unchanged images, re-points a changed one, and creates new ones', () => {
    const old = [image('h1'), text('x'), image('h2', 'cap'), image('h3')]
    const desired = [image('h1'), text('x'), image('h2b', 'cap'), image('h3'), image('h4')]
    const { plan } = roundTrip(old, desired)
    expect(plan.images).toEqual([{ blockId: expect.any(String), node: desired[2] }])
    expect(plan.structural).toEqual([expect.objectContaining({ kind: 'insert', index: 4 })])
    expect(plan.keptBlocks).toBe(4)
  })

  it('replaces an image whose caption changed', () => {
    const { plan } = roundTrip([image('h1', 'a')], [image('h1', 'b')])
    expect(plan.images).toEqual([])
    expect(plan.keptBlocks).toBe(0)
  })

  it('turns an empty document into the desired one with a single insert', () => {
    const desired = randomDoc(rng(1), 30)
    const { plan } = roundTrip([], desired)
    expect(plan.structural).toHaveLength(1)
  })

  it('plans one patch for a one-paragraph edit in a 1,000-block document, quickly', () => {
    const old = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? text(`Heading ${i}`, 4, 'heading2') : text(`Paragraph ${i} of the document.`)))
    const desired = reconvert(old)
    desired[537] = text('Paragraph 537, now edited.')
    const t0 = performance.now()
    const { plan } = roundTrip(old, desired)
    expect(performance.now() - t0).toBeLessThan(2000)
    expect(plan.structural).toEqual([])
    expect(plan.patches).toHaveLength(1)
    expect(plan.keptBlocks / plan.existingBlocks).toBe(1)
  })

  it('survives a complete rewrite of a large document', () => {
    const r = rng(3)
    const old = randomDoc(r, 800)
    const desired = randomDoc(r, 900)
    roundTrip(old, desired)
  })

  it('turns any document into any edited version (random edit scripts)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed)
      const old = randomDoc(r, Math.floor(r() * 25))
      const desired = reconvert(cloneTree(old))
      const edits = 1 + Math.floor(r() * 6)
      for (let e = 0; e < edits; e++) randomEdit(r, desired)
      try {
        const { plan } = roundTrip(old, desired)
        // Edits never cost more than replacing everything would.
        expect(plan.structural.length).toBeLessThanOrEqual(2 * edits + 2)
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).message}`)
      }
    }
  })

  it('applying a plan for an unchanged random document writes nothing', () => {
    for (let seed = 500; seed < 550; seed++) {
      const old = randomDoc(rng(seed), 20)
      const { plan, doc } = roundTrip(old, reconvert(cloneTree(old)))
      expect(plan.structural.length + plan.patches.length + plan.images.length).toBe(0)
      expect(doc.writes).toBe(0)
    }
  })
})
