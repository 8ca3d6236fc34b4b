// Feishu token endpoints: the v2 OAuth token endpoint (refresh, authorization code, device code) and the
// app's tenant access token.
// - https://open.feishu.cn/document/authentication-management/access-token/refresh-user-access-token
// - https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token
// - https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal
// The v2 token endpoint answers flat JSON (no `data` wrapper); the tenant token sits at the top level too.
import { type Clock, timeoutSignal } from '../clock.js'
import { redactAndCut } from '../mask.js'
import { describeNetworkError, requestNotSent } from './client.js'

export interface UserTokens {
  accessToken: string
  refreshToken: string
  /** Seconds. */
  expiresIn: number
  refreshTokenExpiresIn: number
  scope: string
  /** Clock time the tokens were received, ms. */
  receivedAt: number
}

/** What went wrong with a refresh, in terms of what the user must do. */
export type RefreshFailureKind =
  | 'already-used' // 20064 / 20073: the token was spent before this run
  | 'lost-in-transit' // our first attempt spent it, but the answer never arrived
  | 'expired' // 20037
  | 'invalid' // 20026
  | 'bad-app-secret' // 20002
  | 'not-allowed' // 20074 and app/user state codes
  | 'no-refresh-token' // success without a refresh_token: offline_access missing
  | 'server' // 20050 / 20072 after the retry, or an unreadable answer
  | 'network' // no answer at all, twice
  | 'not-sent' // the request never left this machine (DNS, refused connection, bad port): the token is intact

export class TokenRefreshError extends Error {
  constructor(
    readonly kind: RefreshFailureKind,
    message: string,
    readonly code?: number,
    readonly logId?: string,
  ) {
    super(message)
    this.name = 'TokenRefreshError'
  }
}

const ALREADY_USED = new Set([20064, 20073])
/** The server says it did nothing and the call may be repeated. */
const RETRY_ONCE = new Set([20050, 20072])
/** "request trigger frequency limit": nothing was done; wait x-ogw-ratelimit-reset seconds. */
const RATE_LIMITED = 99991400

export interface RefreshOptions {
  baseUrl: string
  appId: string
  appSecret: string
  refreshToken: string
  clock: Clock
  /** Called with each new token the moment it arrives, before anything can print it. */
  onSecret: (value: string) => void
  timeoutMs?: number
}

/**
 * Spend the refresh token once and return the new pair. Retried once when the first call certainly did not
 * spend it (20050/20072, or rate limited: 99991400 after x-ogw-ratelimit-reset), or when no answer from Feishu
 * arrived (network error, timeout, a gateway's error page); in that case a 20064 on the retry means the first
 * call did spend it and its answer was lost.
 */
export async function refreshUserToken(options: RefreshOptions): Promise<UserTokens> {
  const body = {
    grant_type: 'refresh_token',
    client_id: options.appId,
    client_secret: options.appSecret,
    refresh_token: options.refreshToken,
  }
  let lostFirstAnswer = false
  for (let attempt = 1; attempt <= 2; attempt++) {
    const answer = await postToken(options.baseUrl, body, options.timeoutMs, options.clock)
    // Refused before it left this machine (DNS, refused connection, bad port): the token was not spent.
    if (answer.kind === 'no-answer' && answer.notSent) {
      if (attempt === 2) {
        throw new TokenRefreshError(
          lostFirstAnswer ? 'network' : 'not-sent',
          lostFirstAnswer
            ? `No answer from the Feishu token endpoint, then the retry could not be sent (${answer.reason}).`
            : `The request to the Feishu token endpoint could not be sent (${answer.reason}), twice.`,
        )
      }
      await options.clock.sleep(2_000)
      continue
    }
    // No answer, or a gateway's error page instead of Feishu's JSON: the refresh may or may not have happened.
    const unreadable = answer.kind === 'json' && answer.httpStatus >= 500 && 'unreadable' in answer.json
    if (answer.kind === 'no-answer' || unreadable) {
      const reason = answer.kind === 'no-answer' ? answer.reason : `HTTP ${answer.httpStatus}, not Feishu's answer`
      if (attempt === 2) {
        throw new TokenRefreshError(lostFirstAnswer ? 'lost-in-transit' : 'network', `No answer from the Feishu token endpoint (${reason}), twice.`)
      }
      lostFirstAnswer = true
      await options.clock.sleep(2_000)
      continue
    }
    const { json, logId, httpStatus } = answer
    const code = Number(json.code ?? 0)
    if (code === 0 && typeof json.access_token === 'string') {
      options.onSecret(json.access_token)
      if (typeof json.refresh_token !== 'string' || json.refresh_token === '') {
        throw new TokenRefreshError('no-refresh-token', 'The refresh answer carried no refresh_token.', 0, logId)
      }
      options.onSecret(json.refresh_token)
      return {
        accessToken: json.access_token,
        refreshToken: json.refresh_token,
        expiresIn: positiveNumber(json.expires_in, 7_200),
        refreshTokenExpiresIn: positiveNumber(json.refresh_token_expires_in, 604_800),
        scope: typeof json.scope === 'string' ? json.scope : '',
        receivedAt: options.clock.now(),
      }
    }
    // Feishu's own words only, redacted before the cut: an echoing proxy may hand the request back.
    const said = redactAndCut(String(json.error_description ?? json.msg ?? json.error ?? 'no description'), 300)
    const detail = `code ${Number.isNaN(code) ? 'none' : code}, HTTP ${httpStatus}: ${said}${logId ? ` (x-tt-logid ${redactAndCut(logId, 80)})` : ''}`
    if ((RETRY_ONCE.has(code) || code === RATE_LIMITED || httpStatus === 429) && attempt === 1) {
      await options.clock.sleep(code === RATE_LIMITED || httpStatus === 429 ? (answer.rateLimitResetSeconds ?? 1) * 1000 : 1_000)
      continue
    }
    if (ALREADY_USED.has(code)) {
      throw new TokenRefreshError(lostFirstAnswer ? 'lost-in-transit' : 'already-used', detail, code, logId)
    }
    const kind = classify(code)
    // After a lost first answer, "nothing was done" can no longer be promised.
    throw new TokenRefreshError(lostFirstAnswer && kind === 'server' ? 'network' : kind, detail, code, logId)
  }
  throw new TokenRefreshError('server', 'The Feishu token endpoint did not succeed.')
}

