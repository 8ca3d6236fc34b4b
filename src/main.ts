// The action in five steps: validate → rotate → persist → publish → report.
import * as core from '@actions/core'
import { actionClock } from './clock.js'
import { logSafe } from './log-text.js'
import { maskSecret, redact } from './mask.js'
import { type RunReport, writeReport } from './report/index.js'
import { SettingsError, type Settings, envInputReader, readSettings } from './settings.js'
import { ExitCode, GuidedError, describeSecret, failureGuidance, guidanceText } from './token-guidance.js'

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const clock = actionClock(env)
  const report: RunReport = {}
  let step = 'validate'
  try {
    // 1. Validate everything that can be checked without spending the token.
    const settings = readSettings(envInputReader(env), env)
    for (const secret of [settings.appSecret, settings.refreshToken, settings.githubToken]) maskSecret(secret)
    report.settings = settings
    const { loadDocs, openSecretStore, rotateRefreshToken, persistRefreshToken, checkWorkflow, getTenantAccessToken, FeishuClient, publishDocs } =
      await import(/* webpackMode: "eager" */ './engine.js')
    const docs = settings.mode === 'rotate-only' ? undefined : await loadDocs(settings)
    const secretStore = settings.auth === 'user' ? await openSecretStore(settings, clock) : undefined

    let accessToken: string
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
      report.workflowWarnings = checkWorkflow(settings)
      accessToken = tokens.accessToken
    } else {
      step = 'authenticate'
      accessToken = (await getTenantAccessToken({ ...settings, onSecret: maskSecret })).token
    }
    report.identity = settings.auth

    // 4. Publish the changed Markdown files into the wiki.
    if (!docs) {
      report.publishSkipped = 'skipped (mode: rotate-only).'
    } else {
      step = 'publish'
      const feishu = new FeishuClient({ baseUrl: settings.baseUrl, accessToken: () => accessToken, clock })
      report.publish = await publishDocs({ settings, docs, feishu, clock, log: actionLog })
      if (report.publish.counts.failed > 0 && settings.failOnError) {
        core.setFailed(`${report.publish.counts.failed} of ${report.publish.pages.length} pages failed to publish; each has its own annotation, and the job summary lists them first.`)
      }
    }
  } catch (error) {
    report.failure = { step, guidance: guidanceFor(error, step) }
    core.setFailed(redact(guidanceText(report.failure.guidance)))
    process.exitCode = report.failure.guidance.exitCode
  }
  // 5. Report: summary, outputs, annotations.
  await writeReport(report)
}

const actionLog = {
  info: (message: string) => core.info(logSafe(message)),
  debug: (message: string) => core.debug(message),
  warning: (message: string, where?: { file: string; line?: number; column?: number }) =>
    core.warning(message, where ? { file: where.file, startLine: where.line, startColumn: where.column } : undefined),
}

function guidanceFor(error: unknown, step: string): GuidedError['guidance'] {
  if (error instanceof GuidedError) return error.guidance
  if (error instanceof SettingsError) {
    return { title: 'Invalid inputs (nothing was spent or written)', lines: error.message.split('\n'), exitCode: ExitCode.invalidInput }
  }
  return failureGuidance(error, step)
}

export type { Settings }
