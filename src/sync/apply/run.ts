// Carrying a plan out (or, in a dry run, describing it without a single write).
//
// Order of work, so every link target exists before content mentions it and the limits are used in parallel:
// 1. Structure, a few wiki calls at a time (node create: 100/min per app), parents before children and
//    siblings in order (the API has no position; a node created later lands last): create, move, retitle.
//    Between parents, link targets go first (./order.ts).
// 2. Content, up to `concurrency` documents at once (docx writes: 3/s per app and per document, reads 5/s; the
//    client's pacer holds every class to its limit). A page's content starts as soon as its own node is
//    ready and every page it links to that is created in this run has its node, so documents are written while
//    later nodes are still being created.
// 3. Removals (archive / delete), after the moves that take kept pages out of removed folders.
// One failing page never stops the others.
import type { Stop } from '../../cancel.js'
import type { Progress, ProgressSnapshot } from '../../progress.js'
import { createHash } from 'node:crypto'
import type { Clock } from '../../clock.js'
import { FeishuError } from '../../feishu/client.js'
import { describeError } from '../../feishu/errors.js'
import type { DocxApi } from '../../feishu/docx.js'
import type { MediaApi } from '../../feishu/media.js'
import type { WikiApi, WikiNode } from '../../feishu/wiki.js'
import type { DriveApi } from '../../feishu/drive.js'
import type { Settings } from '../../settings.js'
import { fillLinks, refusedScheme } from '../../markdown/index.js'
import { DOCX_LIMITS } from '../../blocks/limits.js'
import type { BatchUpdateRequest } from '../../feishu/docx.js'
import { type ConvertedSource, convertSource } from '../source/convert.js'
import { type DocsSet, isRepoDirectory, loadAsset, repoPathExists, repoStat } from '../source/docs.js'
import { type HeadingAnchors, anchorSlug, headingAnchors, missingAnchorWarning } from '../source/anchors.js'
import type { Whiteboards } from './diagrams.js'
import { DocumentSyncError, type DocumentConversion, type DocumentSyncInput, type ExistingDocument, editedInFeishu, readExistingDocument, syncDocument } from './document.js'
import { ARCHIVE_TITLE, archiveMarkdown, folderListMarkdown, folderVirtualPath } from '../source/generated.js'
import { type RepoFiles, unresolvedLink } from '../source/link-check.js'
import { type GitHubLinkBase, type LinkTarget, classifyLink, githubUrl, resolveTarget } from '../source/links.js'
import { elementsOf } from '../../markdown/link-slots.js'
import { treeFromDescendants, walkTree } from './block-diff.js'
import type { Changes, PagePlan, Plan, RemovalPlan, RemoteNode, RemoteTree } from '../plan/plan.js'
import { structureOrder } from '../plan/order.js'
import { canSkipRead, contentToCompare, remoteEditVerdict } from '../plan/content.js'
import { WorkQueue } from '../pool.js'
import { editedSinceState, existingFromBlocks, readFirstPage } from '../remote/scan.js'
import type { PageState } from '../remote/state.js'
import type { SourcePage } from '../source/tree.js'
import type { Log, OtherMappings, PageResult, PageWarning } from '../types.js'

export interface EngineContext {
  settings: Settings
  docs: DocsSet
  wiki: WikiApi
  docx: DocxApi
  media: MediaApi
  /** Diagrams into whiteboards, for the whole run. */
  whiteboards: Whiteboards
  log: Log
  clock: Clock
  spaceId: string
  rootToken?: string
  wikiPrefix: string
  github: GitHubLinkBase
  archiveKey: string
  remote: RemoteTree
  plan: Plan
  /** undefined = `all` mode: every page is compared with its wiki document. */
  changes?: Changes
  concurrency: number
  otherMappings?: OtherMappings
  /** Cancellation or the time budget: no new work once aborted, no more waiting at the deadline. */
  stop?: Stop
  progress?: Progress
  /** For who edited a page since the action's last write (drive metas). */
  drive: DriveApi
}

/** What the run leaves each page of the plan as, for the sync state (state.ts). */
export interface PageOutcome {
  node: string
  doc: string
  title: string
  /** Fingerprint of what the page now holds from its source; '' when not known (not compared in this run). */
  source: string
  /** Written, created, moved or retitled by this run: its edit time must be listed again before the state is saved. */
  touched: boolean
  /** Left as a person edited it (on-remote-edit keep/fail): the state keeps its previous entry, so it is found again. */
  keepPrevious?: boolean
  /** Its write began and failed: the next run rewrites it without calling it a person's edit. */
  heal?: boolean
  /** Made by the action (this run or one before) and not written yet: still empty. */
  blank?: boolean
  failed: boolean
  /** Block ids of the headings #anchor links of the docs point at, by slug (state.ts). */
  anchors?: Record<string, string>
}

export interface ExecuteResult {
  pages: PageResult[]
  notes: string[]
  /** Pages a stop left for the next run (not created, not written, or cut off while being written). */
  left: number
  outcomes: Map<string, PageOutcome>
  /** The node of the Archived page, when there is one. */
  archive?: { node: string; doc: string; title: string }
  /** The creator id of a node this run created (the action's own identity). */
  self?: string
}

/** Wiki calls in flight at once in the structure phase (the pacer keeps them within 100 per minute). */
const STRUCTURE_CONCURRENCY = 3

/** After a create with no clear answer, wait this long before looking whether it was made (not documented: our margin). */
const CREATE_SETTLE_MS = 2_000

/** Wait for an asynchronous delete task at most this long (polled once a second). */
const DELETE_TASK_TIMEOUT_MS = 60_000

export async function executePlan(ctx: EngineContext, dryRun: boolean): Promise<ExecuteResult> {
  return new Run(ctx, dryRun).execute()
}

class Run {
  private readonly tokens = new Map<string, string>()
  private readonly docIds = new Map<string, string>()
  private readonly created = new Set<string>()
  private readonly results = new Map<string, PageResult>()
  private readonly notes: string[] = []
  /** Children known per parent token ('' = space top level): a lost create is found by a token not in here. */
  private readonly knownChildren = new Map<string, Set<string>>()
  /** Our own open_id, learned from the first node we create. */
  private self?: string
  private readonly moveFailed = new Set<string>()
  private readonly plannedCreates = new Set<string>()
  private readonly waiting = new Map<string, Set<string>>()
  private readonly dependents = new Map<string, Set<string>>()
  private readonly structureDone = new Set<string>()
  private readonly started = new Set<string>()
  /** Pages whose content is being written, and those whose content job ran to its end (written, unchanged or failed). */
  private readonly writing = new Set<string>()
  private readonly finished = new Set<string>()
  private readonly queue: WorkQueue
  private readonly byKey: Map<string, PagePlan>
  private readonly contentNeeded: Set<string>
  private readonly repoFiles: RepoFiles
  /** Fingerprints of what each page now holds from its source (compared or written in this run). */
  private readonly sources = new Map<string, string>()
  /** Pages whose write was begun (a failed one is healed by the next run). */
  private readonly writeBegun = new Set<string>()
  /** Pages whose document this run changed. */
  private readonly written = new Set<string>()
  /** Pages left as a person edited them (on-remote-edit keep/fail). */
  private readonly keptAsEdited = new Set<string>()
  /** Generated pages (folder lists): converted once per run, their links classified once. */
  private readonly generated = new Map<string, PageSource>()
  /** Each page's heading anchors (slug → temporary block id), read from its one conversion. */
  private readonly headings = new Map<string, HeadingAnchors | undefined>()
  /** Heading block ids by slug, per page: from the sync state, then from what this run wrote or read. */
  private readonly anchorIds = new Map<string, Map<string, string>>()
  /** Per page, the slugs some #anchor link of the docs points at (kept in the sync state). */
  private readonly wantedAnchors = new Map<string, Set<string>>()
  /** What each page this run wrote or compared now holds: the URL of each link slot, and its block ids when known. */
  private readonly held = new Map<string, { urls: (string | undefined)[]; blockIds?: ReadonlyMap<string, string> }>()
  /** Pages the push did not change, compared because the state could not vouch for them (addStalePages). */
  private readonly compareOnly = new Set<string>()

