// The fault matrix: every external call a run makes × every way it can fail, each cell a runner-style run of
// `node dist/index.js` (time scale 50) in its own world. Per cell:
//   - the token chain holds wherever a retry can save it (the stored secret is Feishu's live token); a lost
//     refresh answer cannot be saved, and the run must say so ("lost in transit") and how to re-authorize;
//   - no content is duplicated (every page equals the fault-free reference, one node per page, client_token on
//     every docx write and reused by its retry, a look at the parent before a create is re-sent);
//   - the other pages continue when one fails (the "always 503" column), and a re-run converges;
//   - the summary names the failure;
//   - the shared leak scan passes on every run.
// Single faults hit the first matching call of the phase; "always 503" hits every matching call (scoped to one
// page where the call names one). GitHub has no 400/99991400: its column holds the secondary rate limit (403 +
// retry-after), and its 429 carries retry-after instead of x-ogw-ratelimit-reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Fault } from '../../emulator/core/server.js'
import {
  type CellResult,
  type CellWorld,
  FAULT_KINDS,
  type Family,
  type FaultKind,
  type Reference,
  SCALE,
  applyPhase2,
  computeReference,
  describeRun,
  expectChainHolds,
  expectIdempotentDocxWrites,
  expectLookBeforeRetry,
  expectNoDuplicateTitles,
  expectNoLeaksInAllRuns,
  expectWikiEquals,
  faultFor,
  feishuCallsOf,
  formatMatrix,
  limiter,
  pagesOf,
  runPhase,
  snapshot,
  startCellWorld,
} from '../helpers/fault-matrix.js'
import { REPO } from '../helpers/world.js'
import { STATE_TITLE } from '../../src/sync/remote/state.js'

type Outcome =
  | 'ok' // the run recovers: exit 0 and everything as in the reference
  | 'lost-in-transit' // the refresh's answer was lost after Feishu spent the token
  | 'refresh-fails' // the token endpoint keeps failing: retry later, the token is not spent
  | 'preflight-fails' // GitHub keeps failing before the refresh: nothing spent
  | 'chain-broken' // the new token cannot be saved
  | 'run-fails' // a call the whole run needs keeps failing after the token was saved
  | 'page-fails' // one page's call keeps failing: that page fails, the others publish
  | 'compare-fails' // the push's compare keeps failing: every page is compared instead
  | 'page-warns' // an image upload keeps failing: the page is published without it, with a warning
  | 'state-not-saved' // the sync state's page cannot be written: every page published, the next run rebuilds it

interface Row {
  name: string
  server: 'feishu' | 'github'
  match: Partial<Fault>
  family: Family
  /** How the route shows in the reference's route sets (Feishu route name, or "METHOD /path" for GitHub). */
  probe: string
  phase: 1 | 2
  always: { phase: 1 | 2; outcome: Outcome; page?: string; scope?: (cell: CellWorld) => Partial<Fault> }
  /** The action's endpoint label, named by the summary when this call fails. */
  label: string
}

const SECRET_PATH = `/repos/${REPO}/actions/secrets/FEISHU_REFRESH_TOKEN`
const docPath = (cell: CellWorld, title: string): RegExp => {
  const node = cell.world.feishu.nodes(cell.world.spaceId).find((n) => n.title === title)
  if (!node) throw new Error(`no page titled ${title}`)
  return new RegExp(`/documents/${node.obj_token}/`)
}
const nodePath = (cell: CellWorld, title: string): RegExp => {
  const node = cell.world.feishu.nodes(cell.world.spaceId).find((n) => n.title === title)
  if (!node) throw new Error(`no page titled ${title}`)
  return new RegExp(`/nodes/${node.node_token}/`)
}

/**
 * Calls the action makes that have no row yet (each one is a gap to close by adding its row). A test fails the
 * day the action starts making a call that is neither a row nor listed here.
 */
const WITHOUT_ROW = new Set<string>([])

