// One test group per row of the Markdown → Feishu mapping table, each with concrete expected blocks. Every
// request produced here also passes the official schema and the stricter rules (helpers.requestProblems).
import { describe, expect, it } from 'vitest'
import { type ConversionResult, fillLinks } from '../../src/markdown/index.js'
import { codeLanguage } from '../../src/markdown/code-languages.js'
import { convert, EMPTY, requestProblems, run, type Shape, shape } from './helpers.js'

const B = { bold: true }
const I = { italic: true }

/** Converts and checks the request before looking at its shape. */
function blocks(markdown: string, path?: string): Shape[] {
  return shape(checked(markdown, path).blocks)
}

function checked(markdown: string, path?: string): ConversionResult {
  const result = convert(markdown, { ...(path ? { path } : {}) })
  expect(requestProblems(result.blocks)).toEqual([])
  return result
}

const text = (...elements: unknown[]): Shape => ({ t: 2, p: { elements } })
const codes = (result: ConversionResult) => result.warnings.map((warning) => warning.code)

describe('title', () => {
  it('front matter title wins; an H1 that says something else stays in the body', () => {
    const result = checked('---\ntitle: From front matter\norder: 3\n---\n# Heading\n\nBody\n')
    expect(result).toMatchObject({ title: 'From front matter', titleSource: 'front-matter', frontMatter: { title: 'From front matter', order: 3 } })
    expect(shape(result.blocks)).toEqual([{ t: 3, p: { elements: [run('Heading')] } }, text(run('Body'))])
  })

  it('an opening H1 that repeats the front matter title is not shown twice (larksuite/cli #819)', () => {
    expect(blocks('---\ntitle: Same\n---\n# Same\n\nBody\n')).toEqual([text(run('Body'))])
  })

  it('the first H1 becomes the title and leaves the body; later H1s stay', () => {
    const result = checked('Intro\n\n# The *Title*\n\n## Sub\n\n# Second\n')
    expect(result).toMatchObject({ title: 'The Title', titleSource: 'heading' })
    expect(shape(result.blocks)).toEqual([text(run('Intro')), { t: 4, p: { elements: [run('Sub')] } }, { t: 3, p: { elements: [run('Second')] } }])
  })

  it('an image in the title H1 stays in the body; its alt text is not part of the title', () => {
    const result = checked('# ![logo](logo.png) Project *X*\n\ntext')
    expect(result.title).toBe('Project X')
    expect(shape(result.blocks)).toEqual([{ t: 27, p: {} }, text(run('text'))])
    expect(result.fillables).toMatchObject([{ blockId: 'b1', path: 'docs/logo.png' }])
  })

  it('falls back to the file name; README and index are named after their folder', () => {
    expect(checked('text', 'docs/guide/setup.md')).toMatchObject({ title: 'setup', titleSource: 'file-name' })
    expect(checked('text', 'docs/guide/README.md').title).toBe('guide')
    expect(checked('text', 'docs/api/index.markdown').title).toBe('api')
    expect(checked('text', 'README.md').title).toBe('README')
  })

  it('invalid or non-mapping front matter gives {} and a warning with its line', () => {
    const result = checked('---\na: [1\n---\nBody\n', 'docs/x.md')
    expect(result.frontMatter).toEqual({})
    expect(result.warnings[0]).toMatchObject({ code: 'front-matter-invalid', line: 2 })
    expect(checked('---\n- a\n- b\n---\nBody\n').warnings[0]?.code).toBe('front-matter-invalid')
  })
})

describe('headings 1–6', () => {
  it('map to heading1–6 (block types 3–8)', () => {
    const result = checked('Intro\n\n# h1\n## h2\n### h3\n#### h4\n##### h5\n###### h6\n')
    expect(shape(result.blocks).slice(1)).toEqual([
      { t: 4, p: { elements: [run('h2')] } },
      { t: 5, p: { elements: [run('h3')] } },
      { t: 6, p: { elements: [run('h4')] } },
      { t: 7, p: { elements: [run('h5')] } },
      { t: 8, p: { elements: [run('h6')] } },
    ])
    expect(result.title).toBe('h1')
    expect(blocks('---\ntitle: T\n---\nx\n\n# h1\n')[1]).toEqual({ t: 3, p: { elements: [run('h1')] } })
  })
})

