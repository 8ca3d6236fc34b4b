// One pacer for the whole client: every Feishu call waits for a slot in its API's documented window before it
// is sent, so a run moves as fast as the limits allow and is rarely throttled.
//
// Limits count per API × per app (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control):
// each API (e.g. wiki node create, wiki node list) has its own window, so reading the wiki does not use up the
// budget of node creates. A class below names the documented limit every API of the class has:
// - wiki node APIs (get_node, list, create, move, update_title, delete): 100 per minute each
//   (https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/create and the other wiki-v2 pages)
// - docx writes (children, descendant, batch_delete, patch, batch_update): 3 per second per app each, and
//   3 edits per second per document, across all of them
// - docx reads (blocks list, get block, get children): 5 per second per app each
// - auth (token endpoints): 50 per second
// - drive upload_all: 5 per second (https://open.feishu.cn/document/server-docs/docs/drive-v1/media/upload_all)
// - board parse-syntax (Mermaid/PlantUML into a whiteboard): 5 per second
//   (https://open.feishu.cn/document/docs/board-v1/whiteboard-node/create_plantuml)
import type { Clock } from '../clock.js'

export type ApiClass = 'auth' | 'wiki' | 'docx-read' | 'docx-write' | 'upload' | 'board' | 'other'

interface Window {
  limit: number
  windowMs: number
}

const LIMITS: Record<ApiClass, Window[]> = {
  auth: [{ limit: 50, windowMs: 1_000 }],
  wiki: [{ limit: 100, windowMs: 60_000 }],
  'docx-read': [{ limit: 5, windowMs: 1_000 }],
  'docx-write': [{ limit: 3, windowMs: 1_000 }],
  upload: [{ limit: 5, windowMs: 1_000 }],
  board: [{ limit: 5, windowMs: 1_000 }],
  other: [],
}
const PER_DOCUMENT_EDITS: Window = { limit: 3, windowMs: 1_000 }

/** The most calls per minute one API of the class may make (its tightest window): what bounds a long run. */
export function callsPerMinute(apiClass: ApiClass): number {
  const windows = LIMITS[apiClass]
  return windows.length === 0 ? Infinity : Math.min(...windows.map((w) => (w.limit * 60_000) / w.windowMs))
}

/**
 * When the server counts a call is unknown: somewhere between sending it and reading its answer. Delays on the
 * way out (a busy event loop here, a queue or a timer at the server) easily reach tens of milliseconds, so a
 * window that counts from the moment a call is sent lets calls sent one window apart arrive inside one
 * window. So a call counts from when its answer came (the server has counted it by then), and while it is in
 * flight, as if it were counted now. On top of that, a small margin for server windows that are not exactly
 * ours (clock rates, rounding): 250 ms on a minute window (0.4 %), 40 ms on a one-second window (4 %). A
 * call throttled anyway is sent again after x-ogw-ratelimit-reset (./client.ts).
 */
export function marginMs(windowMs: number): number {
  return Math.min(250, windowMs * 0.04)
}

class SlidingWindow {
  /** Per call: when its answer came, Infinity while in flight. */
  private readonly calls: { done: number }[] = []
  constructor(private readonly window: Window) {}

  /** The earliest time at or after `now` when one more call fits; Infinity until an answer comes. */
  nextSlot(now: number): number {
    const { limit, windowMs } = this.window
    const span = windowMs + marginMs(windowMs)
    // Calls that may still be in the server's window: in flight, or answered less than a window ago.
    const inWindow = this.calls.filter((c) => c.done + span > now)
    this.calls.splice(0, this.calls.length, ...inWindow)
    if (inWindow.length < limit) return now
    // The next call fits once all but limit − 1 of them have left the window.
    const done = inWindow.map((c) => c.done).sort((a, b) => a - b)
    return done[inWindow.length - limit]! + span
  }

  /** Records a call sent now; returns the function to call when its answer (or failure) comes. */
  record(): (at: number) => void {
    const call = { done: Infinity }
    this.calls.push(call)
    return (at) => {
      call.done = at
    }
  }

  /** Fills the window as if `limit` calls had been answered at `at`. */
  fill(at: number): void {
    for (let k = 0; k < this.window.limit; k++) this.calls.push({ done: at })
  }
}

export class Pacer {
  private readonly windows = new Map<string, SlidingWindow>()
  /** One queue per API: a wiki create waiting for its minute window must hold back neither docx reads nor wiki lists. */
  private readonly queues = new Map<string, Promise<void>>()
  /** Wakes the callers waiting for an answer to free a window. */
  private answered = signal()

  constructor(private readonly clock: Clock) {}

  /**
   * Wait for a slot of `api` (a stable name of the API, e.g. "wiki.spaceNode.create"), which has its class's
   * limits. Slots are granted in call order per API, so concurrent callers share the rate fairly and the pacer
   * never lets a burst through. Resolves to `done`, to be called once the call's answer (or failure) is in.
   */
  async acquire(apiClass: ApiClass, api: string, documentId?: string): Promise<() => void> {
    const windows = LIMITS[apiClass].map((w, i) => this.window(`${apiClass}:${api}:${i}`, w))
    if (apiClass === 'docx-write' && documentId) windows.push(this.window(`doc:${documentId}`, PER_DOCUMENT_EDITS))
    if (windows.length === 0) return () => undefined
    const queue = `${apiClass}:${api}`
    const turn = (this.queues.get(queue) ?? Promise.resolve()).then(async () => {
      for (;;) {
        const now = this.clock.now()
        const slot = Math.max(...windows.map((w) => w.nextSlot(now)))
        if (slot <= now) break
        if (slot === Infinity) await this.answered.promise
        else await this.clock.sleep(slot - now)
      }
      return windows.map((w) => w.record())
    })
    this.queues.set(
      queue,
      turn.then(
        () => undefined,
        () => undefined,
      ),
    )
    const marks = await turn
    let called = false
    return () => {
      if (called) return
      called = true
      const at = this.clock.now()
      for (const mark of marks) mark(at)
      const { resolve } = this.answered
      this.answered = signal()
      resolve()
    }
  }

  /** The server said we were too fast: hold the API back until its window resets. */
  holdUntil(apiClass: ApiClass, api: string, until: number): void {
    LIMITS[apiClass].forEach((w, i) => this.window(`${apiClass}:${api}:${i}`, w).fill(until - w.windowMs - marginMs(w.windowMs)))
  }

  private window(key: string, w: Window): SlidingWindow {
    let window = this.windows.get(key)
    if (!window) {
      window = new SlidingWindow(w)
      this.windows.set(key, window)
    }
    return window
  }
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}
