// Admonitions: VitePress (https://vitepress.dev/guide/markdown#custom-containers) and Docusaurus
// (https://docusaurus.io/docs/markdown-features/admonitions) containers, `::: tip Title` … `:::`, → Feishu callouts
// in GitHub's alert colours (alerts.ts), the title as the callout's first line.
//
// Parsing is the ecosystem's directive parser (micromark-extension-directive + mdast-util-directive, what
// remark-directive wires up), its container construct only: its text construct would turn every `key:value` in
// prose into a directive. Directives write the title as a label, `:::tip[Title]`; VitePress and Docusaurus write
// it after the name, `::: tip Title`. Like Docusaurus' own loader (which also parses admonitions with
// remark-directive), the title form is rewritten into the label form on the opening line before parsing: same
// lines, so positions stay right. Fenced code is left alone.
//
// `details` has no collapsible equivalent in a docx (no such block type; `folded` is only a style), so it is a
// grey callout whose first line is its summary. Other containers (`::: code-group`, `::: v-pre`, …) have no
// Feishu equivalent: their content is published without them, with one warning per kind per file.
import type { ContainerDirective } from 'mdast-util-directive'
import { directiveFromMarkdown } from 'mdast-util-directive'
import { directive } from 'micromark-extension-directive'
import type { Extension } from 'micromark-util-types'
import type { Processor } from 'unified'

export interface Admonition {
  /** The callout's first line: the author's title, else the kind's name. */
  label: string
  colors: { background_color: number; border_color: number }
}

/** GitHub alert colours (alerts.ts): blue note, green tip, purple important, yellow warning, red caution/danger; grey details. */
const KINDS: Readonly<Record<string, Admonition>> = {
  note: { label: 'Note', colors: { background_color: 5, border_color: 5 } },
  info: { label: 'Info', colors: { background_color: 5, border_color: 5 } },
  tip: { label: 'Tip', colors: { background_color: 4, border_color: 4 } },
  important: { label: 'Important', colors: { background_color: 6, border_color: 6 } },
  warning: { label: 'Warning', colors: { background_color: 3, border_color: 3 } },
  caution: { label: 'Caution', colors: { background_color: 1, border_color: 1 } },
  danger: { label: 'Danger', colors: { background_color: 1, border_color: 1 } },
  details: { label: 'Details', colors: { background_color: 7, border_color: 7 } },
}

export function admonitionKind(name: string): Admonition | undefined {
  return KINDS[name.toLowerCase()]
}

/** The directive parser's container construct alone (see above). */
export function containerDirectiveSyntax(): Extension {
  const [container] = directive().flow![58] as unknown[]
  return { flow: { 58: container as never } }
}

/** A unified plugin: container directives (`:::name[label]{attributes}` … `:::`) as `containerDirective` nodes. */
export function containerDirectives(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(containerDirectiveSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(directiveFromMarkdown())
}

const CONTAINER_OPEN = /^([ \t]*(?:>[ \t]?)*[ \t]*)(:{3,})[ \t]*([A-Za-z][\w-]*)(.*)$/
const FENCE = /^[ \t]*(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})/

/**
 * `::: tip Title` → `:::tip[Title]`, `::: details` → `:::details`, outside fenced code. Attributes written as
 * `{…}` are left to the directive parser.
 */
export function rewriteContainerTitles(markdown: string): string {
  if (!markdown.includes(':::')) return markdown
  const lines = markdown.split('\n')
  let fence: { char: string; size: number } | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const fenceMatch = FENCE.exec(line)
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence.char && fenceMatch[1]!.length >= fence.size && line.slice(fenceMatch[0].length).trim() === '') fence = undefined
      continue
    }
    if (fenceMatch) {
      fence = { char: fenceMatch[1]![0]!, size: fenceMatch[1]!.length }
      continue
    }
    const open = CONTAINER_OPEN.exec(line.replace(/\r$/, ''))
    if (!open) continue
    const [, prefix, colons, name, rest] = open as unknown as [string, string, string, string, string]
    const title = rest.trim()
    const cr = line.endsWith('\r') ? '\r' : ''
    if (title === '' || title.startsWith('{')) lines[i] = `${prefix}${colons}${name}${title === '' ? '' : ` ${title}`}${cr}`
    else if (title.startsWith('[')) continue
    else lines[i] = `${prefix}${colons}${name}[${title.replace(/[[\]\\]/g, '\\$&')}]${cr}`
  }
  return lines.join('\n')
}

/** The title a container directive was given (its label paragraph), and its other children. */
export function splitLabel(node: ContainerDirective): { label: ContainerDirective['children'][number] | undefined; content: ContainerDirective['children'] } {
  const [first, ...others] = node.children
  if (first?.type === 'paragraph' && (first.data as { directiveLabel?: boolean } | undefined)?.directiveLabel) return { label: first, content: others }
  return { label: undefined, content: node.children }
}
