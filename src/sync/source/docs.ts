// Step 1 of publishing, local only (before the refresh token is spent): find the Markdown files under `path`,
// read them as strict UTF-8, convert each once (titles, front matter, warnings, and the blocks publishing writes
// after filling in the links), build the page tree, and classify every relative link once against it.
//
// Files: every *.md under `path`, minus `exclude` (picomatch globs relative to `path`, dotfiles matched too)
// and minus hidden files and folders (names starting with "."). A docs folder arrives through pull requests, so
// nothing outside it is ever read: a symbolic link is followed only when its real target is inside the real
// path of `path` and not hidden (a link out of it is skipped and reported), and images obey the same rules
// (images.ts). A file that is not valid UTF-8 is a failed page (named, with the reason), never published as
// mojibake.
import fs from 'node:fs'
import path from 'node:path'
import picomatch from 'picomatch'
import type { TitleSource } from '../../markdown/index.js'
import type { Settings } from '../../settings.js'
import { type ConvertedSource, type SourceContext, convertSource, decodeSource } from './convert.js'
import { ImageStore, hasHiddenSegment, inside } from './images.js'
import { type SiteNavigation, readNavigation } from './navigation.js'
import { type LinkTarget, classifyLink } from './links.js'
import { type DocsTree, type LoadedFile, buildDocsTree } from './tree.js'

export interface SourceFile extends LoadedFile, SourceContext {
  absPath: string
  /** The decoded text (undefined when it failed). */
  text?: string
  /** The file's one conversion of the run, links as written: publishing fills them in (fillLinks). */
  converted?: ConvertedSource
  /** Where each link slot of `converted` leads in this docs tree (by slot index), classified once. */
  targets: LinkTarget[]
  /** The line an error points at (the first byte that is not UTF-8). */
  errorLine?: number
}

export interface DocsSet {
  tree: DocsTree
  /** By repo path. */
  files: Map<string, SourceFile>
  /** Things found but not published, with the reason (a symlink leaving the workspace). */
  skipped: { path: string; reason: string }[]
  /** How many .md files `exclude` left out. */
  excluded: number
  workspace: string
  /** The workspace's real path (symlinks resolved), for containment checks. */
  workspaceReal: string
  /** Found while loading, on the file and line concerned: images refused by the rules above, with the rule. */
  warnings: { file: string; line?: number; message: string }[]
  /** The images pages may show: checked before the token is spent, each real file read once per run. */
  images: ImageStore
}

