// Cancellation, proved as real runs: the test sends the runner's signals to `node dist/index.js` itself. The
// runner sends SIGINT when a job is cancelled or times out, SIGTERM 7.5 s later, and kills the process tree
// 2.5 s after that (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-cancellation).
import fs from 'node:fs'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import type { EmulatorServer } from '../../emulator/core/server.js'
import { STATE_TITLE } from '../../src/sync/remote/state.js'
import { expectNoLeaks } from '../helpers/action-runner.js'
import { REPO, type World, startWorld } from '../helpers/world.js'

const SCALE = 20
const REFRESH = 'authen.v2.oauth.token'
const SECRET_PATH = `/repos/${REPO}/actions/secrets/FEISHU_REFRESH_TOKEN`
const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'handbook')

let world: World
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})

/** Sends `signal` to the action the moment `server` has received a call that `when` picks. */
function signalWhen(server: EmulatorServer, when: (call: EmulatorServer['calls'][number]) => boolean, signal: NodeJS.Signals) {
  return (child: ChildProcess) => {
    const timer = setInterval(() => {
      if (!server.calls.some(when)) return
      clearInterval(timer)
      child.kill(signal)
    }, 5)
    child.on('close', () => clearInterval(timer))
  }
}

/** Wiki nodes per (parent, title) seen more than once. */
function duplicateNodes(): string[] {
  const seen = new Map<string, number>()
  for (const n of world.feishu.nodes(world.spaceId)) {
    const key = `${n.parent_node_token}/${n.title}`
    seen.set(key, (seen.get(key) ?? 0) + 1)
  }
  return [...seen].filter(([, count]) => count > 1).map(([key]) => key)
}

