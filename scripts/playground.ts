// `npm run playground`: the whole first hour on this machine, by hand. Starts the Feishu and GitHub emulators on
// loopback (a repository acme/handbook with an environment wiki-sync, a wiki space, an app) and prints three
// commands, ready to paste: `auth` (approve it with the button on the emulator's device page), `doctor`, and one
// that runs the action once against this repository's docs/ (POST /sync on the playground's control server).
// GET /check says whether the secret holds the live token and how many refreshes (only refreshes) were made.
import { repoRoot, runAction } from '../emulator/action-runner.js'
import { EmulatorServer, Router } from '../emulator/core/server.js'
import { startSeededWorld } from '../emulator/seed.js'
import { summaryAsText } from './summary-text.js'

const REPO = 'acme/handbook'
const ENVIRONMENT = 'wiki-sync'
const SECRET = 'FEISHU_REFRESH_TOKEN'

// No secret yet: `auth` creates it, exactly as on GitHub.
const world = await startSeededWorld({ repo: REPO, environment: ENVIRONMENT })
const parent = world.feishu.createNode(world.spaceId, { title: 'Playground home', creator: 'someone-else' }).node_token
const refreshes = () =>
  world.feishu.server.callsTo('authen.v2.oauth.token').filter((c) => (c.body as { grant_type?: string } | undefined)?.grant_type === 'refresh_token').length

let syncing = false
const control = new EmulatorServer(
  'playground',
  new Router()
    .add('POST', '/sync', 'playground.sync', async () => {
      if (syncing) return { status: 409, body: 'A sync is running; one at a time (that is what the concurrency group is for).\n' }
      syncing = true
      try {
        // The job reads the environment secret when it starts, as GitHub does.
        const stored = world.github.secretValue(REPO, SECRET, ENVIRONMENT)
        const run = await runAction({
          workspace: repoRoot,
          eventName: 'workflow_dispatch',
          env: { GITHUB_REPOSITORY: REPO, GITHUB_API_URL: world.github.url },
          inputs: {
            'app-id': world.app.appId,
            'app-secret': world.app.appSecret,
            'refresh-token': stored ?? 'no-secret-yet',
            'github-token': world.githubToken,
            'secret-environment': ENVIRONMENT,
            'space-id': world.spaceId,
            'parent-node': parent,
            path: 'docs',
            mode: 'all',
            'base-url': world.feishu.url,
            'github-api-url': world.github.url,
          },
        })
        const text = `${summaryAsText(run.summary)}\nExit code ${run.exitCode}.\n\nWiki tree:\n${world.feishu.renderTree(world.spaceId, parent)}\n`
        return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text }
      } finally {
        syncing = false
      }
    })
    .add('GET', '/check', 'playground.check', () => {
      const live = world.feishu.liveRefreshToken()
      return {
        status: 200,
        body: { secretMatchesLiveToken: live !== undefined && world.github.secretValue(REPO, SECRET, ENVIRONMENT) === live, refreshCalls: refreshes() },
      }
    })
    .add('GET', '/tree', 'playground.tree', () => ({ status: 200, body: world.feishu.renderTree(world.spaceId, parent) })),
)
const controlUrl = await control.listen()

const flags = `--repo ${REPO} --environment ${ENVIRONMENT} --app-id ${world.app.appId} --base-url ${world.feishu.url} --github-api-url ${world.github.url}`
console.log(`Feishu emulator ${world.feishu.url} · GitHub emulator ${world.github.url} · playground ${controlUrl}

In another terminal, in this folder (these are the emulators' own values, not real secrets):

  export FEISHU_APP_SECRET=${world.app.appSecret} GH_TOKEN=${world.githubToken}

1. Authorize: open the link it prints and press Approve on the emulator's page.

  node dist/cli/index.js auth ${flags}

2. Check the setup without spending the token:

  node dist/cli/index.js doctor ${flags} --space-id ${world.spaceId} --parent-node ${parent}

3. Run the action once against docs/ (it reads the secret that auth wrote, and saves its successor):

  curl -s -X POST ${controlUrl}/sync

Is the chain intact? curl -s ${controlUrl}/check
Press Ctrl-C to stop.`)

const stop = async (): Promise<void> => {
  await Promise.all([world.close(), control.close()])
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
