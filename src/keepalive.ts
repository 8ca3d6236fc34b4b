// Does anything keep the refresh token alive? The token dies after about 7 idle days, so the summary warns
// when the running workflow has no schedule frequent enough. The workflow file is read from the checkout
// (GITHUB_WORKFLOW_REF names it); without a checkout the summary just prints the plain deadline.
import fs from 'node:fs'
import path from 'node:path'
import type { Settings } from './settings.js'
import { inspectWorkflow } from './workflow-file.js'

export interface KeepaliveWarning {
  message: string
  fix?: string
  /** Repository path of the workflow file, for the annotation. */
  file: string
  line?: number
}

/** GITHUB_WORKFLOW_REF is "owner/repo/.github/workflows/sync.yml@refs/heads/main". */
export function workflowPathFromRef(workflowRef: string | undefined): string | undefined {
  const match = /^[^/]+\/[^/]+\/(.+?)@/.exec(workflowRef ?? '')
  return match?.[1]
}

export function checkKeepalive(settings: Settings): KeepaliveWarning | undefined {
  const file = workflowPathFromRef(settings.workflowRef)
  if (!file) return undefined
  let text: string
  try {
    text = fs.readFileSync(path.join(settings.workspace, file), 'utf8')
  } catch {
    return undefined
  }
  const schedule = inspectWorkflow(text, { secretName: settings.secret.name }).findings.find(
    (finding) => finding.check === 'schedule' && finding.level !== 'ok',
  )
  return schedule ? { message: schedule.message, fix: schedule.fix, file, line: schedule.line } : undefined
}
