// mdBook includes in code blocks are expanded through the caller's reader; what cannot be expanded is published
// as written, with a warning (one per kind per file for other site syntax).
import { describe, expect, it } from 'vitest'
import { expandIncludes } from '../../../src/markdown/includes.js'
import { checked } from '../helpers.js'

const FILES: Record<string, string> = {
  'book/listings/main.rs': 'use std::io;\n// ANCHOR: here\nfn main() {\n    println!("hi");\n}\n// ANCHOR_END: here\n',
}
const read = (path: string) => FILES[path]

describe('mdBook includes', () => {
  it.each([
    ['{{#include ../listings/main.rs}}', 'use std::io;\nfn main() {\n    println!("hi");\n}\n'],
    ['{{#include ../listings/main.rs:1}}', 'use std::io;'],
    ['{{#include ../listings/main.rs:3:}}', 'fn main() {\n    println!("hi");\n}\n'],
    ['{{#include ../listings/main.rs::1}}', 'use std::io;'],
    ['{{#include ../listings/main.rs:3:5}}', 'fn main() {\n    println!("hi");\n}'],
    ['{{#include ../listings/main.rs:here}}', 'fn main() {\n    println!("hi");\n}'],
    ['{{#rustdoc_include ../listings/main.rs:here}}', 'fn main() {\n    println!("hi");\n}'],
  ])('%s', (directive, expected) => {
    expect(expandIncludes(directive, 'book/src/ch01.md', read)).toEqual({ code: expected.replace(/\n$/, ''), problems: [] })
  })

  it('a code block gets the included lines; one that cannot be read stays as written with a warning at its line', () => {
    const result = checked('Text\n\n```rust\n{{#include ../listings/main.rs:here}}\n```\n\n```rust\n{{#include ../../../outside.rs}}\n```\n', { path: 'book/src/ch01.md', readInclude: read })
    const codes = result.blocks.descendants.filter((b) => b.block_type === 14).map((b) => (b.code as { elements: { text_run: { content: string } }[] }).elements[0]!.text_run.content)
    expect(codes).toEqual(['fn main() {\n    println!("hi");\n}', '{{#include ../../../outside.rs}}'])
    expect(result.warnings).toMatchObject([{ code: 'include-unresolved', line: 7 }])
  })

  it('an unknown anchor is a warning; without a reader includes stay as written', () => {
    expect(expandIncludes('{{#include ../listings/main.rs:nope}}', 'book/src/a.md', read).problems[0]!.reason).toContain('no anchor "nope"')
    expect(checked('```\n{{#include x.rs}}\n```').warnings.map((w) => w.code)).toEqual(['include-unresolved'])
  })

  it('site syntax outside code is published as written, one warning per kind per file', () => {
    const result = checked('{{#playground example.rs}}\n\nText {{#title Hello}}\n\n[[toc]]\n\n{{ $frontmatter.title }}\n\nQuoted: `{{#include x.rs}}`\n')
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([
      ['site-syntax', 1],
      ['site-syntax', 5],
      ['site-syntax', 7],
    ])
  })

  it('mdBook <Listing> shows its file name and caption, and the warning says the text is kept', () => {
    const result = checked('<Listing number="3-1" file-name="src/main.rs" caption="Declaring a variable">\n\n```rust\nlet x = 5;\n```\n\n</Listing>\n')
    const texts = result.blocks.descendants.map((b) => ((b.text ?? b.code) as { elements: { text_run: { content: string } }[] }).elements[0]!.text_run.content)
    expect(texts).toEqual(['Filename: src/main.rs', 'Listing 3-1: Declaring a variable', 'let x = 5;'])
    expect(result.warnings.map((w) => w.message)).toEqual(['HTML <listing> cannot be shown in a Feishu document: the tags are left out and the text they hold is kept.'])
  })
})
