// The sync state: what the action knows about its own pages after its last run, so the next run reads only the
// pages that changed on either side instead of every page under parent-node.
//
// Where it lives: a docx page the action owns, directly under parent-node, titled STATE_TITLE. It is found in the
// listing of parent-node that every run makes anyway (no extra call to find it), costs one docx read per run, and
// needs no permission beyond the ones publishing needs. The GitHub token was the other choice, but repository
// variables hold 48 KB (a 2,000-page state is larger) and the Actions cache is not reachable from the CLI or many
// GitHub Enterprise servers.
//
// What it holds (no secret, nothing a reader of the wiki could not see): per page its key (repo path), node and
// document tokens, parent, title, the obj_edit_time the listing showed after the action's own last write, and a
// fingerprint of what was written. Plus the identity the action runs as (the creator of its nodes), and the
// state page's own document id: a state copied into another page no longer matches.
//
// It is written at the end of a run, after every page it describes, and only when it changed. A missing, corrupt,
// older-version, copied or hand-edited state (the JSON carries its own checksum) is not used: that run reads
// every page of its own once, as runs did before the state existed, and writes a fresh state.
import { createHash } from 'node:crypto'
import { type Block, BlockType } from '../../blocks/model.js'
import { FeishuError } from '../../feishu/client.js'
import type { DocxApi } from '../../feishu/docx.js'
import type { WikiApi, WikiNode } from '../../feishu/wiki.js'

export const STATE_VERSION = 1
export const STATE_TITLE = 'feishu-wiki-sync state (do not edit)'
/** Characters of JSON per code block: well under the 100,000 characters Feishu allows in one block's text. */
const CHUNK_CHARS = 40_000
const INTRO =
  'feishu-wiki-sync keeps here what it knows about the pages it publishes, so a run reads only what changed. ' +
  'Do not edit this page: an edited or deleted state is ignored, and the next run reads every page once and writes it again.'

export interface PageState {
  node: string
  doc: string
  /** Parent node token ('' = the space's top level). */
  parent: string
  title: string
  /**
   * obj_edit_time as listed after the action's last write: a later one means someone edited the page since.
   * '' when not listed after the write (a stopped run saves without listing): then an edit time no later than
   * the state page's own (written after every write of that run) is the action's (editedSinceState, scan.ts).
   */
  edit: string
  /** Fingerprint of what the action last wrote (the converted page and its provenance); '' when not known. */
  source: string
  /** The last run began to write the page and failed: the next run rewrites it without calling it a person's edit. */
  heal?: true
  /** Made by the action and never written (a stopped run): empty while unedited, so it is written without a read. */
  blank?: true
  /** Heading slug → block id, for the headings some #anchor link of the docs points at (written this way by links). */
  anchors?: Record<string, string>
}

export interface SyncState {
  version: typeof STATE_VERSION
  /** owner/repo, lower case. */
  repository: string
  space: string
  /** parent-node's token ('' = top level). */
  root: string
  /** The creator id of the action's own nodes (user open_id or the app's), when known. */
  self?: string
  /** The state page's own document: a copied state names another document and is not used. */
  document: string
  /**
   * When the last run that compared every page ended (ISO time; absent until one has), and the high-water mark of
   * the pages the action owned: it rises with them and is lowered only by a run that removed pages with
   * `max-removals` set (plan.ts nextHighWater). The removal cap counts against it.
   */
  lastFullSync?: { at?: string; owned: number }
  pages: Record<string, PageState>
}

export type StateStatus = 'loaded' | 'missing' | 'corrupt' | 'old-version' | 'mismatch' | 'unreadable'

export interface LoadedState {
  status: StateStatus
  state?: SyncState
  /** The state page's node, when one was found (kept and rewritten; never a second one). */
  node?: WikiNode
  /** The text currently on the page, to skip a write that would change nothing. */
  text?: string
  /** How many blocks the page holds at its top level (replaced by the next write). */
  topLevelBlocks?: number
  /** The code blocks that hold the state read, in order (rewritten in place when the new state needs as many). */
  codeBlocks?: string[]
  /** Why the state was not used, for the summary. */
  reason?: string
}

export interface StateScope {
  repository: string
  space: string
  root: string
}

