// `npm run demo`: the main job, locally. Starts the Feishu and GitHub emulators on loopback, runs the real
// bundle (`node dist/index.js`, as the runner does) to sync a copy of this repository's docs/ folder, prints the
// job summary, the wiki tree and one converted page; then edits one paragraph (with a reader's comment on
// another) and syncs again to show that only that block changes and the comment survives; then runs once more
// to show that an unchanged tree costs no writes.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { repoRoot, runAction, type ActionRun } from '../emulator/action-runner.js'
import { startSeededWorld } from '../emulator/seed.js'
import { summaryAsText } from './summary-text.js'

const WRITE_ROUTES = /(create|batchDelete|patch|batchUpdate|updateTitle|move|delete|uploadAll)$/i
const PAGE = 'docs/getting-started.md'
const EDITED = 'This page takes you from nothing'
const COMMENTED = 'Pick the page the docs should live under'

const world = await startSeededWorld({ repo: 'feishu-wiki-sync/feishu-wiki-sync', seedSecret: { environment: true } })
// A copy, so the demo's edit never touches the repository.
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-demo-'))
fs.cpSync(path.join(repoRoot, 'docs'), path.join(workspace, 'docs'), { recursive: true })
let refreshToken = world.seedRefreshToken

async function sync(label: string): Promise<ActionRun> {
  const callsBefore = world.feishu.server.calls.length
  const run = await runAction({
    workspace,
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

/** The page's document, from the run's `pages` output (path → node token) and the wiki's node. */
function documentOf(run: ActionRun, file: string): { objToken: string; title: string } {
  const pages = JSON.parse(run.outputs.pages ?? '[]') as { path: string; node_token: string | null }[]
  const token = pages.find((p) => p.path === file)?.node_token
  const node = world.feishu.nodes(world.spaceId).find((n) => n.node_token === token)
  if (!node) throw new Error(`no wiki page for ${file}`)
  return { objToken: node.obj_token, title: node.title }
}

/**
 * Block id → its content as the read API returns it, without the comment ids a reader's comment adds, and without
 * the sync marker (its content hash changes with every edit).
 */
function blocksOf(documentId: string): Map<string, string> {
  const items = world.feishu.docs.listBlocks(documentId, 500).items as { block_id: string }[]
  return new Map(
    items
      .map((b) => [b.block_id, JSON.stringify(b, (key, value: unknown) => (key === 'comment_ids' ? undefined : value))] as const)
      .filter(([, json]) => !json.includes('feishu_wiki_sync')),
  )
}

try {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run `npm run build`.')
  const first = await sync('First sync of docs/')
  console.log('\n--- Job summary ---\n' + summaryAsText(first.summary))
  if (first.exitCode !== 0) console.log(first.stdout.split('\n').filter((l) => l.startsWith('::error')).join('\n'))
  console.log('--- Wiki tree in the emulator ---\n' + world.feishu.renderTree(world.spaceId))
  // Diagrams became whiteboards: what each one holds, as the emulator drew it.
  for (const d of world.feishu.boardDiagrams()) console.log('--- Whiteboard ---\n' + world.feishu.renderBoard(d.whiteboardId))

  const page = documentOf(first, PAGE)
  const rendered = world.feishu.docs.render(page.objToken).split('\n')
  console.log(`\n--- ${PAGE} as the wiki page "${page.title}" (the emulator's Markdown-like rendering of its blocks; first 40 lines) ---`)
  console.log(rendered.slice(0, 40).join('\n') + (rendered.length > 40 ? `\n… (${rendered.length - 40} more lines)` : ''))

  // A reader comments on one paragraph; the author edits another.
  const before = blocksOf(page.objToken)
  const commented = [...before].find(([, json]) => json.includes(COMMENTED))?.[0]
  if (commented) world.feishu.person.comment(page.objToken, commented, 'Where do I find the space id?')
  const file = path.join(workspace, PAGE)
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(EDITED, 'This page takes you, step by step, from nothing'))
  const edit = await sync(`Edit one paragraph of ${PAGE}, a reader's comment on another`)
  const after = blocksOf(page.objToken)
  const kept = [...before].filter(([id, json]) => after.get(id) === json).length
  const changed = [...after].filter(([id, json]) => before.get(id) !== json).length + [...before.keys()].filter((id) => !after.has(id)).length
  const comments = world.feishu.docs.comments(page.objToken)
  const commentKept = commented !== undefined && comments.some((c) => c.blockId === commented) && after.has(commented)
  console.log(`${PAGE}: ${changed} block${changed === 1 ? '' : 's'} changed, ${kept} kept, ${commentKept ? 'comments kept' : 'COMMENT LOST'} (and the sync marker's content hash updated).`)
  console.log(`outputs: updated=${edit.outputs.updated} unchanged=${edit.outputs.unchanged} failed=${edit.outputs.failed}`)

  const third = await sync('Third sync, nothing changed')
  console.log(`outputs: created=${third.outputs.created} updated=${third.outputs.updated} unchanged=${third.outputs.unchanged} failed=${third.outputs.failed} token-rotated=${third.outputs['token-rotated']}`)
  process.exitCode = first.exitCode || edit.exitCode || third.exitCode || (changed === 1 && commentKept ? 0 : 1)
} finally {
  await world.close()
  fs.rmSync(workspace, { recursive: true, force: true })
}
