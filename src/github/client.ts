// The one place that sends GitHub REST requests: an Octokit from @actions/github (so proxies and GHES base URLs
// work as in every other action), a per-request timeout, and one retry policy whose waits go through an
// injectable `sleep` so tests never wait for real minutes.
//
// Retry policy (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately,
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api):
// - network errors and timeouts, 500/502/503/504: jittered exponential backoff;
// - 429, and 403 that is a rate limit (retry-after, x-ratelimit-remaining: 0, or "secondary rate limit"):
//   wait retry-after seconds, else until x-ratelimit-reset, else at least one minute;
// - every other status fails at once.
// Callers that must not repeat a request (none in this module today) pass maxAttempts: 1.
import { getOctokit } from '@actions/github'
import { defaults as actionsDefaults } from '@actions/github/lib/utils'
import { redact, redactAndCut } from '../mask.js'

export type Octokit = ReturnType<typeof getOctokit>

export interface GitHubClientOptions {
  token: string
  /** REST API root, e.g. https://api.github.com or ${GITHUB_API_URL} on GHES. */
  baseUrl: string
  userAgent?: string
  /** Every retry wait goes through this (default: setTimeout). */
  sleep?: (ms: number) => Promise<void>
  /** Jitter source in [0, 1) (default: Math.random). */
  random?: () => number
  /** Per-request timeout; a request that takes longer counts as a network error (default 30 s). */
  requestTimeoutMs?: number
  /** Wall clock for x-ratelimit-reset (default Date.now). */
  now?: () => number
  /** Attempts per request unless the call says otherwise (default 4). */
  maxAttempts?: number
  /** Told about every retry, e.g. to log a warning. Carries no request or response body. */
  onRetry?: (event: RetryEvent) => void
  /** The fetch to send requests with (default: @actions/github's proxy-aware fetch for GITHUB_API_URL, else global fetch). */
  fetch?: typeof fetch
}

export interface RetryEvent {
  operation: string
  /** The attempt that failed (1-based). */
  attempt: number
  /** HTTP status, or 0 for a network error or timeout. */
  status: number
  reason: string
  delayMs: number
}

export interface CallOptions {
  maxAttempts?: number
  /** Called before each attempt is sent (1-based). */
  onAttempt?: (attempt: number) => void
}

export interface GitHubResponse<T> {
  status: number
  data: T
  headers: Record<string, string | undefined>
  /** How many requests it took. */
  attempts: number
}

export interface GitHubClient {
  readonly octokit: Octokit
  readonly baseUrl: string
  /**
   * One logical call with the retry policy. `operation` is GitHub's operationId (e.g.
   * "actions/create-or-update-repo-secret"); `route` is Octokit's "METHOD /path/{param}" form, whose path
   * parameters Octokit percent-encodes. Throws GitHubApiError.
   */
  request<T = unknown>(
    operation: string,
    route: string,
    params?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<GitHubResponse<T>>
}

export interface GitHubApiErrorDetails {
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  status: number
  operation: string
  /** GitHub's own `message`, when it sent one. */
  githubMessage?: string
  documentationUrl?: string
  /** The X-Accepted-GitHub-Permissions header: what a fine-grained token or GitHub App needs here. */
  acceptedPermissions?: string
  /** x-github-request-id, for GitHub support. */
  requestId?: string
  attempts: number
  /** The last answer was a (primary or secondary) rate limit that outlasted the retries. */
  rateLimited?: boolean
  cause?: unknown
}

export class GitHubApiError extends Error {
  readonly status: number
  readonly operation: string
  readonly githubMessage?: string
  readonly documentationUrl?: string
  readonly acceptedPermissions?: string
  readonly requestId?: string
  readonly attempts: number
  readonly rateLimited: boolean

  constructor(message: string, details: GitHubApiErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'GitHubApiError'
    this.status = details.status
    this.operation = details.operation
    this.githubMessage = details.githubMessage
    this.documentationUrl = details.documentationUrl
    this.acceptedPermissions = details.acceptedPermissions
    this.requestId = details.requestId
    this.attempts = details.attempts
    this.rateLimited = details.rateLimited ?? false
  }

  get details(): GitHubApiErrorDetails {
    return {
      status: this.status,
      operation: this.operation,
      githubMessage: this.githubMessage,
      documentationUrl: this.documentationUrl,
      acceptedPermissions: this.acceptedPermissions,
      requestId: this.requestId,
      attempts: this.attempts,
      rateLimited: this.rateLimited,
      cause: this.cause,
    }
  }

