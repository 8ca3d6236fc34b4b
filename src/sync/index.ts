// Publishing the docs folder into the wiki: loadDocs (local, before the token is spent) and publishDocs.
//
//   resolve the space (my_library → its real id) and parent-node
//   → decide what changed (push compare, or everything)
//   → the wiki as listed, with the sync state (remote/) → plan (plan/) → safety cap
//   → carry it out, or describe it in a dry run (apply/), then save the sync state → results for the report
// The docs on disk (source/) were loaded before the token was spent.
import { createBoardApi } from '../feishu/board.js'
import { beforeExit, unlessStopped } from '../cancel.js'
import { FeishuClient, FeishuError, type FeishuRequest } from '../feishu/client.js'
import { FEISHU_HINTS, describeError } from '../feishu/errors.js'
import { DriveApi } from '../feishu/drive.js'
import { createDocxApi } from '../feishu/docx.js'
import { createMediaApi } from '../feishu/media.js'
import { currentUserOpenId } from '../feishu/user.js'
import { WikiApi, wikiUrlPrefix } from '../feishu/wiki.js'
import { compareCommits } from '../github/changes.js'
import { type GitHubClient, createGitHubClient } from '../github/client.js'
import { Progress } from '../progress.js'
import type { Settings } from '../settings.js'
import { executePlan, removedPageResult } from './apply/run.js'
import { Whiteboards } from './apply/diagrams.js'
import type { GitHubLinkBase } from './source/links.js'
import { type Changes, planSync } from './plan/plan.js'
import { scanWiki } from './remote/scan.js'
import { loadState } from './remote/state.js'
import { nameRemoteEditors, saveSyncState, stateNotes } from './apply/sync-state.js'
import { touchedKeys } from './plan/reads.js'
import { archiveKey, pagesInOrder } from './source/tree.js'
import { groupMessage, groupWarnings } from './warning-groups.js'
import { type PageResult, type PublishContext, type PublishResult, countPages } from './types.js'

export { loadDocs, type DocsSet, type SourceFile } from './source/docs.js'
export type { Log, OtherMappings, PageResult, PageStatus, PageWarning, PublishContext, PublishCounts, PublishResult } from './types.js'

/** Documents written or read at once. docx writes are paced at 3/s per app anyway; reads at 5/s. */
export const CONCURRENCY = 5

const ZERO_SHA = /^0+$/

