// Start the seeded Feishu and GitHub emulators from the command line (the dogfood job, local experiments):
//
//   npm run emulator -- --state emulators.json [--repo owner/name] [--environment name] [--latency-ms 40]
//
// Writes the URLs and seed credentials to the state file (they are emulator values, not real secrets) and
// serves a control endpoint: GET {controlUrl}/check tells whether the stored secret opens to the newest
// token of the chain, and GET {controlUrl}/tree prints the wiki tree.
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { EmulatorServer, Router } from './core/server.js'
import { startSeededWorld } from './seed.js'

const { values } = parseArgs({
  options: {
    state: { type: 'string' },
    repo: { type: 'string', default: 'acme/handbook' },
    environment: { type: 'string', default: 'wiki-sync' },
    'latency-ms': { type: 'string', default: '0' },
  },
})
if (!values.state) {
  console.error('usage: npm run emulator -- --state <file> [--repo owner/name] [--environment name] [--latency-ms n]')
  process.exit(2)
}

const world = await startSeededWorld({
  repo: values.repo,
  environment: values.environment,
  feishu: { latencyMs: Number(values['latency-ms']) },
  // The repository secret holds the seed token, as after `feishu-wiki-sync auth --repo <repo>`.
  seedSecret: {},
})

const control = new EmulatorServer(
  'control',
  new Router()
    .add('GET', '/check', 'control.check', () => {
      const live = world.feishu.liveRefreshToken()
      const repoSecret = world.github.secretValue(world.repo, 'FEISHU_REFRESH_TOKEN')
      const envSecret = world.github.secretValue(world.repo, 'FEISHU_REFRESH_TOKEN', world.environment)
      return {
        status: 200,
        body: {
          secretMatchesLiveToken: live !== undefined && (repoSecret === live || envSecret === live),
          // Refreshes only: the same endpoint also answers the device flow's polls and code exchanges.
          refreshCalls: world.feishu.server
            .callsTo('authen.v2.oauth.token')
            .filter((c) => (c.body as { grant_type?: string } | undefined)?.grant_type === 'refresh_token').length,
          schemaViolations: world.feishu.schemaViolations.length,
        },
      }
    })
    .add('GET', '/tree', 'control.tree', () => ({ status: 200, body: world.feishu.renderTree(world.spaceId) })),
)
const controlUrl = await control.listen()

fs.writeFileSync(
  values.state,
  JSON.stringify(
    {
      feishuUrl: world.feishu.url,
      githubUrl: world.github.url,
      controlUrl,
      appId: world.app.appId,
      appSecret: world.app.appSecret,
      refreshToken: world.seedRefreshToken,
      githubToken: world.githubToken,
      spaceId: world.spaceId,
      repo: world.repo,
      environment: world.environment,
    },
    null,
    2,
  ),
)
console.log(`Feishu emulator ${world.feishu.url}, GitHub emulator ${world.github.url}, control ${controlUrl}`)

const stop = async (): Promise<void> => {
  await Promise.all([world.close(), control.close()])
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
