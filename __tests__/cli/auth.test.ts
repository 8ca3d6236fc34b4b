// `feishu-wiki-sync auth`, in-process, end to end against the Feishu and GitHub emulators. The tests play the
// user: they read the user code the CLI prints and approve (or deny) it in the Feishu emulator, or follow the
// authorize URL like a browser would.
import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock } from '../../emulator/core/clock.js'
import { ROUTE, oauthError } from '../../emulator/feishu/index.js'
import { type SeededWorld, startSeededWorld } from '../../emulator/seed.js'
import { refreshUserToken } from '../../src/feishu/auth.js'
import { AUTH_SCOPES, DEVICE_CODE_GRANT } from '../../src/feishu/oauth.js'
import type { CliIO } from '../../src/cli/io.js'
import { expectNoSecrets, freePort, runCli, startCli } from './helpers.js'

const REPO = 'acme/handbook'
const ENV = 'wiki-sync'
const SECRET = 'FEISHU_REFRESH_TOKEN'

let world: SeededWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

type Clock = ReturnType<typeof manualClock>

/** A world on a manual clock, and CLI IO whose sleeps advance it and give the test a turn to play the user. */
async function deviceWorld(): Promise<{ world: SeededWorld; clock: Clock }> {
  const clock = manualClock(Date.now())
  world = await startSeededWorld({ feishu: { clock } })
  return { world, clock }
}

function baseArgs(w: SeededWorld, extra: string[] = []): string[] {
  return ['auth', '--repo', REPO, '--app-id', w.app.appId, '--base-url', w.feishu.url, '--github-api-url', w.github.url, ...extra]
}

function env(w: SeededWorld, more: Record<string, string> = {}): Record<string, string> {
  return { FEISHU_APP_SECRET: w.app.appSecret, GH_TOKEN: w.githubToken, ...more }
}

/** IO for the device flow: the clock is the world's; every sleep goes to `onSleep(n, ms)` (n counts from 1). */
function deviceIO(clock: Clock, onSleep: (n: number, ms: number) => void | Promise<void>, extra: Partial<CliIO> = {}) {
  const sleeps: number[] = []
  const io: Partial<CliIO> = {
    now: () => clock.now(),
    sleep: async (ms) => {
      sleeps.push(ms)
      await onSleep(sleeps.length, ms)
    },
    ...extra,
  }
  return { io, sleeps }
}

const userCodeIn = (text: string): string => {
  const m = /User code: (\S+)/.exec(text)
  if (!m) throw new Error(`no user code in the output yet:\n${text}`)
  return m[1]!
}

const tokenCalls = (w: SeededWorld) => w.feishu.server.callsTo(ROUTE.oauthToken)
const grantTypes = (w: SeededWorld) => tokenCalls(w).map((c) => (c.body as Record<string, string>).grant_type)
const secretPuts = (w: SeededWorld) => w.github.server.calls.filter((c) => c.method === 'PUT' && c.path.endsWith(`/${SECRET}`))

function allSecrets(w: SeededWorld): string[] {
  return [w.app.appSecret, w.githubToken, ...w.feishu.refreshTokens().map((t) => t.token)]
}

