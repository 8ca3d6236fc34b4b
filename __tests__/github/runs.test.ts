import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GitHubApiError } from '../../src/github/client.js'
import { getRunQueuedAt } from '../../src/github/runs.js'
import { type Fixture, NAME, OWNER, REPO, TOKENS, startFixture } from './fixtures.js'

let f: Fixture
beforeEach(async () => {
  f = await startFixture()
  f.gh.addRun(REPO, 7001, '2026-03-01T10:00:00Z')
  f.gh.addRun(REPO, 7002, '2026-03-01T10:00:00Z', { runAttempt: 2, runStartedAt: '2026-03-02T08:30:00Z' })
})
afterEach(async () => {
  await f.close()
})

describe('getRunQueuedAt', () => {
  it("returns the run's created_at when the token has 'Actions: read'", async () => {
    expect(await getRunQueuedAt(f.client, OWNER, NAME, 7001)).toBe('2026-03-01T10:00:00Z')
    expect(f.gh.server.callsTo('actions/get-workflow-run')[0]?.path).toBe(`/repos/${REPO}/actions/runs/7001`)
  })

  it('returns run_started_at for a re-run attempt, which was queued (and read secrets) again', async () => {
    expect(await getRunQueuedAt(f.client, OWNER, NAME, 7002)).toBe('2026-03-02T08:30:00Z')
  })

  it('works with the workflow GITHUB_TOKEN (actions: read)', async () => {
    expect(await getRunQueuedAt(f.clientFor(TOKENS.workflow), OWNER, NAME, 7001)).toBe('2026-03-01T10:00:00Z')
  })

  it('returns undefined without the permission (403), for an invisible repository or an unknown run (404)', async () => {
    expect(await getRunQueuedAt(f.clientFor(TOKENS.reader), OWNER, NAME, 7001)).toBeUndefined()
    expect(f.gh.server.callsTo('actions/get-workflow-run')[0]?.status).toBe(403)
    expect(await getRunQueuedAt(f.clientFor(TOKENS.stranger), OWNER, NAME, 7001)).toBeUndefined()
    expect(await getRunQueuedAt(f.client, OWNER, NAME, 999)).toBeUndefined()
  })

  it('throws on a bad token', async () => {
    await expect(getRunQueuedAt(f.clientFor('bogus'), OWNER, NAME, 7001)).rejects.toBeInstanceOf(GitHubApiError)
  })
})