const ROWS: Row[] = [
  { name: 'refresh', server: 'feishu', match: { route: 'authen.v2.oauth.token' }, family: 'auth', probe: 'authen.v2.oauth.token', phase: 1, always: { phase: 1, outcome: 'refresh-fails' }, label: 'token endpoint' },
  { name: 'public key', server: 'github', match: { route: 'actions/get-repo-public-key' }, family: 'github', probe: `GET /repos/${REPO}/actions/secrets/public-key`, phase: 1, always: { phase: 1, outcome: 'preflight-fails' }, label: 'public key' },
  // Before the refresh: the secret exists, and the token may write secrets (a probe secret, written and deleted).
  { name: 'secret exists', server: 'github', match: { method: 'GET', path: SECRET_PATH }, family: 'github', probe: `GET ${SECRET_PATH}`, phase: 1, always: { phase: 1, outcome: 'preflight-fails' }, label: 'secret' },
  { name: 'probe PUT', server: 'github', match: { method: 'PUT', path: `${SECRET_PATH}_WRITE_PROBE` }, family: 'github', probe: `PUT ${SECRET_PATH}_WRITE_PROBE`, phase: 1, always: { phase: 1, outcome: 'preflight-fails' }, label: 'secret' },
  // Deleting the probe proves nothing more: write access is already shown, so a failure there leaves it behind.
  { name: 'probe DELETE', server: 'github', match: { method: 'DELETE', path: `${SECRET_PATH}_WRITE_PROBE` }, family: 'github', probe: `DELETE ${SECRET_PATH}_WRITE_PROBE`, phase: 1, always: { phase: 1, outcome: 'ok' }, label: 'secret' },
  { name: 'secret PUT', server: 'github', match: { method: 'PUT', path: SECRET_PATH }, family: 'github', probe: `PUT ${SECRET_PATH}`, phase: 1, always: { phase: 1, outcome: 'chain-broken' }, label: 'secret' },
  { name: 'compare', server: 'github', match: { route: 'repos/compare-commits-with-basehead' }, family: 'github', probe: `GET /repos/${REPO}/compare/c1...c2`, phase: 2, always: { phase: 2, outcome: 'compare-fails' }, label: 'compar' },
  { name: 'space get', server: 'feishu', match: { route: 'wiki.v2.space.get' }, family: 'wiki', probe: 'wiki.v2.space.get', phase: 1, always: { phase: 1, outcome: 'run-fails' }, label: 'wiki.space.get' },
  { name: 'get_node', server: 'feishu', match: { route: 'wiki.v2.space.getNode' }, family: 'wiki', probe: 'wiki.v2.space.getNode', phase: 1, always: { phase: 1, outcome: 'run-fails' }, label: 'wiki.space.getNode' },
  { name: 'node list', server: 'feishu', match: { route: 'wiki.v2.spaceNode.list' }, family: 'wiki', probe: 'wiki.v2.spaceNode.list', phase: 2, always: { phase: 2, outcome: 'run-fails' }, label: 'wiki.spaceNode.list' },
  { name: 'node create', server: 'feishu', match: { route: 'wiki.v2.spaceNode.create' }, family: 'wiki', probe: 'wiki.v2.spaceNode.create', phase: 1, always: { phase: 2, outcome: 'page-fails', page: 'docs/epsilon.md' }, label: 'wiki.spaceNode.create' },
  { name: 'update_title', server: 'feishu', match: { route: 'wiki.v2.spaceNode.updateTitle' }, family: 'wiki', probe: 'wiki.v2.spaceNode.updateTitle', phase: 2, always: { phase: 2, outcome: 'page-fails', page: 'docs/beta.md', scope: (c) => ({ path: nodePath(c, 'Beta') }) }, label: 'wiki.spaceNode.updateTitle' },
  { name: 'move', server: 'feishu', match: { route: 'wiki.v2.spaceNode.move' }, family: 'wiki', probe: 'wiki.v2.spaceNode.move', phase: 2, always: { phase: 2, outcome: 'page-fails', page: 'docs/delta.md', scope: (c) => ({ path: nodePath(c, 'Delta') }) }, label: 'wiki.spaceNode.move' },
  { name: 'block list', server: 'feishu', match: { route: 'docx.v1.documentBlock.list' }, family: 'docx', probe: 'docx.v1.documentBlock.list', phase: 2, always: { phase: 2, outcome: 'page-fails', page: 'docs/alpha.md', scope: (c) => ({ path: docPath(c, 'Alpha') }) }, label: 'docx.documentBlock.list' },
  { name: 'descendant', server: 'feishu', match: { route: 'docx.v1.documentBlockDescendant.create' }, family: 'docx', probe: 'docx.v1.documentBlockDescendant.create', phase: 1, always: { phase: 2, outcome: 'page-fails', page: 'docs/alpha.md', scope: (c) => ({ path: docPath(c, 'Alpha') }) }, label: 'docx.documentBlockDescendant.create' },
  { name: 'batch_delete', server: 'feishu', match: { route: 'docx.v1.documentBlockChildren.batchDelete' }, family: 'docx', probe: 'docx.v1.documentBlockChildren.batchDelete', phase: 2, always: { phase: 2, outcome: 'page-fails', page: 'docs/alpha.md', scope: (c) => ({ path: docPath(c, 'Alpha') }) }, label: 'docx.documentBlockChildren.batchDelete' },
  { name: 'patch', server: 'feishu', match: { route: 'docx.v1.documentBlock.patch' }, family: 'docx', probe: 'docx.v1.documentBlock.patch', phase: 1, always: { phase: 1, outcome: 'page-fails', page: 'docs/table.md' }, label: 'docx.documentBlock.patch' },
  { name: 'batch_update', server: 'feishu', match: { route: 'docx.v1.documentBlock.batchUpdate' }, family: 'docx', probe: 'docx.v1.documentBlock.batchUpdate', phase: 2, always: { phase: 2, outcome: 'page-fails', page: 'docs/alpha.md', scope: (c) => ({ path: docPath(c, 'Alpha') }) }, label: 'docx.documentBlock.batchUpdate' },
  // Who the action is: without it, pages are told apart by their markers only, and the run still converges.
  { name: 'user_info', server: 'feishu', match: { route: 'authen.v1.userInfo.get' }, family: 'wiki', probe: 'authen.v1.userInfo.get', phase: 1, always: { phase: 1, outcome: 'ok' }, label: 'authen.userInfo.get' },
  // The sync state's page write (children create: the action writes documents with descendant create).
  { name: 'state write', server: 'feishu', match: { route: 'docx.v1.documentBlockChildren.create' }, family: 'docx', probe: 'docx.v1.documentBlockChildren.create', phase: 1, always: { phase: 1, outcome: 'state-not-saved' }, label: 'docx.documentBlockChildren.create' },
  { name: 'upload', server: 'feishu', match: { route: 'drive.v1.media.uploadAll' }, family: 'drive', probe: 'drive.v1.media.uploadAll', phase: 1, always: { phase: 2, outcome: 'page-warns', page: 'docs/alpha.md' }, label: 'drive.media.uploadAll' },
]

