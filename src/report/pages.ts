// The publishing part of the report: the job summary table and the step outputs.
//
// Limits: a step's summary may hold at most 1 MiB ("each step is restricted to a maximum size of 1MiB",
// https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#adding-a-job-summary), and
// outputs at most 1 MB per job, counted in UTF-16 (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/passing-information-between-jobs).
// A very large tree therefore gets a table cut short with a note, failures first; the full list is always in
// the step's log (publishDocs prints one line per page), and the `pages` output keeps as many entries as fit.
import type * as core from '@actions/core'
import type { Settings } from '../settings.js'
import type { PageResult, PageStatus, PublishResult } from '../sync/types.js'

type Summary = typeof core.summary

/** What this section may add to the summary (the rest of the report is small). */
export const SUMMARY_BUDGET_BYTES = 900 * 1024
/** UTF-16 code units for the `pages` output: well inside the 1 MB job output limit with the other outputs. */
export const PAGES_OUTPUT_BUDGET = 200_000

const STATUS_LABEL: Record<PageStatus, string> = {
  created: '🆕 created',
  updated: '✏️ updated',
  unchanged: 'unchanged',
  moved: '↪️ moved',
  archived: '🗄️ archived',
  deleted: '🗑️ deleted',
  orphan: '⚠️ orphan (source removed)',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
}

const PRIORITY: Record<PageStatus, number> = {
  failed: 0,
  orphan: 1,
  created: 2,
  updated: 2,
  moved: 2,
  archived: 2,
  deleted: 2,
  skipped: 3,
  unchanged: 4,
}

/** `mapping`: the docs folder the pages come from, when the run has several (each gets its own section). */
export function writePagesSummary(summary: Summary, result: PublishResult, settings: Settings, budgetBytes = SUMMARY_BUDGET_BYTES, mapping?: string): void {
  const used = Buffer.byteLength(summary.stringify(), 'utf8')
  let budget = Math.max(64 * 1024, budgetBytes - used)
  const add = (html: string): void => {
    summary.addRaw(html, true)
    budget -= Buffer.byteLength(html, 'utf8') + 1
  }

  add(`<h3>Wiki pages${mapping ? ` from <code>${esc(mapping)}</code>` : ''}${result.dryRun ? ' (dry run: nothing was written)' : ''}</h3>`)
  const c = result.counts
  const parts = [
    `${c.created} created`,
    `${c.updated} updated`,
    `${c.unchanged} unchanged`,
    ...(c.moved ? [`${c.moved} moved`] : []),
    ...(c.archived ? [`${c.archived} archived`] : []),
    ...(c.deleted ? [`${c.deleted} deleted`] : []),
    ...(c.orphans ? [`${c.orphans} orphaned (on-delete: ${settings.onDelete})`] : []),
    `${c.failed} failed`,
  ]
  const where = result.wiki?.parentUrl
    ? ` under <a href="${attr(result.wiki.parentUrl)}">the parent page</a>`
    : result.wiki
      ? ` in wiki space <code>${esc(result.wiki.spaceId)}</code>`
      : ''
  add(`<p>${esc(parts.join(' · '))}${where}. Feishu calls: ${result.writeCalls} writes, ${result.readCalls} reads.</p>`)
  if (result.mode) add(`<p>Mode: <code>${result.mode.effective}</code> (${esc(result.mode.reason)}).</p>`)
  if (result.stoppedBySafetyCap) add(`<p><strong>⛔ Stopped by the safety cap:</strong> ${inline(result.stoppedBySafetyCap)}</p>`)
  if (result.notes.length > 0) add(`<ul>${result.notes.map((n) => `<li>${inline(n)}</li>`).join('')}</ul>`)
  if (result.pages.length === 0) return

  // Failures first, then changes, then the rest; stable within each group.
  const rows = result.pages
    .map((page, index) => ({ page, index }))
    .sort((a, b) => PRIORITY[a.page.status] - PRIORITY[b.page.status] || a.index - b.index)
  const header = '<table><tr><th>File</th><th>Title</th><th>Status</th><th>Wiki page</th><th>Reason</th></tr>'
  const footerReserve = 600
  let table = header
  budget -= Buffer.byteLength(header, 'utf8') + footerReserve
  let shown = 0
  for (const { page } of rows) {
    const row = tableRow(page, Boolean(result.dryRun))
    const size = Buffer.byteLength(row, 'utf8')
    if (size > budget) break
    table += row
    budget -= size
    shown++
  }
  table += '</table>'
  summary.addRaw(table, true)
  if (shown < rows.length) {
    summary.addRaw(
      `<p>… and ${rows.length - shown} more page(s) not shown: a job summary is limited to 1 MiB. The full list is in the log of this step.</p>`,
      true,
    )
  }
}

function tableRow(page: PageResult, dryRun: boolean): string {
  const status = dryRun && page.plan ? `would ${page.plan}` : STATUS_LABEL[page.status]
  const link = page.url ? `<a href="${attr(page.url)}">open</a>` : ''
  const warnings = page.warnings.length > 0 ? ` (${page.warnings.length} warning${page.warnings.length > 1 ? 's' : ''})` : ''
  const edited = page.remoteEdited ? ' The wiki page had been edited by hand; the edit was replaced by the source.' : ''
  const reason = `${page.reason ?? ''}${edited}`.trim()
  return `<tr><td><code>${esc(page.path)}</code></td><td>${esc(page.title)}</td><td>${esc(status)}${esc(warnings)}</td><td>${link}</td><td>${inline(reason)}</td></tr>`
}

/** Step outputs: counts and the `pages` JSON array ({path, title, node_token, url, status[, plan][, reason]}). */
export function pagesOutputs(result: PublishResult, budget = PAGES_OUTPUT_BUDGET): Record<string, string> {
  const entries = result.pages.map((p, index) => ({
    index,
    priority: PRIORITY[p.status],
    json: JSON.stringify({
      path: p.path,
      title: p.title,
      node_token: p.nodeToken ?? null,
      url: p.url ?? null,
      status: p.status,
      ...(p.plan ? { plan: p.plan } : {}),
      ...(p.status === 'failed' && p.reason ? { reason: p.reason } : {}),
    }),
  }))
  let kept = entries
  let total = entries.reduce((n, e) => n + e.json.length + 1, 2)
  const truncated = total > budget
  if (truncated) {
    kept = []
    total = 2
    for (const e of [...entries].sort((a, b) => a.priority - b.priority || a.index - b.index)) {
      if (total + e.json.length + 1 > budget) continue
      kept.push(e)
      total += e.json.length + 1
    }
    kept.sort((a, b) => a.index - b.index)
  }
  const c = result.counts
  return {
    created: String(c.created),
    updated: String(c.updated),
    unchanged: String(c.unchanged),
    failed: String(c.failed),
    moved: String(c.moved),
    archived: String(c.archived),
    deleted: String(c.deleted),
    orphans: String(c.orphans),
    pages: `[${kept.map((e) => e.json).join(',')}]`,
    'pages-truncated': String(truncated),
  }
}

/** One line per page for the log (the complete list, whatever the summary could hold). */
export function pageLogLine(page: PageResult): string {
  const status = page.plan ? `${page.status} (plan: ${page.plan})` : page.status
  return `${page.path}: ${status}${page.url ? ` ${page.url}` : ''}${page.reason ? ` — ${page.reason}` : ''}`
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function attr(text: string): string {
  return esc(text).replace(/"/g, '&quot;')
}

/** Escaped text with `code` spans. */
function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>')
}
