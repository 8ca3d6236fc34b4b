// GitHub Actions secrets, repository or environment scope: public key → seal → PUT, metadata, and a write
// probe that proves the token may write secrets before the single-use Feishu token is spent.
// https://docs.github.com/en/rest/actions/secrets
//
// The value written is a live refresh token: it is sealed before it leaves this module, and no error message
// built here contains it (callers mask it with core.setSecret as soon as it exists).
import { type GitHubClient, GitHubApiError, permissionHint } from './client.js'
import { sealSecret } from './seal.js'

export { sealSecret } from './seal.js'

export interface SecretTarget {
  owner: string
  repo: string
  secretName: string
  /** Environment name, unencoded; set for an environment secret. */
  environment?: string
}

export interface PublicKey {
  keyId: string
  /** Base64 (ORIGINAL variant) X25519 public key. */
  key: string
}

export interface PutSecretResult {
  result: 'created' | 'updated'
  /** PUT requests sent, retries included. */
  attempts: number
  /** updated_at read back after the write, when the token may read secret metadata. */
  updatedAt?: string
}

export interface SecretMetadata {
  name: string
  createdAt: string
  updatedAt: string
}

/**
 * Names: letters, digits, underscores; not starting with a digit or GITHUB_ (case-insensitive).
 * https://docs.github.com/en/actions/reference/security/secrets (naming rules)
 */
export const SECRET_NAME = /^(?!GITHUB_)(?![0-9])[A-Za-z0-9_]+$/i

export function assertSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new Error(
      `"${name}" is not a valid GitHub secret name: use only letters, digits and underscores, ` +
        'not starting with a digit or with GITHUB_',
    )
  }
}

const DEFAULT_PUT_ATTEMPTS = 5
/** How many times a 422 may send us back for a fresh public key before we give up. */
const MAX_REKEYS = 2

interface Scope {
  kind: 'repository' | 'environment'
  /** "owner/repo" or "environment 'prod' of owner/repo", for messages. */
  label: string
  base: string
  params: Record<string, string>
  op: { key: string; put: string; get: string; del: string }
  /** Fine-grained permission names, as GitHub's settings page shows them. */
  permission: string
  appPermission: string
}

function scopeOf(target: SecretTarget): Scope {
  const repoLabel = `${target.owner}/${target.repo}`
  if (target.environment !== undefined) {
    return {
      kind: 'environment',
      label: `environment '${target.environment}' of ${repoLabel}`,
      // Octokit percent-encodes {environment_name} (a slash becomes %2F, as GitHub requires).
      base: '/repos/{owner}/{repo}/environments/{environment_name}/secrets',
      params: { owner: target.owner, repo: target.repo, environment_name: target.environment },
      op: {
        key: 'actions/get-environment-public-key',
        put: 'actions/create-or-update-environment-secret',
        get: 'actions/get-environment-secret',
        del: 'actions/delete-environment-secret',
      },
      permission: "'Environments: read and write'",
      appPermission: 'environments: write',
    }
  }
  return {
    kind: 'repository',
    label: repoLabel,
    base: '/repos/{owner}/{repo}/actions/secrets',
    params: { owner: target.owner, repo: target.repo },
    op: {
      key: 'actions/get-repo-public-key',
      put: 'actions/create-or-update-repo-secret',
      get: 'actions/get-repo-secret',
      del: 'actions/delete-repo-secret',
    },
    permission: "'Secrets: read and write'",
    appPermission: 'secrets: write',
  }
}

/** The repository's or the environment's public key for sealing secrets. */
export async function getSecretPublicKey(client: GitHubClient, target: SecretTarget): Promise<PublicKey> {
  const scope = scopeOf(target)
  try {
    const res = await client.request<{ key_id: string; key: string }>(scope.op.key, `GET ${scope.base}/public-key`, scope.params)
    if (typeof res.data?.key_id !== 'string' || typeof res.data?.key !== 'string') {
      throw new Error(`GitHub returned a public key without key_id/key for ${scope.label}`)
    }
    return { keyId: res.data.key_id, key: res.data.key }
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error
    if (error.status === 404 && scope.kind === 'environment') throw await explainEnvironment404(client, target, error)
    throw explain(error, target, 'read')
  }
}

