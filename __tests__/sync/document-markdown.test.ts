// The converter's real output through syncDocument into the emulator: what the converter writes and what the
// emulator reads back must canonicalise alike (a re-sync of the same Markdown makes zero writes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { convertMarkdown } from '../../src/markdown/index.js'
import { readExistingDocument, syncDocument } from '../../src/sync/apply/document.js'
import { type Harness, provenance, startHarness } from './document-helpers.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness({ scale: 50 })
})
afterAll(async () => {
  await h?.close()
})

const SAMPLE = `---
title: Guide
---
# Guide

Some *emphasis*, **bold**, \`code\`, ~~strike~~, <u>under</u>, a [link](https://example.com/a?b=c&d=e) and [rel](./other.md#x).

## Lists

- one
  - nested **bold**
- two

1. first
2. second
   1. inner

- [ ] todo
- [x] done

> quote line
> more

> [!NOTE]
> a callout

\`\`\`ts
const x = 1
\`\`\`

| a | b |
|---|---|
| 1 | 2 |

![alt](img/pic.png)
![remote](https://example.com/x.png)

$$
e = mc^2
$$

Inline $x^2$ math.

---

Line with<br>break and trailing.
`

async function sync(documentId: string, markdown: string, isNew = false) {
  const conversion = convertMarkdown(markdown, { path: 'docs/guide.md' })
  const existing = isNew ? undefined : await readExistingDocument(h.docx, documentId)
  h.reset()
  const result = await syncDocument(h.docx, h.media, {
    documentId,
    existing,
    conversion: { blocks: conversion.blocks, assets: conversion.fillables.flatMap((f) => (f.kind === 'local' ? [{ blockId: f.blockId, repoPath: f.path }] : [])) },
    provenance: provenance(),
    loadAsset: async (p) => (p === 'docs/img/pic.png' ? new Uint8Array([137, 80, 78, 71, 1, 2, 3]) : undefined),
    dryRun: false,
  })
  return { result, writes: h.writes() }
}

