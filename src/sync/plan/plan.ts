// What a run will do to the wiki, decided before any write. Pure: the wiki's state comes in as a RemoteTree
// (read by remote.ts), the repository's as a DocsTree (tree.ts).
//
// Identity: a wiki page belongs to the action when its first block is the provenance marker (marker.ts) and the
// marker names this repository; the marker's repo path is the page's key. Nothing else is ever changed, moved
// or deleted. A key carried by two pages (a person copied a synced page, marker included) belongs to the oldest
// one; the copies are left alone like any other page.
//
// Per desired page: reuse the owned node with the same key; else, for a rename (from the push's compare), the
// owned node of the old path (moved and/or retitled, never recreated); else a new node. A new node whose title
// is already used by a sibling the action does not own fails that one page, unless the sibling is an empty
// document with exactly that title (a create whose answer was lost, or a run that stopped before writing), which
// is adopted.
//
// Owned pages whose source is gone follow on-delete: report, archive (moved under the "Archived" page), or
// delete (DELETE node). A removed page whose subtree holds pages the action does not own is archived instead of
// deleted, so nothing foreign is ever deleted. If a run would archive or delete more than 10 pages, or leave
// less than half of the most pages the action has owned (the sync state's high-water mark, so that several small
// runs cannot do what one large one may not), it stops before any write: a wrong `path` looks exactly like that.
// `max-removals` lets one run past both caps on purpose, and sets the mark to what that run leaves.
import type { WikiNode } from '../../feishu/wiki.js'
import type { OnDelete } from '../../settings.js'
import type { RemoteNode, RemoteTree } from '../remote/scan.js'
import { type DocsTree, type SourcePage, pagesInOrder } from '../source/tree.js'

export type { RemoteNode, RemoteTree } from '../remote/scan.js'

export interface Changes {
  /** Repo paths added or modified (and the new paths of renames). */
  changed: Set<string>
  /** New path → old path. */
  renames: Map<string, string>
  removed: Set<string>
}

export interface PagePlan {
  key: string
  page: SourcePage
  /** The node this page lives in, when it exists before the run. */
  existing?: RemoteNode
  /** The key the existing node had (a rename). */
  renamedFrom?: string
  /** An empty foreign node with this title, taken over. */
  adopted?: boolean
  create: boolean
  /** Move the existing node under the desired parent (undefined parentKey = parent-node). */
  move?: { fromParentToken: string }
  retitle?: { from: string; to: string }
  /** Decided before any write: the page cannot be published (and nothing is changed for it). */
  failure?: string
}

export interface RemovalPlan {
  key: string
  remote: RemoteNode
  /** What happens: report (listed), archive (moved under Archived), delete, or carried along by an ancestor. */
  action: OnDelete
  /** The API call is made on this node (a top-most removed node); descendants ride along. */
  topMost: boolean
  /** For descendants: the key of the removed ancestor that carries them. */
  carriedBy?: string
  reason: string
}

export interface Plan {
  pages: PagePlan[]
  removals: RemovalPlan[]
  /** Owned pages before the run (the archive page not counted). */
  ownedCount: number
  /** Set when the run must stop before writing (safety cap). */
  stop?: string
  notes: string[]
}

export interface PlanInput {
  tree: DocsTree
  remote: RemoteTree
  onDelete: OnDelete
  /** From the push's compare; undefined in `all` mode (renames then cannot be told from delete + add). */
  changes?: Changes
  archiveKey: string
  /** For links in messages. */
  wikiPrefix?: string
  /** The `max-removals` input: removals this run may make past the safety caps. */
  maxRemovals?: number
  /**
   * The most pages the action has owned (the sync state's high-water mark, `lastFullSync.owned`). The half cap
   * counts every page lost since then, so runs that each remove a little cannot walk the wiki down to nothing.
   */
  ownedHighWater?: number
}

/** Removals one run may make without `max-removals`, whatever the number of pages owned. */
export const MAX_REMOVALS_PER_RUN = 10

const INDEX_NAMES = new Set(['index.md', 'readme.md'])

