// Markdown the action writes itself: the page of a folder without index.md/README.md (a list of its pages),
// and the "Archived" page. Both go through the same converter and link resolution as the user's files.
import type { DocsTree, SourcePage } from './tree.js'

/** The list of a folder's pages, with relative links the link resolver turns into wiki links. */
export function folderListMarkdown(folder: SourcePage, tree: Pick<DocsTree, 'pages'>): string {
  const lines = ['Pages in this section:', '']
  for (const key of folder.children) {
    const child = tree.pages.get(key)!
    const target = child.kind === 'folder' ? `${encodePath(child.name)}/` : encodePath(child.name)
    lines.push(`- [${escapeLinkText(child.title)}](${target})`)
  }
  return `${lines.join('\n')}\n`
}

/** Where a generated folder page "lives" for resolving its relative links. */
export function folderVirtualPath(folder: SourcePage): string {
  return `${folder.repoPath}/index.md`
}

export function archiveMarkdown(source: string): string {
  return [
    `Pages whose source files were removed from ${escapeText(source)} are moved here by feishu-wiki-sync (\`on-delete: archive\`).`,
    '',
    'They are no longer updated. Move a page back if you want to keep it, or delete it when it is no longer needed.',
    '',
  ].join('\n')
}

export const ARCHIVE_TITLE = 'Archived'

function encodePath(name: string): string {
  return name
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/')
}

function escapeLinkText(text: string): string {
  return text.replace(/([\\[\]*_`<>])/g, '\\$1')
}

function escapeText(text: string): string {
  return text.replace(/([\\*_`<>[\]])/g, '\\$1')
}
