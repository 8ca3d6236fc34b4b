// Auth rules of the Feishu emulator: single-use refresh rotation, expiry, the token endpoint's error table,
// app-level tokens, the access-token check on every OpenAPI, and fault injection on the refresh.
import { createHash, randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock } from '../../emulator/core/clock.js'
import { type FeishuEmulator, type FeishuEmulatorOptions, ROUTE, feishuFaults, startFeishuEmulator } from '../../emulator/feishu/index.js'

const APP = { appId: 'cli_emulator', appSecret: 'emulator-app-secret' }
const DAY_MS = 86_400_000

let emulator: FeishuEmulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

async function start(options: FeishuEmulatorOptions = {}): Promise<FeishuEmulator> {
  emulator = await startFeishuEmulator(options)
  return emulator
}

interface Answer {
  status: number
  body: Record<string, any>
  headers: Headers
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init)
  const text = await res.text()
  let body: Record<string, any> = {}
  try {
    body = JSON.parse(text)
  } catch {
    body = { text }
  }
  return { status: res.status, body, headers: res.headers }
}

function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return call(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) })
}

function refresh(e: FeishuEmulator, refreshToken: string, extra: Record<string, string> = {}): Promise<Answer> {
  return postJson(`${e.url}/open-apis/authen/v2/oauth/token`, {
    grant_type: 'refresh_token',
    client_id: APP.appId,
    client_secret: APP.appSecret,
    refresh_token: refreshToken,
    ...extra,
  })
}

function userInfo(e: FeishuEmulator, token: string): Promise<Answer> {
  return call(`${e.url}/open-apis/authen/v1/user_info`, { headers: { authorization: `Bearer ${token}` } })
}

