// Title precedence: front matter `title` → navigation (SUMMARY.md / MkDocs nav / sidebar_label) → the heading that
// opens the document (any level) → the first H1 → the file name.
import { describe, expect, it } from 'vitest'
import { convert, requestText } from '../helpers.js'

describe('title precedence', () => {
  it('a chapter that opens with ## is titled by that heading, which leaves the body', () => {
    const result = convert('## Variables and Mutability\n\nBody\n', { path: 'book/src/ch03-01-variables-and-mutability.md' })
    expect(result).toMatchObject({ title: 'Variables and Mutability', titleSource: 'heading' })
    expect(requestText(result.blocks)).not.toContain('Variables and Mutability')
  })

  it('the navigation title comes after front matter and before headings; a repeating opening heading leaves', () => {
    expect(convert('---\ntitle: FM\n---\n## H\n', { navigationTitle: 'Nav' })).toMatchObject({ title: 'FM', titleSource: 'front-matter' })
    const repeated = convert('## Nav\n\nBody', { navigationTitle: 'Nav' })
    expect(repeated).toMatchObject({ title: 'Nav', titleSource: 'navigation' })
    expect(requestText(repeated.blocks)).not.toContain('Nav')
    const different = convert('## Heading\n\nBody', { navigationTitle: 'Nav' })
    expect(different).toMatchObject({ title: 'Nav', titleSource: 'navigation' })
    expect(requestText(different.blocks)).toContain('Heading')
  })

  it('Docusaurus sidebar_label is a navigation title', () => {
    expect(convert('---\nsidebar_label: Short\n---\n# Long title\n')).toMatchObject({ title: 'Short', titleSource: 'navigation' })
  })

  it('a heading that does not open the document is not the title, unless it is the first H1', () => {
    expect(convert('Intro\n\n## Later\n', { path: 'docs/guide/setup.md' })).toMatchObject({ title: 'setup', titleSource: 'file-name' })
    expect(convert('[![badge](b.svg)](x)\n\n# Project\n')).toMatchObject({ title: 'Project', titleSource: 'heading' })
  })
})
