// Real documentation trees publish as their authors meant (issue 13), proved as a run of the bundled action
// (`node dist/index.js` against the emulators) on a tree written for this purpose: an mdBook book (book.toml,
// SUMMARY.md, `##` chapters, {{#include}}, <Listing>, .html links) whose guide is written VitePress-style
// (::: containers, extension-less and root-relative links, js{1} fences) and whose Chinese section has HTML
// tables, plus the dollar-sign corpus of the unit tests.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import type { RecordedCall } from '../../emulator/core/server.js'
import { ROUTE } from '../../emulator/feishu/index.js'
import { expectNoLeaks } from '../helpers/action-runner.js'
import { STATE_TITLE } from '../../src/sync/remote/state.js'
import { type World, contentWrites, startWorld } from '../helpers/world.js'
import { FALSE_POSITIVES } from '../markdown/site/math-corpus.js'

const SCALE = 20
const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'site-mix')

let world: World
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})



/** The merged cells of each table of a document as Feishu reads them back: [[row, column], row_span, col_span]. */
function mergesOf(documentId: string): [[number, number], number, number][] {
  const blocks = world.feishu.docs.listBlocks(documentId, 500).items
  return blocks
    .filter((b) => b.block_type === 31)
    .flatMap((b) => {
      const { column_size: columns, merge_info: info } = (b.table as { property: { column_size: number; merge_info: { row_span: number; col_span: number }[] } }).property
      return info.flatMap((m, i) => (m.row_span > 1 || m.col_span > 1 ? [[[Math.floor(i / columns), i % columns], m.row_span, m.col_span] as [[number, number], number, number]] : []))
    })
}