describe('refresh token rotation (single use)', () => {
  it('chains three refreshes; each used token dies at once with 20064, HTTP 400', async () => {
    const e = await start()
    const first = e.issueRefreshToken()
    expect(e.liveRefreshToken()).toBe(first)
    let current = first
    const used: string[] = []
    for (let i = 0; i < 3; i++) {
      const ok = await refresh(e, current)
      expect(ok.status).toBe(200)
      expect(ok.body).toMatchObject({ code: 0, expires_in: 7200, refresh_token_expires_in: 604800, token_type: 'Bearer' })
      expect(Object.keys(ok.body)).not.toContain('data')
      expect(ok.body.scope).toContain('offline_access')
      expect(ok.body.refresh_token).not.toBe(current)
      expect(ok.body.access_token.length).toBeGreaterThan(500) // JWT-like, "1~2KB"
      used.push(current)
      current = ok.body.refresh_token
      expect(e.liveRefreshToken()).toBe(current)
      for (const old of used) {
        const replay = await refresh(e, old)
        expect(replay.status).toBe(400)
        expect(replay.body).toEqual({
          code: 20064,
          error: 'invalid_grant',
          error_description: 'The refresh token has been revoked. Please note that a refresh token can only be used once.',
        })
      }
    }
    expect(e.refreshTokens().map((t) => t.state)).toEqual(['used', 'used', 'used', 'live'])
  })

  it('accepts form-urlencoded bodies (as the official CLI sends)', async () => {
    const e = await start()
    const token = e.issueRefreshToken()
    const res = await call(`${e.url}/open-apis/authen/v2/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: APP.appId, client_secret: APP.appSecret, refresh_token: token }),
    })
    expect(res.status).toBe(200)
    expect(res.body.refresh_token).toBeTypeOf('string')
  })

  it('keeps the old access token valid until its own expiry', async () => {
    const clock = manualClock()
    const e = await start({ clock })
    const first = await refresh(e, e.issueRefreshToken())
    const oldAccess = first.body.access_token as string
    clock.advance(3600_000)
    const second = await refresh(e, first.body.refresh_token)
    expect(second.status).toBe(200)
    expect((await userInfo(e, oldAccess)).body.code).toBe(0)
    expect((await userInfo(e, second.body.access_token)).body.data.open_id).toBe('ou_emulator_user')
    clock.advance(3600_000)
    const expired = await userInfo(e, oldAccess)
    expect(expired.status).toBe(400)
    expect(expired.body.code).toBe(99991677)
    expect((await userInfo(e, second.body.access_token)).body.code).toBe(0)
  })

  it('expires a refresh token after its TTL (20037)', async () => {
    const clock = manualClock()
    const e = await start({ clock, refreshTokenTtlSeconds: 3600 })
    const token = e.issueRefreshToken()
    clock.advance(3600_000)
    const res = await refresh(e, token)
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ code: 20037, error: 'invalid_grant' })
    expect(e.liveRefreshToken()).toBeUndefined()
  })

  it('caps the whole chain at 365 days after the original grant (20037)', async () => {
    const clock = manualClock()
    const e = await start({ clock })
    let token = e.issueRefreshToken({ grantedAt: clock.now() - 360 * DAY_MS })
    // Each refresh keeps the original grant time: the remaining lifetime shrinks towards the cap.
    for (let day = 0; day < 4; day++) {
      const res = await refresh(e, token)
      expect(res.status).toBe(200)
      expect(res.body.refresh_token_expires_in).toBe(Math.min(604800, (5 - day) * 86400))
      token = res.body.refresh_token
      clock.advance(DAY_MS)
    }
    clock.advance(DAY_MS)
    const res = await refresh(e, token)
    expect(res.body.code).toBe(20037)
  })

  it('answers the documented error table', async () => {
    const e = await start()
    const token = e.issueRefreshToken()
    const url = `${e.url}/open-apis/authen/v2/oauth/token`
    const base = { grant_type: 'refresh_token', client_id: APP.appId, client_secret: APP.appSecret, refresh_token: token }
    const cases: [unknown, number, number][] = [
      [{ ...base, refresh_token: 'garbage' }, 400, 20026],
      [{ ...base, client_secret: 'wrong' }, 400, 20002],
      [{ ...base, client_id: 'cli_unknown' }, 400, 20048],
      [{ ...base, refresh_token: undefined }, 400, 20001],
      [{ ...base, grant_type: undefined }, 400, 20001],
      [{ ...base, client_secret: undefined }, 400, 20001],
      [{ ...base, grant_type: 'password' }, 400, 20036],
      [{ ...base, scope: 'offline_access offline_access' }, 400, 20067],
      [{ ...base, scope: 'admin:everything' }, 400, 20068],
    ]
    for (const [body, status, code] of cases) {
      const res = await postJson(url, body)
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([status, code])
      expect(res.body.error).toBeTypeOf('string')
      expect(res.body.error_description).toBeTypeOf('string')
    }
    const malformed = await call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' })
    expect([malformed.status, malformed.body.code]).toEqual([400, 20063])
    const basic = `Basic ${Buffer.from(`${APP.appId}:${APP.appSecret}`).toString('base64')}`
    const both = await postJson(url, base, { authorization: basic })
    expect([both.status, both.body.code]).toEqual([400, 20070])
    // Basic auth alone is a valid client authentication. None of the failures above consumed the token.
    const { client_secret: _s, client_id: _c, ...rest } = base
    const viaBasic = await postJson(url, rest, { authorization: basic })
    expect(viaBasic.status).toBe(200)
  })

  it('issues no refresh token without offline_access', async () => {
    const e = await start()
    const token = e.issueRefreshToken()
    const res = await refresh(e, token, { scope: 'wiki:wiki docx:document' })
    expect(res.status).toBe(200)
    expect(res.body.refresh_token).toBeUndefined()
    expect(res.body.refresh_token_expires_in).toBeUndefined()
    expect(res.body.scope).toBe('wiki:wiki docx:document')
    expect(e.liveRefreshToken()).toBeUndefined()
    expect(() => e.issueRefreshToken({ scopes: ['wiki:wiki'] })).toThrow(/offline_access/)
  })

  it('serves the v3 token endpoint of newer official clients with the same rules', async () => {
    const e = await start()
    const token = e.issueRefreshToken()
    const body = { grant_type: 'refresh_token', client_id: APP.appId, client_secret: APP.appSecret, refresh_token: token }
    expect((await postJson(`${e.url}/oauth/v3/token`, body)).status).toBe(200)
    expect((await postJson(`${e.url}/oauth/v3/token`, body)).body.code).toBe(20064)
  })
})

describe('fault injection on the refresh', () => {
  it('drop after commit: the new token exists server-side, the client never saw it, a retry gets 20064', async () => {
    const e = await start()
    const old = e.issueRefreshToken()
    e.server.inject(feishuFaults.refreshLostAfterCommit())
    await expect(refresh(e, old)).rejects.toThrow()
    const live = e.liveRefreshToken()
    expect(live).toBeDefined()
    expect(live).not.toBe(old)
    const retry = await refresh(e, old)
    expect([retry.status, retry.body.code, retry.body.error]).toEqual([400, 20064, 'invalid_grant'])
    expect(e.server.callsTo(ROUTE.oauthToken).map((c) => c.fault ?? 'ok')).toEqual(['drop-after', 'ok'])
  })

  it('20050 (HTTP 500) and 20072 (HTTP 503) answer without committing', async () => {
    const e = await start()
    const token = e.issueRefreshToken()
    e.server.inject(feishuFaults.refreshServerError())
    const a = await refresh(e, token)
    expect([a.status, a.body.code, a.body.error]).toEqual([500, 20050, 'server_error'])
    expect(a.headers.get('x-tt-logid')).toBeTruthy()
    e.server.inject(feishuFaults.refreshUnavailable())
    const b = await refresh(e, token)
    expect([b.status, b.body.code, b.body.error]).toEqual([503, 20072, 'temporarily_unavailable'])
    expect(e.liveRefreshToken()).toBe(token)
    expect((await refresh(e, token)).status).toBe(200)
  })
})

describe('access tokens on every OpenAPI', () => {
  it('rejects missing, malformed, unknown and expired tokens with HTTP 400 and the generic codes', async () => {
    const clock = manualClock()
    const e = await start({ clock })
    const space = e.createSpace()
    const url = `${e.url}/open-apis/wiki/v2/spaces/${space}`
    const cases: [Record<string, string>, number][] = [
      [{}, 99991661],
      [{ authorization: 'u-abc' }, 99991661], // no "Bearer " prefix counts as no token
      [{ authorization: 'Bearer eyJhbGciOiJFUzI1NiIsfake.fake.fake' }, 99991668],
      [{ authorization: 'Bearer u-unknown' }, 99991668],
      [{ authorization: 'Bearer t-unknown' }, 99991663],
    ]
    for (const [headers, code] of cases) {
      const res = await call(url, { headers })
      expect([res.status, res.body.code], JSON.stringify(headers)).toEqual([400, code])
      expect(res.body.error.log_id).toBe(res.headers.get('x-tt-logid'))
    }
    const token = e.issueUserAccessToken()
    expect((await call(url, { headers: { authorization: `Bearer ${token}` } })).body.code).toBe(0)
    clock.advance(7200_000)
    const expired = await call(url, { headers: { authorization: `Bearer ${token}` } })
    expect([expired.status, expired.body.code]).toEqual([400, 99991677])
  })

  it('checks that a user token carries a scope for the product (99991679)', async () => {
    const e = await start()
    const space = e.createSpace()
    const token = e.issueUserAccessToken({ scopes: ['docx:document'] })
    const res = await call(`${e.url}/open-apis/wiki/v2/spaces/${space}`, { headers: { authorization: `Bearer ${token}` } })
    expect([res.status, res.body.code]).toEqual([400, 99991679])
  })

  it('adds the configured latency in clock time and sends x-tt-logid on successes too', async () => {
    const clock = manualClock()
    const e = await start({ clock, latencyMs: 250 })
    const before = clock.now()
    const res = await userInfo(e, e.issueUserAccessToken())
    expect(res.status).toBe(200)
    expect(clock.now() - before).toBe(250)
    expect(res.headers.get('x-tt-logid')).toMatch(/^\d{14}[0-9A-F]{20}$/)
  })

  it('answers unknown paths with a plain-text 404 and still sends x-tt-logid', async () => {
    const e = await start()
    const res = await fetch(`${e.url}/open-apis/nonexistent/v1/foo`)
    expect(res.status).toBe(404)
    expect(await res.text()).toBe('404 page not found')
    expect(res.headers.get('x-tt-logid')).toMatch(/^\d{14}[0-9A-F]{20}$/)
  })
})

describe('app-level tokens', () => {
  it('issues a tenant token at the top level, reuses it, and scopes it to spaces where the app is a member', async () => {
    const e = await start()
    const res = await postJson(`${e.url}/open-apis/auth/v3/tenant_access_token/internal`, { app_id: APP.appId, app_secret: APP.appSecret })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ code: 0, msg: 'ok', expire: 7200 })
    expect(res.body.tenant_access_token).toMatch(/^t-/)
    expect(res.body.data).toBeUndefined()
    const again = await postJson(`${e.url}/open-apis/auth/v3/tenant_access_token/internal`, { app_id: APP.appId, app_secret: APP.appSecret })
    expect(again.body.tenant_access_token).toBe(res.body.tenant_access_token)
    const auth = { authorization: `Bearer ${res.body.tenant_access_token}` }
    const member = e.createSpace({ appIsMember: true })
    const stranger = e.createSpace({ appIsMember: false })
    expect((await call(`${e.url}/open-apis/wiki/v2/spaces/${member}`, { headers: auth })).body.code).toBe(0)
    const denied = await call(`${e.url}/open-apis/wiki/v2/spaces/${stranger}`, { headers: auth })
    expect([denied.status, denied.body.code]).toEqual([400, 131006])
    const library = await call(`${e.url}/open-apis/wiki/v2/spaces/my_library`, { headers: auth })
    expect(library.body.code).toBe(131006)
    const app = await postJson(`${e.url}/open-apis/auth/v3/app_access_token/internal`, { app_id: APP.appId, app_secret: APP.appSecret })
    expect(app.body).toMatchObject({ code: 0, expire: 7200 })
    expect(app.body.app_access_token).toMatch(/^a-/)
  })

  it('fails with HTTP 200 and a code (10003 unknown app, 10014 wrong secret)', async () => {
    const e = await start()
    const unknown = await postJson(`${e.url}/open-apis/auth/v3/tenant_access_token/internal`, { app_id: 'cli_x', app_secret: 'x' })
    expect([unknown.status, unknown.body.code]).toEqual([200, 10003])
    const wrong = await postJson(`${e.url}/open-apis/auth/v3/tenant_access_token/internal`, { app_id: APP.appId, app_secret: 'x' })
    expect([wrong.status, wrong.body.code]).toEqual([200, 10014])
    expect(wrong.body.tenant_access_token).toBeUndefined()
  })
})

describe('authorization code flow with PKCE', () => {
  const redirect = 'http://localhost:3333/callback'
  const verifier = randomBytes(48).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')

  async function authorize(e: FeishuEmulator, extra: Record<string, string> = {}): Promise<Response> {
    const q = new URLSearchParams({
      client_id: APP.appId,
      redirect_uri: redirect,
      scope: 'wiki:wiki docx:document offline_access',
      state: 'st-123',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      response_type: 'code',
      ...extra,
    })
    return fetch(`${e.url}/open-apis/authen/v1/authorize?${q}`, { redirect: 'manual' })
  }

  function exchange(e: FeishuEmulator, code: string, extra: Record<string, string> = {}): Promise<Answer> {
    return postJson(`${e.url}/open-apis/authen/v2/oauth/token`, {
      grant_type: 'authorization_code',
      client_id: APP.appId,
      client_secret: APP.appSecret,
      code,
      redirect_uri: redirect,
      code_verifier: verifier,
      ...extra,
    })
  }

  it('redirects with code and state; the code is single use and needs the PKCE verifier', async () => {
    const e = await start()
    const res = await authorize(e)
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe(redirect)
    expect(location.searchParams.get('state')).toBe('st-123')
    const code = location.searchParams.get('code')!
    expect((await exchange(e, code, { code_verifier: 'x'.repeat(43) })).body.code).toBe(20049)
    expect((await exchange(e, code, { redirect_uri: 'http://localhost:9999/cb' })).body.code).toBe(20071)
    const ok = await exchange(e, code)
    expect(ok.status).toBe(200)
    expect(ok.body.refresh_token).toBeTypeOf('string')
    expect(e.liveRefreshToken()).toBe(ok.body.refresh_token)
    expect((await exchange(e, code)).body.code).toBe(20065)
    expect((await exchange(e, 'nope')).body.code).toBe(20003)
  })

  it('expires the code after 5 minutes (20004)', async () => {
    const clock = manualClock()
    const e = await start({ clock })
    const code = new URL((await authorize(e)).headers.get('location')!).searchParams.get('code')!
    clock.advance(5 * 60_000 + 1)
    expect((await exchange(e, code)).body.code).toBe(20004)
  })

  it('refuses an unregistered redirect_uri with an error page, and can play a user who denies', async () => {
    const e = await start()
    const bad = await authorize(e, { redirect_uri: 'http://evil.example/cb' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('20029')
    const denied = await authorize(e, { emulator_deny: '1' })
    const location = new URL(denied.headers.get('location')!)
    expect(location.searchParams.get('error')).toBe('access_denied')
    expect(location.searchParams.get('code')).toBeNull()
    e.denyNextAuthorizations()
    expect(new URL((await authorize(e)).headers.get('location')!).searchParams.get('error')).toBe('access_denied')
    expect(new URL((await authorize(e)).headers.get('location')!).searchParams.get('code')).toBeTruthy()
  })
})

describe('device flow', () => {
  const basic = `Basic ${Buffer.from(`${APP.appId}:${APP.appSecret}`).toString('base64')}`

  async function begin(e: FeishuEmulator): Promise<Record<string, any>> {
    const res = await call(`${e.url}/oauth/v1/device_authorization`, {
      method: 'POST',
      headers: { authorization: basic },
      body: new URLSearchParams({ client_id: APP.appId, scope: 'wiki:wiki docx:document offline_access' }),
    })
    expect(res.status).toBe(200)
    return res.body
  }

  function poll(e: FeishuEmulator, deviceCode: string): Promise<Answer> {
    return call(`${e.url}/open-apis/authen/v2/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: deviceCode,
        client_id: APP.appId,
        client_secret: APP.appSecret,
      }),
    })
  }

  it('answers pending, slow_down when polled too fast, then tokens once approved', async () => {
    const clock = manualClock()
    const e = await start({ clock })
    const d = await begin(e)
    expect(d).toMatchObject({ expires_in: 240, interval: 5 })
    expect(d.verification_uri_complete).toContain(encodeURIComponent(d.user_code))
    const pending = await poll(e, d.device_code)
    expect([pending.status, pending.body.error]).toEqual([400, 'authorization_pending'])
    clock.advance(1000)
    expect((await poll(e, d.device_code)).body.error).toBe('slow_down')
    clock.advance(10_000)
    expect((await poll(e, d.device_code)).body.error).toBe('authorization_pending')
    e.approveDevice(d.user_code)
    clock.advance(10_000)
    const done = await poll(e, d.device_code)
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({ code: 0, token_type: 'Bearer' })
    expect(done.body.scope).toBe('wiki:wiki docx:document offline_access')
    expect(e.liveRefreshToken()).toBe(done.body.refresh_token)
    clock.advance(10_000)
    expect((await poll(e, d.device_code)).body.error).toBe('invalid_grant')
  })

  it('answers access_denied and expired_token', async () => {
    const clock = manualClock()
    const e = await start({ clock })
    const denied = await begin(e)
    e.denyDevice(denied.user_code)
    expect((await poll(e, denied.device_code)).body.error).toBe('access_denied')
    const late = await begin(e)
    clock.advance(241_000)
    expect((await poll(e, late.device_code)).body.error).toBe('expired_token')
  })

  it('serves the verification page, where a demo can approve over HTTP', async () => {
    const clock = manualClock()
    const e = await start({ clock })
    const d = await begin(e)
    const page = await fetch(d.verification_uri_complete)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(d.user_code)
    const approved = await fetch(`${d.verification_uri_complete}&emulator_approve=1`)
    expect(approved.status).toBe(200)
    clock.advance(5000)
    expect((await poll(e, d.device_code)).status).toBe(200)
  })

  it('requires the app to authenticate', async () => {
    const e = await start()
    const res = await call(`${e.url}/oauth/v1/device_authorization`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${APP.appId}:wrong`).toString('base64')}` },
      body: new URLSearchParams({ client_id: APP.appId, scope: 'offline_access' }),
    })
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
  })
})