  constructor(
    private readonly ctx: EngineContext,
    private readonly dryRun: boolean,
  ) {
    this.queue = new WorkQueue(ctx.concurrency)
    this.byKey = new Map(ctx.plan.pages.map((p) => [p.key, p]))
    for (const [token, parent] of ctx.remote.parentOf) this.children(parent).add(token)
    for (const p of ctx.plan.pages) {
      if (p.existing) {
        this.tokens.set(p.key, p.existing.node.node_token)
        this.docIds.set(p.key, p.existing.node.obj_token)
      }
      if (p.create) this.plannedCreates.add(p.key)
      const known = p.existing?.state?.anchors
      if (known) this.anchorIds.set(p.key, new Map(Object.entries(known)))
      const file = p.page.contentFile ? ctx.docs.files.get(p.page.contentFile.repoPath) : undefined
      for (const target of file?.targets ?? []) {
        const wanted = anchorOf(p.key, target)
        if (!wanted) continue
        if (!this.wantedAnchors.has(wanted.key)) this.wantedAnchors.set(wanted.key, new Set())
        this.wantedAnchors.get(wanted.key)!.add(anchorSlug(wanted.anchor))
      }
    }
    this.contentNeeded = this.decideContent()
    const { docs } = ctx
    this.repoFiles = {
      exists: (repoPath) => repoStat(docs, repoPath) !== undefined,
      notPublished: (repoPath) => {
        const root = docs.tree.rootRepoPath
        const mine = root === '.' || repoPath.startsWith(`${root}/`)
        return mine && /\.md$/i.test(repoPath) && !docs.tree.fileKeys.has(repoPath) && !docs.tree.singleFile ? 'is left out of the wiki (exclude, or a hidden name)' : undefined
      },
    }
  }

  async execute(): Promise<ExecuteResult> {
    const { plan } = this.ctx
    // Results for every page first (the failures decided by the plan included).
    for (const p of plan.pages) this.results.set(p.key, this.initialResult(p))
    if (this.ctx.changes) await this.addStalePages()

    if (this.dryRun) return this.describe()

    // Content waits for its own node and for the nodes of the pages it links to that are created in this run.
    for (const p of plan.pages) {
      if (p.failure || !this.contentNeeded.has(p.key)) continue
      const pending = new Set([...this.linkTargets(p.page)].filter((k) => k !== p.key && this.plannedCreates.has(k)))
      this.waiting.set(p.key, pending)
      for (const k of pending) {
        if (!this.dependents.has(k)) this.dependents.set(k, new Set())
        this.dependents.get(k)!.add(p.key)
      }
    }
    for (const p of plan.pages) if (p.existing && !p.move && !p.retitle && !p.failure) this.markReady(p.key)

    const { progress } = this.ctx
    progress?.track(() => this.snapshot())
    const work = (async () => {
      // 1. Structure: siblings one after the other (creation order is the only order the API knows), different
      //    parents side by side, a few wiki calls in flight at most.
      progress?.phase('structure')
      await this.structureAll()
      this.ctx.otherMappings?.nodesKnown(this.nodeTokensByRepoPath())
      // Whatever still waits (a target failed after all): go, its links fall back to GitHub.
      for (const key of this.waiting.keys()) this.tryStart(key, true)

      // 3. Removals (the wiki class is free now), while content is still being written.
      if (!this.stopped() && plan.removals.length > 0) {
        progress?.phase('removals')
        await this.removals()
      }
      progress?.phase('documents')
      await this.queue.idle()
      await this.fillAnchors()
    })()
    // After a stop, the work in flight gets until the deadline; what it has not finished by then is reported as left.
    await Promise.race([work, this.ctx.stop?.deadline ?? work])
    const left = this.markLeft()
    // Taken when the sync state is saved (first read): a create still in flight at the deadline may have answered by then.
    let outcomes: Map<string, PageOutcome> | undefined
    const take = () => (outcomes ??= this.outcomes())
    return { pages: this.finalResults(), notes: this.notes, left, get outcomes() { return take() }, ...this.archiveAndSelf() }
  }

  /** Counts for the progress line: pages done (created and written, or nothing to do, or failed) and the work left. */
  private snapshot(): ProgressSnapshot {
    const s: ProgressSnapshot = {
      done: 0,
      total: this.ctx.plan.pages.length,
      failed: 0,
      nodes: { done: this.created.size, total: this.plannedCreates.size },
      written: [...this.finished].filter((k) => this.created.has(k) || this.results.get(k)!.status === 'updated').length,
      left: { creates: 0, documents: 0, reads: 0 },
    }
    for (const p of this.ctx.plan.pages) {
      const failed = this.results.get(p.key)!.status === 'failed'
      const nodeDone = !p.create || this.created.has(p.key)
      const contentDone = !this.contentNeeded.has(p.key) || this.finished.has(p.key)
      if (failed) s.failed++
      if (failed || (nodeDone && contentDone && this.structureDone.has(p.key))) {
        s.done++
        continue
      }
      if (!nodeDone) s.left.creates++
      if (!contentDone) {
        // A new page is one write at least; an existing one a compare (one read unless the scan held it), then a write if it changed.
        if (p.create || p.adopted || this.ctx.changes) s.left.documents++
        if (!p.create && !p.existing?.blocks) s.left.reads++
      }
    }
    return s
  }

  private stopped(): boolean {
    return this.ctx.stop?.signal.aborted ?? false
  }

