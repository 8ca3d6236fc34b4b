// The provenance marker: a small callout the action keeps as the first block of every page it writes.
//
//   ┌──────────────────────────────────────────────────────────────────────────────┐
//   │ Synced from owner/repo/docs/guide.md — edit the source on GitHub; edits made   │
//   │ here are overwritten by the next sync.                                         │
//   └──────────────────────────────────────────────────────────────────────────────┘
//
// The link goes to the file on its branch (no SHA, no timestamp: the marker changes only when the content
// does). Its query string carries what a later run needs, invisibly to readers:
//   feishu_wiki_sync=<hash of the normalised body the action last wrote>
//   path=<repo path>              (recognise our own pages by source file)
//   doc=<document id>             (the page the marker was written into: a marker copied into another page,
//                                  even by the same user, names another document and is not ours)
//   images=<token>.<content hash>,…      (what fills each fillable block we filled: an image's file_token → the
//                                         hash of the uploaded file, a whiteboard's id → the hash of its
//                                         diagram source; see document.ts)
//   refused=<diagram hash>.<code>,…      (diagrams Feishu refused to parse, published as code: not retried
//                                         until their source changes)
// GitHub ignores unknown query parameters on blob URLs, so the link still opens the file.
//
// Link URLs in text elements must be percent-encoded ("需要 url_encode",
// https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/block-data-structure); readMarker accepts
// both the encoded and the decoded form, whichever the server hands back.
import { type Block, BlockType, type DescendantRequest, type TextElement } from '../../blocks/model.js'
import type { Fingerprints, TreeNode } from '../apply/block-diff.js'

export interface Provenance {
  /** The source file's path in the repository (POSIX), e.g. "docs/guide.md". */
  repoPath: string
  /** GitHub blob URL of the file on the branch, without SHA. */
  sourceUrl: string
  /** Hash of the normalised body blocks the action last wrote. */
  contentHash: string
  /**
   * Token → content hash of what this action filled it with: an image's file_token → its file's hash, a
   * whiteboard's id (a board block's token) → its diagram source's hash. Named `images` since before whiteboards.
   */
  images?: Record<string, string>
  /** Diagram source hash → the Feishu error code that refused it (2890001/2890002): published as its code block. */
  refused?: Record<string, number>
  /** The document the marker was written into (its obj_token); absent in markers of earlier versions. */
  document?: string
  /** What the next sync does with edits made here (on-remote-edit); only the marker's text says it. */
  onRemoteEdit?: 'overwrite' | 'keep' | 'fail'
}

/** What the marker tells readers about edits made in the wiki, per on-remote-edit. */
const EDIT_NOTE: Record<NonNullable<Provenance['onRemoteEdit']>, string> = {
  overwrite: ' — edit the source on GitHub; edits made here are overwritten by the next sync.',
  keep: ' — edit the source on GitHub; edits made here are kept, and reported by the next sync.',
  fail: ' — edit the source on GitHub; edits made here are kept, and stop the next sync until they are in the source.',
}

/**
 * The marker's content hash of a body: 32 hex digits over the fingerprints of its blocks, which are built from
 * the one canonical form (src/blocks/canonical.ts) plus each image's asset hash. So a body Feishu hands back
 * with its own defaults and a person's comments, resized images or widened columns hashes like the body we
 * wrote, and "edited in Feishu" means a change to something we control.
 */
export function contentHashOf(fingerprints: Fingerprints, body: TreeNode[]): string {
  return fingerprints.list(body).slice(0, 32)
}

export const MARKER_HASH_PARAM = 'feishu_wiki_sync'
const PATH_PARAM = 'path'
const IMAGES_PARAM = 'images'
const REFUSED_PARAM = 'refused'
const DOCUMENT_PARAM = 'doc'

export const MARKER_CALLOUT_ID = 'fws_marker'
export const MARKER_TEXT_ID = 'fws_marker_text'

/** The marker's link target: the source URL plus the machine-readable query (not yet percent-encoded). */
export function markerUrl(p: Provenance): string {
  const url = new URL(p.sourceUrl)
  url.searchParams.set(MARKER_HASH_PARAM, p.contentHash)
  url.searchParams.set(PATH_PARAM, p.repoPath)
  if (p.document) url.searchParams.set(DOCUMENT_PARAM, p.document)
  const images = Object.entries(p.images ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([token, hash]) => `${token}.${hash}`)
  if (images.length > 0) url.searchParams.set(IMAGES_PARAM, images.join(','))
  const refused = Object.entries(p.refused ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([hash, code]) => `${hash}.${code}`)
  if (refused.length > 0) url.searchParams.set(REFUSED_PARAM, refused.join(','))
  return url.toString()
}

