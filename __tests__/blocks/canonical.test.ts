// The one canonical form (src/blocks/canonical.ts): the same for what we write and for what the server returns
// for it, different as soon as something we control differs, and blind to everything we do not control.
import { describe, expect, it } from 'vitest'
import { fnv1a64 } from '../../src/blocks/hash.js'
import type { Block, BlockNode, DescendantRequest } from '../../src/blocks/model.js'
import { blockFingerprint, CONTROLLED, canonicalBlock, canonicalJson, canonicalKey, canonicalTree } from '../../src/blocks/canonical.js'
import { parseDocumentBlocks, requestToTree } from '../../src/blocks/tree.js'
import { convertMarkdown } from '../../src/markdown/index.js'
import { PAYLOAD_KEY, TEXT_BLOCK_TYPES } from '../../src/blocks/model.js'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const HANDBOOK = join(import.meta.dirname, '..', 'fixtures', 'handbook')

const RICH = `Intro with **bold**, *italic*, \`code\`, a [link](https://example.com/a?b=c) and $x^2$.

## Heading

- item
  - nested [ref](../other.md)
1. one
- [x] done
- [ ] open

\`\`\`ts
const a = 1
\`\`\`

> quote
> > inner

> [!WARNING]
> careful

| a | b |
|:-:|---|
| 1 |   |

![img](x.png)

---

end
`

/** What GET /blocks returns for a written request: ids, server defaults and read-only fields added. */
function asServerReturnsIt(request: DescendantRequest): Block[] {
  const realId = (temporary: string) => `doxcn${temporary}`
  const parentOf = new Map<string, string>()
  for (const block of request.descendants) for (const child of block.children ?? []) parentOf.set(child, block.block_id)
  const page: Block = { block_id: 'doc', block_type: 1, children: request.children_id.map(realId), page: { elements: [{ text_run: { content: 'Title' } }] } }
  const blocks = request.descendants.map((written): Block => {
    const block = structuredClone(written) as Block
    block.block_id = realId(written.block_id)
    block.parent_id = parentOf.has(written.block_id) ? realId(parentOf.get(written.block_id)!) : 'doc'
    block.children = (written.children ?? []).map(realId)
    if (block.children.length === 0) delete block.children
    block.comment_ids = []
    for (const value of Object.values(block)) {
      if (typeof value !== 'object' || value === null || !('elements' in value)) continue
      const body = value as { style?: Record<string, unknown>; elements: { text_run?: { content: string; text_element_style?: Record<string, unknown> } }[] }
      body.style = { align: 1, folded: false, ...body.style, ...(block.block_type === 13 ? { sequence: '1' } : {}), ...(block.block_type === 14 ? { wrap: false } : {}) }
      body.elements = body.elements
        .filter((element) => element.text_run?.content !== '')
        .flatMap((element) => {
          if (!element.text_run) return [element]
          const style = { bold: false, italic: false, strikethrough: false, underline: false, inline_code: false, comment_ids: [], ...element.text_run.text_element_style }
          const { content } = element.text_run
          // The server may hand back one run as two with the same style.
          return content.length > 3
            ? [{ text_run: { content: content.slice(0, 2), text_element_style: style } }, { text_run: { content: content.slice(2), text_element_style: style } }]
            : [{ text_run: { content, text_element_style: style } }]
        })
    }
    if (block.block_type === 31) {
      const table = block.table as { property: Record<string, unknown>; cells?: string[] }
      table.cells = block.children ?? []
      table.property.merge_info = table.cells.map(() => ({ row_span: 1, col_span: 1 }))
      table.property.column_width = [100, 100]
      table.property.header_column = false
    }
    if (block.block_type === 27) block.image = { token: 'boxcnImageToken', width: 640, height: 480, align: 2 }
    if (block.block_type === 19) (block.callout as Record<string, unknown>).emoji_id = 'gift'
    if (block.block_type === 4) block.divider = {} // stray payload seen in real recorded documents
    return block
  })
  return [page, ...blocks]
}

