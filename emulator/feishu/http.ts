// Response shapes of the Feishu Open Platform, and the error type the emulator's handlers throw.
//
// Envelope: every OpenAPI answers `{code, msg, data}`; code 0 is success
// (https://open.feishu.cn/document/server-docs/api-call-guide/server-error-codes). Errors also carry
// `error: {log_id, troubleshooter}` beside code and msg (live probe: HTTP 400 + code + error.log_id/troubleshooter
// for 99991661; see GUESSES.md). Two endpoint families are NOT enveloped: the OAuth token endpoint (flat RFC 6749
// body) and the app/tenant token endpoints (token at top level); their handlers build their own bodies.
import type { EmulatorRequest, EmulatorResponse } from '../core/server.js'

/** A failure answered with the standard envelope. Handlers throw it; the route wrapper turns it into a response. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code} ${msg}`)
  }
}

/** A failure with a hand-made body (flat OAuth errors, redirects, HTML pages). */
export class RawError extends Error {
  constructor(readonly response: EmulatorResponse) {
    super(`HTTP ${response.status}`)
  }
}

export function ok(data: unknown = {}): EmulatorResponse {
  return { status: 200, body: { code: 0, msg: 'success', data } }
}

export function errorBody(code: number, msg: string, logId: string): Record<string, unknown> {
  return {
    code,
    msg,
    error: {
      log_id: logId,
      troubleshooter: `排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=${code}`,
    },
  }
}

export function bearerToken(req: EmulatorRequest): string | undefined {
  const header = req.headers.authorization
  if (typeof header !== 'string') return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m?.[1]
}

export function basicCredentials(req: EmulatorRequest): { id: string; secret: string } | undefined {
  const header = req.headers.authorization
  if (typeof header !== 'string') return undefined
  const m = /^Basic\s+(\S+)\s*$/i.exec(header)
  if (!m) return undefined
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
  const i = decoded.indexOf(':')
  if (i < 0) return undefined
  return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) }
}

/** The request body as a plain object (JSON or form-urlencoded), or undefined when it is neither. */
export function bodyObject(req: EmulatorRequest): Record<string, unknown> | undefined {
  const body = req.body
  if (body && typeof body === 'object' && !Array.isArray(body) && !(body instanceof FormData)) {
    return body as Record<string, unknown>
  }
  return undefined
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
