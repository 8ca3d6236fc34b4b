// Raw HTML in Markdown, as far as a docx can show it: a small tokenizer (tags, text, comments) with entity
// decoding, and what each tag means for us. Linear scanning with sticky regular expressions that cannot
// backtrack catastrophically; malformed markup degrades to text.
import { decodeNamedCharacterReference } from 'decode-named-character-reference'

export type HtmlToken =
  | { kind: 'text'; text: string }
  | { kind: 'open'; name: string; attributes: Readonly<Record<string, string>>; selfClosing: boolean }
  | { kind: 'close'; name: string }
  /** Comments, declarations, processing instructions, CDATA: not shown by a browser either. */
  | { kind: 'hidden' }

/** What a tag does to the text it wraps. */
export type TagRole =
  | { role: 'style'; style: 'bold' | 'italic' | 'strikethrough' | 'underline' | 'inline_code' | 'highlight' }
  | { role: 'link' }
  | { role: 'line-break' }
  | { role: 'image' }
  | { role: 'divider' }
  | { role: 'heading'; depth: number }
  | { role: 'list-item' }
  | { role: 'preformatted' }
  | { role: 'summary' }
  | { role: 'table-cell' }
  /** Starts and ends a paragraph; nothing is lost. */
  | { role: 'block' }
  /** Keeps its content; nothing visible is lost. */
  | { role: 'transparent' }
  /** Keeps its content, but its formatting or layout cannot be shown (warned). */
  | { role: 'lossy'; block: boolean }
  /** Content that is not readable text (scripts, media, forms): dropped with a warning. */
  | { role: 'dropped' }

const ROLES: Readonly<Record<string, TagRole>> = {
  ...roles({ role: 'style', style: 'bold' }, 'b strong'),
  ...roles({ role: 'style', style: 'italic' }, 'i em cite dfn var'),
  ...roles({ role: 'style', style: 'strikethrough' }, 's del strike'),
  ...roles({ role: 'style', style: 'underline' }, 'u ins'),
  ...roles({ role: 'style', style: 'inline_code' }, 'code kbd samp tt'),
  ...roles({ role: 'style', style: 'highlight' }, 'mark'),
  ...roles({ role: 'link' }, 'a'),
  ...roles({ role: 'line-break' }, 'br'),
  ...roles({ role: 'image' }, 'img'),
  ...roles({ role: 'divider' }, 'hr'),
  ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((depth) => [`h${depth}`, { role: 'heading', depth } as TagRole])),
  ...roles({ role: 'list-item' }, 'li dt dd'),
  ...roles({ role: 'preformatted' }, 'pre'),
  ...roles({ role: 'summary' }, 'summary'),
  ...roles({ role: 'table-cell' }, 'td th'),
  ...roles({ role: 'block' }, 'p div section article header footer main nav aside figure figcaption details address hgroup ul ol dl menu center'),
  ...roles({ role: 'transparent' }, 'span small big abbr time label bdi bdo wbr nobr font picture source html head body tbody thead tfoot colgroup col caption'),
  ...roles({ role: 'lossy', block: false }, 'sub sup q ruby rt rp'),
  ...roles({ role: 'lossy', block: true }, 'table tr blockquote textarea fieldset legend'),
  ...roles({ role: 'dropped' }, 'script style template noscript iframe frame frameset video audio object embed canvas svg math form input button select option optgroup link meta base title'),
}

/** Tags without content or end tag (HTML "void elements"). */
const VOID = new Set('area base br col embed hr img input link meta source track wbr'.split(' '))

function roles(role: TagRole, names: string): Record<string, TagRole> {
  return Object.fromEntries(names.split(' ').map((name) => [name, role]))
}

/** The role of a tag; tags we do not know keep their content and are reported as lossy. */
export function tagRole(name: string): TagRole {
  return ROLES[name] ?? { role: 'lossy', block: false }
}

export function isVoidTag(name: string): boolean {
  return VOID.has(name)
}

const TAG_NAME = /<([A-Za-z][A-Za-z0-9-]*)/y
const CLOSING_TAG = /<\/([A-Za-z][A-Za-z0-9-]*)[ \t\r\n]*>/y
const ATTRIBUTE = /[ \t\r\n]+([^\s"'>/=]+)(?:[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y
const TAG_END = /[ \t\r\n]*(\/?)>/y
const HIDDEN: readonly [start: string, end: string][] = [
  ['<!--', '-->'],
  ['<![CDATA[', ']]>'],
  ['<?', '?>'],
  ['<!', '>'],
]

export function tokenizeHtml(html: string): HtmlToken[] {
  const tokens: HtmlToken[] = []
  let textStart = 0
  let i = html.indexOf('<')
  const flushText = (end: number) => {
    if (end > textStart) tokens.push({ kind: 'text', text: decodeEntities(html.slice(textStart, end)) })
  }
  while (i !== -1) {
    const tag = readTag(html, i)
    if (tag) {
      flushText(i)
      tokens.push(tag.token)
      textStart = tag.end
    }
    i = html.indexOf('<', tag ? tag.end : i + 1)
  }
  flushText(html.length)
  return tokens
}

function readTag(html: string, at: number): { token: HtmlToken; end: number } | undefined {
  for (const [start, end] of HIDDEN) {
    if (html.startsWith(start, at)) {
      const close = html.indexOf(end, at + start.length)
      return { token: { kind: 'hidden' }, end: close === -1 ? html.length : close + end.length }
    }
  }
  CLOSING_TAG.lastIndex = at
  const closing = CLOSING_TAG.exec(html)
  if (closing) return { token: { kind: 'close', name: closing[1]!.toLowerCase() }, end: CLOSING_TAG.lastIndex }
  TAG_NAME.lastIndex = at
  const name = TAG_NAME.exec(html)
  if (!name) return undefined
  const attributes: Record<string, string> = {}
  let position = TAG_NAME.lastIndex
  for (;;) {
    ATTRIBUTE.lastIndex = position
    const attribute = ATTRIBUTE.exec(html)
    if (!attribute) break
    const key = attribute[1]!.toLowerCase()
    if (!(key in attributes)) attributes[key] = decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? '')
    position = ATTRIBUTE.lastIndex
  }
  TAG_END.lastIndex = position
  const end = TAG_END.exec(html)
  if (!end) return undefined
  return {
    token: { kind: 'open', name: name[1]!.toLowerCase(), attributes, selfClosing: end[1] === '/' },
    end: TAG_END.lastIndex,
  }
}

const CHARACTER_REFERENCE = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g

/** Decodes HTML character references (`&amp;`, `&#123;`, `&#x1F600;`); unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(CHARACTER_REFERENCE, (reference, body: string) => {
    if (body[0] !== '#') return decodeNamedCharacterReference(body) || reference
    const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10)
    const invalid = code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
    return String.fromCodePoint(invalid ? 0xfffd : code)
  })
}
