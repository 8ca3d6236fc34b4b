import { describe, expect, it } from 'vitest'
import { type LoadedFile, archiveKey, buildDocsTree, compareSiblings, pagesInOrder } from '../../src/sync/source/tree.js'

const file = (relPath: string, extra: Partial<LoadedFile> = {}): LoadedFile => ({
  relPath,
  repoPath: `docs/${relPath}`,
  title: relPath.replace(/\.md$/, '').split('/').pop(),
  ...extra,
})

describe('buildDocsTree', () => {
  it('maps files to pages and folders to pages, the docs folder itself to parent-node', () => {
    const tree = buildDocsTree('docs', [
      file('README.md', { title: 'Home' }),
      file('index.md', { title: 'Index' }),
      file('guide/index.md', { title: 'The guide' }),
      file('guide/install.md'),
      file('guide/deep/more.md'),
      file('api/a.md'),
    ])
    expect(tree.topLevel).toEqual(['docs/api/', 'docs/guide/', 'docs/index.md', 'docs/README.md'])
    const guide = tree.pages.get('docs/guide/')!
    expect(guide).toMatchObject({ kind: 'folder', title: 'The guide', repoPath: 'docs/guide' })
    expect(guide.contentFile?.repoPath).toBe('docs/guide/index.md')
    expect(guide.children).toEqual(['docs/guide/deep/', 'docs/guide/install.md'])
    // A folder without index.md/README.md: a generated page named after the folder.
    expect(tree.pages.get('docs/api/')).toMatchObject({ title: 'api', contentFile: undefined, children: ['docs/api/a.md'] })
    expect(tree.pages.get('docs/guide/deep/')!.parentKey).toBe('docs/guide/')
    // The root README and index are ordinary pages; a folder's index file shows as the folder.
    expect(tree.pages.get('docs/README.md')!.kind).toBe('file')
    expect(tree.fileKeys.get('docs/guide/index.md')).toBe('docs/guide/')
    expect(tree.pages.has('docs/guide/index.md')).toBe(false)
    expect(tree.folderKeys.get('docs/guide')).toBe('docs/guide/')
  })

  it('prefers index.md over README.md as folder content; README.md is then a child page', () => {
    const tree = buildDocsTree('docs', [file('g/README.md', { title: 'Readme' }), file('g/index.md', { title: 'Index' })])
    expect(tree.pages.get('docs/g/')!.contentFile!.relPath).toBe('g/index.md')
    expect(tree.pages.get('docs/g/')!.children).toEqual(['docs/g/README.md'])
  })

  it('orders siblings by front matter order, then file name in natural order', () => {
    const tree = buildDocsTree('docs', [
      file('10-z.md'),
      file('2-b.md'),
      file('a.md', { order: 2 }),
      file('b.md', { order: 1 }),
      file('folder/index.md', { order: 1.5, title: 'F' }),
    ])
    expect(tree.topLevel).toEqual(['docs/b.md', 'docs/folder/', 'docs/a.md', 'docs/2-b.md', 'docs/10-z.md'])
    expect(compareSiblings({ name: 'a' }, { name: 'a', order: 5 })).toBe(1)
  })

  it('uses the folder name when the index file only had its file name as title', () => {
    const tree = buildDocsTree('docs', [file('setup/index.md', { title: 'index', titleFromFileName: true })])
    expect(tree.pages.get('docs/setup/')!.title).toBe('setup')
  })

  it('keeps a failed file as a page with an error; a failed index falls back to the generated list', () => {
    const tree = buildDocsTree('docs', [
      file('bad.md', { title: undefined, error: 'not valid UTF-8' }),
      file('g/index.md', { title: undefined, error: 'not valid UTF-8' }),
      file('g/x.md'),
    ])
    expect(tree.pages.get('docs/bad.md')).toMatchObject({ error: 'not valid UTF-8', title: 'bad' })
    expect(tree.pages.get('docs/g/')).toMatchObject({ title: 'g', contentFile: undefined })
    expect(tree.failedIndexFiles.map((f) => f.repoPath)).toEqual(['docs/g/index.md'])
  })

  it('works for the repository root and for a single file', () => {
    const root = buildDocsTree('.', [{ relPath: 'a/b.md', repoPath: 'a/b.md', title: 'B' }])
    expect(root.topLevel).toEqual(['a/'])
    expect(archiveKey('.')).toBe('(archived)')
    const single = buildDocsTree('docs', [{ relPath: 'one.md', repoPath: 'docs/one.md', title: 'One' }], true)
    expect(single.topLevel).toEqual(['docs/one.md'])
    expect(pagesInOrder(single).map((p) => p.key)).toEqual(['docs/one.md'])
  })

  it('lists pages parents first, siblings in order', () => {
    const tree = buildDocsTree('docs', [file('b/x.md'), file('a.md'), file('b/a/y.md')])
    expect(pagesInOrder(tree).map((p) => p.key)).toEqual(['docs/a.md', 'docs/b/', 'docs/b/a/', 'docs/b/a/y.md', 'docs/b/x.md'])
  })
})
