// Rate limits of the Feishu Open Platform, enforced on the emulator's clock.
//
// Throttled answer (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control):
//   HTTP 429 (some older APIs: HTTP 400), body {code: 99991400, msg: "request trigger frequency limit"},
//   headers x-ogw-ratelimit-limit (the window's limit) and x-ogw-ratelimit-reset (seconds until it frees up).
// Limits apply per API × per app × per tenant; with two windows (e.g. 50/s and 1000/min) either one throttles.
//
// Choice: sliding-window logs. A window remembers the clock times of the calls it admitted; a call is admitted
// when fewer than `limit` admitted calls lie within the last `windowMs`. Throttled calls are NOT counted in the
// window (they did no work), but they are counted in `stats` so a benchmark can report them. `reset` is the
// whole seconds until the oldest admitted call leaves the window (at least 1).
import type { Clock } from '../core/clock.js'
import { ApiError } from './http.js'

export interface WindowSpec {
  limit: number
  windowMs: number
  /** 429 for most APIs; 400 for the docx app-level limits ("HTTP 400 + 99991400" in their doc comments). */
  status: 400 | 429
  /**
   * A service's own throttle answer instead of the gateway's 99991400 (board: HTTP 429 + 2890006 "too many
   * request", https://open.feishu.cn/document/docs/board-v1/whiteboard-node/create_plantuml); sent without the
   * x-ogw-ratelimit headers, which belong to the gateway.
   */
  answer?: { code: number; msg: string }
}

export interface RateLimitStats {
  /** Calls answered 99991400 by the emulator's own limiter. */
  total: number
  byRoute: Record<string, number>
  /** Which window throttled, keyed "route|scope|limit/window". */
  byWindow: Record<string, number>
}

export const SECOND = 1000
export const MINUTE = 60_000
export const DAY = 86_400_000

export class RateLimiter {
  private readonly logs = new Map<string, number[]>()
  readonly stats: RateLimitStats = { total: 0, byRoute: {}, byWindow: {} }

  constructor(
    private readonly clock: Clock,
    public enabled = true,
  ) {}

  /**
   * Admit one call against every window (keys name the counter, e.g. "wiki.v2.spaceNode.create|app:cli_x").
   * Either all windows admit and each records the call, or the first full window throws the 99991400 answer.
   */
  take(route: string, windows: { key: string; spec: WindowSpec }[]): void {
    if (!this.enabled || windows.length === 0) return
    const now = this.clock.now()
    for (const { key, spec } of windows) {
      const log = this.prune(`${key}|${spec.windowMs}`, spec.windowMs, now)
      if (log.length >= spec.limit) {
        const oldest = log[0]!
        const resetS = Math.max(1, Math.ceil((oldest + spec.windowMs - now) / 1000))
        this.stats.total += 1
        this.stats.byRoute[route] = (this.stats.byRoute[route] ?? 0) + 1
        const label = `${key}|${spec.limit}/${spec.windowMs}ms`
        this.stats.byWindow[label] = (this.stats.byWindow[label] ?? 0) + 1
        if (spec.answer) throw new ApiError(spec.answer.code, spec.answer.msg, spec.status)
        throw new ApiError(99991400, 'request trigger frequency limit', spec.status, {
          'x-ogw-ratelimit-limit': String(spec.limit),
          'x-ogw-ratelimit-reset': String(resetS),
        })
      }
    }
    for (const { key, spec } of windows) this.logs.get(`${key}|${spec.windowMs}`)!.push(now)
  }

  reset(): void {
    this.logs.clear()
    this.stats.total = 0
    for (const k of Object.keys(this.stats.byRoute)) delete this.stats.byRoute[k]
    for (const k of Object.keys(this.stats.byWindow)) delete this.stats.byWindow[k]
  }

  private prune(key: string, windowMs: number, now: number): number[] {
    let log = this.logs.get(key)
    if (!log) {
      log = []
      this.logs.set(key, log)
    }
    let drop = 0
    while (drop < log.length && log[drop]! <= now - windowMs) drop++
    if (drop) log.splice(0, drop)
    return log
  }
}
