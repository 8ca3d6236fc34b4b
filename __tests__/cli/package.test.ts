// The package as npm would ship it: `npm pack` the repository, install the tarball into an empty prefix (no
// registry: the bundle needs no dependencies), and run the installed `feishu-wiki-sync` bin from there, as
// `npx feishu-wiki-sync` will after a release.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/action-runner.js'

let dir: string
let prefix: string
let tarball: string
// The bin's shebang is `#!/usr/bin/env node`: Node 24 (this test's own) first on PATH, as on a user's machine.
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false' }

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-pack-'))
  prefix = path.join(dir, 'prefix')
  fs.mkdirSync(prefix)
  // --ignore-scripts: pack the dist/ that `npm test` just built (prepack would rebuild it, as a release does).
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot, env, encoding: 'utf8' })
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[]
  tarball = path.join(dir, info!.filename)
  fs.writeFileSync(path.join(dir, 'files.json'), JSON.stringify(info!.files.map((f) => f.path)))
  execFileSync('npm', ['install', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { env, encoding: 'utf8' })
}, 120_000)

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const bin = () => path.join(prefix, 'node_modules', '.bin', 'feishu-wiki-sync')
const run = (...args: string[]) => spawnSync(bin(), args, { cwd: prefix, env, encoding: 'utf8', timeout: 30_000 })

describe('the packed package', () => {
  it('holds the bundles and action.yml, and no sources, tests or source maps', () => {
    const files = JSON.parse(fs.readFileSync(path.join(dir, 'files.json'), 'utf8')) as string[]
    expect(files).toEqual(expect.arrayContaining(['dist/cli/index.js', 'dist/index.js', 'action.yml', 'package.json', 'README.md', 'LICENSE']))
    expect(files.filter((f) => f.endsWith('.map') || /^(src|__tests__|emulator|bench|scripts)\//.test(f))).toEqual([])
    const manifest = JSON.parse(fs.readFileSync(path.join(prefix, 'node_modules', 'feishu-wiki-sync', 'package.json'), 'utf8')) as {
      dependencies?: object
      engines?: { node?: string }
    }
    // The bundles carry their dependencies: `npx feishu-wiki-sync` downloads one tarball.
    expect(manifest.dependencies ?? {}).toEqual({})
    expect(manifest.engines?.node).toBe('>=24')
  })

  it('installed into an empty prefix, `feishu-wiki-sync --help`, `auth --help` and `doctor --help` work', () => {
    const help = run('--help')
    expect(help.status, help.stderr).toBe(0)
    expect(help.stdout).toContain('feishu-wiki-sync auth')
    const auth = run('auth', '--help')
    expect(auth.status, auth.stderr).toBe(0)
    expect(auth.stdout).toContain('Usage: feishu-wiki-sync auth')
    const doctor = run('doctor', '--help')
    expect(doctor.status, doctor.stderr).toBe(0)
    expect(doctor.stdout).toContain('Usage: feishu-wiki-sync doctor')
    const version = run('--version')
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version)
  })
})
