// The images a docs folder shows, read under the same rules as its Markdown: a pull request may write
// `![](../.git/config)` or an `img/x.png` symlink to a runner file, and whatever is read is uploaded to Feishu.
//
// Rules, each named in the warning of a refused image:
// - inside `path`: the image's repository path, and its real path (symlinks resolved), lie inside `path`;
// - not hidden: no path segment starts with "." (.git, .github, dotfiles), before or after resolving links;
// - a file of at most 20 MB (upload_all's limit; files are `stat`ed, never read, before this is known);
// - an image by its first bytes: PNG, JPEG, GIF, WebP, BMP, or SVG text;
// - per run at most MAX_IMAGE_FILES image files and MAX_IMAGE_BYTES of them.
// Each real file is read once per run and kept for the run (the per-run byte cap bounds that memory): one 15 MB
// image shown 60 times is 15 MB of memory, not 900, however often pages ask for it (fingerprint, then write).
//
// One upload per image block stays: for parent_type docx_image, parent_node is "the block_id of the image block
// the material is uploaded into" (https://open.feishu.cn/document/server-docs/docs/drive-v1/media/introduction),
// and replace_image with a token uploaded for another block answers 1770013 relation mismatch.
import fs from 'node:fs'
import path from 'node:path'
import { UPLOAD_ALL_MAX_BYTES } from '../../feishu/media.js'

/** Image files one run may read (distinct real files). */
export const MAX_IMAGE_FILES = 1_000
/** Bytes of image files one run may read (distinct real files). */
export const MAX_IMAGE_BYTES = 256 * 1024 * 1024
/** How many bytes the type check reads. */
const SNIFF_BYTES = 4096

interface Admitted {
  real: string
  size: number
}

export class ImageStore {
  /** By repository path: the admitted file, or why it was refused. */
  private readonly byPath = new Map<string, Admitted | { refused: string }>()
  /** By real path: the bytes being read or held. */
  private readonly bytes = new Map<string, Promise<Uint8Array | undefined>>()
  private readonly admittedReal = new Map<string, Admitted>()
  private files = 0
  private total = 0

  constructor(private readonly root: { workspace: string; rootRepoPath: string; rootReal: string }) {}

  /** Check an image a page shows (once per reference, at load time); the reason when it is refused. */
  admit(repoPath: string): string | undefined {
    let entry = this.byPath.get(repoPath)
    if (!entry) {
      entry = this.check(repoPath)
      this.byPath.set(repoPath, entry)
    }
    return 'refused' in entry ? entry.refused : undefined
  }

  /** The bytes of an admitted image (read once per run), or undefined when it was refused or cannot be read. */
  async read(repoPath: string): Promise<Uint8Array | undefined> {
    // A path loadDocs did not see is checked (and counted) now.
    if (!this.byPath.has(repoPath) && this.admit(repoPath) !== undefined) return undefined
    const entry = this.byPath.get(repoPath)!
    if ('refused' in entry) return undefined
    let bytes = this.bytes.get(entry.real)
    if (!bytes) {
      bytes = readAtMost(entry.real, UPLOAD_ALL_MAX_BYTES)
      this.bytes.set(entry.real, bytes)
    }
    return bytes
  }

  private check(repoPath: string): Admitted | { refused: string } {
    const { rootRepoPath, rootReal, workspace } = this.root
    const fromRoot = rootRepoPath === '.' ? repoPath : path.posix.relative(rootRepoPath, repoPath)
    if (fromRoot === '' || fromRoot.startsWith('..') || path.posix.isAbsolute(fromRoot)) {
      return { refused: `it is outside \`path\` (${rootRepoPath}); rule: only files inside \`path\` are read` }
    }
    if (hasHiddenSegment(fromRoot)) return { refused: 'a path segment is hidden (starts with "."); rule: no hidden files or folders' }
    let real: string
    try {
      real = fs.realpathSync(path.resolve(workspace, repoPath))
    } catch {
      return { refused: 'no such file' }
    }
    if (!inside(rootReal, real) || hasHiddenSegment(path.relative(rootReal, real))) {
      return { refused: `a symbolic link leads out of \`path\` (${rootRepoPath}) or into a hidden folder; rule: no link out of \`path\` is followed` }
    }
    const known = this.admittedReal.get(real)
    if (known) return known
    let stat: fs.Stats
    try {
      stat = fs.statSync(real)
    } catch {
      return { refused: 'no such file' }
    }
    if (!stat.isFile()) return { refused: 'it is not a file' }
    if (stat.size > UPLOAD_ALL_MAX_BYTES) {
      return { refused: `it is ${(stat.size / 1024 / 1024).toFixed(1)} MB; rule: images over 20 MB (Feishu's upload limit) are not uploaded` }
    }
    const kind = imageKind(sniff(real))
    if (!kind) return { refused: 'its bytes are not a PNG, JPEG, GIF, WebP, BMP or SVG image; rule: only images are uploaded' }
    if (this.files + 1 > MAX_IMAGE_FILES || this.total + stat.size > MAX_IMAGE_BYTES) {
      return {
        refused: `this run already reads ${this.files} image files (${(this.total / 1024 / 1024).toFixed(0)} MB); rule: at most ${MAX_IMAGE_FILES} image files and ${MAX_IMAGE_BYTES / 1024 / 1024} MB per run`,
      }
    }
    this.files++
    this.total += stat.size
    const admitted: Admitted = { real, size: stat.size }
    this.admittedReal.set(real, admitted)
    return admitted
  }
}

/** The image type by its first bytes, or undefined. */
export function imageKind(head: Uint8Array): 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'svg' | undefined {
  const b = head
  const ascii = (from: number, text: string) => [...text].every((c, i) => b[from + i] === c.charCodeAt(0))
  if (b.length >= 8 && b[0] === 0x89 && ascii(1, 'PNG\r\n\x1a\n')) return 'png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif'
  if (b.length >= 12 && ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp'
  if (b.length >= 14 && ascii(0, 'BM')) return 'bmp'
  // SVG is text: optional BOM, XML declaration, comments and doctype, then an <svg> element.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(b).replace(/^\uFEFF/, '')
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE\s+svg[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text)) return 'svg'
  return undefined
}

export function hasHiddenSegment(relPath: string): boolean {
  return relPath.split(/[\\/]/).some((part) => part.startsWith('.') && part !== '.' && part !== '..')
}

export function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

function sniff(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r')
  try {
    const head = Buffer.alloc(SNIFF_BYTES)
    return head.subarray(0, fs.readSync(fd, head, 0, SNIFF_BYTES, 0))
  } finally {
    fs.closeSync(fd)
  }
}

/** The file's bytes, or undefined when it cannot be read or has grown past `max` since it was checked. */
async function readAtMost(file: string, max: number): Promise<Uint8Array | undefined> {
  try {
    const stat = await fs.promises.stat(file)
    if (!stat.isFile() || stat.size > max) return undefined
    return await fs.promises.readFile(file)
  } catch {
    return undefined
  }
}
