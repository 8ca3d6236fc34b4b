// One document: read what the wiki page holds, work out the fewest writes that make its body match the
// converted Markdown, and make them. The wiki tree (nodes, titles, moves) is not this module's business.
//
// Layout of a page the action writes: child 0 is the provenance marker (marker.ts), the body follows.
//
// Change detection. The marker carries the hash of the normalised body the action last wrote. A run computes
// the hash of the desired body and of the body the page has now:
//   - marker hash = remote hash = desired hash (and the marker text is as it would be written): nothing to do,
//     zero write calls;
//   - marker hash ≠ remote hash ≠ desired hash: someone edited the page in Feishu. The source wins; the edit is
//     reported (remoteEdited) and overwritten by the same minimal diff as any other change. Only what the
//     canonical form compares counts (src/blocks/canonical.ts): a comment, a resized image or column is no edit;
//   - otherwise the diff (block-diff.ts) is applied: structural edits first (deletes/inserts, per parent from
//     the end), then one batch_update (≤ 200 requests each) holding every text patch, every replace_image and
//     the marker's new hash. A one-paragraph edit is therefore one write call.
//
// Images (https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/faq, 3-step flow): the image block
// is created empty (inside the same descendant call as its neighbours), the file is uploaded with
// parent_node = that block's id, and replace_image sets the token in the final batch_update.
// Dedupe across runs: an image block's fingerprint is the content hash of its asset, never its token. For
// blocks we read back, the token is mapped to that hash through the marker's `images` table (file_token →
// sha-256 prefix of the bytes uploaded into it), which the action rewrites whenever it uploads. So an
// unchanged image keeps its block and is not uploaded again; a changed file re-points the same block
// (upload + replace_image); an image whose token the marker does not know (a person replaced it) counts as
// changed. The table lives in the marker because that is the one place the action owns that survives a
// re-read and is invisible to readers; captions are visible and belong to the author.
//
// Whiteboards (diagram fences) are the other fillable block and follow the same rules, keyed by the hash of the
// diagram's source through the same marker table (whiteboard id → hash): an unchanged diagram keeps its block
// and whiteboard, a changed one replaces only its own block (a whiteboard cannot be redrawn in place). A board
// block is created with children create, never inside a descendant create, then drawn (diagrams.ts).
//
// Missing local images become a warning and a placeholder paragraph. Remote images (http/https) are not
// fetched: the emulator world is offline and fetching arbitrary URLs from CI is a policy question; they
// become a paragraph linking to the image, with a warning.
import { createHash } from 'node:crypto'
import { canonicalKey } from '../../blocks/canonical.js'
import { planDescendantWrites } from '../../blocks/chunk.js'
import { DOCX_LIMITS } from '../../blocks/limits.js'
import { mergeRequest, tableMerges, withoutMergeInfo } from '../../blocks/merges.js'
import { type Block, BlockType, type DescendantRequest, type TablePayload, type TextElement } from '../../blocks/model.js'
import { FeishuError } from '../../feishu/client.js'
import { type BatchUpdateRequest, type BlockUpdate, type DocxApi } from '../../feishu/docx.js'
import { type MediaApi, MediaTooLargeError, UPLOAD_ALL_MAX_BYTES } from '../../feishu/media.js'
import {
  type DiffKeys,
  type DiffPlan,
  descendantsOf,
  Fingerprints,
  planDiff,
  type StructuralOp,
  subtreeSize,
  type TreeNode,
  treeFromBlocks,
  treeFromDescendants,
  walkTree,
} from './block-diff.js'
import { type DiagramRef, diagramHash, refusedWarning, type Whiteboards } from './diagrams.js'
import { buildMarkerBlocks, contentHashOf, MARKER_TEXT_ID, markerElements, type Provenance, readMarker } from '../remote/marker.js'

export type { Provenance } from '../remote/marker.js'

export interface ExistingDocument {
  documentId: string
  revisionId: number
  title: string
  /** The page block with the whole body below it (read shape). */
  tree: TreeNode
  /** Every block as listed (read shape), the page block first. */
  blocks: Block[]
  /** The provenance marker, when child 0 is one. */
  marker?: Provenance
}

/** The parts of the converter's result this module uses (src/markdown `convertMarkdown`). */
export interface DocumentConversion {
  blocks: DescendantRequest
  /** The image blocks' pictures. */
  assets?: readonly AssetRef[]
  /** The board blocks' diagrams. */
  diagrams?: readonly DiagramRef[]
}

/** One image of the conversion: which block shows it and where its bytes come from. */
export interface AssetRef {
  /** Temporary id of the image block. */
  blockId: string
  /** Repository path of a local file (resolved against the Markdown file). */
  repoPath?: string
  /** Absolute http(s) URL of a remote image. */
  url?: string
  alt?: string
}

