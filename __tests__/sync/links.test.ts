import { describe, expect, it } from 'vitest'
import { classifyLink, deadLinkReason, githubUrl, resolveLink } from '../../src/sync/source/links.js'
import { buildDocsTree } from '../../src/sync/source/tree.js'
import { wikiNodeUrl, wikiUrlPrefix } from '../../src/feishu/wiki.js'

const tree = buildDocsTree('docs', [
  { relPath: 'README.md', repoPath: 'docs/README.md', title: 'Home' },
  { relPath: 'guide/index.md', repoPath: 'docs/guide/index.md', title: 'Guide' },
  { relPath: 'guide/install.md', repoPath: 'docs/guide/install.md', title: 'Install' },
  { relPath: 'api/a b.md', repoPath: 'docs/api/a b.md', title: 'A B' },
])
const github = { serverUrl: 'https://github.com', owner: 'acme', repo: 'widgets', ref: 'main' }
const tokens: Record<string, string> = { 'docs/README.md': 'wikHOME', 'docs/guide/': 'wikGUIDE', 'docs/guide/install.md': 'wikINST' }
const ctx = {
  tree,
  wikiPrefix: 'https://www.feishu.cn/wiki/',
  github,
  nodeToken: (key: string) => tokens[key],
  isDirectory: (p: string) => p === 'src' || p === '',
}

describe('links', () => {
  it('points relative links to synced files at their wiki nodes, anchors dropped', () => {
    expect(resolveLink('install.md', 'docs/guide/index.md', ctx).url).toBe('https://www.feishu.cn/wiki/wikINST')
    expect(resolveLink('./install.md#step-2', 'docs/guide/index.md', ctx).url).toBe('https://www.feishu.cn/wiki/wikINST')
    expect(resolveLink('../README.md', 'docs/guide/install.md', ctx).url).toBe('https://www.feishu.cn/wiki/wikHOME')
    expect(resolveLink('/docs/README.md', 'docs/guide/install.md', ctx).url).toBe('https://www.feishu.cn/wiki/wikHOME')
  })

  it('points links to a folder, or to its index file, at the folder page', () => {
    expect(resolveLink('guide/', 'docs/README.md', ctx).url).toBe('https://www.feishu.cn/wiki/wikGUIDE')
    expect(resolveLink('guide', 'docs/README.md', ctx).url).toBe('https://www.feishu.cn/wiki/wikGUIDE')
    expect(resolveLink('guide/index.md', 'docs/README.md', ctx).url).toBe('https://www.feishu.cn/wiki/wikGUIDE')
  })

  it('decodes percent-encoded paths', () => {
    expect(classifyLink('../api/a%20b.md', 'docs/guide/install.md', tree)).toMatchObject({ kind: 'page', key: 'docs/api/a b.md' })
  })

  it('links other repository files to GitHub on the branch, keeping anchors', () => {
    expect(resolveLink('../../src/main.ts#L10', 'docs/guide/install.md', ctx).url).toBe('https://github.com/acme/widgets/blob/main/src/main.ts#L10')
    expect(resolveLink('../../src', 'docs/guide/install.md', ctx).url).toBe('https://github.com/acme/widgets/tree/main/src')
    expect(resolveLink('../../LICENSE', 'docs/guide/install.md', ctx).url).toBe('https://github.com/acme/widgets/blob/main/LICENSE')
    // A synced page without a node (failed, or a dry run) links to its source on GitHub.
    expect(resolveLink('api/a%20b.md#x', 'docs/README.md', ctx).url).toBe('https://github.com/acme/widgets/blob/main/docs/api/a%20b.md#x')
  })

  it('keeps absolute links; same-page anchors and links leaving the repository go to the file on GitHub', () => {
    expect(resolveLink('https://example.com/x?y#z', 'docs/README.md', ctx).url).toBe('https://example.com/x?y#z')
    expect(resolveLink('mailto:a@b.c', 'docs/README.md', ctx).url).toBe('mailto:a@b.c')
    const anchor = resolveLink('#usage', 'docs/README.md', ctx)
    expect([anchor.url, anchor.warning]).toEqual([`https://github.com/acme/widgets/blob/main/docs/README.md#usage`, undefined])
    expect(resolveLink('../../../etc/passwd', 'docs/README.md', ctx)).toEqual({
      url: 'https://github.com/acme/widgets/blob/main/docs/README.md',
      target: expect.objectContaining({ kind: 'outside' }),
      warning: expect.stringContaining('outside the repository'),
    })
  })

  it('builds GitHub URLs with encoded segments and HEAD when the branch is unknown', () => {
    expect(githubUrl({ ...github, ref: 'feature/x y' }, 'docs/a b.md', false)).toBe('https://github.com/acme/widgets/blob/feature/x%20y/docs/a%20b.md')
    expect(githubUrl({ ...github, ref: '' }, 'docs', true)).toBe('https://github.com/acme/widgets/tree/HEAD/docs')
  })

  it('uses the brand host of Feishu or Lark, by base-url', () => {
    expect(wikiNodeUrl('https://open.feishu.cn', 'wikX')).toBe('https://www.feishu.cn/wiki/wikX')
    expect(wikiNodeUrl('https://open.larksuite.com', 'wikX')).toBe('https://www.larksuite.com/wiki/wikX')
    expect(wikiUrlPrefix('http://127.0.0.1:4567')).toBe('https://www.feishu.cn/wiki/')
  })
})