function classify(code: number): RefreshFailureKind {
  if (code === 20037) return 'expired'
  if (code === 20026) return 'invalid'
  if (code === 20002 || code === 20024 || code === 20048) return 'bad-app-secret'
  if (RETRY_ONCE.has(code) || code === RATE_LIMITED || Number.isNaN(code)) return 'server'
  return 'not-allowed'
}

export interface TenantTokenOptions {
  baseUrl: string
  appId: string
  appSecret: string
  onSecret: (value: string) => void
  timeoutMs?: number
}

export class TenantTokenError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message)
    this.name = 'TenantTokenError'
  }
}

/** POST /open-apis/auth/v3/tenant_access_token/internal; the token is at the top level of the answer. */
export async function getTenantAccessToken(options: TenantTokenOptions): Promise<{ token: string; expire: number }> {
  const answer = await postTokenEndpoint(
    `${options.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`,
    { json: { app_id: options.appId, app_secret: options.appSecret } },
    { timeoutMs: options.timeoutMs },
  )
  if (answer.kind === 'no-answer' && answer.notSent) {
    throw new TenantTokenError(`The request to the Feishu tenant token endpoint could not be sent (${answer.reason}): check the runner's network and base-url.`)
  }
  if (answer.kind === 'no-answer') throw new TenantTokenError(`No answer from the Feishu tenant token endpoint (${answer.reason}).`)
  const code = Number(answer.json.code)
  const token = answer.json.tenant_access_token
  if (code === 0 && typeof token === 'string') {
    options.onSecret(token)
    return { token, expire: positiveNumber(answer.json.expire, 7_200) }
  }
  throw new TenantTokenError(
    `The app credentials were refused: code ${Number.isNaN(code) ? 'none' : code}, HTTP ${answer.httpStatus}: ${redactAndCut(String(answer.json.msg ?? 'no message'), 300)}. Check app-id and app-secret.`,
    Number.isNaN(code) ? undefined : code,
  )
}

export type Answer =
  | { kind: 'json'; json: Record<string, unknown>; httpStatus: number; logId?: string; rateLimitResetSeconds?: number }
  /** notSent: fetch refused before anything left this machine (DNS, refused connection, bad port), so the server saw nothing. */
  | { kind: 'no-answer'; reason: string; notSent?: boolean }

async function postToken(baseUrl: string, body: Record<string, string>, timeoutMs?: number, clock?: Clock): Promise<Answer> {
  return postTokenEndpoint(`${baseUrl}/open-apis/authen/v2/oauth/token`, { json: body }, { timeoutMs, clock })
}

export interface PostOptions {
  /** HTTP Basic client authentication (RFC 6749 §2.3.1: id and secret are form-urlencoded before base64). */
  basic?: { id: string; secret: string }
  timeoutMs?: number
  clock?: Pick<Clock, 'realMs'>
}

/**
 * POST to a Feishu token endpoint (JSON or form body) and read its flat JSON answer. "No answer" (network error,
 * timeout) is told apart from an answer, because after no answer a refresh token may or may not be spent.
 */
export async function postTokenEndpoint(
  url: string,
  body: { json: unknown } | { form: Record<string, string> },
  options: PostOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': 'json' in body ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded',
  }
  if (options.basic) {
    const pair = `${encodeURIComponent(options.basic.id)}:${encodeURIComponent(options.basic.secret)}`
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`
  }
  let response: Response
  let text: string
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: 'json' in body ? JSON.stringify(body.json) : new URLSearchParams(body.form).toString(),
      signal: timeoutSignal(options.clock, options.timeoutMs ?? 30_000),
    })
    text = await response.text()
  } catch (error) {
    return { kind: 'no-answer', reason: describeNetworkError(error), notSent: requestNotSent(error) }
  }
  const logId = response.headers.get('x-tt-logid') ?? undefined
  const reset = Number(response.headers.get('x-ogw-ratelimit-reset') ?? Number.NaN)
  const rateLimitResetSeconds = Number.isFinite(reset) && reset >= 0 ? reset : undefined
  try {
    const json: unknown = JSON.parse(text)
    if (json && typeof json === 'object') {
      return { kind: 'json', json: json as Record<string, unknown>, httpStatus: response.status, logId, rateLimitResetSeconds }
    }
  } catch {
    // not JSON: a proxy's error page, a wrong URL
  }
  // Never echo a token endpoint's body: a proxy that echoes the request would hand back the secrets it carried.
  const type = redactAndCut(response.headers.get('content-type') ?? 'no content-type', 60)
  const unreadable = `${text.length} characters of ${type}`
  return { kind: 'json', json: { code: Number.NaN, msg: `unreadable answer (${unreadable}, not Feishu's JSON)`, unreadable }, httpStatus: response.status, logId, rateLimitResetSeconds }
}

function positiveNumber(value: unknown, fallback: number): number {
  const n = Number(value)
  return Number.isFinite(n) && n > 0 ? n : fallback
}
