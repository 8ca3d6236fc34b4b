// Conversion warnings, with their source position and a stable code.

export interface ConversionWarning {
  line: number
  column: number
  message: string
  code: string
  /** On the one summary of a code that went over the cap: how many of its warnings were left out. */
  omitted?: number
}

export interface SourcePoint {
  line: number
  column: number
}

/**
 * Keeps at most this many warnings of one code, then one summary: a 5 MB file full of stripped HTML must not
 * give a 5 MB warning list. An output-size safety bound of ours, not a Feishu limit.
 */
export const MAX_WARNINGS_PER_CODE = 50

export class WarningList {
  private readonly kept: ConversionWarning[] = []
  private readonly counts = new Map<string, { count: number; first: SourcePoint }>()

  add(code: string, at: SourcePoint, message: string): void {
    const seen = this.counts.get(code)
    if (seen) seen.count++
    else this.counts.set(code, { count: 1, first: at })
    if ((seen?.count ?? 1) <= MAX_WARNINGS_PER_CODE) this.kept.push({ line: at.line, column: at.column, message, code })
  }

  /** The warnings in the order they were found, then one summary per code that went over the cap. */
  list(): ConversionWarning[] {
    const summaries = [...this.counts]
      .filter(([, { count }]) => count > MAX_WARNINGS_PER_CODE)
      .map(([code, { count, first }]) => ({
        line: first.line,
        column: first.column,
        code,
        message: `${count - MAX_WARNINGS_PER_CODE} more "${code}" warnings were left out (${count} in all).`,
        omitted: count - MAX_WARNINGS_PER_CODE,
      }))
    return [...this.kept, ...summaries]
  }
}