/** Finds the state page among parent-node's children (made by `self` when known) and reads it: one docx read. */
export async function loadState(docx: DocxApi, rootChildren: readonly WikiNode[], scope: StateScope, self: string | undefined): Promise<LoadedState> {
  const candidates = rootChildren.filter(
    (n) => n.title === STATE_TITLE && n.obj_type === 'docx' && n.node_type !== 'shortcut' && (!self || (n.node_creator || n.creator) === self),
  )
  if (candidates.length === 0) return { status: 'missing', reason: 'there is no sync state yet' }
  // The oldest is the action's; later ones are copies.
  const node = [...candidates].sort((a, b) => Number(a.node_create_time ?? 0) - Number(b.node_create_time ?? 0))[0]!
  let text: string
  let codeBlocks: string[]
  let topLevelBlocks = 0
  try {
    const page = await docx.listBlocksPage(node.obj_token)
    if (page.has_more) return { status: 'corrupt', node, reason: 'the sync state page holds more blocks than a state has' }
    ;({ text, codeBlocks } = stateText(page.items ?? []))
    topLevelBlocks = (page.items ?? []).find((b) => b.block_type === BlockType.page)?.children?.length ?? 0
  } catch (error) {
    return { status: 'unreadable', node, reason: `the sync state page could not be read (${(error as Error).message})` }
  }
  const found = { node, text, topLevelBlocks, codeBlocks }
  const parsed = parseState(text)
  if (!parsed.state) return { status: parsed.status, ...found, reason: parsed.reason }
  const state = parsed.state
  if (state.document !== node.obj_token) return { status: 'mismatch', ...found, reason: 'the sync state page holds a state copied from another page' }
  if (state.repository !== scope.repository || state.space !== scope.space || state.root !== scope.root) {
    return { status: 'mismatch', ...found, reason: 'the sync state describes another repository, space or parent page' }
  }
  if (self && state.self && state.self !== self) return { status: 'mismatch', ...found, reason: 'the sync state was written by another identity' }
  return { status: 'loaded', state, ...found }
}

/**
 * The JSON text of the state page: its code blocks, in order, up to the next intro paragraph (a write puts the
 * new state above the old one before it deletes the old one, so a write cut off half-way leaves a whole state first).
 */
function stateText(blocks: readonly Block[]): { text: string; codeBlocks: string[] } {
  let text = ''
  let intros = 0
  const codeBlocks: string[] = []
  for (const b of blocks) {
    if (b.block_type === BlockType.text && ++intros > 1) break
    if (b.block_type !== BlockType.code) continue
    codeBlocks.push(b.block_id)
    for (const e of ((b as { code?: { elements?: { text_run?: { content?: string } }[] } }).code?.elements ?? [])) text += e.text_run?.content ?? ''
  }
  return { text, codeBlocks }
}

export function parseState(text: string): { state?: SyncState; status: StateStatus; reason?: string } {
  let envelope: unknown
  try {
    envelope = JSON.parse(text)
  } catch {
    return { status: 'corrupt', reason: 'the sync state is not valid JSON (edited by hand?)' }
  }
  const e = envelope as { checksum?: unknown; state?: unknown }
  if (!e || typeof e !== 'object' || typeof e.checksum !== 'string' || !e.state || typeof e.state !== 'object') {
    return { status: 'corrupt', reason: 'the sync state has no checksum' }
  }
  if (checksum(e.state) !== e.checksum) return { status: 'corrupt', reason: 'the sync state does not match its checksum (edited by hand?)' }
  const state = e.state as SyncState
  if (state.version !== STATE_VERSION) return { status: 'old-version', reason: `the sync state is from another version (${String(state.version)})` }
  if (typeof state.pages !== 'object' || !state.pages || typeof state.document !== 'string') return { status: 'corrupt', reason: 'the sync state lacks its pages' }
  return { status: 'loaded', state }
}

export function serializeState(state: SyncState): string {
  return JSON.stringify({ checksum: checksum(state), state })
}

function checksum(state: unknown): string {
  return createHash('sha256').update(JSON.stringify(state)).digest('hex')
}