export interface DocumentSyncInput {
  documentId: string
  /** From readExistingDocument; undefined for a node created in this run (empty document). */
  existing?: ExistingDocument
  conversion: DocumentConversion
  provenance: Omit<Provenance, 'contentHash' | 'images' | 'refused'>
  /** Bytes of a local image by repo path; undefined = missing. */
  loadAsset: (repoPath: string) => Promise<Uint8Array | undefined>
  /** The run's whiteboards; without them every diagram is published as its code block. */
  whiteboards?: Whiteboards
  dryRun: boolean
}

export interface DocumentSyncResult {
  status: 'unchanged' | 'updated' | 'created'
  /** Write calls made (docx writes and uploads; 0 in a dry run). */
  writeCalls: number
  /** The page was edited in Feishu since the action last wrote it (its edits were overwritten). */
  remoteEdited: boolean
  /** Existing blocks (marker included, page excluded) whose block id survived. */
  keptBlocks: number
  /** Existing blocks before the sync (marker included, page excluded). */
  totalBlocks: number
  warnings: string[]
  /** Warnings about one place of the source (a diagram's fence). */
  lineWarnings: { line: number; message: string }[]
  /** Written with an image left empty or a diagram left as code for now: the next run must look at it again. */
  incomplete?: boolean
  /** What changed (or would change, in a dry run), for logs and the dry-run plan. */
  summary: string
  uploads: number
  /**
   * The body's temporary ids (the conversion's) → the ids its blocks have in the document now, kept or created
   * (after a write; in a dry run only the kept ones). Headings' ids make #anchor links; text blocks' ids let
   * links be filled in later without another diff.
   */
  blockIds: ReadonlyMap<string, string>
}

/** A document that could not be synced; the run goes on with the others. */
export class DocumentSyncError extends Error {
  constructor(
    message: string,
    readonly documentId: string,
    readonly writeCalls: number,
    readonly code?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'DocumentSyncError'
  }
}

/**
 * Undocumented server limits (docx error codes 1770004/1770005/1770007/1770033; their numbers are not documented). Meeting one fails the
 * document with a reason instead of retrying.
 */
const LIMIT_REASONS: Record<number, string> = {
  1770004: 'the document has more blocks than Feishu allows (1770004 too many blocks in document)',
  1770005: 'the Markdown nests deeper than Feishu allows (1770005 too deep level in document); flatten nested lists or quotes',
  1770007: 'a block has more children than Feishu allows (1770007 too many children in block); split long lists or tables',
  1770033: 'the document is larger than Feishu allows (1770033 content size exceed limit); split the file',
}

/** Other refusals worth a plain-language reason. */
const OTHER_REASONS: Record<number, string> = {
  1770013: 'an uploaded image is not bound to its image block (1770013 relation mismatch)',
  1770032: 'the token has no edit permission on this document (1770032 forbidden)',
}

// ---------------------------------------------------------------------------------------------------------
// Reading

export async function readExistingDocument(docx: DocxApi, documentId: string): Promise<ExistingDocument> {
  const info = await docx.getDocument(documentId)
  const blocks = await docx.listBlocks(documentId)
  // The page block's id is the document id (https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/docx-overview).
  const pageId = blocks.find((b) => b.block_type === BlockType.page)?.block_id ?? documentId
  const tree = treeFromBlocks(blocks, pageId)
  const first = tree.children[0]
  return {
    documentId,
    revisionId: info.revision_id,
    title: info.title,
    tree,
    blocks,
    marker: first ? readMarker(flatten(first)) : undefined,
  }
}

/** The marker only: one list-blocks page holds the page block and, in document order, child 0's subtree. */
export async function readMarkerOnly(docx: DocxApi, documentId: string): Promise<Provenance | undefined> {
  const page = await docx.listBlocksPage(documentId, 20)
  const items = page.items ?? []
  const root = items.find((b) => b.block_type === BlockType.page) ?? items[0]
  const firstId = root?.children?.[0]
  if (!firstId) return undefined
  const byId = new Map(items.map((b) => [b.block_id, b]))
  const first = byId.get(firstId)
  if (first && first.block_type !== BlockType.callout) return undefined
  const subtree: Block[] = []
  const complete = collect(firstId, byId, subtree)
  if (complete) return readMarker(subtree)
  // The marker did not fit in the first page (it is larger than ours ever is): read it directly.
  const callout = first ?? (await docx.getChildren(documentId, root!.block_id)).find((b) => b.block_id === firstId)
  if (!callout || callout.block_type !== BlockType.callout) return undefined
  return readMarker([callout, ...(await docx.getChildren(documentId, firstId))])
}

function collect(id: string, byId: Map<string, Block>, out: Block[]): boolean {
  const block = byId.get(id)
  if (!block) return false
  out.push(block)
  return (block.children ?? []).every((c) => collect(c, byId, out))
}