/**
 * Cells that fail today because of a gap in the action (not in the test). They run as `it.fails`, so the suite
 * stays green while the gap is open and turns red the day it closes (then delete the entry).
 */
const KNOWN_GAPS: Record<string, string> = {}

const results = new Map<string, CellResult>()
const notes: string[] = []
let reference: Reference
const slot = limiter(3)

/** The machine, not the action, failed the run: it was starved of CPU long enough for a scaled timeout to fire. */
class Starved extends Error {}

beforeAll(async () => {
  reference = await computeReference()
}, 120_000)

afterAll(() => {
  console.log(`\nFault matrix (runner-style runs, time scale ${SCALE})\n\n${formatMatrix(ROWS.map((r) => r.name), FAULT_KINDS, results, [...new Set(notes)])}\n`)
})

function expectedOutcome(row: Row, kind: FaultKind): Outcome {
  if (kind === 'always 503') return row.always.outcome
  if (row.name === 'refresh' && kind === 'lost') return 'lost-in-transit'
  return 'ok'
}

// The cells compare against the fault-free runs; these say the fault-free runs are right in the first place.
describe('the fault-free reference', () => {
  const link = (key: string) => `(https://www.feishu.cn/wiki/<node ${key}>)`
  it('phase 1 publishes every file once, with its content and resolved links', () => {
    const { tree, pages } = reference.after[1]
    expect(tree).toBe(['Alpha', 'Beta', 'Table', 'guide', '  Delta', '  Gamma'].join('\n'))
    for (const text of Object.values(pages)) expect(text.split('\n')[0]).toBe('> [!callout]')
    expect(pages.Alpha).toContain(['First paragraph.', 'Second paragraph to edit.', 'Third paragraph to remove.', '[image <file>]', `See [Beta]${link('docs/beta.md')}.`].join('\n'))
    expect(pages.Beta).toContain('Beta body.\n- one\n- two')
    expect(pages.Gamma).toContain('```javascript\nconsole.log(1)\n```')
    expect(pages.Delta).toContain(`Delta links to [Gamma]${link('docs/guide/gamma.md')}.`)
    expect(pages.guide).toContain(`- [Delta]${link('docs/guide/delta.md')}\n- [Gamma]${link('docs/guide/gamma.md')}`)
    // The table grown past its first descendant call has every row, in order, once.
    const rows = pages.Table!.split('\n').filter((line) => /^\| \d+ \| row \d+ \|/.test(line))
    expect(rows.map((line) => Number(line.split('|')[1]))).toEqual(Array.from({ length: 169 }, (_, i) => i + 1))
  })
  it('phase 2 edits, removes, adds, retitles and moves, and nothing else', () => {
    const { tree, pages } = reference.after[2]
    expect(tree).toBe(['Alpha', 'Beta renamed', 'Delta', 'Epsilon', 'Table', 'guide', '  Gamma'].join('\n'))
    expect(pages.Alpha).toContain(
      ['First paragraph.', 'Second paragraph, edited.', '[image <file>]', `See [Beta]${link('docs/beta.md')}.`, 'A new closing paragraph.', '[image <file>]'].join('\n'),
    )
    expect(pages.Alpha).not.toContain('Third paragraph')
    expect(pages['Beta renamed']).toContain('Beta body.')
    expect(pages.Delta).toContain(`Delta links to [Gamma]${link('docs/guide/gamma.md')}.`)
    expect(pages.Epsilon).toContain('A new page.')
  })
  it('phase 2: the page of the folder a file moved out of stops listing it', () => {
    expect(reference.after[2].pages.guide).not.toContain('[Delta]')
    expect(reference.after[2].pages.guide).toContain(`- [Gamma]${link('docs/guide/gamma.md')}`)
  })
})

