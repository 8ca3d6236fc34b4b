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
})