function flatten(node: TreeNode): Block[] {
  return [...walkTree([node])].map((n) => n.block)
}

// ---------------------------------------------------------------------------------------------------------
// Syncing

interface ImageAsset {
  hash: string
  bytes: Uint8Array
  fileName: string
}

/**
 * Whether a person edited the page's body in Feishu: it is no longer what the marker says the action wrote, nor
 * what it would write now. A comment or a resized image leaves the body as it was. No diff is planned.
 */
export async function editedInFeishu(input: DocumentSyncInput): Promise<boolean> {
  return (await compareWithMarker(input)).remoteEdited
}

/** Steps 1–3 of a sync: the desired body and its keys, and what the page holds against what its marker says. */
async function compareWithMarker(input: DocumentSyncInput) {
  const { documentId, existing } = input
  const warnings: string[] = []
  const lineWarnings: { line: number; message: string }[] = []

  // 1. The desired body, with the fillable blocks' content resolved: images to local bytes (or placeholders),
  //    diagrams to their source (or their code block).
  const body = treeFromDescendants(input.conversion.blocks)
  const assets = await resolveImages(body, input, warnings)
  const oldImages = existing?.marker?.images ?? {}
  const diagrams = await resolveDiagrams(body, input, oldImages, lineWarnings)

  // 2. Keys: the canonical form of a block; for a fillable block (image, whiteboard) the content hash of what
  //    fills it, read back through the marker's token → hash table.
  /** Desired images whose upload failed: they stay empty blocks until the next run. */
  const failed = new Set<string>()
  const keys: DiffKeys = {
    own: canonicalKey,
    asset: (block) => {
      const fill = assets.get(block.block_id) ?? diagrams.fills.get(block.block_id)
      if (fill) return failed.has(block.block_id) ? 'empty' : fill.hash
      const token = fillToken(block)
      if (!token) return 'empty'
      return oldImages[token] ?? `token:${token}`
    },
  }
  const fp = new Fingerprints(keys)
  const contentHash = contentHashOf(fp, body)

  // 3. What the page has.
  const page: TreeNode = existing?.tree ?? { block: { block_id: documentId, block_type: BlockType.page }, children: [] }
  const markerNode = existing?.marker ? page.children[0] : undefined
  const markerTextNode = markerNode && markerNode.children.length === 1 && markerNode.children[0]!.block.block_type === BlockType.text ? markerNode.children[0] : undefined
  const remoteBody = markerNode ? page.children.slice(1) : page.children
  const remoteHash = contentHashOf(fp, remoteBody)
  // Edited in Feishu: the body is no longer what the marker says we wrote, and it is not what we would write
  // now (then nothing of the edit is lost: e.g. a hash recorded by an older canonical form).
  const remoteEdited = existing?.marker !== undefined && existing.marker.contentHash !== remoteHash && remoteHash !== contentHash

  return { warnings, lineWarnings, body, assets, oldImages, diagrams, failed, keys, fp, contentHash, page, markerNode, markerTextNode, remoteBody, remoteEdited }
}