describe('syncDocument with the Markdown converter', () => {
  it('re-syncs unchanged Markdown with zero writes and a one-word edit with one', async () => {
    const documentId = h.newDocument('Guide')
    const first = await sync(documentId, SAMPLE, true)
    expect(first.result.status).toBe('created')
    expect(h.emu.schemaViolations).toEqual([])
    const again = await sync(documentId, SAMPLE)
    expect(again.result.summary).toBe('unchanged')
    expect(again.writes).toBe(0)

    const edited = SAMPLE.replace('quote line', 'quoted line')
    const edit = await sync(documentId, edited)
    expect(edit.writes).toBe(1)
    expect(edit.result.keptBlocks).toBe(edit.result.totalBlocks)

    const fresh = h.newDocument('Fresh')
    await sync(fresh, edited, true)
    const strip = (s: string) => s.split('\n').filter((l) => !l.includes('Synced from')).join('\n').replace(/\[image \S+\]/g, '[image]')
    expect(strip(h.emu.docs.render(documentId))).toBe(strip(h.emu.docs.render(fresh)))
    expect((await sync(documentId, edited)).writes).toBe(0)
  })

  it('a table split into consecutive tables (too many rows for one call) re-syncs with zero writes, and a one-cell edit with one', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `| ${i + 1} | row ${i + 1} | ${(i * 7) % 1000} |`)
    const table = `# Big table\n\n| id | name | value |\n| --- | --- | --- |\n${rows.join('\n')}\n`
    expect(convertMarkdown(table, { path: 'docs/guide.md' }).warnings.map((w) => w.code)).toEqual(['table-split'])
    const documentId = h.newDocument('Big table')
    const first = await sync(documentId, table, true)
    expect(first.result.status).toBe('created')
    expect(h.emu.schemaViolations).toEqual([])
    expect(first.writes).toBeLessThanOrEqual(6) // three tables, one descendant call each, plus the marker's writes
    const again = await sync(documentId, table)
    expect(again.result.summary).toBe('unchanged')
    expect(again.writes).toBe(0)
    const edited = table.replace('| row 300 |', '| row three hundred |')
    expect((await sync(documentId, edited)).writes).toBe(1)
    expect((await sync(documentId, edited)).writes).toBe(0)
    expect(h.emu.docs.render(documentId)).toContain('| 400 | row 400 |')
  })

  it('HTML tables with merged cells: created unmerged, then merged; re-synced with zero writes; a changed merged table is rewritten', async () => {
    const wide = '<table>\n<tr><th rowspan="2">k</th><th colspan="2">v</th></tr>\n<tr><td>1</td><td>2</td></tr>\n<tr><td colspan="3">all</td></tr>\n</table>'
    const tall = (extra: string) => `<table>\n<tr><td rowspan="2">x</td><td>a</td></tr>\n<tr><td>b</td></tr>\n${extra}</table>`
    const page = (extra: string) => `# Merged\n\n${wide}\n\nBetween.\n\n${tall(extra)}\n`
    const merges = (documentId: string) =>
      h.emu.docs
        .listBlocks(documentId, 500)
        .items.filter((b) => b.block_type === 31)
        .map((b) => (b.table as { property: { merge_info: { row_span: number; col_span: number }[] } }).property.merge_info.flatMap((m, i) => (m.row_span > 1 || m.col_span > 1 ? [`${i}:${m.row_span}x${m.col_span}`] : [])))

    const documentId = h.newDocument('Merged')
    const first = await sync(documentId, page(''), true)
    expect(h.emu.schemaViolations).toEqual([]) // merge_info never sent on create
    expect(merges(documentId)).toEqual([['0:2x1', '1:1x2', '6:1x3'], ['0:2x1']])
    // One descendant call, then the merges: never one table twice in a batch_update, so as many calls as the
    // first table has merges, the second table's merge riding in the first of them.
    const batches = h.calls.filter((c) => c.endpoint === 'docx.documentBlock.batchUpdate')
    expect([first.writes, batches.length]).toEqual([4, 3])
    expect((await sync(documentId, page(''))).writes).toBe(0)

    // A cell's text changes: patched in place, the merges stay.
    const edited = page('').replace('>all<', '>everything<')
    expect((await sync(documentId, edited)).writes).toBe(1)
    expect(merges(documentId)).toEqual([['0:2x1', '1:1x2', '6:1x3'], ['0:2x1']])
    // A row is added to a merged table: that table is written again (not grown row by row under its merges).
    const grown = edited.replace('<td>b</td></tr>\n</table>', '<td>b</td></tr>\n<tr><td colspan="2">c</td></tr>\n</table>')
    await sync(documentId, grown)
    expect(merges(documentId)).toEqual([['0:2x1', '1:1x2', '6:1x3'], ['0:2x1', '4:1x2']])
    expect(h.emu.docs.render(documentId)).toContain('| c |')
    expect((await sync(documentId, grown)).writes).toBe(0)
  })

  it('a merged HTML table too large for one call is grown row by row first, then merged', async () => {
    const rows = Array.from({ length: 270 }, (_, i) => (i === 260 ? '<tr><td rowspan="5">span</td><td>260</td></tr>' : `<tr>${i > 260 && i < 265 ? '' : `<td>${i}</td>`}<td>v${i}</td></tr>`))
    const markdown = `# Tall\n\n<table>\n${rows.join('\n')}\n</table>\n`
    expect(convertMarkdown(markdown, { path: 'docs/guide.md' }).warnings).toEqual([])
    const documentId = h.newDocument('Tall')
    await sync(documentId, markdown, true)
    expect(h.calls.filter((c) => c.endpoint === 'docx.documentBlock.patch').length).toBeGreaterThan(0) // insert_table_row
    const table = h.emu.docs.listBlocks(documentId, 500).items.find((b) => b.block_type === 31)!
    const info = (table.table as { property: { merge_info: { row_span: number; col_span: number }[] } }).property.merge_info
    expect(info.flatMap((m, i) => (m.row_span > 1 ? [[i, m.row_span]] : []))).toEqual([[520, 5]])
    expect((await sync(documentId, markdown)).writes).toBe(0)
  }, 120_000)
})
