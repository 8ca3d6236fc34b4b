// Flags: every mistake is a clear one-line error with exit code 2, before anything touches the network.
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAuthOptions, parseDoctorOptions } from '../../src/cli/args.js'
import { AUTH_USAGE, DOCTOR_USAGE, USAGE } from '../../src/cli/main.js'
import { accountsUrlFor } from '../../src/feishu/oauth.js'
import { runCli } from './helpers.js'

const AUTH = ['auth', '--repo', 'acme/handbook', '--app-id', 'cli_x']

async function usageError(argv: string[], message: string): Promise<string> {
  let network = false
  const r = await runCli(argv, {
    env: { FEISHU_APP_SECRET: 's', GH_TOKEN: 't' },
    runCommand: async () => {
      network = true
      return undefined
    },
  })
  expect(r.code, r.all).toBe(2)
  expect(r.stderr.split('\n')[0]).toBe(`error: ${message}`)
  expect(r.stdout).toBe('')
  expect(network).toBe(false)
  return r.stderr
}

describe('bad flags', () => {
  it('unknown flags and commands', async () => {
    const err = await usageError([...AUTH, '--frobnicate'], "unknown flag --frobnicate for 'auth'")
    expect(err).toContain("Run 'feishu-wiki-sync auth --help' for usage.")
    await usageError(['doctor', '-x'], "unknown flag -x for 'doctor'")
    await usageError(['doctor', '--port', '9'], "unknown flag --port for 'doctor'")
    await usageError(['sync'], "unknown command 'sync'")
    await usageError(['--repo', 'a/b'], 'unknown flag --repo; put flags after the command (auth, doctor or check)')
    await usageError([...AUTH, 'extra'], "unexpected argument 'extra' for 'auth'")
  })

  it('missing values', async () => {
    await usageError(['auth', '--app-id', 'cli_x', '--repo'], '--repo needs a value')
    await usageError(['auth', '--repo', '--app-id', 'cli_x'], '--repo needs a value')
    await usageError([...AUTH, '--environment='], '--environment needs a value')
    await usageError([...AUTH, '--browser=yes'], '--browser is a switch and takes no value')
    await usageError(['auth', '--repo', 'acme/handbook'], "--app-id is required (your app's App ID, cli_…, from the developer console)")
    await usageError(['auth', '--app-id', 'cli_x'], '--repo <owner>/<name> is required (the repository whose secret receives the token)')
  })

  it('a bad --repo', async () => {
    for (const repo of ['handbook', 'acme/', '/handbook', 'acme/hand/book', 'https://github.com/acme/handbook', 'ac me/x', 'acme/..']) {
      await usageError(['auth', '--app-id', 'cli_x', '--repo', repo], `--repo must be <owner>/<name>, like octo-org/handbook; got '${repo}'`)
    }
  })

  it('a bad secret name', async () => {
    for (const name of ['1TOKEN', 'GITHUB_TOKEN', 'github_x', 'MY-TOKEN', 'MY TOKEN']) {
      await usageError(
        [...AUTH, '--secret-name', name],
        `--secret-name '${name}' is not a valid GitHub secret name: letters, digits and underscores only, not starting with a digit or GITHUB_`,
      )
    }
  })

  it('a non-https base URL (loopback excepted)', async () => {
    await usageError(
      [...AUTH, '--base-url', 'http://open.feishu.cn'],
      "--base-url must use https (plain http only for a loopback address such as http://127.0.0.1:8080); got 'http://open.feishu.cn'",
    )
    await usageError([...AUTH, '--github-api-url', 'ftp://x'], "--github-api-url must use https (plain http only for a loopback address such as http://127.0.0.1:8080); got 'ftp://x'")
    await usageError([...AUTH, '--accounts-url', 'open.feishu.cn'], "--accounts-url must be an absolute URL such as https://open.feishu.cn; got 'open.feishu.cn'")
    await usageError(['doctor', '--base-url', 'https://open.feishu.cn/?x=1'], "--base-url must not have a query or fragment; got 'https://open.feishu.cn/?x=1'")
    const loopback = parseAuthOptions([...AUTH.slice(1), '--base-url', 'http://127.0.0.1:8080/'], {})
    expect(loopback).toMatchObject({ baseUrl: 'http://127.0.0.1:8080', accountsUrl: 'http://127.0.0.1:8080' })
  })

  it('ports, and flags that belong to --browser', async () => {
    for (const port of ['0', '65536', 'http', '-1']) {
      const message = port === '-1' ? '--port needs a value' : `--port must be a number from 1 to 65535; got '${port}'`
      await usageError([...AUTH, '--browser', '--port', port], message)
    }
    await usageError([...AUTH, '--port', '9000'], '--port is for --browser (the device flow needs no redirect URL)')
    await usageError([...AUTH, '--no-open'], '--no-open is for --browser (the device flow never opens a browser)')
    await usageError([...AUTH, '--print'], '--print writes nothing to GitHub, so it takes no --repo, --environment or --secret-name')
  })

  it('secrets are never flags, and the value is not echoed', async () => {
    const err = await usageError(
      [...AUTH, '--app-secret=hunter2-app-secret'],
      '--app-secret is not accepted. The app secret is never taken as a flag (it would stay in your shell history): set FEISHU_APP_SECRET, or run on a terminal to be asked for it.',
    )
    expect(err).not.toContain('hunter2')
    const r = await runCli([...AUTH, '--github-token', 'ghp_hunter2'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--github-token is not accepted')
    expect(r.all).not.toContain('ghp_hunter2')
    const r2 = await runCli(['doctor', '--refresh-token', 'urt_hunter2'])
    expect(r2.code).toBe(2)
    expect(r2.all).not.toContain('urt_hunter2')
  })
})

describe('defaults, help and version', () => {
  it('auth defaults: device flow, port 8123, accounts host derived from the base URL, GITHUB_API_URL honoured', () => {
    const o = parseAuthOptions(AUTH.slice(1), {})
    expect(o).toMatchObject({
      flow: 'device',
      port: 8123,
      open: true,
      print: false,
      secretName: 'FEISHU_REFRESH_TOKEN',
      baseUrl: 'https://open.feishu.cn',
      accountsUrl: 'https://accounts.feishu.cn',
      githubApiUrl: 'https://api.github.com',
      repo: { owner: 'acme', repo: 'handbook' },
    })
    expect(parseAuthOptions([...AUTH.slice(1), '--base-url', 'https://open.larksuite.com'], {})).toMatchObject({ accountsUrl: 'https://accounts.larksuite.com' })
    expect(parseAuthOptions([...AUTH.slice(1), '--browser', '--port', '9000', '--no-open'], {})).toMatchObject({ flow: 'browser', port: 9000, open: false })
    expect(parseAuthOptions(AUTH.slice(1), { GITHUB_API_URL: 'https://ghe.example.com/api/v3' })).toMatchObject({ githubApiUrl: 'https://ghe.example.com/api/v3' })
    expect(parseDoctorOptions(['--space-id', '7', '--parent-node', 'wikcn'], {})).toMatchObject({ spaceId: '7', parentNode: 'wikcn', repo: undefined, baseUrlGiven: false })
    expect(accountsUrlFor('https://feishu.corp.example')).toBe('https://feishu.corp.example')
  })

  it('--help, --version, and no command at all', async () => {
    expect(await runCli(['--help'])).toMatchObject({ code: 0, stdout: USAGE.endsWith('\n') ? USAGE : `${USAGE}\n` })
    expect(await runCli(['auth', '--help'])).toMatchObject({ code: 0, stdout: AUTH_USAGE })
    expect(await runCli(['doctor', '-h'])).toMatchObject({ code: 0, stdout: DOCTOR_USAGE })
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
    const none = await runCli([])
    expect(none.code).toBe(2)
    expect(none.stdout).toContain('Usage:')
  })
})
