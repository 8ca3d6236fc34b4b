// What mode: check (and `feishu-wiki-sync check`) found, for people: one line per finding in the terminal and
// the log ("file:line:column: warning: …", the form editors and CI logs link), an annotation per finding, and a
// job summary with the findings and the tree each mapping would become.
import type * as core from '@actions/core'
import type { CheckResult, Finding, FindingKind } from '../check/index.js'

type Summary = typeof core.summary

const KIND_TITLE: Record<FindingKind, string> = {
  unpublishable: 'Would fail to publish',
  link: 'Broken link',
  anchor: 'Missing anchor',
  image: 'Image',
  'title-clash': 'Title clash',
  conversion: 'Converted with a change',
  skipped: 'Not published',
}

/** The findings stay readable in a summary; the full list is always in the log. */
const SUMMARY_FINDINGS = 500

export function findingLine(f: Finding): string {
  const at = [f.file, f.line, f.line !== undefined ? f.column : undefined].filter((p) => p !== undefined).join(':')
  return `${at}: ${f.severity}: ${f.message}`
}

/** The whole report as plain lines: findings, each mapping's tree, the counts. */
export function checkLines(result: CheckResult): string[] {
  const lines = result.findings.map(findingLine)
  for (const m of result.mappings) {
    if (lines.length > 0) lines.push('')
    lines.push(`${m.path} → ${where(m)}: ${m.files} file(s)${m.excluded ? `, ${m.excluded} left out by exclude` : ''}`)
    for (const t of m.tree) lines.push(`${'  '.repeat(t.depth + 1)}${t.title}  (${t.source})`)
  }
  lines.push('', verdict(result))
  return lines
}

export function annotationTitle(f: Finding): string {
  return KIND_TITLE[f.kind]
}

export function verdict(result: CheckResult): string {
  const counts = `${result.errors} error(s), ${result.warnings} warning(s)`
  return result.errors > 0 ? `Check: ${counts}; the files with errors would fail to publish.` : `Check: ${counts}; every file would publish.`
}

export function writeCheckSummary(summary: Summary, result: CheckResult): void {
  summary.addRaw(`<h3>Check (nothing was spent, read or written)</h3>`, true)
  summary.addRaw(`<p>${result.errors > 0 ? '❌' : result.warnings > 0 ? '⚠️' : '✅'} ${esc(verdict(result))}</p>`, true)
  if (result.findings.length > 0) {
    let table = '<table><tr><th>File</th><th>Line</th><th>Kind</th><th>Finding</th></tr>'
    for (const f of result.findings.slice(0, SUMMARY_FINDINGS)) {
      table += `<tr><td><code>${esc(f.file)}</code></td><td>${f.line ?? ''}</td><td>${f.severity === 'error' ? '❌' : '⚠️'} ${esc(KIND_TITLE[f.kind])}</td><td>${esc(f.message)}</td></tr>`
    }
    summary.addRaw(`${table}</table>`, true)
    if (result.findings.length > SUMMARY_FINDINGS) {
      summary.addRaw(`<p>… and ${result.findings.length - SUMMARY_FINDINGS} more; the full list is in the log of this step.</p>`, true)
    }
  }
  for (const m of result.mappings) {
    summary.addRaw(`<h4>The pages <code>${esc(m.path)}</code> would become (${esc(where(m))})</h4>`, true)
    const tree = m.tree.map((t) => `${'  '.repeat(t.depth)}${t.title}  (${t.source})`).join('\n')
    summary.addRaw(`<pre>${esc(tree || '(no Markdown files)')}</pre>`, true)
  }
}

function where(m: CheckResult['mappings'][number]): string {
  if (m.parentNode) return `under parent-node ${m.parentNode}`
  return m.spaceId ? `at the top of space ${m.spaceId}` : 'under the parent page'
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
