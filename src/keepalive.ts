// Does the running workflow keep the token chain safe? One run at a time (a `concurrency` group), never cancelled
// mid-rotation, the token where the next run reads it, and a schedule frequent enough (the token dies after about
// 7 idle days). The workflow file is read from the checkout (GITHUB_WORKFLOW_REF names it); without a checkout
// there is nothing to warn about and the summary just prints the plain deadline.
import fs from 'node:fs'
import path from 'node:path'
import type { Settings } from './settings.js'
import { type WorkflowInspection, inspectWorkflow, referencedSecret } from './workflow-file.js'

export interface WorkflowWarning {
  /** The workflow check: concurrency, schedule, environment, secret-environment, secret-name. */
  check: string
  message: string
  /** What to change; may hold YAML (several lines). */
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

function readRunningWorkflow(settings: Settings): { file: string; inspection: WorkflowInspection } | undefined {
  const file = workflowPathFromRef(settings.workflowRef)
  if (!file) return undefined
  let text: string
  try {
    text = fs.readFileSync(path.join(settings.workspace, file), 'utf8')
  } catch {
    return undefined
  }
  return { file, inspection: inspectWorkflow(text, { secretName: settings.secret.name }) }
}

/** Everything in the running workflow that can break the token chain, worst first. */
export function checkWorkflow(settings: Settings): WorkflowWarning[] {
  const found = readRunningWorkflow(settings)
  if (!found?.inspection.usesAction) return []
  const order = ['concurrency', 'schedule', 'secret-environment', 'secret-name', 'environment']
  return found.inspection.findings
    .filter((finding) => finding.level !== 'ok' && order.includes(finding.check))
    .sort((a, b) => order.indexOf(a.check) - order.indexOf(b.check))
    .map((finding) => ({ check: finding.check, message: finding.message, fix: finding.fix, file: found.file, line: finding.line }))
}

/** The secret the running workflow passes as `refresh-token` (`${{ secrets.NAME }}`), when it can be read. */
export function workflowRefreshTokenSecret(settings: Settings): string | undefined {
  return referencedSecret(readRunningWorkflow(settings)?.inspection.inputs?.['refresh-token'])
}
