// What a person must read when the token chain fails: what happened, why it happens, and how to recover.
// Shared by the action and the CLI so both say the same thing.
import type { RefreshFailureKind } from './feishu/auth.js'
import type { SecretSettings } from './settings.js'

/** Exit codes, so scripts (and the CLI) can tell failures apart; the runner only sees "failed". */
export const ExitCode = {
  failed: 1,
  invalidInput: 2,
  reauthorize: 3,
  chainBroken: 4,
  retryLater: 5,
} as const

export function describeSecret(secret: SecretSettings, repository?: string): string {
  const where = secret.environment ? `environment '${secret.environment}' secret` : 'repository secret'
  return `${where} ${secret.name}${repository ? ` of ${repository}` : ''}`
}

/** Everything the action or the CLI knows that a printed `auth` command should carry, so it works when pasted. */
export interface CommandContext {
  /** owner/name */
  repository?: string
  appId?: string
  baseUrl?: string
  githubApiUrl?: string
  /** How the user runs the CLI (`npx feishu-wiki-sync`, `node dist/cli/index.js`); default `npx feishu-wiki-sync`. */
  command?: string
}

export const DEFAULT_COMMAND = 'npx feishu-wiki-sync'

/** `--flag value` pairs for the values that differ from the CLI's defaults. */
export function contextFlags(secret: SecretSettings, context: CommandContext): string[] {
  const parts = [`--repo ${context.repository ?? '<owner>/<repo>'}`]
  if (secret.environment) parts.push(`--environment ${shellWord(secret.environment)}`)
  parts.push(`--app-id ${context.appId ? shellWord(context.appId) : '<app-id>'}`)
  if (secret.name !== 'FEISHU_REFRESH_TOKEN') parts.push(`--secret-name ${secret.name}`)
  if (context.baseUrl && context.baseUrl.replace(/\/+$/, '') !== 'https://open.feishu.cn') parts.push(`--base-url ${shellWord(context.baseUrl)}`)
  if (context.githubApiUrl && context.githubApiUrl.replace(/\/+$/, '') !== 'https://api.github.com') {
    parts.push(`--github-api-url ${shellWord(context.githubApiUrl)}`)
  }
  return parts
}

export function reauthorizeCommand(secret: SecretSettings, context: CommandContext = {}): string {
  return [`${context.command ?? DEFAULT_COMMAND} auth`, ...contextFlags(secret, context)].join(' ')
}

/** A value as one shell word: quoted only when it needs to be. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}

/** A failure with what a person must read about it. */
export class GuidedError extends Error {
  constructor(readonly guidance: RefreshGuidance) {
    super(guidanceText(guidance))
    this.name = 'GuidedError'
  }
}

export interface RefreshGuidance {
  title: string
  /** What to do first, then why it happened, as short paragraphs. */
  lines: string[]
  /** Possible causes, rendered as one list under `heading`. */
  causes?: { heading: string; items: string[] }
  exitCode: number
}

/** The guidance as plain text (the log, the failure annotation, the CLI). */
export function guidanceText(guidance: RefreshGuidance): string {
  const causes = guidance.causes ? [`${guidance.causes.heading}`, ...guidance.causes.items.map((item) => `- ${item}`)] : []
  return [`${guidance.title}.`, ...guidance.lines, ...causes].join('\n')
}

