// Behaviour of the GitHub emulator, driven with plain fetch and a test-side libsodium (not src/github), so the
// emulator's rules are checked independently of the client that uses them.
import sodium from 'libsodium-wrappers'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type GitHubEmulator, secondaryRateLimitBody, startGitHubEmulator } from '../../emulator/github/index.js'
import { netChanges } from '../../emulator/github/commits.js'

const REPO = 'acme/handbook'
const ENV = 'wiki-sync'
const W = 'github_pat_writer'

let gh: GitHubEmulator
beforeAll(async () => {
  await sodium.ready
})
beforeEach(async () => {
  gh = await startGitHubEmulator({
    repos: [
      { fullName: REPO, private: true, environments: [ENV] },
      { fullName: 'acme/site', private: false },
    ],
  })
  gh.addToken(W, { repos: [REPO, 'acme/site'], secrets: 'write', environments: 'write', contents: 'read', actions: 'read' })
  gh.addToken('ro', { repos: [REPO], secrets: 'read', environments: 'read' })
  gh.addToken('wf', { repos: [REPO], contents: 'read', actions: 'read', kind: 'github-token' })
  gh.addToken('other', { repos: ['acme/else'], secrets: 'write' })
})
afterEach(async () => {
  await gh.close()
})

async function call(method: string, path: string, options: { token?: string | null; scheme?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' }
  const token = options.token === undefined ? W : options.token
  if (token !== null) headers.authorization = `${options.scheme ?? 'token'} ${token}`
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${gh.url}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}

const seal = (publicKey: string, value: string) =>
  sodium.to_base64(
    sodium.crypto_box_seal(sodium.from_string(value), sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL)),
    sodium.base64_variants.ORIGINAL,
  )

async function put(path: string, value: string, scope: { key_id: string; key: string }, token = W) {
  return call('PUT', path, { token, body: { encrypted_value: seal(scope.key, value), key_id: scope.key_id } })
}

const repoSecret = (name: string) => `/repos/${REPO}/actions/secrets/${name}`
const envSecret = (name: string) => `/repos/${REPO}/environments/${ENV}/secrets/${name}`

describe('authentication and permissions', () => {
  it('401 "Requires authentication" without a token, "Bad credentials" for an unknown one', async () => {
    const none = await call('GET', `/repos/${REPO}/actions/secrets/public-key`, { token: null })
    expect(none).toMatchObject({ status: 401, body: { message: 'Requires authentication', status: '401' } })
    expect(none.body.documentation_url).toMatch(/^https:\/\/docs\.github\.com\/rest/)
    const bad = await call('GET', `/repos/${REPO}/actions/secrets/public-key`, { token: 'nope' })
    expect(bad).toMatchObject({ status: 401, body: { message: 'Bad credentials' } })
  })

  it('accepts "token X" and "Bearer X"', async () => {
    expect((await call('GET', `/repos/${REPO}/actions/secrets/public-key`, { scheme: 'token' })).status).toBe(200)
    expect((await call('GET', `/repos/${REPO}/actions/secrets/public-key`, { scheme: 'Bearer' })).status).toBe(200)
    expect((await call('GET', `/repos/${REPO}/actions/secrets/public-key`, { scheme: 'bearer' })).status).toBe(200)
  })

  it('404 for a private repository outside the grant, and for one that does not exist', async () => {
    expect(await call('GET', `/repos/${REPO}/actions/secrets/public-key`, { token: 'other' })).toMatchObject({ status: 404, body: { message: 'Not Found' } })
    expect((await call('GET', '/repos/acme/missing/actions/secrets/public-key')).status).toBe(404)
    expect((await call('GET', `/repos/${REPO}/compare/a...b`, { token: null })).status).toBe(404)
  })

  it('a public repository is readable anonymously; its secrets are not', async () => {
    gh.addCommits('acme/site', 'a', 'b', [{ filename: 'index.md', status: 'modified' }])
    expect((await call('GET', '/repos/acme/site/compare/a...b', { token: null })).status).toBe(200)
    expect((await call('GET', '/repos/acme/site/actions/secrets/public-key', { token: null })).status).toBe(401)
  })

  it('the workflow GITHUB_TOKEN reads the public key but gets 403 "Resource not accessible by integration" on write', async () => {
    const key = await call('GET', `/repos/${REPO}/actions/secrets/public-key`, { token: 'wf' })
    expect(key.status).toBe(200)
    const res = await put(repoSecret('X'), 'v', key.body, 'wf')
    expect(res).toMatchObject({ status: 403, body: { message: 'Resource not accessible by integration' } })
    expect(res.headers.get('x-accepted-github-permissions')).toBe('secrets=write')
    expect((await call('GET', repoSecret('X'), { token: 'wf' })).status).toBe(403)
  })

  it('a PAT without write gets 403 "Resource not accessible by personal access token" naming the permission', async () => {
    const key = (await call('GET', `/repos/${REPO}/environments/${ENV}/secrets/public-key`, { token: 'ro' })).body
    const res = await put(envSecret('X'), 'v', key, 'ro')
    expect(res).toMatchObject({ status: 403, body: { message: 'Resource not accessible by personal access token' } })
    expect(res.headers.get('x-accepted-github-permissions')).toBe('environments=write')
    const runs = await call('GET', `/repos/${REPO}/actions/runs/1`, { token: 'ro' })
    expect(runs.status).toBe(403)
    expect(runs.headers.get('x-accepted-github-permissions')).toBe('actions=read')
  })
})

