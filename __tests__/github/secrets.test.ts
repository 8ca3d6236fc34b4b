import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { secondaryRateLimitBody } from '../../emulator/github/index.js'
import { GitHubApiError } from '../../src/github/client.js'
import {
  type SecretTarget,
  getSecretMetadata,
  getSecretPublicKey,
  proveSecretWriteAccess,
  putSecret,
} from '../../src/github/secrets.js'
import { openSealedBoxWithPyNaCl } from '../helpers/pynacl.js'
import { ENV, type Fixture, NAME, OWNER, REPO, TOKENS, startFixture } from './fixtures.js'

const PUT = 'actions/create-or-update-repo-secret'
const target: SecretTarget = { owner: OWNER, repo: NAME, secretName: 'FEISHU_REFRESH_TOKEN' }
const envTarget: SecretTarget = { ...target, environment: ENV }

let f: Fixture
beforeEach(async () => {
  f = await startFixture()
})
afterEach(async () => {
  await f.close()
})

const callsTo = (route: string) => f.gh.server.callsTo(route)
const errorOf = async (p: Promise<unknown>): Promise<GitHubApiError> => {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(e).toBeInstanceOf(GitHubApiError)
  return e as GitHubApiError
}

describe('putSecret', () => {
  it('creates (201) then updates (204) the secret; the stored box opens with PyNaCl', async () => {
    const key = await getSecretPublicKey(f.client, target)
    expect(key).toEqual({ keyId: f.gh.publicKey(REPO).key_id, key: f.gh.publicKey(REPO).key })
    const first = await putSecret(f.client, target, 'ur-token-1', key)
    expect(first).toMatchObject({ result: 'created', attempts: 1 })
    expect(first.updatedAt).toBe(f.gh.storedSecret(REPO, target.secretName)?.updated_at)
    const second = await putSecret(f.client, target, 'ur-token-2', key)
    expect(second).toMatchObject({ result: 'updated', attempts: 1 })
    const stored = f.gh.storedSecret(REPO, target.secretName)!
    expect(stored.key_id).toBe(key.keyId)
    expect(openSealedBoxWithPyNaCl(f.gh.privateKeyBase64(REPO), stored.encrypted_value)).toBe('ur-token-2')
    expect(f.gh.secretValue(REPO, target.secretName)).toBe('ur-token-2')
  })

  it('retries 502 twice with jittered exponential backoff, then succeeds (attempts = 3)', async () => {
    const key = await getSecretPublicKey(f.client, target)
    f.gh.server.inject({ route: PUT, status: 502, times: 2, body: { message: 'Server Error' } })
    const result = await putSecret(f.client, target, 'ur-token', key)
    expect(result).toMatchObject({ result: 'created', attempts: 3 })
    expect(callsTo(PUT).map((c) => c.status)).toEqual([502, 502, 201])
    expect(f.sleeps).toEqual([750, 1500]) // 1 s and 2 s, scaled by jitter 0.5 + 0.5 × random (0.5)
    expect(f.gh.secretValue(REPO, target.secretName)).toBe('ur-token')
  })

  it('gives up after maxAttempts on persistent 5xx, with status and attempts, and no token in the message', async () => {
    const key = await getSecretPublicKey(f.client, target)
    f.gh.server.inject({ route: PUT, status: 503, times: Infinity, body: { message: 'Service Unavailable' } })
    const error = await errorOf(putSecret(f.client, target, 'ur-LIVE-TOKEN-abc', key))
    expect(error).toMatchObject({ status: 503, attempts: 5, operation: PUT })
    expect(error.message).toMatch(/HTTP 503.*after 5 attempts/)
    expect(error.message).not.toContain('ur-LIVE-TOKEN-abc')
    expect(callsTo(PUT)).toHaveLength(5)
    const limited = await errorOf(putSecret(f.client, target, 'x', key, { maxAttempts: 2 }))
    expect(limited.attempts).toBe(2)
  })

  it('retries a connection reset, and a response lost after the write committed (then reports "updated")', async () => {
    const key = await getSecretPublicKey(f.client, target)
    f.gh.server.inject({ route: PUT, drop: 'before' })
    expect(await putSecret(f.client, target, 'one', key)).toMatchObject({ result: 'created', attempts: 2 })
    f.gh.server.inject({ route: PUT, drop: 'after' })
    expect(await putSecret(f.client, target, 'two', key)).toMatchObject({ result: 'updated', attempts: 2 })
    expect(f.gh.secretValue(REPO, target.secretName)).toBe('two')
    expect(f.retries.map((r) => r.status)).toEqual([0, 0])
  })

  it('times out a hanging request and retries it', async () => {
    const client = f.clientFor(TOKENS.writer, { requestTimeoutMs: 1_000 })
    const key = await getSecretPublicKey(client, target)
    f.gh.server.inject({ route: PUT, hang: true })
    const result = await putSecret(client, target, 'after-hang', key)
    expect(result.attempts).toBe(2)
    expect(f.retries[0]).toMatchObject({ status: 0, reason: 'request timed out' })
  })

  it('honours retry-after on a secondary rate limit (403) and x-ratelimit-reset on 429', async () => {
    const now = Date.UTC(2026, 0, 1)
    const client = f.clientFor(TOKENS.writer, { now: () => now })
    const key = await getSecretPublicKey(client, target)
    f.gh.server.inject({ route: PUT, status: 403, headers: { 'retry-after': '60' }, body: secondaryRateLimitBody() })
    expect((await putSecret(client, target, 'v1', key)).attempts).toBe(2)
    expect(f.sleeps).toEqual([60_000])
    f.gh.server.inject({
      route: PUT,
      status: 429,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) },
      body: { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest' },
    })
    expect((await putSecret(client, target, 'v2', key)).attempts).toBe(2)
    expect(f.sleeps).toEqual([60_000, 31_000])
  })

  it('a rate limit that outlasts the retries is reported as a rate limit, not a permission problem', async () => {
    const key = await getSecretPublicKey(f.client, target)
    f.gh.secondaryRateLimit({ route: PUT, times: Infinity, retryAfterSeconds: 120 })
    const error = await errorOf(putSecret(f.client, target, 'v', key, { maxAttempts: 2 }))
    expect(error).toMatchObject({ status: 403, rateLimited: true, attempts: 2 })
    expect(error.message).toMatch(/rate limit still in force after 2 attempts.*while trying to write/)
    expect(error.message).not.toMatch(/Secrets: read and write/)
    expect(f.sleeps).toEqual([120_000])
  })

  it('on 422 for a rotated key fetches the new key, re-seals and succeeds', async () => {
    const stale = await getSecretPublicKey(f.client, target)
    f.gh.rotateKey(REPO)
    const result = await putSecret(f.client, target, 'after-rotation', stale)
    expect(result).toMatchObject({ result: 'created', attempts: 2 })
    expect(callsTo(PUT).map((c) => c.status)).toEqual([422, 201])
    expect(callsTo('actions/get-repo-public-key')).toHaveLength(2)
    const stored = f.gh.storedSecret(REPO, target.secretName)!
    expect(stored.key_id).toBe(f.gh.publicKey(REPO).key_id)
    expect(stored.key_id).not.toBe(stale.keyId)
    expect(openSealedBoxWithPyNaCl(f.gh.privateKeyBase64(REPO), stored.encrypted_value)).toBe('after-rotation')
  })

  it('fails on a 422 that a fresh key does not cure, saying so', async () => {
    const key = await getSecretPublicKey(f.client, target)
    f.gh.server.inject({
      route: PUT,
      status: 422,
      times: Infinity,
      body: { message: 'Bad request - validation failed due to an improperly encrypted secret', documentation_url: 'https://docs.github.com/rest' },
    })
    const error = await errorOf(putSecret(f.client, target, 'ur-LIVE-422', key))
    expect(error.status).toBe(422)
    expect(error.message).toMatch(/rejected the sealed value.*sealed with the current public key/)
    expect(error.message).not.toContain('ur-LIVE-422')
    expect(callsTo(PUT)).toHaveLength(1)
  })

  it("writes an environment secret with the ENVIRONMENT's key and leaves the repository secret alone", async () => {
    await putSecret(f.client, target, 'repo-value', await getSecretPublicKey(f.client, target))
    const repoBefore = f.gh.storedSecret(REPO, target.secretName)
    const envKey = await getSecretPublicKey(f.client, envTarget)
    expect(envKey.keyId).toBe(f.gh.publicKey(REPO, ENV).key_id)
    expect(envKey.keyId).not.toBe(f.gh.publicKey(REPO).key_id)
    expect(await putSecret(f.client, envTarget, 'env-value', envKey)).toMatchObject({ result: 'created' })
    const stored = f.gh.storedSecret(REPO, target.secretName, ENV)!
    expect(stored.key_id).toBe(envKey.keyId)
    expect(openSealedBoxWithPyNaCl(f.gh.privateKeyBase64(REPO, ENV), stored.encrypted_value)).toBe('env-value')
    expect(() => openSealedBoxWithPyNaCl(f.gh.privateKeyBase64(REPO), stored.encrypted_value)).toThrow(/could not open/)
    expect(f.gh.storedSecret(REPO, target.secretName)).toEqual(repoBefore)
    expect(f.gh.secretValue(REPO, target.secretName)).toBe('repo-value')
    expect(callsTo('actions/create-or-update-environment-secret')[0]?.path).toBe(
      `/repos/${REPO}/environments/${ENV}/secrets/FEISHU_REFRESH_TOKEN`,
    )
  })

  it('URL-encodes the environment name (a slash becomes %2F)', async () => {
    const t = { ...target, environment: 'prod/eu' }
    await putSecret(f.client, t, 'eu-value', await getSecretPublicKey(f.client, t))
    expect(f.gh.secretValue(REPO, t.secretName, 'prod/eu')).toBe('eu-value')
    expect(f.gh.server.calls.map((c) => c.path)).toContain(`/repos/${REPO}/environments/prod%2Feu/secrets/public-key`)
  })

  it('still succeeds when reading back the metadata fails (updatedAt left undefined)', async () => {
    const key = await getSecretPublicKey(f.client, target)
    f.gh.server.inject({ route: 'actions/get-repo-secret', status: 500, times: Infinity, body: { message: 'boom' } })
    const result = await putSecret(f.client, target, 'v', key)
    expect(result).toEqual({ result: 'created', attempts: 1, updatedAt: undefined })
    expect(callsTo('actions/get-repo-secret')).toHaveLength(1) // one try, no backoff
    expect(f.sleeps).toEqual([])
  })

  it('refuses an invalid secret name before sending anything', async () => {
    const key = await getSecretPublicKey(f.client, target)
    const calls = f.gh.server.calls.length
    for (const secretName of ['GITHUB_TOKEN_X', '1TOKEN', 'MY-TOKEN', 'MY TOKEN', '']) {
      await expect(putSecret(f.client, { ...target, secretName }, 'v', key)).rejects.toThrow(/not a valid GitHub secret name/)
    }
    expect(f.gh.server.calls.length).toBe(calls)
  })
})

