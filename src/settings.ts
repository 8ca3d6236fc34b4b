// Inputs → one immutable, typed Settings object. Everything here is checked before any network call, and
// every problem names the input it comes from. All problems are reported at once, so one run fixes them all.
import fs from 'node:fs'
import path from 'node:path'

export type AuthMode = 'user' | 'app'
export type SyncMode = 'auto' | 'changed' | 'all' | 'rotate-only'
export type OnDelete = 'report' | 'archive' | 'delete'
/** A page of the action's edited in Feishu since its last write: overwrite it, keep it (reported), or fail the step. */
export type OnRemoteEdit = 'overwrite' | 'keep' | 'fail'

export interface SecretSettings {
  name: string
  /** When set, the secret is this environment's secret. */
  environment?: string
}

export interface PushEvent {
  before?: string
  after?: string
}

export interface Settings {
  readonly auth: AuthMode
  readonly appId: string
  readonly appSecret: string
  readonly refreshToken?: string
  readonly githubToken?: string
  readonly secret: SecretSettings
  readonly spaceId?: string
  readonly parentNode?: string
  /** Absolute path of the docs folder or file. */
  readonly docsPath: string
  /** The same, relative to the workspace (POSIX), as written in the summary and in GitHub links. */
  readonly docsPathInRepo: string
  readonly exclude: readonly string[]
  readonly mode: SyncMode
  readonly dryRun: boolean
  readonly baseUrl: string
  readonly onDelete: OnDelete
  readonly onRemoteEdit: OnRemoteEdit
  readonly failOnError: boolean
  /** How a PlantUML fence becomes a whiteboard: editable shapes, or one picture whose PlantUML stays editable. */
  readonly plantumlStyle: 'board' | 'classic'
  readonly githubApiUrl: string
  readonly githubServerUrl: string
  readonly repository?: { owner: string; repo: string }
  readonly eventName: string
  readonly push: PushEvent
  readonly ref: string
  readonly refName: string
  readonly runId?: number
  readonly workspace: string
  readonly workflowRef?: string
}

export class SettingsError extends Error {
  constructor(readonly problems: readonly { input: string; message: string }[]) {
    super(problems.map((p) => `Input '${p.input}': ${p.message}`).join('\n'))
    this.name = 'SettingsError'
  }
}

export type InputReader = (name: string) => string

/** Reads inputs the way the runner passes them: INPUT_<NAME> with spaces as underscores and hyphens kept. */
export function envInputReader(env: NodeJS.ProcessEnv): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

// https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#naming-your-secrets
const SECRET_NAME = /^(?!GITHUB_)(?![0-9])[A-Za-z0-9_]+$/i
const REFUSED_EVENTS = new Set(['pull_request', 'pull_request_target'])