describe('paragraphs and line breaks', () => {
  it('a soft break joins with a space, a hard break is "\\n" in the block', () => {
    expect(blocks('one\ntwo  \nthree\\\nfour\n\nnext')).toEqual([text(run('one two\nthree\nfour')), text(run('next'))])
  })
})

describe('inline styles', () => {
  it('bold, italic, strikethrough, inline code and combinations; equal neighbours merged', () => {
    expect(blocks('a **b** *c* ~~d~~ `e` ***f*** **g `h`** **i**<b>j</b>')).toEqual([
      text(
        run('a '),
        run('b', B),
        run(' '),
        run('c', I),
        run(' '),
        run('d', { strikethrough: true }),
        run(' '),
        run('e', { inline_code: true }),
        run(' '),
        run('f', { italic: true, bold: true }),
        run(' '),
        run('g ', B),
        run('h', { bold: true, inline_code: true }),
        run(' '),
        run('ij', B),
      ),
    ])
  })
})

describe('links and autolinks', () => {
  it('link.url is the whole URL percent-encoded; autolinks and bare URLs too', () => {
    expect(blocks('[a](https://x.y/p?q=1&r=2#h) <https://auto.link> www.example.com')).toEqual([
      text(
        run('a', { link: { url: 'https%3A%2F%2Fx.y%2Fp%3Fq%3D1%26r%3D2%23h' } }),
        run(' '),
        run('https://auto.link', { link: { url: 'https%3A%2F%2Fauto.link' } }),
        run(' '),
        run('www.example.com', { link: { url: 'http%3A%2F%2Fwww.example.com' } }),
      ),
    ])
  })

  it('every link is reported with its kind and resolved repo path; each relative one gets a slot that fillLinks fills', () => {
    const result = checked('[a](../other.md#part) [b](./img/x.png) [c](#local) [d](https://e.com) [e](/root.md) [f][ref]\n\n[ref]: sub/page.markdown', 'docs/guide/page.md')
    expect(result.slots.map(({ href, path, anchor }) => ({ href, ...(path ? { path } : {}), ...(anchor ? { anchor } : {}) }))).toEqual([
      { href: '../other.md#part', path: 'docs/other.md', anchor: 'part' },
      { href: './img/x.png', path: 'docs/guide/img/x.png' },
      { href: '#local', path: 'docs/guide/page.md', anchor: 'local' },
      { href: '/root.md', path: 'root.md' },
      { href: 'sub/page.markdown', path: 'docs/guide/sub/page.markdown' },
    ])
    expect(result.links.map(({ href, kind, line, column, slot }) => [href, kind, line, column, slot])).toEqual([
      ['../other.md#part', 'markdown-file', 1, 1, 0],
      ['./img/x.png', 'repo-file', 1, 23, 1],
      ['#local', 'anchor', 1, 40, 2],
      ['https://e.com', 'external', 1, 52, undefined],
      ['/root.md', 'markdown-file', 1, 71, 3],
      ['sub/page.markdown', 'markdown-file', 1, 85, 4],
    ])
    const linksOf = (request: ConversionResult['blocks']) => {
      const body = shape(request)[0]!.p as { elements: { text_run: { text_element_style?: { link?: { url: string } } } }[] }
      return body.elements.flatMap((element) => element.text_run.text_element_style?.link?.url ?? []).map(decodeURIComponent)
    }
    // Unfilled, a relative link is written as written.
    expect(linksOf(result.blocks)).toEqual(['../other.md#part', './img/x.png', '#local', 'https://e.com', '/root.md', 'sub/page.markdown'])
    const filled = fillLinks(result.blocks, result.slots, (slot) => (slot.path?.endsWith('.md') ? `https://wiki/${slot.path}` : undefined))
    expect(linksOf(filled)).toEqual(['https://wiki/docs/other.md', './img/x.png', 'https://wiki/docs/guide/page.md', 'https://e.com', 'https://wiki/root.md', 'sub/page.markdown'])
    expect(linksOf(result.blocks)[0]).toBe('../other.md#part') // the conversion itself is left as it was
  })

  it('a link above the repository root is reported with a warning', () => {
    const result = checked('[x](../../../up.md)', 'docs/a.md')
    expect(result.links[0]).toMatchObject({ kind: 'markdown-file', href: '../../../up.md' })
    expect(result.links[0]?.path).toBeUndefined()
    expect(codes(result)).toEqual(['link-outside-repo'])
  })
})

