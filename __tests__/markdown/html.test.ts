// The HTML tokenizer under the raw-HTML mapping: tags with any attribute quoting, comments and the like hidden,
// character references decoded, malformed markup left as text, linear on hostile input.
import { describe, expect, it } from 'vitest'
import { decodeEntities, tagRole, tokenizeHtml } from '../../src/markdown/html.js'

describe('tokenizeHtml', () => {
  it('reads tags, attributes in every quoting style, text and hidden parts', () => {
    expect(tokenizeHtml('<a href="x y" title=\'t\' data-n=3 hidden>A &amp; B</a><br/><!-- c --><?php ?><![CDATA[x]]><!DOCTYPE html>')).toEqual([
      { kind: 'open', name: 'a', attributes: { href: 'x y', title: 't', 'data-n': '3', hidden: '' }, selfClosing: false },
      { kind: 'text', text: 'A & B' },
      { kind: 'close', name: 'a' },
      { kind: 'open', name: 'br', attributes: {}, selfClosing: true },
      { kind: 'hidden' },
      { kind: 'hidden' },
      { kind: 'hidden' },
      { kind: 'hidden' },
    ])
  })

  it('an attribute value may hold < and >; names are case-insensitive', () => {
    expect(tokenizeHtml('<IMG SRC="a.png" ALT="x > y <z>">')).toEqual([{ kind: 'open', name: 'img', attributes: { src: 'a.png', alt: 'x > y <z>' }, selfClosing: false }])
  })

  it('malformed markup is text', () => {
    expect(tokenizeHtml('a < b <3 <a href="unclosed')).toEqual([{ kind: 'text', text: 'a < b <3 <a href="unclosed' }])
  })

  it('stays linear on hostile input', () => {
    const start = performance.now()
    tokenizeHtml(`<a${' x'.repeat(100_000)}`)
    tokenizeHtml('<'.repeat(100_000))
    tokenizeHtml(`<a b="${'"'.repeat(50_000)}`)
    expect(performance.now() - start).toBeLessThan(5_000)
  })
})

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references; invalid code points become U+FFFD; unknown names stay', () => {
    expect(decodeEntities('&lt;&copy;&#65;&#x1F600;&#0;&#xD800;&nosuch;&amp')).toBe('<©A😀\uFFFD\uFFFD&nosuch;&amp')
  })
})

describe('tagRole', () => {
  it('knows what each tag does; unknown tags keep their text and count as lossy', () => {
    expect(tagRole('strong')).toEqual({ role: 'style', style: 'bold' })
    expect(tagRole('h3')).toEqual({ role: 'heading', depth: 3 })
    expect(tagRole('script')).toEqual({ role: 'dropped' })
    expect(tagRole('my-widget')).toEqual({ role: 'lossy', block: false })
  })
})
