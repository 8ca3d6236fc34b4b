// Site navigation: titles and sibling order from mdBook's SUMMARY.md and MkDocs' nav, found at or above `path`.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseMkdocsNav, parseSummary, readNavigation } from '../../src/sync/source/navigation.js'

const SUMMARY = `# Summary

[Introduction](README.md)

# Getting started

- [Getting \`Started\`](ch01-00-getting-started.md)
    - [Installation](ch01-01-installation.md)
- [Guessing Game](./ch02-00-guessing-game-tutorial.md#top)
- [Draft chapter]()
- [External](https://example.com)

[Appendix](appendix/index.md)
`

describe('parseSummary', () => {
  it('gives each chapter its SUMMARY title and its place in reading order', () => {
    const nav = parseSummary(SUMMARY, 'book/src')
    expect([...nav.titles]).toEqual([
      ['book/src/README.md', 'Introduction'],
      ['book/src/ch01-00-getting-started.md', 'Getting Started'],
      ['book/src/ch01-01-installation.md', 'Installation'],
      ['book/src/ch02-00-guessing-game-tutorial.md', 'Guessing Game'],
      ['book/src/appendix/index.md', 'Appendix'],
    ])
    expect(nav.order.get('book/src/ch02-00-guessing-game-tutorial.md')).toBe(3)
  })
})

describe('parseMkdocsNav', () => {
  it('reads titled pages, untitled pages and sections, skipping external links', () => {
    const nav = parseMkdocsNav([{ Home: 'index.md' }, 'about.md', { Guide: [{ 'Install it': 'guide/install.md' }, { Site: 'https://x.y' }] }], 'docs')
    expect([...nav.titles]).toEqual([
      ['docs/index.md', 'Home'],
      ['docs/guide/install.md', 'Install it'],
    ])
    expect([...nav.order.keys()]).toEqual(['docs/index.md', 'docs/about.md', 'docs/guide/install.md'])
  })
})

describe('readNavigation', () => {
  let dir: string
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    fs.writeFileSync(path.join(dir, rel), text)
  }

  it('finds book.toml above `path` and reads SUMMARY.md from its src folder', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nav-'))
    write('book/book.toml', '[book]\ntitle = "B"\nsrc = "text"\n')
    write('book/text/SUMMARY.md', '- [One](one.md)\n')
    expect(readNavigation(dir, 'book/text')).toMatchObject({ source: 'book/text/SUMMARY.md', siteRoot: 'book/text', titles: new Map([['book/text/one.md', 'One']]) })
    expect(readNavigation(dir, 'book')?.source).toBe('book/text/SUMMARY.md')
  })

  it('finds mkdocs.yml at or above `path`, with docs_dir and python tags it cannot resolve', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nav-'))
    write('mkdocs.yml', 'site_name: S\ndocs_dir: site-docs\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nnav:\n  - Start: index.md\n')
    expect(readNavigation(dir, 'site-docs')).toMatchObject({ source: 'mkdocs.yml', siteRoot: 'site-docs', titles: new Map([['site-docs/index.md', 'Start']]) })
  })

  it('a VitePress site names its root; no generator, no navigation', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nav-'))
    fs.mkdirSync(path.join(dir, 'site/.vitepress'), { recursive: true })
    fs.mkdirSync(path.join(dir, 'plain'), { recursive: true })
    expect(readNavigation(dir, 'site/guide')).toMatchObject({ siteRoot: 'site', titles: new Map() })
    expect(readNavigation(dir, 'plain')).toBeUndefined()
  })
})
