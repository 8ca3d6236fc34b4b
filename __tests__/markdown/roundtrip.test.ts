// Round trip: Markdown → our blocks → the Feishu emulator's document store (write rules, real read shape) →
// GET /blocks → parseDocumentBlocks, and → feishu-docx's MarkdownRenderer → Markdown again.
// Proves that (1) the store accepts every request, also when a large document is written in planned calls
// with insert_table_row; (2) what is read back has the fingerprints of what was written; (3) an independent
// renderer of real Feishu documents reads our blocks as the Markdown we started from.
import { MarkdownRenderer } from 'feishu-docx'
import { describe, expect, it } from 'vitest'
import { allBlocks, DOC, storeWithDoc } from '../../emulator/feishu/docx/testing.js'
import type { DocumentStore } from '../../emulator/feishu/docx/store.js'
import { planDescendantWrites } from '../../src/blocks/chunk.js'
import type { Block, DescendantRequest } from '../../src/blocks/model.js'
import { blockFingerprint } from '../../src/blocks/canonical.js'
import { parseDocumentBlocks, requestToTree } from '../../src/blocks/tree.js'
import { convertMarkdown } from '../../src/markdown/index.js'

const SOURCE = `---
title: Round trip
---
Intro with **bold**, *italic*, ~~gone~~, \`code\` and a [link](https://example.com/a?b=1&c=d).

## Setup

- first
  - nested
    - deeper
- [x] done
- [ ] open

1. one
2. two

\`\`\`ts
const answer: number = 42
\`\`\`

> A quote
> - with a list

> [!WARNING]
> Mind the gap.
>
> \`\`\`sh
> rm -rf /tmp/x
> \`\`\`

| Name | Value |
|:-----|------:|
| a    | 1     |
| b    |       |

![Diagram](img/diagram.png)

---

Energy $E=mc^2$ and a note[^1].

$$
\\int_0^1 x\\,dx
$$

[^1]: The note.
`

/** Writes a request the way the publisher's writer does: planned calls, temporary ids mapped to real ids. */
function write(store: DocumentStore, request: DescendantRequest): void {
  const real = new Map<string, string>()
  for (const step of planDescendantWrites(request)) {
    if (step.kind === 'descendant') {
      const parent = step.parent === undefined ? DOC : real.get(step.parent)!
      const created = store.createDescendants(DOC, parent, step.request)
      for (const relation of created.block_id_relations) real.set(relation.temporary_block_id, relation.block_id)
      continue
    }
    const table = real.get(step.table)!
    for (const row of step.rows) {
      store.patch(DOC, table, { insert_table_row: { row_index: row.rowIndex } })
      const columns = row.cells.length
      const cells = store.getBlock(DOC, table).children!.slice(row.rowIndex * columns, (row.rowIndex + 1) * columns)
      row.cells.forEach((content, column) => {
        const cell = cells[column]!
        const placeholders = store.getBlock(DOC, cell).children?.length ?? 0
        store.createDescendants(DOC, cell, content)
        store.batchDelete(DOC, cell, { start_index: 0, end_index: placeholders })
      })
    }
  }
}

function readBack(store: DocumentStore): Block[] {
  return allBlocks(store, DOC) as unknown as Block[]
}

describe('round trip through the emulator and feishu-docx', () => {
  const result = convertMarkdown(SOURCE, { path: 'docs/guide/round-trip.md' })

  it('the emulator accepts the request, and what it returns has the fingerprints of what was written', () => {
    const store = storeWithDoc(result.title)
    write(store, result.blocks)
    const page = parseDocumentBlocks(readBack(store))
    expect(page.children.map(blockFingerprint)).toEqual(requestToTree(result.blocks).map(blockFingerprint))
  })

  it('feishu-docx renders the blocks back into the Markdown we started from', () => {
    const store = storeWithDoc(result.title)
    write(store, result.blocks)
    const markdown = new MarkdownRenderer({ document: { document_id: DOC }, blocks: readBack(store) } as never).parse()
    for (const expected of [
      '# Round trip',
      'Intro with <b>bold</b>, <em>italic</em>, <del>gone</del>, `code` and a [link](https://example.com/a?b=1&c=d).',
      '## Setup',
      '- first\n    - nested\n        - deeper',
      '- [x] done',
      '- [ ] open',
      '1. one',
      '```ts\nconst answer: number = 42\n```',
      '> A quote',
      '<p><b>Warning</b></p>\n<p>Mind the gap.</p>',
      '```shell\nrm -rf /tmp/x\n```',
      '|Name|Value|\n|---|---|\n|a|1|\n|b||',
      '---',
      'Energy $E=mc^2$ and a note[1].',
      '$$\\int_0^1 x\\,dx$$',
      '[1] The note.',
    ]) {
      expect(markdown).toContain(expected)
    }
  })

  it('a large document written in planned calls (a 600-row table included) reads back the same', () => {
    const rows = Array.from({ length: 600 }, (_, i) => `| row ${i} | **${i * 2}** |`).join('\n')
    const sections = Array.from({ length: 150 }, (_, i) => `## Part ${i}\n\n- a\n  - b\n\n> quote ${i}\n`).join('\n')
    const big = convertMarkdown(`${sections}\n| k | v |\n|---|---|\n${rows}\n\nend\n`, { path: 'docs/big.md' })
    expect(big.blocks.descendants.length).toBeGreaterThan(3000)
    const store = storeWithDoc(big.title)
    write(store, big.blocks)
    const page = parseDocumentBlocks(readBack(store))
    expect(page.children.map(blockFingerprint)).toEqual(requestToTree(big.blocks).map(blockFingerprint))
  })
})
