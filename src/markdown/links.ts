// Link and image targets: what they point at (external URL, anchor, file in the repository) and the repo-relative
// path of a relative target. POSIX paths, no file system access.

export type LinkKind = 'markdown-file' | 'repo-file' | 'anchor' | 'external'

export interface LinkTarget {
  href: string
  /** Repo-relative resolved path (normalized, no `#anchor`), for links into the repository. */
  path?: string
  anchor?: string
}

export interface ClassifiedLink extends LinkTarget {
  kind: LinkKind
  /** A relative target that climbs above the repository root. */
  outsideRepo: boolean
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/
const MARKDOWN_FILE = /\.(?:md|markdown)$/i

export function isExternal(href: string): boolean {
  return SCHEME.test(href) || href.startsWith('//')
}

/** Classifies a link written in the file at `fromPath`. */
export function classifyLink(href: string, fromPath: string): ClassifiedLink {
  if (isExternal(href)) return { href, kind: 'external', outsideRepo: false }
  const hash = href.indexOf('#')
  const target = hash === -1 ? href : href.slice(0, hash)
  const anchor = hash === -1 ? undefined : safeDecode(href.slice(hash + 1))
  const filePart = target.replace(/\?.*$/, '')
  if (filePart === '') return { href, kind: 'anchor', path: fromPath, ...(anchor !== undefined ? { anchor } : {}), outsideRepo: false }
  const path = resolveRepoPath(fromPath, safeDecode(filePart))
  return {
    href,
    kind: MARKDOWN_FILE.test(filePart) ? 'markdown-file' : 'repo-file',
    ...(path !== undefined ? { path } : {}),
    ...(anchor !== undefined ? { anchor } : {}),
    outsideRepo: path === undefined,
  }
}

/** Where an image source points: a remote URL, or a file of the repository (path undefined above the root). */
export function classifyImage(src: string, fromPath: string): { kind: 'remote' } | { kind: 'local'; path: string | undefined } {
  if (isExternal(src)) return { kind: 'remote' }
  return { kind: 'local', path: resolveRepoPath(fromPath, safeDecode(src.replace(/[?#].*$/, ''))) }
}

/**
 * Resolves `target` against the directory of `fromPath` (or against the repository root when it starts with
 * `/`, as GitHub does), normalizing `.`, `..` and repeated slashes. Undefined when it climbs above the root.
 */
export function resolveRepoPath(fromPath: string, target: string): string | undefined {
  const parts = target.startsWith('/') ? [] : fromPath.split('/').slice(0, -1)
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else parts.push(part)
  }
  return parts.join('/')
}

/**
 * A link URL as `text_element_style.link.url` takes it: the whole URL percent-encoded ("需要 url_encode",
 * https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/block-data-structure; real
 * documents store e.g. "https%3A%2F%2Fopen.feishu.cn%2Fapp").
 */
export function encodeLinkUrl(url: string): string {
  return encodeURIComponent(url)
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
