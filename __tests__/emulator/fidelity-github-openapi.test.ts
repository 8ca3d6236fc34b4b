// Every exchange between our GitHub client (src/github) and the emulator, checked against GitHub's OpenAPI
// description: request bodies our client sends, and every response the emulator gives, success or error.
// Works like a Prism proxy in front of the emulator, with the fetch the client uses as the tap. Negative
// controls prove the validator is not vacuous.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GitHubEmulator, secondaryRateLimitBody, startGitHubEmulator } from '../../emulator/github/index.js'
import { compareCommitsDetailed } from '../../src/github/changes.js'
import { type GitHubClient, createGitHubClient } from '../../src/github/client.js'
import { getRunQueuedAt } from '../../src/github/runs.js'
import {
  type SecretTarget,
  deleteSecret,
  getSecretMetadata,
  getSecretPublicKey,
  proveSecretWriteAccess,
  putSecret,
} from '../../src/github/secrets.js'
import { operationRoute, validateGitHubRequest, validateGitHubResponse } from '../helpers/github-openapi.js'

interface Exchange {
  method: string
  path: string
  requestBody: unknown
  status: number
  responseBody: unknown
}

const OPERATIONS = [
  'actions/get-repo-public-key',
  'actions/get-environment-public-key',
  'actions/create-or-update-repo-secret',
  'actions/create-or-update-environment-secret',
  'actions/get-repo-secret',
  'actions/get-environment-secret',
  'actions/delete-repo-secret',
  'actions/delete-environment-secret',
  'repos/compare-commits-with-basehead',
  'actions/get-workflow-run',
]