/**
 * Prove the token may write secrets in the target's scope, without touching the real secret: PUT a sealed dummy
 * value into `${secretName}_WRITE_PROBE` (same scope) and DELETE it again. Call it before spending the
 * single-use token. Never re-writes the real secret: in a run queued behind another, the value this run was
 * given is already dead and writing it back would overwrite the fresh one.
 */
export async function proveSecretWriteAccess(
  client: GitHubClient,
  target: SecretTarget,
  key: PublicKey,
  options: { onCleanupError?: (error: unknown) => void } = {},
): Promise<void> {
  const probe: SecretTarget = { ...target, secretName: writeProbeName(target.secretName) }
  const dummy = `write-probe ${new Date().toISOString()} ${Math.random().toString(36).slice(2)}`
  await putSecret(client, probe, dummy, key, { maxAttempts: 3, readBack: false })
  try {
    await deleteSecret(client, probe)
  } catch (error) {
    // Write access is proven; a leftover probe secret is untidy but harmless.
    options.onCleanupError?.(error)
  }
}

export function writeProbeName(secretName: string): string {
  return `${secretName}_WRITE_PROBE`
}

/**
 * Seal `value` and PUT it. Retries network errors, timeouts, 5xx and rate limits (jittered exponential backoff,
 * retry-after honoured); on 422 fetches the key again and, if it changed, re-seals and retries. Other 4xx fail
 * at once with a GitHubApiError that names the missing permission. 201 → created, 204 → updated.
 */
export async function putSecret(
  client: GitHubClient,
  target: SecretTarget,
  value: string,
  key: PublicKey,
  options: { maxAttempts?: number; readBack?: boolean } = {},
): Promise<PutSecretResult> {
  assertSecretName(target.secretName)
  const scope = scopeOf(target)
  let budget = Math.max(1, options.maxAttempts ?? DEFAULT_PUT_ATTEMPTS)
  let attempts = 0
  let rekeys = 0
  let current = key
  for (;;) {
    const encrypted = await sealSecret(current.key, value)
    try {
      const res = await client.request(
        scope.op.put,
        `PUT ${scope.base}/{secret_name}`,
        { ...scope.params, secret_name: target.secretName, encrypted_value: encrypted, key_id: current.keyId },
        { maxAttempts: budget - attempts, onAttempt: () => attempts++ },
      )
      const result: PutSecretResult = { result: res.status === 201 ? 'created' : 'updated', attempts }
      if (options.readBack !== false) {
        try {
          // One attempt: this read is a courtesy, and the write must not wait on it.
          result.updatedAt = (await getSecretMetadata(client, target, { maxAttempts: 1 }))?.updatedAt
        } catch {
          // Reading metadata may need more than the token has; the write itself succeeded.
        }
      }
      return result
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error
      if (error.status === 422 && rekeys < MAX_REKEYS) {
        // A 422 on a well-formed body usually means the key was rotated since we fetched it.
        const fresh = await getSecretPublicKey(client, target)
        if (fresh.keyId !== current.keyId) {
          current = fresh
          rekeys++
          budget = Math.max(budget, attempts + 1) // a fresh key always earns one more try
          continue
        }
      }
      throw explain(error, target, 'write')
    }
  }
}

/** Secret metadata (the value is never readable); undefined when the secret does not exist. */
export async function getSecretMetadata(
  client: GitHubClient,
  target: SecretTarget,
  options: { maxAttempts?: number } = {},
): Promise<SecretMetadata | undefined> {
  const scope = scopeOf(target)
  try {
    const res = await client.request<{ name: string; created_at: string; updated_at: string }>(
      scope.op.get,
      `GET ${scope.base}/{secret_name}`,
      { ...scope.params, secret_name: target.secretName },
      { maxAttempts: options.maxAttempts },
    )
    return { name: res.data.name, createdAt: res.data.created_at, updatedAt: res.data.updated_at }
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 404) return undefined
    if (error instanceof GitHubApiError) throw explain(error, target, 'read')
    throw error
  }
}

