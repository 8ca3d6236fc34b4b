// Reading the wiki side: which pages under parent-node belong to the action, and where they are.
//
// Starting at parent-node (or the space's top level), every child is listed (wiki list, 50 per page, paging
// while has_more even after an empty page). Each docx child's first block is read (one docx read, 5/s) to find
// the provenance marker; a marker that names this repository makes the page ours, keyed by its repo path. The
// scan goes down into our own pages only: what lies under a page we do not own is not ours to manage, and an
// own page moved there by a person is left where it is (a new one is made in its place).
import { type Block, BlockType } from '../../blocks/model.js'
import { DOCX_LIMITS } from '../../blocks/limits.js'
import { type DocxApi } from '../../feishu/docx.js'
import type { WikiApi, WikiNode } from '../../feishu/wiki.js'
import { treeFromBlocks } from '../apply/block-diff.js'
import { type ExistingDocument, readMarkerOnly } from '../apply/document.js'
import { type Provenance, readMarker } from './marker.js'
import { mapPool } from '../pool.js'
import { firstBlockChoice } from '../plan/reads.js'
import type { LoadedState, PageState, SyncState } from './state.js'

export interface RemoteNode {
  node: WikiNode
  marker?: Provenance
  /** The key this node holds for the action (its marker's repo path), when it is the canonical owner. */
  key?: string
  /** Children, when they were listed (the root and owned nodes). */
  children?: RemoteNode[]
  /** A docx with no blocks but the page block. */
  empty?: boolean
  /** Empty, no marker, a wanted title, made by the action's identity: a page a stopped run created and did not write. */
  unfinished?: boolean
  /** Every block of the document, when one read held them all (owned pages only). */
  blocks?: Block[]
  /** Why its first block could not be read (the read failed even after retries): whose page it is is unknown. */
  unreadable?: string
  /** Seen in a listing made by this run (not only known from the sync state). */
  listed?: boolean
  /** Its children were listed by this run (a targeted scan). */
  listedChildren?: boolean
  /** The sync state's key and entry for this node, when the state matched it (same node, document and creator). */
  stateKey?: string
  state?: PageState
  /** The listing shows an edit after the action's last write (state). */
  editedSince?: boolean
  /** Who edited it last, and when (drive metas), when editedSince. */
  lastEdit?: { by?: string; at?: string }
}

export interface RemoteTree {
  /** parent-node's token; undefined = the top level of the space. */
  rootToken?: string
  rootChildren: RemoteNode[]
  /** Canonical owned nodes by key (the archive page included). */
  owned: Map<string, RemoteNode>
  /** Every node seen, by token. */
  byToken: Map<string, RemoteNode>
  /** Parent token ("" for the space top level) of every node seen. */
  parentOf: Map<string, string>
  /** Nodes carrying a marker of this repository whose key another (older) node holds. */
  duplicates: RemoteNode[]
  /** Who created the owned nodes (node_creator / creator): the action's own identity, when it owns any. */
  ownCreators: Set<string>
  /** Pages carrying a marker copied from another page (it names another document): never changed. */
  copiedMarkers: RemoteNode[]
  /** The creator id of the action's own nodes, when known. */
  self?: string
  /** The sync state found, and whether it was used. */
  scanState: ScanState
  /** Every owned page was listed (false: a targeted scan took the pages the push does not touch from the state). */
  complete: boolean
}

export interface ScanOptions {
  wiki: WikiApi
  docx: DocxApi
  spaceId: string
  rootToken?: string
  /** Markers of other repositories are not ours. Undefined: any marker is accepted. */
  repository?: { owner: string; repo: string }
  /** The key of the Archived page: found like any owned page, but never descended into. */
  archiveKey: string
  /** Titles the run wants to create: a foreign docx with one of them is checked for being empty (adoptable). */
  wantedTitles: ReadonlySet<string>
  concurrency: number
  /** The creator id the action's nodes carry (user open_id, or the app's when known): others are never read. */
  self?: string
  /** Reads the sync state from parent-node's listing (state.ts); undefined: no state is used. */
  loadState?: (rootNodes: readonly WikiNode[]) => Promise<LoadedState>
  /**
   * `changed` mode with a usable state: the owned pages whose parent must be listed (the pages the push touches);
   * every other owned page is taken from the state without a call. Undefined: every owned page is listed.
   */
  listOnly?: (state: SyncState) => Set<string>
  debug?: (message: string) => void
}

/** A state page made by the action, and whether (and why not) its state was used. */
export interface ScanState {
  loaded: LoadedState
  /** The state the run trusted (undefined: the run listed and read as without a state). */
  used?: SyncState
  /** Set when a state was loaded but the listing contradicted it (a page moved or deleted by a person). */
  staleReason?: string
}