describe('lists', () => {
  it('bullet and ordered items with nested items as children, any depth', () => {
    expect(blocks('- a\n  - b\n    1. c\n       - d\n- e')).toEqual([
      {
        t: 12,
        p: { elements: [run('a')] },
        c: [{ t: 12, p: { elements: [run('b')] }, c: [{ t: 13, p: { elements: [run('c')] }, c: [{ t: 12, p: { elements: [run('d')] } }] }] }],
      },
      { t: 12, p: { elements: [run('e')] } },
    ])
  })

  it('items holding paragraphs, code and empty items', () => {
    expect(blocks('1. first\n\n   more\n\n   ```sh\n   ls\n   ```\n2.\n')).toEqual([
      {
        t: 13,
        p: { elements: [run('first')] },
        c: [text(run('more')), { t: 14, p: { style: { language: 60 }, elements: [run('ls')] } }],
      },
      { t: 13, p: { elements: [EMPTY] } },
    ])
  })

  it('a start number other than 1 cannot be written (no `sequence` in the request schema): warned', () => {
    const result = checked('3. three\n4. four')
    expect(shape(result.blocks)).toEqual([
      { t: 13, p: { elements: [run('three')] } },
      { t: 13, p: { elements: [run('four')] } },
    ])
    expect(result.warnings).toMatchObject([{ code: 'ordered-list-start', line: 1 }])
  })
})

describe('task lists', () => {
  it('become todo blocks with style.done', () => {
    expect(blocks('- [ ] open\n- [x] done\n  - [X] nested')).toEqual([
      { t: 17, p: { style: { done: false }, elements: [run('open')] } },
      { t: 17, p: { style: { done: true }, elements: [run('done')] }, c: [{ t: 17, p: { style: { done: true }, elements: [run('nested')] } }] },
    ])
  })
})

describe('code', () => {
  it('fenced code keeps its text and maps the language; indented code is plain text', () => {
    expect(blocks('```ts\nconst a = 1\n\nlet b\n```\n\n    indented\n')).toEqual([
      { t: 14, p: { style: { language: 63 }, elements: [run('const a = 1\n\nlet b')] } },
      { t: 14, p: { style: { language: 1 }, elements: [run('indented')] } },
    ])
  })

  it('empty code still has elements', () => {
    expect(blocks('```\n```')).toEqual([{ t: 14, p: { style: { language: 1 }, elements: [EMPTY] } }])
  })

  it('maps the official names and the usual aliases', () => {
    const expected: Record<string, number> = {
      ts: 63, typescript: 63, tsx: 63, js: 30, jsx: 30, javascript: 30, sh: 60, shell: 60, zsh: 60, console: 60, bash: 7,
      yml: 67, yaml: 67, py: 49, python: 49, golang: 22, go: 22, 'c++': 9, cpp: 9, cs: 8, 'c#': 8, csharp: 8, rb: 52, rs: 53,
      kt: 32, md: 39, markdown: 39, dockerfile: 18, make: 38, makefile: 38, ps1: 46, powershell: 46, json: 28, html: 24,
      css: 12, sql: 56, java: 29, c: 10, php: 43, swift: 61, toml: 75, diff: 69, graphql: 71, text: 1, Python: 49, '{.rb}': 52,
    }
    for (const [name, id] of Object.entries(expected)) expect([name, codeLanguage(name)]).toEqual([name, { id, known: true }])
  })

  it('an unknown language is plain text with a warning', () => {
    const result = checked('```brainfuck\n+++\n```')
    expect(shape(result.blocks)).toEqual([{ t: 14, p: { style: { language: 1 }, elements: [run('+++')] } }])
    expect(result.warnings).toMatchObject([{ code: 'code-language-unknown', line: 1, column: 1 }])
  })
})

