// Converter throughput on a generated, realistic 5 MB docs corpus, next to the throughput of parsing the same
// text with mdast-util-from-markdown and the same micromark extensions (GFM, math, front matter).
//   npx tsx bench/converter.ts
// Prints the figures; `runConverterBench()` returns them for a bench harness.
import { fileURLToPath } from 'node:url'
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { gfmFromMarkdown } from 'mdast-util-gfm'
import { mathFromMarkdown } from 'mdast-util-math'
import { frontmatter } from 'micromark-extension-frontmatter'
import { gfm } from 'micromark-extension-gfm'
import { math } from 'micromark-extension-math'
import { convertMarkdown } from '../src/markdown/index.js'

const CORPUS_BYTES = 5 * 1024 * 1024

export interface ConverterBench {
  mb_per_s: number
  ratio_to_parse: number
}

export async function runConverterBench(): Promise<ConverterBench> {
  const corpus = generateCorpus(CORPUS_BYTES)
  const parseOptions = {
    extensions: [gfm(), math(), frontmatter(['yaml'])],
    mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown(), frontmatterFromMarkdown(['yaml'])],
  }
  const parse = (doc: Doc) => fromMarkdown(doc.text, parseOptions)
  const convert = (doc: Doc) => convertMarkdown(doc.text, { path: doc.path })
  // Warm both code paths up, then time them doc by doc in turn, so load on the machine hits both alike.
  for (const doc of corpus.slice(0, 20)) {
    parse(doc)
    convert(doc)
  }
  let parseMs = 0
  let convertMs = 0
  for (const doc of corpus) {
    parseMs += timed(() => parse(doc))
    convertMs += timed(() => convert(doc))
  }
  const megabytes = corpus.reduce((sum, doc) => sum + Buffer.byteLength(doc.text), 0) / 1e6
  const mbPerSecond = megabytes / (convertMs / 1000)
  const parseMbPerSecond = megabytes / (parseMs / 1000)
  return { mb_per_s: round(mbPerSecond), ratio_to_parse: round(mbPerSecond / parseMbPerSecond) }
}

function timed(work: () => unknown): number {
  const start = performance.now()
  work()
  return performance.now() - start
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

interface Doc {
  path: string
  text: string
}

/** A deterministic docs tree: pages of 2–40 kB made of the constructs real documentation uses. */
export function generateCorpus(totalBytes: number): Doc[] {
  const random = mulberry32(20_241_125)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const words = 'the sync action publishes docs wiki page token refresh secret node block table image link code list config build deploy test user team release api request response error retry limit'.split(' ')
  const sentence = () => {
    const parts = Array.from({ length: 6 + Math.floor(random() * 14) }, () => pick(words))
    const styled = parts.map((word) => {
      const roll = random()
      if (roll < 0.05) return `**${word}**`
      if (roll < 0.09) return `*${word}*`
      if (roll < 0.12) return `\`${word}()\``
      if (roll < 0.15) return `[${word}](${pick(['../guide/setup.md#install', './api.md', 'https://example.com/docs', '#overview'])})`
      if (roll < 0.16) return `~~${word}~~`
      return word
    })
    return `${styled.join(' ')}.`
  }
  const paragraph = () => Array.from({ length: 2 + Math.floor(random() * 4) }, sentence).join(' ')
  const list = () => {
    const ordered = random() < 0.4
    return Array.from({ length: 3 + Math.floor(random() * 5) }, (_, i) => {
      const item = `${ordered ? `${i + 1}.` : '-'} ${sentence()}`
      return random() < 0.3 ? `${item}\n  - ${sentence()}\n  - ${sentence()}` : item
    }).join('\n')
  }
  const table = () => {
    const columns = 2 + Math.floor(random() * 3)
    const row = () => `| ${Array.from({ length: columns }, () => `${pick(words)} ${pick(words)}`).join(' | ')} |`
    return [row(), `|${' --- |'.repeat(columns)}`, ...Array.from({ length: 3 + Math.floor(random() * 8) }, row)].join('\n')
  }
  const code = () => {
    const lines = Array.from({ length: 3 + Math.floor(random() * 12) }, () => `  ${pick(words)}(${pick(words)}, ${Math.floor(random() * 100)})`)
    return `\`\`\`${pick(['ts', 'yaml', 'sh', 'json', 'python'])}\n${lines.join('\n')}\n\`\`\``
  }
  const quote = () => `> ${sentence()}\n> ${sentence()}`
  const section = () => [`## ${sentence().replace(/[*`[\]()~#.]/g, '')}`, paragraph(), pick([list, table, code, quote, paragraph])(), paragraph(), pick([list, code, table])()].join('\n\n')

  const docs: Doc[] = []
  let bytes = 0
  while (bytes < totalBytes) {
    const target = 2_000 + Math.floor(random() * 38_000)
    let text = `---\ntitle: Page ${docs.length}\n---\n\n# Page ${docs.length}\n\n${paragraph()}\n`
    while (text.length < target) text += `\n${section()}\n`
    docs.push({ path: `docs/${pick(words)}/page-${docs.length}.md`, text })
    bytes += Buffer.byteLength(text)
  }
  return docs
}

/** A small seeded PRNG (public-domain mulberry32), so the corpus is the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runConverterBench()
  console.log(`converter: ${result.mb_per_s} MB/s on a ${CORPUS_BYTES / 1024 / 1024} MB docs corpus`)
  console.log(`ratio to parsing alone (mdast-util-from-markdown + gfm, math, front matter): ${result.ratio_to_parse} (goal ≥ 0.7)`)
}
