// mdBook includes in fenced code (https://rust-lang.github.io/mdBook/format/mdbook.html#including-files):
// `{{#include file.rs}}`, `{{#include file.rs:2}}` (line 2), `:2:` (from line 2), `::10` (to line 10), `:2:10`,
// `{{#include file.rs:name}}` (between `ANCHOR: name` and `ANCHOR_END: name`), and `{{#rustdoc_include …}}`
// (the same selection: the part a reader sees; mdBook adds the rest as hidden lines). As in mdBook, lines holding
// an ANCHOR marker are left out. The converter stays pure: the caller passes a reader that answers for files it
// allows (inside the docs folder, docs.ts), and an include it cannot read stays as written, with a warning.
// Other site-generator syntax the converter cannot expand is published as written, with one warning per kind
// per file (siteSyntaxKinds).
import { resolveRepoPath } from './links.js'

/** Reads a repository file for an include (repo-relative path); undefined when it is missing or not allowed. */
export type IncludeReader = (repoPath: string) => string | undefined

const INCLUDE = /\{\{#(include|rustdoc_include)[ \t]+([^}\s]+)[ \t]*\}\}/g
const ANCHOR_LINE = /ANCHOR(?:_END)?:\s*[\w-]+/

export interface IncludeProblem {
  directive: string
  reason: string
}

/** The code with its includes expanded; `problems` for those left as written. */
export function expandIncludes(code: string, fromPath: string, read: IncludeReader | undefined): { code: string; problems: IncludeProblem[] } {
  if (!code.includes('{{#')) return { code, problems: [] }
  const problems: IncludeProblem[] = []
  const expanded = code.replace(INCLUDE, (directive: string, _kind: string, argument: string) => {
    const [file = '', ...selector] = argument.split(':')
    const path = resolveRepoPath(fromPath, file)
    const text = path === undefined || read === undefined ? undefined : read(path)
    if (text === undefined) {
      problems.push({ directive, reason: `${file} cannot be read (includes are read from files inside the docs folder)` })
      return directive
    }
    const selected = selectLines(text.replace(/\r\n?/g, '\n').split('\n'), selector)
    if (selected === undefined) {
      problems.push({ directive, reason: `${file} has no anchor "${selector.join(':')}"` })
      return directive
    }
    return selected.filter((line) => !ANCHOR_LINE.test(line)).join('\n').replace(/\n$/, '')
  })
  return { code: expanded, problems }
}

function selectLines(lines: string[], selector: readonly string[]): string[] | undefined {
  if (selector.length === 0 || (selector.length === 1 && selector[0] === '')) return lines
  const numbers = selector.map((part) => (part === '' ? undefined : /^\d+$/.test(part) ? Number(part) : Number.NaN))
  if (numbers.some((n) => Number.isNaN(n))) return anchored(lines, selector.join(':'))
  const [start, end] = numbers
  if (selector.length === 1) return lines.slice(start! - 1, start!)
  return lines.slice((start ?? 1) - 1, end ?? lines.length)
}

function anchored(lines: readonly string[], name: string): string[] | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const start = lines.findIndex((line) => new RegExp(`ANCHOR:\\s*${escaped}\\b`).test(line))
  if (start < 0) return undefined
  const end = lines.findIndex((line, i) => i > start && new RegExp(`ANCHOR_END:\\s*${escaped}\\b`).test(line))
  return lines.slice(start + 1, end < 0 ? lines.length : end)
}

/** Site-generator syntax outside code that is published as written, by kind. */
const SITE_SYNTAX: readonly [kind: string, pattern: RegExp][] = [
  ['mdBook {{#…}}', /\{\{#(?:include|rustdoc_include|playground|title|template)\b[^}]*\}\}/],
  ['VitePress code snippet (<<< @/…)', /^<<<[ \t]+@?\//m],
  ['VitePress/markdown-it [[toc]]', /^\[\[toc\]\]$/im],
  ['Vue/VitePress template expression ({{ … }})', /\{\{[ \t]*\$(?:frontmatter|params|page|site)\b[^}]*\}\}/],
]

/** The kinds of site-generator syntax in a paragraph's text. */
export function siteSyntaxKinds(text: string): string[] {
  if (!/\{\{|<<<|\[\[/.test(text)) return []
  return SITE_SYNTAX.filter(([, pattern]) => pattern.test(text)).map(([kind]) => kind)
}
