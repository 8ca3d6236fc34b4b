// The fault matrix's machinery: a small docs tree published in two phases (a first publish, then a push that
// edits, removes, adds, retitles and moves), a fault-free reference of what the wiki must look like after each
// phase, the faults themselves (per call × fault kind, with bodies as each service really sends them), the
// checks every cell makes, and the printed matrix.
import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import type { Fault, RecordedCall } from '../../emulator/core/server.js'
import { secondaryRateLimitBody } from '../../emulator/github/index.js'
import { type ActionRun, expectNoLeaks } from './action-runner.js'
import { REPO, type SavedWorld, type World, startWorld } from './world.js'
import { STATE_TITLE } from '../../src/sync/remote/state.js'

/** Action and emulators run this many times faster than real time (timeouts of 30 s take 0.6 s). */
export const SCALE = 50

// ---- the scenario ---------------------------------------------------------------------------------------------

const PNG = (seed: number) =>
  Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489' +
      `0000000d49444154789c63${seed.toString(16).padStart(2, '0')}00000002000154a24f5d0000000049454e44ae426082`,
    'hex',
  )

export const PHASE1_FILES: Record<string, string | Uint8Array> = {
  'docs/alpha.md': '# Alpha\n\nFirst paragraph.\n\nSecond paragraph to edit.\n\nThird paragraph to remove.\n\n![logo](img/logo.png)\n\nSee [Beta](beta.md).\n',
  'docs/beta.md': '# Beta\n\nBeta body.\n\n- one\n- two\n',
  'docs/guide/gamma.md': '# Gamma\n\n```js\nconsole.log(1)\n```\n',
  'docs/guide/delta.md': '# Delta\n\nDelta links to [Gamma](gamma.md).\n',
  'docs/img/logo.png': PNG(0x60),
  // 170 rows × 3 columns: 1 + 170 × 6 = 1,021 blocks, more than one descendant call holds (1,000), so the table is
  // created with the rows that fit and grown with insert_table_row (documentBlock.patch), then its new cells read
  // back and filled: the matrix's only page that patches.
  'docs/table.md': `# Table\n\n| id | name | value |\n| --- | --- | --- |\n${Array.from({ length: 169 }, (_, i) => `| ${i + 1} | row ${i + 1} | ${(i * 7) % 100} |`).join('\n')}\n`,
}

/**
 * Phase 2, one push: alpha gets a paragraph edited (batch_update), one removed (batch_delete), one added and a
 * new image (descendant, upload, replace_image); beta is retitled (update_title); delta moves out of guide/
 * (move); epsilon is new (create).
 */
export function applyPhase2(world: World): void {
  const ws = world.workspace
  const write = (file: string, content: string | Uint8Array) => fs.writeFileSync(path.join(ws, file), content)
  write(
    'docs/alpha.md',
    '# Alpha\n\nFirst paragraph.\n\nSecond paragraph, edited.\n\n![logo](img/logo.png)\n\nSee [Beta](beta.md).\n\nA new closing paragraph.\n\n![chart](img/chart.png)\n',
  )
  write('docs/beta.md', '# Beta renamed\n\nBeta body.\n\n- one\n- two\n')
  fs.rmSync(path.join(ws, 'docs/guide/delta.md'))
  write('docs/delta.md', '# Delta\n\nDelta links to [Gamma](guide/gamma.md).\n')
  write('docs/epsilon.md', '# Epsilon\n\nA new page.\n')
  write('docs/img/chart.png', PNG(0x61))
  world.github.addCommits(REPO, 'c1', 'c2', [
    { filename: 'docs/alpha.md', status: 'modified' },
    { filename: 'docs/beta.md', status: 'modified' },
    { filename: 'docs/delta.md', previous_filename: 'docs/guide/delta.md', status: 'renamed' },
    { filename: 'docs/epsilon.md', status: 'added' },
    { filename: 'docs/img/chart.png', status: 'added' },
  ])
}

