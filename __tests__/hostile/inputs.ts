// Hostile Markdown for the end-to-end runs: bytes that are not UTF-8, NUL bytes, very large files and tables,
// deep nesting, and the pathological inputs of commonmark.js (test/pathological_tests.js, the cases that made
// parsers quadratic or blow the stack).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** "请阅读文档" ("please read the docs") in GBK: not UTF-8 (0xC7 0xEB starts no valid sequence here). */
export const GBK_BYTES = Buffer.from([0xc7, 0xeb, 0xd4, 0xc4, 0xb6, 0xc1, 0xce, 0xc4, 0xb5, 0xb5])

export function gbkFile(): Buffer {
  return Buffer.concat([Buffer.from('# GBK notes\n\nThe next line was saved in GBK:\n\n'), GBK_BYTES, Buffer.from('\n')])
}

export function nulFile(): Buffer {
  return Buffer.from('# NUL bytes\n\nabc\u0000de\u0000\n\nA binary blob renamed .md: \u0000\u0001\u0002\u0000\n', 'utf8')
}

/** About `bytes` of ordinary Markdown: sections of headings, paragraphs and lists. */
export function largeFile(bytes = 5 * 1024 * 1024): string {
  const out: string[] = ['# A five-megabyte page\n\n']
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const chunk =
      `## Section ${i}\n\nParagraph ${i} of a very long page, with **bold**, _emphasis_ and \`code\`; it goes on for a while so that ` +
      `the file reaches its size with ordinary content rather than one giant line. Lorem ipsum dolor sit amet.\n\n` +
      `- item ${i}.1\n- item ${i}.2\n\n`
    out.push(chunk)
    size += chunk.length
  }
  return out.join('')
}

export function bigTable(rows = 10_000): string {
  const out = ['# Ten thousand rows', '', '| id | name | value |', '| --- | --- | --- |']
  for (let i = 1; i <= rows; i++) out.push(`| ${i} | row ${i} | ${(i * 7) % 1000} |`)
  return `${out.join('\n')}\n`
}

export function deepList(depth = 100): string {
  const out = ['# Lists nested 100 deep', '']
  for (let i = 0; i < depth; i++) out.push(`${'  '.repeat(i)}- level ${i + 1}`)
  return `${out.join('\n')}\n`
}

/** commonmark.js test/pathological_tests.js, at the sizes it uses (a few shrunk where noted). */
export function pathologicalCases(): Record<string, string> {
  const r = (s: string, n: number) => s.repeat(n)
  return {
    'nested-strong-emph': `${r('*a **a ', 65_000)}b${r(' a** a*', 65_000)}`,
    'emph-closers-no-openers': r('a_ ', 65_000),
    'emph-openers-no-closers': r('_a ', 65_000),
    'link-closers-no-openers': r('a]', 65_000),
    'link-openers-no-closers': r('[a', 65_000),
    'mismatched-openers-closers': r('*a_ ', 50_000),
    'openers-closers-multiple-of-3': `a**b${r('c* ', 50_000)}`,
    'link-openers-emph-closers': r('[ a_', 50_000),
    'pattern-bracket-paren': r('[ (](', 80_000),
    'hard-link-emph': '**x [a*b**c*](d)',
    'nested-brackets': `${r('[', 50_000)}a${r(']', 50_000)}`,
    'nested-block-quotes': `${r('> ', 50_000)}a`,
    'deeply-nested-lists': Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}* a`).join('\n'),
    'backticks': Array.from({ length: 5000 }, (_, i) => `e${'`'.repeat(i + 1)}`).join(''),
    'unclosed-links-a': r('[a](<b', 30_000),
    'unclosed-links-b': r('[a](b', 30_000),
    'unclosed-comment': `</${r('<!--', 30_000)}`,
    'unclosed-cdata': `a <![CDATA[${r(']', 30_000)}`,
    'unclosed-processing-instruction': `a <?${r('?', 30_000)}`,
    'unclosed-declaration': `a <!A${r(' ', 30_000)}`,
    'many-references': Array.from({ length: 50_000 }, (_, i) => `[${i}]: /url`).join('\n'),
    'reference-title-unclosed': `[t]: /url 'title${r(' ', 50_000)}`,
    'u0000-in-input': 'abc\u0000de\u0000',
    'tabs-in-list': r('- \t', 20_000),
  }
}

/** A folder outside every workspace with a file a symlink can point at. */
export function outsideSecretFile(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-outside-'))
  const file = path.join(dir, 'secret.md')
  fs.writeFileSync(file, '# Outside the workspace\n\nTHIS TEXT MUST NEVER BE PUBLISHED.\n')
  return { dir, file }
}

/** A preloaded script that records the process's peak RSS (kB) into $FWS_RSS_FILE when it exits. */
export const RSS_PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rss-probe.cjs')