/** The page's blocks: a paragraph saying what it is, then the JSON in code blocks. */
export function stateBlocks(text: string): Block[] {
  const blocks: Block[] = [{ block_id: '', block_type: BlockType.text, text: { elements: [{ text_run: { content: INTRO } }] } } as Block]
  for (let i = 0; i < text.length || i === 0; i += CHUNK_CHARS) {
    blocks.push({
      block_id: '',
      block_type: BlockType.code,
      code: { elements: [{ text_run: { content: text.slice(i, i + CHUNK_CHARS) } }], style: { language: 1, wrap: true } },
    } as unknown as Block)
  }
  return blocks.map(({ block_id: _, ...b }) => b as Block)
}

/**
 * Writes the state: into the existing state page (its old blocks replaced), or a new page under parent-node.
 * The state names its own page's document, so the page is created first when there is none.
 */
export async function saveState(
  wiki: WikiApi,
  docx: DocxApi,
  options: {
    spaceId: string
    rootToken?: string
    existing?: WikiNode
    previousText?: string
    build: (document: string) => SyncState
    /** Whether two state texts say the same (a rewrite that changes nothing is skipped). */
    same?: (a: string, b: string) => boolean
    /** Top-level blocks on the existing page (loadState counted them). */
    previousBlocks?: number
    /** The existing page's code blocks that hold the state (loadState). */
    previousCodeBlocks?: string[]
    /** The creator id of the action's nodes, when known (a page found after a lost create must be ours). */
    self?: string
  },
): Promise<{ node: WikiNode; written: boolean }> {
  let node = options.existing
  if (!node) node = await createStatePage(wiki, options.spaceId, options.rootToken, options.self)
  const state = options.build(node.obj_token)
  const text = serializeState(state)
  const same = options.same ?? ((a: string, b: string) => a === b)
  if (options.existing && options.previousText !== undefined && same(text, options.previousText)) return { node, written: false }
  // The new state goes above the old one, then the old one is deleted: cut off between the two, the page still
  // holds a whole state first (stateText reads up to the second intro).
  let old = options.existing ? options.previousBlocks : 0
  if (old === undefined) {
    const root = await docx.listBlocksPage(node.obj_token)
    old = (root.items ?? []).find((b) => b.block_type === BlockType.page)?.children?.length ?? 0
  }
  const blocks = stateBlocks(text)
  const codes = options.previousCodeBlocks ?? []
  if (options.existing && codes.length === blocks.length - 1 && old === blocks.length && codes.length <= 200) {
    // The page is the intro and as many code blocks as the new state needs: their text is replaced in one call
    // (one batch_update is one revision: applied whole or refused whole; were it ever cut, the checksum would
    // not match and the next run would fall back, as with any damaged state).
    await docx.batchUpdate(
      node.obj_token,
      codes.map((id, i) => ({ block_id: id, update_text_elements: { elements: [{ text_run: { content: textOf(blocks[i + 1]!) } }] } })),
    )
    return { node, written: true }
  }
  for (let i = 0; i < blocks.length; i += 50) await docx.createChildren(node.obj_token, node.obj_token, blocks.slice(i, i + 50), i)
  if (old > 0) await docx.batchDelete(node.obj_token, node.obj_token, blocks.length, blocks.length + old)
  return { node, written: true }
}

function textOf(block: Block): string {
  return (block as unknown as { code: { elements: { text_run: { content: string } }[] } }).code.elements[0]!.text_run.content
}

/**
 * Creates the state page. Create has no idempotency token, so an answer that may have been lost (a reused
 * connection closed under it, a timeout, a 5xx) is followed by a look at parent-node's children: a state page
 * made by the action's identity is the one that create made; only if there is none is the create sent again.
 * Without this, a state lost once was never saved again on a large wiki: the create after a long scan met a
 * closed connection every time, and every run fell back to reading every page.
 */
async function createStatePage(wiki: WikiApi, spaceId: string, rootToken: string | undefined, self: string | undefined): Promise<WikiNode> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await wiki.createNode(spaceId, rootToken, STATE_TITLE)
    } catch (error) {
      if (!(error instanceof FeishuError && error.ambiguous) || attempt >= 3) throw error
      const made = (await wiki.listChildren(spaceId, rootToken)).filter(
        (n) => n.title === STATE_TITLE && n.obj_type === 'docx' && (!self || (n.node_creator || n.creator) === self),
      )
      if (made.length > 0) return made.sort((a, b) => Number(a.node_create_time ?? 0) - Number(b.node_create_time ?? 0))[0]!
    }
  }
}
