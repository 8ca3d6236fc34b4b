// A seeded outside world on loopback: both emulators, one Feishu app and user with a fresh refresh token, a
// wiki space, and a GitHub repository (with an environment) plus a token allowed to write its secrets.
// Shared by the end-to-end tests, `npm run demo`, the dogfood job and the benchmarks.
import sodium from 'libsodium-wrappers'
import { type FeishuEmulator, type FeishuEmulatorOptions, startFeishuEmulator } from './feishu/index.js'
import { type GitHubEmulator, startGitHubEmulator } from './github/index.js'

export interface SeedOptions {
  repo?: string
  environment?: string
  feishu?: FeishuEmulatorOptions
  feishuPort?: number
  githubPort?: number
  /**
   * Store the seed refresh token in this secret (sealed and PUT through the emulator's own API, as
   * `feishu-wiki-sync auth` does): a run refuses a secret that does not exist, since it cannot have read its token
   * from it. `environment: true` means the seeded environment's secret.
   */
  seedSecret?: { name?: string; environment?: boolean }
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
  if (options.seedSecret) {
    await storeSecret(github.url, repo, options.seedSecret.name ?? 'FEISHU_REFRESH_TOKEN', seedRefreshToken, {
      publicKey: github.publicKey(repo, options.seedSecret.environment ? environment : undefined),
      environment: options.seedSecret.environment ? environment : undefined,
    })
    // Setting up the world is not part of what a test observes.
    github.server.calls.length = 0
  }
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

/** PUT a sealed secret through the GitHub emulator's REST API, exactly as a client would. */
export async function storeSecret(
  githubUrl: string,
  repo: string,
  name: string,
  value: string,
  where: { publicKey: { key_id: string; key: string }; environment?: string },
): Promise<void> {
  await sodium.ready
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), sodium.from_base64(where.publicKey.key, sodium.base64_variants.ORIGINAL))
  const scope = where.environment ? `environments/${encodeURIComponent(where.environment)}/secrets` : 'actions/secrets'
  const res = await fetch(`${githubUrl}/repos/${repo}/${scope}/${name}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${EMULATOR_GITHUB_TOKEN}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' },
    body: JSON.stringify({ encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL), key_id: where.publicKey.key_id }),
  })
  if (!res.ok) throw new Error(`seeding secret ${name}: GitHub emulator answered ${res.status} ${await res.text()}`)
}
