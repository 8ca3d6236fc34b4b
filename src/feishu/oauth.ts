// The first authorization of a Feishu/Lark user, done once by `feishu-wiki-sync auth` to start the token chain:
//
// - Device authorization grant (RFC 8628, https://www.rfc-editor.org/rfc/rfc8628), the default: no redirect URL,
//   works over SSH and in containers. Feishu has no public reference page for it; the shapes follow Feishu's
//   official clients (larksuite/cli internal/auth/device_flow.go, larksuite/openclaw-lark src/core/device-flow.ts):
//   POST {accounts}/oauth/v1/device_authorization (form body, HTTP Basic app credentials), then poll
//   POST {open}/open-apis/authen/v2/oauth/token with grant_type=urn:ietf:params:oauth:grant-type:device_code.
// - Authorization code with PKCE (RFC 7636, https://www.rfc-editor.org/rfc/rfc7636), `--browser`:
//   GET {accounts}/open-apis/authen/v1/authorize (https://open.feishu.cn/document/common-capabilities/sso/api/obtain-oauth-code),
//   then POST /open-apis/authen/v2/oauth/token with grant_type=authorization_code
//   (https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token).
//
// Both end with a fresh refresh token. Nothing here refreshes it: a refresh spends it (refresh tokens are
// single-use), and "refreshing to check it works" is exactly how the previous tool broke its chain.
// Nothing here logs a token or puts one into an error message.
import { createHash, randomBytes } from 'node:crypto'
import { type Answer, postTokenEndpoint } from './auth.js'

/**
 * What the action needs from the user, requested at authorization. Each must also be enabled for the app in the
 * developer console (Permissions & Scopes), or Feishu refuses the authorization (20027 / invalid_scope).
 * - offline_access: without it Feishu issues no refresh token at all;
 * - wiki:wiki: read, create, move and rename wiki nodes;
 * - docx:document: read and write the documents behind them;
 * - drive:drive: upload the images embedded in those documents;
 * - board:whiteboard:node:create: draw Mermaid/PlantUML diagrams into whiteboards (a user token carries only the
 *   scopes asked for here, https://open.feishu.cn/document/common-capabilities/sso/api/obtain-oauth-code).
 */
export const AUTH_SCOPES = ['offline_access', 'wiki:wiki', 'docx:document', 'drive:drive', 'board:whiteboard:node:create'] as const

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
const TOKEN_PATH = '/open-apis/authen/v2/oauth/token'
const AUTHORIZE_PATH = '/open-apis/authen/v1/authorize'
const DEVICE_AUTHORIZATION_PATH = '/oauth/v1/device_authorization'

export function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1'
}

/**
 * The accounts host that serves the authorize page and the device endpoint: `open.feishu.cn` →
 * `accounts.feishu.cn`, `open.larksuite.com` → `accounts.larksuite.com` (a leading `open.` becomes `accounts.`,
 * as Feishu's official clients derive it). Any other host (a loopback emulator, a private deployment) is used as is.
 */
export function accountsUrlFor(baseUrl: string): string {
  const url = new URL(baseUrl)
  if (!isLoopbackHost(url.hostname) && url.hostname.startsWith('open.')) url.hostname = `accounts.${url.hostname.slice(5)}`
  return url.toString().replace(/\/+$/, '')
}

// ---- results and errors -----------------------------------------------------------------------------------------

export interface OAuthTokens {
  accessToken: string
  /** Missing when offline_access was not granted (or the app may not refresh): see OAuthError 'no-refresh-token'. */
  refreshToken?: string
  /** Seconds. */
  expiresIn: number
  /** Seconds; Feishu's default is 604800 (7 days). */
  refreshTokenExpiresIn?: number
  scope: string
}

export type OAuthFailureKind =
  | 'access-denied' // the user declined
  | 'expired' // the device code or authorization code expired before it was used
  | 'rejected' // Feishu refused the request (see code / error / description)
  | 'network' // no answer

export class OAuthError extends Error {
  constructor(
    readonly kind: OAuthFailureKind,
    message: string,
    readonly details: { httpStatus?: number; code?: number; error?: string; description?: string; logId?: string } = {},
  ) {
    super(message)
    this.name = 'OAuthError'
  }
}

/** What Feishu said, as one line: HTTP status, numeric code, OAuth error, description and x-tt-logid. */
export function describeServerAnswer(d: OAuthError['details']): string {
  const parts: string[] = []
  if (d.httpStatus !== undefined) parts.push(`HTTP ${d.httpStatus}`)
  if (d.code !== undefined) parts.push(`code ${d.code}`)
  if (d.error) parts.push(d.error)
  let text = parts.join(', ')
  if (d.description) text += `${text ? ': ' : ''}${d.description}`
  if (d.logId) text += ` (x-tt-logid ${d.logId})`
  return text || 'no details'
}