export interface CellWorld {
  world: World
  parent: string
  runs: ActionRun[]
  /** Feishu and GitHub request-log positions where each run started. */
  marks: { feishu: number; github: number }[]
}

/** What the fault-free first phase leaves behind: the emulators' state and the parent node. */
export interface SavedCell {
  state: SavedWorld
  parent: string
}

/**
 * A fresh world (the docs tree of phase 1 and an empty parent page), or, with `from`, a world that starts where
 * the reference's first phase left off: same wiki, documents, token chain and stored secret, and a clock that
 * continues from then. The workspace holds the phase-1 files either way.
 */
export async function startCellWorld(from?: SavedCell): Promise<CellWorld> {
  const clock = scaledClock(SCALE, from?.state.feishu.at)
  const world = await startWorld({ feishu: { clock }, files: PHASE1_FILES, restore: from?.state })
  const parent = from?.parent ?? world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
  return { world, parent, runs: [], marks: [] }
}

/** Phase 1: a full publish (workflow_dispatch, mode all). Phase 2: the push c1…c2 (mode auto). */
export async function runPhase(cell: CellWorld, phase: 1 | 2): Promise<ActionRun> {
  cell.marks.push({ feishu: cell.world.feishu.server.calls.length, github: cell.world.github.server.calls.length })
  const run = await cell.world.run({
    timeScale: SCALE,
    inputs: { mode: phase === 1 ? 'all' : 'auto', 'parent-node': cell.parent },
    ...(phase === 2 ? { eventName: 'push', eventPayload: { before: 'c1', after: 'c2' } } : {}),
  })
  cell.runs.push(run)
  return run
}

// ---- what the wiki looks like ---------------------------------------------------------------------------------

export interface WikiSnapshot {
  /** Titles under parent-node, indented by depth: one line per node, so duplicates show. */
  tree: string
  /** Title → rendered document, node and file tokens replaced by stable names. */
  pages: Record<string, string>
}

export function snapshot(cell: CellWorld, names_?: Map<string, string>): WikiSnapshot {
  const { feishu, spaceId } = cell.world
  // The sync state's page is the action's bookkeeping, not a published file: compared by the state tests instead.
  const nodes = feishu.nodes(spaceId).filter((n) => n.node_token !== cell.parent && n.title !== STATE_TITLE)
  // A node is named by the repository path its provenance marker records (stable across worlds and across a
  // failed retitle), or by its title when it has no marker.
  const raw = new Map(nodes.map((n) => [n.node_token, feishu.docs.render(n.obj_token)]))
  const names = new Map(
    nodes.map((n) => {
      const m = /[?&]path=([^&)\s]+)/.exec(raw.get(n.node_token)!.split('\n').slice(0, 3).join('\n'))
      return [n.node_token, names_?.get(n.node_token) ?? (m ? decodeURIComponent(m[1]!) : `"${n.title}"`)]
    }),
  )
  const pages: Record<string, string> = {}
  for (const n of nodes) {
    const text = raw
      .get(n.node_token)!
      .replace(/wikcn[A-Za-z0-9]+/g, (t) => `<node ${names.get(t) ?? 'unknown'}>`)
      .replace(/boxcn[A-Za-z0-9]+/g, '<file>')
      // The marker's content hash covers the uploaded images' file tokens, which differ from world to world…
      .replace(/feishu_wiki_sync=[0-9a-f]+/g, 'feishu_wiki_sync=<hash>')
      // …and names the page's own document, whose token differs from world to world.
      .replace(/([?&])doc=[A-Za-z0-9]+/g, '$1doc=<doc>')
      // …and lists them in file-token order.
      .replace(/images=([^)&\s]+)/g, (_, list: string) => `images=${list.split('%2C').sort().join('%2C')}`)
    pages[n.title] = pages[n.title] === undefined ? text : `${pages[n.title]}\n<<duplicate title>>\n${text}`
  }
  // Siblings sorted by title: the wiki has no "reorder" call, so the order of a node moved in by a re-run is
  // history, not content. Every node is a line, so a duplicate shows.
  const children = new Map<string, typeof nodes>()
  for (const n of nodes) {
    const list = children.get(n.parent_node_token) ?? []
    list.push(n)
    children.set(n.parent_node_token, list)
  }
  const lines: string[] = []
  const walk = (parent: string, depth: number) => {
    for (const n of [...(children.get(parent) ?? [])].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0))) {
      lines.push(`${'  '.repeat(depth)}${n.title}`)
      walk(n.node_token, depth + 1)
    }
  }
  walk(cell.parent, 0)
  return { tree: lines.join('\n'), pages }
}

