// Runs the CLI in-process (src/cli/main.ts) with captured output and injectable IO, and scans output for secrets.
import net from 'node:net'
import { expect } from 'vitest'
import { main } from '../../src/cli/main.js'
import type { CliIO } from '../../src/cli/io.js'
import { secretForms } from '../../src/mask.js'

export interface CliRun {
  /** Resolves with the exit code. */
  exit: Promise<number>
  readonly stdout: string
  readonly stderr: string
  /** stdout + stderr, in order of arrival. */
  readonly all: string
  /** Resolves with the first match of `re` in the output so far or to come. */
  waitFor(re: RegExp): Promise<RegExpMatchArray>
}

export function startCli(argv: string[], io: Partial<CliIO> = {}): CliRun {
  let stdout = ''
  let stderr = ''
  let all = ''
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = []
  const check = () => {
    for (const w of [...waiters]) {
      const m = w.re.exec(all)
      if (m) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(m)
      }
    }
  }
  const line = (t: string) => (t.endsWith('\n') ? t : `${t}\n`)
  const defaults: Partial<CliIO> = {
    env: {},
    interactive: false,
    readSecret: async () => undefined,
    openBrowser: async () => false,
    runCommand: async () => undefined,
    cwd: process.cwd(),
    command: 'npx feishu-wiki-sync',
    onInterrupt: () => () => {},
  }
  const exit = main(argv, {
    ...defaults,
    ...io,
    out: (t) => {
      stdout += line(t)
      all += line(t)
      check()
    },
    err: (t) => {
      stderr += line(t)
      all += line(t)
      check()
    },
  })
  return {
    exit,
    get stdout() {
      return stdout
    },
    get stderr() {
      return stderr
    },
    get all() {
      return all
    },
    waitFor(re) {
      return new Promise((resolve, reject) => {
        const m = re.exec(all)
        if (m) return resolve(m)
        waiters.push({ re, resolve })
        void exit.then(() => setTimeout(() => reject(new Error(`the CLI exited without printing ${re}:\n${all}`)), 0))
      })
    },
  }
}

export async function runCli(argv: string[], io: Partial<CliIO> = {}): Promise<{ code: number; stdout: string; stderr: string; all: string }> {
  const run = startCli(argv, io)
  const code = await run.exit
  return { code, stdout: run.stdout, stderr: run.stderr, all: run.all }
}

/** A JWT-shaped token (Feishu v2 user tokens look like this; so do the emulator's). */
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/

/** No secret in any printable form (raw, URL-encoded, base64, base64url, JSON-escaped), and no token-shaped string. */
export function expectNoSecrets(text: string, secrets: (string | undefined)[]): void {
  for (const secret of secrets) {
    if (!secret) continue
    for (const form of secretForms(secret)) {
      expect(text.includes(form), `a secret leaked (${form === secret ? 'raw' : 'encoded'} form)`).toBe(false)
    }
  }
  expect(JWT_LIKE.test(text), 'a token-shaped string was printed').toBe(false)
}

export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
