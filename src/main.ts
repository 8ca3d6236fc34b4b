// The action in five steps: validate → rotate → persist → publish → report.
import * as core from '@actions/core'
import { actionClock } from './clock.js'
import { maskSecret } from './mask.js'
import { type RunReport, writeReport } from './report/index.js'
import { SettingsError, type Settings, type SyncMode, envInputReader, readSettings } from './settings.js'
import { ExitCode, GuidedError, describeSecret } from './token-guidance.js'

/** What each mode runs between validate and report, as data. `check` spends, reads and writes nothing. */
const STEPS = {
  check: { load: true, check: true, authenticate: false, publish: false },
  'rotate-only': { load: false, check: false, authenticate: true, publish: false },
  sync: { load: true, check: false, authenticate: true, publish: true },
} as const
const stepsFor = (mode: SyncMode) => STEPS[mode === 'check' || mode === 'rotate-only' ? mode : 'sync']

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const clock = actionClock(env)
  const report: RunReport = {}
  let step = 'validate'
  try {
    // 1. Validate everything that can be checked without spending the token.
    const settings = readSettings(envInputReader(env), env)
    for (const secret of [settings.appSecret, settings.refreshToken, settings.githubToken]) maskSecret(secret)
    report.settings = settings
    const steps = stepsFor(settings.mode)
    const { loadMappings, checkDocs, checkFailure, openSecretStore, rotateRefreshToken, persistRefreshToken, checkKeepalive, getTenantAccessToken, FeishuClient, publishMappings } =
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
      // 2. Rotate: spend the refresh token once.
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
      report.keepalive = checkKeepalive(settings)
      accessToken = tokens.accessToken
    } else if (steps.authenticate) {
      step = 'authenticate'
      accessToken = (await getTenantAccessToken({ ...settings, onSecret: maskSecret })).token
    }
    if (accessToken) report.identity = settings.auth

    // 4. Publish the changed Markdown files into the wiki.
    if (!steps.publish || !docs || !accessToken) {
      report.publishSkipped = `skipped (mode: ${settings.mode}).`
    } else {
      step = 'publish'
      const token = accessToken
      const feishu = new FeishuClient({ baseUrl: settings.baseUrl, accessToken: () => token, clock })
      report.publish = await publishMappings({ settings, docs, feishu, clock, log: actionLog })
      if (report.publish.counts.failed > 0 && settings.failOnError) {
        core.setFailed(`${report.publish.counts.failed} page(s) failed to publish; see the job summary.`)
      }
    }
  } catch (error) {
    report.failure = { step, guidance: guidanceFor(error, step) }
    core.setFailed(`${report.failure.guidance.title}. ${report.failure.guidance.lines.join(' ')}`)
    process.exitCode = report.failure.guidance.exitCode
  }
  // 5. Report: summary, outputs, annotations.
  await writeReport(report)
}

const actionLog = {
  info: (message: string) => core.info(message),
  debug: (message: string) => core.debug(message),
  warning: (message: string, where?: { file: string; line?: number; column?: number }) =>
    core.warning(message, where ? { file: where.file, startLine: where.line, startColumn: where.column } : undefined),
}

function guidanceFor(error: unknown, step: string): GuidedError['guidance'] {
  if (error instanceof GuidedError) return error.guidance
  if (error instanceof SettingsError) {
    return { title: 'Invalid inputs (nothing was spent or written)', lines: error.message.split('\n'), exitCode: ExitCode.invalidInput }
  }
  const message = error instanceof Error ? error.message : String(error)
  const title = step === 'validate' ? 'Preflight failed (the refresh token was not spent)' : `The ${step} step failed`
  return { title, lines: [message], exitCode: ExitCode.failed }
}

export type { Settings }
