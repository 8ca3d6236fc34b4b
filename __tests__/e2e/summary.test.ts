// The job summary leads with what needs a person, in the five states a new user meets (scripts/summary-states.ts:
// real runs of the bundle against the emulators). `npm run screenshots` renders the same states as PNGs.
import { describe, expect, it } from 'vitest'
import { runSummaryState } from '../../scripts/summary-states.js'
import { startWorld } from '../helpers/world.js'

const heading = '<h2>Feishu wiki sync</h2>\n'
/** What comes right under the heading. */
const lead = (summary: string) => summary.slice(summary.indexOf(heading) + heading.length)

describe('job summary', () => {
  it('success: says nothing needs you; times read as dates with "in 7 days"; "Next run needed by" is explained', async () => {
    const run = await runSummaryState('success')
    expect(run.exitCode, run.stdout).toBe(0)
    expect(lead(run.summary)).toMatch(/^<p>✅ Everything was published; nothing needs you\.<\/p>/)
    expect(run.summary).toMatch(/<td>\d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 7 days\)<\/td><td>\d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 7 days\)<\/td>/)
    expect(run.summary).not.toMatch(/\d\d:\d\d:\d\d\.\d{3}Z/) // no raw ISO times
    expect(run.summary).toContain('<em>Next run needed by</em>: the next run must start before then')
  })

  it('a failed page: the first line says how many of how many failed and names it with its reason; one annotation per file', async () => {
    const run = await runSummaryState('failed-page')
    expect(run.exitCode).toBe(1)
    expect(lead(run.summary)).toMatch(/^<p><strong>❌ 1 of 5 pages failed to publish<\/strong>; the others were published\.<\/p><ul><li><code>docs\/legacy\.md<\/code>: is not valid UTF-8/)
    expect(run.summary.indexOf('failed to publish')).toBeLessThan(run.summary.indexOf('Token rotation'))
    const errors = run.annotations.filter((a) => a.level === 'error')
    expect(errors.find((a) => a.file === 'docs/legacy.md')).toMatchObject({ line: 3 })
    expect(errors.find((a) => a.file === 'docs/legacy.md')?.message).toContain('is not valid UTF-8')
    expect(errors.some((a) => a.message.includes('1 of 5 pages failed to publish'))).toBe(true)
  })

  it('a token already used: the fix comes first with every known value, and the causes are one list', async () => {
    const run = await runSummaryState('token-already-used')
    expect(run.exitCode).toBe(3)
    expect(lead(run.summary)).toMatch(
      /^<p><strong>❌ The refresh token was already used<\/strong><\/p>\n<ul><li>Fix: run <code>npx feishu-wiki-sync auth --repo acme\/handbook --environment wiki-sync --app-id cli_emulator --base-url http:\/\/127\.0\.0\.1:\d+ --github-api-url http:\/\/127\.0\.0\.1:\d+<\/code>/,
    )
    expect(run.summary).toMatch(/<p>It gets spent twice when:<\/p>\n<ul>(<li>[^<]*(<code>[^<]*<\/code>[^<]*)*<\/li>){3}<\/ul>/)
    expect(run.summary).not.toContain('<li>- ')
    expect(run.summary).not.toContain('(step:')
  })

  it('warnings: the workflow problems come first, and a page shows its warnings in its row', async () => {
    const run = await runSummaryState('warnings')
    expect(run.exitCode, run.stdout).toBe(0)
    expect(lead(run.summary)).toMatch(/^<h3>⚠️ The workflow can break the token chain<\/h3>/)
    expect(run.summary).toMatch(/<td><code>docs\/install\.md<\/code><\/td>.*⚠️ line 3: This list starts at 3.*<br>⚠️ line 6: Code language (?:&quot;|")cobol85/)
    expect(run.summary).not.toMatch(/\(\d+ warnings?\)/)
  })

  it('a bad space: words and the Feishu code with its meaning, no internal names', async () => {
    const run = await runSummaryState('bad-space')
    expect(run.exitCode).toBe(1)
    expect(lead(run.summary)).toMatch(/^<p><strong>❌ Publishing stopped \(the refresh token was rotated and saved\)<\/strong><\/p>/)
    expect(run.summary).toContain("space-id '7000000000000000404': Feishu answered with code 131005 (not found: no such wiki space or node")
    expect(run.summary).not.toMatch(/wiki\.space\.get|\(step: |The publish step failed/)
  })

  it('every URL in a reason is a link, and a command in `code` stays plain text to copy', async () => {
    const world = await startWorld()
    try {
      const run = await world.run({ inputs: { 'app-secret': 'not-the-app-secret' } })
      expect(run.exitCode).toBe(1)
      expect(run.summary).toContain('<a href="https://open.feishu.cn/app">https://open.feishu.cn/app</a>')
    } finally {
      await world.close()
    }
  })
})