/**
 * What to do about an OAuth error code (authorize page, code exchange, device flow). From the error tables of
 * https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token and
 * https://open.feishu.cn/document/common-capabilities/sso/api/obtain-oauth-code.
 */
export function oauthHint(code: number | undefined, error?: string): string | undefined {
  switch (code) {
    case 20002:
      return 'The App Secret is wrong for this App ID: copy both again from the developer console (Credentials & Basic Info).'
    case 20003:
    case 20065:
      return 'The authorization code was not found or was already used: run the command again.'
    case 20004:
      return 'The authorization code expired (it lives 5 minutes): run the command again and finish within 5 minutes.'
    case 20009:
      return 'The app is not installed in your organisation: publish a version of the app and have it approved/installed.'
    case 20010:
      return "You may not use this app: add yourself to the app's availability range (developer console → Version Management & Release)."
    case 20027:
      return `A requested scope is not enabled for the app: enable ${AUTH_SCOPES.join(', ')} under Permissions & Scopes, publish a new version, and try again.`
    case 20029:
      return 'The redirect URL is not registered for the app: add it exactly (scheme, host, port and path) under Security Settings → Redirect URLs.'
    case 20048:
      return 'No app has this App ID here: check --app-id, and --base-url (Feishu https://open.feishu.cn or Lark https://open.larksuite.com).'
    case 20049:
      return 'PKCE verification failed (code_verifier does not match code_challenge): run the command again.'
    case 20066:
      return 'Your Feishu account is not in a usable state (deactivated or restricted).'
    case 20069:
      return 'The app is disabled: enable it in the developer console.'
    case 20071:
      return 'The redirect_uri of the code exchange differs from the one used on the authorize page: run the command again with the same --port.'
  }
  if (error === 'invalid_scope') {
    return `Enable these scopes for the app under Permissions & Scopes, publish a new version, and try again: ${AUTH_SCOPES.join(', ')}.`
  }
  if (error === 'invalid_client' || error === 'unauthorized_client') {
    return 'Feishu refused the app credentials: check --app-id and FEISHU_APP_SECRET, and --base-url (Feishu or Lark).'
  }
  return undefined
}

/** The explanation for a successful authorization that carries no refresh_token (larksuite/cli issue #2049). */
export const NO_REFRESH_TOKEN_HELP = [
  'Feishu authorized you but issued no refresh token, so there is nothing the workflow could keep alive. Either:',
  '- the app lacks the `offline_access` scope: enable it under Permissions & Scopes;',
  '- or the app\'s "Refresh user_access_token" security setting is off: turn it on under Security Settings.',
  'Then publish a new app version (changes take effect only in a published version) and run this command again.',
]

// ---- HTTP ---------------------------------------------------------------------------------------------------------

function detailsOf(answer: Extract<Answer, { kind: 'json' }>): OAuthError['details'] {
  const j = answer.json
  const code = j.code === undefined ? undefined : Number(j.code)
  const description =
    typeof j.error_description === 'string'
      ? j.error_description
      : typeof j.msg === 'string'
        ? j.msg
        : typeof j.unreadable === 'string'
          ? `unreadable answer: ${j.unreadable}`
          : undefined
  return {
    httpStatus: answer.httpStatus,
    code: code !== undefined && Number.isFinite(code) ? code : undefined,
    error: typeof j.error === 'string' ? j.error : undefined,
    description,
    logId: answer.logId,
  }
}

/** A token answer: flat JSON, `code` 0 (or absent, as in the device flow) and an access_token. */
function tokensOf(json: Record<string, unknown>): OAuthTokens | undefined {
  const code = json.code === undefined ? 0 : Number(json.code)
  if (code !== 0 || typeof json.access_token !== 'string' || json.access_token === '') return undefined
  const positive = (v: unknown): number | undefined => {
    const n = Number(v)
    return Number.isFinite(n) && n > 0 ? n : undefined
  }
  const refresh = typeof json.refresh_token === 'string' && json.refresh_token !== '' ? json.refresh_token : undefined
  return {
    accessToken: json.access_token,
    ...(refresh ? { refreshToken: refresh, refreshTokenExpiresIn: positive(json.refresh_token_expires_in) ?? 604_800 } : {}),
    expiresIn: positive(json.expires_in) ?? 7_200,
    scope: typeof json.scope === 'string' ? json.scope : '',
  }
}

