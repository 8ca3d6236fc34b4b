// What the scan reads, decided without I/O (remote/scan.ts carries it out): which owned pages a targeted
// `changed` run lists, and whether a listed page's first block (its marker) is read at all.
import type { SyncState } from '../remote/state.js'
import type { DocsTree } from '../source/tree.js'

/**
 * The owned pages whose children a targeted `changed` run lists: the parents of the pages the push changed,
 * added or renamed (for same-titled siblings and the page's current edit time), and every owned page of a
 * removed file with its owned descendants (nothing foreign under them may go with them).
 */
export function touchedKeys(
  state: SyncState,
  tree: DocsTree,
  // plan.ts's Changes, by shape: the scan imports this module, and plan.ts imports the scan's types.
  changes: { changed: ReadonlySet<string>; renames: ReadonlyMap<string, string>; removed: ReadonlySet<string> },
): Set<string> {
  const out = new Set<string>()
  for (const path of [...changes.changed, ...changes.renames.keys()]) {
    const key = tree.fileKeys.get(path)
    const parentKey = key === undefined ? undefined : tree.pages.get(key)?.parentKey
    if (parentKey !== undefined && state.pages[parentKey]) out.add(parentKey)
  }
  const childrenOf = new Map<string, string[]>()
  const keyOfNode = new Map(Object.entries(state.pages).map(([k, e]) => [e.node, k]))
  for (const [key, entry] of Object.entries(state.pages)) {
    const parentKey = keyOfNode.get(entry.parent)
    if (parentKey !== undefined) childrenOf.set(parentKey, [...(childrenOf.get(parentKey) ?? []), key])
  }
  const removedKeys = [...changes.removed, ...changes.renames.values()].filter((p) => state.pages[p])
  // A folder whose files are all gone is removed too: its key is the folder path with a slash.
  for (const key of Object.keys(state.pages)) if (key.endsWith('/') && !tree.pages.has(key)) removedKeys.push(key)
  const stack = [...removedKeys]
  while (stack.length > 0) {
    const key = stack.pop()!
    if (out.has(key) && !removedKeys.includes(key)) continue
    out.add(key)
    stack.push(...(childrenOf.get(key) ?? []).filter((k) => !out.has(k)))
  }
  return out
}

/**
 * A docx page in the listing: taken from the sync state without a read (the state names this node with this
 * document, and the identity that made it is the action's), never read (another identity made it: a marker found
 * there could only be a copy), or read once for its marker (the state does not know it; or who the action is is
 * not known, and the marker alone decides).
 */
export function firstBlockChoice(page: { stateNamesIt: boolean; createdBySelf: boolean; selfKnown: boolean }): 'from-state' | 'not-ours' | 'read' {
  if (page.stateNamesIt && page.createdBySelf) return 'from-state'
  if (page.selfKnown && !page.createdBySelf) return 'not-ours'
  return 'read'
}
