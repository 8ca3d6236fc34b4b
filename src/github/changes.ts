// Which files changed between two commits, from GitHub's compare API.
// https://docs.github.com/en/rest/commits/commits#compare-two-commits
//
// What GitHub documents about large comparisons (operation description in the REST API description):
// `page`/`per_page` paginate the COMMITS; "the list of changed files is only shown on the first page of results,
// and it includes up to 300 changed files for the entire comparison". So a comparison with 300 files may be cut
// short, and no later page carries the rest. We still follow `Link: rel="next"` while pages keep carrying files
// (in case GitHub starts paginating them), and report `truncated` when the file list hit the cap.
//
// The files are relative to the merge base (three-dot comparison). When `base` is not an ancestor of `head`
// (history rewritten, or head behind base), that is not "what changed since base", and the caller should fall
// back to a full sync: compareCommits() throws IncompleteCompareError in those cases.
import { type GitHubClient, GitHubApiError, permissionHint } from './client.js'

export interface ChangedFile {
  path: string
  status: 'added' | 'modified' | 'removed' | 'renamed' | 'copied' | 'changed' | 'unchanged'
  /** For renamed (and copied) files: the path before. */
  previousPath?: string
}

export interface CompareResult {
  files: ChangedFile[]
  /** The file list reached GitHub's cap and may be incomplete. */
  truncated: boolean
  /** GitHub's comparison status: base is behind head ("ahead"), the same, ahead of it, or on another line. */
  status: 'ahead' | 'behind' | 'identical' | 'diverged'
  aheadBy: number
  behindBy: number
  totalCommits: number
  mergeBaseSha?: string
  /** Requests made (pages). */
  requests: number
}

/** GitHub lists at most this many files for a whole comparison. */
export const COMPARE_FILES_CAP = 300
const PER_PAGE = 100
const MAX_PAGES = 30

export class IncompleteCompareError extends Error {
  constructor(
    readonly reason: 'truncated' | 'diverged' | 'behind',
    readonly result: CompareResult,
    base: string,
    head: string,
  ) {
    const why = {
      truncated: `GitHub listed ${COMPARE_FILES_CAP} files, its cap for one comparison, so more may have changed`,
      diverged: `${base} is not an ancestor of ${head} (history was rewritten?), so the diff from their merge base is not what changed since ${base}`,
      behind: `${head} is behind ${base}, so GitHub's comparison lists no changes although the content differs`,
    }[reason]
    super(`the comparison ${base}...${head} is not a complete list of changes: ${why}; a full sync is needed`)
    this.name = 'IncompleteCompareError'
  }
}

interface DiffEntry {
  filename: string
  status: ChangedFile['status']
  previous_filename?: string
}

interface ComparePage {
  status: CompareResult['status']
  ahead_by: number
  behind_by: number
  total_commits: number
  merge_base_commit?: { sha: string }
  files?: DiffEntry[]
}

/** The full comparison, with truncation and ancestry reported rather than thrown. */
export async function compareCommitsDetailed(
  client: GitHubClient,
  owner: string,
  repo: string,
  base: string,
  head: string,
): Promise<CompareResult> {
  const byPath = new Map<string, ChangedFile>()
  let first: ComparePage | undefined
  let firstPageFiles = 0
  let laterPagesAddedFiles = false
  let requests = 0
  for (let page = 1; page <= MAX_PAGES; page++) {
    let res
    try {
      res = await client.request<ComparePage>('repos/compare-commits-with-basehead', 'GET /repos/{owner}/{repo}/compare/{basehead}', {
        owner,
        repo,
        basehead: `${base}...${head}`,
        per_page: PER_PAGE,
        page,
      })
    } catch (error) {
      if (error instanceof GitHubApiError) throw explainCompare(error, owner, repo, base, head)
      throw error
    }
    requests++
    const data = res.data
    first ??= data
    const files = data.files ?? []
    if (page === 1) firstPageFiles = files.length
    else if (files.length > 0) laterPagesAddedFiles = true
    for (const f of files) {
      byPath.set(f.filename, {
        path: f.filename,
        status: f.status,
        ...(f.previous_filename !== undefined ? { previousPath: f.previous_filename } : {}),
      })
    }
    const hasNext = /<[^>]+>;\s*rel="next"/.test(res.headers.link ?? '')
    if (!hasNext || files.length === 0) break
  }
  const data = first as ComparePage
  return {
    files: [...byPath.values()],
    truncated: firstPageFiles >= COMPARE_FILES_CAP && !laterPagesAddedFiles,
    status: data.status,
    aheadBy: data.ahead_by,
    behindBy: data.behind_by,
    totalCommits: data.total_commits,
    mergeBaseSha: data.merge_base_commit?.sha,
    requests,
  }
}

/**
 * Files changed from `base` to `head` (GET /repos/{o}/{r}/compare/{base}...{head}). Throws IncompleteCompareError
 * when the list cannot be trusted as "everything that changed since base" (file cap reached, diverged, behind).
 */
export async function compareCommits(
  client: GitHubClient,
  owner: string,
  repo: string,
  base: string,
  head: string,
): Promise<ChangedFile[]> {
  const result = await compareCommitsDetailed(client, owner, repo, base, head)
  if (result.truncated) throw new IncompleteCompareError('truncated', result, base, head)
  if (result.status === 'diverged') throw new IncompleteCompareError('diverged', result, base, head)
  if (result.status === 'behind') throw new IncompleteCompareError('behind', result, base, head)
  return result.files
}

function explainCompare(error: GitHubApiError, owner: string, repo: string, base: string, head: string): GitHubApiError {
  const said = error.githubMessage ? ` (GitHub: "${error.githubMessage}")` : ''
  if (error.status === 401) return error.withMessage(`github-token is missing or invalid: GitHub answered 401${said} comparing commits`)
  if (error.status === 404) {
    return error.withMessage(
      `cannot compare ${base}...${head} in ${owner}/${repo}${said}: one of the commits does not exist (force-pushed ` +
        "away?), or the repository is not visible to the token (a fine-grained PAT needs 'Contents: read')" +
        permissionHint(error),
    )
  }
  if (error.status === 403 && !error.rateLimited) {
    return error.withMessage(
      `the token may not read commits of ${owner}/${repo}${said}: it needs 'Contents: read' ` +
        `(workflow: permissions: contents: read)${permissionHint(error)}`,
    )
  }
  return error.withMessage(`${error.message} comparing ${base}...${head} in ${owner}/${repo}`)
}
