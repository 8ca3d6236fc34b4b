// Fidelity of the GitHub emulator as seen by OTHERS' code: GitHub's own client (@octokit/rest) drives it, every
// response is checked against GitHub's OpenAPI description, every request body Octokit sent is checked against
// the same description, values are sealed by the test with libsodium-wrappers (the GitHub docs recipe), and
// what the emulator stored is opened with an independent libsodium (PyNaCl).
import { Octokit } from '@octokit/rest'
import sodium from 'libsodium-wrappers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GitHubEmulator, startGitHubEmulator } from '../../emulator/github/index.js'
import { assertValidGitHubRequest, assertValidGitHubResponse } from '../helpers/github-openapi.js'
import { openSealedBoxWithPyNaCl } from '../helpers/pynacl.js'

const owner = 'acme'
const repo = 'handbook'
const REPO = `${owner}/${repo}`
const ENV = 'wiki sync/eu' // a space and a slash: Octokit must encode both

let gh: GitHubEmulator
let octokit: Octokit
const silent = { debug() {}, info() {}, warn() {}, error() {} }

beforeAll(async () => {
  await sodium.ready
  gh = await startGitHubEmulator({ repos: [{ fullName: REPO, private: true, environments: [ENV] }] })
  gh.addToken('pat', { repos: [REPO], secrets: 'write', environments: 'write', contents: 'read', actions: 'read' })
  gh.addToken('wf', { repos: [REPO], contents: 'read', actions: 'read', kind: 'github-token' })
  octokit = new Octokit({ auth: 'pat', baseUrl: gh.url, log: silent })
})
afterAll(async () => {
  await gh?.close()
})

/** The GitHub docs' Node recipe (https://docs.github.com/en/rest/guides/encrypting-secrets-for-the-rest-api). */
function seal(key: string, secret: string): string {
  const binkey = sodium.from_base64(key, sodium.base64_variants.ORIGINAL)
  const enc = sodium.crypto_box_seal(sodium.from_string(secret), binkey)
  return sodium.to_base64(enc, sodium.base64_variants.ORIGINAL)
}

async function requestError(p: Promise<unknown>): Promise<{ status: number; data: unknown; headers: Record<string, string> }> {
  const error = (await p.then(
    () => {
      throw new Error('expected the request to fail')
    },
    (e: unknown) => e,
  )) as { status: number; response?: { data: unknown; headers: Record<string, string> } }
  return { status: error.status, data: error.response?.data, headers: error.response?.headers ?? {} }
}

describe('Octokit against the emulator: repository secrets', () => {
  it('get key → create (201) → update (204) → metadata → delete (204) → 404', async () => {
    const key = await octokit.rest.actions.getRepoPublicKey({ owner, repo })
    assertValidGitHubResponse('actions/get-repo-public-key', key.status, key.data)

    const created = await octokit.rest.actions.createOrUpdateRepoSecret({
      owner,
      repo,
      secret_name: 'FEISHU_REFRESH_TOKEN',
      encrypted_value: seal(key.data.key, 'ur-from-octokit-1'),
      key_id: key.data.key_id,
    })
    expect(created.status).toBe(201)
    assertValidGitHubResponse('actions/create-or-update-repo-secret', created.status, created.data)

    const updated = await octokit.rest.actions.createOrUpdateRepoSecret({
      owner,
      repo,
      secret_name: 'FEISHU_REFRESH_TOKEN',
      encrypted_value: seal(key.data.key, 'ur-from-octokit-2'),
      key_id: key.data.key_id,
    })
    expect(updated.status).toBe(204)
    assertValidGitHubResponse('actions/create-or-update-repo-secret', updated.status, updated.data)

    const stored = gh.storedSecret(REPO, 'FEISHU_REFRESH_TOKEN')!
    expect(openSealedBoxWithPyNaCl(gh.privateKeyBase64(REPO), stored.encrypted_value)).toBe('ur-from-octokit-2')

    const meta = await octokit.rest.actions.getRepoSecret({ owner, repo, secret_name: 'FEISHU_REFRESH_TOKEN' })
    assertValidGitHubResponse('actions/get-repo-secret', meta.status, meta.data)
    expect(meta.data).toEqual({ name: 'FEISHU_REFRESH_TOKEN', created_at: stored.created_at, updated_at: stored.updated_at })

    const deleted = await octokit.rest.actions.deleteRepoSecret({ owner, repo, secret_name: 'FEISHU_REFRESH_TOKEN' })
    expect(deleted.status).toBe(204)
    assertValidGitHubResponse('actions/delete-repo-secret', deleted.status, deleted.data)

    const gone = await requestError(octokit.rest.actions.getRepoSecret({ owner, repo, secret_name: 'FEISHU_REFRESH_TOKEN' }))
    expect(gone.status).toBe(404)
    assertValidGitHubResponse('actions/get-repo-secret', gone.status, gone.data)
  })
})

