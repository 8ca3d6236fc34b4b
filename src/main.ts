// The action in five steps: validate → rotate → persist → publish → report.
import * as core from '@actions/core'
import { type Cancellation, CancelledError, watchForCancel } from './cancel.js'
import { actionClock } from './clock.js'
import { logSafe } from './log-text.js'
import { maskSecret, redact } from './mask.js'
import { liveLine } from './progress.js'
import { type RunReport, writeReport } from './report/index.js'
import { SettingsError, type Settings, type SyncMode, envInputReader, readSettings } from './settings.js'
import { ExitCode, GuidedError, describeSecret, failureGuidance, guidanceText } from './token-guidance.js'

/** What each mode runs between validate and report, as data. `check` spends, reads and writes nothing. */
const STEPS = {
  check: { load: true, check: true, authenticate: false, publish: false },
  'rotate-only': { load: false, check: false, authenticate: true, publish: false },
  sync: { load: true, check: false, authenticate: true, publish: true },
} as const
const stepsFor = (mode: SyncMode) => STEPS[mode === 'check' || mode === 'rotate-only' ? mode : 'sync']

/** Resolves once the report is written; `cancelled`: the process should exit now, whatever is still in flight. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<{ cancelled: boolean }> {
  const clock = actionClock(env)
  const report: RunReport = {}
  // From here on a cancel (SIGINT/SIGTERM) stops the run at a safe point instead of wherever it is.
  const cancel = watchForCancel((message) => core.warning(message))
  let step = 'validate'
  try {
    // 1. Validate everything that can be checked without spending the token.
    const settings = readSettings(envInputReader(env), env)
    for (const secret of [settings.appSecret, settings.refreshToken, settings.githubToken]) maskSecret(secret)
    report.settings = settings
    const steps = stepsFor(settings.mode)
    if (settings.timeBudgetMinutes && steps.publish) cancel.budget(clock, settings.timeBudgetMinutes)
    const { loadMappings, checkDocs, checkFailure, openSecretStore, rotateRefreshToken, persistRefreshToken, checkWorkflow, getTenantAccessToken, FeishuClient, publishMappings } =
      await import(/* webpackMode: "eager" */ './engine.js')
    const docs = steps.load ? await loadMappings(settings) : undefined
    if (steps.check && docs) {
      // mode: check: what publishing would meet, from the converted docs alone (no token, no network).
      step = 'check'
      report.check = checkDocs(docs)
      const failed = checkFailure(report.check, settings.failOnWarning)
      if (failed) core.setFailed(failed)
    }
    const secretStore = steps.authenticate && settings.auth === 'user' ? await openSecretStore(settings, clock) : undefined

    let accessToken: string | undefined
    if (secretStore) {
      // 2. Rotate: spend the refresh token once (not after a cancel; once spent, nothing stops step 3).
      if (cancel.signal.aborted) throw new CancelledError(cancel.reason()!)
      step = 'rotate'
      const tokens = await rotateRefreshToken(settings, clock, secretStore)
      // 3. Persist the new refresh token before anything else happens.
      step = 'persist'
      const saved = await persistRefreshToken(settings, secretStore, tokens)
      report.rotation = {
        secretDescription: describeSecret(settings.secret, `${secretStore.target.owner}/${secretStore.target.repo}`),
        result: saved.result,
        attempts: saved.attempts,
        updatedAt: saved.updatedAt,
        refreshTokenExpiresAt: new Date(Date.now() + tokens.refreshTokenExpiresIn * 1000),
      }
      core.info(`Saved the new refresh token into the ${report.rotation.secretDescription} (${saved.result}).`)
      report.workflowWarnings = checkWorkflow(settings)
      accessToken = tokens.accessToken
    } else if (steps.authenticate) {
      step = 'authenticate'
      accessToken = (await getTenantAccessToken({ ...settings, onSecret: maskSecret })).token
    }
    if (accessToken) report.identity = settings.auth

    // 4. Publish the changed Markdown files into the wiki.
    if (!steps.publish || !docs || !accessToken) {
      report.publishSkipped = `skipped (mode: ${settings.mode}).`
    } else if (cancel.signal.aborted) {
      report.publishSkipped = `not started: the run was ${cancel.reason()}.`
    } else {
      step = 'publish'
      const token = accessToken
      const feishu = new FeishuClient({ baseUrl: settings.baseUrl, accessToken: () => token, clock })
      report.publish = await publishMappings({ settings, docs, feishu, clock, log: actionLog, stop: cancel })
      if (report.publish.counts.failed > 0 && settings.failOnError) {
        core.setFailed(`${report.publish.counts.failed} of ${report.publish.pages.length} pages failed to publish; each has its own annotation, and the job summary lists them first.`)
      }
    }
  } catch (error) {
    settleFailure(report, error, step, cancel)
  }
  settleStop(report, cancel)
  // 5. Report: summary, outputs, annotations.
  await writeReport(report)
  if (report.stopped) core.info(`Stopped ${(cancel.sinceStop() / 1000).toFixed(1)} s after the run was ${report.stopped}.`)
  cancel.dispose()
  return { cancelled: cancel.signal.aborted }
}