function rejected(what: string, answer: Extract<Answer, { kind: 'json' }>): OAuthError {
  const details = detailsOf(answer)
  const hint = oauthHint(details.code, details.error)
  return new OAuthError('rejected', `${what} was refused: ${describeServerAnswer(details)}${hint ? `\n${hint}` : ''}`, details)
}

// ---- authorization code with PKCE ----------------------------------------------------------------------------------

export interface Pkce {
  /** 43 characters of [A-Za-z0-9-_] (RFC 7636 §4.1: 43–128 of the unreserved characters). */
  verifier: string
  challenge: string
  method: 'S256'
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  return { verifier, challenge, method: 'S256' }
}

/** A URL-safe random `state` (base64url: letters, digits, `-`, `_`), so no encoding can mangle it on the way back. */
export function randomState(): string {
  return randomBytes(24).toString('base64url')
}

export interface AuthorizeUrlOptions {
  accountsUrl: string
  appId: string
  redirectUri: string
  scopes: readonly string[]
  state: string
  codeChallenge: string
}

/** The authorize page URL. Every value is percent-encoded (spaces in `scope` as %20, as Feishu's own examples do). */
export function buildAuthorizeUrl(o: AuthorizeUrlOptions): string {
  const query: [string, string][] = [
    ['client_id', o.appId],
    ['redirect_uri', o.redirectUri],
    ['scope', o.scopes.join(' ')],
    ['state', o.state],
    ['response_type', 'code'],
    ['code_challenge', o.codeChallenge],
    ['code_challenge_method', 'S256'],
  ]
  return `${o.accountsUrl.replace(/\/+$/, '')}${AUTHORIZE_PATH}?${query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`
}

export interface CodeExchangeOptions {
  baseUrl: string
  appId: string
  appSecret: string
  code: string
  redirectUri: string
  codeVerifier: string
  timeoutMs?: number
}

/** Exchange the authorization code (once; a code is single-use). Returns the tokens as issued, not refreshed. */
export async function exchangeAuthorizationCode(o: CodeExchangeOptions): Promise<OAuthTokens> {
  const answer = await postTokenEndpoint(
    `${o.baseUrl.replace(/\/+$/, '')}${TOKEN_PATH}`,
    {
      json: {
        grant_type: 'authorization_code',
        client_id: o.appId,
        client_secret: o.appSecret,
        code: o.code,
        redirect_uri: o.redirectUri,
        code_verifier: o.codeVerifier,
      },
    },
    { timeoutMs: o.timeoutMs },
  )
  if (answer.kind === 'no-answer') {
    throw new OAuthError('network', `No answer from the Feishu token endpoint at ${o.baseUrl} (${answer.reason}). Run the command again.`)
  }
  const tokens = tokensOf(answer.json)
  if (tokens) return tokens
  const details = detailsOf(answer)
  if (details.code === 20004) throw new OAuthError('expired', `The authorization code expired: ${describeServerAnswer(details)}\n${oauthHint(20004)}`, details)
  throw rejected('Exchanging the authorization code', answer)
}

// ---- device authorization grant ----------------------------------------------------------------------------------

export interface DeviceAuthorization {
  deviceCode: string
  userCode: string
  verificationUri: string
  /** The verification page with the user code filled in. */
  verificationUriComplete: string
  /** Seconds the device code lives. */
  expiresIn: number
  /** Seconds between polls. */
  interval: number
}

export interface DeviceAuthorizationOptions {
  accountsUrl: string
  appId: string
  appSecret: string
  scopes: readonly string[]
  timeoutMs?: number
}

export async function requestDeviceAuthorization(o: DeviceAuthorizationOptions): Promise<DeviceAuthorization> {
  const url = `${o.accountsUrl.replace(/\/+$/, '')}${DEVICE_AUTHORIZATION_PATH}`
  const answer = await postTokenEndpoint(url, { form: { client_id: o.appId, scope: o.scopes.join(' ') } }, { basic: { id: o.appId, secret: o.appSecret }, timeoutMs: o.timeoutMs })
  if (answer.kind === 'no-answer') {
    throw new OAuthError('network', `No answer from the Feishu device authorization endpoint ${url} (${answer.reason}).`)
  }
  const j = answer.json
  if (answer.httpStatus < 400 && typeof j.device_code === 'string' && typeof j.user_code === 'string' && typeof j.verification_uri === 'string' && !j.error) {
    const positive = (v: unknown, fallback: number): number => {
      const n = Number(v)
      return Number.isFinite(n) && n > 0 ? n : fallback
    }
    return {
      deviceCode: j.device_code,
      userCode: j.user_code,
      verificationUri: j.verification_uri,
      verificationUriComplete: typeof j.verification_uri_complete === 'string' && j.verification_uri_complete ? j.verification_uri_complete : j.verification_uri,
      // Defaults of Feishu's official clients when a field is missing.
      expiresIn: positive(j.expires_in, 240),
      interval: positive(j.interval, 5),
    }
  }
  if (answer.httpStatus === 404) {
    throw new OAuthError(
      'rejected',
      `${url} answered HTTP 404: this is not a Feishu/Lark accounts host. Check --base-url, or pass --accounts-url (e.g. https://accounts.feishu.cn).`,
      detailsOf(answer),
    )
  }
  throw rejected('The device authorization request', answer)
}