  /** After a stop: the pages this run did not finish, with what the next run does about them. */
  private markLeft(): number {
    if (!this.stopped()) return 0
    let left = 0
    for (const p of this.ctx.plan.pages) {
      const result = this.results.get(p.key)!
      if (p.failure || result.status === 'failed') continue
      const nodeMissing = p.create && !this.created.has(p.key)
      const contentMissing = this.contentNeeded.has(p.key) && !this.finished.has(p.key)
      if (!nodeMissing && !contentMissing) continue
      left++
      if (this.writing.has(p.key) && !this.finished.has(p.key)) {
        result.status = 'failed'
        result.reason = `cut off while being written (run ${this.ctx.stop!.reason()}); the next run finishes it`
      } else {
        result.status = 'skipped'
        result.reason = nodeMissing
          ? `not created: the run was ${this.ctx.stop!.reason()}; the next run creates it`
          : `page created, content not written: the run was ${this.ctx.stop!.reason()}; the next run writes it`
      }
    }
    return left
  }

  private outcomes(): Map<string, PageOutcome> {
    const out = new Map<string, PageOutcome>()
    for (const p of this.ctx.plan.pages) {
      const node = this.tokens.get(p.key)
      const doc = this.docIds.get(p.key)
      const result = this.results.get(p.key)!
      if (!node || !doc) continue
      const failed = result.status === 'failed'
      out.set(p.key, {
        node,
        doc,
        title: p.retitle && !failed ? p.retitle.to : (p.existing?.node.title ?? p.page.title),
        source: failed ? '' : (this.sources.get(p.key) ?? p.existing?.state?.source ?? ''),
        touched: this.created.has(p.key) || this.written.has(p.key) || Boolean(p.move || p.retitle),
        ...(this.keptAsEdited.has(p.key) ? { keepPrevious: true } : {}),
        ...(failed && this.writeBegun.has(p.key) ? { heal: true } : {}),
        ...((this.created.has(p.key) || p.existing?.state?.blank) && !this.writeBegun.has(p.key) ? { blank: true } : {}),
        failed,
        ...this.anchorsOf(p.key),
      })
    }
    return out
  }

  private archiveAndSelf(): Pick<ExecuteResult, 'archive' | 'self'> {
    const existing = this.ctx.remote.owned.get(this.ctx.archiveKey)
    const archive = existing
      ? { node: existing.node.node_token, doc: existing.node.obj_token, title: existing.node.title }
      : this.archiveNode
        ? { node: this.archiveNode.node_token, doc: this.archiveNode.obj_token, title: this.archiveNode.title }
        : undefined
    return { ...(archive ? { archive } : {}), ...(this.self ? { self: this.self } : {}) }
  }

  // ---- structure -----------------------------------------------------------------------------------------