export function planSync(input: PlanInput): Plan {
  const { tree, remote, onDelete, changes, archiveKey } = input
  const notes: string[] = []
  const ordered = pagesInOrder(tree)
  const desired = new Set(ordered.map((p) => p.key))
  const claimed = new Map<string, string>() // owned key → desired key that uses its node

  // 1. Same key.
  const nodeOf = new Map<string, { remote: RemoteNode; from?: string }>()
  for (const page of ordered) {
    const own = remote.owned.get(page.key)
    if (own && page.key !== archiveKey) {
      nodeOf.set(page.key, { remote: own })
      claimed.set(page.key, page.key)
    }
  }

  // 2. Renames: the node of the old path, when that path is no longer a page.
  const available = (key: string | undefined): key is string =>
    key !== undefined && key !== archiveKey && remote.owned.has(key) && !desired.has(key) && !claimed.has(key)
  if (changes) {
    for (const [newPath, oldPath] of changes.renames) {
      const newKey = tree.fileKeys.get(newPath)
      if (newKey === undefined || nodeOf.has(newKey)) continue
      const oldCandidates = [oldPath]
      if (INDEX_NAMES.has(baseName(oldPath).toLowerCase()) && dirName(oldPath)) oldCandidates.push(`${dirName(oldPath)}/`)
      const oldKey = oldCandidates.find(available)
      if (oldKey) {
        nodeOf.set(newKey, { remote: remote.owned.get(oldKey)!, from: oldKey })
        claimed.set(oldKey, newKey)
      }
    }
    // A renamed folder: its files were renamed from <old folder>/<rest> to <new folder>/<rest>.
    for (const page of ordered) {
      if (page.kind !== 'folder' || nodeOf.has(page.key)) continue
      const prefix = page.key
      for (const [newPath, oldPath] of changes.renames) {
        if (!newPath.startsWith(prefix)) continue
        const rest = newPath.slice(prefix.length)
        if (!oldPath.endsWith(`/${rest}`)) continue
        const oldKey = oldPath.slice(0, oldPath.length - rest.length)
        if (available(oldKey)) {
          nodeOf.set(page.key, { remote: remote.owned.get(oldKey)!, from: oldKey })
          claimed.set(oldKey, page.key)
          break
        }
      }
    }
  }

  // 3. Per page: create, move, retitle, collisions.
  const tokenKnown = new Map<string, string | undefined>() // key → existing token (undefined: created in this run)
  const willHaveNode = new Set<string>()
  const pages: PagePlan[] = []
  const adoptedTokens = new Set<string>()
  for (const page of ordered) {
    const plan: PagePlan = { key: page.key, page, create: false }
    pages.push(plan)
    const match = nodeOf.get(page.key)
    if (match) {
      plan.existing = match.remote
      if (match.from) plan.renamedFrom = match.from
    }
    const parentReady = page.parentKey === undefined || willHaveNode.has(page.parentKey)
    const parentToken = page.parentKey === undefined ? (remote.rootToken ?? '') : tokenKnown.get(page.parentKey)
    if (!parentReady) {
      const parent = tree.pages.get(page.parentKey!)!
      plan.failure = `its parent page "${parent.title}" (${parent.contentFile?.repoPath ?? parent.key}) could not be created`
      if (plan.existing) keepExisting(plan, tokenKnown, willHaveNode)
      continue
    }
    // Foreign siblings under the (existing) parent: a same-titled one blocks a new page or a title change.
    const foreignSameTitle = (title: string): RemoteNode | undefined => {
      if (parentToken === undefined) return undefined // the parent is created in this run: no foreign siblings
      const siblings = parentToken === (remote.rootToken ?? '') ? remote.rootChildren : remote.byToken.get(parentToken)?.children
      return siblings?.find((s) => !s.key && !adoptedTokens.has(s.node.node_token) && s.node.title.trim() === title.trim() && s.node.node_token !== plan.existing?.node.node_token)
    }

    // A sibling made by our identity whose first block could not be read, with a title no file here has: it may be
    // the page of a file renamed or retitled since (its marker unread), so a new page could duplicate it.
    const unreadOwnSibling = (): RemoteNode | undefined => {
      if (parentToken === undefined) return undefined
      const siblings = parentToken === (remote.rootToken ?? '') ? remote.rootChildren : remote.byToken.get(parentToken)?.children
      const unread = siblings?.filter((s) => s.unreadable && createdByUs(s.node, remote.ownCreators)) ?? []
      if (unread.length === 0) return undefined
      const titles = new Set(ordered.filter((p) => p.parentKey === page.parentKey).map((p) => p.title.trim()))
      return unread.find((s) => !titles.has(s.node.title.trim()))
    }

    if (plan.existing) {
      const node = plan.existing.node
      const currentParent = remote.parentOf.get(node.node_token) ?? node.parent_node_token
      if (parentToken === undefined || currentParent !== parentToken) plan.move = { fromParentToken: currentParent }
      if (!page.error && node.title !== page.title) plan.retitle = { from: node.title, to: page.title }
      const clash = plan.move || plan.retitle ? foreignSameTitle(page.error ? node.title : page.title) : undefined
      if (clash) plan.failure = collisionGuidance(page, clash, input.wikiPrefix)
      else if (page.error) plan.failure = page.error
      if (plan.failure) {
        // Nothing is changed for a failed page: it stays where and as it is.
        plan.move = undefined
        plan.retitle = undefined
      }
      keepExisting(plan, tokenKnown, willHaveNode)
      continue
    }

    // No node yet.
    if (page.error) {
      plan.failure = page.error
      continue
    }
    const clash = foreignSameTitle(page.title)
    if (clash && clash.empty && clash.node.obj_type === 'docx' && createdByUs(clash.node, remote.ownCreators)) {
      // An empty document with exactly this title, made by the identity that made our pages: our own create
      // whose answer was lost, or a run that stopped before writing. Nothing can be lost by writing into it.
      plan.existing = clash
      plan.adopted = true
      adoptedTokens.add(clash.node.node_token)
      keepExisting(plan, tokenKnown, willHaveNode)
      continue
    }
    if (clash) {
      plan.failure = collisionGuidance(page, clash, input.wikiPrefix)
      continue
    }
    const hidden = unreadOwnSibling()
    if (hidden) {
      plan.failure = hiddenPageGuidance(page, hidden, input.wikiPrefix)
      continue
    }
    plan.create = true
    tokenKnown.set(page.key, undefined)
    willHaveNode.add(page.key)
  }

  // 4. Owned pages whose source is gone.
  const orphanKeys = [...remote.owned.keys()].filter((k) => k !== archiveKey && !desired.has(k) && !claimed.has(k))
  const orphanSet = new Set(orphanKeys)
  // Kept pages: moved out of a removed subtree before any removal, or staying where they are.
  const keptTokens = new Set<string>()
  const stayingTokens = new Set<string>()
  for (const p of pages) {
    if (!p.existing) continue
    keptTokens.add(p.existing.node.node_token)
    if (!p.move) stayingTokens.add(p.existing.node.node_token)
  }
  const orphanTokens = new Map<string, string>() // token → key
  for (const key of orphanKeys) orphanTokens.set(remote.owned.get(key)!.node.node_token, key)

  const removals: RemovalPlan[] = []
  const orphanAncestor = (key: string): string | undefined => {
    // The nearest ancestor that is also an orphan (and so carries this one along).
    let token = remote.parentOf.get(remote.owned.get(key)!.node.node_token)
    while (token) {
      const k = orphanTokens.get(token)
      if (k) return k
      const up = remote.byToken.get(token)
      if (!up?.key) return undefined // a foreign or kept node in between: stop
      if (keptTokens.has(token)) return undefined
      token = remote.parentOf.get(token)
    }
    return undefined
  }
  for (const key of orphanKeys) {
    const rn = remote.owned.get(key)!
    const ancestor = orphanAncestor(key)
    const removal: RemovalPlan = {
      key,
      remote: rn,
      action: onDelete,
      topMost: ancestor === undefined,
      reason: changes?.removed.has(key) ? `${key} was removed` : `${key} is no longer in ${tree.rootRepoPath}`,
    }
    if (ancestor !== undefined) {
      let top = ancestor
      for (let up = orphanAncestor(top); up !== undefined; up = orphanAncestor(up)) top = up
      removal.carriedBy = top
    }
    if (removal.topMost && onDelete !== 'report') {
      const { foreign, staying } = inspectSubtree(rn, keptTokens, stayingTokens, orphanSet)
      if (staying.length > 0) {
        // A page that stays (it failed, or needs no move) would go along with it: leave the subtree in place.
        removal.action = 'report'
        removal.reason += `; left in place: it holds ${describe(staying)}, which stays`
      } else if (onDelete === 'delete' && foreign.length > 0) {
        removal.action = 'archive'
        removal.reason += `; archived instead of deleted: it holds pages feishu-wiki-sync does not own (${describe(foreign)})`
      }
    }
    removals.push(removal)
  }
  // Descendants follow their carrier's action.
  const byKey = new Map(removals.map((r) => [r.key, r]))
  for (const r of removals) if (r.carriedBy) r.action = byKey.get(r.carriedBy)!.action

  const ownedCount = [...remote.owned.keys()].filter((k) => k !== archiveKey).length
  const removing = removals.filter((r) => r.action !== 'report').length
  let stop: string | undefined
  const verb = onDelete === 'delete' ? 'delete' : 'archive'
  if (input.maxRemovals !== undefined) {
    if (removing > input.maxRemovals) {
      stop =
        `This run would ${verb} ${removing} pages, more than \`max-removals\` (${input.maxRemovals}) allows, so it stopped ` +
        `before changing anything. Raise \`max-removals\` for one run if the files really were removed.`
    }
  } else if (removing > MAX_REMOVALS_PER_RUN) {
    stop =
      `This run would ${verb} ${removing} pages, more than the ${MAX_REMOVALS_PER_RUN} one run may remove, so it stopped ` +
      `before changing anything. A wrong \`path\` input looks exactly like this. If the files really were removed, ` +
      `set \`max-removals: ${removing}\` for one run.`
  } else if (removing > 0) {
    const cap = halfCap(ownedCount, removing, input.ownedHighWater)
    if (cap.lost * 2 > cap.of) {
      const since =
        cap.of > ownedCount
          ? ` Counted against the ${cap.of} pages it owned at its most (the sync state remembers them): with the ` +
            `${cap.of - ownedCount} gone since, ${cap.lost} would be gone.`
          : ''
      stop =
        `This run would ${verb} ${removing} of the ${ownedCount} pages it owns under the parent page, so more than ` +
        `half would be gone, and it stopped before changing anything.${since} A wrong \`path\` input looks exactly ` +
        `like this. If the files really were removed, set \`max-removals: ${removing}\` for one run, or remove the ` +
        `pages by hand.`
    }
  }
  if (remote.duplicates.length > 0) {
    notes.push(
      `${remote.duplicates.length} page(s) carry a copy of another page's sync marker (copied in the wiki?) and were left alone: ${describe(remote.duplicates)}.`,
    )
  }
  return { pages, removals, ownedCount, stop, notes }
}

