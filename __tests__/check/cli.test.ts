// `feishu-wiki-sync check` as a real process (dist/cli/index.js when built, else the TypeScript entry through
// tsx): the same findings as the action's annotations, one "file:line:column: level: message" line each, the
// tree, and the exit codes.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { repoRoot } from '../../emulator/action-runner.js'
import { PROBLEM_FINDINGS, PROBLEM_TREE, writeTree } from './fixture.js'

const builtCli = path.join(repoRoot, 'dist', 'cli', 'index.js')
const command = fs.existsSync(builtCli) ? [builtCli] : ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'index.ts')]
const roots: string[] = []
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true })
})

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  // No token, no secret, no proxy in the environment: the command needs none.
  const child = spawn(process.execPath, [...command, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
  return { code, stdout, stderr }
}

it('check docs: every finding on its line, the tree, exit 1 for the file that would not publish', async () => {
  const root = writeTree(PROBLEM_TREE)
  roots.push(root)
  const { code, stdout, stderr } = await cli(['check', 'docs', '--exclude', 'drafts/**'], root)
  expect(code, stdout + stderr).toBe(1)
  const lines = stdout.split('\n')
  const findings = lines.filter((l) => /^docs\/\S+: (error|warning): /.test(l))
  expect(findings.map((l) => /^([^:]+):(\d+)(?::\d+)?: (error|warning): /.exec(l)!.slice(1, 4))).toEqual(
    PROBLEM_FINDINGS.map((f) => [f.file, String(f.line), f.level]),
  )
  PROBLEM_FINDINGS.forEach((f, i) => expect(findings[i]).toContain(f.says))
  expect(stdout).toContain('docs/index.md:4:3: warning: link nothere.md reaches nothing: there is no page, file or folder docs/nothere.md')
  expect(stdout).toContain(['docs → under the parent page: 4 file(s), 1 left out by exclude', '  bad  (docs/bad.md)', '  guide  (docs/guide/)', '    Intro  (docs/guide/intro.md)'].join('\n'))
  expect(stdout).toContain('Check: 1 error(s), 9 warning(s); the files with errors would fail to publish.')
  expect(stderr).toContain('error: 1 problem(s) would make files fail to publish.')
})

it('check with warnings only exits 0, and 1 with --fail-on-warning; a missing or overlapping path is a usage error', async () => {
  const root = writeTree({ 'docs/index.md': '# Home\n\nA [broken link](nothere.md).\n', 'handbook/a.md': '# A\n\nSee [home](../docs/index.md).\n' })
  roots.push(root)
  const ok = await cli(['check', 'docs', 'handbook'], root)
  expect(ok.code, ok.stdout + ok.stderr).toBe(0)
  expect(ok.stdout).toContain('docs/index.md:3:3: warning: link nothere.md')
  // A link into the other path is a page of the run, not a broken link.
  expect(ok.stdout).not.toContain('handbook/a.md:')
  expect((await cli(['check', 'docs', '--fail-on-warning'], root)).code).toBe(1)

  const missing = await cli(['check', 'nowhere'], root)
  expect(missing.code).toBe(2)
  expect(missing.stderr).toContain("error: path: 'nowhere' does not exist")
  const overlap = await cli(['check', 'docs', 'docs/sub/..'], root)
  expect(overlap.code).toBe(2)
  expect(overlap.stderr).toContain('overlap')
})
