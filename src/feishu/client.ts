// The only code that speaks Feishu Open API HTTP for wiki, docx and drive calls: base URL, the
// {code, msg, data} envelope, FeishuError, one pacer, and the retry policy.
//
// Decisions are made on the JSON `code`, never on the HTTP status alone: live servers answer auth errors with
// HTTP 400 and rate limits with either 429 or 400 (https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code,
// https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control).
import { randomUUID } from 'node:crypto'
import { type Clock, timeoutSignal } from '../clock.js'
import { redact, redactAndCut } from '../mask.js'
import { type ApiClass, Pacer } from './pacer.js'

export type { ApiClass } from './pacer.js'

/** Rate limited: "request trigger frequency limit". */
export const RATE_LIMITED = 99991400
/** Server-side faults the docs say to retry: docx 1771001 "server internal error", wiki 131001 "rpc fail". */
const RETRYABLE_CODES = new Set([1771001, 1771002, 131001])

export class FeishuError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly httpStatus: number | undefined,
    readonly endpoint: string,
    readonly logId?: string,
    /** The request may or may not have taken effect (network error, timeout, 5xx on a write). */
    readonly ambiguous = false,
  ) {
    super(message)
    this.name = 'FeishuError'
  }
}

export interface FeishuRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  /** Path under the base URL, with path parameters already encoded. */
  path: string
  /** A stable label for logs and counters, e.g. "wiki.spaceNode.create"; also the API the pacer counts against. */
  endpoint: string
  apiClass: ApiClass
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  form?: FormData
  /** A multipart/form-data body streamed from the file's bytes without copying them (uploads). */
  multipart?: MultipartForm
  /** For the per-document edit limit. */
  documentId?: string
  /**
   * Whether the request may be sent again after an answer that leaves its effect unknown (network error,
   * timeout, 5xx). True for reads and for docx writes carrying a client_token; false for wiki node create,
   * whose callers look before they retry.
   */
  retrySafe: boolean
  /** A POST that only reads (drive metas batch_query): counted as a read, allowed in a dry run. */
  readOnly?: boolean
}

export interface MultipartForm {
  fields: [name: string, value: string][]
  file: { field: string; fileName: string; data: Uint8Array }
}

export interface CallEvent {
  endpoint: string
  method: string
  apiClass: ApiClass
  attempt: number
  httpStatus?: number
  code?: number
  throttled: boolean
  networkError?: string
}

export interface FeishuClientOptions {
  baseUrl: string
  /** The user or tenant access token; read on every call. */
  accessToken: () => string
  clock: Clock
  pacer?: Pacer
  maxAttempts?: number
  requestTimeoutMs?: number
  random?: () => number
  onCall?: (event: CallEvent) => void
}

export class FeishuClient {
  readonly pacer: Pacer
  readonly baseUrl: string
  private readonly maxAttempts: number
  private readonly timeoutMs: number
  private readonly random: () => number

  constructor(private readonly options: FeishuClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.pacer = options.pacer ?? new Pacer(options.clock)
    this.maxAttempts = options.maxAttempts ?? 6
    this.timeoutMs = options.requestTimeoutMs ?? 30_000
    this.random = options.random ?? Math.random
  }