describe('auth rate limits', () => {
  it('allows 50 token calls per second, then 429 + 99991400 with the ogw headers', async () => {
    const clock = manualClock()
    const e = await start({ clock })
    const token = e.issueRefreshToken()
    for (let i = 0; i < 50; i++) expect((await refresh(e, 'garbage')).status).toBe(400)
    const throttled = await refresh(e, token)
    expect(throttled.status).toBe(429)
    expect(throttled.body.code).toBe(99991400)
    expect(throttled.headers.get('x-ogw-ratelimit-limit')).toBe('50')
    expect(throttled.headers.get('x-ogw-ratelimit-reset')).toBe('1')
    expect(e.throttled.byRoute[ROUTE.oauthToken]).toBe(1)
    expect(e.liveRefreshToken()).toBe(token) // a throttled call commits nothing
    clock.advance(1000)
    expect((await refresh(e, token)).status).toBe(200)
  })

  it('also holds the 1000/min window', async () => {
    const clock = manualClock()
    const e = await start({ clock })
    for (let i = 0; i < 1000; i++) {
      if (i % 50 === 0) clock.advance(1000)
      expect((await refresh(e, 'garbage')).status).toBe(400)
    }
    clock.advance(1000)
    const res = await refresh(e, 'garbage')
    expect([res.status, res.body.code, res.headers.get('x-ogw-ratelimit-limit')]).toEqual([429, 99991400, '1000'])
    expect(Number(res.headers.get('x-ogw-ratelimit-reset'))).toBeGreaterThan(30)
  })
})
