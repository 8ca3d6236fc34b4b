// A whole outside world on loopback for end-to-end tests: the Feishu and GitHub emulators, a repository with
// an environment, a GitHub token allowed to write its secrets, a Feishu user with a fresh refresh token, and
// a wiki space. `world.run()` runs the bundled action against it, feeding it the refresh token the previous
// run stored, exactly as the next workflow run would read it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RecordedCall } from '../../emulator/core/server.js'
import { type FeishuEmulator, type FeishuEmulatorOptions, type FeishuState, ROUTE } from '../../emulator/feishu/index.js'
import type { GitHubEmulator, GitHubState } from '../../emulator/github/index.js'
import { EMULATOR_APP, EMULATOR_GITHUB_TOKEN, startSeededWorld } from '../../emulator/seed.js'
import { STATE_TITLE } from '../../src/sync/remote/state.js'
import { type ActionRun, type RunActionOptions, runAction } from './action-runner.js'

export const REPO = 'acme/handbook'
export const ENVIRONMENT = 'wiki-sync'
export const GITHUB_TOKEN = EMULATOR_GITHUB_TOKEN
export const APP = EMULATOR_APP

export interface World {
  feishu: FeishuEmulator
  github: GitHubEmulator
  spaceId: string
  workspace: string
  /** The refresh token a run would read from the secret now (the stored value, or the seed before any run). */
  currentRefreshToken(): string
  inputs(overrides?: Record<string, string>): Record<string, string>
  run(options?: Partial<RunActionOptions> & { inputs?: Record<string, string> }): Promise<ActionRun>
  /** Every run made in this world, for leak scans. */
  readonly runs: ActionRun[]
  /** Every secret value this world has issued or used: for leak scans. */
  secrets(): string[]
  /** Both emulators' state and what the world knows (space, seed token, secrets issued), for `restore`. */
  save(): SavedWorld
  close(): Promise<void>
}

export interface SavedWorld {
  feishu: FeishuState
  github: GitHubState
  spaceId: string
  seed: string
  secrets: string[]
}

export interface WorldOptions {
  feishu?: FeishuEmulatorOptions
  environmentSecret?: boolean
  /** false: no secret holds the seed token yet (as before `feishu-wiki-sync auth`); default: the secret holds it. */
  seedSecret?: boolean
  /** Files to write into the workspace, path → content. */
  files?: Record<string, string | Uint8Array>
  /**
   * Start from a saved world instead of a fresh seed: the emulators remember what they remembered then (the
   * call logs start empty). The Feishu clock should continue from `restore.feishu.at`.
   */
  restore?: SavedWorld
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const seeded = await startSeededWorld({
    repo: REPO,
    environment: ENVIRONMENT,
    feishu: options.feishu,
    ...(options.seedSecret === false ? {} : { seedSecret: { environment: options.environmentSecret === true } }),
  })
  const { feishu, github } = seeded
  if (options.restore) {
    feishu.restoreState(options.restore.feishu)
    github.restoreState(options.restore.github)
  }
  const spaceId = options.restore?.spaceId ?? seeded.spaceId
  const seed = options.restore?.seed ?? seeded.seedRefreshToken
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-ws-'))
  fs.mkdirSync(path.join(workspace, 'docs'), { recursive: true })
  for (const [file, content] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true })
    fs.writeFileSync(path.join(workspace, file), content)
  }
  const environment = options.environmentSecret ? ENVIRONMENT : undefined
  const issued = new Set<string>([seed, APP.appSecret, GITHUB_TOKEN, ...(options.restore?.secrets ?? [])])
  const runs: ActionRun[] = []

  const currentRefreshToken = (): string => github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN', environment) ?? seed

  const inputs = (overrides: Record<string, string> = {}): Record<string, string> => ({
    'app-id': APP.appId,
    'app-secret': APP.appSecret,
    'refresh-token': currentRefreshToken(),
    'github-token': GITHUB_TOKEN,
    'secret-name': 'FEISHU_REFRESH_TOKEN',
    'secret-environment': environment ?? '',
    'space-id': spaceId,
    'parent-node': '',
    path: 'docs',
    exclude: '',
    mode: 'rotate-only',
    'dry-run': 'false',
    'base-url': feishu.url,
    'on-delete': 'report',
    'fail-on-error': 'true',
    'github-api-url': github.url,
    auth: 'user',
    ...overrides,
  })

  return {
    feishu,
    github,
    spaceId,
    workspace,
    currentRefreshToken,
    inputs,
    async run(runOptions = {}) {
      const run = await runAction({
        workspace,
        ...runOptions,
        inputs: inputs(runOptions.inputs),
        env: { GITHUB_REPOSITORY: REPO, GITHUB_API_URL: github.url, ...runOptions.env },
      })
      // Remember every token the chain produced, so leak scans cover them all.
      const live = feishu.liveRefreshToken()
      if (live) issued.add(live)
      const stored = github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN', environment)
      if (stored) issued.add(stored)
      for (const value of run.masked) issued.add(value)
      runs.push(run)
      return run
    },
    runs,
    secrets: () => [...issued],
    save: () => ({ feishu: feishu.saveState(), github: github.saveState(), spaceId, seed, secrets: [...issued] }),
    async close() {
      await seeded.close()
      fs.rmSync(workspace, { recursive: true, force: true })
    },
  }
}

/**
 * Wiki, docx and drive calls since call index `from` that change a published page: the token refresh, drive
 * metas reads and the writes of the action's own sync-state page (rewritten whenever what it knows changes) left out.
 */
export function contentWrites(world: Pick<World, 'feishu' | 'spaceId'>, from: number): RecordedCall[] {
  const state = world.feishu.nodes(world.spaceId).find((n) => n.title === STATE_TITLE)
  return world.feishu.server.calls
    .slice(from)
    .filter((c) => c.method !== 'GET' && /^(wiki|docx|drive)\./.test(c.route) && c.route !== ROUTE.metasBatchQuery)
    .filter((c) => !(state && c.path.includes(state.obj_token)) && !(c.route === ROUTE.nodeCreate && (c.body as { title?: string })?.title === STATE_TITLE))
}