export async function scanWiki(options: ScanOptions): Promise<RemoteTree> {
  const rootNodes = await options.wiki.listChildren(options.spaceId, options.rootToken)
  const loaded = options.loadState ? await options.loadState(rootNodes) : { status: 'missing' as const }
  const state = loaded.status === 'loaded' ? loaded.state : undefined
  if (state && options.listOnly) {
    const targeted = await targetedScan(options, rootNodes, state, loaded, options.listOnly(state))
    if (!('stale' in targeted)) return targeted
    options.debug?.(`sync state not used: ${targeted.stale}`)
    return fullScan(options, rootNodes, undefined, { loaded, staleReason: targeted.stale })
  }
  return fullScan(options, rootNodes, state, { loaded, ...(state ? { used: state } : {}) })
}

/**
 * Lists parent-node and every owned page below it, level by level. A docx child is read (its first block, for the
 * marker) only when the state does not know it and it was made by the action's identity (or that is unknown):
 * pages the state knows are matched by node and document token, and other identities' pages are never read.
 */
async function fullScan(options: ScanOptions, rootNodes: WikiNode[], state: SyncState | undefined, scanState: ScanState): Promise<RemoteTree> {
  const { wiki, docx, spaceId, rootToken } = options
  const byToken = new Map<string, RemoteNode>()
  const parentOf = new Map<string, string>()
  const seenOrder = new Map<string, number>()
  const candidates = new Map<string, RemoteNode[]>()
  const rootChildren: RemoteNode[] = []
  const copiedMarkers: RemoteNode[] = []
  const stateKeyOf = new Map<string, string>()
  for (const [key, entry] of Object.entries(state?.pages ?? {})) stateKeyOf.set(entry.node, key)
  const self = options.self ?? state?.self
  const stateNode = scanState.loaded.node?.node_token
  let reads = 0

  let level: { parent?: RemoteNode; token?: string }[] = [{ token: rootToken }]
  let first = true
  while (level.length > 0) {
    const listed = first
      ? [{ p: level[0]!, nodes: rootNodes }]
      : await mapPool(level, options.concurrency, async (p) => ({ p, nodes: await wiki.listChildren(spaceId, p.token) }))
    first = false
    const children: RemoteNode[] = []
    for (const { p, nodes } of listed) {
      const list: RemoteNode[] = []
      for (const node of nodes) {
        if (byToken.has(node.node_token)) continue // a node seen twice (a server quirk): once is enough
        const rn: RemoteNode = { node, listed: true }
        byToken.set(node.node_token, rn)
        parentOf.set(node.node_token, p.token ?? '')
        seenOrder.set(node.node_token, seenOrder.size)
        list.push(rn)
      }
      if (p.parent) p.parent.children = list
      else rootChildren.push(...list)
      children.push(...list)
    }
    await mapPool(children, options.concurrency, async (rn) => {
      if (!isDocx(rn.node) || rn.node.node_token === stateNode) return
      const key = stateKeyOf.get(rn.node.node_token)
      const entry = key !== undefined ? state!.pages[key] : undefined
      const choice = firstBlockChoice({ stateNamesIt: entry?.doc === rn.node.obj_token, createdBySelf: createdBy(rn.node, self), selfKnown: Boolean(self) })
      if (choice === 'from-state') {
        rn.stateKey = key
        rn.state = entry
        return
      }
      if (choice === 'not-ours') return // another identity's page: never read to look for a marker
      try {
        reads++
        const first = await readFirstPage(docx, rn.node.obj_token)
        rn.marker = first.marker
        rn.empty = first.empty
        if (first.marker && first.blocks) rn.blocks = first.blocks
      } catch (error) {
        // Not known to be ours, so never changed; but a page of ours may hide behind the failed read, so a page
        // that would be created in its place names this read instead of blaming a foreign page (plan.ts).
        rn.unreadable = (error as Error).message
        options.debug?.(`could not read the first block of "${rn.node.title}" (${rn.node.node_token}): ${rn.unreadable}`)
      }
    })
    const next: { parent: RemoteNode; token: string }[] = []
    for (const rn of children) {
      let key = rn.stateKey
      if (key === undefined) {
        const marker = rn.marker && sameRepository(rn.marker.sourceUrl, options.repository) ? rn.marker : undefined
        rn.marker = marker
        if (!marker && isUnfinished(rn, self, options.wantedTitles)) {
          // Created by a run that was stopped before writing it: ours, and so are the pages under it (never made again).
          rn.unfinished = true
          if (rn.node.has_child) next.push({ parent: rn, token: rn.node.node_token })
          else rn.children = []
        }
        if (!marker) continue
        if (marker.document !== undefined && marker.document !== rn.node.obj_token) {
          // A marker pasted from another page (it names that page's document): not ours, never changed.
          copiedMarkers.push(rn)
          continue
        }
        if (marker.document === undefined && self && !createdBy(rn.node, self)) continue // an old marker on another identity's page
        key = marker.repoPath
      }
      if (!candidates.has(key)) candidates.set(key, [])
      candidates.get(key)!.push(rn)
      if (key === options.archiveKey) continue
      if (rn.node.has_child) next.push({ parent: rn, token: rn.node.node_token })
      else rn.children = []
    }
    level = next
  }
  options.debug?.(`scan: ${byToken.size} node(s) listed, ${reads} first block(s) read${state ? ' (sync state used)' : ''}`)

  // One node per key: the state's node, else the oldest; later copies are left alone.
  const owned = new Map<string, RemoteNode>()
  const duplicates: RemoteNode[] = []
  for (const [key, nodes] of candidates) {
    nodes.sort(
      (a, b) =>
        Number(b.stateKey !== undefined) - Number(a.stateKey !== undefined) ||
        createdAt(a.node) - createdAt(b.node) ||
        seenOrder.get(a.node.node_token)! - seenOrder.get(b.node.node_token)!,
    )
    const [firstNode, ...rest] = nodes
    firstNode!.key = key
    owned.set(key, firstNode!)
    duplicates.push(...rest)
  }
  return finish({ rootToken, rootChildren, owned, byToken, parentOf, duplicates, copiedMarkers, self, scanState, complete: true }, options.archiveKey)
}

