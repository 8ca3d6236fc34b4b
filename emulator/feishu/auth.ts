// Identity for the Feishu emulator: the app, user grants, single-use refresh-token chains, access tokens, the
// authorization-code (PKCE) and device flows, and the access-token check every other API runs first.
//
// Official pages followed:
//   refresh:  https://open.feishu.cn/document/authentication-management/access-token/refresh-user-access-token
//   code:     https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token
//   authorize https://open.feishu.cn/document/common-capabilities/sso/api/obtain-oauth-code
//   tenant:   https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal
//   generic error codes (99991661/63/68/77): https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code
// Device flow (RFC 8628) has no public reference page; shapes follow the official clients larksuite/cli
// (internal/auth/device_flow.go) and larksuite/openclaw-lark (src/core/device-flow.ts).
import { createHash } from 'node:crypto'
import type { Clock } from '../core/clock.js'
import type { EmulatorRequest, EmulatorResponse } from '../core/server.js'
import { ApiError, RawError, basicCredentials, bearerToken, bodyObject } from './http.js'
import { base62, digits, jwtLikeToken } from './ids.js'

export const DEFAULT_USER_ID = 'ou_emulator_user'
/** Scopes a seeded grant carries unless told otherwise. */
export const DEFAULT_SCOPES = ['auth:user.id:read', 'offline_access', 'wiki:wiki', 'docx:document', 'drive:drive', 'docs:document.media:upload', 'board:whiteboard:node:create', 'board:whiteboard:node:read']
const DAY = 86_400_000
/** "在用户授权应用 365 天后，应用必须通过用户重新授权" (refresh page): the hard cap from the original grant. */
export const GRANT_MAX_AGE_MS = 365 * DAY
const CODE_TTL_MS = 5 * 60_000 // "授权码的有效期为 5 分钟，且只能被使用一次" (get-user-access-token page)
const TENANT_TTL_S = 7200 // "最大有效期是 2 小时" (tenant_access_token page)

export type Identity =
  | { kind: 'user'; userId: string; scopes: string[]; token: string }
  | { kind: 'tenant'; appId: string; token: string }

export interface AuthOptions {
  clock: Clock
  app: { appId: string; appSecret: string }
  redirectUris: string[]
  accessTokenTtlSeconds: number
  refreshTokenTtlSeconds: number
  /** Where the device flow's verification page lives (the emulator's own URL). */
  baseUrl: () => string
}

interface Grant {
  userId: string
  scopes: string[]
  grantedAt: number
}

interface RefreshRecord {
  token: string
  grant: Grant
  scopes: string[]
  issuedAt: number
  expiresAt: number
  usedAt?: number
  /** The refresh token that replaced this one. */
  successor?: string
}

interface AccessRecord {
  userId: string
  scopes: string[]
  expiresAt: number
}

interface CodeRecord {
  grant: Grant
  redirectUri: string
  challenge?: string
  challengeMethod?: string
  issuedAt: number
  usedAt?: number
}

interface DeviceRecord {
  deviceCode: string
  userCode: string
  scopes: string[]
  issuedAt: number
  expiresAt: number
  intervalS: number
  lastPollAt?: number
  state: 'pending' | 'approved' | 'denied' | 'redeemed'
  userId?: string
}

