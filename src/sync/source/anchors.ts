// The #anchors a page has, as GitHub gives them: one per heading, slugged with github-slugger (the slugger GitHub's
// own rendering follows), numbered "-1", "-2" … when a slug repeats, in document order. Read from the converter's
// own output, so the anchors are the headings the page will have, each with the temporary id of its heading block
// (the heading that became the page's title has no block: it leads to the page). Pure: no I/O.
import GithubSlugger from 'github-slugger'
import type { Block } from '../../blocks/model.js'
import { BlockType } from '../../blocks/model.js'
import type { ConvertedSource } from './convert.js'

/** Slug → the heading block's temporary id (undefined for the title heading, which left the body). */
export type HeadingAnchors = ReadonlyMap<string, string | undefined>

export function headingAnchors(converted: Pick<ConvertedSource, 'title' | 'titleSource' | 'conversion'>): HeadingAnchors {
  const slugger = new GithubSlugger()
  const anchors = new Map<string, string | undefined>()
  // The heading that became the title opened the document: on GitHub it is the first anchor.
  if (converted.titleSource === 'heading') anchors.set(slugger.slug(converted.title), undefined)
  for (const block of converted.conversion.blocks.descendants) {
    if (block.block_type < BlockType.heading1 || block.block_type > BlockType.heading9) continue
    const slug = slugger.slug(headingText(block))
    if (!anchors.has(slug)) anchors.set(slug, block.block_id)
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

function headingText(block: Block): string {
  const payload = block[`heading${block.block_type - BlockType.heading1 + 1}`] as { elements?: { text_run?: { content: string }; equation?: { content: string } }[] } | undefined
  return (payload?.elements ?? []).map((e) => e.text_run?.content ?? e.equation?.content ?? '').join('')
}
