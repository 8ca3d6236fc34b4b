// In-process harness for publishDocs against the Feishu (and GitHub) emulators over HTTP: a workspace with a
// docs folder, a wiki space with a parent page, and `publish()` that loads the docs and publishes them exactly
// as main.ts does, returning the result and the write calls the emulator saw.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type Clock, scaledClock } from '../../emulator/core/clock.js'
import type { RecordedCall } from '../../emulator/core/server.js'
import { type FeishuEmulator, type FeishuEmulatorOptions, ROUTE, startFeishuEmulator } from '../../emulator/feishu/index.js'
import { type GitHubEmulator, startGitHubEmulator } from '../../emulator/github/index.js'
import { FeishuClient } from '../../src/feishu/client.js'
import { createGitHubClient } from '../../src/github/client.js'
import { readSettings } from '../../src/settings.js'
import { type PublishResult, loadDocs, publishDocs } from '../../src/sync/index.js'
import { STATE_TITLE } from '../../src/sync/remote/state.js'

export const REPO = 'acme/handbook'
export const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'handbook')

export interface LogRecord {
  infos: string[]
  warnings: { message: string; where?: { file: string; line?: number; column?: number } }[]
}

export interface PublishRun {
  result: PublishResult
  log: LogRecord
  /** Every HTTP call the Feishu emulator answered during the run. */
  calls: RecordedCall[]
  /** Calls that change a page (not GET, not drive metas, not the sync state's own page). */
  writes: RecordedCall[]
  /** Calls that create or write the sync state's page. */
  stateWrites: RecordedCall[]
}

export interface PublishWorld {
  emu: FeishuEmulator
  github: GitHubEmulator
  clock: Clock
  spaceId: string
  parentToken: string
  workspace: string
  docsDir: string
  write(files: Record<string, string | Uint8Array>): void
  remove(rel: string): void
  move(from: string, to: string): void
  /** Publish; `push` makes it a push event from before to after (labels seeded with addCommits). */
  publish(inputs?: Record<string, string>, options?: { push?: { before: string; after: string }; env?: Record<string, string> }): Promise<PublishRun>
  tree(): string
  /** Nodes under the parent (any depth), by title. */
  node(title: string): { node_token: string; obj_token: string; parent_node_token: string }
  close(): Promise<void>
}

