// `feishu-wiki-sync doctor`, in-process against the emulators: every check, each planted problem, and proof
// from the emulator's request log that it never touches the token endpoint.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock } from '../../emulator/core/clock.js'
import { ROUTE } from '../../emulator/feishu/index.js'
import { type SeededWorld, startSeededWorld } from '../../emulator/seed.js'
import type { CliIO } from '../../src/cli/io.js'
import { DEVICE_CODE_GRANT } from '../../src/feishu/oauth.js'
import { createGitHubClient } from '../../src/github/client.js'
import { getSecretPublicKey, putSecret } from '../../src/github/secrets.js'
import { expectNoSecrets, runCli, startCli } from './helpers.js'

const REPO = 'acme/handbook'
const ENV = 'wiki-sync'
const SECRET = 'FEISHU_REFRESH_TOKEN'
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'workflows')
const DAY = 86_400_000

let world: SeededWorld | undefined
const dirs: string[] = []
afterEach(async () => {
  await world?.close()
  world = undefined
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

type Clock = ReturnType<typeof manualClock>

async function doctorWorld(): Promise<{ w: SeededWorld; clock: Clock }> {
  const clock = manualClock(Date.now())
  world = await startSeededWorld({ feishu: { clock } })
  return { w: world, clock }
}

/** A checkout with .github/workflows/<name> copied from the fixtures. */
function checkout(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-doctor-'))
  dirs.push(dir)
  fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true })
  for (const [name, fixture] of Object.entries(files)) {
    fs.copyFileSync(path.join(FIXTURES, fixture), path.join(dir, '.github', 'workflows', name))
  }
  return dir
}

/** Store a refresh token in the secret the way the action does (sealed, PUT). */
async function storeSecret(w: SeededWorld, environment: string | undefined = ENV): Promise<void> {
  const client = createGitHubClient({ token: w.githubToken, baseUrl: w.github.url })
  const target = { owner: 'acme', repo: 'handbook', secretName: SECRET, ...(environment ? { environment } : {}) }
  await putSecret(client, target, w.seedRefreshToken, await getSecretPublicKey(client, target))
}

function io(w: SeededWorld, clock: Clock, cwd: string, more: Partial<CliIO> = {}): Partial<CliIO> {
  return {
    env: { FEISHU_APP_SECRET: w.app.appSecret, GH_TOKEN: w.githubToken },
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms),
    cwd,
    runCommand: async (command, args) =>
      command === 'git' && args.join(' ').endsWith('remote get-url origin') ? { code: 0, stdout: 'git@github.com:acme/handbook.git\n' } : undefined,
    ...more,
  }
}

const flags = (w: SeededWorld, extra: string[] = []) => [
  'doctor',
  '--repo',
  REPO,
  '--environment',
  ENV,
  '--app-id',
  w.app.appId,
  '--base-url',
  w.feishu.url,
  '--github-api-url',
  w.github.url,
  ...extra,
]

const noTokenCalls = (w: SeededWorld) => {
  expect(w.feishu.server.callsTo(ROUTE.oauthToken)).toHaveLength(0)
  expect(w.feishu.server.callsTo(ROUTE.deviceAuthorization)).toHaveLength(0)
}

const allSecrets = (w: SeededWorld) => [w.app.appSecret, w.githubToken, ...w.feishu.refreshTokens().map((t) => t.token)]