/**
 * `changed` mode with a usable state: the owned pages come from the state; only parent-node and the parents of
 * the pages the push touches are listed (to see their current edit time and same-titled siblings). A listed
 * parent that lacks a page the state puts there means the state is stale: the caller scans in full instead.
 */
async function targetedScan(
  options: ScanOptions,
  rootNodes: WikiNode[],
  state: SyncState,
  loaded: LoadedState,
  listKeys: Set<string>,
): Promise<RemoteTree | { stale: string }> {
  const { rootToken } = options
  const root = rootToken ?? ''
  const byToken = new Map<string, RemoteNode>()
  const parentOf = new Map<string, string>()
  const owned = new Map<string, RemoteNode>()
  const self = options.self ?? state.self
  for (const [key, entry] of Object.entries(state.pages)) {
    const node: WikiNode = {
      space_id: options.spaceId,
      node_token: entry.node,
      obj_token: entry.doc,
      obj_type: 'docx',
      parent_node_token: entry.parent,
      node_type: 'origin',
      has_child: false,
      title: entry.title,
      obj_edit_time: entry.edit,
      ...(self ? { creator: self, node_creator: self } : {}),
    }
    const rn: RemoteNode = { node, key, stateKey: key, state: entry, children: [] }
    byToken.set(entry.node, rn)
    parentOf.set(entry.node, entry.parent)
    owned.set(key, rn)
  }
  for (const rn of owned.values()) {
    const parent = byToken.get(rn.node.parent_node_token)
    if (parent && parent.key !== options.archiveKey) {
      parent.children!.push(rn)
      parent.node.has_child = true
    }
  }
  const rootChildren: RemoteNode[] = []
  const adopt = (parentToken: string, nodes: WikiNode[]): RemoteNode[] | string => {
    const list: RemoteNode[] = []
    const seen = new Set<string>()
    for (const node of nodes) {
      seen.add(node.node_token)
      const known = byToken.get(node.node_token)
      if (known?.state && known.state.doc === node.obj_token && createdBy(node, self)) {
        known.node = node
        known.listed = true
        list.push(known)
        continue
      }
      const rn: RemoteNode = { node, listed: true }
      byToken.set(node.node_token, rn)
      parentOf.set(node.node_token, parentToken)
      list.push(rn)
    }
    for (const rn of owned.values()) {
      if (rn.state!.parent === parentToken && !seen.has(rn.node.node_token)) return `"${rn.node.title}" is no longer where the state puts it`
    }
    return list
  }
  const top = adopt(root, rootNodes)
  if (typeof top === 'string') return { stale: top }
  rootChildren.push(...top)
  for (const key of listKeys) {
    const rn = owned.get(key)
    if (!rn || rn.listedChildren) continue
    let nodes: WikiNode[]
    try {
      nodes = await options.wiki.listChildren(options.spaceId, rn.node.node_token)
    } catch (error) {
      return { stale: `"${rn.node.title}" could not be listed (${(error as Error).message})` }
    }
    const list = adopt(rn.node.node_token, nodes)
    if (typeof list === 'string') return { stale: list }
    rn.children = list
    rn.listedChildren = true
    rn.node.has_child = list.length > 0
  }
  return finish({
    rootToken,
    rootChildren,
    owned,
    byToken,
    parentOf,
    duplicates: [],
    copiedMarkers: [],
    self,
    scanState: { loaded, used: state },
    complete: false,
  }, options.archiveKey)
}

