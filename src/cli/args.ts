// Command-line parsing (node:util parseArgs, strict) and validation. Every problem is a UsageError: exit code 2,
// one clear sentence, nothing spent. No flag takes a secret: values passed as flags land in shell history.
import path from 'node:path'
import { parseArgs } from 'node:util'
import { SECRET_NAME } from '../github/secrets.js'
import { accountsUrlFor, isLoopbackHost } from '../feishu/oauth.js'

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

export const DEFAULT_BASE_URL = 'https://open.feishu.cn'
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com'
export const DEFAULT_SECRET = 'FEISHU_REFRESH_TOKEN'
/** Feishu matches the registered redirect URL exactly (error 20029), so the port is fixed unless --port says otherwise. */
export const DEFAULT_PORT = 8123

export interface Repository {
  owner: string
  repo: string
}

export interface CommonOptions {
  repo?: Repository
  environment?: string
  secretName: string
  /** True when --secret-name was given (doctor then prefers it over the workflow's). */
  secretNameGiven: boolean
  appId?: string
  baseUrl: string
  githubApiUrl: string
}

export interface AuthOptions extends CommonOptions {
  appId: string
  accountsUrl: string
  flow: 'device' | 'browser'
  port: number
  open: boolean
  print: boolean
}

export interface DoctorOptions extends CommonOptions {
  workflow?: string
  spaceId?: string
  parentNode?: string
  baseUrlGiven: boolean
}

type Spec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>

const COMMON: Spec = {
  repo: { type: 'string' },
  environment: { type: 'string' },
  'secret-name': { type: 'string' },
  'app-id': { type: 'string' },
  'base-url': { type: 'string' },
  'github-api-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
}

export const AUTH_SPEC: Spec = {
  ...COMMON,
  'accounts-url': { type: 'string' },
  browser: { type: 'boolean' },
  port: { type: 'string' },
  'no-open': { type: 'boolean' },
  print: { type: 'boolean' },
}

export const DOCTOR_SPEC: Spec = {
  ...COMMON,
  workflow: { type: 'string' },
  'space-id': { type: 'string' },
  'parent-node': { type: 'string' },
}

export interface CheckOptions {
  /** Docs folders (or .md files), relative to `root`; none = docs. */
  paths: string[]
  exclude: string[]
  failOnWarning: boolean
  /** The repository root: links and images resolve inside it. */
  root: string
}

export const CHECK_SPEC: Spec = {
  exclude: { type: 'string', multiple: true },
  'fail-on-warning': { type: 'boolean' },
  root: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
}

/** Flags people try for secrets; refused with a pointer to the environment variable, never echoing the value. */
const SECRET_FLAGS: Record<string, string> = {
  'app-secret': 'The app secret is never taken as a flag (it would stay in your shell history): set FEISHU_APP_SECRET, or run on a terminal to be asked for it.',
  'github-token': 'The GitHub token is never taken as a flag: set GH_TOKEN (or GITHUB_TOKEN), or sign in with `gh auth login`.',
  token: 'Tokens are never taken as flags: set GH_TOKEN for GitHub and FEISHU_APP_SECRET for the app secret.',
  'refresh-token': 'This command creates the refresh token; it never takes one.',
}

export type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] }

export function parseFlags(command: string, argv: string[], spec: Spec): Parsed {
  for (const arg of argv) {
    if (arg === '--') break
    const name = /^--([^=]+)/.exec(arg)?.[1]
    if (name && SECRET_FLAGS[name]) throw new UsageError(`--${name} is not accepted. ${SECRET_FLAGS[name]}`, command)
  }
  try {
    const parsed = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true })
    return parsed as Parsed
  } catch (error) {
    throw new UsageError(rewordParseError(error, command, spec), command)
  }
}

function rewordParseError(error: unknown, command: string, spec: Spec): string {
  const e = error as { code?: string; message?: string }
  const message = e.message ?? String(error)
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1]
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const guess = option ? closestFlag(option.replace(/^-+/, '').split('=')[0]!, Object.keys(spec)) : undefined
      return `unknown flag ${option ?? ''} for '${command}'${guess ? `; did you mean --${guess}?` : ''}`.replace('  ', ' ')
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(message)) return `${option} is a switch and takes no value`
      return `${option} needs a value`
    default:
      return message.split('\n')[0]!
  }
}

/** The known flag nearest to a mistyped one (edit distance ≤ 2, or one is a prefix of the other). */
export function closestFlag(typed: string, known: string[]): string | undefined {
  const word = typed.toLowerCase().replace(/_/g, '-')
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const distance = name.startsWith(word) || word.startsWith(name) ? 1 : editDistance(word, name)
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance }
  }
  return best?.name
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

function text(values: Parsed['values'], name: string, command: string): string | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  const s = String(v).trim()
  if (s === '') throw new UsageError(`--${name} needs a value`, command)
  return s
}

const REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/

export function parseRepository(value: string, command: string): Repository {
  const m = REPO.exec(value)
  if (!m || m[2] === '.' || m[2] === '..') {
    throw new UsageError(`--repo must be <owner>/<name>, like octo-org/handbook; got '${value}'`, command)
  }
  return { owner: m[1]!, repo: m[2]!.replace(/\.git$/, '') }
}

