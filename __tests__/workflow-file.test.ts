// src/workflow-file.ts: the workflow checks (on the fixture workflows, each with one planted problem) and the
// cron evaluator behind the schedule check.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  type WorkflowInspection,
  concurrencyGroupFor,
  cronMatchesDay,
  inspectWorkflow,
  isActionReference,
  longestCronGapHours,
  parseCron,
} from '../src/workflow-file.js'

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'workflows')
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8')
const levels = (r: WorkflowInspection, check: string) => r.findings.filter((f) => f.check === check).map((f) => f.level)
const failed = (r: WorkflowInspection) => r.findings.filter((f) => f.level === 'failed')

describe('inspectWorkflow on the fixture workflows', () => {
  it('good.yml: every check ok, and the facts are read', () => {
    const r = inspectWorkflow(fixture('good.yml'), { secretName: 'FEISHU_REFRESH_TOKEN' })
    expect(r.usesAction).toBe(true)
    expect(r.job).toBe('sync')
    expect(r.concurrency).toEqual({ group: 'feishu-wiki-sync', cancelInProgress: false })
    expect(r.environment).toBe('wiki-sync')
    expect(r.secretEnvironment).toBe('wiki-sync')
    expect(r.secretName).toBe('FEISHU_REFRESH_TOKEN')
    expect(r.schedules).toEqual(['17 3 * * *'])
    expect(r.longestScheduleGapHours).toBe(24)
    expect(r.inputs?.['app-id']).toBe('cli_emulator')
    expect(r.findings.map((f) => f.level)).toEqual(['ok', 'ok', 'ok'])
    expect(r.findings.map((f) => f.check).sort()).toEqual(['concurrency', 'environment', 'schedule'])
  })

  it('no-concurrency.yml: failed, with the YAML to add', () => {
    const r = inspectWorkflow(fixture('no-concurrency.yml'))
    expect(r.concurrency).toBeUndefined()
    expect(levels(r, 'concurrency')).toEqual(['failed'])
    const f = r.findings.find((x) => x.check === 'concurrency')!
    expect(f.message).toMatch(/No concurrency group/)
    expect(f.fix).toContain('cancel-in-progress: false')
    expect(f.line).toBe(17) // the job
    expect(failed(r)).toHaveLength(1)
  })

  it('cancel-in-progress.yml: failed, pointing at the concurrency block', () => {
    const r = inspectWorkflow(fixture('cancel-in-progress.yml'))
    expect(r.concurrency).toEqual({ group: 'feishu-wiki-sync', cancelInProgress: true })
    expect(levels(r, 'concurrency')).toEqual(['failed'])
    expect(r.findings.find((x) => x.check === 'concurrency')!.message).toMatch(/cancel-in-progress is true/)
    expect(r.findings.find((x) => x.check === 'concurrency')!.line).toBe(12)
  })

  it('no-environment.yml: a repository secret is a warning (queued runs get a spent token)', () => {
    const r = inspectWorkflow(fixture('no-environment.yml'))
    expect(r.environment).toBeUndefined()
    expect(r.secretEnvironment).toBeUndefined()
    expect(levels(r, 'environment')).toEqual(['warning'])
    expect(r.findings.find((x) => x.check === 'environment')!.message).toMatch(/repository secret.*queued/)
    expect(failed(r)).toHaveLength(0)
  })

  it('secret-env-mismatch.yml: failed', () => {
    const r = inspectWorkflow(fixture('secret-env-mismatch.yml'))
    expect(r.environment).toBe('wiki-sync')
    expect(r.secretEnvironment).toBe('production')
    expect(levels(r, 'secret-environment')).toEqual(['failed'])
    const f = r.findings.find((x) => x.check === 'secret-environment')!
    expect(f.message).toMatch(/'production' differs from the job's environment 'wiki-sync'/)
    expect(f.line).toBe(31)
  })

  it('weekly.yml: a 7-day gap fails', () => {
    const r = inspectWorkflow(fixture('weekly.yml'))
    expect(r.longestScheduleGapHours).toBe(168)
    expect(levels(r, 'schedule')).toEqual(['failed'])
    expect(r.findings.find((x) => x.check === 'schedule')!.message).toMatch(/7 days between runs/)
  })

  it('no-schedule.yml: failed', () => {
    const r = inspectWorkflow(fixture('no-schedule.yml'))
    expect(r.schedules).toEqual([])
    expect(r.longestScheduleGapHours).toBeUndefined()
    expect(levels(r, 'schedule')).toEqual(['failed'])
  })

  it('unrelated.yml: does not use the action', () => {
    const r = inspectWorkflow(fixture('unrelated.yml'))
    expect(r.usesAction).toBe(false)
    expect(r.findings.map((f) => f.check)).toEqual(['uses'])
  })
})

const workflow = (parts: { top?: string; job?: string; withs?: string; on?: string; uses?: string }) => `
on:
${parts.on ?? "  schedule:\n    - cron: '17 3 * * *'"}
${parts.top ?? 'concurrency: feishu-wiki-sync'}
jobs:
  sync:
    runs-on: ubuntu-latest
${parts.job ?? '    environment: wiki-sync'}
    steps:
      - uses: ${parts.uses ?? 'acme/feishu-wiki-sync@v1'}
        with:
          refresh-token: \${{ secrets.FEISHU_REFRESH_TOKEN }}
${parts.withs ?? '          secret-environment: wiki-sync'}
`

describe('inspectWorkflow: more cases', () => {
  it('recognises the action references', () => {
    for (const uses of ['./', '.', 'acme/feishu-wiki-sync@v1', 'feishu-wiki-sync/feishu-wiki-sync@0123abc', 'acme/feishu-wiki-sync/sub@main']) {
      expect(isActionReference(uses), uses).toBe(true)
    }
    for (const uses of ['actions/checkout@v6', 'acme/feishu-wiki-sync-fork@v1', './other', undefined]) {
      expect(isActionReference(uses), String(uses)).toBe(false)
    }
    expect(inspectWorkflow(workflow({ uses: './' })).usesAction).toBe(true)
  })

  it('string concurrency, job-level concurrency, object environment', () => {
    const r = inspectWorkflow(workflow({ top: '', job: '    concurrency: { group: token, cancel-in-progress: false }\n    environment:\n      name: wiki-sync\n      url: https://x' }))
    expect(r.concurrency).toEqual({ group: 'token', cancelInProgress: false })
    expect(r.environment).toBe('wiki-sync')
    expect(failed(r)).toEqual([])
    expect(inspectWorkflow(workflow({})).concurrency).toEqual({ group: 'feishu-wiki-sync', cancelInProgress: false })
  })

  it('a concurrency group per run fails, per branch warns, an expression for cancel-in-progress warns', () => {
    expect(levels(inspectWorkflow(workflow({ top: 'concurrency: sync-${{ github.run_id }}' })), 'concurrency')).toEqual(['failed'])
    expect(levels(inspectWorkflow(workflow({ top: 'concurrency: sync-${{ github.ref }}' })), 'concurrency')).toEqual(['warning'])
    expect(
      levels(inspectWorkflow(workflow({ top: "concurrency:\n  group: x\n  cancel-in-progress: ${{ github.event_name == 'push' }}" })), 'concurrency'),
    ).toEqual(['warning'])
  })

  it('an environment without secret-environment fails, and the reverse too; names compare case-insensitively', () => {
    expect(levels(inspectWorkflow(workflow({ withs: '' })), 'secret-environment')).toEqual(['failed'])
    const reverse = inspectWorkflow(workflow({ job: '' }))
    expect(levels(reverse, 'secret-environment')).toEqual(['failed'])
    expect(reverse.findings.find((f) => f.check === 'secret-environment')!.message).toMatch(/no environment/)
    expect(levels(inspectWorkflow(workflow({ withs: '          secret-environment: Wiki-Sync' })), 'environment')).toEqual(['ok'])
  })

  it('reading one secret and saving another fails; a different secret than asked about warns', () => {
    const r = inspectWorkflow(workflow({ withs: '          secret-environment: wiki-sync\n          secret-name: OTHER_TOKEN' }), { secretName: 'FEISHU_REFRESH_TOKEN' })
    expect(r.secretName).toBe('OTHER_TOKEN')
    expect(levels(r, 'secret-name')).toEqual(['failed', 'warning'])
  })

  it('auth: app has no token to keep alive', () => {
    const r = inspectWorkflow(workflow({ top: '', job: '', on: '  push:', withs: '          auth: app' }))
    expect(r.findings).toHaveLength(1)
    expect(r.findings[0]).toMatchObject({ level: 'ok', check: 'auth' })
  })

  it('schedules: weekdays-only warns (72 h over the weekend), several crons combine, invalid cron fails', () => {
    const weekdays = inspectWorkflow(workflow({ on: "  schedule:\n    - cron: '17 3 * * 1-5'" }))
    expect(weekdays.longestScheduleGapHours).toBe(72)
    expect(levels(weekdays, 'schedule')).toEqual(['warning'])
    const combined = inspectWorkflow(workflow({ on: "  schedule:\n    - cron: '17 3 * * 1-5'\n    - cron: '17 3 * * 0,6'" }))
    expect(combined.longestScheduleGapHours).toBe(24)
    expect(levels(combined, 'schedule')).toEqual(['ok'])
    const invalid = inspectWorkflow(workflow({ on: "  schedule:\n    - cron: '61 3 * * *'" }))
    expect(levels(invalid, 'schedule')).toEqual(['failed'])
    expect(invalid.findings.find((f) => f.check === 'schedule')!.message).toMatch(/Invalid cron '61 3 \* \* \*'.*minute 61/)
  })

  it('invalid YAML is one failed finding with its line', () => {
    const r = inspectWorkflow('on: [push\njobs:\n  x: 1\n')
    expect(r.usesAction).toBe(false)
    expect(r.findings).toHaveLength(1)
    expect(r.findings[0]).toMatchObject({ level: 'failed', check: 'yaml' })
    expect(r.findings[0]!.line).toBeGreaterThanOrEqual(1)
  })
})

describe('cron evaluator', () => {
  it('parses *, lists, ranges, steps and names', () => {
    const s = parseCron('*/15 1,13 1-7 JAN-mar mon-FRI')
    expect([...s.minutes]).toEqual([0, 15, 30, 45])
    expect([...s.hours]).toEqual([1, 13])
    expect([...s.daysOfMonth]).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect([...s.months]).toEqual([1, 2, 3])
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5])
    expect([...parseCron('5/20 * * * *').minutes]).toEqual([5, 25, 45])
    expect([...parseCron('0 0-12/6 * * *').hours]).toEqual([0, 6, 12])
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]) // 7 is Sunday too
    expect([...parseCron('0 0 * * *').daysOfWeek]).toEqual([0, 1, 2, 3, 4, 5, 6])
  })

  it('rejects what GitHub would reject', () => {
    for (const bad of ['* * * *', '* * * * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', '5-1 * * * *', '*/0 * * * *', 'a * * * *', '1,,2 * * * *', '']) {
      expect(() => parseCron(bad), bad).toThrow()
    }
  })

  it('day-of-month and day-of-week: OR when both are restricted, AND otherwise (Vixie cron)', () => {
    const both = parseCron('0 0 13 * 5') // the 13th, or any Friday
    expect(cronMatchesDay(both, new Date(Date.UTC(2026, 0, 13)))).toBe(true) // a Tuesday the 13th
    expect(cronMatchesDay(both, new Date(Date.UTC(2026, 0, 16)))).toBe(true) // a Friday
    expect(cronMatchesDay(both, new Date(Date.UTC(2026, 0, 14)))).toBe(false)
    const star = parseCron('0 0 */2 * 5') // odd days that are Fridays (dom starts with *)
    expect(cronMatchesDay(star, new Date(Date.UTC(2026, 0, 16)))).toBe(false) // Friday the 16th: even
    expect(cronMatchesDay(star, new Date(Date.UTC(2026, 0, 23)))).toBe(true) // Friday the 23rd
  })

  it('longest gap between consecutive runs', () => {
    expect(longestCronGapHours(['17 3 * * *'])).toBe(24)
    expect(longestCronGapHours(['0 */6 * * *'])).toBe(6)
    expect(longestCronGapHours(['*/5 * * * *'])).toBeCloseTo(5 / 60)
    expect(longestCronGapHours(['0 3 * * 1'])).toBe(168)
    expect(longestCronGapHours(['0 3 * * 1,4'])).toBe(96) // Thu → Mon
    expect(longestCronGapHours(['0 9 * * 1', '0 21 * * 3'])).toBe(108) // Wed 21:00 → Mon 09:00
    expect(longestCronGapHours(['0 23 * * 0', '0 1 * * 1'])).toBe(166) // Mon 01:00 → Sun 23:00
    expect(longestCronGapHours(['0 0 1 * *'])).toBe(31 * 24) // monthly: the longest month
    expect(longestCronGapHours(['0 0 30 2 *'])).toBeUndefined() // never
  })
})

