// A small stateful loopback HTTP server shared by the Feishu and GitHub emulators: routing, body parsing,
// fault injection and a request log. It knows nothing of either API; the emulators add the rules.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Clock, realClock } from './clock.js'

export interface EmulatorRequest {
  method: string
  /** Path without the query string, percent-decoding left to the route params. */
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  params: Record<string, string>
  rawBody: Buffer
  /** Parsed body: JSON object, URL-encoded form (as a plain object), multipart FormData, or undefined. */
  body: unknown
  form?: FormData
  /** Which route answered, e.g. "wiki.v2.spaceNode.create". */
  route: string
}

export interface EmulatorResponse {
  status: number
  headers?: Record<string, string>
  /** An object is sent as JSON; a string or Buffer as is; undefined sends no body. */
  body?: unknown
}

export type Handler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>

interface Route {
  method: string
  name: string
  pattern: RegExp
  keys: string[]
  handler: Handler
}

export interface RecordedCall {
  seq: number
  /** Clock time the request arrived. */
  at: number
  method: string
  path: string
  query: Record<string, string>
  route: string
  status: number
  headers: http.IncomingHttpHeaders
  body: unknown
  /** Set when a fault answered or interfered with this call. */
  fault?: string
}

/** What to do to matching calls. Faults are checked in the order they were added; the first match wins. */
export interface Fault {
  /** Match on the route name (exact), the method, and/or the path (string = exact, RegExp = test). */
  route?: string
  method?: string
  path?: string | RegExp
  /** Only the nth matching call (1-based) triggers; earlier ones pass. Default: the first. */
  nth?: number
  /** How many consecutive matching calls trigger from `nth` on. Default 1; Infinity for all. */
  times?: number
  /** Answer with this status (and body/headers) without running the handler. */
  status?: number
  body?: unknown
  headers?: Record<string, string>
  /** Add this much latency (clock ms) before handling. */
  latencyMs?: number
  /**
   * Destroy the connection instead of answering:
   * - "before": nothing happened on the server (connection reset);
   * - "after": the handler ran and committed its change, then the response was lost in transit.
   */
  drop?: 'before' | 'after'
  /** Never answer; the client's own timeout must end the call. */
  hang?: boolean
}

interface ArmedFault extends Fault {
  seen: number
  fired: number
}

export interface EmulatorServerOptions {
  clock?: Clock
  /** Latency added to every call, in clock ms. */
  latencyMs?: number
  /** Called for every call before routing; may answer (e.g. auth or rate limits). */
  before?: (req: EmulatorRequest) => EmulatorResponse | undefined | Promise<EmulatorResponse | undefined>
  /** Headers added to every response (e.g. a log id). */
  responseHeaders?: () => Record<string, string>
  notFound?: (req: EmulatorRequest) => EmulatorResponse
}

export class Router {
  private readonly routes: Route[] = []

  /** `pattern` uses `:name` segments, e.g. "/open-apis/wiki/v2/spaces/:space_id/nodes". */
  add(method: string, pattern: string, name: string, handler: Handler): this {
    const keys: string[] = []
    const source = pattern
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          keys.push(segment.slice(1))
          return '([^/]+)'
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      })
      .join('/')
    this.routes.push({ method: method.toUpperCase(), name, pattern: new RegExp(`^${source}$`), keys, handler })
    return this
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue
      const m = route.pattern.exec(path)
      if (!m) continue
      const params: Record<string, string> = {}
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(m[i + 1] ?? '')
      })
      return { route, params }
    }
    return undefined
  }
}

export class EmulatorServer {
  readonly calls: RecordedCall[] = []
  readonly clock: Clock
  private readonly server: http.Server
  private readonly faults: ArmedFault[] = []
  private readonly sockets = new Set<import('node:net').Socket>()
  private seq = 0
  private baseUrl = ''

