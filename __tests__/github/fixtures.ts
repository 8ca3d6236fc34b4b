// A GitHub emulator with one private repository (and an environment), tokens of every kind, and a client whose
// retry waits are recorded instead of slept.
import { type GitHubEmulator, startGitHubEmulator } from '../../emulator/github/index.js'
import { type GitHubClient, type GitHubClientOptions, type RetryEvent, createGitHubClient } from '../../src/github/client.js'

export const REPO = 'acme/handbook'
export const OWNER = 'acme'
export const NAME = 'handbook'
export const ENV = 'wiki-sync'

export const TOKENS = {
  writer: 'github_pat_writer_0001',
  /** Fine-grained PAT with the repository selected but only read access to secrets. */
  reader: 'github_pat_reader_0002',
  /** Fine-grained PAT that does not have the repository selected. */
  stranger: 'github_pat_stranger_0003',
  /** The workflow's GITHUB_TOKEN. */
  workflow: 'ghs_workflow_token_0004',
  /** Secrets write but no environments permission. */
  repoOnly: 'github_pat_repoonly_0005',
} as const

export interface Fixture {
  gh: GitHubEmulator
  client: GitHubClient
  /** Every retry wait the client asked for, in ms. */
  sleeps: number[]
  retries: RetryEvent[]
  clientFor(token: string, options?: Partial<GitHubClientOptions>): GitHubClient
  close(): Promise<void>
}

export async function startFixture(options: { privateRepo?: boolean } = {}): Promise<Fixture> {
  const gh = await startGitHubEmulator({
    repos: [
      { fullName: REPO, private: options.privateRepo ?? true, environments: [ENV, 'prod/eu'] },
      { fullName: 'acme/public-site', private: false },
    ],
  })
  gh.addToken(TOKENS.writer, { repos: [REPO], secrets: 'write', environments: 'write', contents: 'read', actions: 'read' })
  gh.addToken(TOKENS.reader, { repos: [REPO], secrets: 'read', environments: 'read', contents: 'read' })
  gh.addToken(TOKENS.stranger, { repos: ['acme/other'], secrets: 'write', environments: 'write', contents: 'read', actions: 'read' })
  gh.addToken(TOKENS.workflow, { repos: [REPO], contents: 'read', actions: 'read', kind: 'github-token' })
  gh.addToken(TOKENS.repoOnly, { repos: [REPO], secrets: 'write', contents: 'read' })
  const sleeps: number[] = []
  const retries: RetryEvent[] = []
  const clientFor = (token: string, extra: Partial<GitHubClientOptions> = {}) =>
    createGitHubClient({
      token,
      baseUrl: gh.url,
      sleep: async (ms) => {
        sleeps.push(ms)
      },
      random: () => 0.5,
      requestTimeoutMs: 2_000,
      onRetry: (e) => retries.push(e),
      ...extra,
    })
  return { gh, client: clientFor(TOKENS.writer), sleeps, retries, clientFor, close: () => gh.close() }
}
