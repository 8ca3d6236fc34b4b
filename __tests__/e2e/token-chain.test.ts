// The token chain, proved as real runs: `node dist/index.js` with the runner's environment against the
// Feishu and GitHub emulators. Every test ends with the shared leak scan.
import { afterEach, describe, expect, it } from 'vitest'
import { openSealedBoxWithPyNaCl } from '../helpers/pynacl.js'
import { expectNoLeaks } from '../helpers/action-runner.js'
import { ENVIRONMENT, REPO, type World, startWorld } from '../helpers/world.js'

const REFRESH = 'authen.v2.oauth.token'
const REPO_SECRET_PUT = { method: 'PUT', path: `/repos/${REPO}/actions/secrets/FEISHU_REFRESH_TOKEN` }

let world: World
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})
let lastRun: Awaited<ReturnType<World['run']>>

function refreshCalls(): number {
  return world.feishu.server.callsTo(REFRESH).length
}

describe('token chain (rotate-only runs of the bundled action)', () => {
  it('three consecutive runs each spend the stored token and store its successor', async () => {
    world = await startWorld()
    const used: string[] = []
    for (let i = 1; i <= 3; i++) {
      const before = world.currentRefreshToken()
      used.push(before)
      lastRun = await world.run()
      expect(lastRun.exitCode, lastRun.stdout + lastRun.stderr).toBe(0)
      const stored = world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN')
      // What the action sealed, opened by the emulator, is the newest token Feishu issued…
      expect(stored).toBe(world.feishu.liveRefreshToken())
      expect(stored).not.toBe(before)
      // …and an independent libsodium (PyNaCl) opens the stored sealed box to the same value.
      const box = world.github.storedSecret(REPO, 'FEISHU_REFRESH_TOKEN')!
      expect(openSealedBoxWithPyNaCl(world.github.privateKeyBase64(REPO), box.encrypted_value)).toBe(stored)
      expect(lastRun.outputs['token-rotated']).toBe('true')
      expect(new Date(lastRun.outputs['refresh-token-expires-at']).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000)
      expect(lastRun.summary).toContain('Token rotation')
      expect(lastRun.summary).toContain('updated') // `auth` created the secret; runs only update it
      expect(lastRun.summary).toContain('Next run needed by')
    }
    expect(refreshCalls()).toBe(3)
    // Every token the chain used is dead now: replaying the first one is refused.
    const replay = await fetch(`${world.feishu.url}/open-apis/authen/v2/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', client_id: 'cli_emulator', client_secret: 'emulator-app-secret', refresh_token: used[0] }),
    })
    expect(((await replay.json()) as { code: number }).code).toBe(20064)
  })

  it('a replayed token is refused with the 20064 guidance, and nothing else happens', async () => {
    world = await startWorld()
    const spent = world.currentRefreshToken()
    lastRun = await world.run()
    expect(lastRun.exitCode).toBe(0)
    const putsBefore = world.github.server.calls.filter((c) => c.method === 'PUT').length
    lastRun = await world.run({ inputs: { 'refresh-token': spent } })
    expect(lastRun.exitCode).toBe(3)
    expect(lastRun.summary).toContain('already used')
    expect(lastRun.summary).toContain('concurrency')
    expect(lastRun.summary).toContain('environment secret')
    expect(lastRun.summary).toContain('npx feishu-wiki-sync auth')
    expect(lastRun.summary).not.toContain('This run was queued') // no newer secret than this run: not a stale queued run
    expect(lastRun.annotations.some((a) => a.level === 'error' && a.message.includes('20064'))).toBe(true)
    expect(lastRun.outputs['token-rotated']).toBe('false')
    // Only the preflight's write probe wrote anything; the real secret was not touched.
    const puts = world.github.server.calls.filter((c) => c.method === 'PUT').slice(putsBefore)
    expect(puts.every((c) => !c.path.endsWith('/FEISHU_REFRESH_TOKEN'))).toBe(true)
  })

  it('a PUT that fails twice is retried and the chain holds', async () => {
    world = await startWorld()
    lastRun = await world.run() // first run creates the secret
    world.github.server.inject({ ...REPO_SECRET_PUT, times: 2, status: 502, body: { message: 'Bad Gateway' } })
    lastRun = await world.run({ timeScale: 50 })
    expect(lastRun.exitCode, lastRun.stdout).toBe(0)
    expect(world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN')).toBe(world.feishu.liveRefreshToken())
    expect(lastRun.summary).toContain('after 3 attempts')
  })

  it('a PUT that always fails fails the step with the chain-broken guidance, and nothing else happens', async () => {
    world = await startWorld()
    world.github.server.inject({ ...REPO_SECRET_PUT, times: Infinity, status: 503, body: { message: 'Service Unavailable' } })
    lastRun = await world.run({ inputs: { mode: 'all' }, timeScale: 50 })
    expect(lastRun.exitCode).toBe(4)
    expect(lastRun.summary).toContain('Token chain broken')
    expect(lastRun.summary).toContain('npx feishu-wiki-sync auth')
    expect(lastRun.outputs['token-rotated']).toBe('false')
    // No wiki or docx call after the refresh.
    const afterRefresh = world.feishu.server.calls.filter((c) => c.route !== REFRESH)
    expect(afterRefresh).toEqual([])
  })

  it('an environment secret is written with the environment key and the repository secret is untouched', async () => {
    world = await startWorld({ environmentSecret: true })
    lastRun = await world.run()
    expect(lastRun.exitCode, lastRun.stdout).toBe(0)
    expect(world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN', ENVIRONMENT)).toBe(world.feishu.liveRefreshToken())
    expect(world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN')).toBeUndefined()
    const box = world.github.storedSecret(REPO, 'FEISHU_REFRESH_TOKEN', ENVIRONMENT)!
    expect(box.key_id).toBe(world.github.publicKey(REPO, ENVIRONMENT).key_id)
    expect(openSealedBoxWithPyNaCl(world.github.privateKeyBase64(REPO, ENVIRONMENT), box.encrypted_value)).toBe(
      world.feishu.liveRefreshToken(),
    )
    expect(lastRun.summary).toContain(`environment '${ENVIRONMENT}' secret`)
  })

  it.each([
    ['secret-name', { 'secret-name': 'GITHUB_TOKEN_COPY' }],
    ['secret-name', { 'secret-name': '1TOKEN' }],
    ['base-url', { 'base-url': 'http://open.feishu.cn' }],
    ['base-url', { 'base-url': 'not a url' }],
    ['mode', { mode: 'sometimes' }],
    ['on-delete', { 'on-delete': 'shred' }],
    ['dry-run', { 'dry-run': 'yes please' }],
    ['path', { mode: 'all', path: 'no-such-folder' }],
    ['space-id', { mode: 'all', 'space-id': '' }],
    ['space-id', { auth: 'app', mode: 'all', 'space-id': 'my_library' }],
    ['refresh-token', { 'refresh-token': '' }],
    ['github-token', { 'github-token': '' }],
    ['app-secret', { 'app-secret': '' }],
  ])('bad input %s fails before the token is spent', async (input, overrides) => {
    world = await startWorld()
    lastRun = await world.run({ inputs: overrides })
    expect(lastRun.exitCode).toBe(2)
    expect(lastRun.summary).toContain(`Input '${input}'`)
    expect(lastRun.annotations.find((a) => a.level === 'error')?.message).toContain(`Input '${input}'`)
    expect(refreshCalls()).toBe(0)
    expect(world.github.server.calls).toEqual([])
  })

  it('refuses to spend the token on a pull_request run', async () => {
    world = await startWorld()
    lastRun = await world.run({ eventName: 'pull_request' })
    expect(lastRun.exitCode).toBe(2)
    expect(lastRun.summary).toContain('refusing to run on pull_request')
    expect(refreshCalls()).toBe(0)
  })

  it('a token that may not write secrets fails the preflight, before the refresh', async () => {
    world = await startWorld()
    world.github.addToken('github_pat_READONLY0000000000000', { repos: [REPO], secrets: 'read', contents: 'read' })
    lastRun = await world.run({ inputs: { 'github-token': 'github_pat_READONLY0000000000000' } })
    expect(lastRun.exitCode).toBe(1)
    expect(lastRun.summary).toContain('the refresh token was not spent')
    expect(lastRun.summary).toMatch(/Secrets/)
    expect(refreshCalls()).toBe(0)
  })

  it('a lost refresh answer is reported as lost in transit, not as a concurrency problem', async () => {
    world = await startWorld()
    world.feishu.server.inject({ route: REFRESH, drop: 'after' })
    lastRun = await world.run({ timeScale: 50 })
    expect(lastRun.exitCode).toBe(3)
    expect(lastRun.summary).toContain('lost in transit')
    expect(lastRun.summary).toContain('not a concurrency problem')
    expect(refreshCalls()).toBe(2)
  })

  it('20050 is retried once and the chain holds', async () => {
    world = await startWorld()
    world.feishu.server.inject({
      route: REFRESH,
      status: 500,
      body: { code: 20050, error: 'server_error', error_description: 'An unexpected server error occurred. Please retry your request.' },
    })
    lastRun = await world.run({ timeScale: 50 })
    expect(lastRun.exitCode, lastRun.stdout).toBe(0)
    expect(world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN')).toBe(world.feishu.liveRefreshToken())
  })

  it('auth: app uses a tenant token, never touches a refresh token or a secret, and says so', async () => {
    world = await startWorld()
    lastRun = await world.run({ inputs: { auth: 'app', 'refresh-token': '', 'github-token': '' } })
    expect(lastRun.exitCode, lastRun.stdout).toBe(0)
    expect(refreshCalls()).toBe(0)
    expect(world.feishu.server.callsTo('auth.v3.tenantAccessToken.internal').length).toBe(1)
    expect(world.github.server.calls).toEqual([])
    expect(lastRun.summary).toContain('Identity: the app')
    expect(lastRun.outputs['token-rotated']).toBe('false')
  })

  it('explains a run that was queued before another run rotated the repository secret', async () => {
    world = await startWorld()
    const queuedWith = world.currentRefreshToken()
    world.github.addRun(REPO, 1001, new Date(Date.now() - 60_000).toISOString())
    lastRun = await world.run() // "another run" rotates and updates the secret now
    lastRun = await world.run({ inputs: { 'refresh-token': queuedWith } })
    expect(lastRun.exitCode).toBe(3)
    expect(lastRun.summary).toContain('This run was queued')
    expect(lastRun.summary).toContain('re-run it')
  })

  it.each([
    ['weekly', '17 3 * * 1', true],
    ['daily', '17 3 * * *', false],
  ])('warns in the summary when the workflow schedule (%s) does not keep the token alive', async (_, cron, warns) => {
    const workflow = `on:\n  schedule:\n    - cron: '${cron}'\n  workflow_dispatch:\nconcurrency:\n  group: wiki\n  cancel-in-progress: false\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    environment: wiki-sync\n    steps:\n      - uses: actions/checkout@v6\n      - uses: ./\n        with:\n          refresh-token: \${{ secrets.FEISHU_REFRESH_TOKEN }}\n          secret-environment: wiki-sync\n`
    world = await startWorld({ environmentSecret: true, files: { '.github/workflows/sync.yml': workflow } })
    lastRun = await world.run({ env: { GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/sync.yml@refs/heads/main` } })
    expect(lastRun.exitCode, lastRun.stdout).toBe(0)
    expect(lastRun.summary.includes('Schedule (keep-alive)')).toBe(warns)
    expect(lastRun.annotations.some((a) => a.level === 'warning' && a.file === '.github/workflows/sync.yml')).toBe(warns)
  })
})
