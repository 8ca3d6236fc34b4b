// Runs the committed bundle the way the GitHub runner does (used by the end-to-end tests, `npm run demo`,
// the dogfood check and the benchmarks): `node dist/index.js` with INPUT_* variables
// (hyphens kept), GITHUB_* variables, and empty GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files created first.
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bundle = path.join(repoRoot, 'dist', 'index.js')

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  file?: string
  line?: number
}

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  summary: string
  outputs: Record<string, string>
  annotations: Annotation[]
  /** Values the action registered with ::add-mask:: (what the runner would mask). */
  masked: string[]
  /** Real milliseconds the process ran. */
  durationMs: number
}

export interface RunActionOptions {
  inputs: Record<string, string>
  env?: Record<string, string>
  eventName?: string
  eventPayload?: object
  workspace?: string
  /** Test hook: the action's clock runs this many times faster than real time. */
  timeScale?: number
  timeoutMs?: number
  /** Called once the process is started (tests signal it: SIGTERM as a cancelled job, SIGKILL as a lost runner). */
  onStart?: (child: ChildProcess) => void
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-run-'))
  const outputFile = path.join(dir, 'output')
  const summaryFile = path.join(dir, 'summary')
  const eventFile = path.join(dir, 'event.json')
  fs.writeFileSync(outputFile, '')
  fs.writeFileSync(summaryFile, '')
  fs.writeFileSync(eventFile, JSON.stringify(options.eventPayload ?? {}))

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    RUNNER_DEBUG: '1',
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName ?? 'workflow_dispatch',
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: options.workspace ?? dir,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_RUN_ID: '1001',
    ...(options.timeScale ? { FEISHU_WIKI_SYNC_TIME_SCALE: String(options.timeScale) } : {}),
    ...options.env,
  }
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }

  const started = Date.now()
  const child = spawn(process.execPath, [bundle], { cwd: env.GITHUB_WORKSPACE, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  options.onStart?.(child)
  const exitCode: number = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1)))
  clearTimeout(timer)

  const run: ActionRun = {
    exitCode,
    stdout,
    stderr,
    summary: fs.readFileSync(summaryFile, 'utf8'),
    outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
    annotations: parseAnnotations(stdout),
    masked: [...stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]),
    durationMs: Date.now() - started,
  }
  fs.rmSync(dir, { recursive: true, force: true })
  return run
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` records (@actions/core's file command format). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
    outputs[name] = value.join('\n')
  }
  return outputs
}

function parseAnnotations(stdout: string): Annotation[] {
  const annotations: Annotation[] = []
  for (const match of stdout.matchAll(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/gm)) {
    const props = Object.fromEntries(
      (match[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, string]),
    )
    annotations.push({
      level: match[1] as Annotation['level'],
      message: unescapeCommand(match[3]),
      file: props.file,
      line: props.line ? Number(props.line) : undefined,
    })
  }
  return annotations
}

function unescapeCommand(text: string): string {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}
