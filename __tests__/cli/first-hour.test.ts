// The first hour of a new user, as real processes: the built bin (`node dist/cli/index.js`, as from a clone) and
// the action bundle, against the emulators. Every printed command is pasted back and run.
import { type ChildProcess, spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import { repoRoot } from '../../emulator/action-runner.js'
import { type SeededWorld, startSeededWorld } from '../../emulator/seed.js'

const REPO = 'acme/handbook'
const ENV = 'wiki-sync'
const SCALE = 25
const CLI = 'dist/cli/index.js'

let world: SeededWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

interface Proc {
  child: ChildProcess
  stdout: string
  stderr: string
  done: Promise<number>
  waitFor(re: RegExp): Promise<RegExpMatchArray>
}

/** `node <args>` in the repository root, as a user who cloned it would type it. */
function start(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', FEISHU_WIKI_SYNC_TIME_SCALE: String(SCALE), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const proc: Proc = {
    child,
    stdout: '',
    stderr: '',
    done: new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : -1)))),
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(proc.stdout + proc.stderr)
          if (m) resolve(m)
        }
        child.stdout!.on('data', check)
        child.stderr!.on('data', check)
        void proc.done.then(() => setTimeout(() => reject(new Error(`exited without printing ${re}:\n${proc.stdout}${proc.stderr}`)), 50))
        check()
      }),
  }
  child.stdout!.on('data', (chunk: Buffer) => (proc.stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (proc.stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  void proc.done.then(() => clearTimeout(timer))
  return proc
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const credentials = (w: SeededWorld) => ({ FEISHU_APP_SECRET: w.app.appSecret, GH_TOKEN: w.githubToken })

describe('auth', () => {
  it('says it replaced an existing secret, warns about a repository secret, and its "Next:" line works when pasted', async () => {
    const w = (world = await startSeededWorld({ feishu: { clock: scaledClock(SCALE) }, seedSecret: {} }))
    const auth = start([CLI, 'auth', '--repo', REPO, '--app-id', w.app.appId, '--base-url', w.feishu.url, '--github-api-url', w.github.url], credentials(w))
    const code = await auth.waitFor(/User code: (\S+)/)
    w.feishu.approveDevice(code[1]!)
    expect(await auth.done, auth.stdout + auth.stderr).toBe(0)
    expect(auth.stdout).toContain(`Saved the refresh token into the repository secret FEISHU_REFRESH_TOKEN of ${REPO}, replacing the one it held`)
    expect(auth.stderr).toContain('warning: this writes a repository secret. The README recommends an environment secret (--environment wiki-sync')
    const next = /Next: check the whole setup without spending the token: (.+)/.exec(auth.stdout)?.[1]
    // The command as the user invoked it, with every value they gave.
    expect(next).toBe(`node ${CLI} doctor --repo ${REPO} --app-id ${w.app.appId} --base-url ${w.feishu.url} --github-api-url ${w.github.url}`)
    const [node, ...args] = next!.split(' ')
    expect(node).toBe('node')
    const doctor = start(args, credentials(w))
    expect(await doctor.done, doctor.stdout + doctor.stderr).toBe(0)
    expect(doctor.stdout).toContain('[ok]       Refresh token secret: FEISHU_REFRESH_TOKEN exists')
  })

  it('shows the time left while waiting for approval, and Ctrl-C says what state things are in', async () => {
    const w = (world = await startSeededWorld({ feishu: { clock: scaledClock(SCALE) } }))
    const auth = start(
      [CLI, 'auth', '--repo', REPO, '--environment', ENV, '--app-id', w.app.appId, '--base-url', w.feishu.url, '--github-api-url', w.github.url],
      credentials(w),
    )
    await auth.waitFor(/User code: \S+/)
    await auth.waitFor(/Still waiting for your approval: the code expires in \d+ (minutes|seconds)\./)
    auth.child.kill('SIGINT')
    expect(await auth.done).toBe(130)
    expect(auth.stderr).toContain(
      `Interrupted while waiting for the sign-in: no token was issued and the environment '${ENV}' secret FEISHU_REFRESH_TOKEN is unchanged.`,
    )
    expect(w.github.secretValue(REPO, 'FEISHU_REFRESH_TOKEN', ENV)).toBeUndefined()
  })

  it('a wrong --environment says to fix --environment, not the GitHub token', async () => {
    const w = (world = await startSeededWorld())
    const auth = start([CLI, 'auth', '--repo', REPO, '--environment', 'wiki-synk', '--app-id', w.app.appId, '--base-url', w.feishu.url, '--github-api-url', w.github.url], credentials(w))
    expect(await auth.done).toBe(1)
    expect(auth.stderr).toContain("environment 'wiki-synk' not found")
    expect(auth.stderr).toContain('fix --environment')
    expect(auth.stderr).not.toMatch(/fix the GitHub token|environment input/)
  })

  it('an unknown flag gets "did you mean"', async () => {
    const auth = start([CLI, 'auth', '--enviroment', ENV])
    expect(await auth.done).toBe(2)
    expect(auth.stderr).toContain("error: unknown flag --enviroment for 'auth'; did you mean --environment?")
  })
})

describe('doctor', () => {
  it('a refused connection or an unknown host gets network and URL advice, not "copy the App Secret" or "set GH_TOKEN"', async () => {
    const w = (world = await startSeededWorld())
    const closed = await closedPort()
    const doctor = start(
      [CLI, 'doctor', '--repo', REPO, '--app-id', w.app.appId, '--base-url', `http://127.0.0.1:${closed}`, '--github-api-url', 'https://github.invalid/api/v3'],
      credentials(w),
    )
    expect(await doctor.done).toBe(1)
    expect(doctor.stdout).toMatch(
      new RegExp(`\\[failed\\] +Feishu app: .*\\n +fix: Nothing reached Feishu at http://127\\.0\\.0\\.1:${closed}: the connection was refused.*Check --base-url`),
    )
    expect(doctor.stdout).toMatch(/\[failed\] +GitHub access: .*\n +fix: Nothing reached GitHub at https:\/\/github\.invalid\/api\/v3: the host name does not resolve \(DNS\)\. Check --github-api-url/)
    expect(doctor.stdout).not.toMatch(/Copy the App ID|Set GH_TOKEN/)
  })

  it("run in this project's own clone, it does not judge the dogfood workflow (it has no real token) and says so", async () => {
    const doctor = start([CLI, 'doctor', '--repo', REPO, '--app-id', 'cli_none'], { GH_TOKEN: '' })
    await doctor.done
    expect(doctor.stdout).toContain('Not judged: .github/workflows/dogfood.yml uses the action without a refresh token from a secret')
    expect(doctor.stdout).not.toMatch(/\[failed\] +Workflow/)
  })
})

describe('the action bundle', () => {
  it('started by hand outside GitHub Actions, it says it is an action and how to use the CLI', async () => {
    const action = start([path.join('dist', 'index.js')])
    expect(await action.done).toBe(2)
    expect(action.stderr).toContain('is the feishu-wiki-sync GitHub Action: it runs as a workflow step')
    expect(action.stderr).toContain('node dist/cli/index.js --help')
    expect(action.stderr).not.toContain('GITHUB_REPOSITORY')
  })
})
