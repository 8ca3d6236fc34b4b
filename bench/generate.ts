// Deterministic Markdown for the benchmarks: a realistic docs tree (nested folders, index pages, headings,
// paragraphs with inline marks, nested and ordered lists, code, tables, images, cross-links) and one large
// document of about 1,000 blocks. The same seed always gives the same bytes.
import path from 'node:path'

/** mulberry32: small, fast, good enough for picking words. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'the a an of to in for on with by from this that each every page wiki sync token secret runner workflow action ' +
  'document block paragraph heading list table image link folder node space parent child title marker hash write ' +
  'read call limit window second minute retry backoff error guidance summary output input release deploy build ' +
  'install configure cluster service request response latency cache queue worker shard index replica backup restore ' +
  'migrate schema field value default option flag setting environment variable path file branch commit push merge'
).split(' ')

const TOPICS = ['Overview', 'Setup', 'Usage', 'Configuration', 'Examples', 'Limits', 'Troubleshooting', 'Design', 'Operations', 'Security']

class Writer {
  constructor(readonly rnd: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.rnd() * (max - min + 1))
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)]!
  }
  chance(p: number): boolean {
    return this.rnd() < p
  }
  words(n: number): string {
    const out: string[] = []
    for (let i = 0; i < n; i++) out.push(this.pick(WORDS))
    return out.join(' ')
  }
  sentence(): string {
    const s = this.words(this.int(6, 16))
    return s[0]!.toUpperCase() + s.slice(1) + '.'
  }
  /** A paragraph with the inline marks real docs have. */
  paragraph(links: string[] = []): string {
    const parts: string[] = []
    const n = this.int(2, 5)
    for (let i = 0; i < n; i++) {
      let s = this.sentence()
      const roll = this.rnd()
      if (roll < 0.15) s = s.replace(/(\w+) (\w+)/, '**$1 $2**')
      else if (roll < 0.25) s = s.replace(/ (\w+)\./, ' _$1_.')
      else if (roll < 0.4) s = s.replace(/ (\w+) /, ' `$1` ')
      parts.push(s)
    }
    if (links.length > 0 && this.chance(0.5)) parts.push(`See [${this.words(2)}](${this.pick(links)}).`)
    if (this.chance(0.1)) parts.push('Read more at <https://example.com/docs>.')
    return parts.join(' ')
  }
}

export interface GeneratedTree {
  /** Path relative to the workspace ("docs/…") → content. */
  files: Record<string, string | Uint8Array>
  /** Markdown files only. */
  docs: number
  folders: number
  images: number
}

/** A 1×1 PNG (valid, tiny), so image uploads have real bytes. */
export const PNG_1X1 = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
)

/**
 * A docs tree of `count` Markdown files under `docs/`: top-level sections with sub-sections (three levels deep
 * at most), a few index.md pages, and the usual mix of content. Cross-links point at other files of the tree
 * by relative path, so the engine must resolve them to wiki URLs.
 */
