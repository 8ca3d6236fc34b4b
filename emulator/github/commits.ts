// A commit graph per repository and the compare endpoint over it
// (https://docs.github.com/en/rest/commits/commits#compare-two-commits).
//
// Tests seed history with addCommits(repo, base, head, files): `head` becomes a child of `base` carrying those
// file changes. Comparing any two commits walks the graph: files are the NET change from the merge base to
// head (an added-then-removed file vanishes, a chain of renames collapses), as GitHub's three-dot diff is.
//
// Paging, as GitHub documents it: page/per_page paginate the commits; "the list of changed files is only shown
// on the first page of results, and it includes up to 300 changed files for the entire comparison". Without
// paging parameters at most 250 commits are listed, the newest last.
import { createHash } from 'node:crypto'
import type { EmulatorRequest, EmulatorResponse } from '../core/server.js'
import { DOCS, GitHubHttpError, notFound } from './errors.js'
import { type Urls, commitObject, diffEntry } from './shapes.js'
import type { CommitNode, FileChange, RepoState } from './state.js'

export const FILES_CAP = 300
const UNPAGED_COMMITS = 250
const DEFAULT_PER_PAGE = 30
const MAX_PER_PAGE = 100

const isSha = (s: string) => /^[0-9a-f]{40}$/i.test(s)

function shaFor(repo: RepoState, label: string): string {
  return isSha(label) ? label.toLowerCase() : createHash('sha1').update(`${repo.fullName}:${label}`).digest('hex')
}

/** The commit for `label`, created as a root commit if it is new. */
function ensureCommit(repo: RepoState, label: string, date: string): CommitNode {
  const sha = resolveRef(repo, label) ?? shaFor(repo, label)
  let node = repo.commits.get(sha)
  if (!node) {
    node = { sha, label, files: [], message: `Initial commit (${label})`, date }
    repo.commits.set(sha, node)
    repo.labels.set(label, sha)
  }
  return node
}

export function addCommits(repo: RepoState, base: string, head: string, files: FileChange[], date: string): { base: string; head: string } {
  const parent = ensureCommit(repo, base, date)
  const sha = resolveRef(repo, head) ?? shaFor(repo, head)
  const existing = repo.commits.get(sha)
  if (existing && existing.parent !== parent.sha) {
    throw new Error(`commit "${head}" already exists with another parent`)
  }
  repo.commits.set(sha, {
    sha,
    label: head,
    parent: parent.sha,
    files: files.map((f) => ({ ...f })),
    message: `Update ${files.length} file${files.length === 1 ? '' : 's'} (${head})`,
    date,
  })
  repo.labels.set(head, sha)
  repo.branchHead = sha
  return { base: parent.sha, head: sha }
}

/** A label, a full SHA, a unique SHA prefix (7+), the default branch name or HEAD. */
export function resolveRef(repo: RepoState, ref: string): string | undefined {
  const label = repo.labels.get(ref)
  if (label) return label
  const lower = ref.toLowerCase()
  if (repo.commits.has(lower)) return lower
  if (/^[0-9a-f]{7,39}$/.test(lower)) {
    const matches = [...repo.commits.keys()].filter((sha) => sha.startsWith(lower))
    if (matches.length === 1) return matches[0]
  }
  if ((ref === repo.defaultBranch || ref === 'HEAD') && repo.branchHead) return repo.branchHead
  return undefined
}

function chain(repo: RepoState, sha: string): CommitNode[] {
  const out: CommitNode[] = []
  for (let node = repo.commits.get(sha); node; node = node.parent ? repo.commits.get(node.parent) : undefined) out.push(node)
  return out
}

