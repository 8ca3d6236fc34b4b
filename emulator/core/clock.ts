// Time for the emulators. Rate-limit windows, token lifetimes and latency all read this clock, so tests and
// benchmarks can run faster than real time while every figure stays consistent (a bound computed in
// emulator seconds is still honest when the clock is scaled).

export interface Clock {
  /** Milliseconds on this clock's timeline. */
  now(): number
  /** Wait `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
}

/**
 * A clock that runs `scale` times faster than real time: one real second is `scale` clock seconds.
 * `scale = 1` behaves like the real clock.
 */
export function scaledClock(scale: number, start = Date.now()): Clock {
  if (!(scale > 0)) throw new Error(`clock scale must be > 0, got ${scale}`)
  const realStart = Date.now()
  return {
    now: () => start + (Date.now() - realStart) * scale,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / scale))),
  }
}

/** A clock that only moves when told to; `sleep` advances it at once. For unit tests of time rules. */
export function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms)
    },
    advance: (ms) => {
      now += ms
    },
  }
}