export async function syncDocument(docx: DocxApi, media: MediaApi, input: DocumentSyncInput): Promise<DocumentSyncResult> {
  const { documentId, existing } = input
  const compared = await compareWithMarker(input)
  const { warnings, lineWarnings, body, assets, oldImages, diagrams, failed, keys, fp, page, markerNode, markerTextNode, remoteBody, remoteEdited } = compared
  let contentHash = compared.contentHash

  // 4. The plan. With a well-formed marker the body is diffed on its own (indices shifted by one) and the
  //    marker is patched at the end; otherwise a fresh marker is part of the desired list.
  const provisional: Provenance = { ...input.provenance, contentHash, images: keptImageTable(oldImages, remoteBody), ...refusedTable(diagrams.carried) }
  let plan: DiffPlan
  if (markerTextNode) {
    plan = planDiff({ ...page, children: remoteBody }, body, fp)
    for (const op of plan.structural) {
      if (op.kind === 'table-rows' || op.parentId !== page.block.block_id) continue
      if (op.kind === 'insert') op.index += 1
      else {
        op.start += 1
        op.end += 1
      }
    }
    plan.existingBlocks += subtreeSize(markerNode!)
    plan.keptBlocks += subtreeSize(markerNode!)
  } else {
    const marker = treeFromDescendants(buildMarkerBlocks(provisional))
    plan = planDiff(page, [...marker, ...body], fp)
  }

  const created = !existing || (page.children.length === 0 && !existing.marker)
  const newImages = plan.structural.flatMap((op) =>
    [...walkTree(op.kind === 'insert' ? op.nodes : op.kind === 'table-rows' ? op.inserts.flatMap((i) => i.cells) : [])].filter((n) => assets.has(n.block.block_id)),
  )
  const markerBefore = markerTextNode ? keys.own(markerTextNode.block) : undefined
  const markerWouldBe = keys.own(markerTextBlock({ ...provisional, images: provisional.images }))
  const bodyChanges = plan.structural.length + plan.patches.length + plan.images.length
  const unchanged = bodyChanges === 0 && newImages.length === 0 && markerBefore === markerWouldBe
  const newBoards = plan.structural.flatMap((op) => (op.kind === 'insert' ? [...walkTree(op.nodes)].filter((n) => diagrams.fills.has(n.block.block_id)) : []))
  const summary = describePlan(plan, newImages.length + plan.images.length, newBoards.length, unchanged, remoteEdited)
  const base = {
    remoteEdited,
    totalBlocks: plan.existingBlocks,
    warnings,
    lineWarnings,
    summary,
  }
  if (unchanged) return { ...base, status: 'unchanged', writeCalls: 0, keptBlocks: plan.keptBlocks, uploads: 0, blockIds: plan.pairs }
  if (input.dryRun) {
    return { ...base, status: created ? 'created' : 'updated', writeCalls: 0, keptBlocks: plan.keptBlocks, uploads: 0, blockIds: plan.pairs }
  }

  // 5. Apply.
  const writer = new Writer(docx, media, documentId, fp, { fills: diagrams.fills, whiteboards: input.whiteboards, lineWarnings })
  try {
    for (const op of plan.structural) await writer.structural(op)
    const requests: BatchUpdateRequest[] = [
      ...plan.patches.map((p) => ({ block_id: p.blockId, ...p.update }) as BatchUpdateRequest),
      ...writer.pending,
    ]

    // Images: new blocks (ids from block_id_relations) and re-pointed existing blocks.
    // The marker's image table lists the tokens the body shows afterwards: kept blocks and new uploads.
    const gone = new Set(plan.images.map((i) => i.blockId))
    for (const op of plan.structural) {
      const removed = op.kind === 'delete' ? op.removed : op.kind === 'table-rows' ? op.deletes.flatMap((d) => d.removed) : []
      for (const n of walkTree(removed)) gone.add(n.block.block_id)
    }
    const images: Record<string, string> = {}
    for (const n of walkTree(remoteBody)) {
      const token = fillToken(n.block)
      if (token && !gone.has(n.block.block_id) && oldImages[token]) images[token] = oldImages[token]
    }
    for (const [token, hash] of writer.drawn) images[token] = hash
    const uploads: { blockId: string; node: TreeNode }[] = [
      ...plan.images.map((i) => ({ blockId: i.blockId, node: i.node })),
      ...[...writer.created.values()].filter((c) => assets.has(c.node.block.block_id)).map((c) => ({ blockId: c.realId, node: c.node })),
    ]
    for (const { blockId, node } of uploads) {
      const asset = assets.get(node.block.block_id)!
      try {
        const token = await writer.upload(blockId, asset)
        images[token] = asset.hash
        requests.push({ block_id: blockId, replace_image: { token } })
      } catch (error) {
        if (error instanceof FeishuError && LIMIT_REASONS[error.code ?? 0]) throw error
        warnings.push(`image ${asset.fileName} could not be uploaded (${(error as Error).message}); it will be retried on the next sync`)
        failed.add(node.block.block_id)
      }
    }
    // The marker records the body as written: with an image left empty or a diagram published as code, the
    // hash of that body.
    if (failed.size > 0 || writer.fellBack) contentHash = contentHashOf(new Fingerprints(keys), body)

    // The marker's final text: hash of the body now written, the fill table and the refused diagrams.
    const final: Provenance = { ...input.provenance, contentHash, images, ...refusedTable({ ...diagrams.carried, ...writer.refused }) }
    const markerNow = markerTextNode ? markerBefore : markerWouldBe
    let markerUpdate: BatchUpdateRequest | undefined
    if (keys.own(markerTextBlock(final)) !== markerNow) {
      const markerId = markerTextNode?.block.block_id ?? writer.realId(MARKER_TEXT_ID) ?? (await findMarkerText(docx, documentId))
      if (markerId) markerUpdate = { block_id: markerId, update_text_elements: { elements: markerElements(final) } }
    }
    // The new tables' merges ride in the same calls; the marker goes in the last one, so it never claims a body
    // that a failed call left unwritten.
    for (const batch of updateBatches([...requests, ...writer.merges], markerUpdate)) await writer.batchUpdate(batch)
  } catch (error) {
    throw writer.fail(error)
  }
  return {
    ...base,
    status: created ? 'created' : 'updated',
    writeCalls: writer.calls,
    keptBlocks: plan.keptBlocks,
    uploads: writer.uploads,
    blockIds: new Map([...plan.pairs, ...writer.kept, ...[...writer.created].map(([temp, c]): [string, string] => [temp, c.realId])]),
    ...(failed.size > 0 || writer.retryLater ? { incomplete: true } : {}),
  }
}

