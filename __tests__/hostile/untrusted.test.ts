// A docs folder is untrusted input (it arrives through pull requests), and so are the servers behind the URL
// inputs. One runner-style run (`node dist/index.js` against the emulators, RUNNER_DEBUG=1) per attack class:
// workflow-command injection, summary injection, files outside `path`, image memory, link schemes, secrets in
// error text, "not sent" told from "lost", and the deletion cap. Each of these failed before its fix.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { gfmFromMarkdown } from 'mdast-util-gfm'
import { gfm } from 'micromark-extension-gfm'
import { describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import { type ActionRun, expectNoLeaks } from '../helpers/action-runner.js'
import { describeRun, pagesOf } from '../helpers/fault-matrix.js'
import { type World, startWorld } from '../helpers/world.js'
import { RSS_PROBE } from './inputs.js'

const SCALE = 10
const MiB = 1024 * 1024

/** A 1×1 PNG (valid signature and chunks), with one byte varied by `seed`. */
const PNG = (seed = 0x60) =>
  Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489' +
      `0000000d49444154789c63${seed.toString(16).padStart(2, '0')}00000002000154a24f5d0000000049454e44ae426082`,
    'hex',
  )

async function withWorld(
  files: Record<string, string | Uint8Array>,
  body: (world: World, parent: string) => Promise<void>,
  setup?: (world: World) => void,
): Promise<void> {
  const world = await startWorld({ feishu: { clock: scaledClock(SCALE) }, files })
  try {
    setup?.(world)
    const parent = world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
    await body(world, parent)
  } finally {
    await world.close()
  }
}

function publish(world: World, parent: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  return world.run({ timeScale: SCALE, timeoutMs: 150_000, inputs: { mode: 'all', 'parent-node': parent, ...inputs }, env })
}

