// Reading the wiki side: which pages under parent-node belong to the action, and where they are.
//
// Starting at parent-node (or the space's top level), every child is listed (wiki list, 50 per page, paging
// while has_more even after an empty page). Each docx child's first block is read (one docx read, 5/s) to find
// the provenance marker; a marker that names this repository makes the page ours, keyed by its repo path. The
// scan goes down into our own pages only: what lies under a page we do not own is not ours to manage, and an
// own page moved there by a person is left where it is (a new one is made in its place).
//
// One kind of page of ours has no marker: one a run created and was stopped (cancelled, timed out, killed)
// before writing. It is an empty document with the title of a page we want, made by the identity the action
// runs as; the scan goes down into it too (the pages under it are ours and must not be made again), and the
// plan takes it over. That identity is the creator of the pages we own; when we own none yet, it is asked once.
import { type Block, BlockType } from '../blocks/model.js'
import { DOCX_LIMITS, type DocxApi } from '../feishu/docx.js'
import type { WikiApi, WikiNode } from '../feishu/wiki.js'
import { treeFromBlocks } from './block-diff.js'
import { type ExistingDocument, readMarkerOnly } from './document.js'
import { type Provenance, readMarker } from './marker.js'
import type { RemoteNode, RemoteTree } from './plan.js'
import { mapPool } from './pool.js'

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
  debug?: (message: string) => void
  /** Who the action is (the open_id wiki nodes list as creator), when it can tell; asked at most once, only when needed. */
  whoAmI?: () => Promise<string | undefined>
}

export async function scanWiki(options: ScanOptions): Promise<RemoteTree> {
  const { wiki, docx, spaceId, rootToken } = options
  const byToken = new Map<string, RemoteNode>()
  const parentOf = new Map<string, string>()
  const seenOrder = new Map<string, number>()
  const candidates = new Map<string, RemoteNode[]>()
  const rootChildren: RemoteNode[] = []
  const knownCreators = new Set<string>()
  let self: Promise<string | undefined> | undefined
  const isSelf = async (creator: string): Promise<boolean> => {
    if (knownCreators.has(creator)) return true
    self ??= (options.whoAmI?.() ?? Promise.resolve(undefined)).catch((error: unknown) => {
      options.debug?.(`could not tell who the action is: ${(error as Error).message}`)
      return undefined
    })
    return (await self) === creator
  }

  let level: { parent?: RemoteNode; token?: string }[] = [{ token: rootToken }]
  while (level.length > 0) {
    // List this level's parents, then read the markers of all their children.
    const listed = await mapPool(level, options.concurrency, async (p) => ({ p, nodes: await wiki.listChildren(spaceId, p.token) }))
    const children: RemoteNode[] = []
    for (const { p, nodes } of listed) {
      const list: RemoteNode[] = []
      for (const node of nodes) {
        if (byToken.has(node.node_token)) continue // a node seen twice (a server quirk): once is enough
        const rn: RemoteNode = { node }
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
      if (!isDocx(rn.node)) return
      try {
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
    const unmarked: RemoteNode[] = []
    for (const rn of children) {
      if (!rn.marker || !sameRepository(rn.marker.sourceUrl, options.repository)) {
        rn.marker = rn.marker && sameRepository(rn.marker.sourceUrl, options.repository) ? rn.marker : undefined
        if (!rn.marker && rn.empty && isDocx(rn.node) && options.wantedTitles.has(rn.node.title.trim())) unmarked.push(rn)
        continue
      }
      const creator = rn.node.node_creator || rn.node.creator
      if (creator) knownCreators.add(creator)
      const key = rn.marker.repoPath
      if (!candidates.has(key)) candidates.set(key, [])
      candidates.get(key)!.push(rn)
      if (key === options.archiveKey) continue
      if (rn.node.has_child) next.push({ parent: rn, token: rn.node.node_token })
      else rn.children = []
    }
    for (const rn of unmarked) {
      const creator = rn.node.node_creator || rn.node.creator
      if (!creator || !(await isSelf(creator))) continue
      rn.unfinished = true
      if (rn.node.has_child) next.push({ parent: rn, token: rn.node.node_token })
      else rn.children = []
    }
    level = next
  }

  // One node per key: the oldest; later copies (a person duplicated a page, marker included) are left alone.
  const owned = new Map<string, RemoteNode>()
  const duplicates: RemoteNode[] = []
  for (const [key, nodes] of candidates) {
    nodes.sort((a, b) => createdAt(a.node) - createdAt(b.node) || seenOrder.get(a.node.node_token)! - seenOrder.get(b.node.node_token)!)
    const [first, ...rest] = nodes
    first!.key = key
    owned.set(key, first!)
    duplicates.push(...rest)
  }
  const ownCreators = new Set<string>()
  for (const [key, rn] of owned) {
    if (key === options.archiveKey) continue
    const creator = rn.node.node_creator || rn.node.creator
    if (creator) ownCreators.add(creator)
  }
  const me = await self
  if (me) ownCreators.add(me)
  return { rootToken, rootChildren, owned, byToken, parentOf, duplicates, ownCreators }
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
