import { describe, expect, it } from 'vitest'
import { Pacer, marginMs } from '../../src/feishu/pacer.js'
import { manualClock } from '../../emulator/core/clock.js'

const API: Record<Parameters<Pacer['acquire']>[0], string> = {
  auth: 'authen.oauth.token',
  wiki: 'wiki.spaceNode.create',
  'docx-read': 'docx.documentBlock.list',
  'docx-write': 'docx.documentBlockDescendant.create',
  upload: 'drive.media.uploadAll',
  board: 'board.whiteboardNode.createPlantuml',
  other: 'other',
}

async function grantTimes(
  pacer: Pacer,
  clock: { now(): number },
  n: number,
  cls: Parameters<Pacer['acquire']>[0],
  doc?: (i: number) => string,
  api: (i: number) => string = () => API[cls],
) {
  const times: number[] = []
  // One call after the other, each answered at once.
  for (let i = 0; i < n; i++) {
    const answered = await pacer.acquire(cls, api(i), doc?.(i))
    times.push(clock.now())
    answered()
  }
  return times
}

/** The largest number of grants inside any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let max = 0
  for (let i = 0; i < times.length; i++) max = Math.max(max, times.filter((t) => t >= times[i] && t < times[i] + windowMs).length)
  return max
}

/** A clock whose sleepers wake only when the test moves it on. */
function steppedClock() {
  let now = 0
  const sleepers: { at: number; wake: () => void }[] = []
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => sleepers.push({ at: now + ms, wake })),
    async advance(ms: number) {
      await settle()
      now += ms
      for (const s of sleepers.filter((s) => s.at <= now)) {
        sleepers.splice(sleepers.indexOf(s), 1)
        s.wake()
      }
      await settle()
    },
  }
}

describe('pacer', () => {
  it('never grants more than 3 docx writes in any second, and keeps close to the limit', async () => {
    const clock = manualClock(0)
    const times = await grantTimes(new Pacer(clock), clock, 30, 'docx-write')
    expect(maxInWindow(times, 1000)).toBe(3)
    // 30 writes at 3/s need 9 full windows after the first burst; the margin is 40 ms per window.
    expect(times.at(-1)!).toBe(9 * 1040)
  })

  it('never grants more than 5 whiteboard diagram imports in any second (the parse-syntax page: 5/s)', async () => {
    const clock = manualClock(0)
    const times = await grantTimes(new Pacer(clock), clock, 20, 'board')
    expect(maxInWindow(times, 1000)).toBe(5)
    expect(times.at(-1)!).toBe(3 * 1040)
  })

  it('never grants more than 100 wiki calls in any minute', async () => {
    const clock = manualClock(0)
    const times = await grantTimes(new Pacer(clock), clock, 250, 'wiki')
    expect(maxInWindow(times, 60_000)).toBe(100)
    // Two full windows after the first burst, each with a 250 ms margin (not a percentage: 2.4 s a minute
    // would cost a 200-page publish 5 s).
    expect(times[100]).toBe(60_250)
    expect(times.at(-1)!).toBe(2 * 60_250)
  })

  it('keeps a small fixed margin: 250 ms on a minute window, 40 ms on a second window', () => {
    expect(marginMs(60_000)).toBe(250)
    expect(marginMs(1_000)).toBe(40)
  })

  it('counts every wiki API in its own window, as Feishu does (per API × per app)', async () => {
    const clock = manualClock(0)
    const pacer = new Pacer(clock)
    // The space, parent and list reads of a run do not eat into the node creates' 100 per minute.
    await grantTimes(pacer, clock, 100, 'wiki', undefined, () => 'wiki.spaceNode.list')
    await grantTimes(pacer, clock, 3, 'wiki', undefined, (i) => ['wiki.space.get', 'wiki.space.getNode', 'wiki.spaceNode.move'][i]!)
    const creates = await grantTimes(pacer, clock, 100, 'wiki', undefined, () => 'wiki.spaceNode.create')
    expect(creates.at(-1)).toBe(0)
    // …but each API still gets no more than 100 a minute.
    const more = await grantTimes(pacer, clock, 1, 'wiki', undefined, () => 'wiki.spaceNode.list')
    expect(more[0]).toBe(60_250)
  })

  it('does not hold one wiki API back while another waits for its window', async () => {
    const clock = steppedClock()
    const pacer = new Pacer(clock)
    for (let i = 0; i < 100; i++) (await pacer.acquire('wiki', 'wiki.spaceNode.create'))()
    let created = false
    const waiting = pacer.acquire('wiki', 'wiki.spaceNode.create').then(() => (created = true))
    await pacer.acquire('wiki', 'wiki.spaceNode.list')
    expect(clock.now()).toBe(0)
    expect(created).toBe(false)
    await clock.advance(60_250)
    await waiting
    expect(created).toBe(true)
  })

  it('counts a call from its answer: a window full of calls in flight waits for them', async () => {
    const clock = steppedClock()
    const pacer = new Pacer(clock)
    const inFlight = await Promise.all([0, 1, 2].map(() => pacer.acquire('docx-write', 'docx.documentBlock.patch')))
    let granted: number | undefined
    const fourth = pacer.acquire('docx-write', 'docx.documentBlock.patch').then(() => (granted = clock.now()))
    // One second later none has answered (the server may count them only now): the fourth still waits.
    await clock.advance(1_500)
    expect(granted).toBeUndefined()
    inFlight[0]!()
    // It goes one window (and the 40 ms margin) after the first answer, not after the first send.
    await clock.advance(1_000)
    expect(granted).toBeUndefined()
    await clock.advance(40)
    await fourth
    expect(granted).toBe(2_540)
  })

  it('applies the per-document edit limit on top of the app limit', async () => {
    const clock = manualClock(0)
    const pacer = new Pacer(clock)
    const times = await grantTimes(pacer, clock, 9, 'docx-write', () => 'doc-a')
    expect(maxInWindow(times, 1000)).toBe(3)
  })

  it('counts the per-document edit limit across all docx write APIs', async () => {
    const clock = manualClock(0)
    const pacer = new Pacer(clock)
    const apis = ['docx.documentBlockDescendant.create', 'docx.documentBlock.batchUpdate', 'docx.documentBlock.patch']
    const times = await grantTimes(pacer, clock, 9, 'docx-write', () => 'doc-a', (i) => apis[i % 3]!)
    expect(maxInWindow(times, 1000)).toBe(3)
    // Other documents, through another API, are not held back by doc-a's edits.
    const before = clock.now()
    const other = await grantTimes(pacer, clock, 3, 'docx-write', (i) => `doc-${i}`, () => 'docx.documentBlockChildren.create')
    expect(other).toEqual([before, before, before])
  })

  it('does not hold one class back for another', async () => {
    const clock = manualClock(0)
    const pacer = new Pacer(clock)
    await grantTimes(pacer, clock, 100, 'wiki')
    const before = clock.now()
    await pacer.acquire('docx-read', API['docx-read'])
    expect(clock.now()).toBe(before)
  })

  it('holds a class back until the server says its window resets', async () => {
    const clock = manualClock(0)
    const pacer = new Pacer(clock)
    pacer.holdUntil('docx-read', 'docx.documentBlock.list', 5_000)
    ;(await pacer.acquire('docx-read', 'docx.documentBlockChildren.get'))()
    expect(clock.now()).toBe(0)
    await pacer.acquire('docx-read', 'docx.documentBlock.list')
    expect(clock.now()).toBeGreaterThanOrEqual(5_000)
  })
})
