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

describe('settings: mode check and mappings', () => {
  fs.mkdirSync(path.join(workspace, 'handbook', 'drafts'), { recursive: true })

  it('mode: check needs no secret, token, app or space, and is allowed on pull_request', () => {
    const env: Record<string, string> = { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'pull_request', INPUT_MODE: 'check' }
    const s = readSettings(envInputReader(env), env)
    expect(s).toMatchObject({ mode: 'check', failOnWarning: false, appSecret: '', refreshToken: undefined, githubToken: undefined })
    expect(s.mappings).toEqual([{ docsPath: path.join(workspace, 'docs'), docsPathInRepo: 'docs', spaceId: undefined, parentNode: undefined, exclude: [] }])
    expect(problemsOf({ mode: 'check', 'fail-on-warning': 'yes' })).toEqual(['fail-on-warning'])
  })

  it('the single-folder inputs make one mapping, exactly the settings they always made', () => {
    const s = settingsFrom({ path: 'docs', 'parent-node': 'wikcnP', exclude: 'a/**\n# note\nb.md' })
    expect(s.mappings).toEqual([{ docsPath: s.docsPath, docsPathInRepo: 'docs', spaceId: '123', parentNode: 'wikcnP', exclude: ['a/**', 'b.md'] }])
    expect(s).toMatchObject({ docsPathInRepo: 'docs', spaceId: '123', parentNode: 'wikcnP', exclude: ['a/**', 'b.md'] })
  })

  it('mappings: a YAML list; a space id keeps all its digits; exclude as a list or lines; space-id input as the default', () => {
    const s = settingsFrom({
      mappings: [
        '- path: docs',
        '  parent-node: wikcnDocs',
        '- path: handbook',
        '  space-id: 7034502641455497245',
        '  parent-node: https://acme.feishu.cn/wiki/wikcnHand?from=x',
        '  exclude: [drafts/**, "*.tmp.md"]',
      ].join('\n'),
    })
    expect(s.mappings.map((m) => ({ ...m, docsPath: undefined }))).toEqual([
      { docsPath: undefined, docsPathInRepo: 'docs', spaceId: '123', parentNode: 'wikcnDocs', exclude: [] },
      { docsPath: undefined, docsPathInRepo: 'handbook', spaceId: '7034502641455497245', parentNode: 'https://acme.feishu.cn/wiki/wikcnHand?from=x', exclude: ['drafts/**', '*.tmp.md'] },
    ])
  })

  it('mappings: every problem named with its line, before anything is spent', () => {
    const messages = (mappings: string, more: Record<string, string> = {}) => {
      try {
        settingsFrom({ mappings, ...more })
      } catch (error) {
        return (error as SettingsError).problems.map((p) => `${p.input}: ${p.message}`)
      }
      return []
    }
    expect(messages('- path: docs\n  parent-node: a\n- path: docs/../docs\n  parent-node: b')).toEqual([
      'mappings: the mappings on lines 1 (docs) and 3 (docs) overlap: a file would have a page in each. Give each mapping its own folder, or leave the inner folder out of the outer mapping with exclude.',
    ])
    expect(messages('- path: .\n  parent-node: a\n- path: handbook\n  parent-node: b')[0]).toContain('lines 1 (.) and 3 (handbook) overlap')
    expect(messages('- path: docs\n- path: handbook')).toEqual([
      'mappings: the mappings on lines 1 and 2 publish into the same parent (the top of space 123): each mapping owns its parent\'s pages, so each needs its own parent-node.',
    ])
    expect(messages('- path: docs\n  parent-node: wikcnX\n- path: handbook\n  parent-node: https://x.feishu.cn/wiki/wikcnX')[0]).toContain('same parent')
    expect(messages('- path: docs\n  parent: wikcnX')).toEqual(["mappings: mapping on line 1 has an unknown key 'parent'; the keys are path, space-id, parent-node, exclude."])
    expect(messages('- parent-node: x')).toEqual(['mappings: mapping on line 1 has no path: the docs folder (or .md file) to publish, relative to the repository.'])
    expect(messages('- path: nowhere\n  parent-node: x')[0]).toMatch(/^mappings \(mapping on line 1\): 'nowhere' does not exist/)
    expect(messages('path: docs')[0]).toContain('must be a YAML list')
    expect(messages('- path: [docs')[0]).toMatch(/^mappings: is not valid YAML \(line 1\)/)
    expect(messages('- path: docs\n  parent-node: a', { 'parent-node': 'b', exclude: 'x' })).toEqual([
      'parent-node: cannot be combined with mappings: give each mapping its own parent-node.',
      'exclude: cannot be combined with mappings: give each mapping its own exclude.',
    ])
    expect(messages('- path: docs\n  parent-node: a', { 'space-id': '' })).toEqual([
      'mappings: mapping on line 1 (docs) has no space-id, and the space-id input gives none for all mappings.',
    ])
  })
})