  /** The same failure with a message that says what to do in the caller's terms. */
  withMessage(message: string): GitHubApiError {
    return new GitHubApiError(message, this.details)
  }

  /** "Resource not accessible by integration": the caller is the workflow's GITHUB_TOKEN (or another App token). */
  get isIntegrationDenied(): boolean {
    return this.status === 403 && /not accessible by integration/i.test(this.githubMessage ?? '')
  }
}

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_MAX_ATTEMPTS = 4
const BACKOFF_BASE_MS = 1_000
const BACKOFF_MAX_MS = 30_000
/** "wait for at least one minute before retrying" when a secondary rate limit names no time. */
const SECONDARY_LIMIT_MIN_WAIT_MS = 60_000
/** Never sleep longer than this for one rate-limit wait. */
const RATE_LIMIT_MAX_WAIT_MS = 15 * 60_000
const API_VERSION = '2022-11-28'
/** Visible ASCII and spaces: what a token may hold in an Authorization header. */
const HEADER_SAFE = /^[\x20-\x7e]+$/

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  if (!options.token) {
    throw new GitHubApiError('github-token is missing or invalid: no token was given', {
      status: 401,
      operation: 'client',
      attempts: 0,
    })
  }
  // fetch would refuse such a header and quote it, token included, in its error: name the input instead.
  if (!HEADER_SAFE.test(options.token)) {
    throw new GitHubApiError(
      'github-token holds a line break or another character that cannot be sent in an HTTP header: copy the token again (its value is not shown)',
      { status: 0, operation: 'client', attempts: 0 },
    )
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const random = options.random ?? Math.random
  const now = options.now ?? Date.now
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS

  // @actions/github's proxy-aware fetch is bound to GITHUB_API_URL's proxy settings; use it only for that host.
  const actionsFetch = actionsDefaults.request?.fetch as typeof fetch | undefined
  const sameAsEnv = typeof actionsDefaults.baseUrl === 'string' && actionsDefaults.baseUrl.replace(/\/+$/, '') === baseUrl
  const baseFetch: typeof fetch = options.fetch ?? (sameAsEnv && actionsFetch ? actionsFetch : globalThis.fetch)
  const fetchWithTimeout: typeof fetch = (input, init = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs)
    return baseFetch(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout })
  }

  const octokit = getOctokit(options.token, {
    baseUrl,
    userAgent: options.userAgent ?? 'feishu-wiki-sync',
    request: { fetch: fetchWithTimeout },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  })

  async function request<T>(
    operation: string,
    route: string,
    params: Record<string, unknown> = {},
    call: CallOptions = {},
  ): Promise<GitHubResponse<T>> {
    const maxAttempts = Math.max(1, call.maxAttempts ?? options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)
    for (let attempt = 1; ; attempt++) {
      call.onAttempt?.(attempt)
      let failure: Failure
      try {
        const response = await octokit.request(route, {
          ...params,
          headers: { accept: 'application/vnd.github+json', 'x-github-api-version': API_VERSION },
        })
        return {
          status: response.status,
          data: response.data as T,
          headers: response.headers as Record<string, string | undefined>,
          attempts: attempt,
        }
      } catch (error) {
        failure = toFailure(error)
      }
      const decision = retryDecision(failure, attempt, { random, now })
      if (decision && attempt < maxAttempts) {
        options.onRetry?.({ operation, attempt, status: failure.status, reason: decision.reason, delayMs: decision.delayMs })
        await sleep(decision.delayMs)
        continue
      }
      throw failureToError(failure, operation, attempt, baseUrl)
    }
  }

  return { octokit, baseUrl, request }
}

interface Failure {
  status: number
  headers: Record<string, string | undefined>
  githubMessage?: string
  documentationUrl?: string
  /** For network errors: what failed (never a request body). */
  networkDetail?: string
  cause: unknown
}

