// Everything the CLI touches outside its own code, behind one interface so tests run it in-process against the
// emulators: output streams, environment, clock, the hidden prompt, the browser, and external commands.
import { execFile, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { actionClock } from '../clock.js'

export interface CliIO {
  /** Normal output (the user code, the authorize URL, the checklist). */
  out(text: string): void
  /** Errors and warnings. */
  err(text: string): void
  env: Record<string, string | undefined>
  /** Where `doctor` looks for .github/workflows and runs git. */
  cwd: string
  now(): number
  sleep(ms: number): Promise<void>
  /** A person at a terminal: a hidden prompt is possible. */
  interactive: boolean
  /** Ask for a secret without echoing it; undefined when nobody can answer. */
  readSecret(prompt: string): Promise<string | undefined>
  /** Best effort; true when a browser was (probably) launched. Never throws. */
  openBrowser(url: string): Promise<boolean>
  /** Run a command (`gh auth token`, `git remote get-url origin`); undefined when it cannot run. Never throws. */
  runCommand(command: string, args: string[]): Promise<{ code: number; stdout: string } | undefined>
  /** How long `auth --browser` waits for the redirect back (ms). */
  callbackTimeoutMs: number
  /** The command as the user typed it (`npx feishu-wiki-sync`, `node dist/cli/index.js`), for printed commands. */
  command: string
  /** Call `handler` on Ctrl-C (then exit 130); returns a function that removes it. */
  onInterrupt(handler: () => void): () => void
}

export function defaultIO(): CliIO {
  const clock = actionClock(process.env)
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms),
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    readSecret: promptHidden,
    openBrowser,
    runCommand,
    callbackTimeoutMs: 10 * 60_000,
    command: invokedAs(process.argv[1], process.env, process.cwd()),
    onInterrupt: (handler) => {
      const listener = () => {
        handler()
        process.exit(130)
      }
      process.once('SIGINT', listener)
      return () => void process.off('SIGINT', listener)
    },
  }
}

/**
 * How the user started this CLI, so the commands it prints work when pasted: through npx (npm sets npm_command=exec),
 * as the installed bin on PATH, or as `node <path to dist/cli/index.js>` from a clone.
 */
export function invokedAs(script: string | undefined, env: Record<string, string | undefined>, cwd: string): string {
  if (env.npm_command === 'exec') return 'npx feishu-wiki-sync'
  if (!script || path.basename(script) === 'feishu-wiki-sync') return 'feishu-wiki-sync'
  const relative = path.relative(cwd, script)
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : script
  return `node ${/^[A-Za-z0-9_@%+=:,./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`}`
}

/** Reads a line from the terminal in raw mode, echoing nothing (pasting works; Ctrl-C cancels). */
async function promptHidden(prompt: string): Promise<string | undefined> {
  const stdin = process.stdin
  if (!stdin.isTTY) return undefined
  process.stderr.write(prompt)
  return new Promise((resolve) => {
    let value = ''
    const finish = (result: string | undefined) => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      resolve(result)
    }
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(value)
        if (ch === '\u0003') return finish(undefined)
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else if (ch >= ' ') value += ch
      }
    }
    stdin.setRawMode(true)
    stdin.resume()
    stdin.on('data', onData)
  })
}

/** xdg-open / open / the Windows URL handler. Skipped on Linux without a display (SSH, containers). */
async function openBrowser(url: string): Promise<boolean> {
  let command: string
  let args: string[]
  if (process.platform === 'darwin') {
    command = 'open'
    args = [url]
  } else if (process.platform === 'win32') {
    // Not `start`: cmd would split the URL at every '&'.
    command = 'rundll32'
    args = ['url.dll,FileProtocolHandler', url]
  } else {
    if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false
    command = 'xdg-open'
    args = [url]
  }
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: true })
      child.once('error', () => resolve(false))
      child.once('spawn', () => {
        child.unref()
        resolve(true)
      })
    } catch {
      resolve(false)
    }
  })
}

function runCommand(command: string, args: string[]): Promise<{ code: number; stdout: string } | undefined> {
  return new Promise((resolve) => {
    try {
      execFile(command, args, { timeout: 10_000, windowsHide: true }, (error, stdout) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolve(undefined)
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout: String(stdout) })
      })
    } catch {
      resolve(undefined)
    }
  })
}

/** This package's version: the nearest package.json named feishu-wiki-sync above this file (src/ or dist/cli/). */
export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = [dir, 'package.json'].join(path.sep)
    try {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'feishu-wiki-sync' && pkg.version) return pkg.version
    } catch {
      // not here
    }
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  return 'unknown'
}