describe('auth: device flow (the default)', () => {
  it('writes a live refresh token into the environment secret, and the next run can spend it', async () => {
    const { world: w, clock } = await deviceWorld()
    let out = ''
    const { io, sleeps } = deviceIO(
      clock,
      async (n, ms) => {
        await clock.sleep(ms)
        if (n === 2) w.feishu.approveDevice(userCodeIn(out)) // one authorization_pending first
      },
    )
    const run = startCli(baseArgs(w, ['--environment', ENV]), { ...io, env: env(w) })
    void run.waitFor(/User code/).then(() => (out = run.all))
    const code = await run.exit
    expect(code, run.all).toBe(0)
    expect(sleeps).toEqual([5000, 5000])

    // The secret holds a fresh refresh token that no one has used…
    const stored = w.github.secretValue(REPO, SECRET, ENV)!
    expect(stored).toBeTruthy()
    expect(stored).not.toBe(w.seedRefreshToken)
    expect(w.feishu.refreshTokens().find((t) => t.token === stored)?.state).toBe('live')
    expect(w.github.secretValue(REPO, SECRET)).toBeUndefined() // not the repository secret
    // …obtained with the device grant only: the CLI never refreshed it.
    expect(grantTypes(w)).toEqual([DEVICE_CODE_GRANT, DEVICE_CODE_GRANT])
    const deviceCall = w.feishu.server.callsTo(ROUTE.deviceAuthorization)[0]!
    expect(String(deviceCall.headers.authorization)).toMatch(/^Basic /)
    expect((deviceCall.body as Record<string, string>).scope.split(' ')).toEqual([...AUTH_SCOPES])
    expect(tokenCalls(w).every((c) => !c.headers.authorization)).toBe(true)
    // The write probe ran before the sign-in and was cleaned up.
    expect(w.github.secretValue(REPO, `${SECRET}_WRITE_PROBE`, ENV)).toBeUndefined()

    // The next workflow run spends it: the emulator's token endpoint accepts it once and issues its successor.
    const next = await refreshUserToken({
      baseUrl: w.feishu.url,
      appId: w.app.appId,
      appSecret: w.app.appSecret,
      refreshToken: stored,
      clock,
      onSecret: () => {},
    })
    expect(next.refreshToken).toBe(w.feishu.liveRefreshToken())

    expect(run.stdout).toContain(`Saved the refresh token into the environment '${ENV}' secret ${SECRET} of ${REPO} (created).`)
    expect(run.stdout).toMatch(/It expires at \d{4}-\d\d-\d\dT[\d:]+Z \(in 7 days\) unless the workflow uses it before then/)
    // The command as invoked, with every value the user gave: pasted, it checks the same setup.
    expect(run.stdout).toContain(
      `Next: check the whole setup without spending the token: npx feishu-wiki-sync doctor --repo ${REPO} --environment ${ENV} --app-id cli_emulator --base-url ${w.feishu.url} --github-api-url ${w.github.url}`,
    )
    expectNoSecrets(run.all, allSecrets(w))
  })

  it('a repository secret, with the GitHub token from `gh auth token` and the app secret from the hidden prompt', async () => {
    const { world: w, clock } = await deviceWorld()
    let out = ''
    const commands: string[][] = []
    const prompts: string[] = []
    const { io } = deviceIO(
      clock,
      async (n, ms) => {
        await clock.sleep(ms)
        if (n === 1) w.feishu.approveDevice(userCodeIn(out))
      },
    )
    const run = startCli(baseArgs(w), {
      ...io,
      env: {},
      interactive: true,
      readSecret: async (prompt) => {
        prompts.push(prompt)
        return w.app.appSecret
      },
      runCommand: async (command, args) => {
        commands.push([command, ...args])
        return command === 'gh' ? { code: 0, stdout: `${w.githubToken}\n` } : undefined
      },
    })
    void run.waitFor(/User code/).then(() => (out = run.all))
    expect(await run.exit, run.all).toBe(0)
    expect(commands).toEqual([['gh', 'auth', 'token', '--hostname', new URL(w.github.url).host]])
    expect(prompts).toEqual(['App Secret of cli_emulator (input hidden): '])
    expect(run.stdout).toContain('(from gh auth token)')
    const stored = w.github.secretValue(REPO, SECRET)
    expect(w.feishu.refreshTokens().find((t) => t.token === stored)?.state).toBe('live')
    expectNoSecrets(run.all, allSecrets(w))
  })

  it('slow_down: the next polls wait 5 s longer', async () => {
    const { world: w, clock } = await deviceWorld()
    let out = ''
    const { io, sleeps } = deviceIO(
      clock,
      async (n, ms) => {
        // The second poll comes 2 s early, so the emulator answers slow_down (and raises its interval to 10 s).
        await clock.sleep(n === 2 ? ms - 2000 : ms)
        if (n === 4) w.feishu.approveDevice(userCodeIn(out))
      },
    )
    const run = startCli(baseArgs(w, ['--environment', ENV]), { ...io, env: env(w) })
    void run.waitFor(/User code/).then(() => (out = run.all))
    expect(await run.exit, run.all).toBe(0)
    expect(sleeps).toEqual([5000, 5000, 10000, 10000])
    expect(run.stdout).toContain('Feishu asked to poll more slowly; polling every 10 s.')
    const answers = tokenCalls(w).map((c) => c.status)
    expect(answers).toEqual([400, 400, 400, 200]) // pending, slow_down, pending, tokens
    expect(w.github.secretValue(REPO, SECRET, ENV)).toBe(w.feishu.liveRefreshToken())
  })

  it('access_denied: a clear message, nothing written', async () => {
    const { world: w, clock } = await deviceWorld()
    let out = ''
    const { io } = deviceIO(
      clock,
      async (n, ms) => {
        await clock.sleep(ms)
        if (n === 1) w.feishu.denyDevice(userCodeIn(out))
      },
    )
    const run = startCli(baseArgs(w, ['--environment', ENV]), { ...io, env: env(w) })
    void run.waitFor(/User code/).then(() => (out = run.all))
    expect(await run.exit).toBe(1)
    expect(run.stderr).toMatch(/error: The authorization was declined in Feishu \(HTTP 400, access_denied: .*\)\. Nothing was written\. Run the command again and choose Authorize\./)
    expect(w.github.secretValue(REPO, SECRET, ENV)).toBeUndefined()
    expect(secretPuts(w)).toHaveLength(0)
  })

  it('expired_token: the code expired before anyone approved it', async () => {
    const { world: w, clock } = await deviceWorld()
    const { io, sleeps } = deviceIO(clock, (_n, ms) => clock.sleep(ms))
    const run = startCli(baseArgs(w, ['--environment', ENV]), { ...io, env: env(w) })
    expect(await run.exit).toBe(1)
    expect(run.stderr).toContain('expired before it was approved (it lives 4 minutes). Nothing was written.')
    expect(run.stderr).toContain('expired_token')
    expect(sleeps.length).toBe(48) // 240 s / 5 s: the server's expired_token ended it
    expect((tokenCalls(w).at(-1)!.status)).toBe(400)
    expect(secretPuts(w)).toHaveLength(0)
  })

  it('a success without refresh_token explains offline_access and the refresh setting, and writes nothing', async () => {
    const { world: w, clock } = await deviceWorld()
    const fakeAccess = `eyJhbGciOiJFUzI1NiJ9.${Buffer.from('{"kind":"uat","pad":"xxxxxxxxxxxxxxxx"}').toString('base64url')}.c2lnbmF0dXJlc2lnbmF0dXJl`
    w.feishu.server.inject({
      route: ROUTE.oauthToken,
      status: 200,
      body: { code: 0, access_token: fakeAccess, expires_in: 7200, scope: AUTH_SCOPES.join(' '), token_type: 'Bearer' },
    })
    const { io } = deviceIO(clock, (_n, ms) => clock.sleep(ms))
    const run = startCli(baseArgs(w, ['--environment', ENV]), { ...io, env: env(w) })
    expect(await run.exit).toBe(1)
    expect(run.stderr).toContain('issued no refresh token')
    expect(run.stderr).toContain('`offline_access` scope')
    expect(run.stderr).toContain('"Refresh user_access_token" security setting')
    expect(run.stderr).toContain('publish a new app version')
    expect(secretPuts(w)).toHaveLength(0)
    expectNoSecrets(run.all, [fakeAccess, ...allSecrets(w)])
  })

  it("a refused device authorization shows the server's error body and which scopes to enable", async () => {
    const { world: w } = await deviceWorld()
    w.feishu.server.inject({
      route: ROUTE.deviceAuthorization,
      status: 400,
      body: { error: 'invalid_scope', error_description: 'The provided scope list contains invalid or malformed scopes. Please ensure all scopes are valid.' },
    })
    const r = await runCli(baseArgs(w), { env: env(w) })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      'error: The device authorization request was refused: HTTP 400, invalid_scope: The provided scope list contains invalid or malformed scopes.',
    )
    expect(r.stderr).toContain(`Enable these scopes for the app under Permissions & Scopes, publish a new version, and try again: ${AUTH_SCOPES.join(', ')}.`)
    expect(tokenCalls(w)).toHaveLength(0)
  })

  it('GitHub access is checked before anyone signs in: a bad token, then a token that may only read', async () => {
    const { world: w } = await deviceWorld()
    const bad = await runCli(baseArgs(w, ['--environment', ENV]), { env: env(w, { GH_TOKEN: 'github_pat_unknown' }) })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/GitHub: GH_TOKEN is missing or invalid: GitHub answered 401/)
    expect(bad.stderr).toContain('Nothing was done')

    w.github.addToken('github_pat_readonly', { repos: [REPO], secrets: 'read', environments: 'read' })
    const readOnly = await runCli(baseArgs(w, ['--environment', ENV]), { env: env(w, { GH_TOKEN: 'github_pat_readonly' }) })
    expect(readOnly.code).toBe(1)
    expect(readOnly.stderr).toContain('may not write environment secrets there')
    expect(readOnly.stderr).toContain("'Environments: read and write'")

    const noEnv = await runCli(baseArgs(w, ['--environment', 'production']), { env: env(w) })
    expect(noEnv.code).toBe(1)
    expect(noEnv.stderr).toContain("environment 'production' not found in acme/handbook")

    expect(w.feishu.server.callsTo(ROUTE.deviceAuthorization)).toHaveLength(0)
    expectNoSecrets(bad.all + readOnly.all + noEnv.all, allSecrets(w))
  })

  it('a wrong app secret is caught before anyone signs in', async () => {
    const { world: w } = await deviceWorld()
    const r = await runCli(baseArgs(w), { env: env(w, { FEISHU_APP_SECRET: 'not-the-secret' }) })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('The app credentials were refused')
    expect(r.stderr).toContain('The App Secret came from FEISHU_APP_SECRET')
    expect(w.feishu.server.callsTo(ROUTE.deviceAuthorization)).toHaveLength(0)
    expectNoSecrets(r.all, ['not-the-secret', ...allSecrets(w)])
  })

  it('no app secret (and no terminal to ask on), no GitHub token: exit 2 with what to set', async () => {
    const { world: w } = await deviceWorld()
    const noSecret = await runCli(baseArgs(w), { env: { GH_TOKEN: w.githubToken } })
    expect(noSecret.code).toBe(2)
    expect(noSecret.stderr).toContain('error: no app secret. Set FEISHU_APP_SECRET')
    const noToken = await runCli(baseArgs(w, ['--environment', ENV]), { env: { FEISHU_APP_SECRET: w.app.appSecret } })
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toContain('error: no GitHub token. Set GH_TOKEN')
    expect(noToken.stderr).toContain('"Environments: read and write"')
    expect(w.github.server.calls).toHaveLength(0)
    expect(w.feishu.server.calls).toHaveLength(0)
  })

  it('--print: only the token on stdout, a warning on stderr, nothing sent to GitHub', async () => {
    const { world: w, clock } = await deviceWorld()
    let out = ''
    const { io } = deviceIO(
      clock,
      async (n, ms) => {
        await clock.sleep(ms)
        if (n === 1) w.feishu.approveDevice(userCodeIn(out))
      },
    )
    const run = startCli(['auth', '--print', '--app-id', w.app.appId, '--base-url', w.feishu.url], { ...io, env: { FEISHU_APP_SECRET: w.app.appSecret } })
    void run.waitFor(/User code/).then(() => (out = run.all))
    expect(await run.exit, run.all).toBe(0)
    const token = run.stdout.trim()
    expect(run.stdout).toBe(`${token}\n`)
    expect(w.feishu.refreshTokens().find((t) => t.token === token)?.state).toBe('live')
    expect(run.stderr).toContain('warning: --print writes the refresh token to standard output')
    expect(run.stderr).toContain('User code:')
    expect(w.github.server.calls).toHaveLength(0)
    expectNoSecrets(run.stderr, [token, w.app.appSecret])
  })
})