function finish(t: Omit<RemoteTree, 'ownCreators'>, archiveKey: string): RemoteTree {
  const ownCreators = new Set<string>()
  if (t.self) ownCreators.add(t.self)
  for (const [key, rn] of t.owned) {
    if (key === archiveKey) continue
    const creator = rn.node.node_creator || rn.node.creator
    if (creator && !t.self) ownCreators.add(creator)
  }
  // A listed page of ours whose edit time moved since the action's last write: someone edited it.
  const savedAt = t.scanState.loaded.node?.obj_edit_time
  for (const rn of t.owned.values()) {
    if (!rn.state || !rn.listed) continue
    if (editedSinceState(rn.state, rn.node.obj_edit_time, savedAt)) rn.editedSince = true
  }
  return { ...t, ownCreators }
}

/**
 * Whether a page of ours was edited since the action last wrote it: its listed edit time is not the one the state
 * recorded. A page the state recorded without an edit time (a stopped run saves without listing what it wrote)
 * counts as unedited while its edit time is no later than the state page's (`savedAt`): the state was written
 * after every write of that run, so such an edit is the run's own. A resumed run then reads none of those pages.
 */
export function editedSinceState(entry: PageState, listedEdit: string | undefined, savedAt: string | undefined): boolean {
  const edit = listedEdit ?? ''
  if (edit === entry.edit) return false
  if (entry.edit === '' && !entry.heal && edit !== '' && savedAt && Number(edit) <= Number(savedAt)) return false
  return true
}

/**
 * A page a stopped run (cancelled, timed out, killed) created and did not write: an empty document with no marker,
 * the title of a page we want, made by the identity the action runs as (known: a guess here could take a person's page).
 */
function isUnfinished(rn: RemoteNode, self: string | undefined, wantedTitles: ReadonlySet<string>): boolean {
  return Boolean(self) && rn.empty === true && isDocx(rn.node) && wantedTitles.has(rn.node.title.trim()) && createdBy(rn.node, self)
}

function createdBy(node: WikiNode, self: string | undefined): boolean {
  if (!self) return true
  return (node.node_creator || node.creator) === self
}

export function isDocx(node: WikiNode): boolean {
  return node.obj_type === 'docx' && node.node_type !== 'shortcut' && Boolean(node.obj_token)
}

/**
 * One read per document: the first page of its block list (up to 500 blocks, in document order, so it holds
 * the page block and the marker). When that page is the whole document (most are), the blocks are kept, and
 * comparing the page later needs no second read.
 */
export async function readFirstPage(docx: DocxApi, documentId: string): Promise<{ marker?: Provenance; empty: boolean; blocks?: Block[] }> {
  const page = await docx.listBlocksPage(documentId, DOCX_LIMITS.pageSize)
  const items = page.items ?? []
  const root = items.find((b) => b.block_type === BlockType.page)
  const firstId = root?.children?.[0]
  const empty = root !== undefined && (root.children ?? []).length === 0
  let marker: Provenance | undefined
  if (firstId) {
    const byId = new Map(items.map((b) => [b.block_id, b]))
    const first = byId.get(firstId)
    const subtree: Block[] = []
    if (first && first.block_type !== BlockType.callout) marker = undefined
    else if (first && collect(firstId, byId, subtree)) marker = readMarker(subtree)
    else marker = await readMarkerOnly(docx, documentId)
  }
  return { marker, empty, ...(page.has_more ? {} : { blocks: items }) }
}

function collect(id: string, byId: Map<string, Block>, out: Block[]): boolean {
  const block = byId.get(id)
  if (!block) return false
  out.push(block)
  return (block.children ?? []).every((c) => collect(c, byId, out))
}

/**
 * The document as readExistingDocument would give it, from a complete block listing. The revision is not
 * known (-1): writes always target the latest revision (document_revision_id=-1).
 */
export function existingFromBlocks(documentId: string, title: string, blocks: Block[], marker: Provenance | undefined): ExistingDocument {
  const pageId = blocks.find((b) => b.block_type === BlockType.page)?.block_id ?? documentId
  return { documentId, revisionId: -1, title, tree: treeFromBlocks(blocks, pageId), blocks, marker }
}

/** The marker's source URL is <server>/<owner>/<repo>/…: compare owner and repo, ignoring case like GitHub. */
export function sameRepository(sourceUrl: string, repository: { owner: string; repo: string } | undefined): boolean {
  if (!repository) return true
  try {
    const [owner, repo] = new URL(sourceUrl).pathname.split('/').filter(Boolean)
    return owner?.toLowerCase() === repository.owner.toLowerCase() && repo?.toLowerCase() === repository.repo.toLowerCase()
  } catch {
    return false
  }
}

function createdAt(node: WikiNode): number {
  const n = Number(node.node_create_time)
  return Number.isFinite(n) ? n : Number.POSITIVE_INFINITY
}
