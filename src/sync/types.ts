// The publishing engine's public types (re-exported by src/sync/index.ts).
import type { Stop } from '../cancel.js'
import type { Clock } from '../clock.js'
import type { FeishuClient } from '../feishu/client.js'
import type { GitHubClient } from '../github/client.js'
import type { Settings } from '../settings.js'
import type { PageWarning } from './source/convert.js'
import type { DocsSet } from './source/docs.js'

export type { PageWarning } from './source/convert.js'
export type { DocsSet } from './source/docs.js'

export interface Log {
  info(message: string): void
  warning(message: string, where?: { file: string; line?: number; column?: number }): void
  debug(message: string): void
  /** Log groups, one per phase (the runner folds them). */
  group?(title: string): void
  endGroup?(): void
  /** A progress line (a terminal redraws it in place); default: info. */
  progress?(line: string): void
}

export interface PublishContext {
  settings: Settings
  docs: DocsSet
  feishu: FeishuClient
  /** For the push's compare; without it (and without settings.githubToken) `changed` falls back to `all`. */
  github?: GitHubClient
  clock: Clock
  log: Log
  /** The other mappings of the run (src/mappings.ts), so links between them reach their pages. */
  otherMappings?: OtherMappings
  /** Cancellation (or the time budget): start no new work once aborted; stop waiting at the deadline. */
  stop?: Stop
}

/** What one mapping's publish shares with the others of its run. */
export interface OtherMappings {
  /** Called once this mapping's nodes exist (or never will): repo path of a file or folder → its node token. */
  nodesKnown(tokens: ReadonlyMap<string, string>): void
  /** Resolves once every mapping of the run has called nodesKnown. */
  allKnown(): Promise<void>
  /** The node token of another mapping's page, by the repo path a link names (after allKnown). */
  nodeToken(repoPath: string): string | undefined
}

export type PageStatus = 'created' | 'updated' | 'unchanged' | 'moved' | 'archived' | 'deleted' | 'orphan' | 'failed' | 'skipped'


export interface PageResult {
  /** The source file (a folder page: its index file, or the folder path with a trailing slash). */
  path: string
  title: string
  /** Where the title came from when it is neither front matter `title` nor a heading ("book/src/SUMMARY.md", "file name"). */
  titleFrom?: string
  nodeToken?: string
  url?: string
  status: PageStatus
  /** Dry run (or a stopped run): what would happen — create, update, move, unchanged, archive, delete, report. */
  plan?: string
  /** Why it failed, or what happened besides the content (renamed from …, moved, archived instead of deleted). */
  reason?: string
  warnings: PageWarning[]
  /** The wiki page had been edited by hand since the last sync (and the edit was overwritten). */
  remoteEdited?: boolean
}

export interface PublishCounts {
  created: number
  updated: number
  unchanged: number
  failed: number
  moved: number
  archived: number
  deleted: number
  orphans: number
}

export interface PublishResult {
  pages: PageResult[]
  counts: PublishCounts
  /** Feishu calls that change something (POST/PATCH/PUT/DELETE), one per logical request. */
  writeCalls: number
  readCalls: number
  notes: string[]
  /** Set when a cancel (or the time budget) stopped the run: why, and how many pages it left for the next run. */
  stopped?: { reason: string; left: number }
  /** Set when the safety cap stopped the run before any write. */
  stoppedBySafetyCap?: string
  dryRun?: boolean
  /** The effective sync mode and why. */
  mode?: { effective: 'changed' | 'all'; reason: string }
  wiki?: { spaceId: string; parentNode?: string; parentUrl?: string }
}

export function countPages(pages: readonly PageResult[]): PublishCounts {
  const counts: PublishCounts = { created: 0, updated: 0, unchanged: 0, failed: 0, moved: 0, archived: 0, deleted: 0, orphans: 0 }
  for (const p of pages) {
    if (p.status === 'orphan') counts.orphans++
    else if (p.status !== 'skipped') counts[p.status]++
  }
  return counts
}