function toFailure(error: unknown): Failure {
  const e = error as {
    status?: number
    message?: string
    name?: string
    response?: { status: number; headers: Record<string, string | undefined>; data: unknown }
  }
  if (e && typeof e === 'object' && e.response && typeof e.response.status === 'number') {
    const data = e.response.data as { message?: unknown; documentation_url?: unknown } | string | undefined
    const body = typeof data === 'object' && data !== null ? data : undefined
    return {
      status: e.response.status,
      headers: e.response.headers ?? {},
      // Redacted before any cut: a proxy may echo the request, token included.
      githubMessage: typeof body?.message === 'string' ? redactAndCut(body.message, 500) : typeof data === 'string' && data ? redactAndCut(data.replace(/\s+/g, ' '), 200) : undefined,
      documentationUrl: typeof body?.documentation_url === 'string' ? body.documentation_url : undefined,
      cause: error,
    }
  }
  // No response: connection refused/reset, DNS, TLS, or our timeout (Octokit reports these as status 500
  // without a response).
  const message = e?.message ?? String(error)
  const detail =
    e?.name === 'TimeoutError' || /timeout|aborted/i.test(message)
      ? 'request timed out'
      : /invalid header value|header name/i.test(message)
        ? 'a request header holds a character HTTP does not allow (check github-token for a line break)'
        : redact(message)
  return { status: 0, headers: {}, networkDetail: detail, cause: error }
}

function header(failure: Failure, name: string): string | undefined {
  const value = failure.headers[name] ?? failure.headers[name.toLowerCase()]
  return value === undefined ? undefined : String(value)
}

function isRateLimited(failure: { status: number; headers: Record<string, string | undefined>; githubMessage?: string }): boolean {
  if (failure.status === 429) return true
  if (failure.status !== 403) return false
  const h = (n: string) => failure.headers[n]
  return h('retry-after') !== undefined || h('x-ratelimit-remaining') === '0' || /rate limit|abuse/i.test(failure.githubMessage ?? '')
}

function retryDecision(
  failure: Failure,
  attempt: number,
  env: { random: () => number; now: () => number },
): { delayMs: number; reason: string } | undefined {
  const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1))
  const jittered = Math.round(backoff * (0.5 + env.random() * 0.5))
  if (failure.status === 0) return { delayMs: jittered, reason: failure.networkDetail ?? 'network error' }
  if ([500, 502, 503, 504].includes(failure.status)) return { delayMs: jittered, reason: `HTTP ${failure.status}` }
  if (isRateLimited(failure)) {
    const retryAfter = header(failure, 'retry-after')
    let wait: number
    if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) {
      wait = Number(retryAfter.trim()) * 1000
    } else if (retryAfter !== undefined && !Number.isNaN(Date.parse(retryAfter))) {
      wait = Date.parse(retryAfter) - env.now()
    } else if (header(failure, 'x-ratelimit-remaining') === '0' && header(failure, 'x-ratelimit-reset')) {
      wait = Number(header(failure, 'x-ratelimit-reset')) * 1000 - env.now() + 1000
    } else {
      wait = Math.max(SECONDARY_LIMIT_MIN_WAIT_MS, jittered)
    }
    const delayMs = Math.min(RATE_LIMIT_MAX_WAIT_MS, Math.max(0, Math.round(wait)))
    return { delayMs, reason: `rate limited (HTTP ${failure.status})` }
  }
  return undefined
}

function failureToError(failure: Failure, operation: string, attempts: number, baseUrl: string): GitHubApiError {
  const details: GitHubApiErrorDetails = {
    status: failure.status,
    operation,
    githubMessage: failure.githubMessage,
    documentationUrl: failure.documentationUrl,
    acceptedPermissions: header(failure, 'x-accepted-github-permissions'),
    requestId: header(failure, 'x-github-request-id'),
    attempts,
    rateLimited: isRateLimited(failure),
    cause: failure.cause,
  }
  return new GitHubApiError(genericMessage(details, failure, baseUrl), details)
}

const tries = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`

function genericMessage(d: GitHubApiErrorDetails, failure: Failure, baseUrl: string): string {
  const said = d.githubMessage ? ` "${d.githubMessage}"` : ''
  if (d.status === 0) return `could not reach the GitHub API at ${baseUrl} (${failure.networkDetail}) after ${tries(d.attempts)} [${d.operation}]`
  if (d.status === 401) return `github-token is missing or invalid: GitHub answered 401${said} [${d.operation}]`
  if (d.rateLimited) return `GitHub rate limit still in force after ${tries(d.attempts)}: HTTP ${d.status}${said} [${d.operation}]`
  if (d.status >= 500) return `GitHub API failed with HTTP ${d.status}${said} after ${tries(d.attempts)} [${d.operation}]`
  return `GitHub API answered HTTP ${d.status}${said}${permissionHint(d)} [${d.operation}]`
}

/** " (GitHub accepts: secrets=write)" when the X-Accepted-GitHub-Permissions header came back. */
export function permissionHint(d: { acceptedPermissions?: string }): string {
  return d.acceptedPermissions ? ` (X-Accepted-GitHub-Permissions: ${d.acceptedPermissions})` : ''
}
