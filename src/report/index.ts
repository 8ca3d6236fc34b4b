// Step 5: what people read. A job summary they can act on, the outputs, and the failure as an annotation.
// Nothing secret goes in: values come from settings fields that are not secrets, and the runner's masks
// cover the rest.
import * as core from '@actions/core'
import type { CheckResult } from '../check/index.js'
import type { WorkflowWarning } from '../keepalive.js'
import { logSafe } from '../log-text.js'
import type { PublishedDocs } from '../mappings.js'
import type { Settings } from '../settings.js'
import type { PublishResult } from '../sync/index.js'
import type { RefreshGuidance } from '../token-guidance.js'
import { annotationTitle, checkLines, writeCheckSummary } from './check.js'
import { summaryPre, summaryText } from './escape.js'
import { SUMMARY_BUDGET_BYTES, inlineMarkup, pageLogLine, pagesOutputs, writeFailedPagesLead, writePagesSummary } from './pages.js'

export interface RotationReport {
  secretDescription: string
  result: 'created' | 'updated'
  attempts: number
  /** When GitHub says the secret was last written, if the token may read it. */
  updatedAt?: string
  refreshTokenExpiresAt: Date
}

export interface RunReport {
  settings?: Settings
  identity?: 'user' | 'app'
  rotation?: RotationReport
  /** What in the running workflow can break the token chain (no concurrency group, no schedule, …). */
  workflowWarnings?: WorkflowWarning[]
  /** mode: check: what publishing would meet. */
  check?: CheckResult
  publish?: PublishedDocs
  /** Why publishing did not happen (rotate-only, or not available). */
  publishSkipped?: string
  failure?: { step: string; guidance: RefreshGuidance }
  /** The run was stopped before it was done ("cancelled (SIGTERM)"): the next run continues. */
  stopped?: string
}

/** A run must start this long before the refresh token expires, to leave time for queueing and the refresh. */
const DEADLINE_MARGIN_MS = 60 * 60 * 1000

export async function writeReport(report: RunReport, now: Date = new Date()): Promise<void> {
  const summary = core.summary
  summary.addHeading('Feishu wiki sync', 2)
  // What needs a person comes first: a failure and its fix, failed pages, then what in the workflow can break the chain.
  if (report.failure) {
    const { guidance } = report.failure
    summary.addRaw(`<p><strong>❌ ${escapeHtml(guidance.title)}</strong></p>`, true)
    summary.addList(guidance.lines.map(inlineHtml))
    if (guidance.causes) {
      summary.addRaw(`<p>${inlineHtml(guidance.causes.heading)}</p>`, true)
      summary.addList(guidance.causes.items.map(inlineHtml))
    }
  }
  if (report.publish) {
    writeFailedPagesLead(summary, report.publish)
    annotateFailedPages(report.publish)
  }
  if (report.workflowWarnings?.length) writeWorkflowWarnings(report.workflowWarnings)
  if (!report.failure && !report.check && !report.publish?.counts.failed && !report.workflowWarnings?.length) {
    summary.addRaw(`<p>✅ ${report.publish ? 'Everything was published' : 'Done'}; nothing needs you.</p>`, true)
  }
  if (report.identity) {
    summary.addRaw(
      `<p>Identity: ${report.identity === 'user' ? 'the authorizing user (user access token, rotated refresh token)' : 'the app (tenant access token; the app must be a member of the wiki space)'}</p>`,
      true,
    )
  }
  if (report.stopped && !report.failure) {
    const left = report.publish?.stopped?.left
    const what = left === undefined ? '' : left === 0 ? ' Every page was done.' : ` ${left.toLocaleString('en-US')} page(s) not yet published; the next run continues.`
    summary.addRaw(`<p><strong>⏹️ The run was ${escapeHtml(report.stopped)}.</strong>${what}</p>`, true)
  }
  if (report.rotation) writeRotation(report.rotation, now)
  if (report.check) writeCheck(report.check)
  // The complete list in the log, whatever the summary can hold.
  for (const page of report.publish?.pages ?? []) core.info(logSafe(pageLogLine(page)))
  if (report.publish?.byMapping && report.settings) {
    // Several mappings: one section each, in the order of the mappings input, sharing the summary's budget.
    const share = Math.floor(SUMMARY_BUDGET_BYTES / report.publish.byMapping.length)
    for (const m of report.publish.byMapping) writePagesSummary(summary, m.result, report.settings, share, m.path)
  } else if (report.publish && report.settings) writePagesSummary(summary, report.publish, report.settings)
  else if (report.publishSkipped) summary.addRaw(`<p>Publishing: ${escapeHtml(report.publishSkipped)}</p>`, true)
  try {
    await summary.write()
  } catch (error) {
    // Outside a runner (or on a runner without job summaries) the outputs and the log still tell the story.
    core.info(logSafe(`No job summary written: ${error instanceof Error ? error.message : String(error)}`))
  }

  core.setOutput('token-rotated', report.rotation ? 'true' : 'false')
  core.setOutput('refresh-token-expires-at', report.rotation?.refreshTokenExpiresAt.toISOString() ?? '')
  core.setOutput('complete', report.failure || report.stopped ? 'false' : 'true')
  const pages = report.publish
    ? pagesOutputs(report.publish)
    : { created: '0', updated: '0', unchanged: '0', failed: '0', moved: '0', archived: '0', deleted: '0', orphans: '0', pages: '[]', 'pages-truncated': 'false' }
  for (const [name, value] of Object.entries(pages)) core.setOutput(name, value)
}

