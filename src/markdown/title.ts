// The document title, in this order (docs/titles-and-order.md):
// 1. front matter `title`;
// 2. the site generator's navigation: the title the caller read from mdBook's SUMMARY.md or MkDocs' `nav`
//    (ConvertOptions.navigationTitle), else Docusaurus' `sidebar_label` front matter;
// 3. the heading, of any level, that opens the document (mdBook chapters often start with `##`), else the first
//    H1 anywhere (a README with badges before its H1);
// 4. the file name.
// A heading that became the title, or that opens the document and only repeats the title, leaves the body, so
// re-publishing never stacks a second heading under the title (larksuite/cli issue #819).
import type { Heading, Root } from 'mdast'
import { plainText } from './inline.js'

export type TitleSource = 'front-matter' | 'navigation' | 'heading' | 'file-name'

export interface TitleChoice {
  title: string
  titleSource: TitleSource
  /** The heading that became the title (or repeats it), left out of the body. */
  removedHeading?: Heading
}

const MARKDOWN_EXTENSION = /\.(?:md|markdown|mdown|mkd|mkdn)$/i
const FOLDER_PAGE = /^(?:readme|index)$/i
/** Top-level nodes that show nothing, so an H1 after them still opens the document. */
const INVISIBLE = new Set(['yaml', 'definition', 'footnoteDefinition'])

export function chooseTitle(roots: readonly Root[], frontMatter: Record<string, unknown>, path: string, navigationTitle?: string): TitleChoice {
  const heading = titleHeading(roots)
  const given: [string | undefined, TitleSource][] = [
    [textTitle(frontMatter.title), 'front-matter'],
    [textTitle(navigationTitle) ?? textTitle(frontMatter.sidebar_label), 'navigation'],
  ]
  for (const [title, titleSource] of given) {
    if (title === undefined) continue
    // An opening heading that only repeats the title would show it twice.
    const repeated = heading && heading.opensDocument && heading.text === title
    return { title, titleSource, ...(repeated ? { removedHeading: heading.heading } : {}) }
  }
  if (heading) return { title: heading.text, titleSource: 'heading', removedHeading: heading.heading }
  return { title: fileTitle(path), titleSource: 'file-name' }
}

function textTitle(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  const title = String(value).replace(/\s+/g, ' ').trim()
  return title === '' ? undefined : title
}

/** The heading of any level that opens the document, else the first top-level H1 with visible text. */
function titleHeading(roots: readonly Root[]): { heading: Heading; text: string; opensDocument: boolean } | undefined {
  let opensDocument = true
  for (const root of roots) {
    for (const node of root.children) {
      if (node.type === 'heading' && (node.depth === 1 || opensDocument)) {
        const text = plainText(node.children)
        if (text !== '') return { heading: node, text, opensDocument }
      }
      if (!INVISIBLE.has(node.type)) opensDocument = false
    }
  }
  return undefined
}

/** The file name without its extension; a README or index page is named after its folder. */
export function fileTitle(path: string): string {
  const parts = path.split('/').filter((part) => part !== '')
  const stem = (parts.at(-1) ?? '').replace(MARKDOWN_EXTENSION, '')
  if (FOLDER_PAGE.test(stem) && parts.length > 1) return parts.at(-2)!
  return stem || path
}