describe('doctor', () => {
  it('Getting started: `auth`, then `doctor` — every check ok, and doctor spent nothing', async () => {
    const { w, clock } = await doctorWorld()
    const cwd = checkout({ 'sync.yml': 'good.yml' })
    const parent = w.feishu.createNode(w.spaceId, { title: 'Engineering docs' }).node_token

    // Step: authorize once (device flow; the test approves the code the CLI printed).
    const auth = startCli(['auth', '--repo', REPO, '--environment', ENV, '--app-id', w.app.appId, '--base-url', w.feishu.url, '--github-api-url', w.github.url], {
      ...io(w, clock, cwd),
      sleep: async (ms) => {
        await clock.sleep(ms)
        w.feishu.approveDevice(/User code: (\S+)/.exec(auth.all)![1]!)
      },
    })
    expect(await auth.exit, auth.all).toBe(0)
    const callsAfterAuth = w.feishu.server.callsTo(ROUTE.oauthToken).length
    const stored = w.github.secretValue(REPO, SECRET, ENV)

    // Step: check the setup.
    const r = await runCli(flags(w, ['--space-id', w.spaceId, '--parent-node', parent]), io(w, clock, cwd))
    expect(r.code, r.all).toBe(0)
    expect(r.stdout).toContain('[ok]       Feishu app: cli_emulator and its App Secret (from FEISHU_APP_SECRET) are accepted')
    expect(r.stdout).toContain(`[ok]       GitHub access: the token from GH_TOKEN may write the environment '${ENV}' secret ${SECRET} of ${REPO}`)
    expect(r.stdout).toMatch(/\[ok\] {7}Refresh token secret: FEISHU_REFRESH_TOKEN exists, last updated less than a minute ago/)
    expect(r.stdout).toContain("[ok]       Workflow .github/workflows/sync.yml:12: Concurrency group 'feishu-wiki-sync' with cancel-in-progress: false.")
    expect(r.stdout).toContain("[ok]       Wiki space: 'Handbook'")
    expect(r.stdout).toContain(`[ok]       Wiki parent node: ${parent} ('Engineering docs') is reachable in space ${w.spaceId}.`)
    expect(r.stdout).toContain('[ok]       Drive metadata: who edited a page in Feishu can be looked up (drive metas batch_query).')
    expect(r.stdout).toContain('0 failed, 0 warnings, 9 ok.')
    // Doctor never called the token endpoint; the secret is untouched and still live.
    expect(w.feishu.server.callsTo(ROUTE.oauthToken)).toHaveLength(callsAfterAuth)
    expect(w.feishu.server.callsTo(ROUTE.oauthToken).every((c) => (c.body as Record<string, string>).grant_type === DEVICE_CODE_GRANT)).toBe(true)
    expect(w.github.secretValue(REPO, SECRET, ENV)).toBe(stored)
    expect(w.feishu.refreshTokens().find((t) => t.token === stored)?.state).toBe('live')
    expectNoSecrets(r.all + auth.all, allSecrets(w))
  })

  it.each([
    ['no-concurrency.yml', 1, /\[failed\] {3}Workflow \S+no-concurrency\.yml:17: No concurrency group/],
    ['cancel-in-progress.yml', 1, /\[failed\] {3}Workflow \S+cancel-in-progress\.yml:12: cancel-in-progress is true/],
    ['no-environment.yml', 0, /\[warning\] {2}Workflow \S+no-environment\.yml:\d+: The refresh token is a repository secret/],
    ['secret-env-mismatch.yml', 1, /\[failed\] {3}Workflow \S+secret-env-mismatch\.yml:31: secret-environment 'production' differs from the job's environment 'wiki-sync'/],
    ['weekly.yml', 1, /\[failed\] {3}Workflow \S+weekly\.yml:\d+: The schedule \('17 3 \* \* 1'\) leaves up to 7 days between runs/],
    ['no-schedule.yml', 1, /\[failed\] {3}Workflow \S+no-schedule\.yml:\d+: No schedule/],
    ['good.yml', 0, /0 failed, 0 warnings/],
  ])('reports the problem planted in %s', async (fixture, exitCode, line) => {
    const { w, clock } = await doctorWorld()
    await storeSecret(w)
    const r = await runCli(flags(w, ['--workflow', path.join(FIXTURES, fixture)]), io(w, clock, os.tmpdir()))
    expect(r.stdout).toMatch(line)
    expect(r.code, r.all).toBe(exitCode)
    // Each failed/warning line carries its fix.
    expect(r.stdout.split('\n').filter((l) => /^\[(failed|warning)\]/.test(l)).length).toBe((r.stdout.match(/^ {11}fix: /gm) ?? []).length)
    noTokenCalls(w)
  })

  it('the secret: 6 days old is a warning, 8 days old a failure (re-authorize), missing a failure', async () => {
    const { w, clock } = await doctorWorld()
    const cwd = checkout({ 'sync.yml': 'good.yml' })
    const missing = await runCli(flags(w), io(w, clock, cwd))
    expect(missing.code).toBe(1)
    expect(missing.stdout).toContain(`[failed]   Refresh token secret: the environment '${ENV}' secret ${SECRET} of ${REPO} does not exist.`)
    expect(missing.stdout).toContain(
      `fix: Authorize once: npx feishu-wiki-sync auth --repo ${REPO} --environment ${ENV} --app-id cli_emulator --base-url ${w.feishu.url} --github-api-url ${w.github.url}`,
    )

    await storeSecret(w)
    clock.advance(6 * DAY)
    const six = await runCli(flags(w), io(w, clock, cwd))
    expect(six.code, six.all).toBe(0)
    expect(six.stdout).toMatch(/\[warning\] {2}Refresh token secret: FEISHU_REFRESH_TOKEN was last updated 6 days ago \(\d{4}-\d\d-\d\dT[\d:]+Z\): it expires about 7 days after it was issued\./)
    expect(six.stdout).toContain('fix: Run the workflow now (workflow_dispatch)')

    clock.advance(2 * DAY)
    const eight = await runCli(flags(w), io(w, clock, cwd))
    expect(eight.code).toBe(1)
    expect(eight.stdout).toMatch(/\[failed\] {3}Refresh token secret: FEISHU_REFRESH_TOKEN was last updated 8 days ago .*most likely expired/)
    expect(eight.stdout).toContain(`fix: Authorize again: npx feishu-wiki-sync auth --repo ${REPO} --environment ${ENV} --app-id cli_emulator --base-url`)
    noTokenCalls(w)
  })

  it('takes what it is not told from the workflow (literal inputs) and the git remote; ignores unrelated workflows', async () => {
    const { w, clock } = await doctorWorld()
    await storeSecret(w)
    const cwd = checkout({ 'sync.yaml': 'good.yml', 'ci.yml': 'unrelated.yml' })
    const r = await runCli(['doctor', '--base-url', w.feishu.url, '--github-api-url', w.github.url], io(w, clock, cwd))
    expect(r.code, r.all).toBe(0)
    expect(r.stdout).toContain(
      `Checking ${REPO}: environment '${ENV}' secret ${SECRET}, app cli_emulator, ${w.feishu.url}\n  workflow read: .github/workflows/sync.yaml\n  using app-id (from .github/workflows/sync.yaml), secret-environment (from .github/workflows/sync.yaml), repository (from git remote origin)`,
    )
    expect(r.stdout).not.toContain('ci.yml')
    noTokenCalls(w)
  })

  it('wiki: a parent in another space fails, a missing space fails, a space the app cannot see is a warning', async () => {
    const { w, clock } = await doctorWorld()
    await storeSecret(w)
    const cwd = checkout({ 'sync.yml': 'good.yml' })
    const other = w.feishu.createSpace({ name: 'Other', appIsMember: true })
    const elsewhere = w.feishu.createNode(other, { title: 'Elsewhere' }).node_token
    const wrongParent = await runCli(flags(w, ['--space-id', w.spaceId, '--parent-node', elsewhere]), io(w, clock, cwd))
    expect(wrongParent.code).toBe(1)
    expect(wrongParent.stdout).toContain(`[failed]   Wiki parent node: ${elsewhere} ('Elsewhere') is in space ${other}, not in space ${w.spaceId}.`)

    const missing = await runCli(flags(w, ['--space-id', '7000000000000000001']), io(w, clock, cwd))
    expect(missing.code).toBe(1)
    expect(missing.stdout).toContain('[failed]   Wiki space: space 7000000000000000001 does not exist (code 131005).')

    const hidden = w.feishu.createSpace({ name: 'Private', userIsMember: true, appIsMember: false })
    const noAccess = await runCli(flags(w, ['--space-id', hidden]), io(w, clock, cwd))
    expect(noAccess.code, noAccess.all).toBe(0)
    expect(noAccess.stdout).toContain(`[warning]  Wiki: the app cannot see space ${hidden} (code 131006), so it could not be checked.`)

    // The app lacks the drive scope: on-remote-edit cannot name who edited; a warning with the scope to add.
    const parent = w.feishu.createNode(w.spaceId, { title: 'Docs home' }).node_token
    w.feishu.server.inject({ route: ROUTE.metasBatchQuery, status: 400, body: { code: 99991672, msg: 'Access denied. One of the following scopes is required: [drive:drive.metadata:readonly]' } })
    const noScope = await runCli(flags(w, ['--space-id', w.spaceId, '--parent-node', parent]), io(w, clock, cwd))
    expect(noScope.code, noScope.all).toBe(0)
    expect(noScope.stdout).toContain('[warning]  Drive metadata: who edited a page in Feishu cannot be looked up')
    expect(noScope.stdout).toContain('drive:drive.metadata:readonly')
    noTokenCalls(w)
  })

  it('mappings: the space and parent of each mapping are checked, named after its folder', async () => {
    const { w, clock } = await doctorWorld()
    await storeSecret(w)
    const cwd = checkout({})
    const other = w.feishu.createSpace({ name: 'Handbook space', appIsMember: true })
    const docsParent = w.feishu.createNode(w.spaceId, { title: 'Docs parent' }).node_token
    const elsewhere = w.feishu.createNode(other, { title: 'Elsewhere' }).node_token
    const workflow = fs
      .readFileSync(path.join(FIXTURES, 'good.yml'), 'utf8')
      .replace(
        '          path: docs',
        [
          `          space-id: '${w.spaceId}'`,
          '          mappings: |',
          '            - path: docs',
          `              parent-node: ${docsParent}`,
          '            - path: handbook',
          `              parent-node: ${elsewhere}`,
        ].join('\n'),
      )
    fs.writeFileSync(path.join(cwd, '.github', 'workflows', 'sync.yml'), workflow)
    for (const dir of ['docs', 'handbook']) fs.mkdirSync(path.join(cwd, dir))
    const r = await runCli(['doctor', '--base-url', w.feishu.url, '--github-api-url', w.github.url], io(w, clock, cwd))
    expect(r.code, r.all).toBe(1)
    expect(r.stdout).toContain(`[ok]       Wiki space (docs): 'Handbook' (${w.spaceId}) is reachable.`)
    expect(r.stdout).toContain(`[ok]       Wiki parent node (docs): ${docsParent} ('Docs parent') is reachable in space ${w.spaceId}.`)
    expect(r.stdout).toContain(`[failed]   Wiki parent node (handbook): ${elsewhere} ('Elsewhere') is in space ${other}, not in space ${w.spaceId}.`)
    noTokenCalls(w)

    // Mappings the action would refuse are a failed check too.
    fs.writeFileSync(path.join(cwd, '.github', 'workflows', 'sync.yml'), workflow.replace('- path: handbook', '- path: docs/inner'))
    fs.mkdirSync(path.join(cwd, 'docs', 'inner'))
    const overlap = await runCli(['doctor', '--base-url', w.feishu.url, '--github-api-url', w.github.url], io(w, clock, cwd))
    expect(overlap.code).toBe(1)
    expect(overlap.stdout).toContain('[failed]   Workflow mappings (from .github/workflows/sync.yml): the mappings on lines 1 (docs) and 3 (docs/inner) overlap')
  })

  it('refused app credentials fail; without secrets to check with, the checks say "not checked"', async () => {
    const { w, clock } = await doctorWorld()
    await storeSecret(w)
    const cwd = checkout({ 'sync.yml': 'good.yml' })
    const bad = await runCli(flags(w), io(w, clock, cwd, { env: { FEISHU_APP_SECRET: 'wrong-secret', GH_TOKEN: w.githubToken } }))
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/\[failed\] {3}Feishu app: The app credentials were refused: code 10014/)
    expectNoSecrets(bad.all, ['wrong-secret', ...allSecrets(w)])

    const nothing = await runCli(flags(w), io(w, clock, cwd, { env: {} }))
    expect(nothing.code, nothing.all).toBe(0)
    expect(nothing.stdout).toContain('[warning]  Feishu app: not checked: no app secret for cli_emulator.')
    expect(nothing.stdout).toContain(`[warning]  GitHub: not checked: no GitHub token to read the environment '${ENV}' secret ${SECRET} of ${REPO}.`)
    noTokenCalls(w)
  })

  it('no workflow that uses the action: a warning saying how to point at one', async () => {
    const { w, clock } = await doctorWorld()
    await storeSecret(w)
    const cwd = checkout({ 'ci.yml': 'unrelated.yml' })
    const r = await runCli(flags(w), io(w, clock, cwd))
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/\[warning\] {2}Workflow: no workflow in \S+ uses feishu-wiki-sync/)
    expect(r.stdout).toContain('pass --workflow <file>')
    const missing = await runCli(flags(w, ['--workflow', 'nope.yml']), io(w, clock, cwd))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('error: --workflow nope.yml: cannot read it (ENOENT)')
  })
})
