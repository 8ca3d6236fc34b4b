// Where a link in a Markdown file points once the file is a wiki page. Pure: no I/O.
//
// - A relative link to another synced .md file (or to a synced folder, or to a folder's index file) points at
//   that page's wiki node: https://www.feishu.cn/wiki/<node_token> (Lark: https://www.larksuite.com/wiki/<token>).
//   The brand host redirects to the tenant's own domain, so the link needs no tenant host and is the same on
//   every run (larksuite/cli shortcuts/common/resource_url.go BuildResourceURL). The #anchor is dropped: Feishu
//   heading anchors are block ids that change whenever a block is recreated, so a kept anchor would break or
//   make unchanged pages change.
// - Any other path inside the repository points at GitHub on the branch (never a SHA, so the link stays the
//   same from run to run): <server>/<owner>/<repo>/blob/<branch>/<path>, `tree` for folders. #anchor and
//   ?query are kept (GitHub renders heading anchors for Markdown).
// - Absolute URLs (https:, mailto:, …) are kept as they are.
// - A same-page "#anchor" points at the source file on GitHub with that anchor (wiki headings have no stable
//   anchors of their own). A path that leaves the repository points at the source file on GitHub, with a
//   warning. (The converter writes an unresolved href as it is, and a relative URL means nothing in Feishu.)
import path from 'node:path'
import type { DocsTree } from './tree.js'

export type LinkTarget =
  | { kind: 'page'; key: string; repoPath: string; anchor?: string }
  | { kind: 'repo'; repoPath: string; suffix: string }
  | { kind: 'keep' }
  | { kind: 'anchor'; anchor: string }
  | { kind: 'outside'; reason: string }

export interface GitHubLinkBase {
  serverUrl: string
  owner: string
  repo: string
  /** Branch (or tag) name; "HEAD" (the default branch) when unknown. */
  ref: string
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i

/** Classifies `href` as written in the file at `fromRepoPath`. */
export function classifyLink(href: string, fromRepoPath: string, tree: Pick<DocsTree, 'fileKeys' | 'folderKeys'>): LinkTarget {
  const raw = href.trim()
  if (raw === '' || SCHEME.test(raw) || raw.startsWith('//')) return { kind: 'keep' }
  if (raw.startsWith('#')) return { kind: 'anchor', anchor: raw.slice(1) }

  const cut = raw.search(/[?#]/)
  const pathPart = cut < 0 ? raw : raw.slice(0, cut)
  const suffix = cut < 0 ? '' : raw.slice(cut)
  const anchor = suffix.includes('#') ? suffix.slice(suffix.indexOf('#') + 1) : undefined
  let decoded: string
  try {
    decoded = decodeURIComponent(pathPart)
  } catch {
    decoded = pathPart
  }
  decoded = decoded.replace(/\\/g, '/')
  // GitHub resolves "/x" from the repository root and "x" from the file's folder.
  const joined = decoded.startsWith('/') ? decoded.slice(1) : path.posix.join(path.posix.dirname(fromRepoPath), decoded)
  const normalized = path.posix.normalize(joined === '' ? '.' : joined).replace(/\/+$/, '') || '.'
  if (normalized === '..' || normalized.startsWith('../')) {
    return { kind: 'outside', reason: `${href} points outside the repository` }
  }
  const repoPath = normalized === '.' ? '' : normalized

  const fileKey = tree.fileKeys.get(repoPath)
  if (fileKey !== undefined) return { kind: 'page', key: fileKey, repoPath, ...(anchor ? { anchor } : {}) }
  const folder = tree.folderKeys.get(repoPath)
  if (folder !== undefined) return { kind: 'page', key: folder, repoPath, ...(anchor ? { anchor } : {}) }
  return { kind: 'repo', repoPath, suffix }
}

export function githubUrl(base: GitHubLinkBase, repoPath: string, isDirectory: boolean, suffix = ''): string {
  const seg = (s: string): string =>
    s
      .split('/')
      .filter((p) => p !== '')
      .map(encodeURIComponent)
      .join('/')
  const kind = isDirectory ? 'tree' : 'blob'
  const tail = repoPath ? `/${seg(repoPath)}` : ''
  return `${base.serverUrl.replace(/\/+$/, '')}/${seg(base.owner)}/${seg(base.repo)}/${kind}/${seg(base.ref || 'HEAD')}${tail}${suffix}`
}

export interface LinkResolverContext {
  tree: Pick<DocsTree, 'fileKeys' | 'folderKeys' | 'pages'>
  /** "https://www.feishu.cn/wiki/" or the Lark equivalent. */
  wikiPrefix: string
  github?: GitHubLinkBase
  /** The node token of a page, when it has one (existing, or created in this run). */
  nodeToken: (key: string) => string | undefined
  isDirectory: (repoPath: string) => boolean
}

export interface ResolvedLink {
  /** The URL to write, or undefined for "no link" (the text stays). */
  url?: string
  target: LinkTarget
  /** Something the author should know (a dropped link). */
  warning?: string
}

export function resolveLink(href: string, fromRepoPath: string, ctx: LinkResolverContext): ResolvedLink {
  const target = classifyLink(href, fromRepoPath, ctx.tree)
  switch (target.kind) {
    case 'keep':
      return { url: href.trim() || undefined, target }
    case 'anchor':
      return { url: ctx.github ? githubUrl(ctx.github, fromRepoPath, false, `#${target.anchor}`) : undefined, target }
    case 'outside':
      return {
        url: ctx.github ? githubUrl(ctx.github, fromRepoPath, false) : undefined,
        target,
        warning: `${target.reason}; it links to this file on GitHub instead`,
      }
    case 'page': {
      const token = ctx.nodeToken(target.key)
      if (token) return { url: ctx.wikiPrefix + token, target }
      // The page has no node (it failed, or this is a dry run): link to the source instead.
      if (!ctx.github) return { target }
      const page = ctx.tree.pages.get(target.key)
      const folder = page?.kind === 'folder' && target.repoPath === page.repoPath
      return { url: githubUrl(ctx.github, target.repoPath, folder, target.anchor ? `#${target.anchor}` : ''), target }
    }
    case 'repo':
      if (!ctx.github) return { target, warning: `link to ${target.repoPath || 'the repository root'} not kept: the repository is unknown` }
      return { url: githubUrl(ctx.github, target.repoPath, ctx.isDirectory(target.repoPath), target.suffix), target }
  }
}
