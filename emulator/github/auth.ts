// Tokens and what they may do, modelled on fine-grained permissions
// (https://docs.github.com/en/rest/authentication/permissions-required-for-fine-grained-personal-access-tokens).
//
// - No Authorization header: 401 "Requires authentication" on endpoints that need a user; public repositories
//   stay readable anonymously for contents/actions reads; a private repository answers 404.
// - Unknown token: 401 "Bad credentials".
// - A repository the token cannot see (not granted and private, or not existing): 404 "Not Found", never 403,
//   so private repositories do not leak (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
// - A visible repository but a missing permission: 403 "Resource not accessible by personal access token"
//   ("… by integration" for the workflow's GITHUB_TOKEN), with X-Accepted-GitHub-Permissions naming what is
//   needed (https://github.blog/changelog/2023-08-10-x-accepted-github-permissions-header-for-fine-grained-permission-actors).
// - The workflow token has no `secrets` permission at all (the `permissions:` key has no such scope), so it can
//   never write or read secrets; it may read public keys (see GUESSES.md).
import type { EmulatorRequest } from '../core/server.js'
import { GitHubHttpError, notFound } from './errors.js'

export type Level = 'read' | 'write'
export type Permission = 'secrets' | 'environments' | 'contents' | 'actions'

export interface TokenGrant {
  /** Full names ("owner/repo") or '*' for every repository. */
  repos: string[]
  secrets?: Level
  environments?: Level
  contents?: Level
  actions?: 'read'
  /** 'pat' (fine-grained PAT, the default) or 'github-token' (the workflow's GITHUB_TOKEN). */
  kind?: 'pat' | 'github-token'
}

export interface RepoVisibility {
  fullName: string
  private: boolean
}

export interface Need {
  permission: Permission
  level: Level
  docs: string
  /** Anonymous callers get 401 (true) or public read access (false). */
  requiresAuth: boolean
  /** A public key read: the workflow token may do it (see GUESSES.md). */
  publicKeyRead?: boolean
}

export interface Caller {
  token?: string
  grant?: TokenGrant
}

export class TokenRegistry {
  private readonly tokens = new Map<string, TokenGrant>()

  add(token: string, grant: TokenGrant): void {
    this.tokens.set(token, { ...grant, repos: grant.repos.map((r) => r.toLowerCase()) })
  }

  /** The caller from the Authorization header ("token X" or "Bearer X"), or a 401. */
  caller(req: EmulatorRequest): Caller {
    const header = req.headers.authorization
    if (!header) return {}
    const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header)
    const grant = m ? this.tokens.get(m[1]!) : undefined
    if (!m || !grant) throw new GitHubHttpError(401, 'Bad credentials', 'https://docs.github.com/rest')
    return { token: m[1], grant }
  }

  /**
   * Check that the caller may do `need` on `repo` (undefined: no such repository). Throws the GitHub error a real
   * server would answer; returns the response headers a fine-grained caller gets.
   */
  authorize(req: EmulatorRequest, repo: RepoVisibility | undefined, need: Need): Record<string, string> {
    const caller = this.caller(req)
    const accepted = { 'x-accepted-github-permissions': `${need.permission}=${need.level}` }
    if (!caller.grant) {
      if (need.requiresAuth) throw new GitHubHttpError(401, 'Requires authentication', need.docs)
      if (!repo || repo.private) throw notFound(need.docs)
      return {}
    }
    const grant = caller.grant
    if (!repo) throw notFound(need.docs)
    const granted = grant.repos.includes('*') || grant.repos.includes(repo.fullName.toLowerCase())
    if (!granted) {
      if (repo.private) throw notFound(need.docs)
      // A public repository outside the token's selection: public data only.
      if (need.level === 'read' && (need.permission === 'contents' || need.permission === 'actions')) return accepted
      throw this.denied(grant, need, accepted)
    }
    if (grant.kind === 'github-token') {
      if (need.permission === 'secrets' || need.permission === 'environments') {
        if (need.publicKeyRead) return accepted
        throw this.denied(grant, need, accepted)
      }
    }
    const have = grant[need.permission]
    if (!have || (need.level === 'write' && have !== 'write')) throw this.denied(grant, need, accepted)
    return accepted
  }

  private denied(grant: TokenGrant, need: Need, headers: Record<string, string>): GitHubHttpError {
    const who = grant.kind === 'github-token' ? 'integration' : 'personal access token'
    return new GitHubHttpError(403, `Resource not accessible by ${who}`, need.docs, headers)
  }
}