  /** Send a request and return the envelope's `data`. */
  async request<T>(req: FeishuRequest): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const answered = await this.pacer.acquire(req.apiClass, req.endpoint, req.documentId)
      const outcome = await this.send(req, attempt).finally(answered)
      if (outcome.kind === 'ok') return outcome.data as T
      const last = attempt >= this.maxAttempts
      if (outcome.kind === 'throttled' && !last) {
        // The server did nothing; wait for its window to reset (x-ogw-ratelimit-reset, in seconds).
        const waitMs = outcome.resetSeconds !== undefined ? outcome.resetSeconds * 1000 : this.backoff(attempt)
        this.pacer.holdUntil(req.apiClass, req.endpoint, this.options.clock.now() + waitMs)
        continue
      }
      if (outcome.kind === 'transient' && req.retrySafe && !last) {
        await this.options.clock.sleep(this.backoff(attempt))
        continue
      }
      throw outcome.error
    }
  }

  /** Full jitter exponential backoff: 0.5 s, 1 s, 2 s … capped at 20 s. */
  private backoff(attempt: number): number {
    const cap = Math.min(20_000, 500 * 2 ** (attempt - 1))
    return cap / 2 + (this.random() * cap) / 2
  }

  private async send(
    req: FeishuRequest,
    attempt: number,
  ): Promise<
    | { kind: 'ok'; data: unknown }
    | { kind: 'throttled'; resetSeconds?: number; error: FeishuError }
    | { kind: 'transient' | 'final'; error: FeishuError }
  > {
    const url = new URL(this.baseUrl + req.path)
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.accessToken()}` }
    let body: string | FormData | ReadableStream<Uint8Array> | undefined
    if (req.multipart) {
      const encoded = encodeMultipart(req.multipart)
      headers['content-type'] = encoded.contentType
      headers['content-length'] = String(encoded.length)
      body = encoded.stream
    } else if (req.form) {
      body = req.form
    } else if (req.body !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8'
      body = JSON.stringify(req.body)
    }
    const event: CallEvent = { endpoint: req.endpoint, method: req.method, apiClass: req.apiClass, attempt, throttled: false }

    let response: Response
    try {
      response = await fetch(url, {
        method: req.method,
        headers,
        body,
        signal: timeoutSignal(this.options.clock, this.timeoutMs),
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit)
    } catch (error) {
      event.networkError = describeNetworkError(error)
      this.options.onCall?.(event)
      // Refused before it left (DNS, connection refused, bad port, invalid header): certainly not done.
      const notSent = requestNotSent(error)
      const message = notSent
        ? `${req.endpoint}: the request was not sent to ${url.host} (${event.networkError}); check the network and base-url`
        : `${req.endpoint}: no answer from ${url.host} (${event.networkError})`
      return { kind: 'transient', error: new FeishuError(message, undefined, undefined, req.endpoint, undefined, !notSent) }
    }

    const logId = response.headers.get('x-tt-logid') ?? undefined
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      // The answer broke off (or timed out) after its status line: the server may have done the work.
      event.httpStatus = response.status
      event.networkError = describeNetworkError(error)
      this.options.onCall?.(event)
      const message = `${req.endpoint}: the answer from ${url.host} broke off (HTTP ${response.status}, ${event.networkError})`
      return { kind: 'transient', error: new FeishuError(message, undefined, response.status, req.endpoint, logId, req.method !== 'GET') }
    }
    const json = parseJson(text)
    const code = json ? Number(json.code) : undefined
    event.httpStatus = response.status
    event.code = code
    event.throttled = code === RATE_LIMITED || response.status === 429
    this.options.onCall?.(event)

    if (code === 0 && response.ok) return { kind: 'ok', data: json?.data ?? {} }
    // Whatever the server said is redacted before it is cut: a proxy may echo the request, token included.
    const msg = redactAndCut(typeof json?.msg === 'string' ? json.msg : text.replace(/\s+/g, ' ') || response.statusText, 200)
    const describe = `${req.endpoint} failed: ${code !== undefined && !Number.isNaN(code) ? `code ${code}, ` : ''}HTTP ${response.status}, ${msg}${logId ? ` (x-tt-logid ${redact(logId)})` : ''}`
    if (event.throttled) {
      const reset = Number(response.headers.get('x-ogw-ratelimit-reset'))
      return {
        kind: 'throttled',
        resetSeconds: Number.isFinite(reset) && reset >= 0 ? reset : undefined,
        error: new FeishuError(describe, code, response.status, req.endpoint, logId),
      }
    }
    // A success status with a body that is not a whole envelope: a cut answer, to be treated like a lost one.
    const cutAnswer = response.ok && json === undefined
    const serverFault = cutAnswer || response.status >= 500 || (code !== undefined && RETRYABLE_CODES.has(code))
    const error = new FeishuError(
      describe,
      Number.isNaN(code) ? undefined : code,
      response.status,
      req.endpoint,
      logId,
      serverFault && req.method !== 'GET',
    )
    return { kind: serverFault ? 'transient' : 'final', error }
  }
}

/**
 * multipart/form-data (RFC 7578) as fetch would send a FormData, but streamed from views of the file's bytes:
 * a FormData with a Blob costs a copy of the file per request, and the stream of a Blob another one per chunk,
 * which the garbage collector frees late (a 15 MB image uploaded for 60 blocks peaked at 1.3 GiB). Names are
 * escaped as the HTML standard's form encoding does (" → %22, CR → %0D, LF → %0A).
 */
export function encodeMultipart(form: MultipartForm): { contentType: string; length: number; stream: ReadableStream<Uint8Array> } {
  const boundary = `----feishu-wiki-sync-${randomUUID()}`
  const esc = (text: string) => text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  let head = ''
  for (const [name, value] of form.fields) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${esc(name)}"\r\n\r\n${value.replace(/\r?\n|\r/g, '\r\n')}\r\n`
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${esc(form.file.field)}"; filename="${esc(form.file.fileName)}"\r\nContent-Type: application/octet-stream\r\n\r\n`
  const start = Buffer.from(head, 'utf8')
  const end = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')
  const { data } = form.file
  const CHUNK = 256 * 1024
  let offset = 0
  let sentHead = false
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sentHead) {
        sentHead = true
        controller.enqueue(start)
      } else if (offset < data.byteLength) {
        controller.enqueue(data.subarray(offset, Math.min(offset + CHUNK, data.byteLength)))
        offset += CHUNK
      } else {
        controller.enqueue(end)
        controller.close()
      }
    },
  })
  return { contentType: `multipart/form-data; boundary=${boundary}`, length: start.byteLength + data.byteLength + end.byteLength, stream }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * What went wrong with a request that got no answer, for a message. Never the request itself: fetch's own
 * "invalid header value" error quotes the header, token included.
 */
export function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out'
    if (/invalid header value|header name/i.test(error.message)) return 'a request header holds a character HTTP does not allow (a line break in a token?)'
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause
    return redact(cause?.code ?? cause?.message ?? error.message)
  }
  return redact(String(error))
}

/** Error codes of a connection that was never made: the request did not leave this machine. */
const NOT_SENT_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
])

/**
 * True when fetch failed before the request left: fetch refused it (bad port, unknown scheme, invalid URL or
 * header; https://fetch.spec.whatwg.org/#port-blocking), DNS failed, or no connection (or TLS session) was
 * made. Then the server cannot have acted on it. Anything else (reset, timeout, closed socket) may have been
 * sent, and its effect is unknown.
 */
export function requestNotSent(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return false
  const cause = (error as Error & { cause?: { code?: unknown; message?: unknown } }).cause
  // fetch's "fetch failed" wraps network errors; any other TypeError was thrown while building the request.
  if (error instanceof TypeError && error.message !== 'fetch failed') return true
  const code = typeof cause?.code === 'string' ? cause.code : undefined
  if (code) return NOT_SENT_CODES.has(code)
  const message = typeof cause?.message === 'string' ? cause.message : ''
  return /^(bad port|unknown scheme|invalid url|not implemented)/i.test(message)
}
