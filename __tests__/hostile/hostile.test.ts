// Hostile inputs, as runner-style runs of `node dist/index.js` against the emulators (time scale 50). Each run
// must end in bounded time and memory without crashing; a bad file is reported by name with the reason, and the
// other files are published. Every run records its duration and the action's peak RSS (a preloaded probe writes
// process.resourceUsage().maxRSS on exit), printed as a table at the end; every run passes the shared leak scan.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import type { RecordedCall } from '../../emulator/core/server.js'
import { type ActionRun, expectNoLeaks } from '../helpers/action-runner.js'
import { describeRun, limiter, pagesOf } from '../helpers/fault-matrix.js'
import { type World, startWorld } from '../helpers/world.js'
import { RSS_PROBE, bigTable, deepList, gbkFile, largeFile, nulFile, outsideSecretFile, pathologicalCases } from './inputs.js'

/**
 * Time scale of the action's and the emulators' clocks. Low on purpose: these runs load both cores (a 5 MB
 * conversion, ajv-validated 1,000-block requests), and a scaled 30 s request timeout must stay seconds long in
 * real time, or a busy emulator answering late fails a run that would pass. The waits it scales here are
 * rate-limit waits of tens of writes.
 */
const SCALE = 10
const MiB = 1024 * 1024
/** Hard bounds for every run here (real time, peak RSS of the action). */
const MAX_SECONDS = 120
const MAX_RSS_MIB = 2048
/** Docx writes one page may take: ~100 s of the documented 3 writes/s. */
const WRITE_BUDGET = 300
const NORMAL = { 'docs/normal.md': '# Normal\n\nA normal page that must be published whatever its neighbours are.\n' }

/**
 * commonmark.js pathological inputs on which the Markdown parser (micromark, through the converter) is
 * super-linear: each took from tens of seconds to many minutes (measured on the 2-core test machine) until
 * src/markdown/guard.ts published such paragraphs as plain text, unparsed (now well under a second each).
 */
const SLOW_PATHOLOGICAL = new Set([
  'nested-strong-emph',
  'link-closers-no-openers',
  'backticks',
  'unclosed-comment',
  'link-openers-emph-closers',
  'unclosed-links-b',
  'openers-closers-multiple-of-3',
  'emph-closers-no-openers',
  'many-references',
])

interface Measured {
  name: string
  exit: number
  seconds: number
  rssMiB: number
  docxWrites: number
  result: string
}
const table: Measured[] = []
const slot = limiter(2)

afterAll(() => {
  const rows = table.map((m) => `| ${m.name} | ${m.exit} | ${m.seconds.toFixed(1)} | ${m.rssMiB.toFixed(0)} | ${m.docxWrites} | ${m.result} |`)
  console.log(
    [
      '',
      `Hostile inputs (runner-style runs, time scale ${SCALE}; seconds are real, peak RSS is the action's)`,
      '',
      '| input | exit | seconds | peak RSS MiB | docx writes | result |',
      '|---|---:|---:|---:|---:|---|',
      ...rows,
      '',
    ].join('\n'),
  )
})

interface HostileRun {
  world: World
  run: ActionRun
  seconds: number
  rssMiB: number
  calls: RecordedCall[]
  parent?: string
}