/**
 * batch_update calls for these requests: at most DOCX_LIMITS.batchUpdate each, and never one block twice in a
 * call ("不支持在一次批量更新中，对同一个块进行多次更新",
 * https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/batch_update), which a table with
 * several merges needs: each request goes in the first call that can take it. `last` goes in the last call.
 */
function updateBatches(requests: readonly BatchUpdateRequest[], last?: BatchUpdateRequest): BatchUpdateRequest[][] {
  const batches: { requests: BatchUpdateRequest[]; blocks: Set<string> }[] = []
  const fits = (batch: (typeof batches)[number], request: BatchUpdateRequest) =>
    batch.requests.length < DOCX_LIMITS.batchUpdate && !batch.blocks.has(request.block_id)
  const add = (batch: (typeof batches)[number] | undefined, request: BatchUpdateRequest) => {
    if (!batch) batches.push((batch = { requests: [], blocks: new Set() }))
    batch.requests.push(request)
    batch.blocks.add(request.block_id)
  }
  for (const request of requests) add(batches.find((batch) => fits(batch, request)), request)
  if (last) {
    const final = batches.at(-1)
    add(final && fits(final, last) ? final : undefined, last)
  }
  return batches.map((batch) => batch.requests)
}

function markerTextBlock(p: Provenance): Block {
  return { block_id: MARKER_TEXT_ID, block_type: BlockType.text, text: { elements: markerElements(p) } }
}

/** The marker text block's id after a fresh marker was diffed into an old callout (rare): read it back. */
async function findMarkerText(docx: DocxApi, documentId: string): Promise<string | undefined> {
  const page = await docx.listBlocksPage(documentId, 20)
  const items = page.items ?? []
  const root = items.find((b) => b.block_type === BlockType.page)
  const callout = items.find((b) => b.block_id === root?.children?.[0])
  const text = items.find((b) => b.block_id === callout?.children?.[0])
  return text?.block_type === BlockType.text ? text.block_id : undefined
}

/** Entries of the old fill table whose token is still shown by a block of the remote body. */
function keptImageTable(old: Record<string, string>, remoteBody: TreeNode[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const n of walkTree(remoteBody)) {
    const token = fillToken(n.block)
    if (token && old[token]) out[token] = old[token]
  }
  return out
}

/** The token of a filled block as read back: an image's file_token, a board's whiteboard id. */
function fillToken(block: Block): string | undefined {
  const payload = (block.block_type === BlockType.board ? block.board : block.image) as { token?: unknown } | undefined
  return typeof payload?.token === 'string' && payload.token !== '' ? payload.token : undefined
}

function refusedTable(refused: Record<string, number>): Pick<Provenance, 'refused'> {
  return Object.keys(refused).length > 0 ? { refused } : {}
}

function describePlan(plan: DiffPlan, uploads: number, boards: number, unchanged: boolean, remoteEdited: boolean): string {
  if (unchanged) return 'unchanged'
  const parts: string[] = []
  if (plan.insertedBlocks) parts.push(`insert ${plan.insertedBlocks} block(s)`)
  if (plan.deletedBlocks) parts.push(`delete ${plan.deletedBlocks} block(s)`)
  if (plan.patches.length) parts.push(`update ${plan.patches.length} block(s) in place`)
  if (uploads) parts.push(`upload ${uploads} image(s)`)
  if (boards) parts.push(`draw ${boards} whiteboard(s)`)
  if (parts.length === 0) parts.push('update the sync marker')
  parts.push(`keep ${plan.keptBlocks} of ${plan.existingBlocks} existing block(s)`)
  if (remoteEdited) parts.push('overwrite edits made in Feishu')
  return parts.join(', ')
}

// ---------------------------------------------------------------------------------------------------------
// Images

async function resolveImages(body: TreeNode[], input: DocumentSyncInput, warnings: string[]): Promise<Map<string, ImageAsset>> {
  const refs = new Map((input.conversion.assets ?? []).map((a) => [a.blockId, a]))
  const assets = new Map<string, ImageAsset>()
  const replace = (node: TreeNode, placeholder: TreeNode) => {
    node.block = placeholder.block
    node.children = []
  }
  for (const node of [...walkTree(body)]) {
    if (node.block.block_type !== BlockType.image) continue
    const ref = refs.get(node.block.block_id)
    const label = ref?.alt || ref?.repoPath || ref?.url || 'image'
    if (ref?.repoPath) {
      const bytes = await input.loadAsset(ref.repoPath)
      if (!bytes) {
        warnings.push(`image ${ref.repoPath} not found; a placeholder was written`)
        replace(node, placeholder(node.block.block_id, [{ text_run: { content: `[missing image: ${ref.repoPath}]`, text_element_style: { italic: true } } }]))
        continue
      }
      if (bytes.byteLength > UPLOAD_ALL_MAX_BYTES) {
        warnings.push(`image ${ref.repoPath} is larger than 20 MB (the upload limit); a placeholder was written`)
        replace(node, placeholder(node.block.block_id, [{ text_run: { content: `[image too large: ${ref.repoPath}]`, text_element_style: { italic: true } } }]))
        continue
      }
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16)
      assets.set(node.block.block_id, { hash, bytes, fileName: ref.repoPath.split('/').pop() || 'image' })
    } else if (ref?.url && /^https?:\/\//i.test(ref.url)) {
      warnings.push(`remote image ${ref.url} is not uploaded; it is linked instead`)
      replace(
        node,
        placeholder(node.block.block_id, [
          { text_run: { content: 'Image: ' } },
          { text_run: { content: label, text_element_style: { link: { url: encodeURIComponent(ref.url) } } } },
        ]),
      )
    } else {
      warnings.push(`image block without a source (${label}); a placeholder was written`)
      replace(node, placeholder(node.block.block_id, [{ text_run: { content: `[image: ${label}]`, text_element_style: { italic: true } } }]))
    }
  }
  return assets
}

