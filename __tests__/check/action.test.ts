// mode: check as real runs of the bundled action (`node dist/index.js` with the runner's environment), with no
// secret at all. Every URL the action could reach (Feishu, GitHub, and any proxy) points at a server that
// records requests: a check must make none.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ActionRun, runAction } from '../helpers/action-runner.js'
import { PROBLEM_FINDINGS, PROBLEM_TREE, writeTree } from './fixture.js'

let recorder: http.Server
let recorderUrl: string
const requests: string[] = []
const workspaces: string[] = []

beforeAll(async () => {
  recorder = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    // A final refusal (app secret invalid), so a run that reaches out stops at once.
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 10014, msg: 'app secret invalid' }))
  })
  // Through the proxy variables a request arrives as a CONNECT.
  recorder.on('connect', (req: http.IncomingMessage, socket: import('node:net').Socket) => {
    requests.push(`CONNECT ${req.url}`)
    socket.destroy()
  })
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve))
  recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => recorder.close(resolve))
  for (const w of workspaces) fs.rmSync(w, { recursive: true, force: true })
})

/** A check run with only the inputs a pull-request workflow from a fork can give: no secret of any kind. */
async function check(
  files: Record<string, string | Uint8Array>,
  inputs: Record<string, string> = {},
  eventName = 'pull_request',
  proxies = true,
): Promise<ActionRun> {
  const workspace = writeTree(files)
  workspaces.push(workspace)
  requests.length = 0
  return runAction({
    workspace,
    eventName,
    eventPayload: eventName === 'pull_request' ? { pull_request: { number: 7, head: { repo: { fork: true } } } } : {},
    inputs: { mode: 'check', path: 'docs', 'base-url': recorderUrl, 'github-api-url': recorderUrl, ...inputs },
    env: {
      GITHUB_REPOSITORY: 'acme/handbook',
      GITHUB_API_URL: recorderUrl,
      ...(proxies ? { HTTP_PROXY: recorderUrl, HTTPS_PROXY: recorderUrl, NODE_USE_ENV_PROXY: '1' } : {}),
    },
  })
}

describe('mode: check (bundled action, no secrets)', () => {
  it('annotates every problem at its file and line, shows the tree, fails on the file that would not publish, and makes no request', async () => {
    const run = await check(PROBLEM_TREE, { exclude: 'drafts/**' })
    expect(run.exitCode, run.stdout + run.stderr).toBe(1)
    expect(requests).toEqual([])
    expect(run.masked).toEqual([])

    const fileAnnotations = run.annotations.filter((a) => a.file !== undefined)
    expect(fileAnnotations.map((a) => ({ level: a.level, file: a.file, line: a.line }))).toEqual(
      PROBLEM_FINDINGS.map(({ level, file, line }) => ({ level, file, line })),
    )
    PROBLEM_FINDINGS.forEach((f, i) => expect(fileAnnotations[i]!.message).toContain(f.says))
    // The one error without a file is the step's failure.
    expect(run.annotations.filter((a) => a.file === undefined).map((a) => a.message)).toEqual([
      '1 problem(s) would make files fail to publish; see the annotations and the job summary.',
    ])
    // Fine links are not reported: the guide, the good anchor, #home (the title heading) and /README.md.
    expect(run.stdout).not.toMatch(/file=docs\/index.md,line=(3|7),/)
    expect(run.stdout).not.toMatch(/file=docs\/guide\/intro.md,line=5,/)

    expect(run.summary).toContain('<h3>Check (nothing was spent, read or written)</h3>')
    expect(run.summary).toContain('Check: 1 error(s), 9 warning(s)')
    expect(run.summary).toContain(
      ['<pre>bad  (docs/bad.md)', 'guide  (docs/guide/)', '  Intro  (docs/guide/intro.md)', '  Intro  (docs/guide/other.md)', 'Home  (docs/index.md)</pre>'].join('\n'),
    )
    expect(run.outputs['token-rotated']).toBe('false')
  })

  it('warnings alone pass the step, and fail it with fail-on-warning: true', async () => {
    const files = { 'docs/index.md': '# Home\n\nA [broken link](nothere.md).\n' }
    const passing = await check(files)
    expect(passing.exitCode, passing.stdout).toBe(0)
    expect(passing.annotations).toEqual([{ level: 'warning', file: 'docs/index.md', line: 3, message: expect.stringContaining('there is no page, file or folder docs/nothere.md') }])
    expect(passing.summary).toContain('Check: 0 error(s), 1 warning(s); every file would publish.')

    const strict = await check(files, { 'fail-on-warning': 'true' })
    expect(strict.exitCode).toBe(1)
    expect(strict.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      '1 warning(s), and fail-on-warning is true; see the annotations and the job summary.',
    ])
    expect(requests).toEqual([])
  })

  it('runs on a pull_request event with auth: user and none of app-id, app-secret, refresh-token, github-token', async () => {
    const run = await check({ 'docs/index.md': '# Home\n\nSee [the guide](guide.md).\n', 'docs/guide.md': '# Guide\n' }, { auth: 'user' })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(run.annotations).toEqual([])
    expect(run.summary).toContain('<pre>Guide  (docs/guide.md)\nHome  (docs/index.md)</pre>')
    expect(run.summary).toContain('Publishing: skipped (mode: check).')
    expect(requests).toEqual([])
  })

  it('on a pull_request event every other mode is still refused before anything is spent', async () => {
    const run = await check({ 'docs/index.md': '# Home\n' }, { mode: 'all', 'app-id': 'cli_x', 'app-secret': 's', 'refresh-token': 'r', 'github-token': 'g', 'space-id': 'sp' })
    expect(run.exitCode).toBe(2)
    expect(run.summary).toContain('refusing to run on pull_request')
    expect(run.summary).toContain('use mode: check on pull requests')
    expect(requests).toEqual([])
  })

  it('the recorder does see a run that reaches out (so its silence above means something)', async () => {
    const run = await check({ 'docs/index.md': '# Home\n' }, { mode: 'all', auth: 'app', 'app-id': 'cli_x', 'app-secret': 'app-secret-value', 'space-id': 'sp' }, 'workflow_dispatch', false)
    expect(run.exitCode, run.stdout).not.toBe(0)
    expect(requests.length).toBeGreaterThan(0)
  })
})