export async function startPublishWorld(
  options: { files?: Record<string, string | Uint8Array>; fixture?: boolean; feishu?: FeishuEmulatorOptions; scale?: number } = {},
): Promise<PublishWorld> {
  const clock = scaledClock(options.scale ?? 50)
  const emu = await startFeishuEmulator({ clock, accessTokenTtlSeconds: 30 * 86_400, ...options.feishu })
  const github = await startGitHubEmulator({ clock, repos: [{ fullName: REPO, private: true }] })
  github.addToken('ghp_compare', { repos: [REPO], contents: 'read' })
  const spaceId = emu.createSpace({ name: 'Handbook', userIsMember: true, appIsMember: true })
  const parentToken = emu.createNode(spaceId, { title: 'Docs home', creator: 'someone-else' }).node_token
  const accessToken = emu.issueUserAccessToken()
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-publish-'))
  const docsDir = path.join(workspace, 'docs')
  fs.mkdirSync(docsDir, { recursive: true })
  fs.writeFileSync(path.join(workspace, 'LICENSE'), 'MIT\n')
  fs.mkdirSync(path.join(workspace, 'src'))
  fs.writeFileSync(path.join(workspace, 'src', 'main.ts'), 'export {}\n')
  if (options.fixture) fs.cpSync(FIXTURE, docsDir, { recursive: true })

  const write = (files: Record<string, string | Uint8Array>) => {
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(docsDir, rel)
      fs.mkdirSync(path.dirname(abs), { recursive: true })
      fs.writeFileSync(abs, content)
    }
  }
  write(options.files ?? {})

  const world: PublishWorld = {
    emu,
    github,
    clock,
    spaceId,
    parentToken,
    workspace,
    docsDir,
    write,
    remove: (rel) => fs.rmSync(path.join(docsDir, rel), { recursive: true, force: true }),
    move: (from, to) => {
      fs.mkdirSync(path.dirname(path.join(docsDir, to)), { recursive: true })
      fs.renameSync(path.join(docsDir, from), path.join(docsDir, to))
    },
    async publish(inputs = {}, runOptions = {}) {
      const all: Record<string, string> = {
        auth: 'app',
        'app-id': 'cli_emulator',
        'app-secret': 'emulator-app-secret',
        'space-id': spaceId,
        'parent-node': parentToken,
        path: 'docs',
        mode: 'all',
        'base-url': emu.url,
        'github-api-url': github.url,
        ...inputs,
      }
      const env: Record<string, string> = {
        GITHUB_WORKSPACE: workspace,
        GITHUB_REPOSITORY: REPO,
        GITHUB_REF_NAME: 'main',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_EVENT_NAME: runOptions.push ? 'push' : 'workflow_dispatch',
        ...runOptions.env,
      }
      if (runOptions.push) {
        const eventPath = path.join(workspace, '..', `${path.basename(workspace)}-event.json`)
        fs.writeFileSync(eventPath, JSON.stringify(runOptions.push))
        env.GITHUB_EVENT_PATH = eventPath
      }
      const settings = readSettings((name) => (all[name] ?? '').trim(), env)
      const docs = await loadDocs(settings)
      const log: LogRecord = { infos: [], warnings: [] }
      const feishu = new FeishuClient({ baseUrl: emu.url, accessToken: () => accessToken, clock })
      const before = emu.server.calls.length
      const result = await publishDocs({
        settings,
        docs,
        feishu,
        github: createGitHubClient({ token: 'ghp_compare', baseUrl: github.url }),
        clock,
        log: {
          info: (m) => log.infos.push(m),
          debug: () => undefined,
          warning: (message, where) => log.warnings.push({ message, where }),
        },
      })
      const calls = emu.server.calls.slice(before)
      // Writes to the pages (the sync state's own page is written when what it knows changed; drive metas is a read).
      const stateDoc = emu.nodes(spaceId).find((n) => n.title === STATE_TITLE)?.obj_token
      const isStateWrite = (c: RecordedCall) =>
        (stateDoc !== undefined && c.path.includes(stateDoc)) || (c.route === ROUTE.nodeCreate && (c.body as { title?: string })?.title === STATE_TITLE)
      const writes = calls.filter((c) => c.method !== 'GET' && c.route !== ROUTE.metasBatchQuery && !isStateWrite(c))
      const stateWrites = calls.filter((c) => c.method !== 'GET' && isStateWrite(c))
      return { result, log, calls, writes, stateWrites }
    },
    // The action's own sync-state page (src/sync/remote/state.ts) sits under the parent too; the mirrored docs are the rest.
    tree: () =>
      emu
        .renderTree(spaceId, parentToken)
        .split('\n')
        .filter((line) => line !== STATE_TITLE)
        .join('\n'),
    node(title) {
      const found = emu.nodes(spaceId).filter((n) => n.title === title)
      if (found.length !== 1) throw new Error(`${found.length} nodes titled "${title}"`)
      return found[0]!
    },
    async close() {
      await Promise.all([emu.close(), github.close()])
      fs.rmSync(workspace, { recursive: true, force: true })
    },
  }
  return world
}

/** The page results by path, as [status, reason?]. */
export function statuses(result: PublishResult): Record<string, string> {
  return Object.fromEntries(result.pages.map((p) => [p.path, p.status]))
}

/** The block id of the heading with this text in a document of the emulator (throws when there is none). */
export function headingBlockId(emu: FeishuEmulator, documentId: string, text: string): string {
  const blocks = emu.docs.listBlocks(documentId, 500).items ?? []
  const heading = blocks.find((b) => {
    if (b.block_type < 3 || b.block_type > 11) return false
    const payload = (b as unknown as Record<string, { elements?: { text_run?: { content: string } }[] }>)[`heading${b.block_type - 2}`]
    return (payload?.elements ?? []).map((e) => e.text_run?.content ?? '').join('') === text
  })
  if (!heading) throw new Error(`no heading "${text}" in ${documentId}`)
  return heading.block_id
}