describe('calls outside the matrix', () => {
  it('every call the action makes in either phase has a row, or is listed as one without', () => {
    const rows = new Set(ROWS.map((row) => row.probe))
    const called = new Set([...reference.routes[1], ...reference.routes[2]])
    expect([...called].filter((route) => !rows.has(route) && !WITHOUT_ROW.has(route)).sort()).toEqual([])
  })
})

describe.concurrent('fault matrix', () => {
  for (const row of ROWS) {
    for (const kind of FAULT_KINDS) {
      const key = `${row.name} × ${kind}`
      const gap = KNOWN_GAPS[key]
      const test = gap ? it.fails : it
      test(`${key}${gap ? ` (known gap: ${gap})` : ''}`, async () => {
        const phase = kind === 'always 503' ? row.always.phase : row.phase
        if (!reference.routes[phase].has(row.probe)) throw new Error(`the scenario changed: ${row.probe} is not called in phase ${phase}`)
        try {
          // A cell whose run was starved of CPU (a scaled 30 s timeout is 0.6 s of real time on a busy machine)
          // is run again, once, in a fresh world; the matrix notes it. A failure for any other reason is final.
          for (let attempt = 1; ; attempt++) {
            try {
              await slot(() => runCell(row, kind, phase))
              break
            } catch (error) {
              if (!(error instanceof Starved) || attempt >= 2) throw error
              notes.push(`${key}: re-run once (${error.message}).`)
            }
          }
          results.set(key, 'pass')
        } catch (error) {
          results.set(key, gap ? 'known gap' : 'FAIL')
          throw error
        }
      }, 180_000)
    }
  }
})

