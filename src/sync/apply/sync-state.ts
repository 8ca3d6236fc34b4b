// The sync state in a run: who edited the pages the listing shows as edited (drive metas, 200 a call), what the
// summary says about the state, and the state saved at the end of the run from what the run left each page as
// (state.ts holds the format and the page that stores it; which pages a targeted run lists is plan/reads.ts).
import type { Clock } from '../../clock.js'
import type { DocxApi } from '../../feishu/docx.js'
import type { DriveApi } from '../../feishu/drive.js'
import type { WikiApi, WikiNode } from '../../feishu/wiki.js'
import { type ExecuteResult, metasFailureNote } from './run.js'
import { nextHighWater } from '../plan/plan.js'
import type { RemoteTree } from '../remote/scan.js'
import { type PageState, STATE_VERSION, type StateScope, type SyncState, parseState, saveState } from '../remote/state.js'
import type { DocsTree } from '../source/tree.js'

/**
 * Who edited the owned pages the listing shows as edited since the action's last write (one call per 200).
 * Returns the note for the summary when drive metas could not answer.
 */
export async function nameRemoteEditors(drive: DriveApi, remote: RemoteTree): Promise<string | undefined> {
  const edited = [...remote.owned.values()].filter((rn) => rn.editedSince && !rn.state?.heal)
  if (edited.length === 0) return undefined
  let note: string | undefined
  const metas = await drive.docxMetas(edited.map((rn) => rn.node.obj_token)).catch((error: unknown) => {
    note = metasFailureNote(error)
    return new Map()
  })
  for (const rn of edited) {
    const meta = metas.get(rn.node.obj_token)
    rn.lastEdit = { by: meta?.latestModifyUser, at: meta?.latestModifyTime ?? rn.node.obj_edit_time }
  }
  return note
}

/** What the summary says about the state (once), and about pages that look like ours but are not. */
export function stateNotes(remote: RemoteTree): string[] {
  const notes: string[] = []
  const { loaded, used, staleReason } = remote.scanState
  if (!used) {
    const why = staleReason ? `the sync state is out of date (${staleReason})` : loaded.status === 'missing' ? 'there was no sync state yet' : (loaded.reason ?? 'the sync state could not be used')
    notes.push(`Sync state: ${why}, so this run listed every page and read each page of its own once; it writes a new state for the next run.`)
  }
  if (remote.copiedMarkers.length > 0) {
    notes.push(
      `${remote.copiedMarkers.length} page(s) carry a sync marker copied from another page (it names another document), so they are not feishu-wiki-sync's and were left alone: ` +
        remote.copiedMarkers
          .slice(0, 5)
          .map((rn) => `"${rn.node.title}" (${rn.node.node_token}: its marker names ${rn.marker?.repoPath ?? 'a file'} in document ${rn.marker?.document ?? '?'})`)
          .join(', ') +
        (remote.copiedMarkers.length > 5 ? `, and ${remote.copiedMarkers.length - 5} more` : '') +
        '.',
    )
  }
  return notes
}

export interface SaveInput {
  wiki: WikiApi
  docx: DocxApi
  spaceId: string
  rootToken?: string
  scope: StateScope
  remote: RemoteTree
  executed: ExecuteResult
  tree: DocsTree
  archiveKey: string
  /** An `all` run compared every page: it sets lastFullSync.at. */
  allMode: boolean
  /** The run archived or deleted pages with `max-removals` set: the high-water mark is lowered to what is left. */
  removedOnPurpose: boolean
  clock: Clock
  /**
   * false after a stop (time budget, cancel): what the run wrote is saved without listing it again, since the
   * listing of a large publish takes minutes the stop does not have; the next run's listing tells (editedSinceState).
   */
  listTouched?: boolean
}

