// Inputs → one immutable, typed Settings object. Everything here is checked before any network call, and
// every problem names the input it comes from. All problems are reported at once, so one run fixes them all.
import fs from 'node:fs'
import path from 'node:path'
import { LineCounter, isMap, isNode, isSeq, parseDocument } from 'yaml'

export type AuthMode = 'user' | 'app'
export type SyncMode = 'auto' | 'changed' | 'all' | 'rotate-only' | 'check'
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

/** One docs folder (or file) and where it goes: the `path`/`space-id`/`parent-node`/`exclude` inputs, or one entry of `mappings`. */
export interface Mapping {
  /** Absolute path of the docs folder or file. */
  readonly docsPath: string
  /** The same, relative to the workspace (POSIX), as written in the summary and in GitHub links. */
  readonly docsPathInRepo: string
  readonly spaceId?: string
  readonly parentNode?: string
  readonly exclude: readonly string[]
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
  /** Every docs folder of the run, each into its own parent (one entry from the single-folder inputs). */
  readonly mappings: readonly Mapping[]
  readonly mode: SyncMode
  readonly dryRun: boolean
  /** mode: check fails the step on warnings too. */
  readonly failOnWarning: boolean
  readonly baseUrl: string
  readonly onDelete: OnDelete
  /** Pages one run may archive or delete, past the safety caps; undefined keeps the caps. */
  readonly maxRemovals?: number
  readonly onRemoteEdit: OnRemoteEdit
  readonly failOnError: boolean
  /** How a PlantUML fence becomes a whiteboard: editable shapes, or one picture whose PlantUML stays editable. */
  readonly plantumlStyle: 'board' | 'classic'
  /** Stop starting new pages when this much of the run's time is used (minutes); undefined: no budget. */
  readonly timeBudgetMinutes?: number
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
  const mode = oneOf<SyncMode>('mode', ['auto', 'changed', 'all', 'rotate-only', 'check'], 'auto')
  // mode: check reads the docs and nothing else: no secret, no token, no network.
  const check = mode === 'check'
  const onDelete = oneOf<OnDelete>('on-delete', ['report', 'archive', 'delete'], 'report')
  const onRemoteEdit = oneOf<OnRemoteEdit>('on-remote-edit', ['overwrite', 'keep', 'fail'], 'overwrite')
  const dryRun = bool('dry-run', false)
  const maxRemovalsText = input('max-removals')
  const maxRemovals = maxRemovalsText === '' ? undefined : Number(maxRemovalsText)
  if (maxRemovals !== undefined && !(Number.isInteger(maxRemovals) && maxRemovals >= 0)) {
    problem('max-removals', `must be a whole number of pages (0 or more), or empty for the safety caps; got '${maxRemovalsText}'.`)
  }
  const failOnError = bool('fail-on-error', true)
  const failOnWarning = bool('fail-on-warning', false)
  const plantumlStyle = oneOf<'board' | 'classic'>('plantuml-style', ['board', 'classic'], 'board')
  const budgetInput = input('time-budget-minutes')
  const timeBudgetMinutes = budgetInput ? Number(budgetInput) : undefined
  if (timeBudgetMinutes !== undefined && !(Number.isFinite(timeBudgetMinutes) && timeBudgetMinutes >= 1)) {
    problem('time-budget-minutes', `must be a number of minutes, at least 1 (e.g. 30, with the job's timeout-minutes a few minutes above it); got '${budgetInput}'.`)
  }

  const appId = input('app-id')
  if (!appId && !check) problem('app-id', 'is required: the App ID of your Feishu/Lark app (cli_…), from the developer console.')
  const appSecret = input('app-secret')
  if (!appSecret && !check) problem('app-secret', 'is required: the App Secret of your Feishu/Lark app, e.g. ${{ secrets.FEISHU_APP_SECRET }}.')

