// The desired wiki tree, built from the Markdown files found under `path`. Pure: no I/O.
//
// - The docs folder itself maps onto `parent-node` (the user's page, never written).
// - Every .md file is a page. A sub-folder is a page too: its content comes from its index.md (or, without one,
//   README.md); without either, the page lists its children. In the docs folder itself README.md and index.md
//   are ordinary pages.
// - Siblings are ordered by front matter `order` (pages without one come last), then by file name in natural
//   order ("2-x" before "10-x").
//
// Page identity ("key") is the repository path: "docs/guide/install.md" for a file, "docs/guide/" (trailing
// slash) for a folder, whichever file gives the folder its content. The key is what the provenance marker of
// each wiki page records, so a folder page survives its index.md being added, removed or renamed.

export interface LoadedFile {
  /** Path relative to the docs folder, POSIX ("guide/install.md"). */
  relPath: string
  /** Path relative to the repository (workspace), POSIX ("docs/guide/install.md"). */
  repoPath: string
  /** Title from the converter; undefined when the file could not be read or decoded. */
  title?: string
  /** True when the converter had nothing better than the file name. */
  titleFromFileName?: boolean
  /** Where the title came from when it is neither front matter `title` nor a heading ("book/SUMMARY.md", "file name"). */
  titleFrom?: string
  order?: number
  /** Why the file cannot be published (not UTF-8, unreadable, conversion crashed). */
  error?: string
}

export interface SourcePage {
  key: string
  kind: 'file' | 'folder'
  /** The file's repo path, or the folder's repo path without the trailing slash. */
  repoPath: string
  /** The file whose Markdown is the page content (the file itself, or the folder's index file). */
  contentFile?: LoadedFile
  /** Key of the parent page; undefined for pages directly under parent-node. */
  parentKey?: string
  /** Child page keys in sibling order. */
  children: string[]
  title: string
  /** Where the title came from when it is neither front matter `title` nor a heading. */
  titleFrom?: string
  order?: number
  /** File or folder name, the second sort key. */
  name: string
  /** The page cannot be written (its file failed to load). Its existing node is kept as it is. */
  error?: string
}