async function hostileRun(
  name: string,
  files: Record<string, string | Uint8Array>,
  options: { inputs?: Record<string, string>; emptyWiki?: boolean; timeoutMs?: number; setup?: (world: World) => void; budget?: number } = {},
): Promise<HostileRun> {
  return slot(async () => {
    const world = await startWorld({ feishu: { clock: scaledClock(SCALE) }, files: { ...NORMAL, ...files } })
    options.setup?.(world)
    const parent = options.emptyWiki ? undefined : world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
    const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fws-rss-')), 'maxrss')
    // A page that writes past the budget is cut off: its next docx write is refused, so the run ends soon after.
    let seen = 0
    let writes = 0
    let cut = false
    const watchdog = setInterval(() => {
      const calls = world.feishu.server.calls
      for (; seen < calls.length; seen++) if (calls[seen]!.route.startsWith('docx.') && calls[seen]!.method !== 'GET') writes++
      if (!cut && writes > (options.budget ?? WRITE_BUDGET)) {
        cut = true
        world.feishu.server.inject({ path: /^\/open-apis\/docx\//, times: Infinity, status: 400, body: { code: 1770001, msg: 'invalid param (write budget of the hostile-input test exceeded)' } })
      }
    }, 50)
    const started = Date.now()
    let run: ActionRun
    try {
      run = await world.run({
        timeScale: SCALE,
        timeoutMs: options.timeoutMs ?? MAX_SECONDS * 1000,
        inputs: { mode: 'all', 'parent-node': parent ?? '', ...options.inputs },
        env: { NODE_OPTIONS: `--require ${RSS_PROBE}`, FWS_RSS_FILE: rssFile },
      })
    } finally {
      clearInterval(watchdog)
    }
    const seconds = (Date.now() - started) / 1000
    const rssMiB = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) / 1024 : Number.NaN
    fs.rmSync(path.dirname(rssFile), { recursive: true, force: true })
    const calls = world.feishu.server.calls
    const docxWrites = calls.filter((c) => c.route.startsWith('docx.') && c.method !== 'GET').length
    const pages = pagesOf(run)
    const result =
      run.exitCode < 0
        ? 'killed at the time bound'
        : `${pages.filter((p) => p.status === 'created').length} created, ${pages.filter((p) => p.status === 'failed').length} failed, ${pages.filter((p) => p.status === 'skipped').length} skipped${cut ? '; cut at the write budget' : ''}`
    table.push({ name, exit: run.exitCode, seconds, rssMiB, docxWrites, result })
    return { world, run, seconds, rssMiB, calls, parent }
  })
}

/** Bounded time and memory, no crash, the leak scan, and normal.md published. */
function expectBoundedAndNormal(h: HostileRun, maxSeconds = MAX_SECONDS, normalStatus = 'created'): void {
  const { run } = h
  expect(run.exitCode, `the run was killed or crashed:\n${describeRun(run)}`).toBeGreaterThanOrEqual(0)
  expect(run.exitCode, describeRun(run)).toBeLessThanOrEqual(1)
  expect(run.stderr, 'no uncaught exception').not.toMatch(/Uncaught|FATAL ERROR|heap out of memory|RangeError: Maximum call stack/)
  expect(h.seconds).toBeLessThan(maxSeconds)
  expect(h.rssMiB).toBeLessThan(MAX_RSS_MIB)
  expectNoLeaks(run, h.world.secrets())
  expect(pagesOf(run).find((p) => p.path === 'docs/normal.md')?.status, describeRun(run)).toBe(normalStatus)
}

/** A page that failed is named in the summary with its reason. */
function expectFailuresExplained(run: ActionRun): void {
  for (const page of pagesOf(run).filter((p) => p.status === 'failed')) {
    const row = run.summary.split('<tr>').find((r) => r.includes(`<code>${page.path}</code>`))
    expect(row, `the summary names ${page.path}`).toBeDefined()
    expect(row!.replace(/<[^>]+>/g, ' '), `the summary gives the reason ${page.path} failed`).toMatch(/failed\s+.*\w{4,}.*\w{4,}/)
  }
}

const render = (h: HostileRun, title: string): string => {
  const nodes = h.world.feishu.nodes(h.world.spaceId).filter((n) => n.title === title)
  expect(nodes, `one page titled ${title}`).toHaveLength(1)
  return h.world.feishu.docs.render(nodes[0]!.obj_token)
}

describe.concurrent('hostile inputs', () => {
  it('bytes and names: GBK bytes fail by name, NUL bytes never reach Feishu, a Chinese name with spaces and # works, an outside symlink is not followed', async () => {
    const outside = outsideSecretFile()
    const h = await hostileRun(
      'GBK, NUL, 用户 指南 #1.md, symlink out',
      {
        'docs/gbk.md': gbkFile(),
        'docs/nul.md': nulFile(),
        'docs/用户 指南 #1.md': '# 用户指南 #1\n\n中文内容。\n',
        'docs/links.md': '# Links\n\n[guide](%E7%94%A8%E6%88%B7%20%E6%8C%87%E5%8D%97%20%231.md)\n',
      },
      { setup: (world) => fs.symlinkSync(outside.file, path.join(world.workspace, 'docs', 'outside.md')) },
    )
    try {
      const { run } = h
      expectBoundedAndNormal(h)
      expect(run.exitCode).toBe(1) // gbk.md failed and fail-on-error is on
      const status = Object.fromEntries(pagesOf(run).map((p) => [p.path, p.status]))
      expect(status).toMatchObject({ 'docs/gbk.md': 'failed', 'docs/用户 指南 #1.md': 'created', 'docs/links.md': 'created', 'docs/outside.md': 'skipped' })
      expectFailuresExplained(run)
      expect(run.summary).toMatch(/docs\/gbk\.md is not valid UTF-8\b.*0xC7.*line 5/)
      expect(run.annotations.some((a) => a.file === 'docs/gbk.md' && a.line === 5)).toBe(true)
      expect(run.summary).toMatch(/docs\/outside\.md.*outside the workspace \(not followed\)/)
      // Nothing of the outside file, and no NUL character, ever reached Feishu.
      const bodies = h.calls.map((c) => JSON.stringify(c.body ?? null)).join('\n')
      expect(bodies).not.toContain('THIS TEXT MUST NEVER BE PUBLISHED')
      expect(bodies).not.toContain('\\u0000')
      expect(h.world.feishu.nodes(h.world.spaceId).some((n) => n.title === 'Outside the workspace')).toBe(false)
      // The Chinese file name: its page, the link to it, and its source URL (space and # percent-encoded).
      const chinese = h.world.feishu.nodes(h.world.spaceId).find((n) => n.title === '用户指南 #1')!
      expect(render(h, 'Links')).toContain(`[guide](https://www.feishu.cn/wiki/${chinese.node_token})`)
      expect(render(h, '用户指南 #1')).toContain('https://github.com/acme/handbook/blob/main/docs/%E7%94%A8%E6%88%B7%20%E6%8C%87%E5%8D%97%20%231.md')
      expect(render(h, '用户指南 #1')).toContain('中文内容。')
    } finally {
      await h.world.close()
      fs.rmSync(outside.dir, { recursive: true, force: true })
    }
  }, 200_000)

  it(
    'a file with a few NUL bytes is published with U+FFFD in place of each (as CommonMark says) and a warning on its line; a binary file is failed by name',
    async () => {
      const h = await hostileRun('NUL bytes reported, UTF-16 failed', { 'docs/nul.md': nulFile(), 'docs/utf16.md': Buffer.from('# UTF-16\n\nSaved as UTF-16 without a byte-order mark.\n', 'utf16le') })
      try {
        expectBoundedAndNormal(h)
        const page = pagesOf(h.run).find((p) => p.path === 'docs/nul.md')
        expect(page?.status).toBe('created')
        expect(h.run.annotations.some((a) => a.file === 'docs/nul.md' && a.line === 3 && /NUL/.test(a.message ?? ''))).toBe(true)
        expect(pagesOf(h.run).find((p) => p.path === 'docs/utf16.md')?.status).toBe('failed')
        expect(h.run.summary).toMatch(/docs\/utf16\.md looks like a binary file/)
        expectFailuresExplained(h.run)
      } finally {
        await h.world.close()
      }
    },
    200_000,
  )

  it('a 5 MB file is published completely within the write budget', async () => {
    const markdown = largeFile(5 * MiB)
    const last = /## (Section \d+)\n\n(?![\s\S]*## Section)/.exec(markdown)![1]!
    const h = await hostileRun('5 MB file', { 'docs/large.md': markdown })
    try {
      expectBoundedAndNormal(h)
      expect(h.run.exitCode, describeRun(h.run)).toBe(0)
      expect(pagesOf(h.run).find((p) => p.path === 'docs/large.md')?.status).toBe('created')
      const text = render(h, 'A five-megabyte page')
      expect(text).toContain('Paragraph 0 of a very long page')
      expect(text).toContain(last)
      expect(h.calls.filter((c) => c.route.startsWith('docx.') && c.method !== 'GET').length).toBeLessThanOrEqual(WRITE_BUDGET)
    } finally {
      await h.world.close()
    }
  }, 200_000)

  it(
    'a 10,000-row table is published within the write budget, as consecutive tables that each fit one descendant call, with a warning',
    async () => {
      const h = await hostileRun('10,000-row table', { 'docs/table.md': bigTable(10_000) })
      try {
        expectBoundedAndNormal(h)
        expect(h.run.exitCode, describeRun(h.run)).toBe(0)
        const text = render(h, 'Ten thousand rows')
        expect(text).toContain('| 1 | row 1 |')
        expect(text).toContain('| 10000 | row 10000 |')
        expect(h.calls.filter((c) => c.route.startsWith('docx.') && c.method !== 'GET').length).toBeLessThanOrEqual(WRITE_BUDGET)
        expect(h.run.annotations.some((a) => a.level === 'warning' && a.file === 'docs/table.md' && a.line === 3)).toBe(true)
      } finally {
        await h.world.close()
      }
    },
    200_000,
  )

  it('lists nested 100 deep are published, flattened past the safety depth with a warning', async () => {
    const h = await hostileRun('lists nested 100 deep', { 'docs/deep.md': deepList(100) })
    try {
      expectBoundedAndNormal(h)
      expect(h.run.exitCode, describeRun(h.run)).toBe(0)
      const text = render(h, 'Lists nested 100 deep')
      for (let i = 1; i <= 100; i++) expect(text).toContain(`level ${i}`)
      expect(h.run.annotations.some((a) => a.level === 'warning' && a.file === 'docs/deep.md')).toBe(true)
    } finally {
      await h.world.close()
    }
  }, 200_000)

  it('the 24 commonmark.js pathological inputs end in bounded time: each published or failed by name, the super-linear ones as plain text with a warning, the rest published', async () => {
    const cases = Object.entries(pathologicalCases())
    const h = await hostileRun(`${cases.length} commonmark.js pathological cases`, Object.fromEntries(cases.map(([name, md]) => [`docs/patho/${name}.md`, `# ${name}\n\n${md}\n`])), {
      timeoutMs: 60_000,
    })
    try {
      expectBoundedAndNormal(h, 60)
      const status = Object.fromEntries(pagesOf(h.run).map((p) => [p.path, p.status]))
      for (const [name] of cases) expect(['created', 'failed'], `docs/patho/${name}.md`).toContain(status[`docs/patho/${name}.md`])
      expectFailuresExplained(h.run)
      // The guard publishes the paragraphs the parser is super-linear on as plain text, and says so on their line.
      for (const name of SLOW_PATHOLOGICAL) {
        expect(h.run.annotations.some((a) => a.file === `docs/patho/${name}.md` && a.line === 3 && /published as plain text/.test(a.message)), name).toBe(true)
      }
      expect(h.calls.map((c) => JSON.stringify(c.body ?? null)).join('\n')).not.toContain('\\u0000')
    } finally {
      await h.world.close()
    }
  }, 200_000)

  it('a 10,000-file docs tree in dry-run against an empty wiki: every page planned, nothing written', async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 10_000; i++) {
      const section = String(Math.floor(i / 100)).padStart(2, '0')
      files[`docs/section-${section}/page-${i}.md`] = `# Page ${i}\n\nParagraph ${i} links to [the first page](../section-00/page-0.md).\n\n- one\n- two\n`
    }
    const h = await hostileRun('10,000 files, dry-run, empty wiki', files, { inputs: { 'dry-run': 'true' }, emptyWiki: true })
    try {
      expectBoundedAndNormal(h, MAX_SECONDS, 'skipped') // a dry run reports every page as skipped, with its plan
      expect(h.run.exitCode, describeRun(h.run)).toBe(0)
      expect(h.calls.filter((c) => c.method !== 'GET' && /^(wiki|docx|drive)\./.test(c.route))).toEqual([])
      // A dry run reports every page as skipped with its plan; 10,000 files + 100 folder pages + normal.md.
      expect(h.run.summary).toContain('would create')
      // The summary and the `pages` output are size-capped; the log lists every page.
      for (const page of ['docs/section-00/page-0.md', 'docs/section-99/page-9999.md', 'docs/section-42/']) {
        expect(h.run.stdout).toContain(`${page}: skipped (plan: create)`)
      }
      console.log(`10,000-file dry run: ${h.seconds.toFixed(1)} s real, peak RSS ${h.rssMiB.toFixed(0)} MiB`)
    } finally {
      await h.world.close()
    }
  }, 300_000)
})