const exchanges: Exchange[] = []
const tap: typeof fetch = async (input, init) => {
  const res = await fetch(input, init)
  const text = await res.clone().text()
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
  exchanges.push({
    method: (init?.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    requestBody: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    status: res.status,
    responseBody: text ? JSON.parse(text) : undefined,
  })
  return res
}

/** Which operation a method + concrete path is, by matching the OpenAPI path templates. */
function operationOf(method: string, path: string): string {
  const matches = OPERATIONS.filter((op) => {
    const r = operationRoute(op)
    const re = new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+')}$`)
    return r.method === method && re.test(path)
  })
  // "public-key" also matches {secret_name}; the literal route wins, as on GitHub.
  return matches.find((op) => op.endsWith('public-key')) ?? matches[0] ?? `unknown ${method} ${path}`
}

let gh: GitHubEmulator
const REPO = 'acme/handbook'
const target: SecretTarget = { owner: 'acme', repo: 'handbook', secretName: 'FEISHU_REFRESH_TOKEN' }
const envTarget: SecretTarget = { ...target, environment: 'wiki-sync' }
const clientFor = (token: string): GitHubClient =>
  createGitHubClient({ token, baseUrl: gh.url, fetch: tap, sleep: async () => {}, requestTimeoutMs: 2000 })

beforeAll(async () => {
  gh = await startGitHubEmulator({ repos: [{ fullName: REPO, private: true, environments: ['wiki-sync'] }] })
  gh.addToken('pat', { repos: [REPO], secrets: 'write', environments: 'write', contents: 'read', actions: 'read' })
  gh.addToken('ro', { repos: [REPO], secrets: 'read', contents: 'read' })
  gh.addToken('wf', { repos: [REPO], contents: 'read', actions: 'read', kind: 'github-token' })
  gh.addToken('elsewhere', { repos: ['acme/other'], secrets: 'write' })
  const client = clientFor('pat')
  const swallow = (p: Promise<unknown>) => p.catch(() => undefined)

  // The product's happy path, repository and environment scope.
  for (const t of [target, envTarget]) {
    const key = await getSecretPublicKey(client, t)
    await proveSecretWriteAccess(client, t, key)
    await putSecret(client, t, 'ur-v1', key)
    await putSecret(client, t, 'ur-v2', key)
    await getSecretMetadata(client, t)
  }
  let prev = 'base'
  for (let i = 1; i <= 120; i++) {
    gh.addCommits(REPO, prev, `c${i}`, [
      { filename: `docs/p${i}.md`, status: 'added' },
      ...(i === 5 ? [{ filename: 'docs/x.md', status: 'renamed' as const, previous_filename: 'docs/y.md' }] : []),
    ])
    prev = `c${i}`
  }
  await compareCommitsDetailed(client, 'acme', 'handbook', 'base', 'c120')
  gh.addRun(REPO, 99, '2026-02-02T02:02:02Z')
  await getRunQueuedAt(client, 'acme', 'handbook', 99)

  // Failures the product must survive or explain.
  gh.rotateKey(REPO)
  await putSecret(client, target, 'ur-v3', await getSecretPublicKey(clientFor('pat'), { ...envTarget })) // env key for repo: 422, re-key
  await swallow(getSecretPublicKey(clientFor('bogus'), target)) // 401
  await swallow(getSecretPublicKey(clientFor('elsewhere'), target)) // 404
  await swallow(getSecretPublicKey(client, { ...target, environment: 'nope' })) // 404 + probe
  await swallow((async () => putSecret(clientFor('wf'), target, 'v', await getSecretPublicKey(clientFor('wf'), target)))()) // 403 integration
  await swallow((async () => putSecret(clientFor('ro'), target, 'v', await getSecretPublicKey(clientFor('ro'), target)))()) // 403 PAT
  await swallow(compareCommitsDetailed(client, 'acme', 'handbook', 'base', 'missing')) // 404
  await getRunQueuedAt(clientFor('ro'), 'acme', 'handbook', 99) // 403
  await getRunQueuedAt(client, 'acme', 'handbook', 100) // 404
  await deleteSecret(client, { ...target, secretName: 'NEVER_EXISTED' }) // 404, tolerated
  gh.server.inject({ route: 'actions/create-or-update-repo-secret', status: 403, headers: { 'retry-after': '1' }, body: secondaryRateLimitBody() })
  await putSecret(client, target, 'ur-v4', await getSecretPublicKey(client, target))
})
afterAll(async () => {
  await gh?.close()
})

describe('our client ⇄ emulator, against GitHub\'s OpenAPI description', () => {
  it('exercised every operation and the statuses that matter', () => {
    const ops = new Set(exchanges.map((e) => operationOf(e.method, e.path)))
    for (const op of OPERATIONS) expect(ops, op).toContain(op)
    expect(new Set(exchanges.map((e) => e.status))).toEqual(new Set([200, 201, 204, 401, 403, 404, 422]))
  })

  it('every response body the emulator sent is valid for its operation and status', () => {
    const failures: string[] = []
    for (const e of exchanges) {
      const op = operationOf(e.method, e.path)
      const v = validateGitHubResponse(op, e.status, e.responseBody)
      if (!v.valid) failures.push(`${e.method} ${e.path} → ${e.status} [${op}]: ${v.errors.join('; ')}`)
      // Success statuses must be ones GitHub documents for the operation.
      if (e.status < 300) expect(v.declared, `${op} ${e.status}`).toBe(true)
    }
    expect(failures).toEqual([])
  })

  it('every request body our client sent is valid for its operation', () => {
    const bodies = exchanges.filter((e) => e.requestBody !== undefined)
    expect(bodies.length).toBeGreaterThan(5)
    for (const e of bodies) {
      const op = operationOf(e.method, e.path)
      const v = validateGitHubRequest(op, e.requestBody)
      expect(v.errors, `${e.method} ${e.path}`).toEqual([])
    }
  })
})

describe('the validator rejects what GitHub would not send or accept (negative controls)', () => {
  it('responses', () => {
    expect(validateGitHubResponse('actions/get-repo-public-key', 200, { key: 'abc' }).valid).toBe(false)
    expect(validateGitHubResponse('actions/get-repo-public-key', 200, { key_id: 1, key: 'abc' }).valid).toBe(false)
    expect(validateGitHubResponse('actions/create-or-update-repo-secret', 201, { ok: 1 }).valid).toBe(false)
    expect(validateGitHubResponse('actions/create-or-update-repo-secret', 204, { ok: 1 }).valid).toBe(false)
    expect(validateGitHubResponse('actions/create-or-update-repo-secret', 200, {}).valid).toBe(false)
    expect(validateGitHubResponse('actions/get-repo-secret', 200, { name: 'X', created_at: 'yesterday', updated_at: 'now' }).valid).toBe(false)
    expect(validateGitHubResponse('actions/get-repo-public-key', 403, { msg: 'no' }).valid).toBe(false)
    const compare = exchanges.find((e) => e.path.includes('/compare/') && e.status === 200)!.responseBody as Record<string, unknown>
    expect(validateGitHubResponse('repos/compare-commits-with-basehead', 200, compare).valid).toBe(true)
    const files = (compare.files as Record<string, unknown>[]).map((f) => ({ ...f, status: 'moved' }))
    expect(validateGitHubResponse('repos/compare-commits-with-basehead', 200, { ...compare, files }).valid).toBe(false)
    expect(validateGitHubResponse('repos/compare-commits-with-basehead', 200, { ...compare, url: 'not a uri' }).valid).toBe(false)
    const { merge_base_commit: _omit, ...withoutMergeBase } = compare
    expect(validateGitHubResponse('repos/compare-commits-with-basehead', 200, withoutMergeBase).valid).toBe(false)
  })

  it('request bodies', () => {
    const op = 'actions/create-or-update-repo-secret'
    expect(validateGitHubRequest(op, { encrypted_value: 'c2VhbGVk', key_id: '1' }).valid).toBe(true)
    expect(validateGitHubRequest(op, { encrypted_value: 'c2VhbGVk' }).valid).toBe(false)
    expect(validateGitHubRequest(op, { encrypted_value: 'c2VhbGVk-_', key_id: '1' }).valid).toBe(false) // URL-safe
    expect(validateGitHubRequest(op, { encrypted_value: 'c2VhbGVk', key_id: 1 }).valid).toBe(false)
  })
})
