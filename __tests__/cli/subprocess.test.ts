// One real process: the `feishu-wiki-sync` bin (dist/cli/index.js when it is built, else the TypeScript entry
// through tsx) runs `auth` against the emulators; the test reads the user code from its stdout and approves it.
// Then the workflow's next run, the bundled action (dist/index.js, which `npm test` builds first), spends the
// stored token.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import { ROUTE } from '../../emulator/feishu/index.js'
import { repoRoot, runAction } from '../../emulator/action-runner.js'
import { type SeededWorld, startSeededWorld } from '../../emulator/seed.js'
import { DEVICE_CODE_GRANT } from '../../src/feishu/oauth.js'
import { expectNoSecrets } from './helpers.js'

const REPO = 'acme/handbook'
const ENV = 'wiki-sync'
const SECRET = 'FEISHU_REFRESH_TOKEN'
/** Poll intervals of 5 s take 5 s / SCALE of real time; the emulator's clock runs at the same speed. */
const SCALE = 25

/** FEISHU_WIKI_SYNC_CLI_BUNDLE points at another build of the bin (e.g. a scratch ncc build). */
const builtCli = process.env.FEISHU_WIKI_SYNC_CLI_BUNDLE ?? path.join(repoRoot, 'dist', 'cli', 'index.js')

let world: SeededWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

it(`auth as a subprocess (${fs.existsSync(builtCli) ? path.relative(repoRoot, builtCli) : 'src/cli/index.ts via tsx'}) writes a token the next run can use`, async () => {
  const clock = scaledClock(SCALE)
  const w = (world = await startSeededWorld({ feishu: { clock } }))
  const command = fs.existsSync(builtCli) ? [builtCli] : ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'index.ts')]
  const args = ['auth', '--repo', REPO, '--environment', ENV, '--app-id', w.app.appId, '--base-url', w.feishu.url, '--github-api-url', w.github.url]
  const child = spawn(process.execPath, [...command, ...args], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      FEISHU_APP_SECRET: w.app.appSecret,
      GH_TOKEN: w.githubToken,
      FEISHU_WIKI_SYNC_TIME_SCALE: String(SCALE),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let approved = false
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    const m = /User code: (\S+)/.exec(stdout)
    if (m && !approved) {
      approved = true
      w.feishu.approveDevice(m[1]!) // the user approves on another device
    }
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 50_000)
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
  clearTimeout(timer)

  expect(code, stdout + stderr).toBe(0)
  expect(stdout).toContain(`Saved the refresh token into the environment '${ENV}' secret ${SECRET} of ${REPO} (created).`)
  const stored = w.github.secretValue(REPO, SECRET, ENV)!
  expect(w.feishu.refreshTokens().find((t) => t.token === stored)?.state).toBe('live')
  expect(w.feishu.server.callsTo(ROUTE.oauthToken).every((c) => (c.body as Record<string, string>).grant_type === DEVICE_CODE_GRANT)).toBe(true)
  expectNoSecrets(stdout + stderr, [w.app.appSecret, w.githubToken, stored])

  // The workflow's next run: the bundled action, rotate-only, reading the secret auth wrote.
  {
    const run = await runAction({
      timeScale: SCALE,
      inputs: {
        'app-id': w.app.appId,
        'app-secret': w.app.appSecret,
        'refresh-token': stored,
        'github-token': w.githubToken,
        'secret-name': SECRET,
        'secret-environment': ENV,
        mode: 'rotate-only',
        'base-url': w.feishu.url,
        'github-api-url': w.github.url,
        auth: 'user',
        path: 'docs',
      },
      env: { GITHUB_REPOSITORY: REPO },
    })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(w.github.secretValue(REPO, SECRET, ENV)).toBe(w.feishu.liveRefreshToken())
    expect(w.github.secretValue(REPO, SECRET, ENV)).not.toBe(stored)
  }
})
