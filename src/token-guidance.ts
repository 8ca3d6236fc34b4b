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

export function reauthorizeCommand(secret: SecretSettings, repository?: string, baseUrl?: string): string {
  const parts = ['npx feishu-wiki-sync auth', `--repo ${repository ?? '<owner>/<repo>'}`, '--app-id <app-id>']
  if (secret.environment) parts.push(`--environment ${secret.environment}`)
  if (secret.name !== 'FEISHU_REFRESH_TOKEN') parts.push(`--secret-name ${secret.name}`)
  if (baseUrl && !baseUrl.includes('open.feishu.cn')) parts.push(`--base-url ${baseUrl}`)
  return parts.join(' ')
}

/** A failure with what a person must read about it. */
export class GuidedError extends Error {
  constructor(readonly guidance: RefreshGuidance) {
    super(`${guidance.title}. ${guidance.lines.join(' ')}`)
    this.name = 'GuidedError'
  }
}

export interface RefreshGuidance {
  title: string
  /** Why it happened and what to do, as short paragraphs. */
  lines: string[]
  exitCode: number
}

export function refreshFailureGuidance(
  kind: RefreshFailureKind,
  detail: string,
  secret: SecretSettings,
  repository?: string,
  baseUrl?: string,
): RefreshGuidance {
  const reauthorize = `Re-authorize once: run \`${reauthorizeCommand(secret, repository, baseUrl)}\` on your machine; it writes a fresh refresh token into the ${describeSecret(secret)}.`
  switch (kind) {
    case 'already-used':
      return {
        title: 'The refresh token was already used',
        exitCode: ExitCode.reauthorize,
        lines: [
          `Feishu refused the refresh token in the ${describeSecret(secret, repository)}: a refresh token works once, and this one was spent before this run (${detail}).`,
          'Why this happens:',
          '- two runs spent it at the same time: give the job a `concurrency` group with `cancel-in-progress: false`;',
          `- this run was queued behind a run that rotated the token, and the token is a repository secret: GitHub reads repository secrets when a run is queued but environment secrets when the job starts. Keep the token in an environment secret (set \`secret-environment\` to the job's environment);`,
          '- the token was used by hand or by another tool (curl, a script, a second workflow).',
          reauthorize,
        ],
      }
    case 'lost-in-transit':
      return {
        title: 'The new refresh token was lost in transit',
        exitCode: ExitCode.reauthorize,
        lines: [
          `The refresh request reached Feishu and spent the token, but its answer, which carried the new token, never arrived (network error or timeout); the retry was then refused as already used (${detail}).`,
          'This is not a concurrency problem: the new token could not be received, so the chain cannot continue.',
          reauthorize,
        ],
      }
    case 'expired':
      return {
        title: 'The refresh token expired',
        exitCode: ExitCode.reauthorize,
        lines: [
          `Feishu says the refresh token expired (${detail}): a refresh token lives about 7 days without use, and every grant ends 365 days after the user authorized the app.`,
          reauthorize,
          'Then keep it alive: run this workflow on a daily `schedule` (weekly is too rare, and scheduled runs can be delayed or dropped).',
        ],
      }
    case 'invalid':
      return {
        title: 'Feishu does not recognise the refresh token',
        exitCode: ExitCode.reauthorize,
        lines: [
          `Feishu rejected the refresh token as invalid (${detail}). It is not a v2 refresh token (tokens from the old v1 endpoints are refused), was cut or pasted with extra characters, or belongs to another app.`,
          reauthorize,
        ],
      }
    case 'bad-app-secret':
      return {
        title: 'Feishu refused the app credentials',
        exitCode: ExitCode.failed,
        lines: [
          `Feishu refused app-id/app-secret (${detail}). The refresh token was not spent.`,
          'Copy the App ID and App Secret again from the developer console (https://open.feishu.cn/app → your app → Credentials & Basic Info), update the secrets, and re-run.',
        ],
      }
    case 'no-refresh-token':
      return {
        title: 'Feishu issued no new refresh token',
        exitCode: ExitCode.reauthorize,
        lines: [
          'Feishu accepted the refresh but sent no refresh_token, so the chain ends here: the app lacks the `offline_access` scope, or its "Refresh user_access_token" security setting is off.',
          'In the developer console enable the offline_access scope (Permissions & Scopes) and the refresh setting (Security Settings), publish a new app version, then re-authorize.',
          reauthorize,
        ],
      }
    case 'server':
      return {
        title: 'Feishu had a server error',
        exitCode: ExitCode.retryLater,
        lines: [
          `Feishu's token endpoint failed twice with a server error (${detail}). It reports that nothing was done, so the refresh token is still valid. Re-run the job later.`,
        ],
      }
    case 'network':
      return {
        title: 'No answer from Feishu',
        exitCode: ExitCode.retryLater,
        lines: [
          `The Feishu token endpoint${baseUrl ? ` at ${baseUrl}` : ''} did not answer (${detail}).`,
          'Re-run the job. If the re-run reports the token as already used, the first request did reach Feishu: re-authorize then.',
        ],
      }
    case 'not-sent':
      return {
        title: 'The refresh request was not sent',
        exitCode: ExitCode.retryLater,
        lines: [
          `The request to the Feishu token endpoint${baseUrl ? ` at ${baseUrl}` : ''} never left the runner (${detail}). Nothing reached Feishu, so the refresh token in the ${describeSecret(secret, repository)} was not spent and is intact.`,
          'Check the runner\'s network (DNS, firewall, proxy) and the `base-url` input, then re-run the job. No re-authorization is needed.',
        ],
      }
    case 'not-allowed':
      return {
        title: 'Feishu refused the refresh',
        exitCode: ExitCode.reauthorize,
        lines: [
          `Feishu refused the refresh (${detail}).`,
          '20074 means the app\'s "Refresh user_access_token" security setting is off; 20009/20010/20066/20069 mean the app is not installed, not enabled, or the user may no longer use it. Fix that in the developer console, then re-authorize.',
          reauthorize,
        ],
      }
  }
}

export function chainBrokenGuidance(secret: SecretSettings, repository: string | undefined, cause: string, baseUrl?: string): RefreshGuidance {
  return {
    title: 'Token chain broken: the new refresh token could not be saved',
    exitCode: ExitCode.chainBroken,
    lines: [
      `Feishu issued a new refresh token and spent the old one, but saving the new one into the ${describeSecret(secret, repository)} failed: ${cause}`,
      'The new token existed only in this run and is gone with it; the secret still holds the spent token. Nothing else was done.',
      `Recover: fix github-token's permission ('Secrets: read and write' on the repository, or 'Environments: read and write' for an environment secret), then re-authorize with \`${reauthorizeCommand(secret, repository, baseUrl)}\`.`,
    ],
  }
}
