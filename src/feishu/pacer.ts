// One pacer for the whole client: every Feishu call waits for a slot in its API class's documented window
// before it is sent, so a run moves as fast as the limits allow and is rarely throttled.
//
// Documented limits (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control and each
// API's page):
// - wiki node APIs (get_node, list, create, move, update_title, delete): 100 per minute
// - docx writes (children, descendant, batch_delete, patch, batch_update): 3 per second per app, and
//   3 edits per second per document
// - docx reads (blocks list, get block, get children): 5 per second per app
// - auth (token endpoints): 50 per second
// - drive upload_all: 5 per second (https://open.feishu.cn/document/server-docs/docs/drive-v1/media/upload_all)
import type { Clock } from '../clock.js'

export type ApiClass = 'auth' | 'wiki' | 'docx-read' | 'docx-write' | 'upload' | 'other'

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
  other: [],
}
const PER_DOCUMENT_EDITS: Window = { limit: 3, windowMs: 1_000 }

/**
 * A margin added to every window: requests granted exactly one window apart can arrive slightly closer
 * together after network jitter, and the server's window is not ours.
 */
const MARGIN = 0.04

class SlidingWindow {
  private readonly grants: number[] = []
  constructor(private readonly window: Window) {}

  /** The earliest time at or after `now` when one more grant fits. */
  nextSlot(now: number): number {
    const { limit, windowMs } = this.window
    if (this.grants.length < limit) return now
    const oldestInWindow = this.grants[this.grants.length - limit]
    return Math.max(now, oldestInWindow + windowMs * (1 + MARGIN))
  }

  record(at: number): void {
    this.grants.push(at)
    if (this.grants.length > this.window.limit * 2) this.grants.splice(0, this.grants.length - this.window.limit)
  }
}

export class Pacer {
  private readonly windows = new Map<string, SlidingWindow>()
  /** One queue per API class: a wiki call waiting for its minute window must not hold back docx reads. */
  private readonly queues = new Map<ApiClass, Promise<void>>()

  constructor(private readonly clock: Clock) {}

  /**
   * Wait for a slot. Slots are granted in call order within a class, so concurrent callers share the rate
   * fairly and the pacer never lets a burst through.
   */
  acquire(apiClass: ApiClass, documentId?: string): Promise<void> {
    const windows = LIMITS[apiClass].map((w, i) => this.window(`${apiClass}:${i}`, w))
    if (apiClass === 'docx-write' && documentId) windows.push(this.window(`doc:${documentId}`, PER_DOCUMENT_EDITS))
    if (windows.length === 0) return Promise.resolve()
    const turn = (this.queues.get(apiClass) ?? Promise.resolve()).then(async () => {
      for (;;) {
        const now = this.clock.now()
        const slot = Math.max(...windows.map((w) => w.nextSlot(now)))
        if (slot <= now) break
        await this.clock.sleep(slot - now)
      }
      const at = this.clock.now()
      for (const w of windows) w.record(at)
    })
    this.queues.set(
      apiClass,
      turn.catch(() => undefined),
    )
    return turn
  }

  /** The server said we were too fast: hold the whole class back until its window resets. */
  holdUntil(apiClass: ApiClass, until: number): void {
    LIMITS[apiClass].forEach((w, i) => {
      const window = this.window(`${apiClass}:${i}`, w)
      for (let k = 0; k < w.limit; k++) window.record(until - w.windowMs * (1 + MARGIN))
    })
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