/**
 * The half cap without a ratchet: pages lost are those this run removes plus those gone since the high-water
 * mark (earlier runs' removals, or pages deleted by hand), counted against the mark. Without a mark (no sync
 * state) it is this run's removals against the pages owned now.
 */
export function halfCap(ownedNow: number, removing: number, highWater: number | undefined): { lost: number; of: number } {
  const of = Math.max(ownedNow, highWater ?? 0)
  return { lost: of - ownedNow + removing, of }
}

/**
 * The high-water mark the sync state keeps after a run: it rises with the pages owned, and only a run that
 * removed pages with `max-removals` set (the user said so on purpose) lowers it, to what is owned after it.
 */
export function nextHighWater(previous: number | undefined, ownedAfter: number, removedOnPurpose: boolean): number {
  if (removedOnPurpose || previous === undefined) return ownedAfter
  return Math.max(previous, ownedAfter)
}

function createdByUs(node: WikiNode, ownCreators: Set<string>): boolean {
  const creator = node.node_creator || node.creator
  return Boolean(creator) && ownCreators.has(creator!)
}

function keepExisting(plan: PagePlan, tokenKnown: Map<string, string | undefined>, willHaveNode: Set<string>): void {
  tokenKnown.set(plan.key, plan.existing!.node.node_token)
  willHaveNode.add(plan.key)
}