describe("the README's workflow and doctor's advice agree", () => {
  const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8')
  const yaml = /## Workflow\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''

  it('passes every check, and its concurrency group is the one doctor and the summary suggest', () => {
    const inspection = inspectWorkflow(yaml)
    expect(inspection.usesAction).toBe(true)
    expect(inspection.findings.filter((f) => f.level !== 'ok')).toEqual([])
    expect(inspection.concurrency?.group).toBe(concurrencyGroupFor('FEISHU_REFRESH_TOKEN'))
    const advice = inspectWorkflow(yaml.replace(/^concurrency:\n(  .*\n)+/m, '')).findings.find((f) => f.check === 'concurrency')
    expect(advice?.fix).toContain(`group: ${inspection.concurrency?.group}\n`)
  })

  it('links the getting-started guide, the FAQ and the troubleshooting page, and says the tests need PyNaCl (.ci/run installs it)', () => {
    for (const doc of ['docs/getting-started.md', 'docs/faq.md', 'docs/reference/troubleshooting.md']) {
      expect(readme).toContain(`](${doc})`)
      expect(fs.existsSync(path.join(import.meta.dirname, '..', doc))).toBe(true)
    }
    expect(readme).toMatch(/PyNaCl \(`apt-get install python3-nacl`\);\n?\s*`\.ci\/run` installs it/)
  })
})