/** DELETE the secret; a secret that is already gone counts as deleted. */
export async function deleteSecret(client: GitHubClient, target: SecretTarget): Promise<void> {
  const scope = scopeOf(target)
  try {
    await client.request(scope.op.del, `DELETE ${scope.base}/{secret_name}`, { ...scope.params, secret_name: target.secretName })
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 404) return
    if (error instanceof GitHubApiError) throw explain(error, target, 'write')
    throw error
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Messages. Each says what to change; none contains the secret value.

function tokenAdvice(scope: Scope): string {
  return (
    `a fine-grained PAT needs the repository selected and ${scope.permission}` +
    (scope.kind === 'environment' ? '' : " (or 'Environments: read and write' for an environment secret)") +
    `; a GitHub App token needs the '${scope.appPermission}' permission; a classic PAT needs the 'repo' scope`
  )
}

function explain(error: GitHubApiError, target: SecretTarget, access: 'read' | 'write'): GitHubApiError {
  const scope = scopeOf(target)
  const what = `${scope.kind === 'environment' ? 'environment' : 'repository'} secret ${target.secretName} in ${scope.label}`
  const said = error.githubMessage ? ` (GitHub: "${error.githubMessage}")` : ''
  const hint = permissionHint(error)
  switch (true) {
    case error.rateLimited || error.status === 0 || error.status >= 500:
      return error.withMessage(`${error.message} while trying to ${access} ${what}`)
    case error.status === 401:
      return error.withMessage(`github-token is missing or invalid: GitHub answered 401${said} while accessing ${what}`)
    case error.isIntegrationDenied:
      return error.withMessage(
        `the workflow's GITHUB_TOKEN cannot ${access} secrets (403 "Resource not accessible by integration"); ` +
          `pass a fine-grained PAT or a GitHub App token as github-token instead: ${tokenAdvice(scope)}${hint}`,
      )
    case error.status === 403 && /not accessible by personal access token/i.test(error.githubMessage ?? ''):
      return error.withMessage(
        `the token can see ${target.owner}/${target.repo} but may not ${access} ${scope.kind} secrets there${said}: ` +
          `${tokenAdvice(scope)}${hint}`,
      )
    case error.status === 404 && error.operation === scope.op.key:
      return error.withMessage(
        `repository ${target.owner}/${target.repo} not found or the token has no access to it (${tokenAdvice(scope)})${hint}`,
      )
    case error.status === 404:
      return error.withMessage(
        `GitHub answered 404 to ${access === 'write' ? 'writing' : 'reading'} ${what}: the repository${
          scope.kind === 'environment' ? ' or environment' : ''
        } is gone or the token has no ${access} access to its secrets (${tokenAdvice(scope)})${hint}`,
      )
    case error.status === 422:
      return error.withMessage(
        `GitHub rejected the sealed value for ${what} (422${said}) although it was sealed with the current ` +
          'public key; the request was malformed or GitHub does not accept the key it advertised',
      )
    case error.status === 403:
      return error.withMessage(`GitHub refused to ${access} ${what} (403${said})${hint}: ${tokenAdvice(scope)}`)
    default:
      return error.withMessage(`${error.message} while trying to ${access} ${what}`)
  }
}

/**
 * A 404 on an environment's public key means the environment does not exist, or the repository is invisible to
 * the token. The repository's own key tells them apart: 200 or 403 there means the repository is reachable.
 */
async function explainEnvironment404(client: GitHubClient, target: SecretTarget, error: GitHubApiError): Promise<GitHubApiError> {
  const repoScope = scopeOf({ ...target, environment: undefined })
  let reachable: boolean
  try {
    await client.request(repoScope.op.key, `GET ${repoScope.base}/public-key`, repoScope.params, { maxAttempts: 1 })
    reachable = true
  } catch (probe) {
    // 403 (a permission the token lacks for repository secrets) still shows the repository exists.
    reachable = probe instanceof GitHubApiError && probe.status === 403 && !probe.rateLimited
  }
  if (!reachable) return explain(error, target, 'read')
  return error.withMessage(
    `environment '${target.environment}' not found in ${target.owner}/${target.repo}: create it under ` +
      'Settings → Environments (names are case-insensitive) or fix the environment input',
  )
}
