// planDiff says which existing block each desired block keeps (DiffPlan.pairs): the ids links to headings and the
// link-filling pass rely on. Checked on random documents and edit scripts against a document the plan is applied to.
import { describe, expect, it } from 'vitest'
import { Fingerprints, planDiff, walkTree } from '../../src/sync/apply/block-diff.js'
import { MiniDoc, cloneTree, randomDoc, randomEdit, reconvert, rng, testKeys, text } from './block-diff-helpers.js'

describe('planDiff pairs', () => {
  it('every kept or patched block is paired with the block at its place in the result, and nothing else', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed)
      const old = randomDoc(r, Math.floor(r() * 25))
      const desired = reconvert(cloneTree(old))
      for (let e = 1 + Math.floor(r() * 6); e > 0; e--) randomEdit(r, desired)
      const doc = MiniDoc.from(old)
      const before = new Set(doc.blocks.keys())
      const plan = planDiff(doc.tree(), desired, new Fingerprints(testKeys))
      doc.apply(plan)
      const result = [...walkTree(doc.tree().children)]
      const wanted = [...walkTree(desired)]
      expect(result.length, `seed ${seed}`).toBe(wanted.length)
      const survivors = new Set(result.map((n) => n.block.block_id).filter((id) => before.has(id)))
      wanted.forEach((node, i) => {
        const paired = plan.pairs.get(node.block.block_id)
        const actual = result[i]!.block.block_id
        // A block that survived is paired with its desired block; a new block is not paired at all.
        if (survivors.has(actual)) expect(paired, `seed ${seed}, block ${i}`).toBe(actual)
        else expect(paired, `seed ${seed}, block ${i}`).toBeUndefined()
      })
      expect(plan.pairs.size).toBe(plan.keptBlocks)
    }
  })

  it('an edited paragraph keeps its block: it is paired', () => {
    const old = [text('one'), text('two')]
    const desired = reconvert(cloneTree(old))
    desired[1] = text('two, edited')
    const doc = MiniDoc.from(old)
    const plan = planDiff(doc.tree(), desired, new Fingerprints(testKeys))
    expect(plan.patches).toHaveLength(1)
    expect(plan.pairs.get(desired[1]!.block.block_id)).toBe(plan.patches[0]!.blockId)
  })
})
