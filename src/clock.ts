// The action's notion of time. Every wait (rate-limit pacing, backoff, x-ogw-ratelimit-reset) goes through
// it, so tests and benchmarks can run the real bundle faster than real time against an emulator whose clock
// is scaled the same way.

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
  /** Real milliseconds that `ms` of this clock's time take (request timeouts are real timers). */
  realMs?(ms: number): number
}

/** An AbortSignal that fires after `ms` of the clock's time, without keeping the process alive. */
export function timeoutSignal(clock: Pick<Clock, 'realMs'> | undefined, ms: number): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.round(clock?.realMs?.(ms) ?? ms)))
}

/**
 * FEISHU_WIKI_SYNC_TIME_SCALE is a test hook (not an input): with 100, one real second counts as 100
 * seconds. Real runs never set it.
 */
export function actionClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const scale = Number(env.FEISHU_WIKI_SYNC_TIME_SCALE ?? '1')
  const factor = Number.isFinite(scale) && scale > 0 ? scale : 1
  const realStart = Date.now()
  return {
    now: () => realStart + (Date.now() - realStart) * factor,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / factor)),
    realMs: (ms) => ms / factor,
  }
}
