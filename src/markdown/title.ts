// The document title: front matter `title`, else the first H1 (which then leaves the body, so re-publishing never
// stacks a second H1 under the title: larksuite/cli issue #819), else the file name.
import type { Heading, Root } from 'mdast'
import { plainText } from './inline.js'

export interface TitleChoice {
  title: string
  titleSource: 'front-matter' | 'h1' | 'file-name'
  /** The heading that became the title (or repeats it), left out of the body. */
  removedHeading?: Heading
}

const MARKDOWN_EXTENSION = /\.(?:md|markdown|mdown|mkd|mkdn)$/i
const FOLDER_PAGE = /^(?:readme|index)$/i
/** Top-level nodes that show nothing, so an H1 after them still opens the document. */
const INVISIBLE = new Set(['yaml', 'definition', 'footnoteDefinition'])

export function chooseTitle(roots: readonly Root[], frontMatter: Record<string, unknown>, path: string): TitleChoice {
  const fromFrontMatter = frontMatterTitle(frontMatter.title)
  const h1 = firstH1(roots)
  if (fromFrontMatter !== undefined) {
    // An opening H1 that only repeats the front matter title would show the title twice.
    const repeated = h1 && h1.opensDocument && h1.text === fromFrontMatter
    return { title: fromFrontMatter, titleSource: 'front-matter', ...(repeated ? { removedHeading: h1.heading } : {}) }
  }
  if (h1) return { title: h1.text, titleSource: 'h1', removedHeading: h1.heading }
  return { title: fileTitle(path), titleSource: 'file-name' }
}

function frontMatterTitle(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  const title = String(value).replace(/\s+/g, ' ').trim()
  return title === '' ? undefined : title
}

/** The first top-level H1 with visible text. */
function firstH1(roots: readonly Root[]): { heading: Heading; text: string; opensDocument: boolean } | undefined {
  let opensDocument = true
  for (const root of roots) {
    for (const node of root.children) {
      if (node.type === 'heading' && node.depth === 1) {
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
