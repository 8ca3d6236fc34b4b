// Test-side helpers around the runner-style action run: the shared leak scan.
import { expect } from 'vitest'
import type { ActionRun } from '../../emulator/action-runner.js'

export { type ActionRun, type RunActionOptions, parseOutputFile, repoRoot, runAction } from '../../emulator/action-runner.js'

/** Every form in which a secret could leak: raw, URL-encoded, base64 (both alphabets), JSON-escaped. */
export function leakForms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ]
}

/**
 * No secret reaches stdout, stderr, the summary or the outputs. `::add-mask::` lines are the runner's masking
 * commands (the runner consumes them and never prints them), so they are the one place a secret may appear.
 */
export function expectNoLeaks(run: ActionRun, secrets: (string | undefined)[]): void {
  const visibleStdout = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  const channels = {
    stdout: visibleStdout,
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
  }
  for (const secret of secrets) {
    if (!secret) continue
    for (const form of leakForms(secret)) {
      for (const [channel, text] of Object.entries(channels)) {
        expect(text.includes(form), `a secret leaked into ${channel} (form ${form === secret ? 'raw' : 'encoded'})`).toBe(false)
      }
    }
  }
}