  /**
   * Sends the structure calls, at most STRUCTURE_CONCURRENCY at once. A page is ready once its parent and its
   * previous sibling are done (siblings go one after the other: creation order is the only order the API
   * knows); of the ready pages the one earliest in `structureOrder` goes first, so link targets get their nodes
   * early and the run's last wiki minute holds pages few documents wait for (see ./order.ts).
   */
  private async structureAll(): Promise<void> {
    const pages = this.ctx.plan.pages
    const rank = structureOrder(
      pages.map((p) => ({ key: p.key, parentKey: p.page.parentKey })),
      this.waiting,
    )
    const childrenOf = new Map<string | undefined, PagePlan[]>()
    const nextSibling = new Map<PagePlan, PagePlan>()
    for (const p of pages) {
      const siblings = childrenOf.get(p.page.parentKey) ?? []
      if (siblings.length > 0) nextSibling.set(siblings.at(-1)!, p)
      siblings.push(p)
      childrenOf.set(p.page.parentKey, siblings)
    }
    /** What a finished page makes ready: its next sibling and its first child. */
    const nextOf = (p: PagePlan): PagePlan[] => [nextSibling.get(p), childrenOf.get(p.key)?.[0]].filter((n) => n !== undefined)
    const ready = childrenOf.get(undefined)?.slice(0, 1) ?? []
    let active = 0
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (active < STRUCTURE_CONCURRENCY && ready.length > 0 && !this.stopped()) {
          ready.sort((a, b) => rank.get(a.key)! - rank.get(b.key)!)
          const p = ready.shift()!
          active++
          // A page that failed in the plan keeps its node, if it has one, as it is (children may still go under it).
          const work = p.failure ? Promise.resolve() : this.structure(p)
          void work
            .catch((error: unknown) => this.fail(p.key, describeError(error)))
            .finally(() => {
              active--
              ready.push(...nextOf(p))
              pump()
            })
        }
        if (active === 0 && (ready.length === 0 || this.stopped())) resolve()
      }
      pump()
    })
  }

  private async structure(p: PagePlan): Promise<void> {
    const { wiki } = this.ctx
    const result = this.results.get(p.key)!
    const parentToken = p.page.parentKey === undefined ? (this.ctx.rootToken ?? '') : this.tokens.get(p.page.parentKey)
    if (parentToken === undefined) {
      const parent = this.ctx.docs.tree.pages.get(p.page.parentKey!)!
      this.fail(p.key, `its parent page "${parent.title}" could not be created`)
      this.nodeUnavailable(p.key)
      return
    }
    try {
      if (p.create) {
        const node = await this.createNode(parentToken, p.page.title)
        this.tokens.set(p.key, node.node_token)
        this.docIds.set(p.key, node.obj_token)
        this.created.add(p.key)
        result.nodeToken = node.node_token
        result.url = this.ctx.wikiPrefix + node.node_token
      } else if (p.existing) {
        const token = p.existing.node.node_token
        if (p.move) {
          try {
            await wiki.moveNode(this.ctx.spaceId, token, parentToken)
          } catch (error) {
            this.moveFailed.add(token)
            throw error
          }
          this.children(p.move.fromParentToken).delete(token)
          this.children(parentToken).add(token)
        }
        if (p.retitle) await wiki.updateTitle(this.ctx.spaceId, token, p.retitle.to)
      }
    } catch (error) {
      this.fail(p.key, describeError(error))
      if (p.create) this.nodeUnavailable(p.key)
      return
    }
    this.markReady(p.key)
  }

  /**
   * Create a docx node. Create has no idempotency token, so an answer that may have been lost (network error,
   * timeout, 5xx) is followed by a look at the parent's children: a node with this title that was not there
   * before (and, once we know who we are, was created by us) is ours; only if there is none is the create sent
   * again. So a lost answer never leaves a duplicate page.
   */
  private async createNode(parentToken: string, title: string): Promise<WikiNode> {
    const { wiki, spaceId } = this.ctx
    const known = this.children(parentToken)
    for (let attempt = 1; ; attempt++) {
      try {
        const node = await wiki.createNode(spaceId, parentToken || undefined, title)
        this.self ??= node.node_creator || node.creator || undefined
        known.add(node.node_token)
        return node
      } catch (error) {
        if (!(error instanceof FeishuError && error.ambiguous) || attempt >= 3) throw error
        this.ctx.log.info(`Creating "${title}" got no clear answer (${error.message}); checking whether it was created.`)
        // A create that timed out may still be running at the server: look only once it has had time to finish.
        await this.ctx.clock.sleep(CREATE_SETTLE_MS)
        const children = await wiki.listChildren(spaceId, parentToken || undefined)
        const found = children.find(
          (n) =>
            !known.has(n.node_token) &&
            n.title === title &&
            n.obj_type === 'docx' &&
            (this.self === undefined || n.node_creator === this.self || n.creator === this.self),
        )
        if (found) {
          known.add(found.node_token)
          this.ctx.log.info(`"${title}" had been created (${found.node_token}); not creating it again.`)
          return found
        }
      }
    }
  }

  private children(parentToken: string): Set<string> {
    let set = this.knownChildren.get(parentToken)
    if (!set) {
      set = new Set()
      this.knownChildren.set(parentToken, set)
    }
    return set
  }

  // ---- content scheduling --------------------------------------------------------------------------------

  private markReady(key: string): void {
    this.structureDone.add(key)
    this.tryStart(key, false)
    this.release(key)
  }

  /** The page will have no node in this run: pages waiting for it go on (their link points at GitHub). */
  private nodeUnavailable(key: string): void {
    this.release(key)
  }

  private release(key: string): void {
    for (const dep of this.dependents.get(key) ?? []) {
      this.waiting.get(dep)?.delete(key)
      this.tryStart(dep, false)
    }
  }

  private tryStart(key: string, force: boolean): void {
    if (this.started.has(key) || !this.structureDone.has(key)) return
    const pending = this.waiting.get(key)
    if (!pending || (pending.size > 0 && !force)) return
    if (this.results.get(key)!.status === 'failed' || this.stopped()) return
    this.started.add(key)
    this.queue.push(async () => {
      if (this.stopped()) return // queued before the stop, not begun: left for the next run
      this.writing.add(key)
      await this.writeContent(this.byKey.get(key)!)
      this.finished.add(key)
    })
  }

  /**
   * Bring the page's document in line with its conversion, links filled in (or, in dry-run, say what would
   * change). Without `conversion` the page is filled now and its warnings go to `result`.
   */
  private syncPage(p: PagePlan, result: PageResult, documentId: string, existing: ExistingDocument | undefined, dryRun: boolean, conversion?: DocumentConversion) {
    return syncDocument(this.ctx.docx, this.ctx.media, this.documentInput(p, result, documentId, existing, dryRun, conversion))
  }

  private documentInput(p: PagePlan, result: PageResult, documentId: string, existing: ExistingDocument | undefined, dryRun: boolean, conversion?: DocumentConversion): DocumentSyncInput {
    if (!conversion) {
      const filled = this.fill(p.page)
      result.warnings = filled.warnings
      conversion = filled.conversion
    }
    return {
      documentId,
      existing,
      conversion,
      provenance: { ...this.provenance(p.page), document: documentId, onRemoteEdit: this.ctx.settings.onRemoteEdit },
      loadAsset: (repoPath) => loadAsset(this.ctx.docs, repoPath),
      whiteboards: this.ctx.whiteboards,
      dryRun,
    }
  }

  private async writeContent(p: PagePlan): Promise<void> {
    const result = this.results.get(p.key)!
    const documentId = this.docIds.get(p.key)!
    try {
      // Links into another mapping need its nodes.
      await this.ctx.otherMappings?.allKnown()
      const created = this.created.has(p.key)
      if (!created && !(await this.remoteEditAllows(p, result))) return
      const filled = this.fill(p.page)
      result.warnings = filled.warnings
      const source = await this.fingerprint(p, documentId, filled.conversion)
      const known = p.existing?.state
      if (canSkipRead({ created, state: known, editedSince: p.existing?.editedSince, sameDocument: p.existing?.node.obj_token === documentId, source })) {
        // As the action last wrote it (no edit since, per the listing), and the source gives the same page: no read.
        this.sources.set(p.key, source)
        this.held.set(p.key, { urls: filled.urls })
        return
      }
      // A page a stopped run made and never wrote, unedited since: still empty, as if made now (no read).
      const blank = created || (known?.blank === true && !p.existing!.editedSince && p.existing!.node.obj_token === documentId)
      const existing = blank ? undefined : await this.existingDocument(p, documentId)
      this.writeBegun.add(p.key)
      const sync = await this.syncPage(p, result, documentId, existing, false, filled.conversion)
      this.held.set(p.key, { urls: filled.urls, blockIds: sync.blockIds })
      this.learnAnchors(p.key, sync.blockIds)
      if (this.compareOnly.has(p.key) && sync.status !== 'unchanged') {
        this.ctx.log.info(`${result.path}: differs from its source although this push did not change it (${sync.summary}); updating it.`)
      }
      // An image or diagram left unfilled is retried: no source fingerprint, so the next run reads the page again.
      this.sources.set(p.key, sync.incomplete ? '' : source)
      if (sync.status !== 'unchanged') this.written.add(p.key)
      for (const w of sync.warnings) result.warnings.push({ line: 0, column: 0, message: w, code: 'write' })
      for (const w of sync.lineWarnings) result.warnings.push({ line: w.line, column: 1, message: w.message, code: 'diagram' })
      if (sync.status === 'created') result.status = 'created'
      else if (sync.status === 'updated') result.status = 'updated'
      if (sync.remoteEdited) {
        result.remoteEdited = true
        const who = this.editedBy.get(p.key)
        if (who !== undefined) {
          result.reason = [result.reason, `edited in Feishu ${who} since the last sync; overwritten from the source (on-remote-edit: overwrite)`].filter(Boolean).join('; ')
        }
      }
      this.ctx.log.debug(`${result.path}: ${sync.summary} (${sync.writeCalls} write calls)`)
    } catch (error) {
      this.fail(p.key, error instanceof DocumentSyncError ? error.message : describeError(error))
    }
  }

  /**
   * A page of ours edited since the action's last write (its listed edit time moved past the state's), and the
   * on-remote-edit policy: overwrite (go on, and say who edited when), keep (leave it, report it) or fail. A page
   * the state knows but this run did not list (a targeted `changed` run) is looked up first (get_node). Under keep
   * and fail the page is read once and compared with its marker's hash first: a comment or a resize moves the
   * edit time too but changes no content, and does not trigger the policy (plan/content.ts remoteEditVerdict).
   * The document read for that comparison is kept for the write (existingDocument): one read either way.
   */
  private async remoteEditAllows(p: PagePlan, result: PageResult): Promise<boolean> {
    const rn = p.existing
    if (!rn?.state) return true
    if (!rn.listed) {
      const node = await this.ctx.wiki.getNode(rn.node.node_token)
      if (node.obj_token !== rn.state.doc) throw new Error(`the page ${rn.node.node_token} no longer hosts the document the sync state names`)
      rn.node = { ...rn.node, ...node }
      rn.listed = true
      rn.editedSince = editedSinceState(rn.state, node.obj_edit_time, this.ctx.remote.scanState.loaded.node?.obj_edit_time)
    }
    const policy = this.ctx.settings.onRemoteEdit
    const page = { editedSince: rn.editedSince, heal: rn.state.heal }
    let verdict = remoteEditVerdict(policy, page)
    if (verdict === 'probe') {
      const documentId = rn.node.obj_token
      const existing = await this.existingDocument(p, documentId)
      this.readForProbe.set(p.key, existing)
      // The body against its marker's hash, without planning a diff: the page's one diff is its write's.
      const contentEdited = await editedInFeishu(this.documentInput(p, result, documentId, existing, true))
      result.warnings = [] // reported when the page is written
      verdict = remoteEditVerdict(policy, { ...page, contentEdited })
      if (verdict === 'write') this.ctx.log.debug(`${result.path}: edited in Feishu since the last sync, but only comments or sizes: not a content edit`)
    }
    if (!rn.editedSince || rn.state.heal) return true
    if (!rn.lastEdit) {
      const metas = await this.ctx.drive.docxMetas([rn.node.obj_token]).catch((error: unknown) => {
        this.noteMetasFailure(error)
        return new Map()
      })
      const meta = metas.get(rn.node.obj_token)
      rn.lastEdit = { by: meta?.latestModifyUser, at: meta?.latestModifyTime ?? rn.node.obj_edit_time }
    }
    const who = describeEdit(rn.lastEdit, this.ctx.remote.self)
    if (verdict === 'write') {
      // Reported only if the comparison finds a change to our content (writeContent): a comment or a resized
      // image moves the edit time too, and is left alone (src/blocks/canonical.ts).
      this.editedBy.set(p.key, who)
      return true
    }
    result.remoteEdited = true
    this.keptAsEdited.add(p.key)
    if (verdict === 'keep') {
      result.status = 'skipped'
      result.plan = 'keep'
      result.reason = [result.reason, `edited in Feishu ${who} since the last sync; left as edited (on-remote-edit: keep)`].filter(Boolean).join('; ')
      return false
    }
    this.fail(p.key, `edited in Feishu ${who} since the last sync; left alone (on-remote-edit: fail). Copy the edit into the source, or run once with on-remote-edit: overwrite`)
    return false
  }

  /** Pages read to tell a comment from an edit (remoteEditAllows): the write uses that read. */
  private readonly readForProbe = new Map<string, ExistingDocument>()

  private metasFailed = false
  /** Pages whose edit time moved (on-remote-edit: overwrite): who edited, for the report if the content changed. */
  private readonly editedBy = new Map<string, string>()

  private noteMetasFailure(error: unknown): void {
    if (this.metasFailed) return
    this.metasFailed = true
    this.notes.push(metasFailureNote(error))
  }

  /** What the page will hold from its source: the conversion, its provenance and the bytes of its images. */
  private async fingerprint(p: PagePlan, documentId: string, conversion: DocumentConversion): Promise<string> {
    const hash = createHash('sha256')
    const provenance = { ...this.provenance(p.page), document: documentId, onRemoteEdit: this.ctx.settings.onRemoteEdit }
    hash.update(JSON.stringify({ title: p.page.title, provenance, conversion }))
    for (const asset of conversion.assets ?? []) {
      if (!asset.repoPath) continue
      const bytes = await loadAsset(this.ctx.docs, asset.repoPath)
      hash.update(`\0${asset.repoPath}\0`)
      if (bytes) hash.update(bytes)
    }
    return hash.digest('hex').slice(0, 32)
  }

  /** The page as it is: from the scan's listing when that held the whole document, else read now. */
  private async existingDocument(p: PagePlan, documentId: string) {
    const probed = this.readForProbe.get(p.key)
    if (probed?.documentId === documentId) return probed
    const rn = p.existing
    if (rn?.blocks && rn.node.obj_token === documentId) return existingFromBlocks(documentId, rn.node.title, rn.blocks, rn.marker)
    // One read when the first page of blocks is the whole document (most are); writes target the latest
    // revision (-1), so the document's own revision is not needed.
    const first = await readFirstPage(this.ctx.docx, documentId)
    if (first.blocks) return existingFromBlocks(documentId, rn?.node.title ?? '', first.blocks, first.marker)
    return readExistingDocument(this.ctx.docx, documentId)
  }

  /** The page's one conversion of the run (loadDocs made it; a folder list is made here, once) and its link targets. */
  private sourceOf(page: SourcePage): PageSource {
    if (page.contentFile) {
      const file = this.ctx.docs.files.get(page.contentFile.repoPath)!
      if (!file.converted) throw new Error(`${file.repoPath} was not converted${file.error ? `: ${file.error}` : ''}`)
      return { converted: file.converted, targets: file.targets, from: file.repoPath }
    }
    let source = this.generated.get(page.key)
    if (!source) {
      const from = folderVirtualPath(page)
      const converted = convertSource(folderListMarkdown(page, this.ctx.docs.tree), from)
      converted.warnings = [] // generated text: nothing the author could fix
      source = { converted, targets: converted.slots.map((slot) => classifyLink(slot.href, from, this.ctx.docs.tree)), from }
      this.generated.set(page.key, source)
    }
    return source
  }

  /**
   * The page's conversion with its links filled in from what is known now (node tokens, heading block ids),
   * without converting again; the warnings for the report: the converter's, then one per link at its line.
   */
  private fill(page: SourcePage): Filled {
    const { converted, targets, from } = this.sourceOf(page)
    const linkWarnings: PageWarning[] = []
    const urls = converted.slots.map((slot, i) => {
      const { url, warning } = this.resolveSlot(page, from, slot.href, targets[i]!)
      if (warning) linkWarnings.push({ line: slot.line, column: slot.column, message: warning, code: 'link' })
      return url
    })
    const blocks = fillLinks(converted.conversion.blocks, converted.slots, (_, i) => urls[i], (url) => refusedScheme(url) !== undefined)
    return { conversion: { ...converted.conversion, blocks }, warnings: [...converted.warnings, ...linkWarnings], urls }
  }

  /** Where one link leads now, and what the author should know about it. */
  private resolveSlot(page: SourcePage, from: string, href: string, target: LinkTarget): { url?: string; warning?: string } {
    const anchored = this.anchorUrl(page, href, target)
    if (anchored) return anchored
    const r = resolveTarget(href, target, from, {
      tree: this.ctx.docs.tree,
      wikiPrefix: this.ctx.wikiPrefix,
      github: this.ctx.github,
      nodeToken: (key) => this.tokens.get(key),
      isDirectory: (repoPath) => isRepoDirectory(this.ctx.docs, repoPath),
      exists: (repoPath) => repoPathExists(this.ctx.docs, repoPath),
    })
    if (r.target.kind === 'repo') {
      // A page of another mapping of this run, else a file of the repository (on GitHub) that should exist.
      const other = this.ctx.otherMappings?.nodeToken(r.target.repoPath)
      if (other) return { url: this.ctx.wikiPrefix + other }
      const leftOut = unresolvedLink(href, r.target, this.repoFiles)
      if (leftOut) return { url: r.url, warning: leftOut }
    }
    // A link that leaves the repository: the converter warned at its line already.
    return { url: r.url, ...(r.warning && r.target.kind !== 'outside' ? { warning: r.warning } : {}) }
  }

  /**
   * A link to a heading of a page of this mapping (`other.md#part`, `#part`): the heading's block once its id is
   * known (`<page url>#<block_id>`), else the page itself; a heading the target does not have is warned about.
   * Undefined for any other link, and for a page without a node (it falls back to GitHub like other links).
   */
  private anchorUrl(page: SourcePage, href: string, target: LinkTarget): { url?: string; warning?: string } | undefined {
    const wanted = anchorOf(page.key, target)
    const token = wanted && this.tokens.get(wanted.key)
    if (!wanted || !token) return undefined
    const pageUrl = this.ctx.wikiPrefix + token
    const slug = anchorSlug(wanted.anchor)
    const anchors = this.headingsOf(wanted.key)
    if (slug === '' || !anchors) return { url: pageUrl }
    if (!anchors.has(slug)) {
      const which = wanted.key === page.key ? 'this file' : (this.ctx.docs.tree.pages.get(wanted.key)?.contentFile?.repoPath ?? wanted.key)
      return { url: pageUrl, warning: missingAnchorWarning(href, which, wanted.anchor) }
    }
    const id = anchors.get(slug) !== undefined ? this.anchorIds.get(wanted.key)?.get(slug) : undefined
    return { url: id ? `${pageUrl}#${id}` : pageUrl }
  }

  private headingsOf(key: string): HeadingAnchors | undefined {
    if (!this.headings.has(key)) {
      const page = this.ctx.docs.tree.pages.get(key)
      const converted = page?.contentFile ? this.ctx.docs.files.get(page.contentFile.repoPath)?.converted : undefined
      this.headings.set(key, converted ? headingAnchors(converted) : undefined)
    }
    return this.headings.get(key)
  }

  /** The block ids of the page's headings, from the ids its blocks have now (temporary id → block id). */
  private learnAnchors(key: string, blockIds: ReadonlyMap<string, string>): void {
    const anchors = this.headingsOf(key)
    if (!anchors) return
    const ids = new Map<string, string>()
    for (const [slug, temp] of anchors) {
      const id = temp === undefined ? undefined : blockIds.get(temp)
      if (id) ids.set(slug, id)
    }
    this.anchorIds.set(key, ids)
  }

  /** The heading ids the sync state keeps for a page: those some link points at. */
  private anchorsOf(key: string): Pick<PageOutcome, 'anchors'> {
    const wanted = this.wantedAnchors.get(key)
    const ids = this.anchorIds.get(key)
    if (!wanted || !ids) return {}
    const anchors: Record<string, string> = {}
    for (const slug of [...wanted].sort()) {
      const id = ids.get(slug)
      if (id) anchors[slug] = id
    }
    return Object.keys(anchors).length > 0 ? { anchors } : {}
  }

  /**
   * The second, small writer pass. A link to a heading written before the heading's block id was known (its page
   * was written later in this run, it links to its own page, or the id is not in the sync state yet) points at the
   * page. Now that every page of the run is written, those links get their blocks: only the text blocks holding
   * them are updated (update_text_elements, batched), without converting or diffing again. A heading id this run
   * did not write is learnt from one read of its page.
   */
  private async fillAnchors(): Promise<void> {
    if (this.wantedAnchors.size === 0) return
    for (const [key, slugs] of this.wantedAnchors) {
      const anchors = this.headingsOf(key)
      const ids = this.anchorIds.get(key)
      if (this.stopped() || !anchors || this.held.get(key)?.blockIds || this.results.get(key)?.status === 'failed') continue
      if (![...slugs].some((slug) => anchors.get(slug) !== undefined && !ids?.has(slug))) continue
      const blockIds = await this.readBlockIds(key)
      if (blockIds) this.learnAnchors(key, blockIds)
    }
    for (const p of this.ctx.plan.pages) {
      const held = this.held.get(p.key)
      const result = this.results.get(p.key)!
      const documentId = this.docIds.get(p.key)
      if (!held || !documentId || this.stopped() || result.status === 'failed') continue
      const filled = this.fill(p.page)
      const { slots } = this.sourceOf(p.page).converted
      const changed = new Set(slots.flatMap((slot, i) => (filled.urls[i] !== held.urls[i] ? slot.elements.map((e) => e.blockId) : [])))
      if (changed.size === 0) continue
      try {
        const blockIds = held.blockIds ?? (await this.readBlockIds(p.key))
        const requests: BatchUpdateRequest[] = []
        for (const block of filled.conversion.blocks.descendants) {
          const id = changed.has(block.block_id) ? blockIds?.get(block.block_id) : undefined
          const elements = id ? elementsOf(block) : undefined
          if (id && elements) requests.push({ block_id: id, update_text_elements: { elements } } as BatchUpdateRequest)
        }
        if (requests.length === 0) continue
        for (let i = 0; i < requests.length; i += DOCX_LIMITS.batchUpdate) {
          await this.ctx.docx.batchUpdate(documentId, requests.slice(i, i + DOCX_LIMITS.batchUpdate))
        }
        this.written.add(p.key)
        if (result.status === 'unchanged') result.status = 'updated'
        // A block not found keeps its page link: no fingerprint, so the next run compares the page again.
        this.sources.set(p.key, requests.length === changed.size ? await this.fingerprint(p, documentId, filled.conversion) : '')
        this.held.set(p.key, { ...held, urls: filled.urls })
      } catch (error) {
        this.sources.set(p.key, '')
        result.warnings.push({ line: 0, column: 0, code: 'write', message: `links to headings still point at their pages: updating them failed (${describeError(error)}); the next sync tries again` })
      }
    }
  }

  /**
   * The ids a page's blocks have in its document, by the temporary ids of its conversion, for a page this run did
   * not write (so it holds what its fill gives): one read, the body matched block for block in document order.
   * Undefined when the document does not have that shape.
   */
  private async readBlockIds(key: string): Promise<ReadonlyMap<string, string> | undefined> {
    const p = this.byKey.get(key)
    const documentId = this.docIds.get(key)
    if (!p || !documentId) return undefined
    try {
      const existing = await this.existingDocument(p, documentId)
      const body = existing.marker ? existing.tree.children.slice(1) : existing.tree.children
      const actual = [...walkTree(body)]
      const desired = [...walkTree(treeFromDescendants(this.fill(p.page).conversion.blocks))]
      if (actual.length !== desired.length) return undefined
      return new Map(desired.flatMap((d, i): [string, string][] => (d.block.block_type === actual[i]!.block.block_type ? [[d.block.block_id, actual[i]!.block.block_id]] : [])))
    } catch (error) {
      this.ctx.log.debug(`${key}: block ids not read (${describeError(error)})`)
      return undefined
    }
  }

  /** Node tokens by the repo paths that name the pages (files, index files, folders), for the other mappings. */
  private nodeTokensByRepoPath(): Map<string, string> {
    const out = new Map<string, string>()
    const { tree } = this.ctx.docs
    for (const [repoPath, key] of [...tree.fileKeys, ...tree.folderKeys]) {
      const token = this.tokens.get(key)
      if (token) out.set(repoPath, token)
    }
    return out
  }

  private provenance(page: SourcePage): { repoPath: string; sourceUrl: string } {
    const sourceUrl = page.contentFile
      ? githubUrl(this.ctx.github, page.contentFile.repoPath, false)
      : githubUrl(this.ctx.github, page.repoPath, true)
    return { repoPath: page.key, sourceUrl }
  }

  /** Link targets (page keys) of a page's content. */
  private linkTargets(page: SourcePage): Set<string> {
    const out = new Set<string>()
    if (!page.contentFile) {
      for (const k of page.children) out.add(k)
      return out
    }
    const file = this.ctx.docs.files.get(page.contentFile.repoPath)
    for (const t of file?.targets ?? []) if (t.kind === 'page') out.add(t.key)
    return out
  }

  /** Which pages get their content compared and written: decided by the plan (plan/content.ts). */
  private decideContent(): Set<string> {
    const { plan, changes, docs } = this.ctx
    return contentToCompare({
      plan,
      ...(changes ? { changes } : {}),
      parentOf: (token) => this.ctx.remote.parentOf.get(token),
      linkTargets: (key) => this.linkTargets(this.byKey.get(key)!.page),
      linkedRepoPaths: (key) => {
        const file = this.byKey.get(key)!.page.contentFile?.repoPath
        if (!file) return []
        return (docs.files.get(file)?.targets ?? []).flatMap((t) => (t.kind === 'repo' ? [t.repoPath] : []))
      },
    })
  }

  /**
   * `changed` mode: a page the push did not touch may still differ from its source, because an earlier run failed
   * part of the way or someone edited it in Feishu. When the scan's one read held the whole document, comparing
   * it costs no call, so it joins the pages written: its one diff writes only if it differs. A longer document
   * waits for a run in `all` mode.
   */
  private async addStalePages(): Promise<void> {
    for (const p of this.ctx.plan.pages) {
      const known = p.existing?.state
      if (known && !p.failure && !this.contentNeeded.has(p.key) && !p.move && !p.retitle) {
        // With the sync state the comparison is local: the page as the source gives it now against what the
        // action last wrote there (a failed write left '' behind, so a half-written page is healed here too).
        const result = this.results.get(p.key)!
        const filled = this.fill(p.page)
        const source = await this.fingerprint(p, p.existing!.node.obj_token, filled.conversion)
        if (source !== known.source) {
          this.contentNeeded.add(p.key)
          this.ctx.log.info(`${result.path}: differs from its source although this push did not change it; updating it.`)
        } else this.held.set(p.key, { urls: filled.urls })
        continue
      }
      if (p.failure || !p.existing?.blocks || this.contentNeeded.has(p.key) || p.move || p.retitle) continue
      this.contentNeeded.add(p.key)
      this.compareOnly.add(p.key)
    }
  }

  // ---- removals ------------------------------------------------------------------------------------------

  private async removals(): Promise<void> {
    const { plan } = this.ctx
    const keptTokens = new Map<string, string>()
    for (const p of plan.pages) if (p.existing) keptTokens.set(p.existing.node.node_token, p.key)
    const outcome = new Map<string, { status: PageResult['status']; reason: string }>()
    for (const r of plan.removals) {
      if (!r.topMost) continue
      let action = r.action
      let reason = r.reason
      if (action !== 'report') {
        // A kept page that should have moved out first but could not: leave the subtree where it is.
        const stuck = subtreeTokens(r.remote).filter((t) => this.moveFailed.has(t))
        if (stuck.length > 0) {
          action = 'report'
          reason += `; left in place: ${stuck.map((t) => keptTokens.get(t)).join(', ')} could not be moved out of it`
        }
      }
      try {
        if (action === 'archive') {
          await this.archive(r)
          outcome.set(r.key, { status: 'archived', reason })
        } else if (action === 'delete') {
          if (await this.delete(r)) {
            outcome.set(r.key, { status: 'deleted', reason })
          } else {
            await this.archive(r)
            outcome.set(r.key, { status: 'archived', reason: `${reason}; the delete API answered 404, so it was archived instead` })
          }
        } else {
          outcome.set(r.key, { status: 'orphan', reason: `${reason}; left in place (on-delete: ${this.ctx.settings.onDelete})` })
        }
      } catch (error) {
        outcome.set(r.key, { status: 'failed', reason: `${reason}; ${action} failed: ${describeError(error)}` })
      }
    }
    for (const r of plan.removals) {
      const top = outcome.get(r.carriedBy ?? r.key)
      let status = top?.status ?? 'orphan'
      let reason = top?.reason ?? r.reason
      if (r.carriedBy) {
        // Carried along by a removed ancestor: the same fate, counted once per page; never a second failure.
        status = status === 'failed' ? 'orphan' : status
        reason = `${r.reason}; ${status === 'orphan' ? 'stays under' : 'went with'} ${r.carriedBy}`
      }
      this.results.set(`removal:${r.key}`, removedPageResult(r, this.ctx.wikiPrefix, { status, reason }))
    }
  }

  private archiveToken?: string
  private archiveNode?: WikiNode

  private async archive(r: RemovalPlan): Promise<void> {
    const token = await this.ensureArchive()
    await this.ctx.wiki.moveNode(this.ctx.spaceId, r.remote.node.node_token, token)
  }

  /** Deletes the node with its subtree; false when the API answers 404 (not available: archive instead). */
  private async delete(r: RemovalPlan): Promise<boolean> {
    const { wiki, spaceId, clock } = this.ctx
    try {
      const { taskId } = await wiki.deleteNode(spaceId, r.remote.node.node_token, true)
      if (!taskId) return true
      const deadline = clock.now() + DELETE_TASK_TIMEOUT_MS
      while (clock.now() < deadline) {
        await clock.sleep(1000)
        const state = await wiki.getDeleteTask(taskId)
        if (state === 'success') return true
        if (state === 'failed') throw new Error(`the delete task ${taskId} failed`)
      }
      throw new Error(`the delete task ${taskId} did not finish within ${DELETE_TASK_TIMEOUT_MS / 1000} s`)
    } catch (error) {
      // No such API on this server (a plain 404 page, as before the API existed): archive instead.
      if (error instanceof FeishuError && error.httpStatus === 404 && error.code === undefined) return false
      // Already gone (deleted by hand meanwhile): what we wanted.
      if (error instanceof FeishuError && error.code === 131005) return true
      throw error
    }
  }

  /** The "Archived" page under parent-node, owned by the action, made on first use. */
  private async ensureArchive(): Promise<string> {
    if (this.archiveToken) return this.archiveToken
    const existing = this.ctx.remote.owned.get(this.ctx.archiveKey)
    if (existing) {
      this.archiveToken = existing.node.node_token
      return this.archiveToken
    }
    const parent = this.ctx.rootToken ?? ''
    const node = await this.createNode(parent, ARCHIVE_TITLE)
    this.archiveToken = node.node_token
    this.archiveNode = node
    this.notes.push(`Created the page "${ARCHIVE_TITLE}" (${this.ctx.wikiPrefix}${node.node_token}) for removed pages.`)
    const source = `${this.ctx.github.owner}/${this.ctx.github.repo}/${this.ctx.docs.tree.rootRepoPath}`
    try {
      const converted = convertSource(archiveMarkdown(source), this.ctx.archiveKey)
      await syncDocument(this.ctx.docx, this.ctx.media, {
        documentId: node.obj_token,
        conversion: converted.conversion,
        provenance: { repoPath: this.ctx.archiveKey, sourceUrl: githubUrl(this.ctx.github, this.ctx.docs.tree.rootRepoPath, true), document: node.obj_token },
        loadAsset: async () => undefined,
        dryRun: false,
      })
    } catch (error) {
      this.notes.push(`The "${ARCHIVE_TITLE}" page was created but its text could not be written: ${describeError(error)}`)
    }
    return this.archiveToken
  }

  // ---- results -------------------------------------------------------------------------------------------

  private initialResult(p: PagePlan): PageResult {
    const token = p.existing?.node.node_token
    const reasons: string[] = []
    if (p.renamedFrom) reasons.push(`renamed from ${p.renamedFrom}`)
    if (p.adopted) reasons.push('took over an empty page with this title (left by an interrupted run)')
    if (p.move && !p.renamedFrom) reasons.push('moved to its folder')
    if (p.retitle) reasons.push(`retitled from "${p.retitle.from}"`)
    const result: PageResult = {
      path: p.page.contentFile?.repoPath ?? p.key,
      title: p.page.title,
      ...(p.page.titleFrom ? { titleFrom: p.page.titleFrom } : {}),
      ...(token ? { nodeToken: token, url: this.ctx.wikiPrefix + token } : {}),
      // A new title is an update of the page; a move alone is a move.
      status: p.failure ? 'failed' : p.retitle ? 'updated' : p.move ? 'moved' : 'unchanged',
      ...(p.failure ? { reason: p.failure } : reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
      warnings: [],
    }
    return result
  }

  private fail(key: string, reason: string): void {
    const result = this.results.get(key)!
    result.status = 'failed'
    result.reason = [result.reason, reason].filter(Boolean).join('; ')
  }

  private finalResults(): PageResult[] {
    const out: PageResult[] = []
    for (const p of this.ctx.plan.pages) {
      const r = this.results.get(p.key)!
      if (this.created.has(p.key) && r.status === 'unchanged') r.status = 'created'
      out.push(r)
    }
    for (const [key, r] of this.results) if (key.startsWith('removal:')) out.push(r)
    return out
  }

  /** Dry run: what would happen, reading but never writing. */
  private async describe(): Promise<ExecuteResult> {
    const { plan } = this.ctx
    const queue = new WorkQueue(this.ctx.concurrency)
    for (const p of plan.pages) {
      const result = this.results.get(p.key)!
      if (p.failure) {
        result.plan = 'fail'
        continue
      }
      const structural = p.move ? 'move' : p.retitle ? 'retitle' : undefined
      if (p.create) {
        result.status = 'skipped'
        result.plan = 'create'
        continue
      }
      if (!this.contentNeeded.has(p.key)) {
        result.status = structural ? 'skipped' : 'unchanged'
        result.plan = structural ?? 'unchanged'
        continue
      }
      queue.push(async () => {
        try {
          const documentId = p.existing!.node.obj_token
          const existing = await this.existingDocument(p, documentId)
          const sync = await this.syncPage(p, result, documentId, existing, true)
          const content = sync.status === 'unchanged' ? undefined : 'update'
          const what = [content, structural].filter(Boolean).join(' + ')
          result.status = what ? 'skipped' : 'unchanged'
          result.plan = what || 'unchanged'
          if (content) result.reason = [result.reason, sync.summary].filter(Boolean).join('; ')
          if (sync.remoteEdited) result.remoteEdited = true
        } catch (error) {
          this.fail(p.key, describeError(error))
        }
      })
    }
    await queue.idle()
    const pages = plan.pages.map((p) => this.results.get(p.key)!)
    for (const r of plan.removals) {
      pages.push(removedPageResult(r, this.ctx.wikiPrefix, { status: 'orphan', plan: r.action, reason: r.carriedBy ? `${r.reason}; goes with ${r.carriedBy}` : r.reason }))
    }
    return { pages, notes: this.notes, left: 0, outcomes: new Map() }
  }
}

