// The #anchors a page has on GitHub: one per heading, slugged as GitHub does it (github-slugger), numbered
// "-1", "-2" … when a slug repeats. Read from the converter's own output, so the check sees the headings the
// page will have.
import GithubSlugger from 'github-slugger'
import type { Block } from '../blocks/model.js'
import { BlockType } from '../blocks/model.js'
import type { ConvertedSource } from '../sync/source/convert.js'

export function headingAnchors(converted: ConvertedSource): Set<string> {
  const slugger = new GithubSlugger()
  const anchors = new Set<string>()
  // The H1 that became the title left the body; it is still a heading (and an anchor) on GitHub.
  if (!converted.titleFromFileName) anchors.add(slugger.slug(converted.title))
  for (const block of converted.conversion.blocks.descendants) {
    if (block.block_type < BlockType.heading1 || block.block_type > BlockType.heading9) continue
    anchors.add(slugger.slug(headingText(block)))
  }
  return anchors
}

/** An anchor as written after "#", compared the way a browser on GitHub finds it. */
export function hasAnchor(anchors: ReadonlySet<string>, anchor: string): boolean {
  let decoded = anchor
  try {
    decoded = decodeURIComponent(anchor)
  } catch {
    // kept as written
  }
  const wanted = decoded.toLowerCase().replace(/^user-content-/, '')
  return wanted === '' || anchors.has(wanted)
}

function headingText(block: Block): string {
  const payload = block[`heading${block.block_type - BlockType.heading1 + 1}`] as { elements?: { text_run?: { content: string }; equation?: { content: string } }[] } | undefined
  return (payload?.elements ?? []).map((e) => e.text_run?.content ?? e.equation?.content ?? '').join('')
}
