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
import { groupWarnings } from '../sync/warning-groups.js'
import { summaryAttr, summaryText } from './escape.js'

type Summary = typeof core.summary

/** What this section may add to the summary (the rest of the report is small). */
export const SUMMARY_BUDGET_BYTES = 900 * 1024
/** UTF-16 code units for the `pages` output: well inside the 1 MB job output limit with the other outputs. */
export const PAGES_OUTPUT_BUDGET = 200_000

// A no-break space keeps each emoji with its word in a narrow column.
const STATUS_LABEL: Record<PageStatus, string> = {
  created: '🆕\u00a0created',
  updated: '✏️\u00a0updated',
  unchanged: 'unchanged',
  moved: '↪️\u00a0moved',
  archived: '🗄️\u00a0archived',
  deleted: '🗑️\u00a0deleted',
  orphan: '⚠️\u00a0orphan (source removed)',
  failed: '❌\u00a0failed',
  skipped: '⏭️\u00a0skipped',
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
  writeWarningGroups(summary, result, budget)
}

/** Every warning, grouped by file and kind, collapsed (annotations show one per kind per file). */
function writeWarningGroups(summary: Summary, result: PublishResult, budget: number): void {
  const groups = groupWarnings(result.pages)
  if (groups.length === 0) return
  const total = groups.reduce((n, g) => n + g.count, 0)
  let html = `<details><summary>${total} warning${total === 1 ? '' : 's'} in ${groups.length} group${groups.length === 1 ? '' : 's'} (by file and kind)</summary><ul>`
  let left = budget - 200
  for (const group of groups) {
    const line = group.first.line > 0 ? `:${group.first.line}` : ''
    const item = `<li><code>${esc(group.file)}${line}</code> ${esc(group.code)} ×${group.count}: ${inline(group.first.message)}</li>`
    const size = Buffer.byteLength(item, 'utf8')
    if (size > left) {
      html += '<li>… more in the log of this step (a job summary is limited to 1 MiB)</li>'
      break
    }
    html += item
    left -= size
  }
  summary.addRaw(`${html}</ul></details>`, true)
}

/** Warnings shown in a page's row; the rest are counted (all of them are annotations and in the log). */
const ROW_WARNINGS = 5
/** Failed pages named in the lead paragraph. */
const LEAD_FAILURES = 5

function tableRow(page: PageResult, dryRun: boolean): string {
  const status = dryRun && page.plan ? `would ${page.plan}` : STATUS_LABEL[page.status]
  const link = page.url ? `<a href="${attr(page.url)}">open</a>` : ''
  const edited = page.remoteEdited ? ' The wiki page had been edited by hand; the edit was replaced by the source.' : ''
  const reason = `${page.reason ?? ''}${edited}`.trim()
  const warnings = page.warnings.slice(0, ROW_WARNINGS).map((w) => `⚠️ ${w.line > 0 ? `line ${w.line}: ` : ''}${inline(w.message)}`)
  if (page.warnings.length > ROW_WARNINGS) warnings.push(`… and ${page.warnings.length - ROW_WARNINGS} more warnings (annotations on the file)`)
  const title = page.titleFrom ? `${page.title} (title from ${page.titleFrom})` : page.title
  const cell = [...(reason ? [inline(reason)] : []), ...warnings].join('<br>')
  return `<tr><td><code>${esc(page.path)}</code></td><td>${esc(title)}</td><td>${esc(status)}</td><td>${link}</td><td>${cell}</td></tr>`
}

/**
 * What needs a person, before anything else in the summary: how many pages of how many failed, and the first few
 * with their reason.
 */
export function writeFailedPagesLead(summary: Summary, result: PublishResult): void {
  const failed = result.pages.filter((page) => page.status === 'failed')
  if (failed.length === 0) return
  const total = result.pages.length
  // Reasons often start with the path itself; the list names it once.
  const reason = (page: PageResult) => {
    const text = page.reason ?? 'failed'
    return text.startsWith(`${page.path} `) ? text.slice(page.path.length + 1) : text
  }
  const items = failed.slice(0, LEAD_FAILURES).map((page) => `<li><code>${esc(page.path)}</code>: ${inline(reason(page))}</li>`)
  if (failed.length > LEAD_FAILURES) items.push(`<li>… and ${failed.length - LEAD_FAILURES} more, listed first in the table below.</li>`)
  summary.addRaw(
    `<p><strong>❌ ${failed.length} of ${total} page${total === 1 ? '' : 's'} failed to publish</strong>` +
      `${failed.length < total ? `; ${othersWere(result)}` : ''}.</p><ul>${items.join('')}</ul>`,
    true,
  )
}

/** What became of the pages that did not fail: a stopped run did not publish them all. */
function othersWere(result: PublishResult): string {
  if (result.stoppedBySafetyCap) return 'the run stopped at the safety cap before changing anything (below)'
  if (result.stopped) return `the run was ${result.stopped.reason} before it published the others (below)`
  return 'the others were published'
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
  return summaryText(text)
}

function attr(text: string): string {
  return summaryAttr(text)
}

/** Escaped text with `code` spans and every URL outside them a link. */
function inline(text: string): string {
  return inlineMarkup(esc(text))
}

/** `code` spans become <code> (kept as typed, to be copied); URLs elsewhere become links. */
export function inlineMarkup(escaped: string): string {
  return escaped
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? `<code>${part.slice(1, -1)}</code>` : linkify(part)))
    .join('')
}

/** Wraps http(s) URLs in escaped text in links; a trailing full stop, comma or bracket is not part of the URL. */
export function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<>"'`]+/g, (match) => {
    const url = match.replace(/[.,;:!?)\]]+$/, '')
    const rest = match.slice(url.length)
    return `<a href="${url.replace(/"/g, '&quot;')}">${url}</a>${rest}`
  })
}
