// A seeded outside world for the benchmarks (both emulators, rate limits on, a latency per Feishu call, one
// scaled clock shared with the action) and a runner-style run of the bundled action against it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type ActionRun, type RunActionOptions, runAction } from '../emulator/action-runner.js'
import { type Clock, scaledClock } from '../emulator/core/clock.js'
import type { RecordedCall } from '../emulator/core/server.js'
import { type SeededWorld, startSeededWorld } from '../emulator/seed.js'

export interface BenchWorld {
  seeded: SeededWorld
  clock: Clock
  scale: number
  workspace: string
  parentNode: string
  /** Run the bundle; the emulator-clock times of its first request and of its exit are recorded. */
  run(options?: { inputs?: Record<string, string>; eventName?: string; eventPayload?: object; onStart?: RunActionOptions['onStart'] }): Promise<BenchRun>
  writeFiles(files: Record<string, string | Uint8Array>): void
  close(): Promise<void>
}

export interface BenchRun {
  run: ActionRun
  /** Feishu calls this run made (every HTTP attempt the server saw). */
  feishuCalls: RecordedCall[]
  githubCalls: RecordedCall[]
  /** Emulator seconds from the run's first request (to either emulator) to the process's exit. */
  seconds: number
  throttled: number
}

export async function startBenchWorld(options: { scale: number; latencyMs: number }): Promise<BenchWorld> {
  const clock = scaledClock(options.scale)
  const seeded = await startSeededWorld({ feishu: { clock, latencyMs: options.latencyMs, rateLimits: true }, seedSecret: {} })
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-bench-'))
  fs.mkdirSync(path.join(workspace, 'docs'), { recursive: true })
  const parentNode = seeded.feishu.createNode(seeded.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
  const secret = () => seeded.github.secretValue(seeded.repo, 'FEISHU_REFRESH_TOKEN') ?? seeded.seedRefreshToken

  return {
    seeded,
    clock,
    scale: options.scale,
    workspace,
    parentNode,
    writeFiles(files) {
      for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true })
        fs.writeFileSync(path.join(workspace, file), content)
      }
    },
    async run(runOptions = {}) {
      const feishuFrom = seeded.feishu.server.calls.length
      const githubFrom = seeded.github.server.calls.length
      const throttledBefore = seeded.feishu.throttled.total
      const run = await runAction({
        workspace,
        timeScale: options.scale,
        timeoutMs: 30 * 60_000,
        eventName: runOptions.eventName,
        eventPayload: runOptions.eventPayload,
        onStart: runOptions.onStart,
        env: { GITHUB_REPOSITORY: seeded.repo, GITHUB_API_URL: seeded.github.url, RUNNER_DEBUG: '0' },
        inputs: {
          auth: 'user',
          'app-id': seeded.app.appId,
          'app-secret': seeded.app.appSecret,
          'refresh-token': secret(),
          'github-token': seeded.githubToken,
          'secret-name': 'FEISHU_REFRESH_TOKEN',
          'secret-environment': '',
          'space-id': seeded.spaceId,
          'parent-node': parentNode,
          path: 'docs',
          exclude: '',
          mode: 'all',
          'dry-run': 'false',
          'base-url': seeded.feishu.url,
          'on-delete': 'report',
          'fail-on-error': 'true',
          'github-api-url': seeded.github.url,
          ...runOptions.inputs,
        },
      })
      const exitAt = clock.now()
      const feishuCalls = seeded.feishu.server.calls.slice(feishuFrom)
      const githubCalls = seeded.github.server.calls.slice(githubFrom)
      const firstAt = Math.min(feishuCalls[0]?.at ?? Infinity, githubCalls[0]?.at ?? Infinity)
      return {
        run,
        feishuCalls,
        githubCalls,
        seconds: Number.isFinite(firstAt) ? (exitAt - firstAt) / 1000 : 0,
        throttled: seeded.feishu.throttled.total - throttledBefore,
      }
    },
    async close() {
      await seeded.close()
      fs.rmSync(workspace, { recursive: true, force: true })
    },
  }
}

/** Feishu wiki, docx and drive calls that change something (the token refresh is not one). */
export function isContentWrite(call: RecordedCall): boolean {
  return call.method !== 'GET' && /^(wiki|docx|drive)\./.test(call.route) && call.route !== 'drive.v1.meta.batchQuery'
}

export function isContentRead(call: RecordedCall): boolean {
  return call.method === 'GET' && /^(wiki|docx|drive)\./.test(call.route)
}