/** "owner/repo/path" for the link text, from the blob URL's first two path segments. */
export function markerLabel(p: Pick<Provenance, 'repoPath' | 'sourceUrl'>): string {
  try {
    const [owner, repo] = new URL(p.sourceUrl).pathname.split('/').filter(Boolean)
    if (owner && repo) return `${owner}/${repo}/${p.repoPath}`
  } catch {
    // not a URL: fall through
  }
  return p.repoPath
}

/** The text elements of the marker's paragraph. */
export function markerElements(p: Provenance): TextElement[] {
  return [
    { text_run: { content: 'Synced from ' } },
    {
      text_run: {
        content: markerLabel(p),
        text_element_style: { link: { url: encodeURIComponent(markerUrl(p)) } },
      },
    },
    { text_run: { content: EDIT_NOTE[p.onRemoteEdit ?? 'overwrite'] } },
  ]
}

/** The marker as a create-descendant body: one callout holding one paragraph. */
export function buildMarkerBlocks(p: Provenance): DescendantRequest {
  return {
    children_id: [MARKER_CALLOUT_ID],
    descendants: [
      {
        block_id: MARKER_CALLOUT_ID,
        block_type: BlockType.callout,
        // LightBlue background, Blue border (callout colour enums of the block data structure).
        callout: { background_color: 5, border_color: 5 },
        children: [MARKER_TEXT_ID],
      },
      {
        block_id: MARKER_TEXT_ID,
        block_type: BlockType.text,
        text: { elements: markerElements(p) },
        children: [],
      },
    ],
  }
}

/**
 * Read the marker from the page's first child subtree (read shape: the callout first, then its
 * descendants in any order). Undefined when the first block is not our marker.
 */
export function readMarker(firstBlocks: Block[]): Provenance | undefined {
  const root = firstBlocks[0]
  if (!root || root.block_type !== BlockType.callout) return undefined
  const byId = new Map(firstBlocks.map((b) => [b.block_id, b]))
  const stack = [...(root.children ?? [])].reverse()
  while (stack.length > 0) {
    const block = byId.get(stack.pop()!)
    if (!block) continue
    for (const element of textElementsOf(block)) {
      const found = provenanceFromLink(element)
      if (found) return found
    }
    stack.push(...[...(block.children ?? [])].reverse())
  }
  return undefined
}

function textElementsOf(block: Block): TextElement[] {
  for (const [key, value] of Object.entries(block)) {
    if (key === 'children' || key === 'comment_ids') continue
    if (value && typeof value === 'object' && Array.isArray((value as { elements?: unknown }).elements)) {
      return (value as { elements: TextElement[] }).elements
    }
  }
  return []
}

function provenanceFromLink(element: TextElement): Provenance | undefined {
  if (!('text_run' in element)) return undefined
  const raw = element.text_run.text_element_style?.link?.url
  if (typeof raw !== 'string') return undefined
  const url = parseLinkUrl(raw)
  const hash = url?.searchParams.get(MARKER_HASH_PARAM)
  const repoPath = url?.searchParams.get(PATH_PARAM)
  if (!url || !hash || !repoPath) return undefined
  const images: Record<string, string> = {}
  for (const pair of (url.searchParams.get(IMAGES_PARAM) ?? '').split(',')) {
    const dot = pair.lastIndexOf('.')
    if (dot > 0) images[pair.slice(0, dot)] = pair.slice(dot + 1)
  }
  const refused: Record<string, number> = {}
  for (const pair of (url.searchParams.get(REFUSED_PARAM) ?? '').split(',')) {
    const [hash, code] = pair.split('.')
    if (hash && Number.isInteger(Number(code))) refused[hash] = Number(code)
  }
  const document = url.searchParams.get(DOCUMENT_PARAM) || undefined
  for (const key of [MARKER_HASH_PARAM, PATH_PARAM, IMAGES_PARAM, REFUSED_PARAM, DOCUMENT_PARAM]) url.searchParams.delete(key)
  const sourceUrl = url.toString()
  return {
    repoPath,
    sourceUrl,
    contentHash: hash,
    ...(Object.keys(images).length > 0 ? { images } : {}),
    ...(Object.keys(refused).length > 0 ? { refused } : {}),
    ...(document ? { document } : {}),
  }
}

/** A link URL as stored: percent-encoded as written, or already decoded by the server. */
function parseLinkUrl(raw: string): URL | undefined {
  let text = raw
  for (let i = 0; i < 2 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text); i++) {
    try {
      text = decodeURIComponent(text)
    } catch {
      return undefined
    }
  }
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}
