// Does a relative link reach something? Pure: the file system is asked through `RepoFiles`.
//
// A link to a Markdown file that is a page is fine; so is a link to any other file or folder of the repository
// (it leads to GitHub). A link to a path that does not exist would lead to a GitHub 404, and a link to a
// Markdown file that is left out of the wiki leads to GitHub instead of a page: both are worth a warning at the
// link's line. The link itself is still written (to GitHub), so the page keeps its text.
import type { LinkTarget } from './links.js'

export interface RepoFiles {
  /** A file or folder exists at this repository path (inside the workspace). */
  exists(repoPath: string): boolean
  /** Why an existing Markdown file is not a page (left out by `exclude`, hidden), or undefined when it is one or is no docs file. */
  notPublished(repoPath: string): string | undefined
}

/** What is wrong with a link, or undefined when it reaches a page or an existing file. */
export function unresolvedLink(href: string, target: LinkTarget, files: RepoFiles): string | undefined {
  if (target.kind !== 'repo') return undefined
  const where = target.repoPath || 'the repository root'
  if (!files.exists(target.repoPath)) {
    return `Link ${href}: ${where} does not exist, so the link leads to a GitHub 404. Fix the path or remove the link.`
  }
  const why = files.notPublished(target.repoPath)
  if (why) return `Link ${href}: ${where} ${why}, so the link leads to the file on GitHub, not to a wiki page.`
  return undefined
}
