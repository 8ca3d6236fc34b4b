// The heart of the product: spend the refresh token once and save its successor before anything else.
// A Feishu refresh token works once (https://open.feishu.cn/document/authentication-management/access-token/refresh-user-access-token),
// and the runner keeps nothing between runs, so a new token that is not saved breaks the chain.
import type { Clock } from './clock.js'
import { TokenRefreshError, type UserTokens, refreshUserToken } from './feishu/auth.js'
import { type GitHubClient, createGitHubClient } from './github/client.js'
import { getRunQueuedAt } from './github/runs.js'
import {
  type PublicKey,
  type PutSecretResult,
  type SecretTarget,
  getSecretMetadata,
  getSecretPublicKey,
  proveSecretWriteAccess,
  putSecret,
} from './github/secrets.js'
import { maskSecret } from './mask.js'
import type { Settings } from './settings.js'
import { workflowRefreshTokenSecret } from './keepalive.js'
import {
  type CommandContext,
  ExitCode,
  GuidedError,
  chainBrokenGuidance,
  missingSecretGuidance,
  refreshFailureGuidance,
} from './token-guidance.js'

export interface SecretStore {
  client: GitHubClient
  target: SecretTarget
  key: PublicKey
}

/** Step 1 (no token spent): the secret's public key, and proof that github-token may write the secret. */
export async function openSecretStore(settings: Settings, clock: Clock): Promise<SecretStore> {
  const { repository, githubToken } = settings
  if (!repository || !githubToken) throw new Error('openSecretStore needs a repository and github-token')
  const client = createGitHubClient({
    token: githubToken,
    baseUrl: settings.githubApiUrl,
    sleep: clock.sleep,
    requestTimeoutMs: clock.realMs?.(30_000),
  })
  const target: SecretTarget = { ...repository, secretName: settings.secret.name, environment: settings.secret.environment }
  const key = await getSecretPublicKey(client, target)
  await proveSecretWriteAccess(client, target, key)
  // A run cannot have read its token from a secret that does not exist (a typo in secret-name): only `auth` creates it.
  if (!(await getSecretMetadata(client, target))) {
    throw new GuidedError(missingSecretGuidance(settings.secret, commandContext(settings), workflowRefreshTokenSecret(settings)))
  }
  return { client, target, key }
}

/** Step 2: spend the refresh token; the new tokens are masked the moment they arrive. */
export async function rotateRefreshToken(settings: Settings, clock: Clock, store: SecretStore): Promise<UserTokens> {
  try {
    return await refreshUserToken({
      baseUrl: settings.baseUrl,
      appId: settings.appId,
      appSecret: settings.appSecret,
      refreshToken: settings.refreshToken ?? '',
      clock,
      onSecret: maskSecret,
    })
  } catch (error) {
    if (!(error instanceof TokenRefreshError)) throw error
    const guidance = refreshFailureGuidance(error.kind, error.message, settings.secret, commandContext(settings))
    if (error.kind === 'already-used') {
      const stale = await explainStaleQueuedRun(settings, store)
      if (stale) guidance.lines.unshift(stale)
    }
    throw new GuidedError(guidance)
  }
}

/** Step 3: seal and save the new refresh token. Nothing else may happen before this succeeds. */
export async function persistRefreshToken(settings: Settings, store: SecretStore, tokens: UserTokens): Promise<PutSecretResult> {
  try {
    return await putSecret(store.client, store.target, tokens.refreshToken, store.key)
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error)
    throw new GuidedError(chainBrokenGuidance(settings.secret, commandContext(settings), cause))
  }
}

/**
 * A repository secret is read when a run is queued. If the secret changed after this run was queued, this
 * run carried the spent token of its predecessor: that is the whole explanation, and a re-run fixes it.
 */
async function explainStaleQueuedRun(settings: Settings, store: SecretStore): Promise<string | undefined> {
  if (settings.secret.environment || !settings.runId) return undefined
  try {
    const [metadata, queuedAt] = await Promise.all([
      getSecretMetadata(store.client, store.target),
      getRunQueuedAt(store.client, store.target.owner, store.target.repo, settings.runId),
    ])
    if (!metadata || !queuedAt) return undefined
    if (Date.parse(metadata.updatedAt) > Date.parse(queuedAt)) {
      return `This run was queued (${queuedAt}) before another run rotated the token (the secret was updated ${metadata.updatedAt}): re-run it, and move the secret to an environment to avoid this.`
    }
  } catch {
    // Best effort: without "Actions: read" the general explanation below stands.
  }
  return undefined
}

/** What a printed `auth` command must carry to work when pasted. */
export function commandContext(settings: Settings): CommandContext {
  const { repository } = settings
  return {
    repository: repository ? `${repository.owner}/${repository.repo}` : undefined,
    appId: settings.appId,
    baseUrl: settings.baseUrl,
    githubApiUrl: settings.githubApiUrl,
  }
}

export { ExitCode }
