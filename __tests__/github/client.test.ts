import net from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { secondaryRateLimitBody } from '../../emulator/github/index.js'
import { GitHubApiError, createGitHubClient } from '../../src/github/client.js'
import { type Fixture, TOKENS, startFixture } from './fixtures.js'

const KEY = 'actions/get-repo-public-key'
const route = 'GET /repos/{owner}/{repo}/actions/secrets/public-key'
const params = { owner: 'acme', repo: 'handbook' }

let f: Fixture
beforeEach(async () => {
  f = await startFixture()
})
afterEach(async () => {
  await f.close()
})

describe('GitHub client', () => {
  it("sends GitHub's media type, API version, the token and a user agent", async () => {
    const res = await f.client.request(KEY, route, params)
    expect(res).toMatchObject({ status: 200, attempts: 1 })
    const headers = f.gh.server.calls[0]!.headers
    expect(headers.accept).toBe('application/vnd.github+json')
    expect(headers['x-github-api-version']).toBe('2022-11-28')
    expect(headers.authorization).toBe(`token ${TOKENS.writer}`)
    expect(headers['user-agent']).toMatch(/^feishu-wiki-sync/)
  })

  it('does not retry 4xx that are not rate limits', async () => {
    for (const status of [400, 403, 404, 409]) {
      f.gh.server.inject({ route: KEY, status, body: { message: `nope ${status}`, documentation_url: 'https://docs.github.com/rest' } })
      const error = await f.client.request(KEY, route, params).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(GitHubApiError)
      expect(error).toMatchObject({ status, attempts: 1, githubMessage: `nope ${status}` })
    }
    expect(f.sleeps).toEqual([])
  })

  it('waits at least a minute on a secondary rate limit without retry-after', async () => {
    f.gh.server.inject({ route: KEY, status: 403, body: secondaryRateLimitBody() })
    await f.client.request(KEY, route, params)
    expect(f.sleeps).toEqual([60_000])
  })

  it('reads retry-after as an HTTP date, and caps any rate-limit wait at 15 minutes', async () => {
    const now = Date.UTC(2026, 5, 1, 12, 0, 0)
    const client = f.clientFor(TOKENS.writer, { now: () => now })
    f.gh.server.inject({ route: KEY, status: 429, headers: { 'retry-after': new Date(now + 5_000).toUTCString() }, body: { message: 'slow down' } })
    await client.request(KEY, route, params)
    f.gh.server.inject({ route: KEY, status: 403, headers: { 'retry-after': '86400' }, body: secondaryRateLimitBody() })
    await client.request(KEY, route, params)
    expect(f.sleeps).toEqual([5_000, 15 * 60_000])
  })

  it('grows the backoff exponentially and reports each retry', async () => {
    f.gh.server.inject({ route: KEY, status: 500, times: 3, body: { message: 'x' } })
    const res = await f.client.request(KEY, route, params, { maxAttempts: 4 })
    expect(res.attempts).toBe(4)
    expect(f.sleeps).toEqual([750, 1500, 3000])
    expect(f.retries.map((r) => [r.attempt, r.status, r.reason])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 500, 'HTTP 500'],
      [3, 500, 'HTTP 500'],
    ])
  })

  it('carries GitHub error details: documentation_url, X-Accepted-GitHub-Permissions, request id', async () => {
    const error = (await f.clientFor(TOKENS.workflow).request('actions/get-repo-secret', 'GET /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
      ...params,
      secret_name: 'X',
    }).catch((e: unknown) => e)) as GitHubApiError
    expect(error).toMatchObject({
      status: 403,
      githubMessage: 'Resource not accessible by integration',
      documentationUrl: 'https://docs.github.com/rest/actions/secrets#get-a-repository-secret',
      acceptedPermissions: 'secrets=read',
    })
    expect(error.requestId).toMatch(/^[0-9A-F]{20}$/)
    expect(error.message).toContain('X-Accepted-GitHub-Permissions: secrets=read')
  })

  it('reports an unreachable API as a network error after its attempts', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer()
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port
        s.close(() => resolve(p))
      })
    })
    const sleeps: number[] = []
    const client = createGitHubClient({ token: 't', baseUrl: `http://127.0.0.1:${port}/`, sleep: async (ms) => void sleeps.push(ms), maxAttempts: 3 })
    const error = (await client.request(KEY, route, params).catch((e: unknown) => e)) as GitHubApiError
    expect(error).toMatchObject({ status: 0, attempts: 3 })
    expect(error.message).toMatch(new RegExp(`could not reach the GitHub API at http://127.0.0.1:${port} .*after 3 attempts`))
    expect(sleeps).toHaveLength(2)
  })
})