/** The flat OAuth error of the token endpoint: HTTP status, numeric code, RFC 6749 `error`, description. */
const OAUTH_ERRORS = {
  20001: [400, 'invalid_request', 'The request is missing a required parameter.'],
  20002: [400, 'invalid_client', 'The client secret is invalid.'],
  20003: [400, 'invalid_grant', 'The authorization code is not found. Please check the value.'],
  20004: [400, 'invalid_grant', 'The authorization code has expired. Please generate a new one.'],
  20024: [400, 'invalid_grant', 'The provided authorization code or refresh token does not match the provided client ID.'],
  20026: [400, 'invalid_grant', 'The refresh token passed is invalid. Please check the value.'],
  20036: [400, 'unsupported_grant_type', 'The specified grant_type is not supported.'],
  20037: [400, 'invalid_grant', 'The refresh token passed has expired. Please generate a new one.'],
  20048: [400, 'invalid_client', 'The specified app does not exist.'],
  20049: [400, 'invalid_grant', 'PKCE verification failed. Please check the code_verifier.'],
  20050: [500, 'server_error', 'An unexpected server error occurred. Please retry your request.'],
  20063: [400, 'invalid_request', 'The request is malformed. Please check your request.'],
  20064: [400, 'invalid_grant', 'The refresh token has been revoked. Please note that a refresh token can only be used once.'],
  20065: [400, 'invalid_grant', 'The authorization code has been used. Please note that an authorization code can only be used once.'],
  20067: [400, 'invalid_scope', 'The provided scope list contains duplicate scopes. Please ensure all scopes are unique.'],
  20068: [400, 'invalid_scope', 'The provided scope list contains scopes that are not permitted. Please ensure all scopes are authorized.'],
  20070: [400, 'invalid_client', 'Multiple authentication methods were provided. Please only use one to proceed.'],
  20071: [400, 'invalid_grant', 'The redirect_uri does not match the one used in the authorization request.'],
  20072: [503, 'temporarily_unavailable', 'The server is temporarily unavailable. Please retry your request.'],
} as const satisfies Record<number, readonly [number, string, string]>

export type OAuthErrorCode = keyof typeof OAUTH_ERRORS

export function oauthError(code: OAuthErrorCode): EmulatorResponse {
  const [status, error, description] = OAUTH_ERRORS[code]
  return { status, body: { code, error, error_description: description } }
}

function oauthFail(code: OAuthErrorCode): never {
  throw new RawError(oauthError(code))
}

/** RFC 8628 §3.5 errors; Feishu answers them with HTTP 400 (larksuite/cli issue #1004 log) and no numeric code. */
function deviceFail(error: 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token', description: string): never {
  throw new RawError({ status: 400, body: { error, error_description: description } })
}

export class AuthState {
  private readonly grantsByUser = new Map<string, Grant[]>()
  private readonly refresh = new Map<string, RefreshRecord>()
  private readonly access = new Map<string, AccessRecord>()
  private readonly tenant = new Map<string, { appId: string; expiresAt: number }>()
  private readonly appTokens = new Map<string, { appId: string; expiresAt: number }>()
  private readonly codes = new Map<string, CodeRecord>()
  private readonly devices = new Map<string, DeviceRecord>()
  /** Test hook for the authorize page: the next authorizations are denied by the "user". */
  denyNextAuthorizations = 0
  /** Who the authorize page signs in as. */
  authorizeAsUser = DEFAULT_USER_ID

  constructor(private readonly options: AuthOptions) {}

  private now(): number {
    return this.options.clock.now()
  }

  get appId(): string {
    return this.options.app.appId
  }

  // ---- seeding and inspection -------------------------------------------------------------------------------

  /** As if the user had just authorized the app: the first link of a refresh chain. */
  issueRefreshToken(options: { userId?: string; scopes?: string[]; grantedAt?: number } = {}): string {
    const scopes = options.scopes ?? DEFAULT_SCOPES
    if (!scopes.includes('offline_access')) {
      throw new Error('issueRefreshToken: a refresh token exists only when offline_access was granted')
    }
    const grant = this.newGrant(options.userId ?? DEFAULT_USER_ID, scopes, options.grantedAt ?? this.now())
    return this.newRefreshToken(grant, scopes)
  }

  /** An access token for the user, as if just issued (for tests that skip the refresh). */
  issueUserAccessToken(options: { userId?: string; scopes?: string[] } = {}): string {
    const token = jwtLikeToken('uat')
    this.access.set(token, {
      userId: options.userId ?? DEFAULT_USER_ID,
      scopes: options.scopes ?? DEFAULT_SCOPES,
      expiresAt: this.now() + this.options.accessTokenTtlSeconds * 1000,
    })
    return token
  }

  /** The newest valid (unused, unexpired) refresh token of that user. */
  liveRefreshToken(userId = DEFAULT_USER_ID): string | undefined {
    let best: RefreshRecord | undefined
    for (const record of this.refresh.values()) {
      if (record.grant.userId !== userId || record.usedAt !== undefined || this.expired(record)) continue
      if (!best || record.issuedAt >= best.issuedAt) best = record
    }
    return best?.token
  }

