// Step 5: what people read. A job summary they can act on, the outputs, and the failure as an annotation.
// Nothing secret goes in: values come from settings fields that are not secrets, and the runner's masks
// cover the rest.
import * as core from '@actions/core'
import type { KeepaliveWarning } from '../keepalive.js'
import type { Settings } from '../settings.js'
import type { PublishResult } from '../sync/index.js'
import type { RefreshGuidance } from '../token-guidance.js'
import { pageLogLine, pagesOutputs, writePagesSummary } from './pages.js'

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
  publish?: PublishResult
  /** Why publishing did not happen (rotate-only, or not available). */
  publishSkipped?: string
  failure?: { step: string; guidance: RefreshGuidance }
  /** The run was stopped before it was done ("cancelled (SIGTERM)"): the next run continues. */
  stopped?: string
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
  if (report.stopped && !report.failure) {
    const left = report.publish?.stopped?.left
    const what = left === undefined ? '' : left === 0 ? ' Every page was done.' : ` ${left.toLocaleString('en-US')} page(s) not yet published; the next run continues.`
    summary.addRaw(`<p><strong>⏹️ The run was ${escapeHtml(report.stopped)}.</strong>${what}</p>`, true)
  }
  if (report.rotation) writeRotation(report.rotation, report.keepalive)
  // The complete list in the log, whatever the summary can hold.
  for (const page of report.publish?.pages ?? []) core.info(pageLogLine(page))
  if (report.publish && report.settings) writePagesSummary(summary, report.publish, report.settings)
  else if (report.publishSkipped) summary.addRaw(`<p>Publishing: ${escapeHtml(report.publishSkipped)}</p>`, true)
  try {
    await summary.write()
  } catch (error) {
    // Outside a runner (or on a runner without job summaries) the outputs and the log still tell the story.
    core.info(`No job summary written: ${error instanceof Error ? error.message : String(error)}`)
  }

  core.setOutput('token-rotated', report.rotation ? 'true' : 'false')
  core.setOutput('refresh-token-expires-at', report.rotation?.refreshTokenExpiresAt.toISOString() ?? '')
  core.setOutput('complete', report.failure || report.stopped ? 'false' : 'true')
  const pages = report.publish
    ? pagesOutputs(report.publish)
    : { created: '0', updated: '0', unchanged: '0', failed: '0', moved: '0', archived: '0', deleted: '0', orphans: '0', pages: '[]', 'pages-truncated': 'false' }
  for (const [name, value] of Object.entries(pages)) core.setOutput(name, value)
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
