// Where a link in a Markdown file points once the file is a wiki page. Pure: no I/O.
//
// - A relative link to another synced .md file (or to a synced folder, or to a folder's index file) points at
//   that page's wiki node: https://www.feishu.cn/wiki/<node_token> (Lark: https://www.larksuite.com/wiki/<token>).
//   The brand host redirects to the tenant's own domain, so the link needs no tenant host and is the same on
//   every run (larksuite/cli shortcuts/common/resource_url.go BuildResourceURL).
// - Site-style links reach their page too, resolved as the site generators do (docs/site-generators.md): an
//   extension-less path (`./b` → b.md), `.html` for `.md` (`b.html`), a folder (`./b/` → b/index.md or
//   b/README.md), and a root-relative `/b` against the docs folder and the site's root (mdBook `src`, MkDocs
//   `docs_dir`, VitePress' root) after the repository root.
// - The #anchor of a link to a page is kept in the target, not in the URL made here: Feishu opens
//   `<document url>#<block_id>` at that block (larksuite/cli pull request #1120), and a heading's block id is known
//   only once its page is written, so publishing (apply/run.ts) adds it when it knows it and points at the page
//   otherwise (docs/concepts/how-publishing-works.md, "Links to headings").
// - Any other path inside the repository points at GitHub on the branch (never a SHA, so the link stays the
//   same from run to run): <server>/<owner>/<repo>/blob/<branch>/<path>, `tree` for folders. #anchor and
//   ?query are kept (GitHub renders heading anchors for Markdown).
// - Absolute URLs (https:, mailto:, …) are kept as they are.
// - A same-page "#anchor" is a link to a heading of its own page (publishing resolves it like the above); without
//   a page, it points at the source file on GitHub with that anchor.
// - A path that leaves the repository points at the source file on GitHub (the converter warned at its line).
//   (The converter writes a relative href as it is, and a relative URL means nothing in Feishu.)
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
export function classifyLink(href: string, fromRepoPath: string, tree: Pick<DocsTree, 'fileKeys' | 'folderKeys' | 'rootRepoPath' | 'siteRoot'>): LinkTarget {
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

  const bases = decoded.startsWith('/') ? [repoPath, ...siteRoots(tree).map((root) => joinPath(root, repoPath))] : [repoPath]
  for (const base of bases) {
    for (const candidate of siteCandidates(base, /\/$/.test(decoded))) {
      const key = tree.fileKeys.get(candidate) ?? tree.folderKeys.get(candidate)
      if (key !== undefined) return { kind: 'page', key, repoPath: candidate, ...(anchor ? { anchor } : {}) }
    }
  }
  return { kind: 'repo', repoPath, suffix }
}

/** Where root-relative links may start besides the repository root: the docs folder, then the site's root. */
function siteRoots(tree: Pick<DocsTree, 'rootRepoPath' | 'siteRoot'>): string[] {
  const roots = [tree.rootRepoPath, tree.siteRoot].filter((root): root is string => root !== undefined && root !== '.' && root !== '')
  return [...new Set(roots)]
}

function joinPath(root: string, repoPath: string): string {
  return repoPath === '' ? root : `${root}/${repoPath}`
}

/**
 * The files a link path may mean, GitHub's reading first: the path itself (a file, or a folder with a page), then
 * the site generators' readings: `.html` → `.md`, an extension-less path → `.md`, a folder → its index.md or
 * README.md. A path written with a trailing slash is a folder only.
 */
export function siteCandidates(repoPath: string, folderOnly = false): string[] {
  const index = (dir: string) => [dir, joinPath(dir, 'index.md'), joinPath(dir, 'README.md'), joinPath(dir, 'readme.md')].map((p) => p.replace(/^\//, ''))
  if (folderOnly) return index(repoPath)
  const name = repoPath.slice(repoPath.lastIndexOf('/') + 1)
  const html = /\.html?$/i.exec(name)
  if (html) {
    const stem = repoPath.slice(0, -html[0].length)
    return [repoPath, ...(/(^|\/)index$/i.test(stem) ? index(stem.replace(/\/?index$/i, '')) : [`${stem}.md`])]
  }
  if (!name.includes('.')) return [repoPath, `${repoPath}.md`, ...index(repoPath).slice(1)]
  return [repoPath]
}

/**
 * Why a link written in `fromRepoPath` reaches nothing, or undefined when it reaches something (a page, a file or
 * folder of the repository, or a place outside it). `exists` tells whether a repo path is a file or folder. This is
 * the one check for dead links: publishing warns with it, a check mode can report with it.
 */
export function deadLinkReason(href: string, fromRepoPath: string, tree: Pick<DocsTree, 'fileKeys' | 'folderKeys' | 'rootRepoPath' | 'siteRoot'>, exists: (repoPath: string) => boolean): string | undefined {
  return deadTargetReason(href, classifyLink(href, fromRepoPath, tree), exists)
}

/** deadLinkReason for a link already classified. */
export function deadTargetReason(href: string, target: LinkTarget, exists: (repoPath: string) => boolean): string | undefined {
  if (target.kind !== 'repo' || exists(target.repoPath)) return undefined
  return `link ${href} reaches nothing: there is no page, file or folder ${target.repoPath || '/'} (also tried as a site link: ${siteCandidates(target.repoPath).slice(1).join(', ') || 'none'})`
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
  tree: Pick<DocsTree, 'fileKeys' | 'folderKeys' | 'pages' | 'rootRepoPath' | 'siteRoot'>
  /** "https://www.feishu.cn/wiki/" or the Lark equivalent. */
  wikiPrefix: string
  github?: GitHubLinkBase
  /** The node token of a page, when it has one (existing, or created in this run). */
  nodeToken: (key: string) => string | undefined
  isDirectory: (repoPath: string) => boolean
  /** Whether a repo path is a file or folder; with it, a link that reaches nothing gets a warning. */
  exists?: (repoPath: string) => boolean
}

export interface ResolvedLink {
  /** The URL to write, or undefined for "no link" (the text stays). */
  url?: string
  target: LinkTarget
  /** Something the author should know (a dropped link). */
  warning?: string
}

export function resolveLink(href: string, fromRepoPath: string, ctx: LinkResolverContext): ResolvedLink {
  return resolveTarget(href, classifyLink(href, fromRepoPath, ctx.tree), fromRepoPath, ctx)
}

/** resolveLink for a link already classified (loadDocs classifies each link once). */
export function resolveTarget(href: string, target: LinkTarget, fromRepoPath: string, ctx: LinkResolverContext): ResolvedLink {
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
    case 'repo': {
      if (!ctx.github) return { target, warning: `link to ${target.repoPath || 'the repository root'} not kept: the repository is unknown` }
      const dead = ctx.exists ? deadTargetReason(href, target, ctx.exists) : undefined
      return { url: githubUrl(ctx.github, target.repoPath, ctx.isDirectory(target.repoPath), target.suffix), target, ...(dead ? { warning: dead } : {}) }
    }
  }
}
