// The #anchors a page has, as GitHub gives them: one per Markdown heading, slugged with github-slugger (the slugger
// GitHub's own rendering follows), numbered "-1", "-2" … when a slug repeats, in document order. Read from the
// converter's own list of headings, each with the temporary id of its heading block (the heading that became the
// page's title has no block: it leads to the page). Pure: no I/O.
import GithubSlugger from 'github-slugger'
import type { ConvertedSource } from './convert.js'

/** Slug → the heading block's temporary id (undefined for the title heading, which left the body). */
export type HeadingAnchors = ReadonlyMap<string, string | undefined>

export function headingAnchors(converted: Pick<ConvertedSource, 'headings'>): HeadingAnchors {
  const slugger = new GithubSlugger()
  const anchors = new Map<string, string | undefined>()
  for (const heading of converted.headings) {
    const slug = slugger.slug(heading.text)
    if (!anchors.has(slug)) anchors.set(slug, heading.blockId)
  }
  return anchors
}

/** An anchor as written after "#", as a browser on GitHub looks it up (percent-decoded, lower case). */
export function anchorSlug(anchor: string): string {
  let decoded = anchor
  try {
    decoded = decodeURIComponent(anchor)
  } catch {
    // kept as written
  }
  return decoded.toLowerCase().replace(/^user-content-/, '')
}

/** Whether the page has the anchor ("#" alone names the top of the page). */
export function hasAnchor(anchors: HeadingAnchors | ReadonlySet<string>, anchor: string): boolean {
  const wanted = anchorSlug(anchor)
  return wanted === '' || anchors.has(wanted)
}

/** The warning for a link to a heading its target does not have (`which`: "this file" or the target's path). */
export function missingAnchorWarning(href: string, which: string, anchor: string): string {
  return `Link ${href}: no heading of ${which} has the anchor #${anchor}, so the link points at the top of the page.`
}
