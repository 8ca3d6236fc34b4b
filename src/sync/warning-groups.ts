// Warnings grouped by file and kind, for people: GitHub shows only the first ten warning annotations of a step
// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-a-warning-message, limits), so one
// file with 425 stripped tags must not hide every other file. Each group is annotated once, at its first line,
// with its count; the job summary lists every group (report/pages.ts). Pure.
import type { PageResult, PageWarning } from './types.js'

export interface WarningGroup {
  /** The page's source file. */
  file: string
  code: string
  /** How many warnings of this kind the file has (left-out ones included). */
  count: number
  /** The first one, where the annotation points. */
  first: PageWarning
  /** The lines of the others, in order (as many as were kept). */
  lines: number[]
}

export function groupWarnings(pages: readonly Pick<PageResult, 'path' | 'warnings'>[]): WarningGroup[] {
  const groups: WarningGroup[] = []
  for (const page of pages) {
    const byCode = new Map<string, WarningGroup>()
    for (const warning of page.warnings) {
      // Warnings without a code (older producers) stay apart: their messages say different things.
      const code = warning.code ?? `message:${warning.message}`
      let group = byCode.get(code)
      if (!group) {
        group = { file: page.path, code: warning.code ?? 'other', count: 0, first: warning, lines: [] }
        byCode.set(code, group)
        groups.push(group)
      }
      if (warning.omitted) {
        group.count += warning.omitted
        continue
      }
      group.count++
      if (group.first !== warning && warning.line > 0) group.lines.push(warning.line)
    }
  }
  return groups
}

/** The annotation text of a group: its first message, and how many more there are. */
export function groupMessage(group: WarningGroup): string {
  if (group.count <= 1) return group.first.message
  const where = group.lines.length > 0 ? ` (also at line${group.lines.length > 1 ? 's' : ''} ${abbreviate(group.lines)})` : ''
  return `${group.first.message} [${group.count} "${group.code}" warnings in this file${where}]`
}

function abbreviate(lines: readonly number[]): string {
  const shown = lines.slice(0, 10).join(', ')
  return lines.length > 10 ? `${shown}, …` : shown
}
