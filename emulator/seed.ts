// A seeded outside world on loopback: both emulators, one Feishu app and user with a fresh refresh token, a
// wiki space, and a GitHub repository (with an environment) plus a token allowed to write its secrets.
// Shared by the end-to-end tests, `npm run demo`, the dogfood job and the benchmarks.
import { type FeishuEmulator, type FeishuEmulatorOptions, startFeishuEmulator } from './feishu/index.js'
import { type GitHubEmulator, startGitHubEmulator } from './github/index.js'

export interface SeedOptions {
  repo?: string
  environment?: string
  feishu?: FeishuEmulatorOptions
  feishuPort?: number
  githubPort?: number
}

export interface SeededWorld {
  feishu: FeishuEmulator
  github: GitHubEmulator
  app: { appId: string; appSecret: string }
  repo: string
  environment: string
  githubToken: string
  spaceId: string
  /** The first refresh token of the chain, as `feishu-wiki-sync auth` would have stored it. */
  seedRefreshToken: string
  close(): Promise<void>
}

export const EMULATOR_APP = { appId: 'cli_emulator', appSecret: 'emulator-app-secret' }
export const EMULATOR_GITHUB_TOKEN = 'github_pat_11WRITER0000emulator0secrets'

export async function startSeededWorld(options: SeedOptions = {}): Promise<SeededWorld> {
  const repo = options.repo ?? 'acme/handbook'
  const environment = options.environment ?? 'wiki-sync'
  const feishu = await startFeishuEmulator({ app: EMULATOR_APP, ...options.feishu }, options.feishuPort)
  const github = await startGitHubEmulator(
    { clock: options.feishu?.clock, repos: [{ fullName: repo, private: true, environments: [environment] }] },
    options.githubPort,
  )
  github.addToken(EMULATOR_GITHUB_TOKEN, { repos: [repo], secrets: 'write', environments: 'write', contents: 'read', actions: 'read' })
  const seedRefreshToken = feishu.issueRefreshToken()
  const spaceId = feishu.createSpace({ name: 'Handbook', userIsMember: true, appIsMember: true })
  return {
    feishu,
    github,
    app: EMULATOR_APP,
    repo,
    environment,
    githubToken: EMULATOR_GITHUB_TOKEN,
    spaceId,
    seedRefreshToken,
    close: async () => {
      await Promise.all([feishu.close(), github.close()])
    },
  }
}
