// What a run reads and writes per page, decided without I/O (apply/run.ts only carries these choices out):
//   - which pages get their content compared at all (`all`: every page; `changed`: what the push touched);
//   - whether a page the action wrote before can be left unread (the sync state vouches for it);
//   - what a page edited in Feishu since the action's last write gets under `on-remote-edit`.
import type { OnRemoteEdit } from '../../settings.js'
import type { PageState } from '../remote/state.js'
import type { Changes, Plan } from './plan.js'

/** The questions decideContent asks about the source, answered by the caller (they read the docs set). */
export interface ContentInputs {
  plan: Plan
  /** undefined = `all` mode. */
  changes?: Changes
  /** The parent token of a node, as listed. */
  parentOf: (token: string) => string | undefined
  /** Page keys a page's content links to (a folder page: its children). */
  linkTargets: (key: string) => Set<string>
  /** Repo paths of files a page links to (its hrefs that name a file of the repository). */
  linkedRepoPaths: (key: string) => string[]
}

const INDEX_FILES = ['index.md', 'README.md', 'readme.md']

/**
 * Which pages get their content compared and written. `all`: every page. `changed`: pages whose file the push
 * changed, new and renamed pages, folder lists whose children changed, and pages linking to a page that appears
 * or disappears in this run (their link changes between GitHub and the wiki).
 */
export function contentToCompare(input: ContentInputs): Set<string> {
  const { plan, changes } = input
  const all = new Set(plan.pages.filter((p) => !p.failure).map((p) => p.key))
  if (!changes) return all
  const structural = new Set<string>()
  for (const p of plan.pages) if (p.create || p.adopted || p.renamedFrom || p.retitle || p.move || p.failure) structural.add(p.key)
  for (const r of plan.removals) structural.add(r.key)
  const parentsLeft = new Set(plan.removals.map((r) => input.parentOf(r.remote.node.node_token)))
  // The folder a page moves out of lists it no more (the folder it moves into has it among its children, which
  // are structural when renamed or moved).
  for (const p of plan.pages) {
    if (p.existing && (p.renamedFrom !== undefined || p.move)) parentsLeft.add(input.parentOf(p.existing.node.node_token))
  }
  const renamedTo = new Set(changes.renames.keys())
  const out = new Set<string>()
  for (const p of plan.pages) {
    if (p.failure) continue
    const file = p.page.contentFile?.repoPath
    if (p.create || p.adopted || p.renamedFrom) out.add(p.key)
    else if (file && (changes.changed.has(file) || renamedTo.has(file))) out.add(p.key)
    else if (!file && p.page.kind === 'folder') {
      const indexGone = INDEX_FILES.some((n) => changes.removed.has(`${p.page.repoPath}/${n}`))
      const childChanged = p.page.children.some((k) => structural.has(k)) || parentsLeft.has(p.existing?.node.node_token)
      if (indexGone || childChanged) out.add(p.key)
    } else if ([...input.linkTargets(p.key)].some((k) => structural.has(k))) out.add(p.key)
    // Removed files a page links to: in `structural` through their removal key.
    else if (input.linkedRepoPaths(p.key).some((repoPath) => changes.removed.has(repoPath))) out.add(p.key)
  }
  return out
}

/**
 * A page the action wrote before needs no read when the sync state vouches for it: the listing shows no edit
 * since the action's last write, the last write did not fail half-way, the node still hosts the same document,
 * and the source gives exactly what was written then (same fingerprint).
 */
export function canSkipRead(page: { created: boolean; state?: PageState; editedSince?: boolean; sameDocument: boolean; source: string }): boolean {
  const { state } = page
  return !page.created && state !== undefined && !state.heal && !page.editedSince && page.sameDocument && state.source === page.source
}

/**
 * A page of ours whose listed edit time moved past the state's (someone touched it since the action's last write):
 *   write  go on as usual (no edit, a heal of our own failed write, `overwrite`, or only comments/resizes);
 *   probe  read the page and compare its content with the hash its marker holds (a comment, a resized image or
 *          column moves the edit time too, but is not an edit of the content: only a content edit triggers the
 *          policy), then ask again with `contentEdited`;
 *   keep / fail  the policy.
 */
export function remoteEditVerdict(
  policy: OnRemoteEdit,
  page: { editedSince?: boolean; heal?: boolean; contentEdited?: boolean },
): 'write' | 'probe' | 'keep' | 'fail' {
  if (!page.editedSince || page.heal || policy === 'overwrite') return 'write'
  if (page.contentEdited === undefined) return 'probe'
  return page.contentEdited ? policy : 'write'
}
