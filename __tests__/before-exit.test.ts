// beforeExit: the sync state's save after a cancel must end before the runner's second signal (7.5 s after its
// first), leaving the report its time; after the time budget's own stop it is left to finish.
import { describe, expect, it } from 'vitest'
import { EXIT_BY_MS, REPORT_MS, type Stop, beforeExit } from '../src/cancel.js'

function fakeStop(options: { aborted: boolean; bySignal: boolean; sinceStopMs: number }): Stop & { second(): void } {
  const controller = new AbortController()
  if (options.aborted) controller.abort()
  let endHurry!: () => void
  const hurry = new Promise<void>((resolve) => (endHurry = resolve))
  const stoppedAt = Date.now() - options.sinceStopMs
  return {
    signal: controller.signal,
    deadline: Promise.resolve(),
    reason: () => 'cancelled (SIGTERM)',
    sinceStop: () => Date.now() - stoppedAt,
    bySignal: () => options.bySignal,
    hurry,
    second: endHurry,
  }
}
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms))

describe('beforeExit', () => {
  it('no stop: the work runs to its end', async () => {
    expect(await beforeExit(undefined, () => after(20, 'saved'))).toEqual({ done: 'saved' })
  })
  it('a cancel with too little time left: skipped without starting the work', async () => {
    let started = false
    const stop = fakeStop({ aborted: true, bySignal: true, sinceStopMs: EXIT_BY_MS - REPORT_MS - 100 })
    const result = await beforeExit(stop, async () => {
      started = true
      return 'saved'
    })
    expect(started).toBe(false)
    expect(result).toMatchObject({ skipped: expect.stringContaining('before the runner\'s next signal') })
  })
  it('a cancel with time left: the work finishes when it is quick, and is cut short at the deadline when it is not', async () => {
    const quick = fakeStop({ aborted: true, bySignal: true, sinceStopMs: 1000 })
    expect(await beforeExit(quick, () => after(20, 'saved'))).toEqual({ done: 'saved' })
    const late = fakeStop({ aborted: true, bySignal: true, sinceStopMs: EXIT_BY_MS - REPORT_MS - 600 })
    const started = Date.now()
    const result = await beforeExit(late, () => after(5_000, 'saved'))
    expect(result).toMatchObject({ skipped: expect.stringContaining('did not finish') })
    expect(Date.now() - started).toBeLessThan(2_000)
  })
  it('a second signal cuts the work short at once', async () => {
    const stop = fakeStop({ aborted: true, bySignal: true, sinceStopMs: 0 })
    setTimeout(() => stop.second(), 20)
    expect(await beforeExit(stop, () => after(3_000, 'saved'))).toEqual({ skipped: 'a second signal came first' })
  })
  it('the time budget\'s own stop: the work is left to finish (the budget kept a reserve for it)', async () => {
    const stop = fakeStop({ aborted: true, bySignal: false, sinceStopMs: 60_000 })
    expect(await beforeExit(stop, () => after(50, 'saved'))).toEqual({ done: 'saved' })
  })
})