describe('block quotes', () => {
  it('become quote containers holding paragraphs, lists, code and nested quotes', () => {
    expect(blocks('> para\n>\n> - item\n>\n> ```js\n> x()\n> ```\n>\n> > inner')).toEqual([
      {
        t: 34,
        p: {},
        c: [
          text(run('para')),
          { t: 12, p: { elements: [run('item')] } },
          { t: 14, p: { style: { language: 30 }, elements: [run('x()')] } },
          { t: 34, p: {}, c: [text(run('inner'))] },
        ],
      },
    ])
  })

  it('an empty quote holds an empty text block', () => {
    expect(blocks('>')).toEqual([{ t: 34, p: {}, c: [text(EMPTY)] }])
  })
})

describe('thematic breaks', () => {
  it('become dividers', () => {
    expect(blocks('a\n\n---\n\n***\n\nb')).toEqual([text(run('a')), { t: 22, p: {} }, { t: 22, p: {} }, text(run('b'))])
  })
})

describe('tables', () => {
  it('table + cells, header row, alignment on the cell text, empty cells hold an empty run', () => {
    const cell = (elements: unknown[], align?: number): Shape => ({ t: 32, p: {}, c: [{ t: 2, p: align ? { style: { align }, elements } : { elements } }] })
    expect(blocks('| L | C | R |\n|:--|:-:|--:|\n| **1** | | 3 |\n| 4 |')).toEqual([
      {
        t: 31,
        p: { property: { row_size: 3, column_size: 3, header_row: true } },
        c: [
          cell([run('L')]),
          cell([run('C')], 2),
          cell([run('R')], 3),
          cell([run('1', B)]),
          cell([EMPTY], 2),
          cell([run('3')], 3),
          cell([run('4')]),
          cell([EMPTY], 2),
          cell([EMPTY], 3),
        ],
      },
    ])
  })

  it('extra cells beyond the header are left out with a warning', () => {
    const result = checked('| a |\n|---|\n| b | c |')
    expect((shape(result.blocks)[0]!.p as { property: unknown }).property).toEqual({ row_size: 2, column_size: 1, header_row: true })
    expect(codes(result)).toEqual(['table-cells-dropped'])
  })
})

describe('images', () => {
  it('an empty image block plus an asset (local: repo-relative path; remote: URL kept; alt kept)', () => {
    const result = checked('Look:\n\n![The logo](../img/logo.png "t")\n\n![](https://cdn.example.com/a.png)\n\nbefore ![x](y.gif) after', 'docs/guide/page.md')
    expect(shape(result.blocks)).toEqual([
      text(run('Look:')),
      { t: 27, p: {} },
      { t: 27, p: {} },
      text(run('before')),
      { t: 27, p: {} },
      text(run('after')),
    ])
    expect(result.fillables).toEqual([
      { blockId: 'b2', kind: 'local', src: '../img/logo.png', path: 'docs/img/logo.png', alt: 'The logo', line: 3 },
      { blockId: 'b3', kind: 'remote', src: 'https://cdn.example.com/a.png', alt: '', line: 5 },
      { blockId: 'b5', kind: 'local', src: 'y.gif', path: 'docs/guide/y.gif', alt: 'x', line: 7 },
    ])
  })

  it('a linked image (a badge) keeps the image and warns about the link', () => {
    const result = checked('[![CI](https://ci/badge.png)](https://ci/run)')
    expect(shape(result.blocks)).toEqual([{ t: 27, p: {} }])
    expect(codes(result)).toEqual(['image-link-dropped'])
  })
})