// ---------------------------------------------------------------------------------------------------------
// Diagrams

/** A diagram to draw: its content hash (the block's key) and its source. */
interface DiagramFill {
  hash: string
  ref: DiagramRef
}

/**
 * The board blocks of the desired body and what draws them. A diagram Feishu refused before (the marker's
 * `refused` table) is its code block again, with its warning; so is every diagram when the run cannot draw
 * whiteboards (no scope: said once per run). Whether it can is asked only when this page needs a new whiteboard.
 */
async function resolveDiagrams(
  body: TreeNode[],
  input: DocumentSyncInput,
  oldImages: Record<string, string>,
  lineWarnings: { line: number; message: string }[],
): Promise<{ fills: Map<string, DiagramFill>; carried: Record<string, number> }> {
  const refs = new Map((input.conversion.diagrams ?? []).map((d) => [d.blockId, d]))
  const refusedBefore = input.existing?.marker?.refused ?? {}
  const style = input.whiteboards?.style ?? 'board'
  const fills = new Map<string, DiagramFill>()
  const carried: Record<string, number> = {}
  const asCode = (node: TreeNode, ref: DiagramRef) => {
    node.block = { ...ref.fallback, block_id: node.block.block_id }
    node.children = []
  }
  for (const node of [...walkTree(body)]) {
    if (node.block.block_type !== BlockType.board) continue
    const ref = refs.get(node.block.block_id)
    if (!ref) {
      node.block = placeholder(node.block.block_id, [{ text_run: { content: '[diagram]', text_element_style: { italic: true } } }]).block
      continue
    }
    const hash = diagramHash(ref.syntax, style, ref.code)
    const code = refusedBefore[hash]
    if (code !== undefined) {
      carried[hash] = code
      lineWarnings.push({ line: ref.line, message: refusedWarning(ref, code) })
      asCode(node, ref)
    } else {
      fills.set(node.block.block_id, { hash, ref })
    }
  }
  if (fills.size === 0) return { fills, carried }
  // Whiteboards the page shows now, by the hash of what they were drawn from.
  const shown = new Set<string>()
  for (const n of walkTree(input.existing?.tree.children ?? [])) {
    const token = fillToken(n.block)
    if (n.block.block_type === BlockType.board && token && oldImages[token]) shown.add(oldImages[token])
  }
  // Ask whether the run can draw only for a page about to get its first whiteboard (diagrams.ts).
  const askFirst = shown.size === 0
  const drawable = input.whiteboards !== undefined && (input.dryRun || !askFirst || (await input.whiteboards.available()))
  if (!drawable) {
    const first = [...fills.values()][0]!.ref
    const warning = input.whiteboards?.scopeWarning(first)
    if (warning) lineWarnings.push({ line: first.line, message: warning })
    for (const node of walkTree(body)) {
      const fill = fills.get(node.block.block_id)
      if (fill) asCode(node, fill.ref)
    }
    fills.clear()
  }
  return { fills, carried }
}

function placeholder(id: string, elements: TextElement[]): TreeNode {
  return { block: { block_id: id, block_type: BlockType.text, text: { elements } }, children: [] }
}

// ---------------------------------------------------------------------------------------------------------
// Writing

interface Created {
  realId: string
  node: TreeNode
}

class Writer {
  calls = 0
  uploads = 0
  /** Desired (temporary) id → created block, for every block this run created. */
  readonly created = new Map<string, Created>()
  /** Desired (temporary) id → existing id of blocks kept while filling new table rows. */
  readonly kept = new Map<string, string>()
  /** Updates found while writing (new table cells' text) that ride in the final batch_update. */
  readonly pending: BatchUpdateRequest[] = []
  /** merge_table_cells for the tables this run created (src/blocks/merges.ts), sent after every structural write. */
  readonly merges: BatchUpdateRequest[] = []

