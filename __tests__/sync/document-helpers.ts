// Test helpers for syncDocument against the Feishu emulator over HTTP.
import { scaledClock } from '../../emulator/core/clock.js'
import { type FeishuEmulator, startFeishuEmulator } from '../../emulator/feishu/index.js'
import type { Block, DescendantRequest } from '../../src/blocks/model.js'
import { type CallEvent, FeishuClient } from '../../src/feishu/client.js'
import { createDocxApi, type DocxApi } from '../../src/feishu/docx.js'
import { createMediaApi, type MediaApi } from '../../src/feishu/media.js'
import type { AssetRef, DocumentConversion } from '../../src/sync/apply/document.js'

export interface Harness {
  emu: FeishuEmulator
  docx: DocxApi
  media: MediaApi
  client: FeishuClient
  spaceId: string
  /** HTTP attempts by API class since the last reset. */
  calls: CallEvent[]
  writes(): number
  reset(): void
  newDocument(title?: string): string
  close(): Promise<void>
}

export async function startHarness(options: { scale?: number; rateLimits?: boolean; validateRequests?: boolean } = {}): Promise<Harness> {
  const clock = scaledClock(options.scale ?? 20)
  const emu = await startFeishuEmulator({ clock, rateLimits: options.rateLimits ?? true, validateRequests: options.validateRequests ?? true, accessTokenTtlSeconds: 30 * 86_400 })
  const spaceId = emu.createSpace({ name: 'Docs' })
  const token = emu.issueUserAccessToken()
  const calls: CallEvent[] = []
  const client = new FeishuClient({ baseUrl: emu.url, accessToken: () => token, clock, onCall: (e) => calls.push(e) })
  return {
    emu,
    client,
    docx: createDocxApi(client),
    media: createMediaApi(client),
    spaceId,
    calls,
    writes: () => calls.filter((c) => c.apiClass === 'docx-write' || c.apiClass === 'upload').length,
    reset: () => {
      calls.length = 0
    },
    newDocument: (title = 'Page') => emu.createNode(spaceId, { title }).obj_token,
    close: () => emu.close(),
  }
}

let seq = 0
const id = () => `tmp_${++seq}`

export interface Doc {
  request: DescendantRequest
  assets: AssetRef[]
}

/** Build a descendant request from a compact description. */
export class DocBuilder {
  readonly descendants: Block[] = []
  readonly top: string[] = []
  readonly assets: AssetRef[] = []

  private add(block: Omit<Block, 'block_id'>, children: string[] = [], top = true): string {
    const blockId = id()
    this.descendants.push({ ...block, block_id: blockId, children } as Block)
    if (top) this.top.push(blockId)
    return blockId
  }

  paragraph(text: string, top = true): string {
    return this.add({ block_type: 2, text: { elements: [{ text_run: { content: text } }] } }, [], top)
  }

  heading(level: number, text: string): string {
    return this.add({ block_type: 2 + level, [`heading${level}`]: { elements: [{ text_run: { content: text } }] } })
  }

  bullet(text: string, nested: string[] = []): string {
    const kids = nested.map((t) => this.add({ block_type: 12, bullet: { elements: [{ text_run: { content: t } }] } }, [], false))
    return this.add({ block_type: 12, bullet: { elements: [{ text_run: { content: text } }] } }, kids)
  }

  code(text: string, language = 63): string {
    return this.add({ block_type: 14, code: { style: { language }, elements: [{ text_run: { content: text } }] } })
  }

  callout(texts: string[]): string {
    const kids = texts.map((t) => this.paragraph(t, false))
    return this.add({ block_type: 19, callout: { background_color: 3 } }, kids)
  }

  table(rows: string[][]): string {
    const cells = rows.flat().map((t) => this.add({ block_type: 32, table_cell: {} }, [this.paragraph(t, false)], false))
    return this.add({ block_type: 31, table: { property: { row_size: rows.length, column_size: rows[0]!.length } } }, cells)
  }

  image(repoPath: string, alt = ''): string {
    const blockId = this.add({ block_type: 27, image: {} })
    this.assets.push({ blockId, repoPath, alt })
    return blockId
  }

  remoteImage(url: string, alt = ''): string {
    const blockId = this.add({ block_type: 27, image: {} })
    this.assets.push({ blockId, url, alt })
    return blockId
  }

  build(): DocumentConversion {
    return { blocks: { children_id: [...this.top], descendants: structuredClone(this.descendants) }, assets: [...this.assets] }
  }
}

/** A ~`blocks`-block document: headings, paragraphs, lists, code, callouts and small tables. */
export function generatedDoc(blocks: number, edit?: (b: DocBuilder, i: number) => boolean): DocumentConversion {
  const b = new DocBuilder()
  let i = 0
  while (b.descendants.length < blocks) {
    if (edit?.(b, i)) {
      i++
      continue
    }
    const k = i % 20
    if (k === 0) b.heading(2, `Section ${i / 20}`)
    else if (k === 5) b.bullet(`Item ${i}`, [`Nested ${i}.a`, `Nested ${i}.b`])
    else if (k === 9) b.code(`const x${i} = ${i}\nconsole.log(x${i})`)
    else if (k === 13) b.callout([`Note ${i}`])
    else if (k === 17) b.table([[`r0c0 ${i}`, `r0c1 ${i}`], [`r1c0 ${i}`, `r1c1 ${i}`]])
    else b.paragraph(`Paragraph ${i}: the quick brown fox jumps over the lazy dog.`)
    i++
  }
  return b.build()
}

export const provenance = (repoPath = 'docs/guide.md') => ({
  repoPath,
  sourceUrl: `https://github.com/acme/widgets/blob/main/${repoPath}`,
})