describe('canonicalTree / blockFingerprint', () => {
  const request = convertMarkdown(RICH, { path: 'docs/page.md' }).blocks
  const written = requestToTree(request)

  it('what we write and what the server returns for it compare equal, block by block', () => {
    const read = parseDocumentBlocks(asServerReturnsIt(request)).children
    expect(read.map(canonicalTree)).toEqual(written.map(canonicalTree))
    expect(read.map(blockFingerprint)).toEqual(written.map(blockFingerprint))
  })

  it('drops ids, read-only fields and server defaults', () => {
    const read = parseDocumentBlocks(asServerReturnsIt(request))
    const json = canonicalJson(read.children.map(canonicalTree))
    for (const field of ['block_id', 'parent_id', 'comment_ids', 'merge_info', 'cells', 'column_width', 'token', 'emoji_id', 'sequence', 'folded', 'wrap', '"align":1', 'false']) {
      expect(json).not.toContain(field)
    }
    expect(json).toContain('"align":2')
  })

  it('a change a reader would see changes the fingerprint', () => {
    const changes: Record<string, (blocks: Block[]) => void> = {
      'text content': (blocks) => textOf(blocks, 2).elements.push({ text_run: { content: '!' } }),
      'inline style': (blocks) => (textOf(blocks, 2).elements[0]!.text_run!.text_element_style = { bold: true }),
      'link target': (blocks) => {
        const element = textOf(blocks, 2).elements.find((item) => item.text_run?.text_element_style?.link)!
        element.text_run!.text_element_style!.link = { url: encodeURIComponent('https://example.com/other') }
      },
      'code language': (blocks) => ((blocks.find((block) => block.block_type === 14)!.code as { style: { language: number } }).style.language = 30),
      'todo state': (blocks) => ((blocks.find((block) => block.block_type === 17)!.todo as { style: { done: boolean } }).style.done = false),
      'table size': (blocks) => ((blocks.find((block) => block.block_type === 31)!.table as { property: { row_size: number } }).property.row_size = 3),
      'header row': (blocks) => ((blocks.find((block) => block.block_type === 31)!.table as { property: Record<string, unknown> }).property.header_row = false),
      'callout colour': (blocks) => ((blocks.find((block) => block.block_type === 19)!.callout as { background_color: number }).background_color = 1),
      'block type': (blocks) => (blocks.find((block) => block.block_type === 12)!.block_type = 13),
      'children order': (blocks) => blocks.find((block) => block.block_type === 34)!.children!.reverse(),
    }
    const baseline = requestToTree(request).map(blockFingerprint).join()
    for (const [name, change] of Object.entries(changes)) {
      const changed = structuredClone(request)
      change(changed.descendants)
      expect(requestToTree(changed).map(blockFingerprint).join(), name).not.toBe(baseline)
    }
  })

  it('links compare decoded: the same URL written encoded or as the server echoes it is equal', () => {
    const link = (url: string): BlockNode => ({ block: { block_type: 2, text: { elements: [{ text_run: { content: 'x', text_element_style: { link: { url } } } }] } }, children: [] })
    expect(blockFingerprint(link(encodeURIComponent('https://a.b/c d?e=f')))).toBe(blockFingerprint(link('https://a.b/c d?e=f')))
    expect(blockFingerprint(link('%E0%A4%A'))).toBe(blockFingerprint(link('%E0%A4%A')))
  })

  it('an empty run and no run are the same text', () => {
    const text = (elements: unknown[]): BlockNode => ({ block: { block_type: 2, text: { elements } }, children: [] })
    expect(blockFingerprint(text([{ text_run: { content: '' } }]))).toBe(blockFingerprint(text([])))
  })
})