/** Builds the state from what the run left each page as, and writes it when it changed. Never fails the run. */
export async function saveSyncState(input: SaveInput): Promise<{ written: boolean; note?: string }> {
  const { remote, executed, wiki, spaceId } = input
  const previous = remote.scanState.used
  try {
    const parentTokenOf = (key: string): string => {
      const parentKey = input.tree.pages.get(key)?.parentKey
      return parentKey === undefined ? (input.rootToken ?? '') : (executed.outcomes.get(parentKey)?.node ?? '')
    }
    const touched = [...executed.outcomes].filter(([, o]) => o.touched && !o.heal && !o.keepPrevious)
    const fresh = input.listTouched === false
      ? new Map<string, WikiNode>()
      : await currentNodes(
          wiki,
          spaceId,
          touched.map(([key, o]) => ({ node: o.node, parent: parentTokenOf(key) })),
        )
    const pages: Record<string, PageState> = {}
    for (const [key, o] of executed.outcomes) {
      const rn = remote.byToken.get(o.node)
      const before = rn?.state ?? previous?.pages[key]
      if (o.keepPrevious || (o.failed && !o.heal)) {
        if (before) pages[key] = before
        continue
      }
      if (o.heal) {
        pages[key] = { node: o.node, doc: o.doc, parent: parentTokenOf(key), title: o.title, edit: '', source: '', heal: true }
        continue
      }
      const node = fresh.get(o.node) ?? (o.touched ? undefined : rn?.node)
      pages[key] = {
        node: o.node,
        doc: o.doc,
        // Not listed after a stop: where the run put it (a moved page is no longer where the scan saw it).
        parent: node?.parent_node_token ?? (o.touched && input.listTouched === false ? parentTokenOf(key) : remote.parentOf.get(o.node)) ?? parentTokenOf(key),
        title: node?.title ?? o.title,
        // Not listed after its write: '' makes the next run look at it once more (never trusts a guess).
        edit: node?.obj_edit_time ?? '',
        source: o.source,
        ...(o.blank ? { blank: true as const } : {}),
        ...(o.anchors ? { anchors: o.anchors } : {}),
      }
    }
    if (executed.archive) {
      const rn = remote.byToken.get(executed.archive.node)
      pages[input.archiveKey] = {
        node: executed.archive.node,
        doc: executed.archive.doc,
        parent: input.rootToken ?? '',
        title: executed.archive.title,
        edit: rn?.node.obj_edit_time ?? '',
        source: '',
      }
    }
    const self = remote.self ?? executed.self ?? previous?.self
    const ownedAfter = Object.keys(pages).filter((k) => k !== input.archiveKey).length
    // The mark of a state the run could not trust (stale) still counts: only max-removals lowers it.
    const mark = nextHighWater(remote.scanState.loaded.state?.lastFullSync?.owned, ownedAfter, input.removedOnPurpose)
    const at = input.allMode ? new Date(input.clock.now()).toISOString() : previous?.lastFullSync?.at
    const lastFullSync = { ...(at ? { at } : {}), owned: mark }
    const existing = remote.scanState.loaded.node
    const result = await saveState(wiki, input.docx, {
      spaceId,
      rootToken: input.rootToken,
      ...(existing ? { existing } : {}),
      ...(remote.scanState.loaded.text !== undefined ? { previousText: remote.scanState.loaded.text } : {}),
      build: (document): SyncState => ({
        version: STATE_VERSION,
        ...input.scope,
        ...(self ? { self } : {}),
        document,
        lastFullSync,
        pages,
      }),
      same: (a, b) => withoutTime(a) === withoutTime(b),
      ...(remote.scanState.loaded.topLevelBlocks !== undefined ? { previousBlocks: remote.scanState.loaded.topLevelBlocks } : {}),
      ...(remote.scanState.loaded.codeBlocks ? { previousCodeBlocks: remote.scanState.loaded.codeBlocks } : {}),
      ...(self ? { self } : {}),
    })
    return { written: result.written }
  } catch (error) {
    return {
      written: false,
      note: `The sync state could not be saved (${(error as Error).message}): the next run lists and reads every page of its own once, then saves it again.`,
    }
  }
}

/** What a state text says, without its checksum and the time of the last full sync (it moves on every `all` run). */
function withoutTime(text: string): string | undefined {
  const { state } = parseState(text)
  if (!state) return undefined
  return JSON.stringify({ ...state, lastFullSync: state.lastFullSync ? { owned: state.lastFullSync.owned } : undefined })
}

/**
 * The nodes as they are now (edit time, parent, title) after this run's writes: a parent with several touched
 * pages is listed (50 a call), a single page is looked up (get_node).
 */
async function currentNodes(wiki: WikiApi, spaceId: string, touched: { node: string; parent: string }[]): Promise<Map<string, WikiNode>> {
  const out = new Map<string, WikiNode>()
  const byParent = new Map<string, string[]>()
  for (const t of touched) byParent.set(t.parent, [...(byParent.get(t.parent) ?? []), t.node])
  for (const [parent, nodes] of byParent) {
    if (nodes.length >= 3) {
      const listed = await wiki.listChildren(spaceId, parent || undefined).catch(() => [] as WikiNode[])
      for (const n of listed) if (nodes.includes(n.node_token)) out.set(n.node_token, n)
    }
    for (const token of nodes) {
      if (out.has(token)) continue
      const node = await wiki.getNode(token).catch(() => undefined)
      if (node) out.set(token, node)
    }
  }
  return out
}