export function refreshFailureGuidance(
  kind: RefreshFailureKind,
  detail: string,
  secret: SecretSettings,
  context: CommandContext = {},
): RefreshGuidance {
  const command = reauthorizeCommand(secret, context)
  const reauthorize = `Re-authorize once: run \`${command}\` on your machine; it writes a fresh refresh token into the ${describeSecret(secret)}.`
  const secretLabel = describeSecret(secret, context.repository)
  switch (kind) {
    case 'already-used':
      return {
        title: 'The refresh token was already used',
        exitCode: ExitCode.reauthorize,
        lines: [
          `Fix: run \`${command}\` on your machine (it signs you in once and writes a fresh refresh token into the ${describeSecret(secret)}), then re-run this workflow.`,
          `Why: Feishu refused the refresh token in the ${secretLabel}. A refresh token works once, and this one was spent before this run (${detail}).`,
        ],
        causes: {
          heading: 'It gets spent twice when:',
          items: [
            'two runs spent it at the same time: give the job a `concurrency` group with `cancel-in-progress: false`;',
            "this run was queued behind a run that rotated the token, and the token is a repository secret: GitHub reads repository secrets when a run is queued but environment secrets when the job starts. Keep the token in an environment secret (set `secret-environment` to the job's environment);",
            'the token was used by hand or by another tool (curl, a script, a second workflow).',
          ],
        },
      }
    case 'lost-in-transit':
      return {
        title: 'The new refresh token was lost in transit',
        exitCode: ExitCode.reauthorize,
        lines: [
          reauthorize,
          `Why: the refresh request reached Feishu and spent the token, but its answer, which carried the new token, never arrived (network error or timeout); the retry was then refused as already used (${detail}).`,
          'This is not a concurrency problem: the new token could not be received, so the chain cannot continue.',
        ],
      }
    case 'expired':
      return {
        title: 'The refresh token expired',
        exitCode: ExitCode.reauthorize,
        lines: [
          reauthorize,
          'Then keep it alive: run this workflow on a daily `schedule` (weekly is too rare, and scheduled runs can be delayed or dropped).',
          `Why: Feishu says the refresh token expired (${detail}). A refresh token lives about 7 days without use, and every grant ends 365 days after the user authorized the app.`,
        ],
      }
    case 'invalid':
      return {
        title: 'Feishu does not recognise the refresh token',
        exitCode: ExitCode.reauthorize,
        lines: [
          reauthorize,
          `Why: Feishu rejected the refresh token as invalid (${detail}). It is not a v2 refresh token (tokens from the old v1 endpoints are refused), was cut or pasted with extra characters, or belongs to another app.`,
        ],
      }
    case 'bad-app-secret':
      return {
        title: 'Feishu refused the app credentials',
        exitCode: ExitCode.failed,
        lines: [
          `Copy the App ID and App Secret again from the developer console (${consoleUrl(context.baseUrl)} → your app → Credentials & Basic Info), update the \`app-id\` input and the app secret's secret, and re-run. The refresh token was not spent.`,
          `Why: Feishu refused app-id/app-secret (${detail}).`,
        ],
      }
    case 'no-refresh-token':
      return {
        title: 'Feishu issued no new refresh token',
        exitCode: ExitCode.reauthorize,
        lines: [
          'In the developer console enable the `offline_access` scope (Permissions & Scopes) and the "Refresh user_access_token" setting (Security Settings), publish a new app version, then re-authorize.',
          reauthorize,
          'Why: Feishu accepted the refresh but sent no refresh_token, so the chain ends here: the app lacks the `offline_access` scope, or its "Refresh user_access_token" security setting is off.',
        ],
      }
    case 'server':
      return {
        title: 'Feishu had a server error',
        exitCode: ExitCode.retryLater,
        lines: [
          'Re-run the job later. The refresh token is still valid.',
          `Why: Feishu's token endpoint failed twice with a server error (${detail}); it reports that nothing was done.`,
        ],
      }
    case 'network':
      return {
        title: 'No answer from Feishu',
        exitCode: ExitCode.retryLater,
        lines: [
          `Check \`base-url\`${context.baseUrl ? ` (${context.baseUrl})` : ''}: it must be https://open.feishu.cn, or https://open.larksuite.com for Lark. If it is right, re-run the job.`,
          'If the re-run reports the token as already used, the first request did reach Feishu: re-authorize then.',
          `Why: the Feishu token endpoint did not answer (${detail}).`,
        ],
      }
    case 'not-sent':
      return {
        title: 'The refresh request was not sent',
        exitCode: ExitCode.retryLater,
        lines: [
          `The request to the Feishu token endpoint${context.baseUrl ? ` at ${context.baseUrl}` : ''} never left the runner (${detail}). Nothing reached Feishu, so the refresh token in the ${secretLabel} was not spent and is intact.`,
          'Check the runner\'s network (DNS, firewall, proxy) and the `base-url` input, then re-run the job. No re-authorization is needed.',
        ],
      }
    case 'not-allowed':
      return {
        title: 'Feishu refused the refresh',
        exitCode: ExitCode.reauthorize,
        lines: [
          'Fix the app in the developer console: 20074 means its "Refresh user_access_token" security setting is off; 20009/20010/20066/20069 mean the app is not installed, not enabled, or the user may no longer use it. Then re-authorize.',
          reauthorize,
          `Why: Feishu refused the refresh (${detail}).`,
        ],
      }
  }
}

export function chainBrokenGuidance(secret: SecretSettings, context: CommandContext, cause: string): RefreshGuidance {
  return {
    title: 'Token chain broken: the new refresh token could not be saved',
    exitCode: ExitCode.chainBroken,
    lines: [
      `Recover: fix \`github-token\`'s permission ('Secrets: read and write' on the repository, or 'Environments: read and write' for an environment secret), then re-authorize with \`${reauthorizeCommand(secret, context)}\`.`,
      `Why: Feishu issued a new refresh token and spent the old one, but saving the new one into the ${describeSecret(secret, context.repository)} failed: ${cause}`,
      'The new token existed only in this run and is gone with it; the secret still holds the spent token. Nothing else was done.',
    ],
  }
}

/**
 * The secret the run would save into does not exist, so the run cannot have read its refresh token from it (a typo in
 * `secret-name`, or a setup that never ran `auth`). Spending the token now would leave the next run a spent one.
 */