describe('auth --browser (authorization code + PKCE, loopback redirect)', () => {
  const AUTHORIZE_URL = /(http:\/\/127\.0\.0\.1:\d+\/open-apis\/authen\/v1\/authorize\?\S+)/

  async function browserWorld(options: { register?: boolean } = {}) {
    const port = await freePort()
    world = await startSeededWorld({
      feishu: options.register === false ? {} : { redirectUris: [`http://127.0.0.1:${port}/callback`] },
    })
    return { w: world, port }
  }

  it('the test plays the browser: authorize → 302 to the loopback → the code is exchanged once, with PKCE', async () => {
    const { w, port } = await browserWorld()
    const opened: string[] = []
    const run = startCli(baseArgs(w, ['--browser', '--port', String(port), '--environment', ENV]), {
      env: env(w),
      openBrowser: async (url) => {
        opened.push(url)
        return true
      },
    })
    const url = (await run.waitFor(AUTHORIZE_URL))[1]!
    const parsed = new URL(url)
    expect(parsed.searchParams.get('client_id')).toBe('cli_emulator')
    expect(parsed.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`)
    expect(parsed.searchParams.get('response_type')).toBe('code')
    expect(parsed.searchParams.get('code_challenge_method')).toBe('S256')
    expect(parsed.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(parsed.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/) // URL-safe
    expect(parsed.searchParams.get('scope')).toBe(AUTH_SCOPES.join(' '))
    expect(url).toContain(`scope=${AUTH_SCOPES.map(encodeURIComponent).join('%20')}`)
    await run.waitFor(/Waiting for the browser/)
    expect(opened).toEqual([url])

    const consent = await fetch(url, { redirect: 'manual' })
    expect(consent.status).toBe(302)
    const back = consent.headers.get('location')!
    expect(back.startsWith(`http://127.0.0.1:${port}/callback?`)).toBe(true)
    const landing = await fetch(back)
    expect(landing.status).toBe(200)
    expect(await landing.text()).toContain('You can close this tab')

    expect(await run.exit, run.all).toBe(0)
    const stored = w.github.secretValue(REPO, SECRET, ENV)!
    expect(w.feishu.refreshTokens().find((t) => t.token === stored)?.state).toBe('live')
    expect(stored).not.toBe(w.seedRefreshToken)
    // One token call: the code exchange. No refresh.
    const calls = tokenCalls(w)
    expect(calls).toHaveLength(1)
    const body = calls[0]!.body as Record<string, string>
    expect(body.grant_type).toBe('authorization_code')
    expect(body.redirect_uri).toBe(`http://127.0.0.1:${port}/callback`)
    expect(body.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(run.stdout).toContain('Opened your browser.')
    expectNoSecrets(run.all, allSecrets(w))
  })

  it('the user declines in the browser (error=access_denied); a browser that fails to open changes nothing', async () => {
    const { w, port } = await browserWorld()
    w.feishu.denyNextAuthorizations(1)
    const run = startCli(baseArgs(w, ['--browser', '--port', String(port)]), {
      env: env(w),
      openBrowser: async () => {
        throw new Error('no browser here')
      },
    })
    const url = (await run.waitFor(AUTHORIZE_URL))[1]!
    await run.waitFor(/Waiting for the browser/)
    expect(run.stdout).toContain('Open the URL above in your browser.')
    const consent = await fetch(url, { redirect: 'manual' })
    expect(consent.headers.get('location')).toContain('error=access_denied')
    const landing = await fetch(consent.headers.get('location')!)
    expect(await landing.text()).toContain('Authorization not granted')
    expect(await run.exit).toBe(1)
    expect(run.stderr).toContain('error: the authorization was declined in the browser (error=access_denied). Nothing was written.')
    expect(tokenCalls(w)).toHaveLength(0)
    expect(secretPuts(w)).toHaveLength(0)
  })

  it('a callback with a foreign state is refused and ignored; the real one still completes', async () => {
    const { w, port } = await browserWorld()
    const run = startCli(baseArgs(w, ['--browser', '--port', String(port), '--no-open']), { env: env(w) })
    const url = (await run.waitFor(AUTHORIZE_URL))[1]!
    await run.waitFor(/Waiting for the browser/)
    const forged = await fetch(`http://127.0.0.1:${port}/callback?code=forged&state=not-ours`)
    expect(forged.status).toBe(400)
    await run.waitFor(/ignored a callback with a state this command did not send/)
    const consent = await fetch(url, { redirect: 'manual' })
    await fetch(consent.headers.get('location')!)
    expect(await run.exit, run.all).toBe(0)
    expect((tokenCalls(w)[0]!.body as Record<string, string>).code).not.toBe('forged')
    expect(w.github.secretValue(REPO, SECRET)).toBe(w.feishu.liveRefreshToken())
  })

  it('20029: an unregistered redirect URL — the CLI named the exact URL to register, and says so again when it gives up', async () => {
    const { w, port } = await browserWorld({ register: false })
    const opened: string[] = []
    const run = startCli(baseArgs(w, ['--browser', '--port', String(port), '--no-open']), {
      env: env(w),
      callbackTimeoutMs: 1500,
      openBrowser: async (u) => {
        opened.push(u)
        return true
      },
    })
    const url = (await run.waitFor(AUTHORIZE_URL))[1]!
    expect(run.stdout).toContain(`The app must have this exact redirect URL (developer console → Security Settings → Redirect URLs):\n  http://127.0.0.1:${port}/callback`)
    expect(run.stdout).toContain('If the page shows error 20029, that redirect URL is not registered')
    const page = await fetch(url, { redirect: 'manual' })
    expect(page.status).toBe(400)
    expect(await page.text()).toContain('20029')
    expect(await run.exit).toBe(1)
    expect(run.stderr).toContain(`no answer came back to http://127.0.0.1:${port}/callback in time. If Feishu showed error 20029, register http://127.0.0.1:${port}/callback exactly`)
    expect(opened).toEqual([]) // --no-open
    expect(secretPuts(w)).toHaveLength(0)
  })

  it("a refused code exchange shows the server's error body and what to do", async () => {
    const { w, port } = await browserWorld()
    w.feishu.server.inject({ route: ROUTE.oauthToken, ...oauthError(20071) })
    const run = startCli(baseArgs(w, ['--browser', '--port', String(port), '--no-open']), { env: env(w) })
    const url = (await run.waitFor(AUTHORIZE_URL))[1]!
    await run.waitFor(/Waiting for the browser/)
    const consent = await fetch(url, { redirect: 'manual' })
    await fetch(consent.headers.get('location')!)
    expect(await run.exit).toBe(1)
    expect(run.stderr).toContain(
      'error: Exchanging the authorization code was refused: HTTP 400, code 20071, invalid_grant: The redirect_uri does not match the one used in the authorization request.',
    )
    expect(run.stderr).toContain('run the command again with the same --port')
    expect(secretPuts(w)).toHaveLength(0)
  })

  it('a busy port fails before anyone signs in, saying how to pick another', async () => {
    const { w, port } = await browserWorld()
    const blocker = http.createServer()
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve))
    try {
      const r = await runCli(baseArgs(w, ['--browser', '--port', String(port)]), { env: env(w) })
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`error: port ${port} on 127.0.0.1 is in use`)
      expect(r.stderr).toContain('pass --port <n> AND register http://127.0.0.1:<n>/callback')
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })
})
