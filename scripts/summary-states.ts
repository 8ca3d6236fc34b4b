// The job summary in the five states a user meets first, each from a real run of the bundle (`node dist/index.js`)
// against the emulators: success, a failed page, a token already used, warnings, a bad space. Used by
// `npm run screenshots` (renders them as GitHub does and takes PNG screenshots) and by __tests__/e2e/summary.test.ts.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type ActionRun, runAction } from '../emulator/action-runner.js'
import { startSeededWorld } from '../emulator/seed.js'

export const STATES = ['success', 'failed-page', 'token-already-used', 'warnings', 'bad-space'] as const
export type SummaryState = (typeof STATES)[number]

const REPO = 'acme/handbook'
const ENVIRONMENT = 'wiki-sync'

const GOOD_WORKFLOW = `name: Sync docs to Feishu
on:
  push:
    branches: [main]
  workflow_dispatch:
  schedule:
    - cron: '17 3 * * *'
concurrency:
  group: feishu-wiki-sync
  cancel-in-progress: false
jobs:
  sync:
    runs-on: ubuntu-latest
    environment: ${ENVIRONMENT}
    steps:
      - uses: actions/checkout@v6
      - uses: feishu-wiki-sync/feishu-wiki-sync@v1
        with:
          refresh-token: \${{ secrets.FEISHU_REFRESH_TOKEN }}
          secret-environment: ${ENVIRONMENT}
`
/** The same without `concurrency` and `schedule`: what a first workflow often looks like. */
const BARE_WORKFLOW = GOOD_WORKFLOW.replace(/  schedule:\n.*\n/, '').replace(/concurrency:\n(  .*\n)+/, '')

const DOCS: Record<string, string | Buffer> = {
  'docs/index.md': '# Handbook\n\nWelcome to the handbook. See [Install](install.md) and the [guide](guide/usage.md).\n',
  'docs/install.md': '# Install\n\nRun `npm ci`, then:\n\n```bash\nnpm run build\n```\n',
  'docs/guide/usage.md': '# Usage\n\n| Command | What it does |\n| --- | --- |\n| `sync` | publishes |\n| `doctor` | checks |\n',
}

export async function runSummaryState(state: SummaryState): Promise<ActionRun> {
  const world = await startSeededWorld({ repo: REPO, environment: ENVIRONMENT, seedSecret: { environment: true } })
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-summary-'))
  try {
    const files: Record<string, string | Buffer> = { ...DOCS, '.github/workflows/sync.yml': GOOD_WORKFLOW }
    if (state === 'failed-page') {
      // Latin-1 bytes: not UTF-8, so this one page fails and the others are published.
      files['docs/legacy.md'] = Buffer.from('# Legacy\n\nCaf\xe9 cr\xe8me.\n', 'latin1')
    }
    if (state === 'warnings') {
      files['.github/workflows/sync.yml'] = BARE_WORKFLOW
      files['docs/install.md'] = '# Install\n\n3. third step first\n4. then this\n\n```cobol85\nDISPLAY "HELLO".\n```\n'
    }
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true })
      fs.writeFileSync(path.join(workspace, file), content)
    }
    const parent = world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
    const inputs = (refreshToken: string): Record<string, string> => ({
      'app-id': world.app.appId,
      'app-secret': world.app.appSecret,
      'refresh-token': refreshToken,
      'github-token': world.githubToken,
      'secret-environment': ENVIRONMENT,
      'space-id': state === 'bad-space' ? '7000000000000000404' : world.spaceId,
      'parent-node': parent,
      path: 'docs',
      mode: 'all',
      'base-url': world.feishu.url,
      'github-api-url': world.github.url,
    })
    const run = (refreshToken: string) =>
      runAction({
        workspace,
        eventName: 'workflow_dispatch',
        env: {
          GITHUB_REPOSITORY: REPO,
          GITHUB_API_URL: world.github.url,
          GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/sync.yml@refs/heads/main`,
        },
        inputs: inputs(refreshToken),
      })
    if (state === 'token-already-used') {
      // Another run spends the token first; this run still holds the spent one.
      await run(world.seedRefreshToken)
      return await run(world.seedRefreshToken)
    }
    return await run(world.seedRefreshToken)
  } finally {
    await world.close()
    fs.rmSync(workspace, { recursive: true, force: true })
  }
}
