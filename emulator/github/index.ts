// A loopback GitHub REST API for the endpoints this product calls: Actions secrets (repository and
// environment), compare, and workflow runs. Stateful: a secret PUT is opened with the emulator's private key and
// stored, so tests read back exactly what the client sealed. Faults (5xx, secondary rate limits, dropped
// connections, hangs) come from the shared core: `emulator.server.inject({...})`.
//
// Route names are GitHub's operationIds, so `server.callsTo('actions/create-or-update-repo-secret')` works
// and fidelity tests can validate each response against the OpenAPI operation of the same name.
import { randomUUID } from 'node:crypto'
import { type Clock, realClock } from '../core/clock.js'
import { type EmulatorRequest, type EmulatorResponse, EmulatorServer, Router } from '../core/server.js'
import { type SavedFields, restoreFields, saveFields } from '../core/state.js'
import { type Level, type Need, TokenRegistry, type TokenGrant } from './auth.js'
import { addCommits as addCommitsTo, compare } from './commits.js'
import { DOCS, GitHubHttpError, notFound, route, secondaryRateLimitBody } from './errors.js'
import { b64, newSealingKey, sodiumReady } from './keys.js'
import { deleteSecret, getSecret, publicKeyResponse, putSecret } from './secrets.js'
import { type Urls, workflowRun } from './shapes.js'
import { type FileChange, type RepoState, type SecretScope, type StoredSecret, addEnvironment, newRepo, timestamp } from './state.js'

export { errorBody, secondaryRateLimitBody } from './errors.js'
export type { TokenGrant } from './auth.js'
export type { FileChange } from './state.js'

export interface GitHubEmulatorOptions {
  clock?: Clock
  /** Latency added to every call, in clock ms. */
  latencyMs?: number
  repos?: { fullName: string; private?: boolean; environments?: string[]; defaultBranch?: string }[]
  /** Where html_url links point (default https://github.com). */
  htmlUrl?: string
}

export interface GitHubEmulator {
  url: string
  server: EmulatorServer
  close(): Promise<void>
  addToken(token: string, grant: TokenGrant): void
  /** The DECRYPTED stored value (opened with the emulator's private key). */
  secretValue(repo: string, name: string, environment?: string): string | undefined
  storedSecret(
    repo: string,
    name: string,
    environment?: string,
  ): { encrypted_value: string; key_id: string; created_at: string; updated_at: string } | undefined
  /** The scope's X25519 private key, base64 ORIGINAL: lets a test open a stored box with another libsodium. */
  privateKeyBase64(repo: string, environment?: string): string
  publicKey(repo: string, environment?: string): { key_id: string; key: string }
  /** New key pair for the scope: a PUT sealed for the old key_id gets 422. */
  rotateKey(repo: string, environment?: string): void
  /** Seed history: `head` becomes a child of `base` with these file changes. Returns both SHAs. */
  addCommits(
    repo: string,
    base: string,
    head: string,
    files: { filename: string; status: FileChange['status']; previous_filename?: string; additions?: number; deletions?: number }[],
  ): { base: string; head: string }
  addRun(repo: string, runId: number, createdAt: string, extra?: { runStartedAt?: string; runAttempt?: number; headSha?: string }): void
  addRepo(spec: { fullName: string; private?: boolean; environments?: string[]; defaultBranch?: string }): void
  addEnvironment(repo: string, name: string): void
  /**
   * Answer matching calls with GitHub's secondary rate limit (403 + retry-after). `route` is an operationId
   * (default: every route). Returns a function that disarms it.
   */
  secondaryRateLimit(options?: { route?: string; times?: number; retryAfterSeconds?: number }): () => void
  /** A deep copy of everything the emulator remembers (repositories, keys, secrets, commits, runs, tokens; not the call log or armed faults). */
  saveState(): GitHubState
  /** Replace what this emulator remembers with a copy of a saved state (from this or another instance). */
  restoreState(state: GitHubState): void
}

/** Opaque: what saveState() returns. */
export interface GitHubState {
  fields: Record<string, SavedFields>
}