export async function loadDocs(settings: Settings): Promise<DocsSet> {
  const workspaceReal = fs.realpathSync(settings.workspace)
  const stat = fs.statSync(settings.docsPath)
  const singleFile = stat.isFile()
  const rootAbs = singleFile ? path.dirname(settings.docsPath) : settings.docsPath
  const rootRepoPath = toPosix(path.relative(settings.workspace, rootAbs)) || '.'
  const rootReal = fs.realpathSync(rootAbs)
  const skipped: { path: string; reason: string }[] = []
  const isExcluded = settings.exclude.length > 0 ? picomatch([...settings.exclude], { dot: true }) : () => false

  const found: { rel: string; abs: string }[] = []
  let excluded = 0
  if (singleFile) {
    found.push({ rel: path.basename(settings.docsPath), abs: settings.docsPath })
  } else {
    const visited = new Set<string>()
    const walk = (dirAbs: string, dirRel: string): void => {
      const real = safeRealpath(dirAbs)
      if (!real || visited.has(real)) return
      visited.add(real)
      const entries = fs.readdirSync(dirAbs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue
        const abs = path.join(dirAbs, entry.name)
        const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name
        let isDir = entry.isDirectory()
        let isFile = entry.isFile()
        if (entry.isSymbolicLink()) {
          const target = safeRealpath(abs)
          if (!target || !inside(rootReal, target) || hasHiddenSegment(path.relative(rootReal, target))) {
            const where = !target
              ? 'nowhere (a broken link)'
              : !inside(workspaceReal, target)
                ? 'a place outside the workspace'
                : !inside(rootReal, target)
                  ? `a place outside \`path\` (${rootRepoPath})`
                  : 'a hidden file or folder'
            skipped.push({ path: repoPathOf(rootRepoPath, rel), reason: `a symbolic link to ${where} (not followed)` })
            continue
          }
          const targetStat = fs.statSync(target)
          isDir = targetStat.isDirectory()
          isFile = targetStat.isFile()
        }
        if (isDir) {
          if (isExcluded(rel) || isExcluded(`${rel}/`)) {
            excluded += countMarkdown(abs)
            continue
          }
          walk(abs, rel)
        } else if (isFile && /\.md$/i.test(entry.name)) {
          if (isExcluded(rel)) excluded++
          else found.push({ rel, abs })
        }
      }
    }
    walk(rootAbs, '')
  }

  const navigation = readNavigation(settings.workspace, rootRepoPath)
  const readInclude = includeReader(rootAbs, settings.workspace)
  const files = new Map<string, SourceFile>()
  for (const { rel, abs } of found) {
    const repoPath = repoPathOf(rootRepoPath, rel)
    const file: SourceFile = { relPath: rel, repoPath, absPath: abs, targets: [], ...siteContext(navigation, repoPath), readInclude }
    files.set(repoPath, file)
    let bytes: Uint8Array
    try {
      bytes = fs.readFileSync(abs)
    } catch (error) {
      file.error = `could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
      continue
    }
    const decoded = decodeSource(bytes, repoPath)
    if ('error' in decoded) {
      file.error = decoded.error
      file.errorLine = decoded.line
      continue
    }
    file.text = decoded.text
    try {
      const converted = convertSource(decoded.text, repoPath, file)
      file.converted = converted
      file.title = converted.title
      file.titleFromFileName = converted.titleFromFileName
      file.titleFrom = titleOrigin(converted.titleSource, file.navigationTitle !== undefined ? navigation?.source : undefined)
      file.order = converted.order
    } catch (error) {
      file.error = `could not be converted: ${(error as Error).message}`
    }
  }

  // Every image the pages show, checked now (before the token is spent), in document order.
  const images = new ImageStore({ workspace: settings.workspace, rootRepoPath, rootReal })
  const warnings: DocsSet['warnings'] = []
  for (const file of files.values()) {
    for (const image of file.converted?.images ?? []) {
      if (image.remote || image.repoPath === undefined) continue // remote: linked, not read; above the repository root: the converter warns on its line
      const refusal = images.admit(image.repoPath)
      if (refusal) warnings.push({ file: file.repoPath, line: image.line, message: `Image ${image.src} was not read: ${refusal}. A placeholder is published instead.` })
    }
  }

  const tree = buildDocsTree(rootRepoPath, [...files.values()], singleFile, navigation?.siteRoot)
  for (const file of files.values()) file.targets = (file.converted?.slots ?? []).map((slot) => classifyLink(slot.href, file.repoPath, tree))
  return { tree, files, skipped, excluded, workspace: settings.workspace, workspaceReal, warnings, images }
}

/**
 * Bytes of a repository file for an image, or undefined when it is missing or refused (loadDocs warned about
 * it on its line). Each real file is read once per run, whatever the number of pages and blocks showing it.
 */
export async function loadAsset(docs: Pick<DocsSet, 'images'>, repoPath: string): Promise<Uint8Array | undefined> {
  return docs.images.read(repoPath)
}

export function isRepoDirectory(docs: Pick<DocsSet, 'workspace' | 'workspaceReal'>, repoPath: string): boolean {
  const real = safeRealpath(path.resolve(docs.workspace, repoPath || '.'))
  if (!real || !inside(docs.workspaceReal, real)) return false
  try {
    return fs.statSync(real).isDirectory()
  } catch {
    return false
  }
}

/** What is at a repository path (a symbolic link followed), or undefined when nothing is or it leaves the workspace. */
export function repoStat(docs: Pick<DocsSet, 'workspace' | 'workspaceReal'>, repoPath: string): fs.Stats | undefined {
  const real = safeRealpath(path.resolve(docs.workspace, repoPath || '.'))
  if (!real || !inside(docs.workspaceReal, real)) return undefined
  try {
    return fs.statSync(real)
  } catch {
    return undefined
  }
}

function siteContext(navigation: SiteNavigation | undefined, repoPath: string): SourceContext {
  const navigationTitle = navigation?.titles.get(repoPath)
  const navigationOrder = navigation?.order.get(repoPath)
  return { ...(navigationTitle !== undefined ? { navigationTitle } : {}), ...(navigationOrder !== undefined ? { navigationOrder } : {}) }
}

/** Where a title came from, for the report, when it is neither front matter `title` nor a heading. */
function titleOrigin(source: TitleSource, navigationFile: string | undefined): string | undefined {
  if (source === 'navigation') return navigationFile ?? 'sidebar_label'
  return source === 'file-name' ? 'file name' : undefined
}

/**
 * mdBook includes read files inside the docs folder only (symbolic links resolved, as for images), as UTF-8, at
 * most 1 MB each; each is read once per run.
 */
function includeReader(rootAbs: string, workspace: string): (repoPath: string) => string | undefined {
  const rootReal = safeRealpath(rootAbs)
  const cache = new Map<string, string | undefined>()
  return (repoPath) => {
    if (cache.has(repoPath)) return cache.get(repoPath)
    let text: string | undefined
    const real = safeRealpath(path.resolve(workspace, repoPath))
    if (rootReal && real && inside(rootReal, real)) {
      try {
        if (fs.statSync(real).isFile() && fs.statSync(real).size <= 1_000_000) text = fs.readFileSync(real, 'utf8')
      } catch {
        text = undefined
      }
    }
    cache.set(repoPath, text)
    return text
  }
}

/** Whether a repo path is a file or folder inside the workspace (for dead-link warnings, links.ts). */
export function repoPathExists(docs: Pick<DocsSet, 'workspace' | 'workspaceReal'>, repoPath: string): boolean {
  const real = safeRealpath(path.resolve(docs.workspace, repoPath || '.'))
  return real !== undefined && inside(docs.workspaceReal, real)
}

function repoPathOf(rootRepoPath: string, rel: string): string {
  return rootRepoPath === '.' ? rel : `${rootRepoPath}/${rel}`
}

function countMarkdown(dirAbs: string): number {
  try {
    return fs
      .readdirSync(dirAbs, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.md$/i.test(e.name)).length
  } catch {
    return 0
  }
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p)
  } catch {
    return undefined
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}