  /** Whiteboards drawn in this run: whiteboard id → hash of the diagram it shows. */
  readonly drawn = new Map<string, string>()
  /** Diagrams Feishu refused in this run: hash → error code. */
  readonly refused: Record<string, number> = {}
  /** A diagram was published as its code block after all: the body written differs from the one planned. */
  fellBack = false
  /** A diagram fell back for a reason that may pass (not a refusal the marker remembers). */
  retryLater = false

  constructor(
    private readonly docx: DocxApi,
    private readonly media: MediaApi,
    private readonly documentId: string,
    private readonly fp: Fingerprints,
    private readonly diagrams: {
      fills: ReadonlyMap<string, DiagramFill>
      whiteboards: Whiteboards | undefined
      lineWarnings: { line: number; message: string }[]
    },
  ) {}

  realId(tempId: string): string | undefined {
    return this.created.get(tempId)?.realId
  }

  async structural(op: StructuralOp): Promise<void> {
    if (op.kind === 'delete') {
      this.calls++
      await this.docx.batchDelete(this.documentId, op.parentId, op.start, op.end)
    } else if (op.kind === 'insert') {
      await this.insertWithBoards(op.parentId, op.index, op.nodes)
    } else {
      // Rows: delete ranges from the last, then insert rows in ascending final position and fill them.
      for (const d of op.deletes) {
        await this.patch(op.tableId, { delete_table_rows: { row_start_index: d.start, row_end_index: d.end } })
      }
      await this.addRows(op.tableId, op.columns, op.inserts)
    }
  }

  /**
   * Inserts subtrees at `index` in the calls the chunk planner lays out (planDescendantWrites,
   * src/blocks/chunk.ts): at most DOCX_LIMITS.createDescendants blocks per call, a subtree never split across calls
   * unless it alone is larger; then its block is created with the children that fit and the others are appended
   * under it, and a table too large for one call is created with its first rows and grown row by row (addRows).
   */
  async insert(parentId: string, index: number, nodes: TreeNode[]): Promise<void> {
    const byId = new Map([...walkTree(nodes)].map((node) => [node.block.block_id, node]))
    for (const step of planDescendantWrites({ ...descendantsOf(nodes), index })) {
      if (step.kind === 'descendant') {
        const parent = step.parent === undefined ? parentId : this.realId(step.parent)
        if (!parent) throw new Error(`no block id came back for ${step.parent}`)
        // A table is created unmerged (merge_info is read-only); its merges are made once all its rows exist.
        await this.createDescendants(parent, { ...step.request, descendants: step.request.descendants.map(withoutMergeInfo) }, byId)
        continue
      }
      // Large tables (https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/docx-overview): the planner
      // created the table with the rows that fit; the others are added with insert_table_row and filled.
      const table = byId.get(step.table)!
      const tableId = this.realId(step.table)
      if (!tableId) throw new Error(`no block id came back for ${step.table}`)
      const cols = (table.block.table as TablePayload).property.column_size
      const rows = step.rows.map(({ rowIndex }) => ({ row: rowIndex, cells: table.children.slice(rowIndex * cols, (rowIndex + 1) * cols) }))
      await this.addRows(tableId, cols, rows)
    }
    for (const node of walkTree(nodes)) {
      if (node.block.block_type !== BlockType.table) continue
      const tableId = this.realId(node.block.block_id)
      const merges = tableMerges((node.block.table as TablePayload).property)
      if (merges.length > 0 && !tableId) throw new Error(`no block id came back for ${node.block.block_id}`)
      for (const merge of merges) this.merges.push({ block_id: tableId!, ...mergeRequest(merge) })
    }
  }

  private async createDescendants(parentId: string, request: DescendantRequest, byId: ReadonlyMap<string, TreeNode>): Promise<void> {
    this.calls++
    const result = await this.docx.createDescendants(this.documentId, parentId, request)
    for (const { temporary_block_id: temporary, block_id: realId } of result.block_id_relations ?? []) {
      const node = byId.get(temporary)
      if (node) this.created.set(temporary, { realId, node })
    }
  }

  /**
   * Inserts subtrees holding board blocks: everything else first (descendant create), then each board with
   * children create at its place, parents before children and in ascending position, so every index is final
   * when it is used. A board is drawn as soon as it exists.
   */
  private async insertWithBoards(parentId: string, index: number, nodes: TreeNode[]): Promise<void> {
    const boards: { parent?: TreeNode; at: number; node: TreeNode }[] = []
    const strip = (list: TreeNode[], parent?: TreeNode): TreeNode[] =>
      list.flatMap((node, at) => {
        if (node.block.block_type !== BlockType.board) return [{ ...node, children: strip(node.children, node) }]
        boards.push({ ...(parent ? { parent } : {}), at, node })
        return []
      })
    const rest = [...walkTree(nodes)].some((n) => n.block.block_type === BlockType.board) ? strip(nodes) : nodes
    if (rest.length > 0) await this.insert(parentId, index, rest)
    for (const { parent, at, node } of boards) {
      const parentReal = parent ? this.realId(parent.block.block_id) : parentId
      if (!parentReal) throw new Error(`no block id came back for ${parent!.block.block_id}`)
      await this.board(parentReal, parent ? at : index + at, node)
    }
  }