export interface Reference {
  after: Record<1 | 2, WikiSnapshot>
  /** Routes each phase calls, in order of first use (Feishu route names and GitHub operationIds). */
  routes: Record<1 | 2, Set<string>>
  pagesOutput: Record<1 | 2, PageOutput[]>
  /** The world right after the fault-free phase 1: where every phase-2 cell starts. */
  afterPhase1: SavedCell
}

export interface PageOutput {
  path: string
  title: string
  node_token: string | null
  url: string | null
  status: string
}

export function pagesOf(run: ActionRun): PageOutput[] {
  try {
    return JSON.parse(run.outputs.pages ?? '[]') as PageOutput[]
  } catch {
    return []
  }
}

/** Both phases without faults: what every cell must end up with. */
export async function computeReference(): Promise<Reference> {
  const cell = await startCellWorld()
  try {
    const routes = { 1: new Set<string>(), 2: new Set<string>() } as Record<1 | 2, Set<string>>
    const after = {} as Record<1 | 2, WikiSnapshot>
    const pagesOutput = {} as Record<1 | 2, PageOutput[]>
    let afterPhase1: SavedCell | undefined
    for (const phase of [1, 2] as const) {
      if (phase === 2) applyPhase2(cell.world)
      const run = await runPhase(cell, phase)
      if (run.exitCode !== 0) throw new Error(`reference phase ${phase} failed:\n${run.stdout}\n${run.stderr}`)
      const mark = cell.marks[phase - 1]!
      for (const c of cell.world.feishu.server.calls.slice(mark.feishu)) routes[phase].add(c.route)
      for (const c of cell.world.github.server.calls.slice(mark.github)) routes[phase].add(`${c.method} ${c.path}`)
      after[phase] = snapshot(cell)
      pagesOutput[phase] = pagesOf(run)
      expectNoLeaks(run, cell.world.secrets())
      if (phase === 1) afterPhase1 = { state: cell.world.save(), parent: cell.parent }
    }
    return { after, routes, pagesOutput, afterPhase1: afterPhase1! }
  } finally {
    await cell.world.close()
  }
}

// ---- faults ---------------------------------------------------------------------------------------------------

export type FaultKind = '500' | '502' | '503' | 'timeout' | 'reset' | '429' | '400 rate' | 'lost' | 'always 503'
export const FAULT_KINDS: FaultKind[] = ['500', '502', '503', 'timeout', 'reset', '429', '400 rate', 'lost', 'always 503']

export type Family = 'auth' | 'wiki' | 'docx' | 'drive' | 'github'