describe('proveSecretWriteAccess', () => {
  it('creates and deletes a scratch secret and never touches the real one', async () => {
    await putSecret(f.client, target, 'the-live-one', await getSecretPublicKey(f.client, target))
    const before = f.gh.storedSecret(REPO, target.secretName)
    const callsBefore = f.gh.server.calls.length
    await proveSecretWriteAccess(f.client, target, await getSecretPublicKey(f.client, target))
    const probeCalls = f.gh.server.calls.slice(callsBefore)
    expect(probeCalls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      `GET /repos/${REPO}/actions/secrets/public-key 200`,
      `PUT /repos/${REPO}/actions/secrets/FEISHU_REFRESH_TOKEN_WRITE_PROBE 201`,
      `DELETE /repos/${REPO}/actions/secrets/FEISHU_REFRESH_TOKEN_WRITE_PROBE 204`,
    ])
    expect(f.gh.storedSecret(REPO, 'FEISHU_REFRESH_TOKEN_WRITE_PROBE')).toBeUndefined()
    expect(f.gh.storedSecret(REPO, target.secretName)).toEqual(before)
  })

  it('probes in the environment scope for an environment secret', async () => {
    await proveSecretWriteAccess(f.client, envTarget, await getSecretPublicKey(f.client, envTarget))
    expect(callsTo('actions/create-or-update-environment-secret').map((c) => c.path)).toEqual([
      `/repos/${REPO}/environments/${ENV}/secrets/FEISHU_REFRESH_TOKEN_WRITE_PROBE`,
    ])
    expect(callsTo('actions/delete-environment-secret')).toHaveLength(1)
    expect(callsTo(PUT)).toHaveLength(0)
  })

  it('fails with the missing permission when the token may only read secrets', async () => {
    const reader = f.clientFor(TOKENS.reader)
    const key = await getSecretPublicKey(reader, target)
    const error = await errorOf(proveSecretWriteAccess(reader, target, key))
    expect(error.status).toBe(403)
    expect(error.acceptedPermissions).toBe('secrets=write')
    expect(error.message).toContain("'Secrets: read and write'")
    expect(error.message).toContain('X-Accepted-GitHub-Permissions: secrets=write')
    expect(f.gh.storedSecret(REPO, 'FEISHU_REFRESH_TOKEN_WRITE_PROBE')).toBeUndefined()
  })

  it('reports a failed cleanup instead of failing the proof', async () => {
    const key = await getSecretPublicKey(f.client, target)
    f.gh.server.inject({ route: 'actions/delete-repo-secret', status: 500, times: Infinity, body: { message: 'x' } })
    const cleanup: unknown[] = []
    await proveSecretWriteAccess(f.client, target, key, { onCleanupError: (e) => cleanup.push(e) })
    expect(cleanup).toHaveLength(1)
    expect(callsTo(PUT).map((c) => c.path)).toEqual([`/repos/${REPO}/actions/secrets/FEISHU_REFRESH_TOKEN_WRITE_PROBE`])
  })
})