describe('GitHub alerts', () => {
  const colors: Record<string, [string, number]> = { NOTE: ['Note', 5], TIP: ['Tip', 4], IMPORTANT: ['Important', 6], WARNING: ['Warning', 3], CAUTION: ['Caution', 1] }
  for (const [marker, [label, color]] of Object.entries(colors)) {
    it(`[!${marker}] becomes a callout with its colours and title`, () => {
      expect(blocks(`> [!${marker}]\n> Body *text*`)).toEqual([
        { t: 19, p: { background_color: color, border_color: color }, c: [text(run(label, B)), text(run('Body '), run('text', I))] },
      ])
    })
  }

  it('content a callout may not hold is placed right after it, in order', () => {
    const result = checked('> [!TIP]\n> Intro\n>\n> ```sh\n> run\n> ```\n>\n> - item\n>\n>   | a |\n>   |---|\n>   | b |\n>\n> ---\n\nafter')
    expect(shape(result.blocks).map((node) => node.t)).toEqual([19, 14, 31, 22, 2])
    expect(shape(result.blocks)[0]).toEqual({
      t: 19,
      p: { background_color: 4, border_color: 4 },
      c: [text(run('Tip', B)), text(run('Intro')), { t: 12, p: { elements: [run('item')] } }],
    })
    expect(codes(result)).toEqual(['callout-content-moved'])
  })

  it('a callout always has a child, and a marker with text after it is a plain quote (as on GitHub)', () => {
    expect(blocks('> [!NOTE]')).toEqual([{ t: 19, p: { background_color: 5, border_color: 5 }, c: [text(run('Note', B))] }])
    expect(blocks('> [!NOTE] inline')[0]?.t).toBe(34)
  })
})

describe('footnotes', () => {
  it('references become [n]; the notes follow a divider and a heading at the end, in order of first reference', () => {
    expect(blocks('One[^b] two[^a] again[^b].\n\n[^a]: Note A.\n[^b]: Note *B*.\n\n    more of b\n[^unused]: never shown\n')).toEqual([
      text(run('One[1] two[2] again[1].')),
      { t: 22, p: {} },
      { t: 4, p: { elements: [run('Footnotes')] } },
      text(run('[1] Note '), run('B', I), run('.')),
      text(run('more of b')),
      text(run('[2] Note A.')),
    ])
  })
})

describe('math', () => {
  it('$…$ is an inline equation element; $$…$$ a text block holding one equation', () => {
    expect(blocks('Euler: $e^{i\\pi}+1=0$ done\n\n$$\n\\int_0^1 x\\,dx\n$$')).toEqual([
      text(run('Euler: '), { equation: { content: 'e^{i\\pi}+1=0' } }, run(' done')),
      text({ equation: { content: '\\int_0^1 x\\,dx' } }),
    ])
  })
})

describe('raw HTML', () => {
  it('<br> is a line break and inline tags map to styles and links', () => {
    expect(blocks('a<br>b <b>bold</b> <em>it</em> <code>c</code> <a href="https://x">l</a> <kbd>K</kbd>')).toEqual([
      text(run('a\nb '), run('bold', B), run(' '), run('it', I), run(' '), run('c', { inline_code: true }), run(' '), run('l', { link: { url: 'https%3A%2F%2Fx' } }), run(' '), run('K', { inline_code: true })),
    ])
  })

  it('<details>/<summary> gives the summary as bold text, then the content', () => {
    expect(blocks('<details>\n<summary>More</summary>\n\nHidden *part*\n\n</details>')).toEqual([text(run('More', B)), text(run('Hidden '), run('part', I))])
  })

  it('<img src alt> becomes an image block with an asset', () => {
    const result = checked('<p align="center"><img src="logo.png" alt="Logo" width="80"></p>', 'docs/a.md')
    expect(shape(result.blocks)).toEqual([{ t: 27, p: {} }])
    expect(result.fillables).toEqual([{ blockId: 'b1', kind: 'local', src: 'logo.png', path: 'docs/logo.png', alt: 'Logo', line: 1 }])
  })

  it('other tags are stripped, with a warning when something is lost; comments vanish silently', () => {
    const result = checked('<div>\n<span>kept</span> x<sup>2</sup>\n</div>\n\n<!-- hidden -->\n\n<script>alert(1)</script>\n\nH<sub>2</sub>O <custom-el>c</custom-el>')
    expect(shape(result.blocks)).toEqual([text(run('kept x2')), text(run('H2O c'))])
    expect(result.warnings.map(({ code, line, message }) => [code, line, message.match(/<[^>]+>/g)])).toEqual([
      ['html-stripped', 1, ['<sup>']],
      ['html-dropped', 7, ['<script>']],
      ['html-stripped', 9, ['<sub>', '<custom-el>']],
    ])
  })

  it('HTML headings, lists and <pre> keep their meaning', () => {
    expect(blocks('<h2 align="center">Title</h2>\n<ul><li>one</li><li>two</li></ul>\n<pre>\n  code\n</pre>')).toEqual([
      { t: 4, p: { elements: [run('Title')] } },
      { t: 12, p: { elements: [run('one')] } },
      { t: 12, p: { elements: [run('two')] } },
      { t: 14, p: { style: { language: 1 }, elements: [run('  code')] } },
    ])
  })
})