async function runCell(row: Row, kind: FaultKind, phase: 1 | 2): Promise<void> {
  // A phase-2 cell starts where the reference's fault-free phase 1 left off (a copy of its emulators' state),
  // rather than publishing phase 1 again.
  const cell = await startCellWorld(phase === 2 ? reference.afterPhase1 : undefined)
  try {
    if (phase === 2) applyPhase2(cell.world)
    const server = row.server === 'feishu' ? cell.world.feishu.server : cell.world.github.server
    const scope = kind === 'always 503' && row.always.scope ? row.always.scope(cell) : {}
    const from = server.calls.length
    const tokenBefore = cell.world.currentRefreshToken()
    server.inject({ ...row.match, ...scope, ...faultFor(kind, row.family) })
    const run = await runPhase(cell, phase)
    server.clearFaults()
    const refreshes = cell.world.feishu.server.calls.slice(cell.marks.at(-1)!.feishu).filter((c) => c.route === 'authen.v2.oauth.token')
    if (row.name !== 'refresh' && refreshes.length > 1) throw new Starved('the refresh was sent twice without a fault on it: a scaled timeout fired')
    expect(server.calls.slice(from).some((c) => c.fault), `the ${kind} fault on ${row.name} never fired\n${describeRun(run)}`).toBe(true)

    const calls = feishuCallsOf(cell, cell.runs.length - 1)
    const outcome = expectedOutcome(row, kind)
    const output = describeRun(run)
    const contentCalls = calls.filter((c) => /^(wiki|docx|drive)\./.test(c.route))
    const recover = async () => {
      const again = await runPhase(cell, phase)
      expect(again.exitCode, `the re-run after the fault: ${again.summary}`).toBe(0)
      expectWikiEquals(cell, reference.after[phase])
      expectChainHolds(cell)
    }

    switch (outcome) {
      case 'ok': {
        expect(run.exitCode, output).toBe(0)
        expect(run.outputs.failed, output).toBe('0')
        expectChainHolds(cell)
        expectWikiEquals(cell, reference.after[phase])
        expectIdempotentDocxWrites(calls)
        expectLookBeforeRetry(calls)
        break
      }
      case 'lost-in-transit': {
        expect(run.exitCode, output).toBe(3)
        expect(run.summary).toContain('lost in transit')
        expect(run.summary).toContain('npx feishu-wiki-sync auth')
        expect(contentCalls, 'nothing is published without a saved token').toEqual([])
        break
      }
      case 'refresh-fails': {
        expect(run.exitCode, output).toBe(5)
        expect(run.summary).toMatch(/Re-run the job|retry/i)
        expect(cell.world.feishu.liveRefreshToken(), 'the token was not spent').toBe(tokenBefore)
        expectChainHolds(cell)
        expect(contentCalls).toEqual([])
        break
      }
      case 'preflight-fails': {
        expect(run.exitCode, output).not.toBe(0)
        expect(run.summary).toContain('the refresh token was not spent')
        expect(calls, 'no Feishu call before GitHub is known to work').toEqual([])
        expectChainHolds(cell)
        break
      }
      case 'chain-broken': {
        expect(run.exitCode, output).toBe(4)
        expect(run.summary).toContain('Token chain broken')
        expect(run.summary).toContain('npx feishu-wiki-sync auth')
        expect(contentCalls, 'nothing after the refresh').toEqual([])
        break
      }
      case 'run-fails': {
        expect(run.exitCode, output).not.toBe(0)
        expect(run.summary, 'the summary names the failing call').toContain(row.label)
        expectChainHolds(cell)
        expect(contentCalls.filter((c) => c.method !== 'GET'), 'no write after a failed scan').toEqual([])
        expectNoDuplicateTitles(cell)
        await recover()
        break
      }
      case 'page-fails': {
        expect(run.exitCode, output).toBe(1)
        const pages = pagesOf(run)
        const failed = pages.filter((p) => p.status === 'failed').map((p) => p.path)
        expect(failed, output).toEqual([row.always.page])
        expect(run.summary, 'the summary names the page').toContain(`<code>${row.always.page}</code>`)
        expect(run.summary, 'the summary names the failing call').toContain(row.label)
        expectChainHolds(cell)
        expectNoDuplicateTitles(cell)
        expectIdempotentDocxWrites(calls)
        expectLookBeforeRetry(calls)
        // The others published as if nothing had happened.
        const ok = new Set(pages.filter((p) => p.status !== 'failed').map((p) => p.title))
        expect(ok.size).toBeGreaterThan(0)
        // Links to the failed page still point at its node, whose marker may still carry the old path.
        const failedNode = pages.find((p) => p.path === row.always.page)?.node_token
        expectWikiEquals(cell, reference.after[phase], ok, failedNode ? new Map([[failedNode, row.always.page!]]) : undefined)
        await recover()
        break
      }
      case 'compare-fails': {
        // Without the compare the rename of guide/delta.md is unknown: every page is compared, docs/delta.md is
        // a new page, and the old one is reported as an orphan (on-delete: report), never silently lost.
        expect(run.exitCode, output).toBe(0)
        expect(run.summary, 'the summary says the compare failed').toMatch(/comparing c1…c2 failed.*every page was compared/)
        const status = Object.fromEntries(pagesOf(run).map((p) => [p.path, p.status]))
        expect(status['docs/delta.md']).toBe('created')
        expect(status['docs/guide/delta.md']).toBe('orphan')
        expectChainHolds(cell)
        expectNoDuplicateTitles(cell)
        expectIdempotentDocxWrites(calls)
        // guide/ still holds the orphaned Delta, but its page lists the files of the folder: Gamma only.
        expectWikiEquals(cell, reference.after[phase], new Set(Object.keys(reference.after[phase].pages).filter((t) => t !== 'Delta' && t !== 'guide')))
        expect(snapshot(cell).pages.guide).not.toContain('[Delta]')
        break
      }
      case 'state-not-saved': {
        expect(run.exitCode, output).toBe(0)
        expect(run.outputs.failed, output).toBe('0')
        expect(run.summary, 'the summary says the state was not saved').toContain('The sync state could not be saved')
        expectChainHolds(cell)
        expectWikiEquals(cell, reference.after[phase])
        expectNoDuplicateTitles(cell)
        // The next run rebuilds the state (it writes it), and the one after costs no docx read of an unchanged page.
        await recover()
        const state = cell.world.feishu.nodes(cell.world.spaceId).filter((n) => n.title === STATE_TITLE)
        expect(state, 'one state page').toHaveLength(1)
        expect(cell.world.feishu.docs.render(state[0]!.obj_token), 'the re-run saved the state').toContain('"pages"')
        break
      }
      case 'page-warns': {
        expect(run.exitCode, output).toBe(0)
        const page = pagesOf(run).find((p) => p.path === row.always.page)
        expect(page?.status, output).toBe('updated')
        expect(run.summary, 'the summary flags the page').toMatch(new RegExp(`<code>${row.always.page}</code>.*⚠️`))
        const warning = run.annotations.find((a) => a.level === 'warning' && a.file === row.always.page)
        expect(warning?.message, 'an annotation names the failing call').toContain(row.label)
        expectChainHolds(cell)
        expectNoDuplicateTitles(cell)
        expectIdempotentDocxWrites(calls)
        const ok = new Set(pagesOf(run).filter((p) => p.path !== row.always.page).map((p) => p.title))
        expectWikiEquals(cell, reference.after[phase], ok)
        await recover()
        break
      }
    }
    expectNoLeaksInAllRuns(cell)
  } finally {
    await cell.world.close()
  }
}
