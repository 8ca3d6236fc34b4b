// Step 1 of publishing, local only (before the refresh token is spent): find the Markdown files under `path`,
// read them as strict UTF-8, convert them once to learn titles, front matter and links, and build the page tree.
//
// Files: every *.md under `path`, minus `exclude` (picomatch globs relative to `path`, dotfiles matched too)
// and minus hidden files and folders (names starting with "."). A symbolic link is followed only when its
// target is inside the workspace (a link out of it is skipped and reported): the action must never publish a
// file from elsewhere on the runner. A file that is not valid UTF-8 is a failed page (named, with the reason),
// never published as mojibake.
import fs from 'node:fs'
import path from 'node:path'
import picomatch from 'picomatch'
import type { Settings } from '../../settings.js'
import { type ConvertedSource, convertSource, decodeSource } from './convert.js'
import { type DocsTree, type LoadedFile, buildDocsTree } from './tree.js'

export interface SourceFile extends LoadedFile {
  absPath: string
  /** The decoded text (undefined when it failed). */
  text?: string
  /** The conversion made while loading (links not yet resolved), for titles, front matter and link targets. */
  draft?: ConvertedSource
  /** Every link href the file contains, as written. */
  hrefs: string[]
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
}

export async function loadDocs(settings: Settings): Promise<DocsSet> {
  const workspaceReal = fs.realpathSync(settings.workspace)
  const stat = fs.statSync(settings.docsPath)
  const singleFile = stat.isFile()
  const rootAbs = singleFile ? path.dirname(settings.docsPath) : settings.docsPath
  const rootRepoPath = toPosix(path.relative(settings.workspace, rootAbs)) || '.'
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
          if (!target || !inside(workspaceReal, target)) {
            skipped.push({ path: repoPathOf(rootRepoPath, rel), reason: 'a symbolic link to a place outside the workspace (not followed)' })
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

  const files = new Map<string, SourceFile>()
  for (const { rel, abs } of found) {
    const repoPath = repoPathOf(rootRepoPath, rel)
    const file: SourceFile = { relPath: rel, repoPath, absPath: abs, hrefs: [] }
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
      const hrefs: string[] = []
      file.draft = convertSource(decoded.text, repoPath, (href) => {
        hrefs.push(href)
        return undefined
      })
      file.hrefs = hrefs
      file.title = file.draft.title
      file.titleFromFileName = file.draft.titleFromFileName
      file.order = file.draft.order
    } catch (error) {
      file.error = `could not be converted: ${(error as Error).message}`
    }
  }

  const tree = buildDocsTree(rootRepoPath, [...files.values()], singleFile)
  return { tree, files, skipped, excluded, workspace: settings.workspace, workspaceReal }
}

/**
 * Bytes of a repository file for an image, or undefined when it is missing, not a file, or (through a
 * symbolic link or "..") outside the workspace.
 */
export async function loadAsset(docs: Pick<DocsSet, 'workspace' | 'workspaceReal'>, repoPath: string): Promise<Uint8Array | undefined> {
  const abs = path.resolve(docs.workspace, repoPath)
  const real = safeRealpath(abs)
  if (!real || !inside(docs.workspaceReal, real)) return undefined
  try {
    const stat = await fs.promises.stat(real)
    if (!stat.isFile()) return undefined
    return await fs.promises.readFile(real)
  } catch {
    return undefined
  }
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

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}