/** A terminal (someone runs the bundle by hand) gets a live progress line; the runner's log gets plain lines and groups. */
const terminal = process.stdout.isTTY && !process.env.GITHUB_ACTIONS ? liveLine(process.stdout) : undefined

const actionLog = {
  info: (message: string) => (terminal ? terminal.print(logSafe(message)) : core.info(logSafe(message))),
  progress: (line: string) => (terminal ? terminal.line(line) : core.info(line)),
  group: (title: string) => (terminal ? terminal.group(title) : core.startGroup(title)),
  endGroup: () => (terminal ? terminal.endGroup() : core.endGroup()),
  debug: (message: string) => core.debug(message),
  warning: (message: string, where?: { file: string; line?: number; column?: number }) =>
    core.warning(message, where ? { file: where.file, startLine: where.line, startColumn: where.column } : undefined),
}

/** A failed step: its guidance in the summary and the exit code. A time budget that ends the wiki's reading is no failure. */
function settleFailure(report: RunReport, error: unknown, step: string, cancel: Cancellation): void {
  // Out of time budget while reading the wiki: nothing was written, the next run starts over.
  if (error instanceof CancelledError && step === 'publish' && !cancel.bySignal()) {
    report.publishSkipped = `stopped while reading the wiki (${error.message}); nothing was written.`
    return
  }
  report.failure = { step, guidance: guidanceFor(error, step) }
  core.setFailed(redact(guidanceText(report.failure.guidance)))
  process.exitCode = report.failure.guidance.exitCode
}

/** A cancelled job fails; a run that used its time budget stopped as planned, and says what is left. */
function settleStop(report: RunReport, cancel: Cancellation): void {
  if (!cancel.signal.aborted) return
  report.stopped = cancel.reason()
  if (report.failure) return
  if (cancel.bySignal()) core.setFailed(`The run was ${report.stopped}; the job summary says what was done.`)
  else core.warning(`The run ${report.stopped}; the next run continues (output complete: false).`)
}

function guidanceFor(error: unknown, step: string): GuidedError['guidance'] {
  if (error instanceof GuidedError) return error.guidance
  if (error instanceof CancelledError) {
    const spent = step === 'validate' ? ' before the refresh token was spent' : ''
    return { title: `The run was ${error.message}${spent}`, lines: ['Nothing was left half-done; the next run does all of it.'], exitCode: ExitCode.failed }
  }
  if (error instanceof SettingsError) {
    return { title: 'Invalid inputs (nothing was spent or written)', lines: error.message.split('\n'), exitCode: ExitCode.invalidInput }
  }
  return failureGuidance(error, step)
}

export type { Settings }
