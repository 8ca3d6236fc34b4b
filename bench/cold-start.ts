// Cold start of the bundle: spawn `node dist/index.js` with the runner's environment but without any input,
// so it stops at the first validation error (exit code 2) before any network call; time from spawn to exit.
// The median of N spawns (after one warm-up spawn that fills the OS file cache) is reported.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { repoRoot } from '../emulator/action-runner.js'

export interface ColdStart {
  medianMs: number
  minMs: number
  maxMs: number
  samples: number[]
  exitCode: number
}

export async function measureColdStart(runs = 15): Promise<ColdStart> {
  const bundle = path.join(repoRoot, 'dist', 'index.js')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-cold-'))
  for (const f of ['output', 'summary']) fs.writeFileSync(path.join(dir, f), '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    RUNNER_TEMP: dir,
    // No INPUT_* at all: `app-id` is missing, the action exits 2 without touching the network.
  }
  const once = (): Promise<{ ms: number; code: number }> =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint()
      const child = spawn(process.execPath, [bundle], { cwd: dir, env, stdio: 'ignore' })
      child.on('error', reject)
      child.on('exit', (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code: code ?? -1 }))
    })
  await once() // warm-up: file cache
  const samples: number[] = []
  let exitCode = 0
  for (let i = 0; i < runs; i++) {
    const { ms, code } = await once()
    samples.push(Math.round(ms))
    exitCode = code
  }
  fs.rmSync(dir, { recursive: true, force: true })
  const sorted = [...samples].sort((a, b) => a - b)
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, minMs: sorted[0]!, maxMs: sorted.at(-1)!, samples, exitCode }
}
