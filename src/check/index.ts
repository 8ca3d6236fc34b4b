// mode: check (and `feishu-wiki-sync check`): what publishing these docs would do, found without a token,
// a secret or a single network call, so it is safe on pull requests from forks. It reuses the loader and the
// converter (src/sync/source/docs.ts reads and converts every file) and only reads what they produced:
//
// - errors (the step fails): files that would fail to publish (not UTF-8, unreadable, not convertible);
// - warnings: relative links to nothing or to files left out, #anchors no heading of the target has, missing
//   or too large images, sibling pages with the same title, what the converter degrades (with what happens to
//   it), and links or files that leave the workspace.
//
// Plus the tree the docs would become. Nothing here writes: the report (src/report/check.ts) says it.
import { UPLOAD_ALL_MAX_BYTES } from '../feishu/media.js'
import type { LoadedMapping } from '../mappings.js'
import { type DocsSet, type SourceFile, repoStat } from '../sync/source/docs.js'
import { type RepoFiles, unresolvedLink } from '../sync/source/link-check.js'
import { type LinkTarget, classifyLink, deadTargetReason } from '../sync/source/links.js'
import { type DocsTree, pagesInOrder } from '../sync/source/tree.js'
import { type HeadingAnchors, hasAnchor, headingAnchors, missingAnchorWarning } from '../sync/source/anchors.js'

export type FindingKind = 'unpublishable' | 'link' | 'anchor' | 'image' | 'title-clash' | 'conversion' | 'skipped'

export interface Finding {
  severity: 'error' | 'warning'
  kind: FindingKind
  /** Repository path of the file the finding is about. */
  file: string
  line?: number
  column?: number
  message: string
}

export interface TreeLine {
  /** 0 for a page directly under the mapping's parent. */
  depth: number
  title: string
  /** The file whose content the page shows, or the folder (with a trailing slash) of a generated page. */
  source: string
}

export interface CheckedMapping {
  path: string
  spaceId?: string
  parentNode?: string
  files: number
  excluded: number
  tree: TreeLine[]
}

export interface CheckResult {
  mappings: CheckedMapping[]
  /** By file, then line. */
  findings: Finding[]
  errors: number
  warnings: number
}

export function checkDocs(loaded: readonly LoadedMapping[]): CheckResult {
  const findings: Finding[] = []
  const repoFiles = repoFilesOf(loaded)
  const anchorsOf = anchorCache(loaded)
  for (const { docs } of loaded) {
    for (const file of docs.files.values()) {
      if (file.error) {
        findings.push({ severity: 'error', kind: 'unpublishable', file: file.repoPath, line: file.errorLine ?? 1, message: `This file would fail to publish: ${file.error.replace(/\.$/, '')}.` })
        continue
      }
      if (file.converted) findings.push(...checkFile(file, docs, loaded, repoFiles, anchorsOf))
    }
    for (const skipped of docs.skipped) {
      findings.push({ severity: 'warning', kind: 'skipped', file: skipped.path, message: `Not published: ${skipped.reason}.` })
    }
    findings.push(...titleClashes(docs.tree))
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)))
  const errors = findings.filter((f) => f.severity === 'error').length
  return {
    mappings: loaded.map(({ mapping, docs }) => ({
      path: mapping.docsPathInRepo,
      ...(mapping.spaceId ? { spaceId: mapping.spaceId } : {}),
      ...(mapping.parentNode ? { parentNode: mapping.parentNode } : {}),
      files: docs.files.size,
      excluded: docs.excluded,
      tree: treeLines(docs.tree),
    })),
    findings,
    errors,
    warnings: findings.length - errors,
  }
}

function checkFile(
  file: SourceFile,
  docs: DocsSet,
  loaded: readonly LoadedMapping[],
  repoFiles: CheckFiles,
  anchorsOf: (repoPath: string) => HeadingAnchors | undefined,
): Finding[] {
  const draft = file.converted!
  const out: Finding[] = []
  const warn = (kind: FindingKind, line: number, column: number | undefined, message: string): void => {
    out.push({ severity: 'warning', kind, file: file.repoPath, line, ...(column ? { column } : {}), message })
  }
  // What the converter degrades (HTML left out, tables cut, text split, …): its own words say what happens.
  for (const w of draft.warnings) warn('conversion', w.line, w.column, w.message)

  for (const link of draft.links) {
    if (link.slot === undefined) continue // an absolute URL
    const target = classifyAcross(file.targets[link.slot]!, link.href, file.repoPath, docs, loaded)
    // Publishing's own words: deadTargetReason for a link to nothing, unresolvedLink for a file left out.
    const broken = deadTargetReason(link.href, target, repoFiles.exists) ?? unresolvedLink(link.href, target, repoFiles)
    if (broken) {
      warn('link', link.line, link.column, broken)
      continue
    }
    const anchor = target.kind === 'anchor' ? { file: file.repoPath, anchor: target.anchor } : target.kind === 'page' && target.anchor ? { file: target.repoPath, anchor: target.anchor } : undefined
    if (!anchor) continue
    const anchors = anchorsOf(anchor.file)
    if (anchors && !hasAnchor(anchors, anchor.anchor)) {
      const which = anchor.file === file.repoPath ? 'this file' : anchor.file
      warn('anchor', link.line, link.column, missingAnchorWarning(link.href, which, anchor.anchor))
    }
  }

  for (const image of draft.images) {
    if (image.remote || image.repoPath === undefined) continue // remote: linked, not uploaded; outside: the converter warns
    const size = repoFiles.fileSize(image.repoPath)
    const refusal = size === undefined ? undefined : docs.images.admit(image.repoPath)
    if (size === undefined) warn('image', image.line, undefined, `Image ${image.src}: ${image.repoPath} is not a file in the repository; a "[missing image]" placeholder would be written.`)
    else if (refusal) warn('image', image.line, undefined, `Image ${image.src} would not be read: ${refusal}. A placeholder would be published instead.`)
    else if (size > UPLOAD_ALL_MAX_BYTES) warn('image', image.line, undefined, `Image ${image.src} is larger than 20 MB, Feishu's upload limit; an "[image too large]" placeholder would be written.`)
  }
  return out
}