describe('Octokit against the emulator: environment secrets', () => {
  it('uses the environment key under the encoded environment path', async () => {
    const key = await octokit.rest.actions.getEnvironmentPublicKey({ owner, repo, environment_name: ENV })
    assertValidGitHubResponse('actions/get-environment-public-key', key.status, key.data)
    expect(key.data.key_id).not.toBe(gh.publicKey(REPO).key_id)

    const created = await octokit.rest.actions.createOrUpdateEnvironmentSecret({
      owner,
      repo,
      environment_name: ENV,
      secret_name: 'FEISHU_REFRESH_TOKEN',
      encrypted_value: seal(key.data.key, 'ur-env'),
      key_id: key.data.key_id,
    })
    expect(created.status).toBe(201)
    assertValidGitHubResponse('actions/create-or-update-environment-secret', created.status, created.data)
    expect(gh.secretValue(REPO, 'FEISHU_REFRESH_TOKEN', ENV)).toBe('ur-env')
    expect(gh.secretValue(REPO, 'FEISHU_REFRESH_TOKEN')).toBeUndefined()
    expect(gh.server.callsTo('actions/create-or-update-environment-secret').at(-1)?.path).toBe(
      `/repos/${REPO}/environments/wiki%20sync%2Feu/secrets/FEISHU_REFRESH_TOKEN`,
    )

    const meta = await octokit.rest.actions.getEnvironmentSecret({ owner, repo, environment_name: ENV, secret_name: 'FEISHU_REFRESH_TOKEN' })
    assertValidGitHubResponse('actions/get-environment-secret', meta.status, meta.data)
    const deleted = await octokit.rest.actions.deleteEnvironmentSecret({ owner, repo, environment_name: ENV, secret_name: 'FEISHU_REFRESH_TOKEN' })
    assertValidGitHubResponse('actions/delete-environment-secret', deleted.status, deleted.data)
  })
})

describe('Octokit against the emulator: compare and runs', () => {
  it('compareCommitsWithBasehead with renames and removals; paginate.iterator follows Link headers', async () => {
    gh.addCommits(REPO, 'v1', 'v2', [
      { filename: 'docs/a.md', status: 'modified', additions: 3, deletions: 1 },
      { filename: 'docs/gone.md', status: 'removed' },
      { filename: 'docs/new name.md', status: 'renamed', previous_filename: 'docs/old name.md' },
    ])
    for (let i = 3; i <= 12; i++) gh.addCommits(REPO, `v${i - 1}`, `v${i}`, [])
    const res = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: 'v1...v12' })
    assertValidGitHubResponse('repos/compare-commits-with-basehead', res.status, res.data)
    expect(res.data.files?.map((f) => [f.filename, f.status, f.previous_filename])).toEqual([
      ['docs/a.md', 'modified', undefined],
      ['docs/gone.md', 'removed', undefined],
      ['docs/new name.md', 'renamed', 'docs/old name.md'],
    ])
    expect(res.data.files?.[0]).toMatchObject({ additions: 3, deletions: 1, changes: 4 })

    const pages: { commits: unknown[]; files?: unknown[] }[] = []
    for await (const page of octokit.paginate.iterator(octokit.rest.repos.compareCommitsWithBasehead, { owner, repo, basehead: 'v1...v12', per_page: 4 })) {
      assertValidGitHubResponse('repos/compare-commits-with-basehead', page.status, page.data)
      pages.push(page.data as unknown as { commits: unknown[]; files?: unknown[] })
    }
    expect(pages.map((p) => p.commits.length)).toEqual([4, 4, 3])
    expect(pages.map((p) => p.files?.length)).toEqual([3, undefined, undefined])

    const missing = await requestError(octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: 'v1...nope' }))
    expect(missing.status).toBe(404)
    assertValidGitHubResponse('repos/compare-commits-with-basehead', missing.status, missing.data)
  })

  it('getWorkflowRun', async () => {
    gh.addRun(REPO, 123456, '2026-04-01T00:00:00Z')
    const run = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: 123456 })
    assertValidGitHubResponse('actions/get-workflow-run', run.status, run.data)
    expect(run.data.created_at).toBe('2026-04-01T00:00:00Z')
  })
})

describe('Octokit against the emulator: errors', () => {
  it('401, 403 (integration, with X-Accepted-GitHub-Permissions), 404 and 422 in GitHub\'s error shape', async () => {
    const bad = await requestError(new Octokit({ auth: 'nope', baseUrl: gh.url, log: silent }).rest.actions.getRepoPublicKey({ owner, repo }))
    expect(bad.status).toBe(401)
    assertValidGitHubResponse('actions/get-repo-public-key', bad.status, bad.data)

    const wf = new Octokit({ auth: 'wf', baseUrl: gh.url, log: silent })
    const key = (await wf.rest.actions.getRepoPublicKey({ owner, repo })).data
    const denied = await requestError(
      wf.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: 'X', encrypted_value: seal(key.key, 'v'), key_id: key.key_id }),
    )
    expect(denied.status).toBe(403)
    expect(denied.data).toMatchObject({ message: 'Resource not accessible by integration' })
    expect(denied.headers['x-accepted-github-permissions']).toBe('secrets=write')
    assertValidGitHubResponse('actions/create-or-update-repo-secret', denied.status, denied.data)

    const notFound = await requestError(octokit.rest.actions.getRepoPublicKey({ owner, repo: 'missing' }))
    expect(notFound.status).toBe(404)
    assertValidGitHubResponse('actions/get-repo-public-key', notFound.status, notFound.data)

    const old = (await octokit.rest.actions.getRepoPublicKey({ owner, repo })).data
    gh.rotateKey(REPO)
    const stale = await requestError(
      octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: 'X', encrypted_value: seal(old.key, 'v'), key_id: old.key_id }),
    )
    expect(stale.status).toBe(422)
    assertValidGitHubResponse('actions/create-or-update-repo-secret', stale.status, stale.data)
  })
})

describe('request bodies Octokit sent', () => {
  it('every PUT body matches the OpenAPI requestBody schema', () => {
    const puts = gh.server.calls.filter((c) => c.method === 'PUT')
    expect(puts.length).toBeGreaterThanOrEqual(4)
    for (const call of puts) {
      const op = call.path.includes('/environments/') ? 'actions/create-or-update-environment-secret' : 'actions/create-or-update-repo-secret'
      assertValidGitHubRequest(op, call.body)
    }
  })
})
