// Property-style test of the whole per-document engine: random documents and random edit scripts, synced by
// syncDocument into the emulator's DocumentStore (in process, no HTTP, so hundreds of cases run fast). After
// every sync the stored document must render exactly like a document written from scratch with the same
// conversion, and a second sync of the same conversion must make zero writes.
import { createHash, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { realClock } from '../../emulator/core/clock.js'
import { DocumentStore } from '../../emulator/feishu/docx/store.js'
import type { Block, DescendantRequest } from '../../src/blocks/model.js'
import { FeishuError } from '../../src/feishu/client.js'
import type { BlockPage, DocxApi } from '../../src/feishu/docx.js'
import type { MediaApi } from '../../src/feishu/media.js'
import { descendantsOf, type TreeNode } from '../../src/sync/apply/block-diff.js'
import { type AssetRef, type DocumentConversion, readExistingDocument, syncDocument } from '../../src/sync/apply/document.js'
import { cloneTree, randomDoc, randomEdit, reconvert, rng } from './block-diff-helpers.js'

/** DocxApi straight onto a DocumentStore; store errors become FeishuErrors like the HTTP layer's. */
export function storeDocx(store: DocumentStore, counter: { writes: number; ops?: Map<string, number> }): DocxApi {
  const call = <T>(endpoint: string, fn: () => T, write = false): T => {
    try {
      const out = fn()
      if (write) counter.writes++
      return out
    } catch (error) {
      const e = error as { code?: number; message: string; httpStatus?: number }
      if (typeof e.code === 'number') throw new FeishuError(`${endpoint}: ${e.code} ${e.message}`, e.code, e.httpStatus ?? 400, endpoint)
      throw error
    }
  }
  const pages = (get: (token?: string) => BlockPage) => {
    const out: Block[] = []
    let token: string | undefined
    for (;;) {
      const page = get(token)
      out.push(...page.items)
      if (!page.has_more) return out
      token = page.page_token
    }
  }
  return {
    getDocument: async (d) => call('get', () => store.getDocument(d)),
    listBlocksPage: async (d, size = 500, token) => call('list', () => store.listBlocks(d, size, token) as BlockPage),
    listBlocks: async (d) => call('list', () => pages((t) => store.listBlocks(d, 500, t) as BlockPage)),
    getChildren: async (d, b) => call('children', () => pages((t) => store.getChildren(d, b, 500, t) as BlockPage)),
    createChildren: async (d, p, children, index) => call('create', () => store.createChildren(d, p, { children, index }, randomUUID()), true),
    createDescendants: async (d, p, req) => call('descendant', () => store.createDescendants(d, p, req, randomUUID()), true),
    batchDelete: async (d, p, s, e) => call('delete', () => store.batchDelete(d, p, { start_index: s, end_index: e }, randomUUID()), true),
    patchBlock: async (d, b, u) => {
      const op = Object.keys(u)[0]!
      counter.ops?.set(op, (counter.ops.get(op) ?? 0) + 1)
      return call('patch', () => store.patch(d, b, u as Record<string, unknown>, randomUUID()), true)
    },
    batchUpdate: async (d, requests) => call('batch', () => store.batchUpdate(d, { requests }, randomUUID()), true),
  }
}

/** Uploads recorded in memory; the token names the content so renders can be compared across documents. */
export function storeMedia(store: DocumentStore, counter: { writes: number; uploads: number }): MediaApi {
  const relations = new Map<string, string>()
  store.setMediaRelation((token) => (relations.has(token) ? { blockId: relations.get(token)! } : undefined))
  let n = 0
  return {
    async uploadImage({ imageBlockId, data }) {
      counter.writes++
      counter.uploads++
      const token = `img_${createHash('sha256').update(data).digest('hex').slice(0, 8)}_${++n}`
      relations.set(token, imageBlockId)
      return token
    },
  }
}

/** Test trees → a conversion: images carry their asset name; the store must not see it. */
function conversionOf(nodes: TreeNode[]): DocumentConversion {
  const request: DescendantRequest = descendantsOf(nodes)
  const assets: AssetRef[] = []
  request.descendants = request.descendants.map((b) => {
    const { asset, ...rest } = b as Block & { asset?: string }
    if (asset) assets.push({ blockId: b.block_id, repoPath: `img/${asset}.png` })
    return rest as Block
  })
  return { blocks: request, assets }
}

const loadAsset = async (repoPath: string) => new TextEncoder().encode(`bytes of ${repoPath}`)

/** The render without the marker's line and with image tokens reduced to their content hash. */
function normalisedRender(store: DocumentStore, documentId: string): string {
  return store
    .render(documentId)
    .split('\n')
    .filter((l) => !l.includes('Synced from'))
    .join('\n')
    .replace(/\[image img_([0-9a-f]+)_\d+\]/g, '[image $1]')
}

/** Random edits made directly in the store, as a person in the Feishu UI would (the marker left alone). */
function tamper(store: DocumentStore, documentId: string, r: () => number): boolean {
  const page = store.getBlock(documentId, documentId)
  const body = (page.children ?? []).slice(1)
  if (body.length === 0) {
    store.createChildren(documentId, documentId, { children: [{ block_type: 2, text: { elements: [{ text_run: { content: 'added' } }] } } as unknown as Block] })
    return true
  }
  const pick = body[Math.floor(r() * body.length)]!
  const block = store.getBlock(documentId, pick)
  const x = r()
  if (x < 0.4 && [2, 3, 4, 5, 12, 14].includes(block.block_type)) {
    store.patch(documentId, pick, { update_text_elements: { elements: [{ text_run: { content: 'changed by hand' } }] } })
  } else if (x < 0.7) {
    const i = (page.children ?? []).indexOf(pick)
    store.batchDelete(documentId, documentId, { start_index: i, end_index: i + 1 })
  } else {
    store.createChildren(documentId, documentId, {
      children: [{ block_type: 2, text: { elements: [{ text_run: { content: 'inserted by hand' } }] } } as unknown as Block],
      index: 1 + Math.floor(r() * body.length),
    })
  }
  return true
}

describe('syncDocument on random documents and random edit scripts (DocumentStore)', () => {
  it('always ends with exactly the desired document, and a re-sync writes nothing', async () => {
    let ids = 0
    const store = new DocumentStore({ clock: realClock, newId: (prefix) => `${prefix}${(++ids).toString(36).padStart(8, '0')}` })
    const counter = { writes: 0, uploads: 0, ops: new Map<string, number>() }
    const docx = storeDocx(store, counter)
    const media = storeMedia(store, counter)
    const provenance = { repoPath: 'docs/r.md', sourceUrl: 'https://github.com/acme/widgets/blob/main/docs/r.md' }
    let totalEditWrites = 0
    let totalEdits = 0
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed * 7919)
      const old = randomDoc(r, Math.floor(r() * (seed % 10 === 0 ? 120 : 20)))
      const desired = reconvert(cloneTree(old))
      const edits = 1 + Math.floor(r() * 5)
      for (let e = 0; e < edits; e++) randomEdit(r, desired)
      const docId = `doc${seed}`
      const fresh = `fresh${seed}`
      store.createDocument(docId, 'Random')
      store.createDocument(fresh, 'Random')
      const sync = async (documentId: string, nodes: TreeNode[], existing: boolean) =>
        syncDocument(docx, media, {
          documentId,
          existing: existing ? await readExistingDocument(docx, documentId) : undefined,
          conversion: conversionOf(nodes),
          provenance,
          loadAsset,
          dryRun: false,
        })
      try {
        await sync(docId, old, false)
        // Every third case a person also edits the page in Feishu before the sync.
        const tampered = seed % 3 === 0 && tamper(store, docId, r)
        const edit = await sync(docId, desired, true)
        expect(edit.remoteEdited).toBe(tampered)
        await sync(fresh, desired, false)
        expect(normalisedRender(store, docId)).toBe(normalisedRender(store, fresh))
        const again = await sync(docId, reconvert(cloneTree(desired)), true)
        expect(again.writeCalls, again.summary).toBe(0)
        totalEditWrites += edit.writeCalls
        totalEdits += edits
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).message}`, { cause: error })
      }
    }
    console.log(Object.fromEntries(counter.ops))
    // The scripts reached the table-row operations, not only block edits.
    expect(counter.ops.get('insert_table_row')).toBeGreaterThan(0)
    expect(counter.ops.get('delete_table_rows')).toBeGreaterThan(0)
    console.log(`[document-random] 300 scripts, ${totalEdits} edits, ${totalEditWrites} write calls for the edits`)
  })
})
