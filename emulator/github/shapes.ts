// Response objects in GitHub's shapes ("Simple User", "Minimal Repository", "Commit", "Diff Entry",
// "Workflow Run" in GitHub's OpenAPI description). The fidelity tests validate every one against the
// description in @octokit/openapi.
import type { CommitNode, FileChange, RepoState, RunState } from './state.js'

export interface Urls {
  /** The emulator's base URL, standing for https://api.github.com. */
  api: string
  /** Where html_url links point (https://github.com). */
  html: string
}

const BOT = { login: 'docs-bot', id: 41_898_282, name: 'Docs Bot', email: 'docs-bot@users.noreply.github.com' }

export function simpleUser(urls: Urls, login = BOT.login, id = BOT.id) {
  const api = `${urls.api}/users/${login}`
  return {
    login,
    id,
    node_id: nodeId('U', id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${urls.html}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    user_view_type: 'public',
    site_admin: false,
  }
}

export function minimalRepository(urls: Urls, repo: RepoState) {
  const api = `${urls.api}/repos/${repo.fullName}`
  return {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: simpleUser(urls, repo.owner, repo.id + 1),
    html_url: `${urls.html}/${repo.fullName}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
  }
}

export function commitObject(urls: Urls, repo: RepoState, node: CommitNode) {
  const api = `${urls.api}/repos/${repo.fullName}`
  const person = { name: BOT.name, email: BOT.email, date: node.date }
  const parent = node.parent
  return {
    sha: node.sha,
    node_id: nodeId('C', parseInt(node.sha.slice(0, 8), 16)),
    commit: {
      author: person,
      committer: person,
      message: node.message,
      tree: { sha: treeSha(node.sha), url: `${api}/git/trees/${treeSha(node.sha)}` },
      url: `${api}/git/commits/${node.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: `${api}/commits/${node.sha}`,
    html_url: `${urls.html}/${repo.fullName}/commit/${node.sha}`,
    comments_url: `${api}/commits/${node.sha}/comments`,
    author: simpleUser(urls),
    committer: simpleUser(urls),
    parents: parent ? [{ sha: parent, url: `${api}/commits/${parent}`, html_url: `${urls.html}/${repo.fullName}/commit/${parent}` }] : [],
  }
}

export function diffEntry(urls: Urls, repo: RepoState, headSha: string, change: FileChange) {
  const additions = change.additions ?? (change.status === 'removed' ? 0 : 1)
  const deletions = change.deletions ?? (change.status === 'added' ? 0 : change.status === 'removed' ? 1 : 0)
  const path = encodePath(change.filename)
  return {
    sha: blobSha(headSha, change.filename),
    filename: change.filename,
    status: change.status,
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `${urls.html}/${repo.fullName}/blob/${headSha}/${path}`,
    raw_url: `${urls.html}/${repo.fullName}/raw/${headSha}/${path}`,
    contents_url: `${urls.api}/repos/${repo.fullName}/contents/${path}?ref=${headSha}`,
    ...(change.previous_filename !== undefined ? { previous_filename: change.previous_filename } : {}),
  }
}

export function workflowRun(urls: Urls, repo: RepoState, run: RunState) {
  const api = `${urls.api}/repos/${repo.fullName}`
  const runUrl = `${api}/actions/runs/${run.id}`
  const workflowId = 161_335
  return {
    id: run.id,
    name: 'Sync docs to Feishu',
    node_id: nodeId('WFR', run.id),
    head_branch: repo.defaultBranch,
    head_sha: run.headSha,
    path: '.github/workflows/sync.yml',
    display_title: 'Sync docs to Feishu',
    run_number: run.id % 1000,
    event: 'schedule',
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: workflowId,
    check_suite_id: run.id + 1,
    check_suite_node_id: nodeId('CS', run.id + 1),
    url: runUrl,
    html_url: `${urls.html}/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.runStartedAt,
    actor: simpleUser(urls),
    run_attempt: run.runAttempt,
    referenced_workflows: [],
    run_started_at: run.runStartedAt,
    triggering_actor: simpleUser(urls),
    jobs_url: `${runUrl}/jobs`,
    logs_url: `${runUrl}/logs`,
    check_suite_url: `${api}/check-suites/${run.id + 1}`,
    artifacts_url: `${runUrl}/artifacts`,
    cancel_url: `${runUrl}/cancel`,
    rerun_url: `${runUrl}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${runUrl}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${api}/actions/workflows/${workflowId}`,
    head_commit: {
      id: run.headSha,
      tree_id: treeSha(run.headSha),
      message: 'Update docs',
      timestamp: run.createdAt,
      author: { name: BOT.name, email: BOT.email },
      committer: { name: BOT.name, email: BOT.email },
    },
    repository: minimalRepository(urls, repo),
    head_repository: minimalRepository(urls, repo),
  }
}

function nodeId(prefix: string, id: number): string {
  return Buffer.from(`0${prefix.length}:${prefix}${id}`).toString('base64')
}

function treeSha(sha: string): string {
  return [...sha].reverse().join('')
}

function blobSha(headSha: string, filename: string): string {
  let h = 0x811c9dc5
  for (const c of `${headSha}:${filename}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0
  return (h.toString(16).padStart(8, '0').repeat(5)).slice(0, 40)
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}