/** Server-fault answers as each side really sends them: enveloped JSON codes, or a gateway's plain page. */
const SERVER_ERROR: Record<Family, { status: number; body: unknown; headers?: Record<string, string> }> = {
  auth: { status: 500, body: { code: 20050, error: 'server_error', error_description: 'An unexpected server error occurred. Please retry your request.' } },
  wiki: { status: 500, body: { code: 131001, msg: 'rpc fail', data: {} } },
  docx: { status: 500, body: { code: 1771001, msg: 'server internal error', data: {} } },
  drive: { status: 500, body: { code: 1061045, msg: 'can retry', data: {} } },
  github: { status: 500, body: { message: 'Server Error' } },
}
const BAD_GATEWAY = { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>', headers: { 'content-type': 'text/html' } }
const UNAVAILABLE: Record<Family, { status: number; body: unknown; headers?: Record<string, string> }> = {
  auth: { status: 503, body: { code: 20072, error: 'temporarily_unavailable', error_description: 'The server is temporarily unavailable. Please retry your request.' } },
  wiki: { status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: overflow', headers: { 'content-type': 'text/plain' } },
  docx: { status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: overflow', headers: { 'content-type': 'text/plain' } },
  drive: { status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: overflow', headers: { 'content-type': 'text/plain' } },
  github: { status: 503, body: { message: 'Service Unavailable' } },
}

function rateLimit(family: Family, status: 429 | 400): Partial<Fault> {
  if (family === 'github') {
    return status === 429
      ? { status: 429, body: { message: 'API rate limit exceeded' }, headers: { 'retry-after': '1' } }
      : // GitHub's counterpart of Feishu's "HTTP 400 + 99991400": the secondary rate limit, HTTP 403 + retry-after.
        { status: 403, body: secondaryRateLimitBody(), headers: { 'retry-after': '1' } }
  }
  return {
    status,
    body: { code: 99991400, msg: 'request trigger frequency limit' },
    headers: { 'x-ogw-ratelimit-limit': '100', 'x-ogw-ratelimit-reset': '1' },
  }
}

export function faultFor(kind: FaultKind, family: Family): Partial<Fault> {
  switch (kind) {
    case '500':
      return SERVER_ERROR[family]
    case '502':
      return BAD_GATEWAY
    case '503':
      return UNAVAILABLE[family]
    case 'timeout':
      return { hang: true }
    case 'reset':
      return { drop: 'before' }
    case '429':
      return rateLimit(family, 429)
    case '400 rate':
      return rateLimit(family, 400)
    case 'lost':
      return { drop: 'after' }
    case 'always 503':
      return { ...UNAVAILABLE[family], times: Infinity }
  }
}

// ---- checks ---------------------------------------------------------------------------------------------------

/** The next run would read a refresh token Feishu still accepts: the stored secret (or the seed) is the live one. */
export function expectChainHolds(cell: CellWorld): void {
  const live = cell.world.feishu.liveRefreshToken()
  expect(live, 'Feishu holds a live refresh token').toBeDefined()
  expect(cell.world.currentRefreshToken() === live, 'the token the next run reads (the stored secret) is the live one').toBe(true)
}

/** Every docx write carries a client_token, and the retry of a write with an unknown outcome reuses it. */
export function expectIdempotentDocxWrites(calls: RecordedCall[]): void {
  const writes = calls.filter((c) => c.route.startsWith('docx.') && c.method !== 'GET')
  for (const c of writes) expect(c.query.client_token, `${c.route} ${c.path} without client_token`).toBeTruthy()
  writes.forEach((c, i) => {
    if (!c.fault || c.fault.startsWith('status-4')) return
    const retry = writes.slice(i + 1).find((r) => r.route === c.route && r.path === c.path)
    if (retry) expect(retry.query.client_token, `the retry of ${c.route} after ${c.fault} reuses its client_token`).toBe(c.query.client_token)
  })
}

/**
 * Create has no idempotency token: after an answer that may hide a created node (5xx, timeout, reset, lost
 * answer), the next create of the same title under the same parent must come after a look at that parent.
 */
export function expectLookBeforeRetry(calls: RecordedCall[]): void {
  const key = (c: RecordedCall) => {
    const body = c.body as { parent_node_token?: string; title?: string } | undefined
    return `${body?.parent_node_token ?? ''}|${body?.title ?? ''}`
  }
  calls.forEach((c, i) => {
    if (c.route !== 'wiki.v2.spaceNode.create' || !c.fault || c.fault.startsWith('status-4')) return
    const parent = (c.body as { parent_node_token?: string } | undefined)?.parent_node_token ?? ''
    const j = calls.findIndex((r, k) => k > i && r.route === c.route && key(r) === key(c))
    if (j < 0) return
    const looked = calls.slice(i + 1, j).some((r) => r.route === 'wiki.v2.spaceNode.list' && (r.query.parent_node_token ?? '') === parent)
    expect(looked, `create "${key(c)}" after ${c.fault} was re-sent without listing the parent first`).toBe(true)
  })
}

/**
 * No title twice under one parent, and the tree and every page equal the reference (`only`: just these pages).
 * `names` overrides how links name a node (a page whose retitle or move failed is still the same page).
 */
export function expectWikiEquals(cell: CellWorld, expected: WikiSnapshot, only?: Set<string>, names?: Map<string, string>): void {
  const actual = snapshot(cell, names)
  if (!only) {
    expect(actual.tree, 'wiki tree (one line per node)').toBe(expected.tree)
    expect(Object.keys(actual.pages).sort()).toEqual(Object.keys(expected.pages).sort())
  }
  for (const [title, text] of Object.entries(expected.pages)) {
    if (only && !only.has(title)) continue
    expect(actual.pages[title], `page "${title}"`).toBe(text)
  }
}

export function expectNoDuplicateTitles(cell: CellWorld): void {
  const seen = new Map<string, number>()
  for (const n of cell.world.feishu.nodes(cell.world.spaceId)) {
    const k = `${n.parent_node_token}|${n.title}`
    seen.set(k, (seen.get(k) ?? 0) + 1)
  }
  const dups = [...seen].filter(([, n]) => n > 1).map(([k]) => k)
  expect(dups, 'titles created twice under one parent').toEqual([])
}

/** A run's output for an assertion message, without the runner's ::add-mask:: commands (they carry secrets). */
export function describeRun(run: ActionRun): string {
  const visible = (text: string) =>
    text
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
  const summary = run.summary.length > 6000 ? `${run.summary.slice(0, 6000)}\n… (${run.summary.length} characters)` : run.summary
  return `exit ${run.exitCode}\n${summary}\n${visible(run.stdout).slice(-3000)}\n${visible(run.stderr).slice(-2000)}`
}

export function expectNoLeaksInAllRuns(cell: CellWorld): void {
  for (const run of cell.runs) expectNoLeaks(run, cell.world.secrets())
}

/** Feishu calls of one run (by index in cell.runs). */
export function feishuCallsOf(cell: CellWorld, runIndex: number): RecordedCall[] {
  const from = cell.marks[runIndex]!.feishu
  const to = cell.marks[runIndex + 1]?.feishu ?? cell.world.feishu.server.calls.length
  return cell.world.feishu.server.calls.slice(from, to)
}

// ---- the printed matrix ---------------------------------------------------------------------------------------

export type CellResult = 'pass' | 'FAIL' | 'known gap' | 'n/a'

export function formatMatrix(rows: string[], columns: string[], results: Map<string, CellResult>, notes: string[]): string {
  const cell = (r: string, c: string) => results.get(`${r} × ${c}`) ?? 'not run'
  const widths = [Math.max(4, ...rows.map((r) => r.length)), ...columns.map((c) => Math.max(c.length, 9))]
  const line = (cells: string[]) => `| ${cells.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`
  const out = [line(['call', ...columns]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`]
  for (const r of rows) out.push(line([r, ...columns.map((c) => cell(r, c))]))
  const all = [...results.values()].filter((v) => v !== 'n/a')
  const passed = all.filter((v) => v === 'pass').length
  out.push('', `${passed}/${all.length} cells pass${all.length - passed ? ` (${all.filter((v) => v === 'known gap').length} known gaps, ${all.filter((v) => v === 'FAIL').length} unexpected failures)` : ''}`)
  if (notes.length) out.push('', ...notes)
  return out.join('\n')
}

/** Runs `task` with at most `limit` running at once (cells share the machine's few cores). */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: (() => void)[] = []
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try {
      return await task()
    } finally {
      active--
      waiting.shift()?.()
    }
  }
}