describe('cancellation (signals sent to the bundled action)', () => {
  it.each([
    ['the PUT of the new token is slow', 'SIGTERM'],
    ['the refresh answer is slow', 'SIGINT'],
  ] as const)('a %s and the %s lands between refresh and save: the new token is still saved, the next run works', async (slow, signal) => {
    world = await startWorld()
    await world.run() // the secret exists: the next PUT updates it
    const putCall = (c: { method: string; path: string }) => c.method === 'PUT' && c.path === SECRET_PATH
    let onStart
    if (slow.includes('PUT')) {
      world.github.server.inject({ method: 'PUT', path: SECRET_PATH, latencyMs: 1_500 })
      const putsBefore = world.github.server.calls.filter(putCall).length
      onStart = signalWhen(world.github.server, (c) => putCall(c) && world.github.server.calls.filter(putCall).length > putsBefore, signal)
    } else {
      world.feishu.server.inject({ route: REFRESH, latencyMs: 1_500 })
      const refreshesBefore = world.feishu.server.callsTo(REFRESH).length
      onStart = signalWhen(world.feishu.server, (c) => c.route === REFRESH && world.feishu.server.callsTo(REFRESH).length > refreshesBefore, signal)
    }
    const spent = world.currentRefreshToken()
    const cancelled = await world.run({ inputs: { mode: 'all' }, onStart })
    expect(cancelled.exitCode, cancelled.stdout).not.toBe(0)
    // Saved despite the signal: the secret holds the token Feishu issued last.
    const stored = world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN')
    // (Compared as booleans: a failure message must not print a token.)
    expect(stored !== spent, 'the secret still holds the spent token').toBe(true)
    expect(stored === world.feishu.liveRefreshToken(), 'the secret does not hold the newest token').toBe(true)
    expect(cancelled.outputs['token-rotated']).toBe('true')
    expect(cancelled.outputs.complete).toBe('false')
    expect(cancelled.summary).toContain(`cancelled (${signal})`)
    expect(cancelled.summary).toContain('Token rotation')
    // Nothing was published after the cancel.
    expect(world.feishu.server.calls.filter((c) => /^(wiki|docx)\./.test(c.route))).toEqual([])
    // The chain is intact: the next run spends the saved token.
    world.github.server.clearFaults()
    world.feishu.server.clearFaults()
    const next = await world.run()
    expect(next.exitCode, next.stdout).toBe(0)
    expect(world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN') === world.feishu.liveRefreshToken()).toBe(true)
  })

  it('SIGINT before the refresh: the token is not spent, and the summary says so', async () => {
    world = await startWorld()
    world.github.server.inject({ method: 'GET', path: /public-key$/, latencyMs: 1_000 })
    const spent = world.currentRefreshToken()
    const run = await world.run({ onStart: signalWhen(world.github.server, (c) => c.path.endsWith('public-key'), 'SIGINT') })
    expect(run.exitCode).not.toBe(0)
    expect(world.feishu.server.callsTo(REFRESH)).toHaveLength(0)
    expect(world.currentRefreshToken() === spent).toBe(true)
    expect(run.summary).toContain('cancelled (SIGINT) before the refresh token was spent')
    expect(run.outputs.complete).toBe('false')
  })

  it('SIGTERM mid-publish: in-flight writes answer, the summary and outputs say what was done, the token is saved; the next run finishes with no duplicate', async () => {
    world = await startWorld({ feishu: { clock: scaledClock(SCALE), latencyMs: 200, rateLimits: true } })
    fs.cpSync(FIXTURE, path.join(world.workspace, 'docs'), { recursive: true })
    const parent = world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
    const inputs = { mode: 'all', 'parent-node': parent }
    // Signal once the first document write has been sent: nodes exist, some content is written, most is not.
    const firstDocWrite = (c: { method: string; route: string }) => c.method !== 'GET' && c.route.startsWith('docx.')
    const cancelled = await world.run({ inputs, timeScale: SCALE, onStart: signalWhen(world.feishu.server, firstDocWrite, 'SIGTERM') })
    expect(cancelled.exitCode, cancelled.stdout + cancelled.stderr).toBe(1)
    // Done before the runner's next signal (7.5 s), as the action measured it (this loaded test process may lag).
    const stoppedAfter = Number(/^Stopped ([\d.]+) s after the run was cancelled \(SIGTERM\)\.$/m.exec(cancelled.stdout)?.[1])
    expect(stoppedAfter, cancelled.stdout).toBeLessThan(7.5)
    expect(world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN') === world.feishu.liveRefreshToken()).toBe(true)
    expect(cancelled.outputs['token-rotated']).toBe('true')
    expect(cancelled.outputs.complete).toBe('false')
    expect(cancelled.summary).toContain('The run was cancelled (SIGTERM).')
    expect(cancelled.summary).toMatch(/\d+ page\(s\) not yet published; the next run continues/)
    const pages = JSON.parse(cancelled.outputs.pages) as { path: string; status: string }[]
    expect(pages.length).toBe(11)
    expect(pages.filter((p) => p.status === 'skipped').length).toBeGreaterThan(0)
    expect(cancelled.annotations.some((a) => a.level === 'error' && a.message.includes('cancelled (SIGTERM)'))).toBe(true)

    const next = await world.run({ inputs, timeScale: SCALE })
    expect(next.exitCode, next.stdout).toBe(0)
    expect(next.outputs.complete).toBe('true')
    expect(duplicateNodes()).toEqual([])
    expect(world.feishu.renderTree(world.spaceId, parent).split('\n').filter((line) => line !== STATE_TITLE).join('\n')).toBe(
      ['Handbook', 'Getting started', 'User guide', '  advanced', '    Tuning', '    Contributing', '  Install', 'api', '  Endpoints', '  Errors', 'FAQ'].join('\n'),
    )
    // And a third run finds nothing to do.
    const third = await world.run({ inputs, timeScale: SCALE })
    expect(JSON.parse(third.outputs.pages).every((p: { status: string }) => p.status === 'unchanged')).toBe(true)
  })

  it('SIGTERM mid-publish saves the sync state for what was written, in time: the next run reads none of those pages and makes no duplicate', async () => {
    world = await startWorld({ feishu: { clock: scaledClock(SCALE), latencyMs: 200, rateLimits: true } })
    fs.cpSync(FIXTURE, path.join(world.workspace, 'docs'), { recursive: true })
    const parent = world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
    const inputs = { mode: 'all', 'parent-node': parent }
    // Signal once a few documents are written: most nodes exist, part of the content is written.
    const docWrite = (c: { method: string; route: string; status?: number }) => c.method !== 'GET' && c.route === 'docx.v1.documentBlockDescendant.create' && c.status === 200
    const cancelled = await world.run({
      inputs,
      timeScale: SCALE,
      onStart: signalWhen(world.feishu.server, (c) => docWrite(c) && world.feishu.server.calls.filter(docWrite).length >= 4, 'SIGTERM'),
    })
    expect(cancelled.exitCode, cancelled.stdout + cancelled.stderr).toBe(1)
    const stoppedAfter = Number(/^Stopped ([\d.]+) s after the run was cancelled \(SIGTERM\)\.$/m.exec(cancelled.stdout)?.[1])
    expect(stoppedAfter, cancelled.stdout).toBeLessThan(7.5)
    expect(world.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN') === world.feishu.liveRefreshToken()).toBe(true)
    expect(cancelled.outputs.complete).toBe('false')
    expect(cancelled.summary).toContain('The run was cancelled (SIGTERM).')
    expect(cancelled.summary).not.toContain('sync state was not saved')
    expect(world.feishu.nodes(world.spaceId).some((n) => n.title === STATE_TITLE)).toBe(true)
    // The documents the cancelled run wrote to the end (its pages created or updated, not cut off).
    const pages = JSON.parse(cancelled.outputs.pages) as { status: string; node_token?: string }[]
    const docOf = new Map(world.feishu.nodes(world.spaceId).map((n) => [n.node_token, n.obj_token]))
    const written = new Set(pages.filter((p) => p.status === 'created' || p.status === 'updated').map((p) => docOf.get(p.node_token!)!))
    expect(written.size, JSON.stringify(pages)).toBeGreaterThanOrEqual(3)
    expect(pages.some((p) => p.status === 'skipped')).toBe(true)

    const from = world.feishu.server.calls.length
    const next = await world.run({ inputs, timeScale: SCALE })
    expect(next.exitCode, next.stdout).toBe(0)
    expect(next.outputs.complete).toBe('true')
    const calls = world.feishu.server.calls.slice(from)
    const docOfCall = (c: { path: string }) => c.path.split('/')[5] ?? ''
    expect(calls.filter((c) => c.route.startsWith('docx.') && written.has(docOfCall(c))).map((c) => `${c.method} ${c.route}`)).toEqual([])
    expect(duplicateNodes()).toEqual([])
    expect(world.feishu.renderTree(world.spaceId, parent).split('\n').filter((line) => line !== STATE_TITLE).join('\n')).toBe(
      ['Handbook', 'Getting started', 'User guide', '  advanced', '    Tuning', '    Contributing', '  Install', 'api', '  Endpoints', '  Errors', 'FAQ'].join('\n'),
    )
  })
})