export function readSettings(input: InputReader, env: NodeJS.ProcessEnv = process.env): Settings {
  const problems: { input: string; message: string }[] = []
  const problem = (name: string, message: string): void => {
    problems.push({ input: name, message })
  }
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = (input(name) || fallback).toLowerCase()
    if ((allowed as readonly string[]).includes(value)) return value as T
    problem(name, `must be one of ${allowed.join(', ')}; got '${input(name)}'.`)
    return fallback
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const value = input(name)
    if (value === '') return fallback
    // The YAML 1.2 core schema booleans, as core.getBooleanInput accepts them.
    if (['true', 'True', 'TRUE'].includes(value)) return true
    if (['false', 'False', 'FALSE'].includes(value)) return false
    problem(name, `must be true or false; got '${value}'.`)
    return fallback
  }
  const url = (name: string, value: string): string => {
    let parsed: URL
    try {
      parsed = new URL(value)
    } catch {
      problem(name, `must be an absolute URL such as https://open.feishu.cn; got '${value}'.`)
      return value
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
      problem(name, `must use https (plain http is accepted only for a loopback emulator); got '${value}'.`)
    }
    return value.replace(/\/+$/, '')
  }

  const auth = oneOf<AuthMode>('auth', ['user', 'app'], 'user')
  const mode = oneOf<SyncMode>('mode', ['auto', 'changed', 'all', 'rotate-only'], 'auto')
  const onDelete = oneOf<OnDelete>('on-delete', ['report', 'archive', 'delete'], 'report')
  const onRemoteEdit = oneOf<OnRemoteEdit>('on-remote-edit', ['overwrite', 'keep', 'fail'], 'overwrite')
  const dryRun = bool('dry-run', false)
  const failOnError = bool('fail-on-error', true)
  const plantumlStyle = oneOf<'board' | 'classic'>('plantuml-style', ['board', 'classic'], 'board')

  const appId = input('app-id')
  if (!appId) problem('app-id', 'is required: the App ID of your Feishu/Lark app (cli_…), from the developer console.')
  const appSecret = input('app-secret')
  if (!appSecret) problem('app-secret', 'is required: the App Secret of your Feishu/Lark app, e.g. ${{ secrets.FEISHU_APP_SECRET }}.')

  const refreshToken = input('refresh-token') || undefined
  const githubToken = input('github-token') || undefined
  if (auth === 'user') {
    if (!refreshToken) {
      problem('refresh-token', 'is required with auth: user, e.g. ${{ secrets.FEISHU_REFRESH_TOKEN }}. Run `npx feishu-wiki-sync auth` once to create it.')
    }
    if (!githubToken) {
      problem(
        'github-token',
        "is required with auth: user, to save the rotated refresh token: a fine-grained token with 'Secrets: read and write' (or 'Environments: read and write' for an environment secret). The workflow's GITHUB_TOKEN cannot write secrets.",
      )
    }
  }

  const secretName = input('secret-name') || 'FEISHU_REFRESH_TOKEN'
  if (!SECRET_NAME.test(secretName)) {
    problem('secret-name', `'${secretName}' is not a valid secret name: use only letters, digits and _, not starting with GITHUB_ or a digit.`)
  }
  const environment = input('secret-environment') || undefined

  const spaceId = input('space-id') || undefined
  if (mode !== 'rotate-only' && !spaceId) {
    problem('space-id', 'is required unless mode is rotate-only: the wiki space id (from the space URL or settings), or my_library.')
  }
  if (spaceId === 'my_library' && auth === 'app') {
    problem('space-id', 'my_library is the personal library of a user; it needs auth: user (an app has no library).')
  }
  const parentNode = input('parent-node') || undefined

  const baseUrl = url('base-url', input('base-url') || 'https://open.feishu.cn')
  const githubApiUrl = url('github-api-url', input('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com')

  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const docsInput = input('path') || 'docs'
  const docsPath = path.resolve(workspace, docsInput)
  const docsPathInRepo = path.relative(workspace, docsPath).split(path.sep).join('/') || '.'
  if (mode !== 'rotate-only') {
    if (docsPathInRepo.startsWith('..')) {
      problem('path', `'${docsInput}' is outside the workspace ${workspace}.`)
    } else if (!fs.existsSync(docsPath)) {
      problem('path', `'${docsInput}' does not exist in ${workspace}. Did the job run actions/checkout before this step?`)
    } else if (fs.statSync(docsPath).isFile() && !docsPath.endsWith('.md')) {
      problem('path', `'${docsInput}' is a file but not a Markdown (.md) file.`)
    }
  }
  const exclude = input('exclude')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))

  const eventName = env.GITHUB_EVENT_NAME ?? ''
  if (REFUSED_EVENTS.has(eventName) && (auth === 'user' || !dryRun)) {
    problem(
      'auth',
      auth === 'user'
        ? `refusing to run on ${eventName}: a Feishu refresh token works once, and pull-request runs (possibly from forks, which get no secrets) must not spend it. Run this action on push, workflow_dispatch and schedule only.`
        : `refusing to publish on ${eventName}: an unmerged pull request must not change the wiki. Use dry-run: true to preview the plan on pull requests.`,
    )
  }

  let repository: Settings['repository']
  const fullName = env.GITHUB_REPOSITORY ?? ''
  const [owner, repo, ...rest] = fullName.split('/')
  if (owner && repo && rest.length === 0) {
    repository = { owner, repo }
  } else if (auth === 'user') {
    problem('github-token', `GITHUB_REPOSITORY is '${fullName}', not owner/name: the secret's repository is unknown.`)
  }

  if (problems.length > 0) throw new SettingsError(problems)
  const runId = Number(env.GITHUB_RUN_ID)
  return Object.freeze({
    auth,
    appId,
    appSecret,
    refreshToken,
    githubToken,
    secret: Object.freeze({ name: secretName, environment }),
    spaceId,
    parentNode,
    docsPath,
    docsPathInRepo,
    exclude: Object.freeze(exclude),
    mode,
    dryRun,
    baseUrl,
    onDelete,
    onRemoteEdit,
    failOnError,
    plantumlStyle,
    githubApiUrl,
    githubServerUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    repository,
    eventName,
    push: Object.freeze(readPushEvent(env)),
    ref: env.GITHUB_REF ?? '',
    refName: env.GITHUB_REF_NAME ?? '',
    runId: Number.isInteger(runId) && runId > 0 ? runId : undefined,
    workspace,
    workflowRef: env.GITHUB_WORKFLOW_REF || undefined,
  })
}

function readPushEvent(env: NodeJS.ProcessEnv): PushEvent {
  if (env.GITHUB_EVENT_NAME !== 'push' || !env.GITHUB_EVENT_PATH) return {}
  try {
    const payload = JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { before?: unknown; after?: unknown }
    return {
      before: typeof payload.before === 'string' ? payload.before : undefined,
      after: typeof payload.after === 'string' ? payload.after : undefined,
    }
  } catch {
    return {}
  }
}
