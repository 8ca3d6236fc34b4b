// The site generator's navigation, where the docs tree has one: page titles and sibling order from mdBook's
// SUMMARY.md (https://rust-lang.github.io/mdBook/format/summary.html) or MkDocs' `nav`
// (https://www.mkdocs.org/user-guide/configuration/#nav), and the folder that root-relative links ("/x") start
// from: mdBook's `src` (book.toml), MkDocs' `docs_dir`, or the folder holding VitePress' `.vitepress`
// (https://vitepress.dev/guide/routing#root-and-source-directory).
//
// The files are looked for in the docs folder and the folders above it, up to the workspace, never outside it.
// Parsing is pure (parseSummary, parseMkdocsNav); readNavigation does the reading. Docusaurus keeps its
// navigation in front matter (`sidebar_label`, `sidebar_position`), read with the page (convert.ts, title.ts).
import fs from 'node:fs'
import path from 'node:path'
import type { Link, Nodes } from 'mdast'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import YAML from 'yaml'

export interface SiteNavigation {
  /** Repo path of the file the navigation came from ("book/src/SUMMARY.md", "mkdocs.yml"). */
  source: string
  /** Repo path of a Markdown file → its title in the navigation. */
  titles: Map<string, string>
  /** Repo path of a Markdown file → its position in the navigation (the sibling order). */
  order: Map<string, number>
  /** Repo path that root-relative links start from, when the generator names one. */
  siteRoot?: string
}

const summaryParser = unified().use(remarkParse).freeze()

/**
 * mdBook's SUMMARY.md: every link to a chapter, in reading order, with its text as the title
 * (`summaryDir`: repo path of the folder holding SUMMARY.md; chapter paths are relative to it).
 */
export function parseSummary(markdown: string, summaryDir: string): Pick<SiteNavigation, 'titles' | 'order'> {
  const titles = new Map<string, string>()
  const order = new Map<string, number>()
  const pending: Nodes[] = [summaryParser.parse(markdown)]
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'link') add(node)
    else if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]!)
  }
  function add(link: Link): void {
    const target = localPath(link.url)
    const title = textOf(link)
    if (target === undefined || title === '') return
    const repoPath = joinRepoPath(summaryDir, target)
    if (titles.has(repoPath)) return
    titles.set(repoPath, title)
    order.set(repoPath, order.size)
  }
  return { titles, order }
}

/**
 * MkDocs' `nav` (`docsDir`: repo path of `docs_dir`): `- Title: page.md`, `- page.md` (no title: the page's own
 * applies), and sections `- Section: [ … ]`, in reading order. External links are skipped.
 */
export function parseMkdocsNav(nav: unknown, docsDir: string): Pick<SiteNavigation, 'titles' | 'order'> {
  const titles = new Map<string, string>()
  const order = new Map<string, number>()
  const visit = (entry: unknown, title: string | undefined): void => {
    if (Array.isArray(entry)) for (const item of entry) visit(item, undefined)
    else if (typeof entry === 'string') {
      const target = localPath(entry)
      if (target === undefined) return
      const repoPath = joinRepoPath(docsDir, target)
      if (order.has(repoPath)) return
      order.set(repoPath, order.size)
      if (title && title.trim() !== '') titles.set(repoPath, title.trim())
    } else if (entry && typeof entry === 'object') {
      for (const [key, value] of Object.entries(entry)) visit(value, key)
    }
  }
  visit(nav, undefined)
  return { titles, order }
}

/** The navigation for the docs folder at `docsRepoPath` ("." for the whole repository), or undefined. */
export function readNavigation(workspace: string, docsRepoPath: string): SiteNavigation | undefined {
  const workspaceReal = realpath(workspace)
  if (!workspaceReal) return undefined
  const read = (repoPath: string): string | undefined => {
    const real = realpath(path.resolve(workspace, repoPath))
    if (!real || !inside(workspaceReal, real)) return undefined
    try {
      return fs.statSync(real).isFile() ? fs.readFileSync(real, 'utf8') : undefined
    } catch {
      return undefined
    }
  }
  const isDir = (repoPath: string): boolean => {
    const real = realpath(path.resolve(workspace, repoPath))
    return real !== undefined && inside(workspaceReal, real) && fs.statSync(real).isDirectory()
  }
  for (const dir of foldersUpward(docsRepoPath)) {
    const bookToml = read(joinRepoPath(dir, 'book.toml'))
    if (bookToml !== undefined || read(joinRepoPath(dir, 'SUMMARY.md')) !== undefined) {
      const src = bookToml === undefined ? dir : joinRepoPath(dir, mdBookSource(bookToml))
      const summary = read(joinRepoPath(src, 'SUMMARY.md'))
      if (summary === undefined) continue
      return { source: joinRepoPath(src, 'SUMMARY.md'), ...parseSummary(summary, src), siteRoot: src }
    }
    for (const name of ['mkdocs.yml', 'mkdocs.yaml']) {
      const text = read(joinRepoPath(dir, name))
      if (text === undefined) continue
      const config = YAML.parseDocument(text, { logLevel: 'silent' }).toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null
      const docsDir = joinRepoPath(dir, typeof config?.docs_dir === 'string' ? config.docs_dir : 'docs')
      return { source: joinRepoPath(dir, name), ...parseMkdocsNav(config?.nav ?? [], docsDir), siteRoot: docsDir }
    }
    if (isDir(joinRepoPath(dir, '.vitepress'))) return { source: joinRepoPath(dir, '.vitepress'), titles: new Map(), order: new Map(), siteRoot: dir }
  }
  return undefined
}

/** book.toml's `[book] src` (default "src"); a one-line read, since only this key matters. */
function mdBookSource(toml: string): string {
  let section = ''
  for (const line of toml.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/.exec(line)
    if (header) section = header[1]!.trim()
    const src = /^\s*src\s*=\s*["']([^"']+)["']/.exec(line)
    if (src && section === 'book') return src[1]!
  }
  return 'src'
}

/** The docs folder and every folder above it, up to the repository root. */
function foldersUpward(docsRepoPath: string): string[] {
  const out: string[] = []
  let dir = docsRepoPath === '' ? '.' : docsRepoPath
  for (;;) {
    out.push(dir)
    if (dir === '.') return out
    const parent = path.posix.dirname(dir)
    dir = parent === '' ? '.' : parent
  }
}

/** A link target inside the site: no scheme, no anchor, percent-decoded; undefined for an empty or external one. */
function localPath(url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return undefined
  const target = url.replace(/[?#].*$/, '')
  if (target === '') return undefined
  try {
    return decodeURIComponent(target)
  } catch {
    return target
  }
}

function joinRepoPath(dir: string, target: string): string {
  const joined = path.posix.normalize(path.posix.join(dir === '.' ? '' : dir, target.replace(/^\/+/, '')))
  return joined === '' ? '.' : joined.replace(/\/+$/, '')
}

function textOf(node: Nodes): string {
  let text = ''
  const pending: Nodes[] = [node]
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.type === 'text' || next.type === 'inlineCode') text += next.value
    else if ('children' in next) for (let i = next.children.length - 1; i >= 0; i--) pending.push(next.children[i]!)
  }
  return text.replace(/\s+/g, ' ').trim()
}

function realpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p)
  } catch {
    return undefined
  }
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}