describe('compare what we control', () => {
  const request = convertMarkdown(RICH, { path: 'docs/page.md' }).blocks
  const blockOf = (type: number) => structuredClone(request.descendants.find((block) => block.block_type === type)!)

  it('a field we never send never makes a block changed', () => {
    const unchanged: [string, number, (block: Block) => void][] = [
      ['image align, pixel size, scale and token (read back: case3, xingfuyumin/feishu-docx)', 27, (b) => (b.image = { align: 2, width: 2840, height: 1710, scale: 0.5, token: 'boxcnX' })],
      ['a person resized the image', 27, (b) => (b.image = { align: 2, width: 400, height: 241, token: 'boxcnX' })],
      ['callout emoji_id chosen by the server', 19, (b) => ((b.callout as Record<string, unknown>).emoji_id = 'bulb')],
      ['column widths (a person resized a column)', 31, (b) => ((b.table as { property: Record<string, unknown> }).property.column_width = [100, 377])],
      ['merge_info and cells', 31, (b) => Object.assign(b.table as object, { cells: ['c1'], property: { ...(b.table as { property: object }).property, merge_info: [{ row_span: 1, col_span: 1 }] } })],
      ['text style defaults and folding', 2, (b) => ((b.text as { style?: object }).style = { align: 1, folded: true, wrap: false, indentation_level: 'NoIndent' })],
      ['comment ids on the block and on a run', 2, (b) => {
        b.comment_ids = ['7278362223330754564']
        const run = (b.text as { elements: { text_run?: { text_element_style?: Record<string, unknown> } }[] }).elements[0]!.text_run!
        run.text_element_style = { ...run.text_element_style, comment_ids: ['7278362223330754564'] }
      }],
      ['ordered sequence', 13, (b) => ((b.ordered as { style?: object }).style = { sequence: '3' })],
      ['a field Feishu adds tomorrow, at every level', 19, (b) => Object.assign(b, { revision_hint: 7, callout: { ...(b.callout as object), shadow: true } })],
      ['an inline style field Feishu adds tomorrow', 2, (b) => {
        const run = (b.text as { elements: { text_run?: { text_element_style?: Record<string, unknown> } }[] }).elements[0]!.text_run!
        run.text_element_style = { ...run.text_element_style, font_size: 14 }
      }],
    ]
    for (const [name, type, change] of unchanged) {
      const written = blockOf(type)
      const read = structuredClone(written)
      change(read)
      expect(canonicalKey(read), name).toBe(canonicalKey(written))
    }
  })

  it('a field we send that reads back different makes the block changed', () => {
    const changed: [string, number, (block: Block) => void][] = [
      ['callout border colour', 19, (b) => ((b.callout as { border_color: number }).border_color = 2)],
      ['a cell text alignment', 2, (b) => ((b.text as { style?: object }).style = { align: 3 })],
      ['code language', 14, (b) => ((b.code as { style: { language: number } }).style.language = 1)],
      ['a highlighted run', 2, (b) => {
        const run = (b.text as { elements: { text_run?: { text_element_style?: Record<string, unknown> } }[] }).elements[0]!.text_run!
        run.text_element_style = { ...run.text_element_style, background_color: 5 }
      }],
      ['header row', 31, (b) => ((b.table as { property: Record<string, unknown> }).property.header_row = false)],
      ['an element a person added', 2, (b) => (b.text as { elements: unknown[] }).elements.push({ mention_user: { user_id: 'ou_1' } })],
    ]
    for (const [name, type, change] of changed) {
      const written = blockOf(type)
      const read = structuredClone(written)
      change(read)
      expect(canonicalKey(read), name).not.toBe(canonicalKey(written))
    }
  })

  it('merged cells compare by position and span: the converter\'s merge_info against the full list Feishu reads back', () => {
    const one = { row_span: 1, col_span: 1 }
    const table = (mergeInfo?: object[]) => ({ block_type: 31, table: { property: { row_size: 2, column_size: 2, ...(mergeInfo ? { merge_info: mergeInfo } : {}) } } })
    // Unmerged: none written, every cell 1×1 read back (and covered cells read 1×1 too).
    expect(canonicalKey(table())).toBe(canonicalKey(table([one, one, one, one])))
    const wide = canonicalKey(table([{ row_span: 1, col_span: 2 }, one, one, one]))
    expect(wide).not.toBe(canonicalKey(table()))
    expect(wide).not.toBe(canonicalKey(table([one, one, { row_span: 1, col_span: 2 }, one])))
    expect(wide).not.toBe(canonicalKey(table([{ row_span: 2, col_span: 2 }, one, one, one])))
    expect(canonicalBlock(table([{ row_span: 2, col_span: 1 }, one, one, one]))).toEqual({ block_type: 31, table: { property: { row_size: 2, column_size: 2, merges: [[0, 0, 2, 1]] } } })
  })

  it('every field the converter emits is one the canonical form compares', () => {
    const sources = [RICH, ...readdirSync(HANDBOOK, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => readFileSync(join(HANDBOOK, f), 'utf8'))]
    const emitted = new Set<string>()
    for (const source of sources) {
      for (const block of convertMarkdown(source, { path: 'docs/page.md' }).blocks.descendants) {
        const key = PAYLOAD_KEY[block.block_type]!
        const payload = block[key] as Record<string, unknown>
        for (const field of Object.keys(payload)) emitted.add(`${key}.${field}`)
        if (TEXT_BLOCK_TYPES.has(block.block_type)) {
          for (const field of Object.keys((payload.style as object | undefined) ?? {})) emitted.add(`style.${field}`)
          for (const element of payload.elements as Record<string, { text_element_style?: object }>[]) {
            for (const [kind, body] of Object.entries(element)) {
              emitted.add(`element.${kind}`)
              for (const field of Object.keys(body.text_element_style ?? {})) emitted.add(`elementStyle.${field}`)
            }
          }
        }
        if (block.block_type === 31) for (const field of Object.keys((payload.property as object) ?? {})) emitted.add(`property.${field}`)
      }
    }
    const compared = new Set([
      ...Object.keys(CONTROLLED.textStyle).map((f) => `style.${f}`),
      ...Object.keys(CONTROLLED.elementStyle).map((f) => `elementStyle.${f}`),
      ...Object.keys(CONTROLLED.callout).map((f) => `callout.${f}`),
      ...Object.keys(CONTROLLED.tableProperty).map((f) => `property.${f}`),
      'property.merge_info', // compared as the table's merges (src/blocks/merges.ts)
      'table.property',
      'element.text_run',
      'element.equation',
      ...[...TEXT_BLOCK_TYPES].flatMap((t) => [`${PAYLOAD_KEY[t]}.elements`, `${PAYLOAD_KEY[t]}.style`]),
    ])
    expect([...emitted].filter((field) => !compared.has(field)).sort()).toEqual([])
    // The corpus really exercises what the table lists.
    for (const field of ['style.align', 'style.done', 'style.language', 'elementStyle.bold', 'elementStyle.link', 'callout.background_color', 'property.header_row']) {
      expect(emitted.has(field), field).toBe(true)
    }
  })

  it('an image compares by nothing but its type (its picture is compared by asset hash in the diff)', () => {
    expect(canonicalBlock({ block_type: 27, image: { align: 2, width: 1, height: 1, token: 't' } })).toEqual({ block_type: 27, image: {} })
  })
})

describe('canonicalJson and fnv1a64', () => {
  it('sorts keys at every level and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"z":1}]},"b":1}')
  })

  it('FNV-1a 64 matches the reference vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325')
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c')
    expect(fnv1a64('foobar')).toBe('85944171f73967e8')
    expect(fnv1a64('漢字')).toMatch(/^[0-9a-f]{16}$/)
  })
})

function textOf(blocks: Block[], type: number): { elements: { text_run?: { content: string; text_element_style?: { link?: { url: string }; bold?: boolean } } }[] } {
  return blocks.find((block) => block.block_type === type)!.text as ReturnType<typeof textOf>
}