export interface DocsTree {
  /** Repo path of the docs folder ("docs", or "." for the whole repository). */
  rootRepoPath: string
  /** True when `path` names a single Markdown file. */
  singleFile: boolean
  pages: Map<string, SourcePage>
  /** Keys of the pages directly under parent-node, in sibling order. */
  topLevel: string[]
  /** Repo path of every loaded .md file → key of the page that shows it (an index file → its folder's key). */
  fileKeys: Map<string, string>
  /** Repo path of every folder with a page (no trailing slash) → its key. */
  folderKeys: Map<string, string>
  /** Index files that could not be loaded: their folder falls back to a generated list. */
  failedIndexFiles: LoadedFile[]
  /** Repo path root-relative links ("/x") also start from, when the site generator names one (navigation.ts). */
  siteRoot?: string
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' })

export function compareSiblings(a: Pick<SourcePage, 'order' | 'name'>, b: Pick<SourcePage, 'order' | 'name'>): number {
  const ao = a.order ?? Number.POSITIVE_INFINITY
  const bo = b.order ?? Number.POSITIVE_INFINITY
  if (ao !== bo) return ao < bo ? -1 : 1
  const byName = collator.compare(a.name, b.name)
  if (byName !== 0) return byName
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** Joins a repo-relative folder and a name ("." is the repository root). */
export function joinRepo(dir: string, name: string): string {
  return dir === '.' || dir === '' ? name : `${dir}/${name}`
}

export function folderKey(repoPath: string): string {
  return repoPath === '.' || repoPath === '' ? '' : `${repoPath}/`
}

/** The key of the "Archived" page. It can equal neither a file key (.md) nor a folder key (trailing /). */
export function archiveKey(rootRepoPath: string): string {
  return joinRepo(rootRepoPath, '(archived)')
}

const INDEX_NAMES = ['index.md', 'readme.md']

export function buildDocsTree(rootRepoPath: string, files: readonly LoadedFile[], singleFile = false, siteRoot?: string): DocsTree {
  const pages = new Map<string, SourcePage>()
  const fileKeys = new Map<string, string>()
  const folderKeys = new Map<string, string>()
  const failedIndexFiles: LoadedFile[] = []

  // Folders (relative to the docs folder) that contain at least one file, at any depth.
  const byDir = new Map<string, LoadedFile[]>()
  const dirs = new Set<string>()
  for (const file of files) {
    const dir = parentDir(file.relPath)
    if (!byDir.has(dir)) byDir.set(dir, [])
    byDir.get(dir)!.push(file)
    for (let d = dir; d !== ''; d = parentDir(d)) dirs.add(d)
  }

  // In single-file mode the docs folder is the file's folder and relPath is the file name.
  const relToRepo = (rel: string): string => joinRepo(rootRepoPath, rel)
  const pageKeyOfDir = (dir: string): string | undefined => (dir === '' ? undefined : folderKey(relToRepo(dir)))

  // Folder pages.
  for (const dir of dirs) {
    const repoPath = relToRepo(dir)
    const key = folderKey(repoPath)
    const candidates = (byDir.get(dir) ?? []).filter((f) => INDEX_NAMES.includes(baseName(f.relPath).toLowerCase()))
    candidates.sort((a, b) => INDEX_NAMES.indexOf(baseName(a.relPath).toLowerCase()) - INDEX_NAMES.indexOf(baseName(b.relPath).toLowerCase()))
    let index: LoadedFile | undefined = candidates[0]
    if (index?.error) {
      // Not published as it is: the folder page lists its children instead, and the file is reported.
      failedIndexFiles.push(index)
      fileKeys.set(index.repoPath, key)
      index = undefined
    }
    const name = baseName(dir)
    pages.set(key, {
      key,
      kind: 'folder',
      repoPath,
      contentFile: index,
      parentKey: pageKeyOfDir(parentDir(dir)),
      children: [],
      title: index?.title && !index.titleFromFileName ? index.title : name,
      ...(index?.title && !index.titleFromFileName ? (index.titleFrom ? { titleFrom: index.titleFrom } : {}) : { titleFrom: 'folder name' }),
      order: index?.order,
      name,
    })
    folderKeys.set(repoPath, key)
    if (index) fileKeys.set(index.repoPath, key)
  }

  // File pages (every file that is not its folder's index).
  for (const file of files) {
    if (fileKeys.has(file.repoPath)) continue
    const key = file.repoPath
    pages.set(key, {
      key,
      kind: 'file',
      repoPath: file.repoPath,
      contentFile: file,
      parentKey: pageKeyOfDir(parentDir(file.relPath)),
      children: [],
      title: file.title ?? stripMd(baseName(file.relPath)),
      ...(file.titleFrom ? { titleFrom: file.titleFrom } : {}),
      order: file.order,
      name: baseName(file.relPath),
      ...(file.error ? { error: file.error } : {}),
    })
    fileKeys.set(file.repoPath, key)
  }

  // Children, in sibling order.
  const topLevel: string[] = []
  for (const page of pages.values()) {
    if (page.parentKey === undefined) topLevel.push(page.key)
    else pages.get(page.parentKey)!.children.push(page.key)
  }
  const sortKeys = (keys: string[]): void => {
    keys.sort((a, b) => compareSiblings(pages.get(a)!, pages.get(b)!))
  }
  sortKeys(topLevel)
  for (const page of pages.values()) sortKeys(page.children)

  return { rootRepoPath, singleFile, pages, topLevel, fileKeys, folderKeys, failedIndexFiles, ...(siteRoot !== undefined ? { siteRoot } : {}) }
}

/** Keys in creation order: parents before children, siblings in order (depth first). */
export function pagesInOrder(tree: DocsTree): SourcePage[] {
  const out: SourcePage[] = []
  const visit = (keys: string[]): void => {
    for (const key of keys) {
      const page = tree.pages.get(key)!
      out.push(page)
      visit(page.children)
    }
  }
  visit(tree.topLevel)
  return out
}

export function parentDir(rel: string): string {
  const trimmed = rel.replace(/\/+$/, '')
  const i = trimmed.lastIndexOf('/')
  return i < 0 ? '' : trimmed.slice(0, i)
}

export function baseName(rel: string): string {
  const trimmed = rel.replace(/\/+$/, '')
  return trimmed.slice(trimmed.lastIndexOf('/') + 1)
}

function stripMd(name: string): string {
  return name.replace(/\.md$/i, '')
}
