import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GitHubApiError } from '../../src/github/client.js'
import { COMPARE_FILES_CAP, IncompleteCompareError, compareCommits, compareCommitsDetailed } from '../../src/github/changes.js'
import { type Fixture, NAME, OWNER, REPO, TOKENS, startFixture } from './fixtures.js'

let f: Fixture
beforeEach(async () => {
  f = await startFixture()
})
afterEach(async () => {
  await f.close()
})

const COMPARE = 'repos/compare-commits-with-basehead'

describe('compareCommits', () => {
  it('lists added, modified, removed and renamed files with the previous path', async () => {
    f.gh.addCommits(REPO, 'v1', 'v2', [
      { filename: 'docs/new.md', status: 'added' },
      { filename: 'docs/guide.md', status: 'modified' },
      { filename: 'docs/old.md', status: 'removed' },
      { filename: 'docs/b/renamed.md', status: 'renamed', previous_filename: 'docs/a/renamed.md' },
    ])
    const files = await compareCommits(f.client, OWNER, NAME, 'v1', 'v2')
    expect(files).toEqual([
      { path: 'docs/b/renamed.md', status: 'renamed', previousPath: 'docs/a/renamed.md' },
      { path: 'docs/guide.md', status: 'modified' },
      { path: 'docs/new.md', status: 'added' },
      { path: 'docs/old.md', status: 'removed' },
    ])
    expect(f.gh.server.callsTo(COMPARE)[0]?.path).toBe(`/repos/${REPO}/compare/v1...v2`)
    expect(f.gh.server.callsTo(COMPARE)[0]?.query).toEqual({ per_page: '100', page: '1' })
  })

  it('reports the net change over several commits (a missed run catches up in one comparison)', async () => {
    f.gh.addCommits(REPO, 'c0', 'c1', [
      { filename: 'docs/tmp.md', status: 'added' },
      { filename: 'docs/a.md', status: 'renamed', previous_filename: 'docs/start.md' },
    ])
    f.gh.addCommits(REPO, 'c1', 'c2', [
      { filename: 'docs/tmp.md', status: 'removed' },
      { filename: 'docs/b.md', status: 'renamed', previous_filename: 'docs/a.md' },
      { filename: 'docs/keep.md', status: 'modified' },
    ])
    const files = await compareCommits(f.client, OWNER, NAME, 'c0', 'c2')
    expect(files).toEqual([
      { path: 'docs/b.md', status: 'renamed', previousPath: 'docs/start.md' },
      { path: 'docs/keep.md', status: 'modified' },
    ])
  })

  it('follows pages while they carry files; GitHub lists files on page 1 only', async () => {
    let prev = 'root'
    for (let i = 1; i <= 150; i++) {
      f.gh.addCommits(REPO, prev, `k${i}`, i === 1 ? [{ filename: 'docs/first.md', status: 'added' }] : [{ filename: `docs/p${i}.md`, status: 'added' }])
      prev = `k${i}`
    }
    const result = await compareCommitsDetailed(f.client, OWNER, NAME, 'root', 'k150')
    expect(result.files).toHaveLength(150)
    expect(result).toMatchObject({ truncated: false, status: 'ahead', aheadBy: 150, totalCommits: 150, requests: 2 })
    expect(f.gh.server.callsTo(COMPARE).map((c) => c.query.page)).toEqual(['1', '2'])
  })

  it(`flags a comparison that reached GitHub's ${COMPARE_FILES_CAP}-file cap as truncated`, async () => {
    const many = Array.from({ length: 350 }, (_, i) => ({ filename: `docs/f${String(i).padStart(3, '0')}.md`, status: 'added' as const }))
    f.gh.addCommits(REPO, 'base', 'big', many)
    const detailed = await compareCommitsDetailed(f.client, OWNER, NAME, 'base', 'big')
    expect(detailed.files).toHaveLength(COMPARE_FILES_CAP)
    expect(detailed.truncated).toBe(true)
    const error = await compareCommits(f.client, OWNER, NAME, 'base', 'big').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IncompleteCompareError)
    expect(error).toMatchObject({ reason: 'truncated' })
    expect((error as Error).message).toMatch(/full sync is needed/)
  })

  it('refuses a diverged comparison (rewritten history) and a head behind base', async () => {
    f.gh.addCommits(REPO, 'm0', 'lost', [{ filename: 'docs/lost.md', status: 'added' }])
    f.gh.addCommits(REPO, 'm0', 'rewritten', [{ filename: 'docs/new.md', status: 'added' }])
    const diverged = await compareCommits(f.client, OWNER, NAME, 'lost', 'rewritten').catch((e: unknown) => e)
    expect(diverged).toMatchObject({ reason: 'diverged' })
    const detailed = await compareCommitsDetailed(f.client, OWNER, NAME, 'lost', 'rewritten')
    expect(detailed).toMatchObject({ status: 'diverged', aheadBy: 1, behindBy: 1 })
    expect(detailed.mergeBaseSha).toMatch(/^[0-9a-f]{40}$/)
    const behind = await compareCommits(f.client, OWNER, NAME, 'rewritten', 'm0').catch((e: unknown) => e)
    expect(behind).toMatchObject({ reason: 'behind' })
  })

  it('an identical comparison has no files', async () => {
    f.gh.addCommits(REPO, 'a', 'b', [{ filename: 'x.md', status: 'added' }])
    expect(await compareCommits(f.client, OWNER, NAME, 'b', 'b')).toEqual([])
  })

  it('accepts full and abbreviated SHAs', async () => {
    const { base, head } = f.gh.addCommits(REPO, 'a', 'b', [{ filename: 'x.md', status: 'modified' }])
    expect(await compareCommits(f.client, OWNER, NAME, base, head.slice(0, 7))).toEqual([{ path: 'x.md', status: 'modified' }])
  })

  it('explains an unknown commit (force-pushed away?) and an invisible repository', async () => {
    f.gh.addCommits(REPO, 'a', 'b', [])
    const unknown = await compareCommits(f.client, OWNER, NAME, 'gone', 'b').catch((e: unknown) => e)
    expect(unknown).toBeInstanceOf(GitHubApiError)
    expect((unknown as GitHubApiError).status).toBe(404)
    expect((unknown as Error).message).toMatch(/cannot compare gone\.\.\.b in acme\/handbook.*does not exist.*'Contents: read'/)
    const stranger = await compareCommits(f.clientFor(TOKENS.stranger), OWNER, NAME, 'a', 'b').catch((e: unknown) => e)
    expect((stranger as GitHubApiError).status).toBe(404)
  })
})