describe('site generators’ syntax (runs of the bundled action)', () => {
  it('HTML colspan/rowspan publish as merged cells; a re-run writes nothing; changed spans are rewritten', async () => {
    world = await startWorld({ feishu: { clock: scaledClock(SCALE) } })
    const page = (otherCell: string) =>
      '# Merged cells\n\n<table>\n' +
      '<thead><tr><th rowspan="2">Name</th><th colspan="2">Size</th></tr>\n<tr><th>min</th><th>max</th></tr></thead>\n' +
      `<tbody>\n<tr><td>a</td>${otherCell}</tr>\n<tr><td rowspan="2">b</td><td>1</td><td>2</td></tr>\n<tr><td>3</td><td>4</td></tr>\n</tbody>\n</table>\n`
    fs.mkdirSync(path.join(world.workspace, 'docs'), { recursive: true })
    fs.writeFileSync(path.join(world.workspace, 'docs/merged.md'), page('<td colspan="2">any</td>'))
    const parent = world.feishu.createNode(world.spaceId, { title: 'Docs home', creator: 'someone-else' }).node_token
    const run = async () => {
      const from = world.feishu.server.calls.length
      const r = await world.run({ inputs: { mode: 'all', 'parent-node': parent }, timeScale: SCALE })
      expect(r.exitCode, r.stdout + r.stderr).toBe(0)
      expect(r.outputs).toMatchObject({ failed: '0' })
      return { r, writes: contentWrites(world, from) }
    }
    const doc = () => world.feishu.nodes(world.spaceId).find((n) => n.title === 'Merged cells')!.obj_token

    const { r: first, writes } = await run()
    expect(first.outputs).toMatchObject({ created: '1' })
    expect(first.stdout).not.toMatch(/merged cells|colspan|rowspan/i)
    // Name (2 rows), Size (2 columns), "any" (2 columns), b (2 rows): each made by merge_table_cells after the
    // table was created unmerged, one table per batch_update call.
    expect(mergesOf(doc())).toEqual([[[0, 0], 2, 1], [[0, 1], 1, 2], [[2, 1], 1, 2], [[3, 0], 2, 1]])
    const merges = writes.filter((c) => JSON.stringify(c.body).includes('merge_table_cells'))
    expect(merges.map((c) => c.route)).toEqual(Array(4).fill(ROUTE.blockBatchUpdate))
    expect(world.feishu.docs.render(doc())).toContain('| a | any |  |')

    expect((await run()).writes).toEqual([])

    // The spans change: the table is written again, merged as the source now says; then nothing again.
    fs.writeFileSync(path.join(world.workspace, 'docs/merged.md'), page('<td>any</td><td>-</td>'))
    expect((await run()).writes.length).toBeGreaterThan(0)
    expect(mergesOf(doc())).toEqual([[[0, 0], 2, 1], [[0, 1], 1, 2], [[3, 0], 2, 1]])
    expect(world.feishu.docs.render(doc())).toContain('| a | any | - |')
    expect((await run()).writes).toEqual([])
  })


  it('titles, links, math, fences, admonitions, HTML tables and includes publish as meant; a re-run writes nothing', async () => {
    world = await startWorld({ feishu: { clock: scaledClock(SCALE) } })
    fs.cpSync(FIXTURE, path.join(world.workspace, 'docs'), { recursive: true })
    fs.writeFileSync(path.join(world.workspace, 'docs/src/money.md'), `# Money and shells\n\n${FALSE_POSITIVES.join('\n\n')}\n`)
    const parent = world.feishu.createNode(world.spaceId, { title: 'Docs home', creator: 'someone-else' }).node_token
    const run = async () => {
      const from = world.feishu.server.calls.length
      const r = await world.run({ inputs: { mode: 'all', 'parent-node': parent }, timeScale: SCALE })
      return { r, writes: contentWrites(world, from) }
    }

    const { r: first } = await run()
    expect(first.exitCode, first.stdout + first.stderr).toBe(0)
    expect(first.outputs).toMatchObject({ created: '12', failed: '0' })
    const node = (title: string) => {
      const found = world.feishu.nodes(world.spaceId).filter((n) => n.title === title)
      expect(found, `nodes titled ${title}`).toHaveLength(1)
      return found[0]!
    }
    const render = (title: string) => world.feishu.docs.render(node(title).obj_token)
    const wiki = (title: string) => `https://www.feishu.cn/wiki/${node(title).node_token}`

    // Titles from SUMMARY.md (also for `##` chapters and a chapter without a heading), front matter and headings,
    // never a file name; sibling order from SUMMARY.md, pages it does not list after.
    expect(world.feishu.renderTree(world.spaceId, parent).split('\n').filter((line) => line !== STATE_TITLE).join('\n')).toBe(
      [
        'Introduction',
        '  Getting Started',
        '  Installation',
        '  Hello, World!',
        '  Guide',
        '    Configuration reference',
        '    Deploying',
        '    Advanced topics',
        '  中文文档',
        '    配置参考',
        '  Money and shells',
        '  Summary',
      ].join('\n'),
    )
    expect(first.summary).toContain('<td>Installation (title from docs/src/SUMMARY.md)</td>')

    // Every site-style link to an existing file reaches its wiki page; a dead one is a warning at its line.
    const links: [page: string, text: string, target: string][] = [
      ['Introduction', 'Getting Started', 'Getting Started'], // ch01-00-getting-started.html
      ['Introduction', 'guide', 'Guide'], // ./guide/
      ['Introduction', '中文文档', '中文文档'], // /zh/
      ['Getting Started', '`Hello, world!`', 'Hello, World!'], // ./ch01-02-hello-world
      ['Installation', 'Hello, World!', 'Hello, World!'], // ch01-02-hello-world.html#anatomy: no such heading, the page
      ['Hello, World!', 'installation', 'Installation'], // /ch01-01-installation
      ['Guide', 'Configuration', 'Configuration reference'], // ./config
      ['Guide', 'Deploying', 'Deploying'], // /guide/deploy.html
      ['Guide', 'advanced topics', 'Advanced topics'], // ./advanced/
      ['Configuration reference', 'the guide', 'Guide'], // /guide/
      ['Deploying', 'Configuration', 'Configuration reference'], // config.html
      ['Advanced topics', 'the start', 'Introduction'], // /
      ['中文文档', '配置参考', '配置参考'], // ./config
      ['配置参考', '部署', 'Deploying'], // ../guide/deploy.html inside an HTML table
      ['配置参考', '中文文档', '中文文档'], // /zh/index.html
    ]
    for (const [page, text, target] of links) expect(render(page)).toContain(`[${text}](${wiki(target)})`)
    // A link to a heading opens the heading's block.
    const defaults = (world.feishu.docs.listBlocks(node('Configuration reference').obj_token, 500).items ?? []).find((b) => b.block_type === 4 && JSON.stringify(b).includes('"content":"Defaults"'))
    expect(render('Guide')).toContain(`[the config page](${wiki('Configuration reference')}#${defaults!.block_id})`)
    // One annotation for both link warnings of the line (grouped by kind and file); every warning in the log.
    expect(first.stdout).toContain('::warning file=docs/src/ch01-01-installation.md,line=25,col=7::docs/src/ch01-01-installation.md: Link ch01-02-hello-world.html#anatomy: no heading')
    expect(first.stdout).toContain('docs/src/ch01-01-installation.md:25: link ch01-03-hello-cargo.md reaches nothing')

    // No equation from the false-positive corpus or the prices in the tree; true math still is.
    const equations = world.feishu.nodes(world.spaceId).flatMap((n) =>
      [...JSON.stringify(world.feishu.docs.listBlocks(n.obj_token, 500)).matchAll(/"equation":\{"content":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string),
    )
    expect(equations.sort()).toEqual(['O(n)', 'a^2+b^2=c^2', 'n'])
    expect(render('Money and shells')).toContain('Installed into *$HOME/.cargo/bin*; add it to your `$PATH`.')

    // Fences with attributes keep their language; includes are expanded; <Listing> keeps its caption.
    expect(render('Installation')).toContain('*Listing 1-1: A program that prints a greeting*\n```rust\nfn main() {\n    println!("Hello, world!");\n}\n```')
    expect(render('Configuration reference')).toContain('```javascript\nexport default {')
    expect(render('Configuration reference')).toContain('```typescript\nconst answer: number = 42\n```')

    // Admonitions are callouts, titled; HTML tables are tables.
    expect(render('Guide')).toContain('> [!callout]\n> **Before you start**\n> Read [Configuration]')
    expect(render('Guide')).toContain('> [!callout]\n> **Warning**\n> Deploying overwrites the site.')
    expect(render('中文文档')).toContain('| 参数 | 类型 | 说明 |\n| --- | --- | --- |\n| `name` | string | 项目**名称** |')
    expect(render('配置参考')).toContain('| **缓存** | 启用后结果保存在 `~/.cache` 中。 |')
    // … with their rowspan a merged cell (no warning about it any more).
    expect(mergesOf(node('中文文档').obj_token)).toEqual([[[2, 2], 2, 1]])

    // Warnings: one annotation per kind per file, and the full grouped list collapsed in the summary.
    const annotations = first.stdout.split('\n').filter((line) => line.startsWith('::warning'))
    expect(annotations).toHaveLength(5)
    expect(first.summary).toContain('<details><summary>6 warnings in 5 groups (by file and kind)</summary>')

    const { writes } = await run()
    expect(writes).toEqual([])
  })
})