function writeCheck(check: CheckResult): void {
  for (const f of check.findings) {
    const where = { title: annotationTitle(f), file: f.file, ...(f.line !== undefined ? { startLine: f.line, ...(f.column ? { startColumn: f.column } : {}) } : {}) }
    if (f.severity === 'error') core.error(f.message, where)
    else core.warning(f.message, where)
  }
  // The tree and the counts in the log too, as `feishu-wiki-sync check` prints them.
  for (const line of checkLines({ ...check, findings: [] })) core.info(logSafe(line))
  writeCheckSummary(core.summary, check)
}

/** One error annotation per failed file, on its line when the reason names one. */
function annotateFailedPages(result: PublishResult): void {
  for (const page of result.pages) {
    if (page.status !== 'failed') continue
    const line = /\bline (\d+)\b/.exec(page.reason ?? '')?.[1]
    const file = page.path.endsWith('/') ? undefined : page.path
    core.error(page.reason ?? 'failed to publish', {
      title: `Not published: ${page.path}`,
      ...(file ? { file, ...(line ? { startLine: Number(line) } : {}) } : {}),
    })
  }
}

function writeRotation(rotation: RotationReport, now: Date): void {
  const expires = rotation.refreshTokenExpiresAt
  const deadline = new Date(expires.getTime() - DEADLINE_MARGIN_MS)
  core.summary.addHeading('Token rotation', 3)
  core.summary.addTable([
    [
      { data: 'Secret', header: true },
      { data: 'Result', header: true },
      { data: 'New refresh token expires', header: true },
      { data: 'Next run needed by', header: true },
    ],
    [
      escapeHtml(rotation.secretDescription),
      `${rotation.result}${rotation.attempts > 1 ? ` (after ${rotation.attempts} attempts)` : ''}${rotation.updatedAt ? `; GitHub shows it updated ${escapeHtml(formatTime(new Date(rotation.updatedAt), now))}` : ''}`,
      escapeHtml(formatTime(expires, now)),
      escapeHtml(formatTime(deadline, now)),
    ],
  ])
  core.summary.addRaw(
    `<p><em>Next run needed by</em>: the next run must start before then, or the chain ends and someone must re-authorize. ` +
      'The new refresh token dies unused at its expiry; the hour before it is left for the run to be queued and to refresh. ' +
      'A daily schedule keeps it alive.</p>',
    true,
  )
}

/** "2026-12-13 06:04 UTC (in 7 days)": readable, unambiguous, and relative to now. */
export function formatTime(time: Date, now: Date = new Date()): string {
  if (Number.isNaN(time.getTime())) return 'unknown'
  const absolute = `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  const ms = time.getTime() - now.getTime()
  const abs = Math.abs(ms)
  const minutes = Math.round(abs / 60_000)
  const hours = Math.round(abs / 3_600_000)
  const days = Math.round(abs / 86_400_000)
  const span =
    minutes < 1 ? 'just now' : minutes < 60 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : hours < 48 ? `${hours} hour${hours === 1 ? '' : 's'}` : `${days} days`
  if (span === 'just now') return `${absolute} (just now)`
  return `${absolute} (${ms > 0 ? `in ${span}` : `${span} ago`})`
}

const WARNING_TITLE: Record<string, string> = {
  concurrency: 'Concurrency',
  schedule: 'Schedule (keep-alive)',
  environment: 'Where the token is kept',
  'secret-environment': 'Where the token is kept',
  'secret-name': 'Secret name',
}

/** Each problem of the workflow as a warning annotation on its line, and in the summary with its YAML fix. */
function writeWorkflowWarnings(warnings: WorkflowWarning[]): void {
  core.summary.addRaw(`<h3>⚠️ The workflow can break the token chain</h3>`, true)
  for (const warning of warnings) {
    const title = WARNING_TITLE[warning.check] ?? warning.check
    const where = `${warning.file}${warning.line ? `, line ${warning.line}` : ''}`
    core.summary.addRaw(`<p><strong>${escapeHtml(title)}:</strong> ${inlineHtml(warning.message)} <em>(${escapeHtml(where)})</em></p>`, true)
    if (warning.fix) {
      const [prose, ...yaml] = warning.fix.split('\n')
      core.summary.addRaw(`<p>${inlineHtml(prose!)}</p>`, true)
      if (yaml.length > 0) core.summary.addRaw(`<pre>${summaryPre(yaml.join('\n'))}</pre>`, true)
    }
    core.warning(`${warning.message}${warning.fix ? `\n${warning.fix}` : ''}`, {
      title: `Workflow: ${title}`,
      file: warning.file,
      startLine: warning.line,
    })
  }
}

export function escapeHtml(text: string): string {
  return summaryText(text)
}

/** Escaped text with `code` spans and linked URLs, for messages that name commands, inputs and pages. */
export function inlineHtml(text: string): string {
  return inlineMarkup(escapeHtml(text))
}