  /** Creates one board block, draws its diagram, and puts the fence's code block in its place if that fails. */
  private async board(parentId: string, at: number, node: TreeNode): Promise<void> {
    const tempId = node.block.block_id
    const fill = this.diagrams.fills.get(tempId)
    this.calls++
    const made = await this.docx.createChildren(this.documentId, parentId, [{ block_type: BlockType.board, board: {} } as unknown as Block], at)
    const block = made.children?.[0]
    if (!block) throw new Error(`children create answered no block for board ${tempId}`)
    this.created.set(tempId, { realId: block.block_id, node })
    const token = fillToken(block)
    if (!fill) return
    let warning: string | undefined
    if (token && this.diagrams.whiteboards) {
      this.calls++
      const outcome = await this.diagrams.whiteboards.draw(token, fill.ref)
      if (outcome.ok) {
        this.drawn.set(token, fill.hash)
        return
      }
      if (outcome.refused && outcome.code !== undefined) this.refused[fill.hash] = outcome.code
      else this.retryLater = true
      warning = outcome.warning
    } else {
      warning = `Feishu made no whiteboard for this diagram (children create answered no board.token); it is published as a code block.`
      this.retryLater = true
    }
    if (warning) this.diagrams.lineWarnings.push({ line: fill.ref.line, message: warning })
    // The code block goes where the board is; then the board (and its empty whiteboard) goes.
    this.calls += 2
    const code = await this.docx.createChildren(this.documentId, parentId, [fill.ref.fallback as Block], at)
    await this.docx.batchDelete(this.documentId, parentId, at + 1, at + 2)
    node.block = { ...fill.ref.fallback, block_id: tempId }
    node.children = []
    this.created.set(tempId, { realId: code.children[0]!.block_id, node })
    this.fellBack = true
  }

  /**
   * insert_table_row for each new row (ascending final index; one per call, since batch_update refuses the
   * same block twice: "不支持在一次批量更新中，对同一个块进行多次更新",
   * https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/batch_update), then one read of
   * the new cells and their default empty paragraph, then the cells are diffed like any container: their
   * text patches join the final batch_update, anything else is inserted now.
   */
  private async addRows(tableId: string, cols: number, inserts: { row: number; cells: TreeNode[] }[]): Promise<void> {
    if (inserts.length === 0) return
    for (const { row } of inserts) await this.patch(tableId, { insert_table_row: { row_index: row } })
    const actual = treeFromBlocks(await this.docx.listBlocks(this.documentId), tableId)
    for (const { row, cells } of inserts) {
      for (let c = 0; c < cols; c++) {
        const cell = actual.children[row * cols + c]
        const want = cells[c]!
        if (!cell) throw new Error(`table ${tableId}: cell (${row}, ${c}) missing after insert_table_row`)
        this.created.set(want.block.block_id, { realId: cell.block.block_id, node: want })
        const plan = planDiff(cell, want.children, this.fp)
        for (const [temp, id] of plan.pairs) this.kept.set(temp, id)
        for (const op of plan.structural) await this.structural(op)
        for (const p of plan.patches) this.pending.push({ block_id: p.blockId, ...p.update } as BatchUpdateRequest)
      }
    }
  }

  async patch(blockId: string, update: BlockUpdate): Promise<void> {
    this.calls++
    await this.docx.patchBlock(this.documentId, blockId, update)
  }

  async batchUpdate(requests: BatchUpdateRequest[]): Promise<void> {
    if (requests.length === 0) return
    this.calls++
    await this.docx.batchUpdate(this.documentId, requests)
  }

  async upload(blockId: string, asset: ImageAsset): Promise<string> {
    this.calls++
    this.uploads++
    return this.media.uploadImage({ documentId: this.documentId, imageBlockId: blockId, fileName: asset.fileName, data: asset.bytes })
  }

  fail(error: unknown): DocumentSyncError {
    if (error instanceof DocumentSyncError) return error
    const code = error instanceof FeishuError ? error.code : undefined
    const reason = code !== undefined ? (LIMIT_REASONS[code] ?? OTHER_REASONS[code]) : undefined
    const detail = (error as Error).message
    const message = reason
      ? `${reason}: ${detail}`
      : error instanceof MediaTooLargeError
        ? detail
        : `writing the document failed: ${detail}`
    return new DocumentSyncError(message, this.documentId, this.calls, code, { cause: error })
  }
}
