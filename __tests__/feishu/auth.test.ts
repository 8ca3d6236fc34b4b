// Refresh decisions against scripted answers: which failures are retried, and how each is classified.
// The single-use rule itself is proved end to end against the Feishu emulator (__tests__/e2e/token-chain.test.ts).
import { afterEach, describe, expect, it } from 'vitest'
import { EmulatorServer, Router, type EmulatorResponse } from '../../emulator/core/server.js'
import { manualClock } from '../../emulator/core/clock.js'
import { TokenRefreshError, getTenantAccessToken, refreshUserToken } from '../../src/feishu/auth.js'

let server: EmulatorServer
afterEach(() => server?.close())

const success = { status: 200, body: { code: 0, access_token: 'u-new', expires_in: 7200, refresh_token: 'ur-new', refresh_token_expires_in: 604800, scope: 'offline_access wiki:wiki', token_type: 'Bearer' } }
const used = { status: 400, body: { code: 20064, error: 'invalid_grant', error_description: 'The refresh token has been revoked. Please note that a refresh token can only be used once.' } }

async function refreshAgainst(answers: (EmulatorResponse | 'drop')[]) {
  server = new EmulatorServer('scripted', new Router().add('POST', '/open-apis/authen/v2/oauth/token', 'token', () => ({ status: 599 })))
  const url = await server.listen()
  answers.forEach((answer, i) => {
    if (answer === 'drop') server.inject({ route: 'token', nth: i + 1, drop: 'after' })
    else server.inject({ route: 'token', nth: i + 1, status: answer.status, body: answer.body, headers: answer.headers })
  })
  const masked: string[] = []
  const result = refreshUserToken({ baseUrl: url, appId: 'cli_x', appSecret: 's', refreshToken: 'ur-old', clock: manualClock(0), onSecret: (v) => masked.push(v) })
  return { result, masked }
}

describe('refreshUserToken', () => {
  it('returns the flat answer and masks both tokens before returning', async () => {
    const { result, masked } = await refreshAgainst([success])
    await expect(result).resolves.toMatchObject({ accessToken: 'u-new', refreshToken: 'ur-new', expiresIn: 7200, refreshTokenExpiresIn: 604800 })
    expect(masked).toEqual(['u-new', 'ur-new'])
    expect(server.calls[0].body).toEqual({ grant_type: 'refresh_token', client_id: 'cli_x', client_secret: 's', refresh_token: 'ur-old' })
  })

  it('accepts code as a string', async () => {
    const { result } = await refreshAgainst([{ status: 200, body: { ...success.body, code: '0' } }])
    await expect(result).resolves.toMatchObject({ refreshToken: 'ur-new' })
  })

  it('retries once on 20050 and 20072, which say nothing was done', async () => {
    for (const code of [20050, 20072]) {
      const { result } = await refreshAgainst([{ status: code === 20050 ? 500 : 503, body: { code, error: 'server_error' } }, success])
      await expect(result).resolves.toMatchObject({ refreshToken: 'ur-new' })
      await server.close()
    }
  })

  it('does not retry twice on server errors', async () => {
    const { result } = await refreshAgainst([{ status: 500, body: { code: 20050 } }, { status: 500, body: { code: 20050 } }, success])
    await expect(result).rejects.toMatchObject({ kind: 'server', code: 20050 })
  })

  it('a 20064 on the first call means the token was used before this run', async () => {
    const { result } = await refreshAgainst([used])
    await expect(result).rejects.toMatchObject({ kind: 'already-used', code: 20064 })
    expect(server.calls.length).toBe(1)
  })

  it('a lost answer followed by 20064 means our own first call spent it', async () => {
    const { result } = await refreshAgainst(['drop', used])
    await expect(result).rejects.toMatchObject({ kind: 'lost-in-transit', code: 20064 })
  })

  it('a lost answer followed by success keeps the chain', async () => {
    const { result } = await refreshAgainst(['drop', success])
    await expect(result).resolves.toMatchObject({ refreshToken: 'ur-new' })
  })

  it.each([
    [20037, 'expired'],
    [20026, 'invalid'],
    [20002, 'bad-app-secret'],
    [20074, 'not-allowed'],
  ])('classifies %i as %s without retrying', async (code, kind) => {
    const { result } = await refreshAgainst([{ status: 400, body: { code, error: 'invalid_grant', error_description: 'x' } }])
    await expect(result).rejects.toMatchObject({ kind, code })
    expect(server.calls.length).toBe(1)
  })

  it('a success without refresh_token ends the chain with an explanation', async () => {
    const { result, masked } = await refreshAgainst([{ status: 200, body: { ...success.body, refresh_token: undefined } }])
    await expect(result).rejects.toMatchObject({ kind: 'no-refresh-token' })
    expect(masked).toEqual(['u-new'])
  })

  it('a gateway error page is treated like no answer: retried once, and its text carries no token', async () => {
    const gateway = { status: 502, body: '<html>bad gateway</html>' }
    const { result } = await refreshAgainst([gateway, gateway])
    const error = (await result.catch((e: unknown) => e)) as TokenRefreshError
    expect(error.kind).toBe('lost-in-transit')
    expect(error.message).not.toContain('ur-old')
    expect(server.calls.length).toBe(2)
  })

  it('a gateway error page followed by success keeps the chain, and followed by 20064 means lost in transit', async () => {
    const gateway = { status: 502, body: '<html>bad gateway</html>' }
    await expect((await refreshAgainst([gateway, success])).result).resolves.toMatchObject({ refreshToken: 'ur-new' })
    await server.close()
    await expect((await refreshAgainst([gateway, used])).result).rejects.toMatchObject({ kind: 'lost-in-transit' })
  })

  it('waits x-ogw-ratelimit-reset after a rate-limited refresh (nothing was spent), then retries', async () => {
    for (const status of [429, 400]) {
      const limited = { status, body: { code: 99991400, msg: 'request trigger frequency limit' }, headers: { 'x-ogw-ratelimit-reset': '3' } }
      const { result } = await refreshAgainst([limited, success])
      await expect(result).resolves.toMatchObject({ refreshToken: 'ur-new' })
      await server.close()
    }
  })
})

describe('getTenantAccessToken', () => {
  it('reads the token from the top level and masks it', async () => {
    server = new EmulatorServer('scripted', new Router().add('POST', '/open-apis/auth/v3/tenant_access_token/internal', 't', () => ({ status: 200, body: { code: 0, msg: 'ok', tenant_access_token: 't-abc', expire: 7000 } })))
    const url = await server.listen()
    const masked: string[] = []
    await expect(getTenantAccessToken({ baseUrl: url, appId: 'cli_x', appSecret: 's', onSecret: (v) => masked.push(v) })).resolves.toEqual({ token: 't-abc', expire: 7000 })
    expect(masked).toEqual(['t-abc'])
  })
})