/** A page's one conversion, the link targets of its slots (classified once) and the path its links are read from. */
interface PageSource {
  converted: ConvertedSource
  targets: LinkTarget[]
  from: string
}

/** A conversion with its links filled in, the report's warnings, and the URL written for each link slot. */
interface Filled {
  conversion: DocumentConversion
  warnings: PageWarning[]
  urls: (string | undefined)[]
}

/** The page and heading a link to a heading points at (`#part` on its own page), or undefined. */
function anchorOf(pageKey: string, target: LinkTarget): { key: string; anchor: string } | undefined {
  if (target.kind === 'anchor') return { key: pageKey, anchor: target.anchor }
  if (target.kind === 'page' && target.anchor !== undefined) return { key: target.key, anchor: target.anchor }
  return undefined
}

/** Said once when drive metas cannot tell who edited a page (a missing scope, most likely). */
export function metasFailureNote(error: unknown): string {
  return (
    `Who edited pages in Feishu could not be looked up (drive metas batch_query: ${describeError(error)}), so the summary says "by someone". ` +
    'Enable the scope drive:drive.metadata:readonly (or drive:drive:readonly) for the app; `npx feishu-wiki-sync doctor` checks it.'
  )
}

/** "by <open_id> at <time>" for a remote edit; the action's own identity is named as such. */
function describeEdit(edit: { by?: string; at?: string }, self: string | undefined): string {
  const by = edit.by ? (edit.by === self ? `by ${edit.by} (the identity the action runs as)` : `by ${edit.by}`) : 'by someone'
  const seconds = Number(edit.at)
  const at = Number.isFinite(seconds) && seconds > 0 ? ` at ${new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')}` : ''
  return `${by}${at}`
}

/** The result entry of the page of a removed file (the one place it is built): a deleted page has no URL. */
export function removedPageResult(r: RemovalPlan, wikiPrefix: string, outcome: { status: PageResult['status']; reason: string; plan?: string }): PageResult {
  return {
    path: r.key,
    title: r.remote.node.title,
    nodeToken: r.remote.node.node_token,
    ...(outcome.status === 'deleted' ? {} : { url: wikiPrefix + r.remote.node.node_token }),
    status: outcome.status,
    ...(outcome.plan ? { plan: outcome.plan } : {}),
    reason: outcome.reason,
    warnings: [],
  }
}

function subtreeTokens(root: RemoteNode): string[] {
  const out: string[] = []
  const stack = [...(root.children ?? [])]
  while (stack.length > 0) {
    const n = stack.pop()!
    out.push(n.node.node_token)
    stack.push(...(n.children ?? []))
  }
  return out
}
