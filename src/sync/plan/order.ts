// The order of a run's structure calls (node create, move, retitle). Pure: no I/O.
//
// Two rules are fixed: a parent's node exists before its children's, and siblings are created in their display
// order (the create API has no position parameter: a node created later lands last;
// https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/create). Between different parents the
// order is free, and it matters: a page's content is written once, with wiki links, after every page it links
// to has a node, and nodes are created at 100 per minute while documents are written at 3 per second. A page
// created in the run's last wiki minute holds back its own document and every document that links to it, so
// the last creates should be pages few others wait on, and link targets should come first.
//
// Choice: fill the order from the end. Of the pages that may still go last (the last unplaced sibling under its
// parent, with no unplaced children), place there the one that holds back the fewest documents not already
// held back by a page placed after it (itself, if it has content to write, and the pages that link to it).
// Repeat. Ties keep the display order (depth first), so without links the order is the display order.

export interface OrderPage {
  key: string
  /** undefined for a page directly under the run's parent node. */
  parentKey?: string
}

/**
 * Position (0 = first) of every page in `pages`, which lists siblings in display order.
 * `waitsFor`: the pages whose content is written in this run → the pages (created in this run) it links to.
 */
export function structureOrder(pages: readonly OrderPage[], waitsFor: ReadonlyMap<string, ReadonlySet<string>>): Map<string, number> {
  const childrenOf = new Map<string | undefined, string[]>()
  const parentOf = new Map<string, string | undefined>()
  const indexInParent = new Map<string, number>()
  for (const p of pages) {
    const list = childrenOf.get(p.parentKey) ?? []
    indexInParent.set(p.key, list.length)
    list.push(p.key)
    childrenOf.set(p.parentKey, list)
    parentOf.set(p.key, p.parentKey)
  }
  // Lists whose parent is not in `pages` (undefined: the run's parent node) have no constraint above them.
  const roots = [...childrenOf].filter(([parent]) => parent === undefined || !parentOf.has(parent)).map(([, list]) => list)

  const dependents = new Map<string, string[]>()
  for (const [page, targets] of waitsFor) {
    for (const t of targets) {
      const list = dependents.get(t) ?? []
      list.push(page)
      dependents.set(t, list)
    }
  }
  const depthFirst = displayOrder(roots, childrenOf)

  /** Children not placed yet, per parent: the first `unplaced` of its list. */
  const unplaced = new Map<string | undefined, number>()
  for (const [parent, list] of childrenOf) unplaced.set(parent, list.length)
  const eligible = (key: string): boolean => (unplaced.get(key) ?? 0) === 0 && unplaced.get(parentOf.get(key)) === indexInParent.get(key)! + 1
  const candidates = new Set<string>()
  for (const list of childrenOf.values()) consider(list.at(-1))

  function consider(key: string | undefined): void {
    if (key !== undefined && indexInParent.has(key) && eligible(key)) candidates.add(key)
  }

  const heldBack = new Set<string>()
  const cost = (key: string): number => {
    let n = waitsFor.has(key) && !heldBack.has(key) ? 1 : 0
    for (const d of dependents.get(key) ?? []) if (!heldBack.has(d)) n++
    return n
  }
  const rank = new Map<string, number>()
  for (let position = pages.length - 1; candidates.size > 0; position--) {
    let best: string | undefined
    let bestCost = Infinity
    for (const c of candidates) {
      const k = cost(c)
      if (k < bestCost || (k === bestCost && depthFirst.get(c)! > depthFirst.get(best!)!)) [best, bestCost] = [c, k]
    }
    const key = best!
    candidates.delete(key)
    rank.set(key, position)
    if (waitsFor.has(key)) heldBack.add(key)
    for (const d of dependents.get(key) ?? []) heldBack.add(d)
    const parent = parentOf.get(key)
    const left = indexInParent.get(key)!
    unplaced.set(parent, left)
    // Now the previous sibling may go last, or, if this was the first child, the parent.
    consider(left > 0 ? childrenOf.get(parent)![left - 1] : parent)
  }
  return rank
}

function displayOrder(roots: readonly string[][], childrenOf: ReadonlyMap<string | undefined, string[]>): Map<string, number> {
  const out = new Map<string, number>()
  const visit = (keys: readonly string[]): void => {
    for (const key of keys) {
      out.set(key, out.size)
      visit(childrenOf.get(key) ?? [])
    }
  }
  for (const list of roots) visit(list)
  return out
}