export async function startGitHubEmulator(options: GitHubEmulatorOptions = {}, port = 0): Promise<GitHubEmulator> {
  await sodiumReady()
  const clock = options.clock ?? realClock
  const repos = new Map<string, RepoState>()
  const tokens = new TokenRegistry()
  const urls: Urls = { api: '', html: options.htmlUrl ?? 'https://github.com' }

  const addRepo = (spec: { fullName: string; private?: boolean; environments?: string[]; defaultBranch?: string }) => {
    const repo = newRepo(spec, clock)
    repos.set(repo.fullName.toLowerCase(), repo)
  }
  for (const spec of options.repos ?? []) addRepo(spec)

  const repoOf = (req: EmulatorRequest) => repos.get(`${req.params.owner}/${req.params.repo}`.toLowerCase())

  const must = (fullName: string): RepoState => {
    const repo = repos.get(fullName.toLowerCase())
    if (!repo) throw new Error(`no repository ${fullName} in the GitHub emulator`)
    return repo
  }
  const scopeOf = (fullName: string, environment?: string): SecretScope => {
    const repo = must(fullName)
    if (environment === undefined) return repo
    const env = repo.environments.get(environment.toLowerCase())
    if (!env) throw new Error(`no environment ${environment} in ${fullName}`)
    return env
  }

  /** Authorize, then find the secret scope (repository or environment) of the request. */
  const secretScope = (req: EmulatorRequest, permission: 'secrets' | 'environments', level: Level, docs: string, publicKeyRead = false) => {
    const repo = repoOf(req)
    const need: Need = { permission, level, docs, requiresAuth: true, publicKeyRead }
    const headers = tokens.authorize(req, repo, need)
    if (permission === 'secrets') return { scope: repo as RepoState, headers }
    const env = repo!.environments.get((req.params.environment_name ?? '').toLowerCase())
    if (!env) throw notFound(docs)
    return { scope: env as SecretScope, headers }
  }
  const withHeaders = (response: EmulatorResponse, headers: Record<string, string>): EmulatorResponse => ({
    ...response,
    headers: { ...headers, ...response.headers },
  })

  const repoSecrets = '/repos/:owner/:repo/actions/secrets'
  const envSecrets = '/repos/:owner/:repo/environments/:environment_name/secrets'
  const router = new Router()
    // public-key routes first: "public-key" would otherwise match :secret_name.
    .add('GET', `${repoSecrets}/public-key`, 'actions/get-repo-public-key', route((req) => {
      const { scope, headers } = secretScope(req, 'secrets', 'read', DOCS.getRepoPublicKey, true)
      return withHeaders(publicKeyResponse(scope), headers)
    }))
    .add('GET', `${envSecrets}/public-key`, 'actions/get-environment-public-key', route((req) => {
      const { scope, headers } = secretScope(req, 'environments', 'read', DOCS.getEnvPublicKey, true)
      return withHeaders(publicKeyResponse(scope), headers)
    }))
    .add('GET', `${repoSecrets}/:secret_name`, 'actions/get-repo-secret', route((req) => {
      const { scope, headers } = secretScope(req, 'secrets', 'read', DOCS.getRepoSecret)
      return withHeaders(getSecret(scope, req.params.secret_name!, DOCS.getRepoSecret), headers)
    }))
    .add('GET', `${envSecrets}/:secret_name`, 'actions/get-environment-secret', route((req) => {
      const { scope, headers } = secretScope(req, 'environments', 'read', DOCS.getEnvSecret)
      return withHeaders(getSecret(scope, req.params.secret_name!, DOCS.getEnvSecret), headers)
    }))
    .add('PUT', `${repoSecrets}/:secret_name`, 'actions/create-or-update-repo-secret', route((req) => {
      const { scope, headers } = secretScope(req, 'secrets', 'write', DOCS.putRepoSecret)
      return withHeaders(putSecret(scope, req.params.secret_name!, req, DOCS.putRepoSecret, clock), headers)
    }))
    .add('PUT', `${envSecrets}/:secret_name`, 'actions/create-or-update-environment-secret', route((req) => {
      const { scope, headers } = secretScope(req, 'environments', 'write', DOCS.putEnvSecret)
      return withHeaders(putSecret(scope, req.params.secret_name!, req, DOCS.putEnvSecret, clock), headers)
    }))
    .add('DELETE', `${repoSecrets}/:secret_name`, 'actions/delete-repo-secret', route((req) => {
      const { scope, headers } = secretScope(req, 'secrets', 'write', DOCS.deleteRepoSecret)
      return withHeaders(deleteSecret(scope, req.params.secret_name!, DOCS.deleteRepoSecret), headers)
    }))
    .add('DELETE', `${envSecrets}/:secret_name`, 'actions/delete-environment-secret', route((req) => {
      const { scope, headers } = secretScope(req, 'environments', 'write', DOCS.deleteEnvSecret)
      return withHeaders(deleteSecret(scope, req.params.secret_name!, DOCS.deleteEnvSecret), headers)
    }))
    .add('GET', '/repos/:owner/:repo/compare/:basehead', 'repos/compare-commits-with-basehead', route((req) => {
      const repo = repoOf(req)
      const headers = tokens.authorize(req, repo, { permission: 'contents', level: 'read', docs: DOCS.compare, requiresAuth: false })
      return withHeaders(compare(repo!, req, urls), headers)
    }))
    .add('GET', '/repos/:owner/:repo/actions/runs/:run_id', 'actions/get-workflow-run', route((req) => {
      const repo = repoOf(req)
      const headers = tokens.authorize(req, repo, { permission: 'actions', level: 'read', docs: DOCS.getRun, requiresAuth: false })
      const run = /^\d+$/.test(req.params.run_id ?? '') ? repo!.runs.get(Number(req.params.run_id)) : undefined
      if (!run) throw notFound(DOCS.getRun)
      return withHeaders({ status: 200, body: workflowRun(urls, repo!, run) }, headers)
    }))

  const server = new EmulatorServer('github', router, {
    clock,
    latencyMs: options.latencyMs,
    responseHeaders: () => ({
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase(),
      'x-github-media-type': 'github.v3; format=json',
    }),
    notFound: () => new GitHubHttpError(404, 'Not Found', DOCS.root).toResponse(),
  })
  const url = await server.listen(port)
  urls.api = url

  const stored = (repo: string, name: string, environment?: string): StoredSecret | undefined =>
    scopeOf(repo, environment).secrets.get(name.toUpperCase())

  return {
    url,
    server,
    close: () => server.close(),
    addToken: (token, grant) => tokens.add(token, grant),
    secretValue: (repo, name, environment) => stored(repo, name, environment)?.value,
    storedSecret(repo, name, environment) {
      const s = stored(repo, name, environment)
      return s && { encrypted_value: s.encrypted_value, key_id: s.key_id, created_at: s.created_at, updated_at: s.updated_at }
    },
    privateKeyBase64: (repo, environment) => b64(scopeOf(repo, environment).key.privateKey),
    publicKey(repo, environment) {
      const key = scopeOf(repo, environment).key
      return { key_id: key.keyId, key: b64(key.publicKey) }
    },
    rotateKey(repo, environment) {
      scopeOf(repo, environment).key = newSealingKey()
    },
    addCommits: (repo, base, head, files) => addCommitsTo(must(repo), base, head, files, timestamp(clock)),
    addRun(repo, runId, createdAt, extra = {}) {
      const r = must(repo)
      r.runs.set(runId, {
        id: runId,
        createdAt,
        runStartedAt: extra.runStartedAt ?? createdAt,
        runAttempt: extra.runAttempt ?? 1,
        status: 'in_progress',
        conclusion: null,
        headSha: extra.headSha ?? r.branchHead ?? '0000000000000000000000000000000000000000',
      })
    },
    addRepo,
    addEnvironment: (repo, name) => void addEnvironment(must(repo), name, clock),
    secondaryRateLimit: (o = {}) =>
      server.inject({
        route: o.route,
        times: o.times ?? 1,
        status: 403,
        headers: { 'retry-after': String(o.retryAfterSeconds ?? 60) },
        body: secondaryRateLimitBody(),
      }),
    saveState: () => ({ fields: saveFields({ repos: { repos }, tokens }) }),
    restoreState: (state) => restoreFields({ repos: { repos }, tokens }, state.fields),
  }
}
