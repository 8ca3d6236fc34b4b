// When was this workflow run queued? Repository and organization secrets are read "when a workflow run is
// queued" (https://docs.github.com/en/actions/reference/security/secrets), so a run queued before the previous
// run rotated the token carries a dead one. The run's created_at (or run_started_at for a re-run attempt,
// which is queued again and reads secrets again) tells the caller whether the secret it holds can be stale.
// https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run
import { type GitHubClient, GitHubApiError } from './client.js'

interface WorkflowRun {
  created_at: string
  run_started_at?: string
  run_attempt?: number
}

/**
 * The time this run (attempt) was queued, or undefined when the token may not read workflow runs (it needs
 * 'Actions: read'; the workflow's GITHUB_TOKEN has it unless `permissions:` removes it). Throws on 401 and on
 * server errors that outlast the retries.
 */
export async function getRunQueuedAt(client: GitHubClient, owner: string, repo: string, runId: number): Promise<string | undefined> {
  try {
    const res = await client.request<WorkflowRun>('actions/get-workflow-run', 'GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      owner,
      repo,
      run_id: runId,
      exclude_pull_requests: true,
    })
    const run = res.data
    if ((run.run_attempt ?? 1) > 1 && run.run_started_at) return run.run_started_at
    return run.created_at
  } catch (error) {
    // 403/404 mean "not permitted" (or no such run). A rate limit that outlasted the client's retries is not.
    if (error instanceof GitHubApiError && (error.status === 403 || error.status === 404) && !error.rateLimited) return undefined
    throw error
  }
}
