// The order of a run's node creates (src/sync/plan/order.ts, used by apply/run.ts): parents before children, siblings in
// display order, and between parents, link targets first and pages nobody waits for last.
import { afterEach, describe, expect, it } from 'vitest'
import { ROUTE } from '../../emulator/feishu/index.js'
import { prng } from '../../bench/generate.js'
import { type OrderPage, structureOrder } from '../../src/sync/plan/order.js'
import { type PublishWorld, startPublishWorld } from './publish-helpers.js'

const inOrder = (rank: Map<string, number>) => [...rank].sort((a, b) => a[1] - b[1]).map(([k]) => k)

/** Two folders of three pages each, listed depth first (the display order). */
const TWO_FOLDERS: OrderPage[] = [
  { key: 'a/' },
  { key: 'a/1', parentKey: 'a/' },
  { key: 'a/2', parentKey: 'a/' },
  { key: 'a/3', parentKey: 'a/' },
  { key: 'b/' },
  { key: 'b/1', parentKey: 'b/' },
  { key: 'b/2', parentKey: 'b/' },
  { key: 'b/3', parentKey: 'b/' },
]

describe('structureOrder', () => {
  it('keeps the display order when no page waits for another', () => {
    const waits = new Map(TWO_FOLDERS.map((p) => [p.key, new Set<string>()]))
    expect(inOrder(structureOrder(TWO_FOLDERS, waits))).toEqual(TWO_FOLDERS.map((p) => p.key))
  })

  it('creates a page many others link to (and the pages that must come before it) first', () => {
    // Every a/ page links to b/3; nothing links to the a/ pages. a/ itself must still come before b/.
    const waits = new Map(TWO_FOLDERS.map((p) => [p.key, new Set(p.key.startsWith('a/') ? ['b/3'] : [])]))
    const order = inOrder(structureOrder(TWO_FOLDERS, waits))
    expect(order.slice(0, 5)).toEqual(['a/', 'b/', 'b/1', 'b/2', 'b/3'])
    expect(order.indexOf('b/3')).toBeLessThan(order.indexOf('a/1'))
  })

  it('leaves for last the pages nobody waits for', () => {
    // Nothing links to a/3 and b/3; b/1 and a/2 are linked from three pages each, b/2 from one.
    const waits = new Map<string, Set<string>>([
      ['a/', new Set(['a/2'])],
      ['a/1', new Set(['b/1', 'b/2'])],
      ['a/2', new Set()],
      ['a/3', new Set(['a/2', 'b/1'])],
      ['b/', new Set(['b/1'])],
      ['b/1', new Set()],
      ['b/2', new Set(['a/2'])],
      ['b/3', new Set()],
    ])
    const order = inOrder(structureOrder(TWO_FOLDERS, waits))
    // In display order b/2 would be second to last.
    expect(order.slice(-2).sort()).toEqual(['a/3', 'b/3'])
  })

  it('always puts parents before children and siblings in display order', () => {
    const rnd = prng(7)
    for (let trial = 0; trial < 20; trial++) {
      const pages: OrderPage[] = []
      for (let i = 0; i < 60; i++) {
        const parent = i > 0 && rnd() < 0.7 ? pages[Math.floor(rnd() * pages.length)]!.key : undefined
        pages.push({ key: `p${i}`, parentKey: parent })
      }
      const waits = new Map(pages.map((p) => [p.key, new Set(Array.from({ length: 3 }, () => `p${Math.floor(rnd() * 60)}`))]))
      const rank = structureOrder(pages, waits)
      expect(rank.size).toBe(pages.length)
      expect(new Set(rank.values()).size).toBe(pages.length)
      const lastChild = new Map<string | undefined, string>()
      for (const p of pages) {
        if (p.parentKey !== undefined) expect(rank.get(p.parentKey)!).toBeLessThan(rank.get(p.key)!)
        const previous = lastChild.get(p.parentKey)
        if (previous !== undefined) expect(rank.get(previous)!).toBeLessThan(rank.get(p.key)!)
        lastChild.set(p.parentKey, p.key)
      }
    }
  })
})

describe('publishDocs: create order', () => {
  let world: PublishWorld | undefined
  afterEach(async () => {
    await world?.close()
    world = undefined
  })

  it('creates the page every other page links to before the pages nobody links to, siblings still in order', async () => {
    const files: Record<string, string> = { 'zz.md': '# Target\n\nLinked from everywhere.\n' }
    for (const name of ['a', 'b', 'c', 'd']) files[`aa/${name}.md`] = `# Page ${name}\n\nSee [the target](../zz.md).\n`
    world = await startPublishWorld({ files })
    const { result, calls } = await world.publish()
    expect(result.counts).toMatchObject({ created: 6, failed: 0 })
    const created = calls.filter((c) => c.route === ROUTE.nodeCreate && c.status === 200).map((c) => (c.body as { title: string }).title)
    // Display order (aa, Page a … Page d, Target) would create the target last. Its folder comes first (it is
    // the target's previous sibling), then the target beside the first child of aa (a few creates are in
    // flight at once), then the rest of aa, still in order.
    expect(created[0]).toBe('aa')
    expect(created.indexOf('Target')).toBeLessThanOrEqual(2)
    expect(created.filter((t) => t.startsWith('Page'))).toEqual(['Page a', 'Page b', 'Page c', 'Page d'])
    expect(world.tree()).toBe(['aa', '  Page a', '  Page b', '  Page c', '  Page d', 'Target'].join('\n'))
    // Every page is written once, with the wiki link.
    const target = `https://www.feishu.cn/wiki/${world.node('Target').node_token}`
    for (const name of ['a', 'b', 'c', 'd']) expect(world.emu.docs.render(world.node(`Page ${name}`).obj_token)).toContain(`(${target})`)
  })
})
