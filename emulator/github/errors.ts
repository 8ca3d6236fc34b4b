// GitHub's error bodies and the error type handlers throw.
//
// Shape: `{message, documentation_url, status}` ("Basic Error" in GitHub's OpenAPI description; `status` is the
// HTTP status as a string, as github.com has sent since 2024), plus `errors[]` for some validation failures
// ("Validation Error"). Real example bodies: `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`,
// `{"message":"Bad request - validation failed due to an improperly encrypted secret","documentation_url":"https://docs.github.com/rest/reference/actions#create-or-update-an-environment-secret","status":"422"}`
// (quoted in integrations/terraform-provider-github#2315 and rollthecloudinc/hedge#256).
import type { EmulatorRequest, EmulatorResponse, Handler } from '../core/server.js'

export const DOCS = {
  root: 'https://docs.github.com/rest',
  getRepoPublicKey: 'https://docs.github.com/rest/actions/secrets#get-a-repository-public-key',
  getEnvPublicKey: 'https://docs.github.com/rest/actions/secrets#get-an-environment-public-key',
  putRepoSecret: 'https://docs.github.com/rest/actions/secrets#create-or-update-a-repository-secret',
  putEnvSecret: 'https://docs.github.com/rest/actions/secrets#create-or-update-an-environment-secret',
  getRepoSecret: 'https://docs.github.com/rest/actions/secrets#get-a-repository-secret',
  getEnvSecret: 'https://docs.github.com/rest/actions/secrets#get-an-environment-secret',
  deleteRepoSecret: 'https://docs.github.com/rest/actions/secrets#delete-a-repository-secret',
  deleteEnvSecret: 'https://docs.github.com/rest/actions/secrets#delete-an-environment-secret',
  compare: 'https://docs.github.com/rest/commits/commits#compare-two-commits',
  getRun: 'https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run',
  getEnvironment: 'https://docs.github.com/rest/deployments/environments#get-an-environment',
  secondaryRateLimit:
    'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
} as const

export function errorBody(status: number, message: string, documentationUrl: string, extra: Record<string, unknown> = {}) {
  return { message, documentation_url: documentationUrl, status: String(status), ...extra }
}

/** A failure answered with GitHub's error body. Handlers throw it; `route()` turns it into a response. */
export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl: string = DOCS.root,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }

  toResponse(): EmulatorResponse {
    return { status: this.status, headers: this.headers, body: errorBody(this.status, this.message, this.documentationUrl, this.extra) }
  }
}

export const notFound = (docs: string = DOCS.root) => new GitHubHttpError(404, 'Not Found', docs)

/** Wrap a handler so a thrown GitHubHttpError becomes GitHub's error response. */
export function route(handler: (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>): Handler {
  return async (req) => {
    try {
      return await handler(req)
    } catch (error) {
      if (error instanceof GitHubHttpError) return error.toResponse()
      throw error
    }
  }
}

/**
 * The body of a secondary rate limit answer, for fault injection:
 * `server.inject({ route, status: 403, headers: {'retry-after': '60'}, body: secondaryRateLimitBody() })`.
 */
export function secondaryRateLimitBody(): Record<string, unknown> {
  return errorBody(
    403,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
    DOCS.secondaryRateLimit,
  )
}
