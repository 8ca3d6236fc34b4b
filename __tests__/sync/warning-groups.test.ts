// Warnings a person can read: one annotation per kind per file at its first line with the count; the summary
// holds every group, collapsed.
import * as core from '@actions/core'
import { afterEach, describe, expect, it } from 'vitest'
import { writePagesSummary } from '../../src/report/pages.js'
import type { Settings } from '../../src/settings.js'
import { type PageResult, countPages } from '../../src/sync/types.js'
import { groupMessage, groupWarnings } from '../../src/sync/warning-groups.js'
import { convertSource } from '../../src/sync/source/convert.js'

afterEach(() => {
  core.summary.emptyBuffer()
})

const page = (path: string, warnings: PageResult['warnings']): PageResult => ({ path, title: path, status: 'updated', warnings })

describe('warning groups', () => {
  it('425 stripped tags in one file are one group with the count and the first line, next to the other files', () => {
    const markdown = `# T\n\n${'<Listing>x</Listing>\n\n'.repeat(425)}[dead](./nowhere.md)\n`
    const converted = convertSource(markdown, 'book/ch01.md')
    const pages = [page('book/ch01.md', [...converted.warnings, { line: 852, column: 1, message: 'link ./nowhere.md reaches nothing', code: 'link' }]), page('book/ch02.md', [{ line: 3, column: 1, message: 'x', code: 'code-language-unknown' }])]
    const groups = groupWarnings(pages)
    expect(groups.map((g) => [g.file, g.code, g.count, g.first.line])).toEqual([
      ['book/ch01.md', 'html-stripped', 425, 3],
      ['book/ch01.md', 'link', 1, 852],
      ['book/ch02.md', 'code-language-unknown', 1, 3],
    ])
    expect(groupMessage(groups[0]!)).toMatch(/^HTML <listing> cannot be shown .* \[425 "html-stripped" warnings in this file \(also at lines 5, 7, 9, .*, …\)\]$/)
    expect(groupMessage(groups[1]!)).toBe('link ./nowhere.md reaches nothing')
  })

  it('the job summary lists every group in a collapsed <details>', () => {
    const pages = [page('docs/a.md', [{ line: 4, column: 1, message: 'HTML <x> cannot be shown', code: 'html-stripped' }, { line: 9, column: 1, message: 'again', code: 'html-stripped' }])]
    writePagesSummary(core.summary, { pages, counts: countPages(pages), writeCalls: 0, readCalls: 0, notes: [] }, { onDelete: 'archive' } as Settings)
    const html = core.summary.stringify()
    expect(html).toContain('<details><summary>2 warnings in 1 group (by file and kind)</summary><ul><li><code>docs/a.md:4</code> html-stripped ×2: HTML &lt;x&gt; cannot be shown</li></ul></details>')
  })
})
