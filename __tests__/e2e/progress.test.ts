// Progress a person can follow, proved as a real run on a slow emulator: one line every ~10 s of the run's
// clock and at each phase change, phases as log groups, counts that add up to the pages the run reports.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import { expectNoLeaks } from '../helpers/action-runner.js'
import { type World, startWorld } from '../helpers/world.js'

const SCALE = 20
const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'handbook')
const LINE = /^\[(scan|plan|structure|removals|documents)\] (\d+)\/(\d+) pages(?: \((\d+)\/(\d+) new nodes made\))? · (\d+) writes\/min(?: · (\d+) failed)? · (about \d+ min left|under a minute left|finishing)$/

let world: World
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})

describe('progress in the log', () => {
  it('a first publish on a slow emulator: a line every ~10 s and per phase, in groups, counts that add up', async () => {
    // 1.5 s per call (emulator time): eleven pages take minutes of the run's clock.
    world = await startWorld({ feishu: { clock: scaledClock(SCALE), latencyMs: 1_500, rateLimits: true } })
    fs.cpSync(FIXTURE, path.join(world.workspace, 'docs'), { recursive: true })
    const parent = world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
    // Someone else's page where docs/faq.md would go: that one page fails.
    world.feishu.createNode(world.spaceId, { title: 'FAQ', parentNodeToken: parent, creator: 'someone-else' })
    const run = await world.run({ inputs: { mode: 'all', 'parent-node': parent, 'fail-on-error': 'false' }, timeScale: SCALE })
    expect(run.exitCode, run.stdout).toBe(0)

    const lines = run.stdout.split('\n')
    const progress = lines.filter((l) => l.startsWith('[')).map((l) => {
      const m = LINE.exec(l)
      expect(m, l).not.toBeNull()
      return { phase: m![1]!, done: Number(m![2]), total: Number(m![3]), failed: Number(m![7] ?? 0) }
    })
    // Every phase of a first publish (nothing to remove) in order, each in its own log group.
    const phases = [...new Set(progress.map((p) => p.phase))]
    expect(phases).toEqual(['scan', 'plan', 'structure', 'documents'])
    const groups = lines.filter((l) => l.startsWith('::group::'))
    expect(groups).toHaveLength(4)
    expect(lines.filter((l) => l === '::endgroup::')).toHaveLength(4)
    // Lines in between the phase changes: at least one a ~10 s tick.
    expect(progress.length).toBeGreaterThan(phases.length + 2)
    // Counts never go back, and the last line adds up to what the run reports.
    const pages = JSON.parse(run.outputs.pages) as { status: string }[]
    const planned = pages.filter((p) => p.status !== 'skipped').length
    for (const p of progress) expect(p.total).toBe(planned)
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done)
    const last = progress.at(-1)!
    expect(last.done).toBe(last.total)
    expect(last.failed).toBe(Number(run.outputs.failed))
    expect(last.failed).toBe(1)
    expect(Number(run.outputs.created) + Number(run.outputs.failed)).toBe(last.total)
  })
})
