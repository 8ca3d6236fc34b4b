// `npm run demo` shows the product's point: it runs the bundle against the emulators, prints the summary as text
// (tables with separators, URLs rather than "open"), one converted page, then a one-paragraph edit that changes one
// block and keeps the rest and a reader's comment.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { expect, it } from 'vitest'
import { repoRoot } from '../helpers/action-runner.js'

it('npm run demo: summary text with table separators and URLs, one converted page, and "1 block changed, N kept, comments kept"', () => {
  const demo = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'demo.ts')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    encoding: 'utf8',
    timeout: 170_000,
  })
  expect(demo.status, demo.stdout + demo.stderr).toBe(0)
  const out = demo.stdout
  expect(out).toMatch(/\| File \| Title \| Status \| Wiki page \| Reason \| \n\|---\|---\|---\|---\|---\|\n\| docs\//)
  expect(out).toMatch(/\| docs\/getting-started\.md \| Getting started \| 🆕\u00a0created \| https:\/\/www\.feishu\.cn\/wiki\/wikcn\w+ \|/)
  expect(out).not.toContain('| open |')
  expect(out).toContain('--- docs/getting-started.md as the wiki page "Getting started"')
  expect(out).toContain('## 1. Create a Feishu app')
  expect(out).toMatch(/docs\/getting-started\.md: 1 block changed, \d+ kept, comments kept/)
  expect(out).toMatch(/=== Third sync, nothing changed: exit code 0, \d+ Feishu calls, 0 wiki\/docx\/drive writes/)
}, 180_000)