/**
 * A link as the page would resolve it: a page of this mapping (classified once by loadDocs), else a page of another
 * mapping, else a repo path.
 */
function classifyAcross(own: LinkTarget, href: string, from: string, docs: DocsSet, loaded: readonly LoadedMapping[]): LinkTarget {
  if (own.kind !== 'repo') return own
  for (const other of loaded) {
    if (other.docs === docs) continue
    const there = classifyLink(href, from, other.docs.tree)
    if (there.kind === 'page') return there
  }
  return own
}

/** Two pages under one parent with one title: readers (and search) cannot tell them apart. */
function titleClashes(tree: DocsTree): Finding[] {
  const out: Finding[] = []
  const groups = [tree.topLevel, ...[...tree.pages.values()].map((p) => p.children)]
  for (const keys of groups) {
    const byTitle = new Map<string, string[]>()
    for (const key of keys) {
      const title = tree.pages.get(key)!.title.trim()
      byTitle.set(title, [...(byTitle.get(title) ?? []), key])
    }
    for (const [title, same] of byTitle) {
      if (same.length < 2) continue
      for (const key of same) {
        const page = tree.pages.get(key)!
        const others = same.filter((k) => k !== key).map((k) => tree.pages.get(k)!.contentFile?.repoPath ?? k)
        out.push({
          severity: 'warning',
          kind: 'title-clash',
          file: page.contentFile?.repoPath ?? key,
          line: 1,
          message: `The page "${title}" has the same title as ${others.join(', ')}, under the same parent: readers cannot tell them apart. Give one another title (front matter title: or its first heading).`,
        })
      }
    }
  }
  return out
}

function treeLines(tree: DocsTree): TreeLine[] {
  const depth = (key: string | undefined): number => {
    let d = 0
    for (let k = key; k !== undefined; k = tree.pages.get(k)?.parentKey) d++
    return d - 1
  }
  return pagesInOrder(tree).map((page) => ({ depth: depth(page.key), title: page.title, source: page.contentFile?.repoPath ?? page.key }))
}

function anchorCache(loaded: readonly LoadedMapping[]): (repoPath: string) => HeadingAnchors | undefined {
  const cache = new Map<string, HeadingAnchors | undefined>()
  return (repoPath) => {
    if (!cache.has(repoPath)) {
      const file = loaded.map(({ docs }) => docs.files.get(repoPath)).find((f) => f !== undefined)
      cache.set(repoPath, file?.converted ? headingAnchors(file.converted) : undefined)
    }
    return cache.get(repoPath)
  }
}

type CheckFiles = RepoFiles & { fileSize(repoPath: string): number | undefined }

/** The repository as the links and images of the docs see it: inside the workspace only. */
function repoFilesOf(loaded: readonly LoadedMapping[]): CheckFiles {
  const first = loaded[0]?.docs
  const stat = (repoPath: string) => (first ? repoStat(first, repoPath) : undefined)
  return {
    exists: (repoPath) => stat(repoPath) !== undefined,
    fileSize: (repoPath) => {
      const s = stat(repoPath)
      return s?.isFile() ? s.size : undefined
    },
    notPublished: (repoPath) => {
      if (!/\.md$/i.test(repoPath)) return undefined
      const owner = loaded.find(({ mapping }) => mapping.docsPathInRepo === '.' || repoPath.startsWith(`${mapping.docsPathInRepo}/`))
      if (!owner || owner.docs.tree.fileKeys.has(repoPath)) return undefined
      return repoPath.split('/').some((part) => part.startsWith('.')) ? 'is hidden (a name starting with ".")' : 'is left out of the wiki by exclude'
    },
  }
}

/** Why the check fails the step: a file that would fail to publish, or any warning with fail-on-warning. */
export function checkFailure(result: CheckResult, failOnWarning: boolean): string | undefined {
  if (result.errors > 0) return `${result.errors} problem(s) would make files fail to publish; see the annotations and the job summary.`
  if (failOnWarning && result.warnings > 0) return `${result.warnings} warning(s), and fail-on-warning is true; see the annotations and the job summary.`
  return undefined
}