describe('site-style links (mdBook, VitePress, MkDocs)', () => {
  const site = buildDocsTree(
    'docs',
    [
      { relPath: 'index.md', repoPath: 'docs/index.md', title: 'Home' },
      { relPath: 'guide/b.md', repoPath: 'docs/guide/b.md', title: 'B' },
      { relPath: 'guide/c/README.md', repoPath: 'docs/guide/c/README.md', title: 'C' },
      { relPath: 'guide/d/index.md', repoPath: 'docs/guide/d/index.md', title: 'D' },
    ],
    false,
    'docs',
  )
  const page = (href: string, from = 'docs/guide/a.md') => classifyLink(href, from, site)

  it.each([
    ['./b', 'docs/guide/b.md'],
    ['b', 'docs/guide/b.md'],
    ['b.html', 'docs/guide/b.md'],
    ['./b.html#usage', 'docs/guide/b.md'],
    ['/guide/b', 'docs/guide/b.md'],
    ['/guide/b.html', 'docs/guide/b.md'],
    ['./c/', 'docs/guide/c/README.md'],
    ['c', 'docs/guide/c/README.md'],
    ['./d/index.html', 'docs/guide/d/index.md'],
    ['/', 'docs/index.md'],
    ['/index.html', 'docs/index.md'],
  ])('%s reaches its page', (href, repoPath) => {
    const target = page(href)
    expect(target.kind).toBe('page')
    expect(site.pages.get((target as { key: string }).key)!.contentFile?.repoPath).toBe(repoPath)
  })

  it('keeps the anchor in the target; the URL is the page', () => {
    expect(page('./b#step-2')).toMatchObject({ kind: 'page', anchor: 'step-2' })
    expect(resolveLink('./b#step-2', 'docs/guide/a.md', { ...ctx, tree: site, nodeToken: () => 'wikB' }).url).toBe('https://www.feishu.cn/wiki/wikB')
  })

  it('a link that reaches nothing is a warning naming what was tried; existing repo files are not', () => {
    const exists = (p: string) => p === 'src/main.ts'
    expect(deadLinkReason('./missing', 'docs/guide/a.md', site, exists)).toBe(
      'link ./missing reaches nothing: there is no page, file or folder docs/guide/missing (also tried as a site link: docs/guide/missing.md, docs/guide/missing/index.md, docs/guide/missing/README.md, docs/guide/missing/readme.md)',
    )
    expect(deadLinkReason('../../src/main.ts', 'docs/guide/a.md', site, exists)).toBeUndefined()
    expect(deadLinkReason('./b', 'docs/guide/a.md', site, exists)).toBeUndefined()
    expect(deadLinkReason('https://x.y/z', 'docs/guide/a.md', site, exists)).toBeUndefined()
    const resolved = resolveLink('./missing', 'docs/guide/a.md', { ...ctx, tree: site, exists })
    expect(resolved.warning).toContain('reaches nothing')
  })
})