describe('diagrams', () => {
  const fallback = (code: string) => ({ block_type: 14, code: { style: { language: 1 }, elements: [run(code)] } })

  it('mermaid, plantuml and puml fences become empty board blocks with a fillable diagram (no warning)', () => {
    const result = checked('```mermaid\ngraph TD\n  A-->B\n```\n\ntext\n\n```plantuml\n@startuml\nA -> B\n@enduml\n```\n\n```puml\nA -> B: hi\n```')
    expect(shape(result.blocks)).toEqual([{ t: 43, p: {} }, text(run('text')), { t: 43, p: {} }, { t: 43, p: {} }])
    expect(result.warnings).toEqual([])
    expect(result.fillables).toEqual([
      { blockId: 'b1', line: 1, kind: 'diagram', syntax: 'mermaid', code: 'graph TD\n  A-->B', fallback: fallback('graph TD\n  A-->B') },
      { blockId: 'b3', line: 8, kind: 'diagram', syntax: 'plantuml', code: '@startuml\nA -> B\n@enduml', fallback: fallback('@startuml\nA -> B\n@enduml') },
      // A body without @startuml is given to Feishu whole; the fallback keeps the fence as written.
      { blockId: 'b4', line: 14, kind: 'diagram', syntax: 'plantuml', code: '@startuml\nA -> B: hi\n@enduml', fallback: fallback('A -> B: hi') },
    ])
  })

  it('@startuml … @enduml in a fence without a language is PlantUML; the first token of the info string counts', () => {
    const result = checked('```\n@startuml\nBob -> Alice\n@enduml\n```\n\n```mermaid,ignore\npie\n  "a" : 1\n```')
    expect(result.fillables.map((f) => [f.kind, f.kind === 'diagram' ? f.syntax : ''])).toEqual([
      ['diagram', 'plantuml'],
      ['diagram', 'mermaid'],
    ])
  })

  it('stays code: other languages, an empty diagram, and @startuml in a fence of another language', () => {
    const result = checked('```text\n@startuml\nA -> B\n@enduml\n```\n\n```mermaid\n```\n\n```\n@startuml without end\n```')
    expect(shape(result.blocks).map((b) => b.t)).toEqual([14, 14, 14])
    expect(result.fillables).toEqual([])
  })

  it('a diagram in a list item is a board child of the item; in an alert it moves after the callout', () => {
    const result = checked('- step\n\n  ```mermaid\n  graph LR\n    A-->B\n  ```\n\n> [!NOTE]\n> see\n>\n> ```mermaid\n> pie\n> ```')
    const types = result.blocks.descendants.map((b) => b.block_type)
    expect(types).toEqual([12, 43, 19, 2, 2, 43])
    expect(result.fillables.map((f) => f.blockId)).toEqual(['b2', 'b6'])
  })
})

describe('ids', () => {
  it('temporary ids are b1, b2, … in document order', () => {
    const result = checked('- a\n  - b\n\nc')
    expect(result.blocks.children_id).toEqual(['b1', 'b3'])
    expect(result.blocks.descendants.map((block) => [block.block_id, block.children])).toEqual([
      ['b1', ['b2']],
      ['b2', []],
      ['b3', []],
    ])
  })
})