  constructor(
    readonly name: string,
    private readonly router: Router,
    private readonly options: EmulatorServerOptions = {},
  ) {
    this.clock = options.clock ?? realClock
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ emulator_error: String(error instanceof Error ? error.stack : error) }))
        }
      })
    })
    this.server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve))
    const address = this.server.address() as AddressInfo
    this.baseUrl = `http://${host}:${address.port}`
    return this.baseUrl
  }

  get url(): string {
    return this.baseUrl
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** Arm a fault. Returns a function that disarms it. */
  inject(fault: Fault): () => void {
    const armed: ArmedFault = { ...fault, seen: 0, fired: 0 }
    this.faults.push(armed)
    return () => {
      const i = this.faults.indexOf(armed)
      if (i >= 0) this.faults.splice(i, 1)
    }
  }

  clearFaults(): void {
    this.faults.length = 0
  }

  /** Calls answered by a given route name. */
  callsTo(route: string): RecordedCall[] {
    return this.calls.filter((c) => c.route === route)
  }

  /** Every matching fault counts the call (so `nth` means the nth matching call); the first that triggers wins. */
  private pickFault(req: EmulatorRequest): ArmedFault | undefined {
    let chosen: ArmedFault | undefined
    for (const fault of this.faults) {
      if (fault.route && fault.route !== req.route) continue
      if (fault.method && fault.method.toUpperCase() !== req.method) continue
      if (typeof fault.path === 'string' && fault.path !== req.path) continue
      if (fault.path instanceof RegExp && !fault.path.test(req.path)) continue
      fault.seen += 1
      const nth = fault.nth ?? 1
      const times = fault.times ?? 1
      if (!chosen && fault.seen >= nth && fault.fired < times) {
        fault.fired += 1
        chosen = fault
      }
    }
    return chosen
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrivedAt = this.clock.now()
    const rawBody = await readBody(req)
    const url = new URL(req.url ?? '/', 'http://emulator.invalid')
    const method = (req.method ?? 'GET').toUpperCase()
    const match = this.router.match(method, url.pathname)
    const request: EmulatorRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      params: match?.params ?? {},
      rawBody,
      body: undefined,
      route: match?.route.name ?? 'unmatched',
    }
    await parseBody(request, url)

    const record: RecordedCall = {
      seq: ++this.seq,
      at: arrivedAt,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      route: request.route,
      status: 0,
      headers: req.headers,
      body: request.body instanceof FormData ? formSummary(request.body) : request.body,
    }
    this.calls.push(record)

    if (this.options.latencyMs) await this.clock.sleep(this.options.latencyMs)
    const fault = this.pickFault(request)
    if (fault) record.fault = describeFault(fault)
    if (fault?.latencyMs) await this.clock.sleep(fault.latencyMs)
    if (fault?.hang) return // the client's timeout ends it; close() destroys the socket
    if (fault?.drop === 'before') {
      req.socket.destroy()
      return
    }

    let response: EmulatorResponse
    if (fault?.status !== undefined) {
      response = { status: fault.status, headers: fault.headers, body: fault.body }
    } else {
      response =
        (await this.options.before?.(request)) ??
        (match
          ? await match.route.handler(request)
          : (this.options.notFound?.(request) ?? { status: 404, body: { message: 'Not Found' } }))
      if (fault?.headers) response = { ...response, headers: { ...response.headers, ...fault.headers } }
    }
    record.status = response.status

    if (fault?.drop === 'after') {
      req.socket.destroy()
      return
    }
    send(res, response, this.options.responseHeaders?.())
  }
}

function describeFault(fault: Fault): string {
  if (fault.drop) return `drop-${fault.drop}`
  if (fault.hang) return 'hang'
  if (fault.status !== undefined) return `status-${fault.status}`
  return `latency-${fault.latencyMs ?? 0}`
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

async function parseBody(request: EmulatorRequest, url: URL): Promise<void> {
  if (request.rawBody.length === 0) return
  const type = String(request.headers['content-type'] ?? '').toLowerCase()
  if (type.includes('multipart/form-data')) {
    // Let the platform's fetch Request parse multipart exactly as a real server framework would.
    const parsed = new Request(url, {
      method: 'POST',
      headers: { 'content-type': String(request.headers['content-type']) },
      body: new Uint8Array(request.rawBody),
    })
    request.form = await parsed.formData()
    request.body = request.form
    return
  }
  const text = request.rawBody.toString('utf8')
  if (type.includes('application/x-www-form-urlencoded')) {
    request.body = Object.fromEntries(new URLSearchParams(text))
    return
  }
  try {
    request.body = JSON.parse(text)
  } catch {
    request.body = text
  }
}

function formSummary(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of form.entries()) {
    out[key] = typeof value === 'string' ? value : { file: value.name, size: value.size }
  }
  return out
}

function send(res: http.ServerResponse, response: EmulatorResponse, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extra, ...response.headers }
  let payload: Buffer | undefined
  if (response.body === undefined || response.body === null) {
    payload = undefined
  } else if (Buffer.isBuffer(response.body)) {
    payload = response.body
  } else if (typeof response.body === 'string') {
    payload = Buffer.from(response.body)
    headers['content-type'] ??= 'text/plain; charset=utf-8'
  } else {
    payload = Buffer.from(JSON.stringify(response.body))
    headers['content-type'] ??= 'application/json; charset=utf-8'
  }
  if (payload) headers['content-length'] = String(payload.length)
  res.writeHead(response.status, headers)
  res.end(payload)
}