  /** Every refresh token ever issued to the user, oldest first, with its state (for assertions). */
  refreshTokens(userId = DEFAULT_USER_ID): { token: string; state: 'live' | 'used' | 'expired' }[] {
    return [...this.refresh.values()]
      .filter((r) => r.grant.userId === userId)
      .map((r) => ({ token: r.token, state: r.usedAt !== undefined ? 'used' : this.expired(r) ? 'expired' : 'live' }))
  }

  knownUsers(): string[] {
    return [...this.grantsByUser.keys()]
  }

  // ---- the access-token check every OpenAPI runs (before parameter validation: live probe P15) ----------------

  /**
   * Missing header, or no "Bearer " prefix → 99991661 (a live probe shows a bare token counts as no token).
   * Unknown tenant token (t-…) → 99991663; unknown user token → 99991668; expired user token → 99991677.
   * All HTTP 400 (https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code; statuses observed).
   */
  authenticate(req: EmulatorRequest): Identity {
    const token = bearerToken(req)
    if (!token) throw new ApiError(99991661, 'Missing access token for authorization. Please make a request with token attached.')
    const user = this.access.get(token)
    if (user) {
      if (this.now() >= user.expiresAt) throw new ApiError(99991677, 'Authentication token expired.')
      return { kind: 'user', userId: user.userId, scopes: user.scopes, token }
    }
    const tenant = this.tenant.get(token)
    if (tenant && this.now() < tenant.expiresAt) return { kind: 'tenant', appId: tenant.appId, token }
    if (token.startsWith('t-')) {
      throw new ApiError(99991663, 'Invalid access token for authorization. Please make a request with token attached.')
    }
    throw new ApiError(99991668, 'Invalid access token for authorization. Please make a request with token attached.')
  }

  // ---- POST /open-apis/authen/v2/oauth/token ------------------------------------------------------------------

  oauthToken(req: EmulatorRequest): EmulatorResponse {
    const body = bodyObject(req)
    if (!body) oauthFail(20063)
    for (const value of Object.values(body)) if (value !== undefined && typeof value !== 'string') oauthFail(20063)
    const field = (name: string): string | undefined => {
      const v = body[name]
      return typeof v === 'string' && v !== '' ? v : undefined
    }
    const basic = basicCredentials(req)
    if (basic && field('client_secret')) oauthFail(20070)

    const grantType = field('grant_type')
    if (!grantType) oauthFail(20001)
    const clientId = field('client_id') ?? basic?.id
    const clientSecret = field('client_secret') ?? basic?.secret
    if (!clientId || !clientSecret) oauthFail(20001)
    if (clientId !== this.options.app.appId) oauthFail(20048)
    if (clientSecret !== this.options.app.appSecret) oauthFail(20002)

    switch (grantType) {
      case 'refresh_token':
        return this.refreshGrant(field('refresh_token'), field('scope'))
      case 'authorization_code':
        return this.codeGrant(field('code'), field('redirect_uri'), field('code_verifier'), field('scope'))
      case 'urn:ietf:params:oauth:grant-type:device_code':
        return this.deviceGrant(field('device_code'))
      default:
        oauthFail(20036)
    }
  }

  private refreshGrant(token: string | undefined, scope: string | undefined): EmulatorResponse {
    if (!token) oauthFail(20001)
    const record = this.refresh.get(token)
    if (!record) oauthFail(20026)
    // Single use: "原 refresh_token 立即失效"; a replay answers 20064 (observed live: hoastyle/feishu-doc-tools REFRESH_TOKEN_FIX.md).
    if (record.usedAt !== undefined) oauthFail(20064)
    if (this.expired(record)) oauthFail(20037)
    const scopes = this.narrow(record.grant.scopes, scope)
    record.usedAt = this.now()
    const response = this.tokenResponse(record.grant, scopes)
    record.successor = (response.body as { refresh_token?: string }).refresh_token
    return response
  }