export interface PollEvent {
  attempt: number
  outcome: 'pending' | 'slow_down' | 'no-answer'
  /** The interval (seconds) used for the next poll. */
  interval: number
}

export interface DevicePollOptions {
  baseUrl: string
  appId: string
  appSecret: string
  device: DeviceAuthorization
  sleep: (ms: number) => Promise<void>
  now: () => number
  onPoll?: (event: PollEvent) => void
  /** Both official clients stop after 200 polls. */
  maxAttempts?: number
  timeoutMs?: number
}

/** slow_down adds 5 s (RFC 8628 §3.5); Feishu's clients cap the interval at 60 s. */
export const SLOW_DOWN_STEP_S = 5
export const MAX_INTERVAL_S = 60

/**
 * Poll the token endpoint until the user approves, declines, or the code expires. Waits `interval` seconds
 * before every poll (RFC 8628 §3.4/3.5); `authorization_pending` → keep polling; `slow_down` → interval + 5 s;
 * `access_denied` → OAuthError 'access-denied'; `expired_token` / `invalid_grant` → 'expired'; no answer →
 * interval + 1 s and retry. Feishu answers pending polls with HTTP 400, so only the `error` field decides.
 */
export async function pollDeviceToken(o: DevicePollOptions): Promise<OAuthTokens> {
  const url = `${o.baseUrl.replace(/\/+$/, '')}${TOKEN_PATH}`
  const fields = { grant_type: DEVICE_CODE_GRANT, device_code: o.device.deviceCode, client_id: o.appId, client_secret: o.appSecret }
  let interval = o.device.interval
  // A little past the code's lifetime, so the server's own expired_token is what ends the wait.
  const deadline = o.now() + (o.device.expiresIn + 2 * interval) * 1000
  const maxAttempts = o.maxAttempts ?? 200
  const expiredMessage = `The code ${o.device.userCode} expired before it was approved (it lives ${formatSeconds(o.device.expiresIn)}). Nothing was written. Run the command again and approve within that time.`
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    await o.sleep(interval * 1000)
    const answer = await postTokenEndpoint(url, { form: fields }, { timeoutMs: o.timeoutMs })
    if (answer.kind === 'no-answer') {
      interval = Math.min(interval + 1, MAX_INTERVAL_S)
      o.onPoll?.({ attempt, outcome: 'no-answer', interval })
    } else {
      const tokens = tokensOf(answer.json)
      if (tokens) return tokens
      const details = detailsOf(answer)
      switch (details.error) {
        case 'authorization_pending':
          o.onPoll?.({ attempt, outcome: 'pending', interval })
          break
        case 'slow_down':
          interval = Math.min(interval + SLOW_DOWN_STEP_S, MAX_INTERVAL_S)
          o.onPoll?.({ attempt, outcome: 'slow_down', interval })
          break
        case 'access_denied':
          throw new OAuthError(
            'access-denied',
            `The authorization was declined in Feishu (${describeServerAnswer(details)}). Nothing was written. Run the command again and choose Authorize.`,
            details,
          )
        case 'expired_token':
        case 'invalid_grant':
          throw new OAuthError('expired', `${expiredMessage}\nFeishu said: ${describeServerAnswer(details)}`, details)
        default:
          throw rejected('Polling for the device token', answer)
      }
    }
    if (o.now() >= deadline) break
  }
  throw new OAuthError('expired', expiredMessage)
}

export function formatSeconds(seconds: number): string {
  const round = (n: number) => String(Math.round(n * 10) / 10)
  if (seconds >= 2 * 86_400) return `${round(seconds / 86_400)} days`
  if (seconds >= 2 * 3_600) return `${round(seconds / 3_600)} hours`
  if (seconds >= 90) return `${Math.round(seconds / 60)} minutes`
  return `${seconds} seconds`
}
