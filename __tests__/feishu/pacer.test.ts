import { describe, expect, it } from 'vitest'
import { Pacer } from '../../src/feishu/pacer.js'
import { manualClock } from '../../emulator/core/clock.js'

async function grantTimes(pacer: Pacer, clock: { now(): number }, n: number, cls: Parameters<Pacer['acquire']>[0], doc?: (i: number) => string) {
  const times: number[] = []
  await Promise.all(
    Array.from({ length: n }, (_, i) => pacer.acquire(cls, doc?.(i)).then(() => times.push(clock.now()))),
  )
  return times
}

/** The largest number of grants inside any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let max = 0
  for (let i = 0; i < times.length; i++) max = Math.max(max, times.filter((t) => t >= times[i] && t < times[i] + windowMs).length)
  return max
}

describe('pacer', () => {
  it('never grants more than 3 docx writes in any second, and keeps close to the limit', async () => {
    const clock = manualClock(0)
    const times = await grantTimes(new Pacer(clock), clock, 30, 'docx-write')
    expect(maxInWindow(times, 1000)).toBe(3)
    // 30 writes at 3/s need 9 full windows after the first burst; the margin costs a few percent.
    expect(times.at(-1)!).toBeLessThanOrEqual(9 * 1000 * 1.05)
  })

  it('never grants more than 100 wiki calls in any minute', async () => {
    const clock = manualClock(0)
    const times = await grantTimes(new Pacer(clock), clock, 250, 'wiki')
    expect(maxInWindow(times, 60_000)).toBe(100)
    expect(times.at(-1)!).toBeLessThanOrEqual(2 * 60_000 * 1.05)
  })

  it('applies the per-document edit limit on top of the app limit', async () => {
    const clock = manualClock(0)
    const pacer = new Pacer(clock)
    const times = await grantTimes(pacer, clock, 9, 'docx-write', () => 'doc-a')
    expect(maxInWindow(times, 1000)).toBe(3)
  })

  it('does not hold one class back for another', async () => {
    const clock = manualClock(0)
    const pacer = new Pacer(clock)
    await grantTimes(pacer, clock, 100, 'wiki')
    const before = clock.now()
    await pacer.acquire('docx-read')
    expect(clock.now()).toBe(before)
  })

  it('holds a class back until the server says its window resets', async () => {
    const clock = manualClock(0)
    const pacer = new Pacer(clock)
    pacer.holdUntil('docx-read', 5_000)
    await pacer.acquire('docx-read')
    expect(clock.now()).toBeGreaterThanOrEqual(5_000)
  })
})