export async function publishDocs(ctx: PublishContext): Promise<PublishResult> {
  const { settings, docs, log } = ctx
  const calls = { writes: 0, reads: 0 }
  const client = countingClient(ctx.feishu, calls, settings.dryRun)
  const wiki = new WikiApi(client)
  const docx = createDocxApi(client)
  const media = createMediaApi(client)
  const drive = new DriveApi(client)
  const whiteboards = new Whiteboards(createBoardApi(client), settings.plantumlStyle)
  const wikiPrefix = wikiUrlPrefix(settings.baseUrl)
  const notes: string[] = []
  const progress = new Progress(ctx.clock, { line: (l) => (log.progress ?? log.info)(l), group: log.group, endGroup: log.endGroup }, () => calls.writes)

  // The space and the parent page.
  const spaceInput = settings.spaceId ?? ''
  const space = await explain(wiki.getSpace(spaceInput), `space-id '${spaceInput}'`)
  const spaceId = space.space_id
  if (spaceInput !== spaceId) notes.push(`space-id ${spaceInput} is the wiki space ${spaceId}${space.name ? ` (${space.name})` : ''}.`)
  let rootToken: string | undefined
  if (settings.parentNode) {
    const token = nodeTokenOf(settings.parentNode)
    const parent = await explain(wiki.getNode(token), `parent-node '${settings.parentNode}'`)
    if (parent.space_id && parent.space_id !== spaceId) {
      throw new Error(`parent-node '${settings.parentNode}' is in wiki space ${parent.space_id}, not in space-id ${spaceInput} (${spaceId}).`)
    }
    rootToken = parent.node_token
  }

  // What changed.
  const { changes, mode } = await unlessStopped(ctx.stop, decideChanges(ctx))

  // Who the action is: the creator its own pages carry (a user token says so; an app learns it from its nodes).
  let self: string | undefined
  if (settings.auth === 'user') {
    self = await currentUserOpenId(client).catch((error: unknown) => {
      log.debug(`user_info failed (${(error as Error).message}): pages are told apart by their markers only`)
      return undefined
    })
  }

  // The wiki as it is (the listing, the sync state, and reads only where those do not tell), and the plan.
  const archive = archiveKey(docs.tree.rootRepoPath)
  const ordered = pagesInOrder(docs.tree)
  // Until the plan is known: every page is still to do, and each page's document is read once at most.
  progress.track(() => ({ done: 0, total: ordered.length, failed: 0, left: { creates: 0, documents: 0, reads: Math.max(0, ordered.length - calls.reads) } }))
  progress.phase('scan')
  const scope = { repository: repositoryName(settings), space: spaceId, root: rootToken ?? '' }
  // Reading only, so a stop (cancel, time budget) may leave the scan at any point: nothing is half-done.
  const remote = await unlessStopped(ctx.stop, scanWiki({
    wiki,
    docx,
    spaceId,
    rootToken,
    repository: settings.repository,
    archiveKey: archive,
    wantedTitles: new Set(ordered.map((p) => p.title.trim())),
    concurrency: CONCURRENCY,
    self,
    loadState: (nodes) => loadState(docx, nodes, scope, self),
    ...(changes ? { listOnly: (state) => touchedKeys(state, docs.tree, changes) } : {}),
    debug: (m) => log.debug(m),
  }))
  progress.phase('plan')
  const metasNote = await nameRemoteEditors(drive, remote)
  notes.push(...stateNotes(remote), ...(metasNote ? [metasNote] : []))
  const plan = planSync({ tree: docs.tree, remote, onDelete: settings.onDelete, changes, archiveKey: archive, wikiPrefix, maxRemovals: settings.maxRemovals, ownedHighWater: remote.scanState.loaded.state?.lastFullSync?.owned })
  notes.push(...plan.notes)
  if (docs.excluded > 0) notes.push(`${docs.excluded} Markdown file(s) left out by \`exclude\`.`)
  if (docs.files.size === 0) notes.push(`No Markdown file was found under \`${docs.tree.rootRepoPath}\`.`)

  const github = githubBase(settings)
  let pages: PageResult[]
  let stoppedBySafetyCap: string | undefined
  let stopped: PublishResult['stopped']
  if (plan.stop) {
    stoppedBySafetyCap = plan.stop
    progress.finish()
    log.warning(`Safety cap: ${plan.stop}`)
    pages = [
      ...plan.pages.map((p): PageResult => ({
        path: p.page.contentFile?.repoPath ?? p.key,
        title: p.page.title,
        ...(p.existing ? { nodeToken: p.existing.node.node_token, url: wikiPrefix + p.existing.node.node_token } : {}),
        status: 'skipped',
        plan: p.failure ? 'fail' : p.create ? 'create' : 'compare',
        reason: p.failure ?? 'not synced: the run stopped at the safety cap',
        warnings: [],
      })),
      ...plan.removals.map((r) =>
        removedPageResult(r, wikiPrefix, {
          status: r.action === 'report' ? 'orphan' : 'failed',
          plan: r.action,
          reason: r.action === 'report' ? r.reason : `${r.reason}; not ${r.action === 'delete' ? 'deleted' : 'archived'}: safety cap`,
        }),
      ),
    ]
  } else {
    const executed = await executePlan(
      {
        settings,
        docs,
        wiki,
        docx,
        media,
        whiteboards,
        log,
        clock: ctx.clock,
        spaceId,
        rootToken,
        wikiPrefix,
        github,
        archiveKey: archive,
        remote,
        plan,
        changes,
        concurrency: CONCURRENCY,
        stop: ctx.stop,
        progress,
        drive,
        otherMappings: ctx.otherMappings,
      },
      settings.dryRun,
    )
    pages = executed.pages
    progress.finish()
    if (ctx.stop?.signal.aborted) stopped = { reason: ctx.stop.reason() ?? 'stopped', left: executed.left }
    notes.push(...executed.notes)
    if (!settings.dryRun) {
      // After every page it describes: the state the next run starts from. After a stop it is saved without
      // listing what the run wrote (a few calls); after a cancel only if that ends before the runner's next
      // signal, with time left for the summary. Unsaved, the next run finds this run's pages as after a hard kill.
      const stoppedEarly = Boolean(ctx.stop?.signal.aborted)
      const removedOnPurpose = settings.maxRemovals !== undefined && pages.some((p) => p.status === 'archived' || p.status === 'deleted')
      const saving = await beforeExit(ctx.stop, () =>
        saveSyncState({ wiki, docx, spaceId, rootToken, scope, remote, executed, tree: docs.tree, archiveKey: archive, allMode: !changes, clock: ctx.clock, listTouched: !stoppedEarly, removedOnPurpose }),
      )
      if ('skipped' in saving) {
        notes.push(`The sync state was not saved (${saving.skipped}): the next run reads the pages this run wrote once, then saves it.`)
        log.info(`Sync state not saved: ${saving.skipped}.`)
      } else {
        if (saving.done.note) notes.push(saving.done.note)
        log.debug(`sync state: ${saving.done.written ? 'written' : 'unchanged'}`)
      }
    }
  }

  // Files that are not pages of their own but must be reported.
  for (const file of docs.tree.failedIndexFiles) {
    pages.push({
      path: file.repoPath,
      title: file.title ?? file.repoPath,
      status: 'failed',
      reason: `${file.error}; the folder's page lists its pages instead until the file is fixed`,
      warnings: [],
    })
  }
  for (const skipped of docs.skipped) pages.push({ path: skipped.path, title: '', status: 'skipped', reason: skipped.reason, warnings: [] })

  // Annotations for the author (the report writes the complete list to the log).
  for (const file of docs.files.values()) {
    if (file.error && file.errorLine) log.warning(file.error, { file: file.repoPath, line: file.errorLine })
  }
  // One annotation per kind per file, at its first line with the count (warning-groups.ts); every one in the log.
  for (const group of groupWarnings(pages)) {
    const w = group.first
    const where = group.file.endsWith('.md') ? { file: group.file, ...(w.line > 0 ? { line: w.line, column: w.column } : {}) } : undefined
    log.warning(`${group.file}: ${groupMessage(group)}`, where)
  }
  for (const w of docs.warnings ?? []) log.warning(`${w.file}: ${w.message}`, { file: w.file, line: w.line })
  for (const page of pages) {
    for (const w of page.warnings) log.info(`${page.path}${w.line > 0 ? `:${w.line}` : ''}: ${w.message}`)
  }

  const result: PublishResult = {
    pages,
    counts: countPages(pages),
    writeCalls: calls.writes,
    readCalls: calls.reads,
    notes,
    ...(stoppedBySafetyCap ? { stoppedBySafetyCap } : {}),
    ...(stopped ? { stopped } : {}),
    dryRun: settings.dryRun,
    mode,
    wiki: { spaceId, ...(rootToken ? { parentNode: rootToken, parentUrl: wikiPrefix + rootToken } : {}) },
  }
  log.info(
    `Wiki: ${result.counts.created} created, ${result.counts.updated} updated, ${result.counts.unchanged} unchanged, ` +
      `${result.counts.failed} failed; ${calls.writes} write and ${calls.reads} read calls.`,
  )
  return result
}

