// The lower bound on a publish's duration that the documented rate limits impose, computed from the MINIMUM
// number of calls each rate-limit window must admit (not from the calls the engine happened to make).
//
// Windows are the emulator's (emulator/feishu/routes.ts, the documented limits): a sliding window admits at most
// `limit` calls in any `windowMs`. The k-th call (1-based) through one window cannot start before
// floor((k − 1) / limit) × windowMs after the first one; so n calls through it take at least
//     t(n) = floor((n − 1) / limit) × windowMs.
// Limits are per API (route) and per app, plus the per-document edit limit for docx writes (3/s per document).
// The bound is the slowest window plus the round trips no pacing can overlap:
//     T ≥ (c_pre + c_post) × latency + max over windows w of t_w(n_w)
// c_pre: calls that must complete one after the other before the first call of any limited class can be
// sent (refresh → space → list the parent: 3); c_post: calls that must follow the last one (the last node
// create completes, then its document is written: 2). GitHub calls (public key, write probe, secret PUT) have
// no added latency in the emulator and are not counted.
import type { RecordedCall } from '../emulator/core/server.js'
import { ROUTES } from '../emulator/feishu/routes.js'

export interface DocumentShape {
  documentId: string
  /** Blocks in the document, the page block excluded. */
  blocks: number
  /** Image blocks among them. */
  images: number
}

/** Most blocks one descendant create may carry (descendants ≤ 1000), and requests per batch_update (≤ 200). */
export const DESCENDANTS_PER_CALL = 1000
export const REQUESTS_PER_BATCH_UPDATE = 200

/**
 * The fewest calls per route a publish into an EMPTY parent needs for this final wiki: one space read, one
 * parent read, one list of the parent, one node create per page, ceil(blocks / 1000) descendant creates per
 * document, one upload per image block, and one batch_update (replace_image, ≤ 200 per call) per document
 * with images. Nothing needs to be read back from a document the run created itself.
 */
export function minimumPublishCalls(nodes: number, documents: DocumentShape[]): { perRoute: Record<string, number>; perDocument: Record<string, number> } {
  const perRoute: Record<string, number> = {
    'authen.v2.oauth.token': 1,
    'wiki.v2.space.get': 1,
    'wiki.v2.space.getNode': 1,
    'wiki.v2.spaceNode.list': 1,
    'wiki.v2.spaceNode.create': nodes,
    'docx.v1.documentBlockDescendant.create': 0,
    'drive.v1.media.uploadAll': 0,
    'docx.v1.documentBlock.batchUpdate': 0,
  }
  const perDocument: Record<string, number> = {}
  for (const doc of documents) {
    const descendant = Math.ceil(doc.blocks / DESCENDANTS_PER_CALL)
    const replace = Math.ceil(doc.images / REQUESTS_PER_BATCH_UPDATE)
    perRoute['docx.v1.documentBlockDescendant.create']! += descendant
    perRoute['drive.v1.media.uploadAll']! += doc.images
    perRoute['docx.v1.documentBlock.batchUpdate']! += replace
    perDocument[doc.documentId] = descendant + replace
  }
  return { perRoute, perDocument }
}

export interface WindowTime {
  window: string
  calls: number
  limit: number
  windowMs: number
  seconds: number
}

/** t(n) for one window. */
export function windowSeconds(calls: number, limit: number, windowMs: number): number {
  return calls <= 0 ? 0 : (Math.floor((calls - 1) / limit) * windowMs) / 1000
}

/** Per-window times for a count of calls per route (and per-document edit counts). */
export function windowTimes(perRoute: Record<string, number>, perDocument: Record<string, number> = {}): WindowTime[] {
  const out: WindowTime[] = []
  for (const [route, calls] of Object.entries(perRoute)) {
    const info = ROUTES.find((r) => r.name === route)
    for (const spec of info?.limits?.perApp ?? []) {
      out.push({ window: `${route} (${spec.limit}/${fmtWindow(spec.windowMs)})`, calls, limit: spec.limit, windowMs: spec.windowMs, seconds: windowSeconds(calls, spec.limit, spec.windowMs) })
    }
  }
  const perDoc = ROUTES.find((r) => r.name === 'docx.v1.documentBlockDescendant.create')?.limits?.perDocument?.[0]
  if (perDoc) {
    let worst: WindowTime | undefined
    for (const [doc, calls] of Object.entries(perDocument)) {
      const t = windowSeconds(calls, perDoc.limit, perDoc.windowMs)
      if (!worst || t > worst.seconds) worst = { window: `docx edits of ${doc} (${perDoc.limit}/${fmtWindow(perDoc.windowMs)} per document)`, calls, limit: perDoc.limit, windowMs: perDoc.windowMs, seconds: t }
    }
    if (worst) out.push(worst)
  }
  return out.sort((a, b) => b.seconds - a.seconds)
}

export const SERIAL_BEFORE = 3
export const SERIAL_AFTER = 2

export interface LowerBound {
  seconds: number
  binding: WindowTime
  windows: WindowTime[]
  latencySeconds: number
}

export function lowerBound(perRoute: Record<string, number>, perDocument: Record<string, number>, latencyMs: number): LowerBound {
  const windows = windowTimes(perRoute, perDocument)
  const binding = windows[0]!
  const latencySeconds = ((SERIAL_BEFORE + SERIAL_AFTER) * latencyMs) / 1000
  return { seconds: binding.seconds + latencySeconds, binding, windows, latencySeconds }
}

/** Calls per route in a request log (every HTTP attempt the server saw, throttled ones included). */
export function callsPerRoute(calls: RecordedCall[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of calls) out[c.route] = (out[c.route] ?? 0) + 1
  return out
}

function fmtWindow(ms: number): string {
  return ms === 1000 ? 's' : ms === 60_000 ? 'min' : ms === 86_400_000 ? 'day' : `${ms}ms`
}