  private codeGrant(code: string | undefined, redirectUri: string | undefined, verifier: string | undefined, scope: string | undefined): EmulatorResponse {
    if (!code) oauthFail(20001)
    const record = this.codes.get(code)
    if (!record) oauthFail(20003)
    if (record.usedAt !== undefined) oauthFail(20065)
    if (this.now() - record.issuedAt > CODE_TTL_MS) oauthFail(20004)
    if (redirectUri !== undefined && redirectUri !== record.redirectUri) oauthFail(20071)
    if (record.challenge !== undefined) {
      // code_verifier: 43–128 characters of [A-Za-z0-9-._~] (get-user-access-token page).
      if (!verifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) oauthFail(20049)
      const computed =
        record.challengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url')
      if (computed !== record.challenge) oauthFail(20049)
    }
    const scopes = this.narrow(record.grant.scopes, scope)
    record.usedAt = this.now()
    return this.tokenResponse(record.grant, scopes)
  }

  private deviceGrant(deviceCode: string | undefined): EmulatorResponse {
    if (!deviceCode) oauthFail(20001)
    const record = this.devices.get(deviceCode)
    if (!record || record.state === 'redeemed') {
      throw new RawError({ status: 400, body: { error: 'invalid_grant', error_description: 'The device code is invalid or has been used.' } })
    }
    const now = this.now()
    if (now >= record.expiresAt) deviceFail('expired_token', 'The device code has expired. Please start a new authorization.')
    if (record.state === 'denied') deviceFail('access_denied', 'The user denied the authorization request.')
    const last = record.lastPollAt
    record.lastPollAt = now
    if (record.state === 'pending') {
      // RFC 8628 §3.5: polling faster than `interval` answers slow_down (and the client adds 5 s).
      if (last !== undefined && now - last < record.intervalS * 1000) {
        record.intervalS += 5
        deviceFail('slow_down', 'The client is polling too quickly. Please slow down.')
      }
      deviceFail('authorization_pending', 'The user has not yet completed authorization.')
    }
    record.state = 'redeemed'
    const grant = this.newGrant(record.userId ?? DEFAULT_USER_ID, record.scopes, now)
    return this.tokenResponse(grant, record.scopes)
  }

  private narrow(granted: string[], requested: string | undefined): string[] {
    if (requested === undefined) return granted
    const asked = requested.split(/\s+/).filter(Boolean)
    if (new Set(asked).size !== asked.length) oauthFail(20067)
    if (asked.some((s) => !granted.includes(s))) oauthFail(20068)
    return asked
  }

  /** Success body (flat, no envelope). A refresh_token only when offline_access is in the token's scopes. */
  private tokenResponse(grant: Grant, scopes: string[]): EmulatorResponse {
    const now = this.now()
    const accessToken = jwtLikeToken('uat')
    const accessTtl = this.options.accessTokenTtlSeconds
    this.access.set(accessToken, { userId: grant.userId, scopes, expiresAt: now + accessTtl * 1000 })
    const body: Record<string, unknown> = { code: 0, access_token: accessToken, expires_in: accessTtl }
    if (scopes.includes('offline_access')) {
      const refreshToken = this.newRefreshToken(grant, scopes)
      body.refresh_token = refreshToken
      body.refresh_token_expires_in = Math.max(0, Math.floor((this.refresh.get(refreshToken)!.expiresAt - now) / 1000))
    }
    body.scope = scopes.join(' ')
    body.token_type = 'Bearer'
    return { status: 200, body }
  }

  private newGrant(userId: string, scopes: string[], grantedAt: number): Grant {
    const grant = { userId, scopes: [...scopes], grantedAt }
    const list = this.grantsByUser.get(userId) ?? []
    list.push(grant)
    this.grantsByUser.set(userId, list)
    return grant
  }

  /** refresh_token_expires_in is "非固定值": the TTL, but never past 365 days after the original grant. */
  private newRefreshToken(grant: Grant, scopes: string[]): string {
    const now = this.now()
    const token = jwtLikeToken('urt')
    const expiresAt = Math.min(now + this.options.refreshTokenTtlSeconds * 1000, grant.grantedAt + GRANT_MAX_AGE_MS)
    this.refresh.set(token, { token, grant, scopes, issuedAt: now, expiresAt })
    return token
  }

  private expired(record: RefreshRecord): boolean {
    const now = this.now()
    return now >= record.expiresAt || now >= record.grant.grantedAt + GRANT_MAX_AGE_MS
  }

