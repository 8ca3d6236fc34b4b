// `npm run demo`: the main job, locally. Starts the Feishu and GitHub emulators on loopback, runs the real
// bundle (`node dist/index.js`, as the runner does) to sync this repository's own docs/ folder, prints the
// job summary and the resulting wiki tree, then runs again to show that an unchanged tree costs no writes.
import fs from 'node:fs'
import path from 'node:path'
import { repoRoot, runAction, type ActionRun } from '../emulator/action-runner.js'
import { startSeededWorld } from '../emulator/seed.js'

const WRITE_ROUTES = /(create|batchDelete|patch|batchUpdate|updateTitle|move|delete|uploadAll)$/i

const world = await startSeededWorld({ repo: 'feishu-wiki-sync/feishu-wiki-sync' })
let refreshToken = world.seedRefreshToken

async function sync(label: string): Promise<ActionRun> {
  const callsBefore = world.feishu.server.calls.length
  const run = await runAction({
    workspace: repoRoot,
    eventName: 'workflow_dispatch',
    env: { GITHUB_REPOSITORY: world.repo, GITHUB_API_URL: world.github.url },
    inputs: {
      'app-id': world.app.appId,
      'app-secret': world.app.appSecret,
      'refresh-token': refreshToken,
      'github-token': world.githubToken,
      'secret-environment': world.environment,
      'space-id': world.spaceId,
      path: 'docs',
      mode: 'all',
      'base-url': world.feishu.url,
      'github-api-url': world.github.url,
    },
  })
  // The next run reads the secret that this run wrote, as the next workflow run would.
  refreshToken = world.github.secretValue(world.repo, 'FEISHU_REFRESH_TOKEN', world.environment) ?? refreshToken
  const calls = world.feishu.server.calls.slice(callsBefore)
  const writes = calls.filter((c) => WRITE_ROUTES.test(c.route) && c.route !== 'authen.v2.oauth.token').length
  console.log(`\n=== ${label}: exit code ${run.exitCode}, ${calls.length} Feishu calls, ${writes} wiki/docx/drive writes, ${(run.durationMs / 1000).toFixed(1)} s ===`)
  return run
}

try {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run `npm run build`.')
  const first = await sync('First sync of docs/')
  console.log('\n--- Job summary ---\n' + summaryAsText(first.summary))
  if (first.exitCode !== 0) console.log(first.stdout.split('\n').filter((l) => l.startsWith('::error')).join('\n'))
  console.log('--- Wiki tree in the emulator ---\n' + world.feishu.renderTree(world.spaceId))
  // Diagrams became whiteboards: what each one holds, as the emulator drew it.
  for (const d of world.feishu.boardDiagrams()) console.log('--- Whiteboard ---\n' + world.feishu.renderBoard(d.whiteboardId))
  const second = await sync('Second sync, nothing changed')
  console.log(`outputs: created=${second.outputs.created} updated=${second.outputs.updated} unchanged=${second.outputs.unchanged} failed=${second.outputs.failed} token-rotated=${second.outputs['token-rotated']}`)
  process.exitCode = first.exitCode || second.exitCode
} finally {
  await world.close()
}

/** The job summary is GitHub-flavoured HTML; a terminal wants text. */
function summaryAsText(html: string): string {
  return html
    .replace(/<\/(th|td)>/g, ' | ')
    .replace(/<tr>/g, '| ')
    .replace(/<\/tr>|<br\s*\/?>|<\/p>|<\/h\d>|<\/li>/g, '\n')
    .replace(/<h(\d)>/g, (_, level: string) => '#'.repeat(Number(level)) + ' ')
    .replace(/<li>/g, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
}