export function missingSecretGuidance(secret: SecretSettings, context: CommandContext, workflowReads?: string): RefreshGuidance {
  const create = `create the secret with \`${reauthorizeCommand(secret, context)}\` on your machine: only \`auth\` creates it, so a run never starts a chain in a secret it did not read`
  const mismatch = workflowReads !== undefined && workflowReads.toUpperCase() !== secret.name.toUpperCase()
  // A name the user chose is more likely a typo; the default name on a first run more likely means `auth` never ran.
  const typo = mismatch
    ? `the workflow passes \`refresh-token: \${{ secrets.${workflowReads} }}\`: set \`secret-name: ${workflowReads}\`${workflowReads.toUpperCase() === 'FEISHU_REFRESH_TOKEN' ? ' (or remove `secret-name`)' : ''}`
    : 'if `secret-name` has a typo, correct it: it must name the secret that `refresh-token` reads'
  const firstSetup = !mismatch && secret.name.toUpperCase() === 'FEISHU_REFRESH_TOKEN'
  return {
    title: `The ${describeSecret(secret)} does not exist (the refresh token was not spent)`,
    exitCode: ExitCode.invalidInput,
    lines: [
      `Fix: ${firstSetup ? create : typo}.`,
      `${firstSetup ? 'Or, ' : 'First setup? Then '}${firstSetup ? typo : create}.`,
      `Why: this run would save the new refresh token into the ${describeSecret(secret, context.repository)}, which does not exist, so its refresh token cannot have come from there; the next run would read another, spent one.`,
    ],
  }
}

function consoleUrl(baseUrl: string | undefined): string {
  return baseUrl?.includes('larksuite') ? 'https://open.larksuite.com/app' : 'https://open.feishu.cn/app'
}

// ---- failures that are not about the token chain ------------------------------------------------------------------

/**
 * Feishu codes a run can meet outside the token endpoint, in words
 * (https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code,
 * https://open.feishu.cn/document/server-docs/docs/wiki-v2/wiki-qa).
 */
export const FEISHU_CODE_MEANING: Record<number, string> = {
  131002: 'a parameter is wrong',
  131005: 'not found: no such wiki space or node, or it is not visible to this identity',
  131006: 'permission denied on the wiki space or node',
  131011: 'the page needs delete approval',
  1770002: 'the document does not exist',
  1770032: 'no permission on the document',
  99991400: 'too many requests (rate limited)',
  99991663: 'the access token is invalid',
  99991668: 'the access token is invalid or has expired',
  99991672: 'the app lacks an API scope',
  99991679: 'the user has not granted a needed scope',
}

/** The step names a person reads; main.ts tracks the step by its internal name. */
const STEP_TITLE: Record<string, string> = {
  validate: 'Preflight failed (the refresh token was not spent)',
  rotate: 'Refreshing the Feishu token failed',
  persist: 'Saving the new refresh token failed',
  authenticate: "Getting the app's tenant access token failed",
  publish: 'Publishing stopped (the refresh token was rotated and saved)',
}

/**
 * Nothing reached the server: the name does not resolve, the connection was refused, the URL or port is unusable.
 * Retrying does not help; the URL or the network must change.
 */
export function notSentReason(error: unknown): string | undefined {
  const texts: string[] = []
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const err = e as { code?: unknown; message?: unknown; cause?: unknown }
    if (typeof err.code === 'string') texts.push(err.code)
    if (typeof err.message === 'string') texts.push(err.message)
    e = err.cause
  }
  const all = texts.join(' ')
  if (/\bENOTFOUND\b|\bEAI_AGAIN\b|getaddrinfo/.test(all)) return 'the host name does not resolve (DNS)'
  if (/\bECONNREFUSED\b/.test(all)) return 'the connection was refused: nothing listens at that address and port'
  if (/\bEHOSTUNREACH\b|\bENETUNREACH\b/.test(all)) return 'the network cannot reach that host'
  if (/bad port|ERR_INVALID_URL|Invalid URL/i.test(all)) return 'the URL or its port is not usable'
  return undefined
}

/** Advice for a request that was never sent to `what` at `url` (the flag or input that names it). */
export function notSentAdvice(reason: string, what: { service: string; url?: string; setting: string }): string {
  return (
    `Nothing reached ${what.service}${what.url ? ` at ${what.url}` : ''}: ${reason}. Check ${what.setting} ` +
    '(and the network, proxy or firewall of this machine); nothing was spent or changed.'
  )
}

/** Guidance for an error that carries none: the step in words, Feishu codes with their meaning, and what to check. */
export function failureGuidance(error: unknown, step: string): RefreshGuidance {
  const title = STEP_TITLE[step] ?? 'The run failed'
  let message = error instanceof Error ? error.message : String(error)
  const feishu = feishuErrorIn(error)
  if (feishu?.code !== undefined) {
    const meaning = FEISHU_CODE_MEANING[feishu.code]
    const said = `Feishu answered with code ${feishu.code}${meaning ? ` (${meaning})` : ''}${feishu.logId ? `; Feishu log id ${feishu.logId}` : ''}`
    message = message.includes(feishu.message) ? message.replace(feishu.message, said) : `${message} (${said})`
  }
  const notSent = notSentReason(error)
  const lines = [message]
  if (notSent) lines.unshift(notSentAdvice(notSent, { service: 'the server', setting: '`base-url` and `github-api-url`' }))
  return { title, lines, exitCode: ExitCode.failed }
}

function feishuErrorIn(error: unknown): { code?: number; message: string; logId?: string } | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error && e.name === 'FeishuError') return e as Error & { code?: number; logId?: string }
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}
