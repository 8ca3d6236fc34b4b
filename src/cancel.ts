// Cancellation. When a job is cancelled or hits its timeout-minutes, the runner sends SIGINT to the action's
// node process, SIGTERM 7.5 s later, and kills the process tree 2.5 s after that
// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-cancellation). Without a
// handler node dies on the first signal, wherever it is: between spending the refresh token and saving its
// successor, that loses the chain. With one, the run goes on to a point where stopping is safe: the token
// steps are never interrupted (they take no longer than without a signal), publishing starts no new work, the
// writes in flight get a few seconds to answer, and the summary and outputs say what was done.

import type { Clock } from './clock.js'

/** How long writes in flight may take to answer after a stop, before the report is written regardless. */
export const GRACE_MS = 4_000

/** After a signal the run should have exited by the runner's second one (7.5 s), leaving the report this much. */
export const EXIT_BY_MS = 7_500
export const REPORT_MS = 1_500

export interface Stop {
  /** Aborted on the first SIGINT/SIGTERM (or when the time budget runs out): start no new work. */
  readonly signal: AbortSignal
  /** Resolves GRACE_MS after the stop (at once on a second signal): stop waiting for the work in flight. */
  readonly deadline: Promise<void>
  /** What stopped the run, for the log and the summary: "cancelled (SIGTERM)". */
  readonly reason: () => string | undefined
  /** Real milliseconds since the stop (the runner's clock: it kills the process 10 s after its first signal). */
  readonly sinceStop: () => number
  /** A signal stopped the run (a cancelled or timed-out job), not its own time budget. */
  readonly bySignal: () => boolean
  /** Resolves on a signal that arrives after the stop: whatever is still running is cut short for the report. */
  readonly hurry: Promise<void>
}

export interface Cancellation extends Stop {
  /** Stop the run for a reason of its own (the time budget), giving the work in flight `graceMs` real ms. */
  stop(reason: string, graceMs?: number): void
  /** Stop starting work when `minutes` of the run's clock have passed, keeping a reserve to finish and report. */
  budget(clock: Clock, minutes: number): void
  dispose(): void
}

/** The run was stopped before it spent anything it cannot get back. */
export class CancelledError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'CancelledError'
  }
}

export function watchForCancel(log: (message: string) => void, graceMs = GRACE_MS): Cancellation {
  const controller = new AbortController()
  let reason: string | undefined
  let endGrace!: () => void
  const deadline = new Promise<void>((resolve) => (endGrace = resolve))
  let graceTimer: NodeJS.Timeout | undefined
  let stoppedAt = 0
  let signalled = false
  let budgetTimer: NodeJS.Timeout | undefined
  let endHurry!: () => void
  const hurry = new Promise<void>((resolve) => (endHurry = resolve))

  const stop = (why: string, grace = graceMs): void => {
    if (controller.signal.aborted) return
    reason = why
    stoppedAt = Date.now()
    controller.abort(new CancelledError(why))
    graceTimer = setTimeout(endGrace, grace)
    graceTimer.unref()
  }
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      log(`${name} again: writing the summary now.`)
      endGrace()
      endHurry()
      return
    }
    signalled = true
    log(`${name}: the run was cancelled. Starting no new work; a new refresh token is saved first, writes in flight get ${graceMs / 1000} s, then the summary is written.`)
    stop(`cancelled (${name})`)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    deadline,
    reason: () => reason,
    sinceStop: () => (stoppedAt ? Date.now() - stoppedAt : 0),
    stop,
    bySignal: () => signalled,
    hurry,
    budget(clock, minutes) {
      const { stopAfterMs, reserveMs } = budgetPlan(minutes)
      const real = (ms: number) => Math.max(1, Math.round(clock.realMs?.(ms) ?? ms))
      budgetTimer = setTimeout(() => {
        log(`${minutes} min of time-budget-minutes nearly used: starting no new page; the pages in flight finish, then the summary is written.`)
        stop(`stopped at its time budget (time-budget-minutes: ${minutes})`, real(reserveMs))
      }, real(stopAfterMs))
      budgetTimer.unref()
    },
    dispose() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      if (graceTimer) clearTimeout(graceTimer)
      if (budgetTimer) clearTimeout(budgetTimer)
    },
  }
}

/** Rejects with CancelledError when the stop comes first; for steps that only read and can be left at any time. */
export async function unlessStopped<T>(stop: Stop | undefined, work: Promise<T>): Promise<T> {
  if (!stop) return work
  if (stop.signal.aborted) throw new CancelledError(stop.reason() ?? 'stopped')
  let onAbort!: () => void
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CancelledError(stop.reason() ?? 'stopped'))
    stop.signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([work, stopped])
  } finally {
    stop.signal.removeEventListener('abort', onAbort)
  }
}

/** When a budget stops new work: a reserve of a tenth of it, at most a minute, is left to finish the work in flight and report. */
export function budgetPlan(minutes: number): { stopAfterMs: number; reserveMs: number } {
  const budgetMs = minutes * 60_000
  const reserveMs = Math.min(60_000, budgetMs / 10)
  return { stopAfterMs: budgetMs - reserveMs, reserveMs }
}

/**
 * Work that must not delay the exit after a cancel (the sync state's save): after a signal it runs only when it
 * can end before the runner's second signal with the report's time left, and it is cut short at that point (a
 * signal that comes while it runs counts from then) or at a further signal. Returns its result, or why not.
 */
export async function beforeExit<T>(stop: Stop | undefined, work: () => Promise<T>, minMs = 500): Promise<{ done: T } | { skipped: string }> {
  if (!stop) return { done: await work() }
  const leftMs = () => EXIT_BY_MS - REPORT_MS - stop.sinceStop()
  if (stop.bySignal() && leftMs() < minMs) return { skipped: `only ${Math.max(0, leftMs() / 1000).toFixed(1)} s were left before the runner's next signal` }
  let timer: NodeJS.Timeout | undefined
  let arm: (() => void) | undefined
  const cut = new Promise<{ skipped: string }>((resolve) => {
    arm = () => {
      if (!stop.bySignal()) return // the time budget's own stop leaves the work its reserve
      const ms = Math.max(0, leftMs())
      timer = setTimeout(() => resolve({ skipped: `it did not finish within the ${(ms / 1000).toFixed(1)} s left before the runner's next signal` }), ms)
    }
    if (stop.signal.aborted) arm()
    else stop.signal.addEventListener('abort', arm, { once: true })
    void stop.hurry.then(() => resolve({ skipped: 'a second signal came first' }))
  })
  try {
    return await Promise.race([work().then((done) => ({ done })), cut])
  } finally {
    if (timer) clearTimeout(timer)
    if (arm) stop.signal.removeEventListener('abort', arm)
  }
}