describe('errors name the missing permission', () => {
  it('401: github-token is missing or invalid', async () => {
    const error = await errorOf(getSecretPublicKey(f.clientFor('ghp_not_a_real_token'), target))
    expect(error.status).toBe(401)
    expect(error.message).toMatch(/^github-token is missing or invalid/)
    expect(error.message).toContain('Bad credentials')
    expect(() => f.clientFor('')).toThrow(/github-token is missing or invalid/)
  })

  it('404 on the public key: repository not found or no access, with what a fine-grained PAT needs', async () => {
    const error = await errorOf(getSecretPublicKey(f.clientFor(TOKENS.stranger), target))
    expect(error.status).toBe(404)
    expect(error.message).toContain('repository acme/handbook not found or the token has no access to it')
    expect(error.message).toContain("a fine-grained PAT needs the repository selected and 'Secrets: read and write'")
    expect(error.message).toContain("'Environments: read and write' for an environment secret")
  })

  it("403 'Resource not accessible by integration': the workflow's GITHUB_TOKEN cannot write secrets", async () => {
    const workflow = f.clientFor(TOKENS.workflow)
    const key = await getSecretPublicKey(workflow, target) // reading the key is allowed
    const error = await errorOf(putSecret(workflow, target, 'ur-LIVE-T', key))
    expect(error.status).toBe(403)
    expect(error.isIntegrationDenied).toBe(true)
    expect(error.message).toMatch(/^the workflow's GITHUB_TOKEN cannot write secrets/)
    expect(error.message).toContain('fine-grained PAT or a GitHub App token')
    expect(error.message).toContain("'secrets: write'")
    expect(error.message).toContain('X-Accepted-GitHub-Permissions: secrets=write')
    expect(error.message).not.toContain('ur-LIVE-T')
    expect(callsTo(PUT)).toHaveLength(1) // a permission error is not retried
  })

  it('403 for a PAT without Environments permission names it', async () => {
    const error = await errorOf(getSecretPublicKey(f.clientFor(TOKENS.repoOnly), envTarget))
    expect(error.status).toBe(403)
    expect(error.acceptedPermissions).toBe('environments=read')
    expect(error.message).toContain("'Environments: read and write'")
  })

  it('a missing environment is reported as such', async () => {
    const error = await errorOf(getSecretPublicKey(f.client, { ...target, environment: 'nope' }))
    expect(error.status).toBe(404)
    expect(error.message).toMatch(/^environment 'nope' not found in acme\/handbook/)
    // A token without repository-secret access still proves the repository is there (403, not 404).
    f.gh.addToken('env_only', { repos: [REPO], environments: 'write' })
    const envOnly = await errorOf(getSecretPublicKey(f.clientFor('env_only'), { ...target, environment: 'nope' }))
    expect(envOnly.message).toMatch(/^environment 'nope' not found/)
  })

  it('an environment in an invisible repository is reported as a repository problem', async () => {
    const error = await errorOf(getSecretPublicKey(f.clientFor(TOKENS.stranger), envTarget))
    expect(error.message).toContain('repository acme/handbook not found or the token has no access to it')
  })
})

describe('getSecretMetadata', () => {
  it('returns name and timestamps, and undefined for a secret that does not exist', async () => {
    expect(await getSecretMetadata(f.client, target)).toBeUndefined()
    await putSecret(f.client, { ...target, secretName: 'feishu_refresh_token' }, 'v', await getSecretPublicKey(f.client, target))
    const meta = await getSecretMetadata(f.client, target)
    const stored = f.gh.storedSecret(REPO, target.secretName)!
    expect(meta).toEqual({ name: 'FEISHU_REFRESH_TOKEN', createdAt: stored.created_at, updatedAt: stored.updated_at })
  })
})
