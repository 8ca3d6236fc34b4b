// Does a relative link lead to a page? Pure: the file system is asked through `RepoFiles`.
//
// A link to a Markdown file that is a page is fine; so is a link to any other file or folder of the repository
// (it leads to GitHub). A link to a Markdown file that is left out of the wiki leads to GitHub instead of a page:
// worth a warning at the link's line. A link to a path that does not exist is deadLinkReason's (links.ts), so no
// broken link is warned about twice. The link itself is still written (to GitHub), so the page keeps its text.
import type { LinkTarget } from './links.js'

export interface RepoFiles {
  /** A file or folder exists at this repository path (inside the workspace). */
  exists(repoPath: string): boolean
  /** Why an existing Markdown file is not a page (left out by `exclude`, hidden), or undefined when it is one or is no docs file. */
  notPublished(repoPath: string): string | undefined
}

/** Why a link to an existing file leads to GitHub rather than to a page, or undefined (a page, another file, or nothing: see deadLinkReason). */
export function unresolvedLink(href: string, target: LinkTarget, files: RepoFiles): string | undefined {
  if (target.kind !== 'repo' || !files.exists(target.repoPath)) return undefined
  const why = files.notPublished(target.repoPath)
  if (why) return `Link ${href}: ${target.repoPath || 'the repository root'} ${why}, so the link leads to the file on GitHub, not to a wiki page.`
  return undefined
}
