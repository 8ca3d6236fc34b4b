// What the GitHub emulator remembers: repositories, their environments, sealing keys, secrets, commits and runs.
import type { Clock } from '../core/clock.js'
import { type SealingKey, newSealingKey } from './keys.js'

export interface StoredSecret {
  /** Name as GitHub reports it: upper-cased (secret names are case-insensitive). */
  name: string
  /** The plaintext, opened with the scope's private key. */
  value: string
  encrypted_value: string
  key_id: string
  created_at: string
  updated_at: string
}

export interface SecretScope {
  key: SealingKey
  secrets: Map<string, StoredSecret>
}

export interface EnvironmentState extends SecretScope {
  id: number
  name: string
  createdAt: string
}

export interface CommitNode {
  sha: string
  /** The label the test used (a branch-like name or the SHA itself). */
  label: string
  parent?: string
  /** The change from the parent to this commit. */
  files: FileChange[]
  message: string
  date: string
}

export interface FileChange {
  filename: string
  status: 'added' | 'modified' | 'removed' | 'renamed' | 'copied' | 'changed' | 'unchanged'
  previous_filename?: string
  additions?: number
  deletions?: number
}

export interface RunState {
  id: number
  createdAt: string
  runStartedAt: string
  runAttempt: number
  status: string
  conclusion: string | null
  headSha: string
}

export interface RepoState extends SecretScope {
  id: number
  owner: string
  name: string
  fullName: string
  private: boolean
  defaultBranch: string
  environments: Map<string, EnvironmentState>
  commits: Map<string, CommitNode>
  /** Label → SHA. */
  labels: Map<string, string>
  /** The newest head added: what the default branch points to. */
  branchHead?: string
  runs: Map<number, RunState>
}

/** GitHub's timestamp format: ISO 8601 in UTC without fractional seconds. */
export function timestamp(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

let nextId = 1_296_269

export function newRepo(spec: { fullName: string; private?: boolean; environments?: string[]; defaultBranch?: string }, clock: Clock): RepoState {
  const [owner, name, ...rest] = spec.fullName.split('/')
  if (!owner || !name || rest.length) throw new Error(`repository must be "owner/name", got "${spec.fullName}"`)
  const repo: RepoState = {
    id: nextId++,
    owner,
    name,
    fullName: `${owner}/${name}`,
    private: spec.private ?? true,
    defaultBranch: spec.defaultBranch ?? 'main',
    key: newSealingKey(),
    secrets: new Map(),
    environments: new Map(),
    commits: new Map(),
    labels: new Map(),
    runs: new Map(),
  }
  for (const env of spec.environments ?? []) addEnvironment(repo, env, clock)
  return repo
}

export function addEnvironment(repo: RepoState, name: string, clock: Clock): EnvironmentState {
  const env: EnvironmentState = { id: nextId++, name, createdAt: timestamp(clock), key: newSealingKey(), secrets: new Map() }
  // Environment names are case-insensitive on GitHub.
  repo.environments.set(name.toLowerCase(), env)
  return env
}