  // ---- app-level tokens: POST /open-apis/auth/v3/{tenant,app}_access_token/internal ---------------------------

  /**
   * Body `{app_id, app_secret}`; answer `{code, msg, tenant_access_token|app_access_token, expire}` at the top
   * level. Failures are HTTP 200 with code 10003 "invalid param" for an unknown app (live probe) and 10014 for a
   * wrong secret. A call with under 30 minutes left returns a new token and both stay valid (SDK doc comment).
   */
  appLevelToken(req: EmulatorRequest, kind: 'tenant' | 'app'): EmulatorResponse {
    const body = bodyObject(req)
    const appId = body?.app_id
    const appSecret = body?.app_secret
    if (typeof appId !== 'string' || typeof appSecret !== 'string' || appId !== this.options.app.appId) {
      return { status: 200, body: { code: 10003, data: {}, msg: 'invalid param' } }
    }
    if (appSecret !== this.options.app.appSecret) return { status: 200, body: { code: 10014, msg: 'app secret invalid' } }
    const store = kind === 'tenant' ? this.tenant : this.appTokens
    const now = this.now()
    let token: string | undefined
    let expiresAt = 0
    for (const [t, record] of store) {
      if (record.appId === appId && record.expiresAt - now >= 30 * 60_000) {
        token = t
        expiresAt = record.expiresAt
      }
    }
    if (!token) {
      token = `${kind === 'tenant' ? 't' : 'a'}-${base62(40)}`
      expiresAt = now + TENANT_TTL_S * 1000
      store.set(token, { appId, expiresAt })
    }
    const expire = Math.floor((expiresAt - now) / 1000)
    return kind === 'tenant'
      ? { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire } }
      : { status: 200, body: { code: 0, msg: 'ok', app_access_token: token, expire } }
  }

  // ---- device flow: POST /oauth/v1/device_authorization (accounts host) ----------------------------------------

  deviceAuthorization(req: EmulatorRequest): EmulatorResponse {
    const basic = basicCredentials(req)
    const body = bodyObject(req) ?? {}
    const clientId = typeof body.client_id === 'string' ? body.client_id : basic?.id
    const secret = basic?.secret ?? (typeof body.client_secret === 'string' ? body.client_secret : undefined)
    if (!clientId || !secret) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'The request is missing a required parameter.' } }
    }
    if (clientId !== this.options.app.appId || secret !== this.options.app.appSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed.' } }
    }
    const scopeText = typeof body.scope === 'string' ? body.scope : ''
    const scopes = scopeText.split(/\s+/).filter(Boolean)
    if (scopes.some((s) => !/^[a-z_]+(:[a-zA-Z_.]+)*$/.test(s))) {
      return {
        status: 400,
        body: {
          error: 'invalid_scope',
          error_description: 'The provided scope list contains invalid or malformed scopes. Please ensure all scopes are valid.',
        },
      }
    }
    const now = this.now()
    const deviceCode = base62(40)
    const userCode = `${base62(4).toUpperCase()}-${base62(4).toUpperCase()}`
    const expiresIn = 240
    const interval = 5
    this.devices.set(deviceCode, {
      deviceCode,
      userCode,
      scopes,
      issuedAt: now,
      expiresAt: now + expiresIn * 1000,
      intervalS: interval,
      state: 'pending',
    })
    const verify = `${this.options.baseUrl()}/oauth/v1/device/verify`
    return {
      status: 200,
      body: {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: verify,
        verification_uri_complete: `${verify}?flow_id=${digits(12)}&user_code=${encodeURIComponent(userCode)}`,
        expires_in: expiresIn,
        interval,
      },
    }
  }

  private deviceByUserCode(userCode: string): DeviceRecord {
    for (const record of this.devices.values()) if (record.userCode === userCode) return record
    throw new Error(`no device authorization with user code ${userCode}`)
  }

  approveDevice(userCode: string, userId = DEFAULT_USER_ID): void {
    const record = this.deviceByUserCode(userCode)
    record.state = 'approved'
    record.userId = userId
  }

  denyDevice(userCode: string): void {
    this.deviceByUserCode(userCode).state = 'denied'
  }

  /**
   * GET /oauth/v1/device/verify?user_code=… — the page the user opens. The emulator's page shows the code;
   * `emulator_approve=1` / `emulator_deny=1` let a demo or test act as the user through HTTP.
   */
  deviceVerifyPage(req: EmulatorRequest): EmulatorResponse {
    const userCode = req.query.get('user_code') ?? ''
    const record = [...this.devices.values()].find((d) => d.userCode === userCode)
    const page = (text: string, status = 200): EmulatorResponse => ({
      status,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: `<!doctype html><html><body><h1>Feishu emulator: device authorization</h1><p>${text}</p></body></html>`,
    })
    if (!record || this.now() >= record.expiresAt) return page('This code is invalid or has expired.', 400)
    if (req.query.get('emulator_approve') === '1') {
      this.approveDevice(userCode, req.query.get('user_id') ?? DEFAULT_USER_ID)
      return page(`Authorized (${userCode}). You can close this page.`)
    }
    if (req.query.get('emulator_deny') === '1') {
      this.denyDevice(userCode)
      return page(`Denied (${userCode}).`)
    }
    // Buttons for a person trying the emulator (`npm run playground`): a GET form adds emulator_approve or emulator_deny.
    const code = userCode.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    const form = (name: string, label: string) =>
      `<form method="get" style="display:inline"><input type="hidden" name="user_code" value="${code}"><input type="hidden" name="${name}" value="1"><button type="submit">${label}</button></form>`
    return page(`Authorize the app with code <b>${code}</b>?</p><p>${form('emulator_approve', 'Approve')} ${form('emulator_deny', 'Deny')}`)
  }

  // ---- GET /open-apis/authen/v1/authorize (accounts host) --------------------------------------------------------

  /**
   * The emulator plays the user: it signs in as `authorizeAsUser`, consents, and answers 302 to
   * `redirect_uri?code=…&state=…`. A denial (`emulator_deny=1`, or `denyNextAuthorizations`) redirects with
   * `error=access_denied`. An unregistered redirect_uri gets an error page (error 20029, see predecessor notes).
   */
  authorize(req: EmulatorRequest): EmulatorResponse {
    const q = req.query
    const clientId = q.get('client_id')
    const redirectUri = q.get('redirect_uri')
    const state = q.get('state')
    if (!clientId || clientId !== this.options.app.appId) return errorPage(20048, 'The specified app does not exist.')
    if (!redirectUri || !this.options.redirectUris.includes(redirectUri)) {
      return errorPage(20029, 'redirect_uri 请求不合法 (the redirect_uri is not registered for this app).')
    }
    const responseType = q.get('response_type')
    if (responseType !== null && responseType !== 'code') return errorPage(20063, 'The request is malformed. Please check your request.')
    const challenge = q.get('code_challenge') ?? undefined
    const method = q.get('code_challenge_method') ?? (challenge ? 'plain' : undefined)
    if (challenge && method !== 'S256' && method !== 'plain') return errorPage(20063, 'Unsupported code_challenge_method.')
    const target = new URL(redirectUri)
    if (state !== null) target.searchParams.set('state', state)
    const deny = q.get('emulator_deny') === '1' || this.denyNextAuthorizations > 0
    if (deny) {
      if (this.denyNextAuthorizations > 0) this.denyNextAuthorizations -= 1
      target.searchParams.set('error', 'access_denied')
      return { status: 302, headers: { location: target.toString() }, body: undefined }
    }
    const scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean)
    // Scopes a user grants accumulate across authorizations (obtain-oauth-code page).
    const previous = this.grantsByUser.get(this.authorizeAsUser)?.flatMap((g) => g.scopes) ?? []
    const grant = this.newGrant(this.authorizeAsUser, [...new Set([...previous, ...scopes])], this.now())
    const code = base62(32)
    this.codes.set(code, { grant, redirectUri, challenge, challengeMethod: method, issuedAt: this.now() })
    target.searchParams.set('code', code)
    return { status: 302, headers: { location: target.toString() }, body: undefined }
  }
}

function errorPage(code: number, message: string): EmulatorResponse {
  return {
    status: 400,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><body><h1>授权失败 (Authorization failed)</h1><p>错误码 ${code}: ${message}</p></body></html>`,
  }
}
