// `npm run playground`, used as a person would: start it, paste the three commands it prints (auth, approved with
// the button on the emulator's device page; doctor; the sync), and check the chain with /check.
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { repoRoot } from '../helpers/action-runner.js'

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM')
})

function start(command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(command, args, { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let out = ''
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
  const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)))
  const waitFor = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(out)
        if (m) resolve(m)
      }
      child.stdout!.on('data', check)
      child.stderr!.on('data', check)
      void done.then(() => setTimeout(() => reject(new Error(`exited without printing ${re}:\n${out}`)), 50))
      check()
    })
  return { child, done, waitFor, output: () => out }
}

it('prints auth, doctor and sync commands that work when pasted; /check counts refreshes only', async () => {
  const playground = start(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'playground.ts')])
  await playground.waitFor(/Press Ctrl-C to stop\./)
  const text = playground.output()
  const env = Object.fromEntries(
    [...(/export (FEISHU_APP_SECRET=\S+ GH_TOKEN=\S+)/.exec(text)?.[1] ?? '').matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]),
  )
  const authLine = /^ {2}(node dist\/cli\/index\.js auth .+)$/m.exec(text)![1]!
  const doctorLine = /^ {2}(node dist\/cli\/index\.js doctor .+)$/m.exec(text)![1]!
  const syncUrl = /curl -s -X POST (\S+)/.exec(text)![1]!
  const checkUrl = /curl -s (\S+\/check)/.exec(text)![1]!

  // 1. auth: open the printed link, press Approve (the button is a GET form).
  const [, ...authArgs] = authLine.split(' ')
  const auth = start(process.execPath, authArgs, env)
  const link = (await auth.waitFor(/1\. Open (\S+)/))[1]!
  const page = await (await fetch(link)).text()
  expect(page).toMatch(/<button type="submit">Approve<\/button>/)
  const form = /<form method="get"[^>]*><input type="hidden" name="user_code" value="([^"]+)"><input type="hidden" name="emulator_approve" value="1">/.exec(page)!
  const approve = new URL(link)
  approve.search = new URLSearchParams({ user_code: form[1]!.replace(/&#45;/g, '-'), emulator_approve: '1' }).toString()
  expect(await (await fetch(approve)).text()).toContain('Authorized')
  expect(await auth.done, auth.output()).toBe(0)

  // 2. doctor.
  const [, ...doctorArgs] = doctorLine.split(' ')
  const doctor = start(process.execPath, doctorArgs, env)
  expect(await doctor.done, doctor.output()).toBe(0)
  expect(doctor.output()).toContain('0 failed')

  // 3. the sync, twice: the second run spends the token the first one saved.
  for (let i = 0; i < 2; i++) {
    const sync = await fetch(syncUrl, { method: 'POST' })
    const summary = await sync.text()
    expect(summary, summary).toContain('Exit code 0.')
    expect(summary).toContain(i === 0 ? 'Everything was published; nothing needs you.' : 'unchanged')
  }
  // The device flow's polls and the code exchange hit the same endpoint; only the two refreshes count.
  expect(await (await fetch(checkUrl)).json()).toEqual({ secretMatchesLiveToken: true, refreshCalls: 2 })
}, 170_000)