function hiddenPageGuidance(page: SourcePage, hidden: RemoteNode, wikiPrefix = 'https://www.feishu.cn/wiki/'): string {
  const file = page.contentFile?.repoPath ?? page.key
  const what = `the page "${hidden.node.title}" (${wikiPrefix}${hidden.node.node_token}) in the same place was made by the same identity, but`
  return unreadableGuidance(file, hidden, what, `it may be the page of ${file} under an earlier title, so`)
}

/** A page that may be ours could not be read: say so, and that nothing was created beside it. */
function unreadableGuidance(file: string, node: RemoteNode, what: string, why: string): string {
  return (
    `${what} its first block could not be read (${node.unreadable}): ${why} ${file} was not published ` +
    '(a new page could duplicate it). Run again; if this keeps failing, check that the app may read that document.'
  )
}

function collisionGuidance(page: SourcePage, clash: RemoteNode, wikiPrefix = 'https://www.feishu.cn/wiki/'): string {
  const file = page.contentFile?.repoPath ?? page.key
  if (clash.unreadable) {
    // It may be our own page whose marker could not be read: creating another would duplicate it.
    return unreadableGuidance(file, clash, `a page titled "${clash.node.title}" (${wikiPrefix}${clash.node.node_token}) exists at this place, but`, 'whether feishu-wiki-sync made it is not known, so')
  }
  return (
    `a page titled "${clash.node.title}" (${wikiPrefix}${clash.node.node_token}) already exists at this place and was not created ` +
    `by feishu-wiki-sync, so ${file} was not published. Rename or move that page in the wiki, or give ${file} another ` +
    `title (its first heading or front matter \`title\`).` +
    (clash.empty ? ' That page is empty: if an interrupted run left it, delete it and run again.' : '')
  )
}

