// time-budget-minutes, proved as real runs on the emulators' scaled clock: a first publish larger than its budget
// stops starting pages near the end of the budget, lets the pages in flight finish, says what is left
// (complete: false), and the next run continues: no duplicate node, no document written twice.
import { afterEach, describe, expect, it } from 'vitest'
import { generateDocsTree } from '../../bench/generate.js'
import { scaledClock } from '../../emulator/core/clock.js'
import type { RecordedCall } from '../../emulator/core/server.js'
import { STATE_TITLE } from '../../src/sync/remote/state.js'
import { expectNoLeaks } from '../helpers/action-runner.js'
import { type World, startWorld } from '../helpers/world.js'

// Slow enough that starting the bundle and converting the pages take a small part of the one-minute budget.
const SCALE = 6
const TREE = generateDocsTree(120, 29)

let world: World
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})

const isDocWrite = (c: RecordedCall) => c.method !== 'GET' && c.route.startsWith('docx.')

describe('time-budget-minutes', () => {
  it('a first publish over its budget stops cleanly; the next run finishes it with 0 duplicates and nothing written twice', async () => {
    world = await startWorld({ feishu: { clock: scaledClock(SCALE), latencyMs: 100, rateLimits: true }, files: TREE.files })
    const parent = world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
    const inputs = { mode: 'all', 'parent-node': parent }

    // About 150 creates at 100 per minute cannot fit in one minute.
    const first = await world.run({ inputs: { ...inputs, 'time-budget-minutes': '1' }, timeScale: SCALE })
    expect(first.exitCode, first.stdout).toBe(0)
    expect(first.outputs.complete).toBe('false')
    expect(first.outputs.failed).toBe('0') // the pages in flight finished: none was cut off
    const left = Number(/(\d[\d,]*) page\(s\) not yet published; the next run continues/.exec(first.summary)?.[1]?.replace(/,/g, ''))
    expect(left).toBeGreaterThan(0)
    const pages = JSON.parse(first.outputs.pages) as { status: string }[]
    expect(pages.filter((p) => p.status === 'skipped')).toHaveLength(left)
    expect(first.annotations.some((a) => a.level === 'warning' && a.message.includes('time budget'))).toBe(true)
    expect(first.summary).toContain('The run was stopped at its time budget (time-budget-minutes: 1).')

    const afterFirst = new Map(world.feishu.nodes(world.spaceId).map((n) => [n.obj_token, world.feishu.docs.render(n.obj_token)]))
    const from = world.feishu.server.calls.length
    const stateDocs = new Set(world.feishu.nodes(world.spaceId).filter((n) => n.title === STATE_TITLE).map((n) => n.obj_token))
    const stateAfterFirst = [...stateDocs].map((d) => world.feishu.docs.render(d)).join('')
    const second = await world.run({ inputs, timeScale: SCALE })
    expect(second.exitCode, second.stdout).toBe(0)
    expect(second.outputs.complete).toBe('true')
    // Every page exists once, written by one run or the other.
    const seen = new Map<string, number>()
    for (const n of world.feishu.nodes(world.spaceId)) seen.set(`${n.parent_node_token}/${n.title}`, (seen.get(`${n.parent_node_token}/${n.title}`) ?? 0) + 1)
    expect([...seen].filter(([, c]) => c > 1)).toEqual([])
    expect(Number(second.outputs.created) + Number(second.outputs.updated) + Number(second.outputs.unchanged)).toBe(pages.length)
    expect(Number(second.outputs.unchanged)).toBe(pages.filter((p) => p.status === 'created').length)
    const rewritten = world.feishu.server.calls
      .slice(from)
      .filter(isDocWrite)
      .map((c) => c.path.split('/')[5]!)
      .filter((doc) => !stateDocs.has(doc) && afterFirst.get(doc) !== undefined && afterFirst.get(doc) !== '' && afterFirst.get(doc) === world.feishu.docs.render(doc))
    expect(rewritten).toEqual([])
    // The stopped run saved the sync state for what it made: the next run reads neither a page the first run wrote
    // nor one it made and left empty. (A node create the pacer still held when the reserve ran out answers after
    // the state was taken: the next run finds that page by reading it, as after a hard kill.)
    const recorded = new Set(world.feishu.nodes(world.spaceId).map((n) => n.obj_token).filter((doc) => stateAfterFirst.includes(`"doc":"${doc}"`)))
    const docReads = world.feishu.server.calls.slice(from).filter((c) => c.method === 'GET' && c.route.startsWith('docx.') && recorded.has(c.path.split('/')[5]!))
    expect(recorded.size).toBeGreaterThan(Number(first.outputs.created))
    expect(docReads.map((c) => c.path)).toEqual([])
    expect([...afterFirst].filter(([doc, text]) => text === '' && recorded.has(doc)).length, 'no page was made and left empty').toBeGreaterThan(0)
  })

  it.each(['soon', '0', '-5'])('time-budget-minutes: %s fails before the token is spent, naming the input', async (value) => {
    world = await startWorld()
    const run = await world.run({ inputs: { mode: 'all', 'time-budget-minutes': value } })
    expect(run.exitCode).toBe(2)
    expect(run.summary).toContain("Input 'time-budget-minutes'")
    expect(world.feishu.server.callsTo('authen.v2.oauth.token')).toHaveLength(0)
  })
})