/** GET /repos/{owner}/{repo}/compare/{basehead} */
export function compare(repo: RepoState, req: EmulatorRequest, urls: Urls): EmulatorResponse {
  const basehead = req.params.basehead ?? ''
  const parts = basehead.split('...')
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw notFound(DOCS.compare)
  const [baseRef, headRef] = parts.map((p) => stripOwner(repo, p)) as [string, string]
  const baseSha = resolveRef(repo, baseRef)
  const headSha = resolveRef(repo, headRef)
  if (!baseSha || !headSha) throw notFound(DOCS.compare)

  const headChain = chain(repo, headSha)
  const baseChain = chain(repo, baseSha)
  const baseSet = new Set(baseChain.map((c) => c.sha))
  const mbIndex = headChain.findIndex((c) => baseSet.has(c.sha))
  if (mbIndex < 0) throw new GitHubHttpError(404, `No common ancestor between ${baseRef} and ${headRef}.`, DOCS.compare)
  const mergeBase = headChain[mbIndex]!
  const ahead = headChain.slice(0, mbIndex).reverse() // chronological
  const behindBy = baseChain.findIndex((c) => c.sha === mergeBase.sha)
  const status = ahead.length === 0 && behindBy === 0 ? 'identical' : behindBy === 0 ? 'ahead' : ahead.length === 0 ? 'behind' : 'diverged'

  const paged = req.query.has('page') || req.query.has('per_page')
  const perPage = clampInt(req.query.get('per_page'), DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
  const page = clampInt(req.query.get('page'), 1, 1, Number.MAX_SAFE_INTEGER)
  const listed = paged ? ahead.slice((page - 1) * perPage, page * perPage) : ahead.slice(-UNPAGED_COMMITS)
  const showFiles = !paged || page === 1
  const files = netChanges(ahead.map((c) => c.files)).slice(0, FILES_CAP)

  const api = `${urls.api}/repos/${repo.fullName}`
  const html = `${urls.html}/${repo.fullName}`
  const headers: Record<string, string> = {}
  if (paged) {
    const last = Math.max(1, Math.ceil(ahead.length / perPage))
    const link = (p: number, rel: string) => `<${api}/compare/${encodeURIComponent(basehead)}?per_page=${perPage}&page=${p}>; rel="${rel}"`
    const links: string[] = []
    if (page > 1) links.push(link(page - 1, 'prev'))
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
    if (page > 1) links.push(link(1, 'first'))
    if (links.length) headers.link = links.join(', ')
  }
  return {
    status: 200,
    headers,
    body: {
      url: `${api}/compare/${basehead}`,
      html_url: `${html}/compare/${basehead}`,
      permalink_url: `${html}/compare/${repo.owner}:${baseSha}...${repo.owner}:${headSha}`,
      diff_url: `${html}/compare/${basehead}.diff`,
      patch_url: `${html}/compare/${basehead}.patch`,
      base_commit: commitObject(urls, repo, repo.commits.get(baseSha)!),
      merge_base_commit: commitObject(urls, repo, mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits: listed.map((c) => commitObject(urls, repo, c)),
      ...(showFiles ? { files: files.map((f) => diffEntry(urls, repo, headSha, f)) } : {}),
    },
  }
}

function stripOwner(repo: RepoState, ref: string): string {
  const m = /^([^:]+):(.+)$/.exec(ref)
  if (!m) return ref
  if (m[1]!.toLowerCase() !== repo.owner.toLowerCase()) throw notFound(DOCS.compare) // forks are not modelled
  return m[2]!
}

function clampInt(raw: string | null, fallback: number, min: number, max: number): number {
  const n = raw === null ? NaN : Number.parseInt(raw, 10)
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback
}

interface Net {
  status: FileChange['status']
  previous?: string
  additions: number
  deletions: number
}

/** Fold per-commit changes (oldest first) into the net change, as `git diff base...head` reports it. */
export function netChanges(steps: FileChange[][]): FileChange[] {
  const net = new Map<string, Net>()
  // Line counts default to a one-line edit when the seed gives none.
  const lines = (c: FileChange) => ({
    additions: c.additions ?? (c.status === 'removed' ? 0 : 1),
    deletions: c.deletions ?? (c.status === 'modified' || c.status === 'removed' ? 1 : 0),
  })
  const merge = (e: Net | undefined, c: FileChange) => ({
    additions: (e?.additions ?? 0) + lines(c).additions,
    deletions: (e?.deletions ?? 0) + lines(c).deletions,
  })
  for (const step of steps) {
    for (const c of step) {
      const x = c.filename
      const e = net.get(x)
      switch (c.status) {
        case 'added':
          net.set(x, { status: e?.status === 'removed' ? 'modified' : 'added', ...merge(e, c) })
          break
        case 'modified':
        case 'changed':
          net.set(x, e && ['added', 'renamed', 'copied'].includes(e.status) ? { ...e, ...merge(e, c) } : { status: c.status, ...merge(e, c) })
          break
        case 'removed':
          if (e?.status === 'added' || e?.status === 'copied') net.delete(x)
          else if (e?.status === 'renamed' && e.previous) {
            net.delete(x)
            net.set(e.previous, { status: 'removed', ...lines(c) })
          } else net.set(x, { status: 'removed', ...merge(undefined, c) })
          break
        case 'renamed':
        case 'copied': {
          const from = c.previous_filename
          if (!from) {
            net.set(x, { status: 'modified', ...merge(e, c) })
            break
          }
          const src = net.get(from)
          if (c.status === 'renamed') net.delete(from)
          if (e?.status === 'removed') {
            net.set(x, { status: 'modified', ...merge(e, c) })
            if (c.status === 'renamed') net.set(from, { status: 'removed', additions: 0, deletions: 0 })
          } else if (src?.status === 'added') {
            net.set(x, { status: 'added', ...merge(src, c) })
          } else if (src?.status === 'renamed' && src.previous && c.status === 'renamed') {
            net.set(x, src.previous === x ? { status: 'modified', ...merge(src, c) } : { status: 'renamed', previous: src.previous, ...merge(src, c) })
          } else {
            net.set(x, { status: c.status, previous: from, ...merge(src, c) })
          }
          break
        }
        case 'unchanged':
          break
      }
    }
  }
  return [...net.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([filename, n]) => ({
      filename,
      status: n.status,
      additions: n.additions,
      deletions: n.deletions,
      ...(n.previous !== undefined ? { previous_filename: n.previous } : {}),
    }))
}