  const refreshToken = input('refresh-token') || undefined
  const githubToken = input('github-token') || undefined
  // It goes into an HTTP header, where fetch would refuse it and quote it in its error.
  if (githubToken && !/^[\x20-\x7e]+$/.test(githubToken)) {
    problem('github-token', 'holds a line break or another character that cannot be sent in an HTTP header: copy the token again (its value is not shown).')
  }
  if (auth === 'user' && !check) {
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
  if (spaceId === 'my_library' && auth === 'app') {
    problem('space-id', 'my_library is the personal library of a user; it needs auth: user (an app has no library).')
  }

  const baseUrl = url('base-url', input('base-url') || 'https://open.feishu.cn')
  const githubApiUrl = url('github-api-url', input('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com')

  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const mappings = readMappings(input, { workspace, mode, auth, spaceId, problem })
  const first = mappings[0] ?? { docsPath: path.resolve(workspace, 'docs'), docsPathInRepo: 'docs', exclude: [] }
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  if (REFUSED_EVENTS.has(eventName) && !check && (auth === 'user' || !dryRun)) {
    problem(
      'auth',
      auth === 'user'
        ? `refusing to run on ${eventName}: a Feishu refresh token works once, and pull-request runs (possibly from forks, which get no secrets) must not spend it. Run this action on push, workflow_dispatch and schedule only, and use mode: check on pull requests (it needs no secret and spends nothing).`
        : `refusing to publish on ${eventName}: an unmerged pull request must not change the wiki. Use mode: check on pull requests (no secret, no network), or dry-run: true to preview the plan.`,
    )
  }

  let repository: Settings['repository']
  const fullName = env.GITHUB_REPOSITORY ?? ''
  const [owner, repo, ...rest] = fullName.split('/')
  if (owner && repo && rest.length === 0) {
    repository = { owner, repo }
  } else if (auth === 'user' && !check) {
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
    spaceId: first.spaceId,
    parentNode: first.parentNode,
    docsPath: first.docsPath,
    docsPathInRepo: first.docsPathInRepo,
    exclude: first.exclude,
    mappings: Object.freeze(mappings),
    mode,
    dryRun,
    failOnWarning,
    baseUrl,
    onDelete,
    ...(maxRemovals !== undefined ? { maxRemovals } : {}),
    onRemoteEdit,
    failOnError,
    plantumlStyle,
    ...(timeBudgetMinutes !== undefined ? { timeBudgetMinutes } : {}),
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

interface MappingContext {
  workspace: string
  mode: SyncMode
  auth: AuthMode
  /** The `space-id` input: the space of every mapping that names none. */
  spaceId?: string
  problem: (input: string, message: string) => void
}

const MAPPING_KEYS = ['path', 'space-id', 'parent-node', 'exclude']

/**
 * The docs folders of the run. Without `mappings`: one, from `path`, `space-id`, `parent-node` and `exclude`
 * (exactly as before mappings existed). With it: a YAML list, one entry per folder, e.g.
 *
 *   mappings: |
 *     - path: docs
 *       parent-node: wikcnDocs
 *     - path: handbook
 *       space-id: "7034502641455497245"
 *       parent-node: wikcnHandbook
 *       exclude: [drafts/**]
 *
 * Checked here, before the token is spent: every path exists inside the workspace, no path is inside another
 * (a file would have two pages), and no two mappings share a parent (each would remove the other's pages).
 */
function readMappings(input: InputReader, ctx: MappingContext): Mapping[] {
  const { mode, problem } = ctx
  const publishes = mode !== 'rotate-only'
  const text = input('mappings')
  if (!text) {
    const mapping = mappingOf(ctx, 'path', input('path') || 'docs', ctx.spaceId, input('parent-node') || undefined, lines(input('exclude')))
    if (publishes && mode !== 'check' && !ctx.spaceId) {
      problem('space-id', 'is required unless mode is rotate-only or check: the wiki space id (from the space URL or settings), or my_library.')
    }
    return [mapping]
  }
  for (const name of ['parent-node', 'exclude']) {
    if (input(name)) problem(name, `cannot be combined with mappings: give each mapping its own ${name}.`)
  }
  if (input('path') && input('path') !== 'docs') problem('path', 'cannot be combined with mappings: give each mapping its own path.')

  const lineCounter = new LineCounter()
  // failsafe: every scalar is a string, so a numeric space id keeps all its digits.
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter })
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!
    problem('mappings', `is not valid YAML (line ${error.linePos?.[0].line ?? 1}): ${error.message.split('\n')[0]}`)
    return []
  }
  const list = doc.contents
  if (!isSeq(list) || list.items.length === 0) {
    problem('mappings', 'must be a YAML list with one entry per docs folder: "- path: docs" on a line, then "  space-id: …" and "  parent-node: …" under it.')
    return []
  }
  const mappings: Mapping[] = []
  const where = new Map<Mapping, number>()
  for (const item of list.items) {
    const line = isNode(item) && item.range ? lineCounter.linePos(item.range[0]).line : 1
    const at = `mapping on line ${line}`
    if (!isMap(item)) {
      problem('mappings', `${at} must be a map with path, space-id, parent-node and exclude (only path is required).`)
      continue
    }
    const value = item.toJSON() as Record<string, unknown>
    for (const key of Object.keys(value)) {
      if (!MAPPING_KEYS.includes(key)) problem('mappings', `${at} has an unknown key '${key}'; the keys are ${MAPPING_KEYS.join(', ')}.`)
    }
    const str = (key: string): string | undefined => {
      const v = value[key]
      if (v === undefined || v === null) return undefined
      if (typeof v !== 'string') {
        problem('mappings', `${at}: ${key} must be a single value.`)
        return undefined
      }
      return v.trim() || undefined
    }
    const exclude = value.exclude
    const globs = Array.isArray(exclude) ? exclude.map(String).map((g) => g.trim()).filter(Boolean) : lines(typeof exclude === 'string' ? exclude : '')
    const docsInput = str('path')
    if (!docsInput) {
      problem('mappings', `${at} has no path: the docs folder (or .md file) to publish, relative to the repository.`)
      continue
    }
    const spaceId = str('space-id') ?? ctx.spaceId
    if (publishes && mode !== 'check' && !spaceId) {
      problem('mappings', `${at} (${docsInput}) has no space-id, and the space-id input gives none for all mappings.`)
    }
    if (spaceId === 'my_library' && ctx.auth === 'app') problem('mappings', `${at}: my_library needs auth: user (an app has no library).`)
    const mapping = mappingOf(ctx, `mappings (${at})`, docsInput, spaceId, str('parent-node'), globs)
    mappings.push(mapping)
    where.set(mapping, line)
  }

  // Overlap and shared parents, pair by pair (a handful of mappings).
  for (const [i, a] of mappings.entries()) {
    for (const b of mappings.slice(i + 1)) {
      const la = where.get(a)
      const lb = where.get(b)
      if (contains(a.docsPathInRepo, b.docsPathInRepo) || contains(b.docsPathInRepo, a.docsPathInRepo)) {
        problem(
          'mappings',
          `the mappings on lines ${la} (${a.docsPathInRepo}) and ${lb} (${b.docsPathInRepo}) overlap: a file would have a page in each. ` +
            'Give each mapping its own folder, or leave the inner folder out of the outer mapping with exclude.',
        )
      }
      if (a.spaceId !== undefined && a.spaceId === b.spaceId && parentToken(a.parentNode) === parentToken(b.parentNode)) {
        problem(
          'mappings',
          `the mappings on lines ${la} and ${lb} publish into the same parent (${a.parentNode ? `parent-node ${a.parentNode}` : `the top of space ${a.spaceId}`}): ` +
            "each mapping owns its parent's pages, so each needs its own parent-node.",
        )
      }
    }
  }
  return mappings
}

function mappingOf(
  ctx: MappingContext,
  inputName: string,
  docsInput: string,
  spaceId: string | undefined,
  parentNode: string | undefined,
  exclude: string[],
): Mapping {
  const { workspace, problem } = ctx
  const docsPath = path.resolve(workspace, docsInput)
  const docsPathInRepo = path.relative(workspace, docsPath).split(path.sep).join('/') || '.'
  if (ctx.mode !== 'rotate-only') {
    if (docsPathInRepo.startsWith('..')) {
      problem(inputName, `'${docsInput}' is outside the workspace ${workspace}.`)
    } else if (!fs.existsSync(docsPath)) {
      problem(inputName, `'${docsInput}' does not exist in ${workspace}. Did the job run actions/checkout before this step?`)
    } else if (fs.statSync(docsPath).isFile() && !docsPath.endsWith('.md')) {
      problem(inputName, `'${docsInput}' is a file but not a Markdown (.md) file.`)
    }
  }
  return Object.freeze({ docsPath, docsPathInRepo, spaceId, parentNode, exclude: Object.freeze(exclude) })
}

/** Non-empty lines that are not # comments. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
}

/** `inner` is `outer` or lies inside it (repo paths, POSIX; "." is the whole repository). */
function contains(outer: string, inner: string): boolean {
  return outer === '.' || inner === outer || inner.startsWith(`${outer}/`)
}

/** A parent-node as a node token: a wiki page URL names it in its last path segment (as publishDocs reads it). */
function parentToken(parentNode: string | undefined): string {
  const trimmed = (parentNode ?? '').trim()
  return /\/wiki\/([A-Za-z0-9]+)/.exec(trimmed)?.[1] ?? trimmed
}