/** https, or plain http to a loopback address (an emulator). Returns the URL without a trailing slash. */
export function parseBaseUrl(name: string, value: string, command: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--${name} must be an absolute URL such as https://open.feishu.cn; got '${value}'`, command)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UsageError(`--${name} must use https (plain http only for a loopback address such as http://127.0.0.1:8080); got '${value}'`, command)
  }
  if (url.search || url.hash) throw new UsageError(`--${name} must not have a query or fragment; got '${value}'`, command)
  return url.toString().replace(/\/+$/, '')
}

function parseCommon(command: string, values: Parsed['values'], env: Record<string, string | undefined>): CommonOptions {
  const repoText = text(values, 'repo', command)
  const secretName = text(values, 'secret-name', command)
  if (secretName !== undefined && !SECRET_NAME.test(secretName)) {
    throw new UsageError(
      `--secret-name '${secretName}' is not a valid GitHub secret name: letters, digits and underscores only, not starting with a digit or GITHUB_`,
      command,
    )
  }
  const environment = text(values, 'environment', command)
  if (environment !== undefined && environment.length > 255) throw new UsageError('--environment is longer than 255 characters', command)
  return {
    repo: repoText === undefined ? undefined : parseRepository(repoText, command),
    environment,
    secretName: secretName ?? DEFAULT_SECRET,
    secretNameGiven: secretName !== undefined,
    appId: text(values, 'app-id', command),
    baseUrl: parseBaseUrl('base-url', text(values, 'base-url', command) ?? DEFAULT_BASE_URL, command),
    githubApiUrl: parseBaseUrl(
      'github-api-url',
      text(values, 'github-api-url', command) ?? (env.GITHUB_API_URL?.trim() || DEFAULT_GITHUB_API_URL),
      command,
    ),
  }
}

function noPositionals(parsed: Parsed, command: string): void {
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}' for '${command}'`, command)
}

export function parseAuthOptions(argv: string[], env: Record<string, string | undefined>): AuthOptions | 'help' {
  const parsed = parseFlags('auth', argv, AUTH_SPEC)
  if (parsed.values.help) return 'help'
  noPositionals(parsed, 'auth')
  const common = parseCommon('auth', parsed.values, env)
  const print = parsed.values.print === true
  if (!common.appId) throw new UsageError('--app-id is required (your app\'s App ID, cli_…, from the developer console)', 'auth')
  if (print && (common.repo || common.environment || common.secretNameGiven)) {
    throw new UsageError('--print writes nothing to GitHub, so it takes no --repo, --environment or --secret-name', 'auth')
  }
  if (!print && !common.repo) throw new UsageError('--repo <owner>/<name> is required (the repository whose secret receives the token)', 'auth')
  const browser = parsed.values.browser === true
  const portText = text(parsed.values, 'port', 'auth')
  let port = DEFAULT_PORT
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new UsageError(`--port must be a number from 1 to 65535; got '${portText}'`, 'auth')
    }
    if (!browser) throw new UsageError('--port is for --browser (the device flow needs no redirect URL)', 'auth')
    port = Number(portText)
  }
  if (parsed.values['no-open'] && !browser) throw new UsageError('--no-open is for --browser (the device flow never opens a browser)', 'auth')
  const accountsText = text(parsed.values, 'accounts-url', 'auth')
  return {
    ...common,
    appId: common.appId,
    accountsUrl: accountsText === undefined ? accountsUrlFor(common.baseUrl) : parseBaseUrl('accounts-url', accountsText, 'auth'),
    flow: browser ? 'browser' : 'device',
    port,
    open: parsed.values['no-open'] !== true,
    print,
  }
}

export function parseDoctorOptions(argv: string[], env: Record<string, string | undefined>): DoctorOptions | 'help' {
  const parsed = parseFlags('doctor', argv, DOCTOR_SPEC)
  if (parsed.values.help) return 'help'
  noPositionals(parsed, 'doctor')
  const common = parseCommon('doctor', parsed.values, env)
  return {
    ...common,
    workflow: text(parsed.values, 'workflow', 'doctor'),
    spaceId: text(parsed.values, 'space-id', 'doctor'),
    parentNode: text(parsed.values, 'parent-node', 'doctor'),
    baseUrlGiven: parsed.values['base-url'] !== undefined,
  }
}

export function parseCheckOptions(argv: string[], cwd: string): CheckOptions | 'help' {
  const parsed = parseFlags('check', argv, CHECK_SPEC)
  if (parsed.values.help) return 'help'
  const exclude = (parsed.values.exclude as unknown as string[] | undefined) ?? []
  if (exclude.some((glob) => glob.trim() === '')) throw new UsageError('--exclude needs a glob', 'check')
  return {
    paths: parsed.positionals,
    exclude: exclude.map((glob) => glob.trim()),
    failOnWarning: parsed.values['fail-on-warning'] === true,
    root: path.resolve(cwd, text(parsed.values, 'root', 'check') ?? '.'),
  }
}
