// Green runs that would break the chain, as real runs of the bundle against the emulators: a secret-name that names
// no existing secret is refused before the token is spent, and a workflow without a concurrency group or schedule
// gets warnings (annotations on the workflow's lines, and the YAML to add in the summary).
import { afterEach, describe, expect, it } from 'vitest'
import { expectNoLeaks } from '../helpers/action-runner.js'
import { APP, ENVIRONMENT, REPO, type World, startWorld } from '../helpers/world.js'

const REFRESH = 'authen.v2.oauth.token'
const WORKFLOW_REF = { GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/sync.yml@refs/heads/main` }

let world: World
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})

const workflow = (parts: { concurrency?: boolean; schedule?: boolean; secretName?: string }) =>
  [
    'name: Sync docs',
    'on:',
    '  push:',
    '    branches: [main]',
    ...(parts.schedule ? ['  schedule:', "    - cron: '17 3 * * *'"] : []),
    ...(parts.concurrency ? ['concurrency:', '  group: feishu-wiki-sync', '  cancel-in-progress: false'] : []),
    'jobs:',
    '  sync:',
    '    runs-on: ubuntu-latest',
    `    environment: ${ENVIRONMENT}`,
    '    steps:',
    '      - uses: actions/checkout@v6',
    '      - uses: feishu-wiki-sync/feishu-wiki-sync@v1',
    '        with:',
    '          refresh-token: ${{ secrets.FEISHU_REFRESH_TOKEN }}',
    ...(parts.secretName ? [`          secret-name: ${parts.secretName}`] : []),
    `          secret-environment: ${ENVIRONMENT}`,
    '',
  ].join('\n')

describe('a secret that does not exist is refused before the token is spent', () => {
  it('a typo in secret-name: exit 2, no refresh, no secret created, and the fix names the secret the workflow reads', async () => {
    world = await startWorld({ environmentSecret: true, files: { '.github/workflows/sync.yml': workflow({ concurrency: true, schedule: true, secretName: 'FEISHU_REFRESH_TOKN' }) } })
    const before = world.currentRefreshToken()
    const run = await world.run({ inputs: { 'secret-name': 'FEISHU_REFRESH_TOKN' }, env: WORKFLOW_REF })
    expect(run.exitCode, run.stdout).toBe(2)
    expect(world.feishu.server.callsTo(REFRESH)).toHaveLength(0)
    expect(world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKN', ENVIRONMENT)).toBeUndefined()
    expect(world.currentRefreshToken()).toBe(before)
    expect(run.outputs['token-rotated']).toBe('false')
    expect(run.summary).toContain(`environment '${ENVIRONMENT}' secret FEISHU_REFRESH_TOKN does not exist (the refresh token was not spent)`)
    // A chosen name that differs from what the workflow reads: the typo fix comes first.
    expect(run.summary).toContain('<li>Fix: the workflow passes <code>refresh-token: ${{ secrets.FEISHU_REFRESH_TOKEN }}</code>: set <code>secret-name: FEISHU_REFRESH_TOKEN</code>')
    // The one command that creates the secret, with every value the action knows.
    expect(run.summary).toContain(
      `npx feishu-wiki-sync auth --repo ${REPO} --environment ${ENVIRONMENT} --app-id ${APP.appId} --secret-name FEISHU_REFRESH_TOKN --base-url ${world.feishu.url} --github-api-url ${world.github.url}`,
    )
    const error = run.annotations.find((a) => a.level === 'error')
    expect(error?.message).toContain('does not exist')
    expect(run.stdout).not.toContain('Saved the new refresh token')
  })

  it('a first run before `auth` ever ran: refused, and the fix is `auth`', async () => {
    world = await startWorld({ seedSecret: false })
    const run = await world.run()
    expect(run.exitCode, run.stdout).toBe(2)
    expect(world.feishu.server.callsTo(REFRESH)).toHaveLength(0)
    expect(world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN')).toBeUndefined()
    expect(run.summary).toContain('repository secret FEISHU_REFRESH_TOKEN does not exist')
    expect(run.summary).toContain(`<code>npx feishu-wiki-sync auth --repo ${REPO} --app-id ${APP.appId}`)
    // The default name on a first run: `auth` comes first.
    expect(run.summary).toContain('<li>Fix: create the secret with <code>npx feishu-wiki-sync auth')
    expect(run.summary).toContain('only <code>auth</code> creates it')
  })

  it('an existing secret: the run goes ahead and updates it', async () => {
    world = await startWorld()
    const run = await world.run()
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.stdout).toContain('(updated)')
    expect(world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN')).toBe(world.feishu.liveRefreshToken())
  })
})

describe('a workflow that can break the chain is warned about, in annotations and in the summary', () => {
  it('no concurrency group and no schedule: two warnings on the workflow lines, YAML in <pre> blocks', async () => {
    world = await startWorld({ environmentSecret: true, files: { '.github/workflows/sync.yml': workflow({}) } })
    const run = await world.run({ env: WORKFLOW_REF })
    expect(run.exitCode, run.stdout).toBe(0)
    const warnings = run.annotations.filter((a) => a.level === 'warning' && a.file === '.github/workflows/sync.yml')
    const concurrency = warnings.find((a) => a.message.includes('No concurrency group'))
    const schedule = warnings.find((a) => a.message.includes('No schedule'))
    expect(concurrency?.line).toBe(6) // the job that has no group
    expect(concurrency?.message).toContain('group: feishu-wiki-sync\n  cancel-in-progress: false')
    expect(schedule?.line).toBe(2) // `on:`
    expect(run.stdout).toMatch(/::warning title=Workflow%3A Concurrency,file=\.github\/workflows\/sync\.yml,line=6::/)
    expect(run.summary).toContain('<pre>concurrency:\n  group: feishu-wiki-sync\n  cancel-in-progress: false</pre>')
    expect(run.summary).toContain("<pre>on:\n  schedule:\n    - cron: '17 3 * * *'")
    // Concurrency (the more dangerous one) comes first.
    expect(run.summary.indexOf('No concurrency group')).toBeLessThan(run.summary.indexOf('No schedule'))
  })

  it('a workflow with both: no warning', async () => {
    world = await startWorld({ environmentSecret: true, files: { '.github/workflows/sync.yml': workflow({ concurrency: true, schedule: true }) } })
    const run = await world.run({ env: WORKFLOW_REF })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.annotations.filter((a) => a.level === 'warning' && a.file)).toEqual([])
    expect(run.summary).not.toContain('can break the token chain')
  })
})
