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
 * The pause added to every window. The server counts a call when it arrives, the pacer when it sends it, so
 * two calls sent exactly one window apart may arrive closer together if the first one took longer on the way.
 * That spread is far below a millisecond on loopback and tens of milliseconds to a remote API; 250 ms covers
 * it with room to spare and costs 0.4 % of a 100-per-minute window (2.5 s over 10 minutes of creates). A 1 s
 * window gets 40 ms (4 %). A call throttled anyway is sent again after x-ogw-ratelimit-reset (./client.ts).
 */
export function marginMs(windowMs: number): number {
  return Math.min(250, windowMs * 0.04)
}

class SlidingWindow {
  private readonly grants: number[] = []
  constructor(private readonly window: Window) {}

  /** The earliest time at or after `now` when one more grant fits. */
  nextSlot(now: number): number {
    const { limit, windowMs } = this.window
    if (this.grants.length < limit) return now
    const oldestInWindow = this.grants[this.grants.length - limit]
    return Math.max(now, oldestInWindow + windowMs + marginMs(windowMs))
  }

  record(at: number): void {
    this.grants.push(at)
    if (this.grants.length > this.window.limit * 2) this.grants.splice(0, this.grants.length - this.window.limit)
  }
}

export class Pacer {
  private readonly windows = new Map<string, SlidingWindow>()
  /** One queue per API: a wiki create waiting for its minute window must hold back neither docx reads nor wiki lists. */
  private readonly queues = new Map<string, Promise<void>>()

  constructor(private readonly clock: Clock) {}

  /**
   * Wait for a slot of `api` (a stable name of the API, e.g. "wiki.spaceNode.create"), which has its class's
   * limits. Slots are granted in call order per API, so concurrent callers share the rate fairly and the pacer
   * never lets a burst through.
   */
  acquire(apiClass: ApiClass, api: string, documentId?: string): Promise<void> {
    const windows = LIMITS[apiClass].map((w, i) => this.window(`${apiClass}:${api}:${i}`, w))
    if (apiClass === 'docx-write' && documentId) windows.push(this.window(`doc:${documentId}`, PER_DOCUMENT_EDITS))
    if (windows.length === 0) return Promise.resolve()
    const queue = `${apiClass}:${api}`
    const turn = (this.queues.get(queue) ?? Promise.resolve()).then(async () => {
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
      queue,
      turn.catch(() => undefined),
    )
    return turn
  }

  /** The server said we were too fast: hold the API back until its window resets. */
  holdUntil(apiClass: ApiClass, api: string, until: number): void {
    LIMITS[apiClass].forEach((w, i) => {
      const window = this.window(`${apiClass}:${api}:${i}`, w)
      for (let k = 0; k < w.limit; k++) window.record(until - w.windowMs - marginMs(w.windowMs))
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
