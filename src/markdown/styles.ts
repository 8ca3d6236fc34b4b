// Inline styles while walking phrasing content, and the text_element_style they become.
import type { Node } from 'mdast'
import type { TextElementStyle } from '../blocks/model.js'
import type { ConvertContext } from './context.js'
import { type HtmlToken, isVoidTag, tagRole } from './html.js'

export type StyleFlag = 'bold' | 'italic' | 'strikethrough' | 'underline' | 'inline_code' | 'highlight'

export interface InlineStyle {
  readonly flags: ReadonlySet<StyleFlag>
  /** Url-encoded link target. */
  readonly link?: string
  /** Identity for merging runs. */
  readonly key: string
}

export const PLAIN: InlineStyle = makeStyle(new Set(), undefined)

/** Background colour for `<mark>`: 3 = LightYellow in the text_element_style.background_color enum. */
const HIGHLIGHT_BACKGROUND = 3

export function withFlag(style: InlineStyle, flag: StyleFlag): InlineStyle {
  return style.flags.has(flag) ? style : makeStyle(new Set([...style.flags, flag]), style.link)
}

export function withLink(style: InlineStyle, url: string | undefined): InlineStyle {
  return makeStyle(style.flags, url)
}

function makeStyle(flags: ReadonlySet<StyleFlag>, link: string | undefined): InlineStyle {
  return { flags, ...(link !== undefined ? { link } : {}), key: `${[...flags].sort().join(',')}|${link ?? ''}` }
}

/** The text_element_style of a run; undefined for plain text. */
export function elementStyle(style: InlineStyle): TextElementStyle | undefined {
  if (style.key === PLAIN.key) return undefined
  const result: TextElementStyle = {}
  for (const flag of style.flags) {
    if (flag === 'highlight') result.background_color = HIGHLIGHT_BACKGROUND
    else result[flag] = true
  }
  if (style.link !== undefined) result.link = { url: style.link }
  return result
}

type Restyle = (style: InlineStyle) => InlineStyle

const unchanged: Restyle = (style) => style

/** How a style tag (`<b>`, `<code>`, `<a href>`, …) changes the style of what it wraps. */
export function tagStyle(token: Extract<HtmlToken, { kind: 'open' }>, ctx: ConvertContext, source: Node): Restyle {
  const role = tagRole(token.name)
  if (role.role === 'style') return (style) => withFlag(style, role.style)
  if (role.role === 'link' && token.attributes.href !== undefined) {
    const url = ctx.linkUrl(token.attributes.href, source)
    return (style) => withLink(style, url)
  }
  return unchanged
}

/** The styles opened by HTML tags, kept until their end tags (which may come in later nodes). */
export class TagStyles {
  private readonly open: { name: string; restyle: Restyle }[] = []

  /** A tag that wraps content; void and self-closing tags wrap nothing. */
  enter(token: Extract<HtmlToken, { kind: 'open' }>, restyle: Restyle = unchanged): void {
    if (!token.selfClosing && !isVoidTag(token.name)) this.open.push({ name: token.name, restyle })
  }

  leave(name: string): void {
    const index = this.open.findLastIndex((tag) => tag.name === name)
    if (index !== -1) this.open.splice(index, 1)
  }

  applyTo(style: InlineStyle): InlineStyle {
    return this.open.reduce((current, tag) => tag.restyle(current), style)
  }
}