export function generateDocsTree(count = 200, seed = 20260101, sections = 8): GeneratedTree {
  const w = new Writer(prng(seed))
  // Lay out the folders first, then deal the files into them.
  const folders: string[] = ['docs']
  if (sections > TOPICS.length) throw new Error(`at most ${TOPICS.length} sections`)
  for (let s = 0; s < sections; s++) {
    const top = `docs/${String(s + 1).padStart(2, '0')}-${TOPICS[s]!.toLowerCase()}`
    folders.push(top)
    const subs = w.int(1, 3)
    for (let j = 0; j < subs; j++) {
      const sub = `${top}/${w.pick(['guides', 'reference', 'how-to', 'concepts', 'recipes', 'api'])}-${j + 1}`
      folders.push(sub)
      if (w.chance(0.4)) folders.push(`${sub}/${w.pick(['advanced', 'internals', 'legacy'])}`)
    }
  }
  const paths: string[] = []
  const used = new Set<string>()
  for (let i = 0; i < count; i++) {
    // Index pages for some folders; every folder gets at least one file.
    const folder = i < folders.length ? folders[i]! : w.pick(folders)
    let name = i < folders.length && folder !== 'docs' && w.chance(0.35) ? 'index' : `${w.pick(TOPICS).toLowerCase()}-${w.words(1)}`
    let file = `${folder}/${name}.md`
    for (let k = 2; used.has(file); k++) file = `${folder}/${name}-${k}.md`
    used.add(file)
    paths.push(file)
  }

  const files: Record<string, string | Uint8Array> = {}
  let images = 0
  const imageNames: string[] = []
  for (let i = 0; i < 6; i++) {
    const name = `docs/assets/diagram-${i + 1}.png`
    files[name] = PNG_1X1
    imageNames.push(name)
  }
  paths.forEach((file, i) => {
    const rel = (target: string) => path.posix.relative(path.posix.dirname(file), target)
    const links = [0, 1, 2].map(() => rel(w.pick(paths)))
    const title = `${w.pick(TOPICS)} ${w.words(2)} ${i + 1}`
    const out: string[] = []
    if (w.chance(0.15)) out.push('---', `order: ${w.int(1, 20)}`, '---', '')
    out.push(`# ${title}`, '', w.paragraph(links), '')
    const sectionsInDoc = w.int(2, 5)
    for (let s = 0; s < sectionsInDoc; s++) {
      out.push(`## ${w.pick(TOPICS)} ${w.words(2)}`, '')
      for (let p = w.int(1, 3); p > 0; p--) out.push(w.paragraph(links), '')
      const roll = w.rnd()
      if (roll < 0.3) {
        for (let k = w.int(2, 5); k > 0; k--) {
          out.push(`- ${w.sentence()}`)
          if (w.chance(0.3)) out.push(`  - ${w.sentence()}`, `  - ${w.sentence()}`)
        }
        out.push('')
      } else if (roll < 0.5) {
        for (let k = 1; k <= w.int(2, 5); k++) out.push(`${k}. ${w.sentence()}`)
        out.push('')
      } else if (roll < 0.65) {
        const lang = w.pick(['bash', 'ts', 'yaml', 'json', 'python'])
        out.push('```' + lang, ...Array.from({ length: w.int(2, 8) }, () => `${w.words(1)} = "${w.words(2)}"`), '```', '')
      } else if (roll < 0.72) {
        out.push('| Name | Default | Meaning |', '| --- | --- | --- |')
        for (let r = w.int(2, 6); r > 0; r--) out.push(`| \`${w.words(1)}\` | ${w.int(0, 100)} | ${w.words(5)} |`)
        out.push('')
      } else if (roll < 0.76) {
        images++
        out.push(`![${w.words(2)}](${rel(w.pick(imageNames))})`, '')
      } else if (roll < 0.82) {
        out.push(`> ${w.sentence()} ${w.sentence()}`, '')
      } else if (roll < 0.86) {
        out.push(`- [ ] ${w.sentence()}`, `- [x] ${w.sentence()}`, '')
      }
    }
    files[file] = out.join('\n')
  })
  return { files, docs: paths.length, folders: folders.length - 1, images }
}

/**
 * One large document: sections of a heading, paragraphs and lists, with `blocks` content blocks in total
 * (headings, paragraphs and list items are one block each). Returns the Markdown and the index (0-based, in
 * content blocks) of a paragraph in the middle, and a function that rewrites that paragraph.
 */
export function generateLargeDoc(blocks = 1000, seed = 7): { markdown: string; edit(markdown: string): string } {
  const w = new Writer(prng(seed))
  // The H1 becomes the page title, not a block.
  const out: string[] = ['# A large generated handbook page', '']
  let n = 0
  let section = 0
  const target = Math.floor(blocks / 2)
  let marked = false
  while (n < blocks) {
    section++
    out.push(`## Section ${section}: ${w.words(3)}`, '')
    n++
    for (let p = 0; p < 6 && n < blocks; p++) {
      if (!marked && n >= target) {
        out.push('The paragraph the benchmark edits: it says the limit is five calls per second.', '')
        marked = true
      } else {
        out.push(w.paragraph(), '')
      }
      n++
    }
    for (let k = 0; k < 3 && n < blocks; k++) {
      out.push(`- ${w.sentence()}`)
      n++
    }
    out.push('')
  }
  return {
    markdown: out.join('\n'),
    edit: (markdown) => {
      const edited = markdown.replace(
        'The paragraph the benchmark edits: it says the limit is five calls per second.',
        'The paragraph the benchmark edits: it now says the limit is three calls per second.',
      )
      if (edited === markdown) throw new Error('generateLargeDoc: the paragraph to edit is missing')
      return edited
    },
  }
}
