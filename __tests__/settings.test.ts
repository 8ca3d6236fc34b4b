import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { SettingsError, envInputReader, readSettings } from '../src/settings.js'

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-settings-'))
fs.mkdirSync(path.join(workspace, 'docs'))
fs.writeFileSync(path.join(workspace, 'notes.txt'), 'x')

function settingsFrom(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const all: Record<string, string> = {
    'INPUT_APP-ID': 'cli_x',
    'INPUT_APP-SECRET': 's3cret',
    'INPUT_REFRESH-TOKEN': 'r',
    'INPUT_GITHUB-TOKEN': 'g',
    'INPUT_SPACE-ID': '123',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'acme/handbook',
    ...env,
  }
  for (const [name, value] of Object.entries(inputs)) all[`INPUT_${name.toUpperCase()}`] = value
  return readSettings(envInputReader(all), all)
}

function problemsOf(inputs: Record<string, string>, env: Record<string, string> = {}): string[] {
  try {
    settingsFrom(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError)
    return (error as SettingsError).problems.map((p) => p.input)
  }
  return []
}

describe('settings', () => {
  it('applies the documented defaults and freezes the result', () => {
    const s = settingsFrom({})
    expect(s).toMatchObject({
      auth: 'user',
      mode: 'auto',
      onDelete: 'report',
      onRemoteEdit: 'overwrite',
      dryRun: false,
      failOnError: true,
      plantumlStyle: 'board',
      baseUrl: 'https://open.feishu.cn',
      githubApiUrl: 'https://api.github.com',
      secret: { name: 'FEISHU_REFRESH_TOKEN' },
      docsPathInRepo: 'docs',
      repository: { owner: 'acme', repo: 'handbook' },
    })
    expect(Object.isFrozen(s)).toBe(true)
  })

  it('reads inputs with hyphens kept, as the runner passes them', () => {
    const env = { 'INPUT_SECRET-ENVIRONMENT': 'prod', INPUT_SECRET_ENVIRONMENT: 'wrong' }
    expect(settingsFrom({}, env).secret.environment).toBe('prod')
  })

  it('github-api-url defaults to the runner GITHUB_API_URL (GitHub Enterprise)', () => {
    expect(settingsFrom({}, { GITHUB_API_URL: 'https://ghe.example.com/api/v3' }).githubApiUrl).toBe('https://ghe.example.com/api/v3')
  })

  it('reports every problem at once, each naming its input', () => {
    const problems = problemsOf({ mode: 'often', 'on-delete': 'burn', 'on-remote-edit': 'merge', 'dry-run': 'maybe', 'secret-name': 'GITHUB_X', 'base-url': 'ftp://x', 'plantuml-style': 'svg' })
    expect(problems.sort()).toEqual(['base-url', 'dry-run', 'mode', 'on-delete', 'on-remote-edit', 'plantuml-style', 'secret-name'])
  })

  it.each(['GITHUB_TOKEN', '1ABC', 'HAS-DASH', 'has space'])('rejects secret name %j', (name) => {
    expect(problemsOf({ 'secret-name': name })).toEqual(['secret-name'])
  })

  it.each(['FEISHU_REFRESH_TOKEN', 'token_2', 'gh_like_but_ok'])('accepts secret name %j', (name) => {
    expect(settingsFrom({ 'secret-name': name }).secret.name).toBe(name)
  })

  it('allows plain http only for a loopback emulator', () => {
    expect(settingsFrom({ 'base-url': 'http://127.0.0.1:8080/' }).baseUrl).toBe('http://127.0.0.1:8080')
    expect(problemsOf({ 'base-url': 'http://open.feishu.cn' })).toEqual(['base-url'])
    expect(problemsOf({ 'github-api-url': 'http://ghe.internal' })).toEqual(['github-api-url'])
  })

  it('needs the user-identity inputs only with auth: user', () => {
    expect(problemsOf({ 'refresh-token': '', 'github-token': '' }).sort()).toEqual(['github-token', 'refresh-token'])
    expect(settingsFrom({ auth: 'app', 'refresh-token': '', 'github-token': '' }).auth).toBe('app')
  })

  it('checks path only in publishing modes, so a rotate-only keepalive needs no checkout', () => {
    expect(problemsOf({ path: 'missing', mode: 'all' })).toEqual(['path'])
    expect(problemsOf({ path: '../outside', mode: 'all' })).toEqual(['path'])
    expect(problemsOf({ path: 'notes.txt', mode: 'all' })).toEqual(['path'])
    expect(settingsFrom({ path: 'missing', mode: 'rotate-only', 'space-id': '' }).mode).toBe('rotate-only')
  })

  it('needs space-id except in rotate-only, and my_library only with the user identity', () => {
    expect(problemsOf({ 'space-id': '' })).toEqual(['space-id'])
    expect(problemsOf({ auth: 'app', 'space-id': 'my_library' })).toEqual(['space-id'])
    expect(settingsFrom({ 'space-id': 'my_library' }).spaceId).toBe('my_library')
  })

  it('refuses pull-request events for the user identity, and allows an app dry-run preview', () => {
    for (const event of ['pull_request', 'pull_request_target']) {
      expect(problemsOf({}, { GITHUB_EVENT_NAME: event })).toEqual(['auth'])
    }
    expect(settingsFrom({ auth: 'app', 'dry-run': 'true' }, { GITHUB_EVENT_NAME: 'pull_request' }).dryRun).toBe(true)
    expect(problemsOf({ auth: 'app' }, { GITHUB_EVENT_NAME: 'pull_request' })).toEqual(['auth'])
  })

  it('reads before/after from a push event payload', () => {
    const eventPath = path.join(workspace, 'event.json')
    fs.writeFileSync(eventPath, JSON.stringify({ before: 'a'.repeat(40), after: 'b'.repeat(40) }))
    const s = settingsFrom({}, { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: eventPath })
    expect(s.push).toEqual({ before: 'a'.repeat(40), after: 'b'.repeat(40) })
  })

  it('excludes are trimmed lines, without blanks or comments', () => {
    expect(settingsFrom({ exclude: ' drafts/** \n\n# note\n*.tmp.md' }).exclude).toEqual(['drafts/**', '*.tmp.md'])
  })

  it('never puts a secret value into a problem message', () => {
    try {
      settingsFrom({ 'app-secret': 'TOPSECRET', mode: 'bad' })
    } catch (error) {
      expect((error as Error).message).not.toContain('TOPSECRET')
    }
  })
})