/**
 * What lies under a removed node: foreign nodes (not owned, duplicates, unlisted children) and kept pages that
 * do not move out first. Kept pages that move out are skipped with their subtrees.
 */
function inspectSubtree(
  root: RemoteNode,
  kept: Set<string>,
  staying: Set<string>,
  orphans: Set<string>,
): { foreign: RemoteNode[]; staying: RemoteNode[] } {
  const foreign: RemoteNode[] = []
  const stay: RemoteNode[] = []
  const stack = [...(root.children ?? [])]
  if (!root.children && root.node.has_child) foreign.push({ node: { ...root.node, title: `children of ${root.node.title}` } })
  while (stack.length > 0) {
    const n = stack.pop()!
    if (staying.has(n.node.node_token)) {
      stay.push(n)
      continue
    }
    if (kept.has(n.node.node_token)) continue
    if (!n.key || !orphans.has(n.key)) {
      foreign.push(n)
      continue
    }
    if (n.children) stack.push(...n.children)
    else if (n.node.has_child) foreign.push({ node: { ...n.node, title: `children of ${n.node.title}` } })
  }
  return { foreign, staying: stay }
}

function describe(nodes: RemoteNode[]): string {
  return `${nodes
    .slice(0, 5)
    .map((n) => `"${n.node.title}"`)
    .join(', ')}${nodes.length > 5 ? `, and ${nodes.length - 5} more` : ''}`
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1)
}

function dirName(p: string): string {
  const i = p.lastIndexOf('/')
  return i < 0 ? '' : p.slice(0, i)
}