/** No piece of 12 or more characters of any secret appears anywhere a person or the runner can read. */
function expectNoSecretFragments(run: ActionRun, secrets: string[], min = 12): void {
  const visible = [run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n')
  for (const secret of secrets) {
    for (let i = 0; i + min <= secret.length; i++) {
      const piece = secret.slice(i, i + min)
      expect(visible.includes(piece), `a ${min}-character piece of a secret (at ${i}) is visible`).toBe(false)
    }
  }
}

/** Workflow commands the action itself issues: annotations, debug lines, masks of its secrets, groups. */
const OWN_COMMANDS = new Set(['debug', 'warning', 'error', 'notice', 'add-mask', 'group', 'endgroup'])

describe.concurrent('a docs folder and its servers are untrusted', () => {
  it('7. not sent is not lost: with base-url http://127.0.0.1:9 the refresh is reported as not sent, the token intact, exit not 3', async () => {
    await withWorld({ 'docs/a.md': '# A\n' }, async (world) => {
      const before = world.currentRefreshToken()
      const run = await world.run({ timeScale: SCALE, inputs: { 'base-url': 'http://127.0.0.1:9' } })
      expect(run.exitCode, describeRun(run)).not.toBe(3)
      expect(run.exitCode).toBe(5)
      expect(run.summary).not.toMatch(/lost in transit/i)
      expect(run.summary).toMatch(/was not sent/)
      expect(run.summary).toMatch(/bad port/)
      expect(run.summary).toMatch(/not spent and is intact/)
      expect(run.summary).toMatch(/network .*base-url|base-url.*network/)
      expect(run.summary).not.toContain('npx feishu-wiki-sync auth')
      expect(world.feishu.liveRefreshToken(), 'the token was not spent').toBe(before)
      expect(world.github.secretValue('acme/handbook', 'FEISHU_REFRESH_TOKEN'), 'the secret still holds the unspent token').toBe(before)
      expectNoLeaks(run, world.secrets())
    })
  }, 120_000)

  it('6. no secret in error text: an echoing proxy as base-url, a cut answer, and a github-token with a line break', async () => {
    // A "proxy" that hands every request back as its answer: status 502 with the body as text (a cut at 200
    // characters used to leave a piece of the refresh token), then 400 with the body inside Feishu-like JSON.
    let asJson = false
    const echo = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        if (asJson) {
          res.writeHead(400, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ code: 20026, msg: `echo: ${body}`, error_description: `you sent ${body}` }))
        } else {
          res.writeHead(502, { 'content-type': 'text/plain' })
          res.end(`${'x'.repeat(60)} ${body} ${req.headers.authorization ?? ''}`)
        }
      })
    })
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
    const proxy = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`
    try {
      await withWorld({ 'docs/a.md': '# A\n' }, async (world) => {
        const secrets = () => world.secrets()
        const text = await world.run({ timeScale: SCALE, inputs: { 'base-url': proxy } })
        expect(text.exitCode, describeRun(text)).not.toBe(0)
        expectNoLeaks(text, secrets())
        expectNoSecretFragments(text, secrets())
        expect(text.summary).not.toContain('client_secret')
        asJson = true
        const json = await world.run({ timeScale: SCALE, inputs: { 'base-url': proxy } })
        expect(json.exitCode, describeRun(json)).not.toBe(0)
        expectNoLeaks(json, secrets())
        expectNoSecretFragments(json, secrets())

        // A github-token with a line break: named by its input, never shown.
        const broken = 'github_pat_11BROKEN\nSECRETTAIL0123456789abcdef'
        const header = await world.run({ timeScale: SCALE, inputs: { 'github-token': broken } })
        expect(header.exitCode, describeRun(header)).toBe(2)
        expect(header.summary).toMatch(/github-token/)
        for (const part of [broken, ...broken.split('\n')]) expectNoLeaks(header, [part])
        expectNoSecretFragments(header, [...secrets(), 'SECRETTAIL0123456789abcdef'])
      })
    } finally {
      await new Promise<void>((resolve) => echo.close(() => resolve()))
    }
  }, 180_000)

  it('4. one 15 MB image shown 60 times: read once, uploaded once per image block, peak RSS under 300 MiB', async () => {
    // A PNG signature and header, then 15 MB of incompressible bytes.
    const big = Buffer.concat([PNG(0x64).subarray(0, 33), Buffer.alloc(15 * MiB, 0).map((_, i) => (i * 2654435761) >>> 24)])
    const lines = ['# Gallery', '']
    for (let i = 0; i < 60; i++) lines.push(`![copy ${i}](img/big.png)`, '')
    await withWorld({ 'docs/img/big.png': big, 'docs/gallery.md': lines.join('\n') }, async (world, parent) => {
      const rssDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-rss-'))
      const rssFile = path.join(rssDir, 'maxrss')
      try {
        const run = await publish(world, parent, {}, { NODE_OPTIONS: `--require ${RSS_PROBE}`, FWS_RSS_FILE: rssFile })
        const rssMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024
        console.log(`15 MB image x 60: peak RSS ${rssMiB.toFixed(0)} MiB, ${(run.durationMs / 1000).toFixed(1)} s, ${world.feishu.uploads().length} uploads`)
        expect(pagesOf(run).find((p) => p.path === 'docs/gallery.md')?.status, describeRun(run)).toBe('created')
        // Feishu binds an upload to one image block (parent_node = the block id), so each block gets its own.
        const uploads = world.feishu.uploads()
        // (A retry after an upload whose answer was lost under load may add one: uploads are retry-safe.)
        expect(uploads.length).toBeGreaterThanOrEqual(60)
        expect(uploads.length).toBeLessThanOrEqual(63)
        expect(new Set(uploads.map((u) => u.parentNode)).size).toBe(60)
        expect(uploads.every((u) => u.size === big.length)).toBe(true)
        expect(rssMiB).toBeLessThanOrEqual(300)
        expectNoLeaks(run, world.secrets())
      } finally {
        fs.rmSync(rssDir, { recursive: true, force: true })
      }
    })
  }, 300_000)

  it('5. links: only http, https and mailto become link targets; javascript:, data:, vbscript:, file: stay text with a warning', async () => {
    const page = [
      '# Links',
      '',
      '[js](javascript:alert(document.cookie))',
      '',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '',
      '[vb](vbscript:msgbox(1))',
      '',
      '[file](file:///etc/passwd)',
      '',
      '<a href="java&#x09;script:alert(2)">tabbed</a> and [upper](JaVaScRiPt:alert(3))',
      '',
      '[web](https://example.com/a) [mail](mailto:docs@example.com) [page](other.md) [src](../README.md)',
      '',
    ].join('\n')
    await withWorld({ 'docs/links.md': page, 'docs/other.md': '# Other\n', 'README.md': '# Repo\n' }, async (world, parent) => {
      const run = await publish(world, parent)
      expect(pagesOf(run).find((p) => p.path === 'docs/links.md')?.status, describeRun(run)).toBe('created')
      const node = world.feishu.nodes(world.spaceId).find((n) => n.title === 'Links')!
      const urls = world.feishu.docs
        .listBlocks(node.obj_token, 500)
        .items!
        .flatMap((b) => Object.values(b as Record<string, unknown>))
        .flatMap((v) => ((v as { elements?: { text_run?: { text_element_style?: { link?: { url: string } } } }[] })?.elements ?? []))
        .map((e) => e.text_run?.text_element_style?.link?.url)
        .filter((u): u is string => typeof u === 'string')
        .map((u) => decodeURIComponent(u))
      const schemes = urls.map((u) => /^([a-z][a-z0-9+.-]*):/i.exec(u)?.[1]?.toLowerCase())
      expect(schemes.every((s) => s === 'http' || s === 'https' || s === 'mailto'), urls.join('\n')).toBe(true)
      expect(urls).toContain('https://example.com/a')
      expect(urls).toContain('mailto:docs@example.com')
      expect(urls.some((u) => u.startsWith('https://github.com/acme/handbook/blob/main/README.md'))).toBe(true)
      const text = world.feishu.docs.render(node.obj_token)
      for (const word of ['js', 'data', 'vb', 'file', 'tabbed', 'upper']) expect(text).toContain(word)
      // Warnings are grouped (one annotation per kind per file, at its first line, naming the other lines); every
      // single one is a line of the log.
      const group = run.annotations.find((a) => a.level === 'warning' && a.file === 'docs/links.md' && a.line === 3)
      expect(group?.message, describeRun(run)).toMatch(/javascript:.*\[6 "link-scheme" warnings in this file \(also at lines 5, 7, 9, 11/)
      for (const [line, scheme] of [[3, 'javascript'], [5, 'data'], [7, 'vbscript'], [9, 'file'], [11, 'javascript']] as const) {
        expect(run.stdout.split('\n').some((l) => l.startsWith(`docs/links.md:${line}: `) && l.includes(`scheme ${scheme}:`)), `line ${line}\n${describeRun(run)}`).toBe(true)
      }
      expectNoLeaks(run, world.secrets())
    })
  }, 180_000)

  it('9. deletion cap: more than 10 removals in one run stop before any write, even under half; max-removals goes past it on purpose', async () => {
    const files: Record<string, string> = {}
    for (let i = 1; i <= 30; i++) files[`docs/p${String(i).padStart(2, '0')}.md`] = `# Page ${i}\n\nBody ${i}.\n`
    await withWorld(files, async (world, parent) => {
      const first = await publish(world, parent, { 'on-delete': 'delete' })
      expect(first.outputs.created, describeRun(first)).toBe('30')
      // A pull request removes 12 of the 30 files: under half, but more than one run may remove.
      for (let i = 1; i <= 12; i++) fs.rmSync(path.join(world.workspace, 'docs', `p${String(i).padStart(2, '0')}.md`))
      const stopped = await publish(world, parent, { 'on-delete': 'delete' })
      expect(stopped.summary, describeRun(stopped)).toContain('Stopped by the safety cap')
      expect(stopped.summary).toContain('more than the 10 one run may remove')
      expect(stopped.summary).toContain('max-removals: 12')
      expect(stopped.outputs.deleted).toBe('0')
      expect(world.feishu.nodes(world.spaceId).filter((n) => /^Page \d+$/.test(n.title))).toHaveLength(30)
      // On purpose: max-removals lets this one run go past the caps.
      const meant = await publish(world, parent, { 'on-delete': 'delete', 'max-removals': '12' })
      // Every one of the 12 was removed, or failed by name (a delete whose answer is lost under load).
      expect(Number(meant.outputs.deleted) + Number(meant.outputs.failed), describeRun(meant)).toBe(12)
      expect(Number(meant.outputs.deleted), describeRun(meant)).toBeGreaterThanOrEqual(10)
      expect(world.feishu.nodes(world.spaceId).filter((n) => /^Page \d+$/.test(n.title)).length).toBeLessThanOrEqual(20)
      // A bad value is refused before anything is spent.
      const bad = await publish(world, parent, { 'max-removals': 'lots' })
      expect(bad.exitCode).toBe(2)
      expect(bad.summary).toContain("Input 'max-removals'")
      expectNoLeaks(meant, world.secrets())
    })
  }, 240_000)

  it('9. deletion cap cannot be ratcheted: 6 → 3 → 2 → 1 stops at 2 and at 1, counted against the 6 the state remembers; max-removals goes through and resets the mark', async () => {
    const files: Record<string, string> = {}
    for (let i = 1; i <= 6; i++) files[`docs/p${i}.md`] = `# Page ${i}\n\nBody ${i}.\n`
    await withWorld(files, async (world, parent) => {
      const pagesLeft = () => world.feishu.nodes(world.spaceId).filter((n) => /^Page \d+$/.test(n.title) && n.parent_node_token === parent).length
      const keepOnly = (n: number) => {
        for (let i = n + 1; i <= 6; i++) fs.rmSync(path.join(world.workspace, 'docs', `p${i}.md`), { force: true })
      }
      const mark = () => {
        const state = world.feishu.nodes(world.spaceId).find((n) => n.title === 'feishu-wiki-sync state (do not edit)')!
        const code = world.feishu.docs.listBlocks(state.obj_token, 500).items.find((b) => b.block_type === 14) as unknown as { code: { elements: { text_run: { content: string } }[] } }
        return (JSON.parse(code.code.elements.map((e) => e.text_run.content).join('')) as { state: { lastFullSync?: { owned: number } } }).state.lastFullSync?.owned
      }
      const first = await publish(world, parent, { 'on-delete': 'archive' })
      expect(first.outputs.created, describeRun(first)).toBe('6')
      expect(mark()).toBe(6)
      // 6 → 3: half of the 6, not more: allowed (the rule is "more than half").
      keepOnly(3)
      const half = await publish(world, parent, { 'on-delete': 'archive' })
      expect(half.outputs.archived, describeRun(half)).toBe('3')
      expect(pagesLeft()).toBe(3)
      expect(mark(), 'the mark stays at the most pages owned').toBe(6)
      // 3 → 2: one of the three left, but 4 of the 6 the action owned: the ratchet stops here.
      keepOnly(2)
      const second = await publish(world, parent, { 'on-delete': 'archive' })
      expect(second.summary, describeRun(second)).toContain('Stopped by the safety cap')
      expect(second.summary).toContain('Counted against the 6 pages it owned at its most')
      // The lead on the one page not archived does not claim the others were published: the run changed nothing.
      expect(second.summary).toContain('1 of 3 pages failed to publish</strong>; the run stopped at the safety cap before changing anything')
      expect(second.outputs.archived).toBe('0')
      expect(pagesLeft()).toBe(3)
      // 2 → 1 (the next file gone too): still counted against 6.
      keepOnly(1)
      const third = await publish(world, parent, { 'on-delete': 'archive' })
      expect(third.summary, describeRun(third)).toContain('Stopped by the safety cap')
      expect(third.summary).toContain('max-removals: 2')
      expect(pagesLeft()).toBe(3)
      expect(mark()).toBe(6)
      // On purpose: max-removals lets it through, and the mark becomes what is left.
      const meant = await publish(world, parent, { 'on-delete': 'archive', 'max-removals': '2' })
      expect(meant.outputs.archived, describeRun(meant)).toBe('2')
      expect(pagesLeft()).toBe(1)
      expect(mark(), 'a deliberate removal lowers the mark').toBe(1)
      // Growing again raises it.
      fs.writeFileSync(path.join(world.workspace, 'docs', 'p7.md'), '# Page 7\n')
      const grow = await publish(world, parent, { 'on-delete': 'archive' })
      expect(grow.outputs.created, describeRun(grow)).toBe('1')
      expect(mark()).toBe(2)
      expectNoLeaks(meant, world.secrets())
    })
  }, 300_000)

  it('1. workflow commands: a file name and a title that carry ::commands:: and ##[commands] issue none of them', async () => {
    const evilName = 'docs/a\n::error title=X::injected error\n::add-mask::Wiki\n::stop-commands::pwn\nz.md'
    const files = {
      [evilName]: '# Innocent\n\nBody.\n',
      'docs/title.md': 'Setext title\n::warning title=Y::from a title\n  ::add-mask::Handbook ##[add-mask]Normal\n===\n\nBody.\n',
      'docs/normal.md': '# Normal\n\n![missing](img/missing.png)\n',
    }
    await withWorld(files, async (world, parent) => {
      const run = await publish(world, parent)
      const commands = run.stdout
        .split(/\r?\n/)
        .map((line) => line.trimStart())
        .filter((line) => line.startsWith('::'))
      for (const line of commands) {
        const info = /^::(.*?)::/.exec(line)?.[1] ?? ''
        const name = info.split(' ')[0]!
        expect(OWN_COMMANDS.has(name), `a command the action did not mean to issue: ${line}`).toBe(true)
        expect(info, line).not.toMatch(/title=X|title=Y/)
        if (name === 'add-mask') expect(world.secrets().some((s) => line.slice('::add-mask::'.length) === s || line.includes(s.slice(0, 8))), line).toBe(true)
      }
      expect(run.stdout).not.toMatch(/^\s*::stop-commands::/m)
      expect(run.stdout, 'no old-style ##[command] anywhere in a line').not.toContain('##[')
      expect(run.masked).not.toContain('Wiki')
      expect(run.masked).not.toContain('Handbook')
      // The action's own annotations still arrive (a missing image warns on its line).
      expect(run.annotations.some((a) => a.level === 'warning' && a.file === 'docs/normal.md')).toBe(true)
      // The page is still listed, its name escaped where the log shows it.
      expect(run.stdout).toContain('docs/a\\n::error title=X::injected error\\n::add-mask::Wiki')
      expectNoLeaks(run, world.secrets())
    })
  }, 180_000)

  it('2. the job summary: Markdown and HTML in file names, titles and error texts stay text inside their cell', async () => {
    const injected = '\n\n# Injected heading\n\n<https://evil.example/autolink>\n\n[a link](https://evil.example/l)\n\n![an image](https://evil.example/i.png)\n\n'
    const files: Record<string, string | Uint8Array> = {
      [`docs/x${injected}y.md`]: '# Page\n\nBody.\n',
      'docs/html.md': '# <img src="https://evil.example/t.png"> **bold** <script>alert(1)</script> [l](https://evil.example/t)\n\nBody.\n',
      'docs/setext.md': `Two line\n# not a heading\n==========\n\nBody.\n`,
      // A failing page whose error text quotes its name.
      [`docs/bad${injected}.md`]: Buffer.concat([Buffer.from('# Bad\n\n'), Buffer.from([0xc7, 0xeb]), Buffer.from('\n')]),
    }
    await withWorld(files, async (world, parent) => {
      const run = await publish(world, parent)
      expect(pagesOf(run).length, describeRun(run)).toBeGreaterThan(2)
      const tree = fromMarkdown(run.summary, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] })
      const found: string[] = []
      const walk = (node: { type: string; children?: unknown[]; url?: string }): void => {
        if (['heading', 'link', 'image', 'linkReference', 'imageReference', 'definition'].includes(node.type)) found.push(`${node.type} ${node.url ?? ''}`)
        for (const child of (node.children ?? []) as (typeof node)[]) walk(child)
      }
      walk(tree as never)
      expect(found, 'Markdown a file name, title or error text injected into the summary').toEqual([])
      // Every top-level part of the summary is one of the action's HTML blocks.
      expect(tree.children.map((c) => c.type).filter((t) => t !== 'html')).toEqual([])
      expect(run.summary).not.toContain('<script>')
      expect(run.summary).not.toContain('<img src=')
      expect(run.summary).toContain('# Injected heading') // shown, as text
      expectNoLeaks(run, world.secrets())
    })
  }, 180_000)

  it('3. no file outside `path` is read or uploaded: .git/config, runner credentials, symlinks out, hidden folders, non-images', async () => {
    const files: Record<string, string | Uint8Array> = {
      '.git/config': '[core]\n\tSECRET-GIT-CONFIG = 1\n',
      'gha-creds-1234abcd.json': '{"private_key":"SECRET-RUNNER-CREDENTIALS"}',
      'node_modules/pkg/readme.md': '# NODE MODULES PAGE\n\nSECRET-NODE-MODULES\n',
      'outside.png': PNG(0x61),
      'docs/.hidden/pic.png': PNG(0x62),
      'docs/img/ok.png': PNG(0x63),
      'docs/img/fake.png': 'not an image at all, SECRET-FAKE-IMAGE\n',
      'docs/page.md': [
        '# Page',
        '',
        '![abs](/.git/config)',
        '',
        '![up](../.git/config)',
        '',
        '![creds](../gha-creds-1234abcd.json)',
        '',
        '![link](img/x.png)',
        '',
        '![out](../outside.png)',
        '',
        '![hidden](.hidden/pic.png)',
        '',
        '![fake](img/fake.png)',
        '',
        '![ok](img/ok.png)',
        '',
      ].join('\n'),
    }
    await withWorld(
      files,
      async (world, parent) => {
        const run = await publish(world, parent)
        const pages = pagesOf(run)
        expect(pages.find((p) => p.path === 'docs/page.md')?.status, describeRun(run)).toBe('created')
        // Exactly one upload: the real image inside `path`.
        const uploads = world.feishu.uploads()
        expect(uploads.map((u) => u.bytes.equals(PNG(0x63)))).toEqual([true])
        const everything = [...uploads.map((u) => u.bytes.toString('latin1')), ...world.feishu.server.calls.map((c) => JSON.stringify(c.body ?? null))].join('\n')
        for (const secret of ['SECRET-GIT-CONFIG', 'SECRET-RUNNER-CREDENTIALS', 'SECRET-NODE-MODULES', 'SECRET-FAKE-IMAGE']) expect(everything).not.toContain(secret)
        // The Markdown symlink and the folder symlink are skipped with the reason; nothing under them is a page.
        expect(pages.find((p) => p.path === 'docs/leak.md')).toMatchObject({ status: 'skipped' })
        expect(pages.find((p) => p.path === 'docs/all')).toMatchObject({ status: 'skipped' })
        expect(pages.filter((p) => p.path.startsWith('docs/all/') && p.status !== 'skipped')).toEqual([])
        expect(world.feishu.nodes(world.spaceId).some((n) => /NODE MODULES|config/i.test(n.title))).toBe(false)
        // Each refusal is a warning on the referencing line, naming the rule.
        const warned = (line: number, rule: RegExp) =>
          expect(run.annotations.some((a) => a.level === 'warning' && a.file === 'docs/page.md' && a.line === line && rule.test(a.message)), `line ${line}: ${rule}\n${describeRun(run)}`).toBe(true)
        warned(3, /outside `path`/)
        warned(5, /outside `path`/)
        warned(7, /outside `path`/)
        warned(9, /symbolic link leads out of `path`/)
        warned(11, /outside `path`/)
        warned(13, /hidden/)
        warned(15, /not a PNG, JPEG, GIF, WebP, BMP or SVG/)
        expectNoLeaks(run, world.secrets())
      },
      (world) => {
        fs.mkdirSync(path.join(world.workspace, 'docs', 'img'), { recursive: true })
        fs.symlinkSync('../../.git/config', path.join(world.workspace, 'docs', 'img', 'x.png'))
        fs.symlinkSync('../.git/config', path.join(world.workspace, 'docs', 'leak.md'))
        fs.symlinkSync('..', path.join(world.workspace, 'docs', 'all'))
      },
    )
  }, 180_000)
})
