// The CLI as a real process (dist/cli/index.js) facing hostile input: any web page can make the browser load the
// loopback redirect (an <img src>), and servers choose the strings the CLI prints. A callback without our state
// must not end the sign-in, and no escape sequence of theirs may reach the terminal.
import { spawn } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import net from 'node:net'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { repoRoot } from '../../emulator/action-runner.js'
import { type SeededWorld, startSeededWorld } from '../../emulator/seed.js'

const REPO = 'acme/handbook'
const CLI = path.join(repoRoot, 'dist', 'cli', 'index.js')
/** C0 controls other than tab and line feed, DEL, and C1 controls. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/
const ESCAPES = '\u001b[2J\u001b]0;pwned\u0007\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u009b31m'

let world: SeededWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

function startCli(args: string[], w: SeededWorld) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', FEISHU_APP_SECRET: w.app.appSecret, GH_TOKEN: w.githubToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = []
  const onData = (chunk: Buffer) => {
    out += chunk.toString()
    for (const waiter of [...waiters]) {
      const m = waiter.re.exec(out)
      if (m) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(m)
      }
    }
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000)
  let exited: number | undefined
  const exit = new Promise<number>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      exited = code ?? -1
      resolve(exited)
    }),
  )
  return {
    exit,
    get exited() {
      return exited
    },
    get output() {
      return out
    },
    waitFor: (re: RegExp) =>
      new Promise<RegExpMatchArray>((resolve) => {
        const m = re.exec(out)
        if (m) resolve(m)
        else waiters.push({ re, resolve })
      }),
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

it('8a. a loopback callback without our state (error= from any web page) is refused; the real sign-in still ends it, and its error text reaches the terminal without escape sequences', async () => {
  const port = await freePort()
  const w = (world = await startSeededWorld({ feishu: { redirectUris: [`http://127.0.0.1:${port}/callback`] } }))
  const cli = startCli(['auth', '--repo', REPO, '--app-id', w.app.appId, '--base-url', w.feishu.url, '--github-api-url', w.github.url, '--browser', '--port', String(port), '--no-open'], w)
  const url = new URL((await cli.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/open-apis\/authen\/v1\/authorize\?\S+)/))[1]!)
  await cli.waitFor(/Waiting for the browser/)
  const state = url.searchParams.get('state')!

  // What an <img src> on any page could send: no state, or a wrong one.
  const evil = `error=access_denied&error_description=${encodeURIComponent(`declined ${ESCAPES}`)}`
  for (const query of [evil, `${evil}&state=not-ours`]) {
    const answer = await fetch(`http://127.0.0.1:${port}/callback?${query}`)
    expect(answer.status).toBe(400)
  }
  await cli.waitFor(/ignored a callback without state/)
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(cli.exited, `the sign-in was ended by a forged callback:\n${cli.output}`).toBeUndefined()

  // The real redirect, carrying our state, with an error whose text holds escape sequences.
  const real = await fetch(`http://127.0.0.1:${port}/callback?state=${state}&error=server_error&error_description=${encodeURIComponent(`bad ${ESCAPES} luck`)}`)
  expect(real.status).toBe(200)
  expect(await cli.exit).toBe(1)
  expect(cli.output).toContain('error=server_error')
  expect(cli.output).toContain('bad [2J]0;pwned]8;;https://evil.exampleclick]8;;31m luck')
  expect(cli.output, 'a control character reached the terminal').not.toMatch(CONTROL)
}, 60_000)

it('8b. device-flow strings from the server are printed without control characters', async () => {
  const w = (world = await startSeededWorld())
  // A sign-in host whose device authorization answer carries escape sequences in every string the CLI prints.
  const accounts = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          device_code: 'dev-code',
          user_code: `CODE${ESCAPES}`,
          verification_uri: `https://accounts.example/verify${ESCAPES}`,
          verification_uri_complete: `https://accounts.example/verify?code=CODE${ESCAPES}`,
          expires_in: 3,
          interval: 1,
        }),
      )
    })
  })
  await new Promise<void>((resolve) => accounts.listen(0, '127.0.0.1', resolve))
  try {
    const accountsUrl = `http://127.0.0.1:${(accounts.address() as AddressInfo).port}`
    const cli = startCli(['auth', '--repo', REPO, '--app-id', w.app.appId, '--base-url', w.feishu.url, '--accounts-url', accountsUrl, '--github-api-url', w.github.url], w)
    await cli.waitFor(/User code/)
    const code = await cli.exit
    expect(code).not.toBe(0)
    expect(cli.output).toContain('CODE[2J]0;pwned')
    expect(cli.output, 'a control character reached the terminal').not.toMatch(CONTROL)
  } finally {
    await new Promise<void>((resolve) => accounts.close(() => resolve()))
  }
}, 60_000)
