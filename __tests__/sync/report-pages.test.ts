import * as core from '@actions/core'
import { afterEach, describe, expect, it } from 'vitest'
import { pageLogLine, pagesOutputs, writePagesSummary } from '../../src/report/pages.js'
import type { Settings } from '../../src/settings.js'
import { type PageResult, type PublishResult, countPages } from '../../src/sync/types.js'

const settings = { onDelete: 'archive' } as Settings

function result(pages: PageResult[], extra: Partial<PublishResult> = {}): PublishResult {
  return { pages, counts: countPages(pages), writeCalls: 7, readCalls: 20, notes: [], ...extra }
}

const page = (i: number, status: PageResult['status'] = 'unchanged', extra: Partial<PageResult> = {}): PageResult => ({
  path: `docs/page-${i}.md`,
  title: `Page <${i}>`,
  nodeToken: `wik${i}`,
  url: `https://www.feishu.cn/wiki/wik${i}`,
  status,
  warnings: [],
  ...extra,
})

afterEach(() => {
  core.summary.emptyBuffer()
})

describe('job summary', () => {
  it('lists every page with status, link and reason, escaped, failures first', () => {
    const r = result([page(1), page(2, 'failed', { reason: 'a page titled "X" already exists; give it another `title`' }), page(3, 'created')], {
      notes: ['3 Markdown file(s) left out by `exclude`.'],
      mode: { effective: 'changed', reason: '2 file(s) changed' },
    })
    writePagesSummary(core.summary, r, settings)
    const html = core.summary.stringify()
    expect(html).toContain('1 created · 0 updated · 1 unchanged · 1 failed')
    expect(html).toContain('7 writes, 20 reads')
    expect(html).toContain('<code>changed</code> (2 file(s) changed)')
    expect(html).toContain('<li>3 Markdown file(s) left out by <code>exclude</code>.</li>')
    expect(html).toContain('<td>Page &lt;2&gt;</td>')
    expect(html).toContain('give it another <code>title</code>')
    expect(html.indexOf('page-2.md')).toBeLessThan(html.indexOf('page-1.md'))
    expect(html.indexOf('page-3.md')).toBeLessThan(html.indexOf('page-1.md'))
    expect(html).toContain('<a href="https://www.feishu.cn/wiki/wik1">open</a>')
  })

  it('shows the plan in a dry run and the safety cap stop', () => {
    writePagesSummary(core.summary, result([page(1, 'skipped', { plan: 'create' })], { dryRun: true, stoppedBySafetyCap: 'would archive 3 of 4' }), settings)
    const html = core.summary.stringify()
    expect(html).toContain('dry run')
    expect(html).toContain('would create')
    expect(html).toContain('Stopped by the safety cap')
  })

  it('stays within the 1 MiB summary limit for a very large tree, with a note', () => {
    const pages = Array.from({ length: 20_000 }, (_, i) => page(i, i === 19_999 ? 'failed' : 'unchanged', { reason: 'x'.repeat(40) }))
    writePagesSummary(core.summary, result(pages), settings)
    const html = core.summary.stringify()
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024)
    expect(html).toMatch(/… and \d+ more page\(s\) not shown/)
    expect(html).toContain('page-19999.md') // failures first, so the failure is shown
  })
})

describe('outputs', () => {
  it('gives counts and a pages JSON array', () => {
    const out = pagesOutputs(result([page(1, 'created'), page(2, 'failed', { reason: 'boom', nodeToken: undefined, url: undefined })]))
    expect(out).toMatchObject({ created: '1', failed: '1', updated: '0', unchanged: '0', 'pages-truncated': 'false' })
    expect(JSON.parse(out.pages!)).toEqual([
      { path: 'docs/page-1.md', title: 'Page <1>', node_token: 'wik1', url: 'https://www.feishu.cn/wiki/wik1', status: 'created' },
      { path: 'docs/page-2.md', title: 'Page <2>', node_token: null, url: null, status: 'failed', reason: 'boom' },
    ])
  })

  it('keeps the pages output within its budget, failures and changes first, in page order', () => {
    const pages = Array.from({ length: 5_000 }, (_, i) => page(i, i % 1000 === 0 ? 'failed' : 'unchanged'))
    const out = pagesOutputs(result(pages), 50_000)
    expect(out.pages!.length).toBeLessThanOrEqual(50_000)
    expect(out['pages-truncated']).toBe('true')
    const parsed = JSON.parse(out.pages!) as { path: string; status: string }[]
    expect(parsed.filter((p) => p.status === 'failed')).toHaveLength(5)
    const indices = parsed.map((p) => Number(p.path.match(/\d+/)![0]))
    expect(indices).toEqual([...indices].sort((a, b) => a - b))
  })

  it('one log line per page', () => {
    expect(pageLogLine(page(1, 'failed', { reason: 'boom' }))).toBe('docs/page-1.md: failed https://www.feishu.cn/wiki/wik1 — boom')
  })
})