describe('secrets', () => {
  it('public keys are real X25519 keys, distinct per repository and environment', async () => {
    const repoKey = (await call('GET', `/repos/${REPO}/actions/secrets/public-key`)).body
    const envKey = (await call('GET', `/repos/${REPO}/environments/${ENV}/secrets/public-key`)).body
    for (const k of [repoKey, envKey]) {
      expect(Object.keys(k).sort()).toEqual(['key', 'key_id'])
      expect(k.key_id).toMatch(/^\d+$/)
      expect(Buffer.from(k.key, 'base64')).toHaveLength(32)
    }
    expect(envKey.key_id).not.toBe(repoKey.key_id)
    expect(gh.publicKey(REPO)).toEqual(repoKey)
    const priv = Buffer.from(gh.privateKeyBase64(REPO), 'base64')
    expect(Buffer.from(sodium.crypto_scalarmult_base(priv)).toString('base64')).toBe(repoKey.key)
  })

  it('PUT opens the sealed box and stores the plaintext: 201 {} on create, 204 on update', async () => {
    const key = gh.publicKey(REPO)
    const created = await put(repoSecret('FEISHU_TOKEN'), 'first', key)
    expect(created).toMatchObject({ status: 201, body: {} })
    expect(gh.secretValue(REPO, 'FEISHU_TOKEN')).toBe('first')
    const updated = await put(repoSecret('FEISHU_TOKEN'), 'second', key)
    expect(updated).toMatchObject({ status: 204, body: undefined })
    expect(gh.secretValue(REPO, 'FEISHU_TOKEN')).toBe('second')
    const stored = gh.storedSecret(REPO, 'FEISHU_TOKEN')!
    expect(stored.key_id).toBe(key.key_id)
    expect(stored.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  })

  it('secret names are case-insensitive and reported upper-case', async () => {
    await put(repoSecret('feishu_token'), 'v', gh.publicKey(REPO))
    const meta = await call('GET', repoSecret('Feishu_Token'))
    expect(meta).toMatchObject({ status: 200, body: { name: 'FEISHU_TOKEN' } })
    expect(Object.keys(meta.body).sort()).toEqual(['created_at', 'name', 'updated_at'])
    expect((await put(repoSecret('FEISHU_TOKEN'), 'w', gh.publicKey(REPO))).status).toBe(204)
  })

  it('environment secrets are separate from repository secrets and use the environment key', async () => {
    const envKey = gh.publicKey(REPO, ENV)
    expect((await put(envSecret('T'), 'env', envKey)).status).toBe(201)
    expect(gh.secretValue(REPO, 'T', ENV)).toBe('env')
    expect(gh.secretValue(REPO, 'T')).toBeUndefined()
    // Sealed for the repository key but sent to the environment: the key_id does not match.
    expect((await put(envSecret('T'), 'wrong', gh.publicKey(REPO))).status).toBe(422)
    expect((await call('GET', `/repos/${REPO}/environments/nope/secrets/public-key`)).status).toBe(404)
    expect((await put(`/repos/${REPO}/environments/nope/secrets/T`, 'x', envKey)).status).toBe(404)
    expect((await call('GET', `/repos/${REPO}/environments/${ENV.toUpperCase()}/secrets/public-key`)).status).toBe(200)
  })

  it('validates the body: JSON, required fields, base64 ORIGINAL pattern', async () => {
    const key = gh.publicKey(REPO)
    expect(await call('PUT', repoSecret('T'), { raw: '{not json' })).toMatchObject({ status: 400, body: { message: 'Problems parsing JSON' } })
    expect(await call('PUT', repoSecret('T'), { body: { encrypted_value: seal(key.key, 'v') } })).toMatchObject({
      status: 422,
      body: { message: 'Invalid request.\n\n"key_id" wasn\'t supplied.' },
    })
    expect((await call('PUT', repoSecret('T'), { body: {} })).body.message).toMatch(/"encrypted_value", "key_id" weren't supplied/)
    expect((await call('PUT', repoSecret('T'), { body: { encrypted_value: 5, key_id: key.key_id } })).status).toBe(422)
    const urlsafe = sodium.to_base64(
      sodium.crypto_box_seal(sodium.from_string('v'), sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL)),
      sodium.base64_variants.URLSAFE_NO_PADDING,
    )
    const bad = await call('PUT', repoSecret('T'), { body: { encrypted_value: urlsafe, key_id: key.key_id } })
    expect(bad.status).toBe(422)
    expect(bad.body.message).toMatch(/encrypted_value/)
    expect(gh.storedSecret(REPO, 'T')).toBeUndefined()
  })

  it('422 for a stale key_id after rotation, and for a box that does not open', async () => {
    const old = gh.publicKey(REPO)
    gh.rotateKey(REPO)
    const stale = await put(repoSecret('T'), 'v', old)
    expect(stale).toMatchObject({ status: 422, body: { message: 'Bad request - validation failed due to an improperly encrypted secret' } })
    const other = sodium.crypto_box_keypair()
    const foreign = { key_id: gh.publicKey(REPO).key_id, key: Buffer.from(other.publicKey).toString('base64') }
    expect((await put(repoSecret('T'), 'v', foreign)).status).toBe(422)
    const garbage = await call('PUT', repoSecret('T'), { body: { encrypted_value: Buffer.alloc(80, 7).toString('base64'), key_id: gh.publicKey(REPO).key_id } })
    expect(garbage.status).toBe(422)
    expect(gh.storedSecret(REPO, 'T')).toBeUndefined()
    expect((await put(repoSecret('T'), 'v', gh.publicKey(REPO))).status).toBe(201)
  })

  it('422 for names GitHub refuses', async () => {
    for (const name of ['GITHUB_X', 'github_x', '1ABC', 'A-B', 'A%20B']) {
      expect((await put(repoSecret(name), 'v', gh.publicKey(REPO))).status, name).toBe(422)
    }
  })

  it('422 for a value over 48 KB', async () => {
    expect((await put(repoSecret('BIG'), 'x'.repeat(48 * 1024), gh.publicKey(REPO))).status).toBe(201)
    expect((await put(repoSecret('BIG'), 'x'.repeat(48 * 1024 + 1), gh.publicKey(REPO))).status).toBe(422)
  })

  it('GET metadata, DELETE 204, then 404', async () => {
    await put(repoSecret('T'), 'v', gh.publicKey(REPO))
    expect((await call('DELETE', repoSecret('T'))).status).toBe(204)
    expect((await call('GET', repoSecret('T'))).status).toBe(404)
    expect((await call('DELETE', repoSecret('T'))).status).toBe(404)
  })

  it('records calls under operationId route names, never with the plaintext', async () => {
    await put(repoSecret('T'), 'PLAINTEXT-CANARY', gh.publicKey(REPO))
    expect(gh.server.calls.map((c) => c.route)).toEqual(['actions/create-or-update-repo-secret'])
    expect(JSON.stringify(gh.server.calls)).not.toContain('PLAINTEXT-CANARY')
  })
})

describe('compare', () => {
  it('404 for unknown commits, a malformed basehead, or unrelated histories', async () => {
    gh.addCommits(REPO, 'a', 'b', [])
    gh.addCommits(REPO, 'x', 'y', [])
    expect(await call('GET', `/repos/${REPO}/compare/a...zzz`)).toMatchObject({ status: 404, body: { message: 'Not Found' } })
    expect((await call('GET', `/repos/${REPO}/compare/a..b`)).status).toBe(404)
    expect((await call('GET', `/repos/${REPO}/compare/b...y`)).body.message).toMatch(/No common ancestor/)
  })

  it('paginates commits with Link headers and lists files on the first page only, capped at 300', async () => {
    const files = Array.from({ length: 320 }, (_, i) => ({ filename: `f${String(i).padStart(3, '0')}.md`, status: 'added' as const }))
    gh.addCommits(REPO, 'c0', 'c1', files)
    let head = ''
    for (let i = 2; i <= 45; i++) head = gh.addCommits(REPO, `c${i - 1}`, `c${i}`, []).head
    const page1 = await call('GET', `/repos/${REPO}/compare/c0...c45?per_page=20&page=1`)
    expect(page1.body.files).toHaveLength(300)
    expect(page1.body.commits).toHaveLength(20)
    expect(page1.body).toMatchObject({ ahead_by: 45, total_commits: 45, status: 'ahead' })
    expect(page1.headers.get('link')).toMatch(/page=2>; rel="next".*page=3>; rel="last"/)
    const page3 = await call('GET', `/repos/${REPO}/compare/c0...c45?per_page=20&page=3`)
    expect(page3.body.commits).toHaveLength(5)
    expect(page3.body.files).toBeUndefined()
    expect(page3.headers.get('link')).toMatch(/rel="prev".*rel="first"/)
    const unpaged = await call('GET', `/repos/${REPO}/compare/c0...c45`)
    expect(unpaged.body.commits).toHaveLength(45)
    expect(unpaged.body.commits.at(-1).sha).toBe(head) // newest last
    expect(unpaged.headers.get('link')).toBeNull()
  })

  it('follows the default branch name to the newest head', async () => {
    const { head } = gh.addCommits(REPO, 'a', 'b', [{ filename: 'x.md', status: 'added' }])
    const res = await call('GET', `/repos/${REPO}/compare/a...main`)
    expect(res.body.commits.at(-1).sha).toBe(head)
  })
})

describe('netChanges (folding a commit range like a three-dot diff)', () => {
  it('added then removed vanishes; removed then added is modified', () => {
    expect(netChanges([[{ filename: 'a', status: 'added' }], [{ filename: 'a', status: 'removed' }]])).toEqual([])
    expect(netChanges([[{ filename: 'a', status: 'removed' }], [{ filename: 'a', status: 'added' }]])).toMatchObject([{ filename: 'a', status: 'modified' }])
  })

  it('rename chains collapse; a rename back is a modification; a renamed file removed removes the original', () => {
    const r = (from: string, to: string) => ({ filename: to, status: 'renamed' as const, previous_filename: from })
    expect(netChanges([[r('a', 'b')], [r('b', 'c')]])).toMatchObject([{ filename: 'c', status: 'renamed', previous_filename: 'a' }])
    expect(netChanges([[r('a', 'b')], [r('b', 'a')]])).toMatchObject([{ filename: 'a', status: 'modified' }])
    expect(netChanges([[r('a', 'b')], [{ filename: 'b', status: 'removed' }]])).toMatchObject([{ filename: 'a', status: 'removed' }])
    expect(netChanges([[{ filename: 'n', status: 'added' }], [r('n', 'm')]])).toMatchObject([{ filename: 'm', status: 'added' }])
  })

  it('modifying an added file keeps it added and sums line counts', () => {
    expect(
      netChanges([[{ filename: 'a', status: 'added', additions: 3 }], [{ filename: 'a', status: 'modified', additions: 2, deletions: 1 }]]),
    ).toEqual([{ filename: 'a', status: 'added', additions: 5, deletions: 1 }])
  })
})

describe('runs and faults', () => {
  it('GET a workflow run; 404 for an unknown one', async () => {
    gh.addRun(REPO, 42, '2026-01-02T03:04:05Z')
    const run = await call('GET', `/repos/${REPO}/actions/runs/42`)
    expect(run).toMatchObject({ status: 200, body: { id: 42, created_at: '2026-01-02T03:04:05Z', run_attempt: 1 } })
    expect((await call('GET', `/repos/${REPO}/actions/runs/43`)).status).toBe(404)
  })

  it('secondary rate limits come from fault injection with GitHub\'s body and retry-after', async () => {
    gh.server.inject({ route: 'actions/get-repo-public-key', status: 403, headers: { 'retry-after': '60' }, body: secondaryRateLimitBody() })
    const limited = await call('GET', `/repos/${REPO}/actions/secrets/public-key`)
    expect(limited.status).toBe(403)
    expect(limited.headers.get('retry-after')).toBe('60')
    expect(limited.body.message).toMatch(/secondary rate limit/)
    expect((await call('GET', `/repos/${REPO}/actions/secrets/public-key`)).status).toBe(200)
    const disarm = gh.secondaryRateLimit({ route: 'actions/get-repo-public-key', times: Infinity, retryAfterSeconds: 5 })
    expect((await call('GET', `/repos/${REPO}/actions/secrets/public-key`)).headers.get('retry-after')).toBe('5')
    disarm()
    expect((await call('GET', `/repos/${REPO}/actions/secrets/public-key`)).status).toBe(200)
  })

  it('unknown paths answer GitHub\'s 404 body', async () => {
    expect(await call('GET', '/nope')).toMatchObject({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } })
  })
})
