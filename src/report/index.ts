// Step 5: what people read. A job summary they can act on, the outputs, and the failure as an annotation.
// Nothing secret goes in: values come from settings fields that are not secrets, and the runner's masks
// cover the rest.
import * as core from '@actions/core'
import type { CheckResult } from '../check/index.js'
import type { KeepaliveWarning } from '../keepalive.js'
import type { PublishedDocs } from '../mappings.js'
import type { Settings } from '../settings.js'
import type { RefreshGuidance } from '../token-guidance.js'
import { annotationTitle, checkLines, writeCheckSummary } from './check.js'
import { SUMMARY_BUDGET_BYTES, pageLogLine, pagesOutputs, writePagesSummary } from './pages.js'

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
  /** The workflow's schedule does not keep the token alive. */
  keepalive?: KeepaliveWarning
  /** mode: check: what publishing would meet. */
  check?: CheckResult
  publish?: PublishedDocs
  /** Why publishing did not happen (rotate-only, or not available). */
  publishSkipped?: string
  failure?: { step: string; guidance: RefreshGuidance }
}

/** A run must start this long before the refresh token expires, to leave time for queueing and the refresh. */
const DEADLINE_MARGIN_MS = 60 * 60 * 1000

export async function writeReport(report: RunReport): Promise<void> {
  const summary = core.summary
  summary.addHeading('Feishu wiki sync', 2)
  if (report.failure) {
    const { guidance, step } = report.failure
    summary.addRaw(`<p><strong>❌ ${escapeHtml(guidance.title)}</strong> (step: ${step})</p>`, true)
    summary.addList(guidance.lines.map(inlineHtml))
  }
  if (report.identity) {
    summary.addRaw(
      `<p>Identity: ${report.identity === 'user' ? 'the authorizing user (user access token, rotated refresh token)' : 'the app (tenant access token; the app must be a member of the wiki space)'}</p>`,
      true,
    )
  }
  if (report.rotation) writeRotation(report.rotation, report.keepalive)
  if (report.check) writeCheck(report.check)
  // The complete list in the log, whatever the summary can hold.
  for (const page of report.publish?.pages ?? []) core.info(pageLogLine(page))
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
    core.info(`No job summary written: ${error instanceof Error ? error.message : String(error)}`)
  }

  core.setOutput('token-rotated', report.rotation ? 'true' : 'false')
  core.setOutput('refresh-token-expires-at', report.rotation?.refreshTokenExpiresAt.toISOString() ?? '')
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
  for (const line of checkLines({ ...check, findings: [] })) core.info(line)
  writeCheckSummary(core.summary, check)
}

function writeRotation(rotation: RotationReport, keepalive?: KeepaliveWarning): void {
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
      `${rotation.result}${rotation.attempts > 1 ? ` (after ${rotation.attempts} attempts)` : ''}${rotation.updatedAt ? `, GitHub shows it updated ${rotation.updatedAt}` : ''}`,
      expires.toISOString(),
      deadline.toISOString(),
    ],
  ])
  core.summary.addRaw(
    '<p>The refresh token expires if no run uses it before then; a daily schedule keeps it alive.</p>',
    true,
  )
  if (keepalive) {
    const text = `${keepalive.message}${keepalive.fix ? ` ${keepalive.fix}` : ''}`
    core.summary.addRaw(`<p>⚠️ <strong>Keep-alive:</strong> ${inlineHtml(text)} (${escapeHtml(keepalive.file)})</p>`, true)
    core.warning(text, { title: 'Refresh token keep-alive', file: keepalive.file, startLine: keepalive.line })
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Escaped text with `code` spans, for messages that name commands and inputs. */
export function inlineHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>')
}
