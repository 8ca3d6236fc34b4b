// Heading anchors as GitHub makes them (github-slugger), each with its heading block's temporary id.
import { describe, expect, it } from 'vitest'
import { convertSource } from '../../src/sync/source/convert.js'
import { anchorSlug, hasAnchor, headingAnchors } from '../../src/sync/source/anchors.js'

describe('heading anchors', () => {
  it('slugs as GitHub does, duplicates numbered -1, -2 in document order; the title heading has no block', () => {
    const converted = convertSource('# Guide\n\n## Set-up & Usage!\n\n## Setup\n\n### Setup\n\n- item\n\n## Setup\n\n## Guide\n\n## `code` *here*\n', 'docs/g.md')
    const anchors = headingAnchors(converted)
    expect([...anchors.keys()]).toEqual(['guide', 'set-up--usage', 'setup', 'setup-1', 'setup-2', 'guide-1', 'code-here'])
    expect(anchors.get('guide')).toBeUndefined() // the H1 became the page's title
    const headingIds = converted.conversion.blocks.descendants.filter((b) => b.block_type >= 3 && b.block_type <= 11).map((b) => b.block_id)
    expect([...anchors.values()].slice(1)).toEqual(headingIds)
  })

  it('a heading left out because it repeats the front matter title is still an anchor, without a block', () => {
    const repeated = headingAnchors(convertSource('---\ntitle: Guide\n---\n\n## Guide\n\n## Guide\n', 'docs/g.md'))
    expect([...repeated.entries()]).toEqual([
      ['guide', undefined],
      ['guide-1', expect.stringMatching(/^b\d+$/)],
    ])
    const other = headingAnchors(convertSource('---\ntitle: Other\n---\n\n## Guide\n', 'docs/g.md'))
    expect([...other.entries()]).toEqual([['guide', expect.stringMatching(/^b\d+$/)]])
  })

  it('the title heading is not always the first one (an H1 after badges): the order is the document\'s', () => {
    const anchors = headingAnchors(convertSource('![badge](b.png)\n\n## Intro\n\n# Project\n\n## Intro\n', 'docs/README.md'))
    expect([...anchors.keys()]).toEqual(['intro', 'project', 'intro-1'])
    expect(anchors.get('project')).toBeUndefined()
  })

  it('anchors as written are matched decoded and case-blind; "#" alone is the top of the page', () => {
    const anchors = headingAnchors(convertSource('# T\n\n## Über uns\n', 'docs/g.md'))
    expect(anchorSlug('%C3%9Cber-uns')).toBe('über-uns')
    expect(hasAnchor(anchors, '%C3%9Cber-Uns')).toBe(true)
    expect(hasAnchor(anchors, 'user-content-über-uns')).toBe(true)
    expect(hasAnchor(anchors, '')).toBe(true)
    expect(hasAnchor(anchors, 'nope')).toBe(false)
  })
})