/**
 * A view of the client that counts logical calls (retries are not counted twice) and, in a dry run, refuses
 * any call that is not a read: a dry run makes zero writes by construction, not by care.
 */
function countingClient(feishu: FeishuClient, calls: { writes: number; reads: number }, dryRun: boolean): FeishuClient {
  const counted = Object.create(feishu) as FeishuClient
  counted.request = async <T>(req: FeishuRequest): Promise<T> => {
    if (req.method === 'GET' || req.readOnly) calls.reads++
    else {
      if (dryRun) throw new Error(`dry run: refusing the write ${req.endpoint}`)
      calls.writes++
    }
    return feishu.request<T>(req)
  }
  return counted
}

async function decideChanges(ctx: PublishContext): Promise<{ changes?: Changes; mode: NonNullable<PublishResult['mode']> }> {
  const { settings } = ctx
  const all = (reason: string) => ({ mode: { effective: 'all' as const, reason } })
  if (settings.mode === 'all') return all('mode: all')
  const push = settings.eventName === 'push'
  if (settings.mode === 'auto' && !push) return all(`mode: auto on a ${settings.eventName || 'non-push'} event compares every page`)
  const { before, after } = settings.push
  if (!push || !before || !after) return all('no push information (before/after) to compare, so every page was compared')
  if (ZERO_SHA.test(before)) return all('the push created the branch (before is 0000000), so every page was compared')
  const repo = settings.repository
  let github: GitHubClient | undefined = ctx.github
  if (!github && settings.githubToken) github = createGitHubClient({ token: settings.githubToken, baseUrl: settings.githubApiUrl })
  if (!github || !repo) return all('no GitHub token to read the push’s changes, so every page was compared')
  try {
    const files = await compareCommits(github, repo.owner, repo.repo, before, after)
    const changes: Changes = { changed: new Set(), renames: new Map(), removed: new Set() }
    for (const f of files) {
      if (f.status === 'removed') changes.removed.add(f.path)
      else changes.changed.add(f.path)
      if (f.previousPath && f.status === 'renamed') changes.renames.set(f.path, f.previousPath)
    }
    return { changes, mode: { effective: 'changed', reason: `${files.length} file(s) changed in ${before.slice(0, 7)}…${after.slice(0, 7)}` } }
  } catch (error) {
    return all(`comparing ${before.slice(0, 7)}…${after.slice(0, 7)} failed (${(error as Error).message}), so every page was compared`)
  }
}

function repositoryName(settings: Settings): string {
  return settings.repository ? `${settings.repository.owner}/${settings.repository.repo}`.toLowerCase() : ''
}

function githubBase(settings: Settings): GitHubLinkBase {
  return {
    serverUrl: settings.githubServerUrl,
    owner: settings.repository?.owner ?? 'unknown-owner',
    repo: settings.repository?.repo ?? 'unknown-repo',
    ref: settings.refName || 'HEAD',
  }
}

/** A node token, or the last path segment of a wiki page URL (https://…/wiki/<token>?…). */
export function nodeTokenOf(input: string): string {
  const trimmed = input.trim()
  const m = /\/wiki\/([A-Za-z0-9]+)/.exec(trimmed)
  return m ? m[1]! : trimmed
}

async function explain<T>(promise: Promise<T>, what: string): Promise<T> {
  try {
    return await promise
  } catch (error) {
    if (error instanceof FeishuError && error.code !== undefined && FEISHU_HINTS[error.code]) {
      throw new Error(`${what}: ${describeError(error)}`, { cause: error })
    }
    throw error
  }
}
