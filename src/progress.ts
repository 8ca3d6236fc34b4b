// Progress a person can follow during a long run. Feishu's rate limits, not the machine, set how long a publish
// takes (wiki node create: 100 per minute), so the time left is estimated from the limits that bind the work
// still to do, not from the pace so far. One line every ~10 s and at each phase change:
//   [structure] 120/300 pages · 38 writes/min · 2 failed · about 2 min left
// Phases are log groups on the runner; on a terminal the line is redrawn in place.
import type { Clock } from './clock.js'
import { callsPerMinute } from './feishu/pacer.js'

export type Phase = 'scan' | 'plan' | 'structure' | 'removals' | 'documents'

const PHASE_TITLES: Record<Phase, string> = {
  scan: 'Reading the wiki',
  plan: 'Planning',
  structure: 'Creating and moving pages (documents are written as their pages are ready)',
  removals: 'Removed files (on-delete)',
  documents: 'Writing the remaining documents',
}

export interface ProgressSnapshot {
  done: number
  total: number
  failed: number
  /** Nodes this run creates: made so far, and in all (content waits for link targets, so pages finish late). */
  nodes?: { done: number; total: number }
  /** Documents written so far: with the write count, how many writes a document takes. */
  written?: number
  /** Work not yet done: node creates, documents to write, documents to read. */
  left: { creates: number; documents: number; reads: number }
}

export interface ProgressOutput {
  line(text: string): void
  group?(title: string): void
  endGroup?(): void
}

/** Every ~10 s of the run's clock. */
export const PROGRESS_INTERVAL_MS = 10_000

/**
 * Minutes the remaining work needs at least, by the documented limits (./feishu/pacer.ts): creates at the wiki
 * create rate, one write per document at the docx write rate, one read per document at the docx read rate.
 * The classes run side by side, so the slowest one bounds the run.
 */
export function minutesLeft(left: ProgressSnapshot['left']): number {
  return Math.max(left.creates / callsPerMinute('wiki'), left.documents / callsPerMinute('docx-write'), left.reads / callsPerMinute('docx-read'))
}

export function describeTimeLeft(minutes: number): string {
  if (minutes <= 0) return 'finishing'
  if (minutes < 1) return 'under a minute left'
  if (minutes < 90) return `about ${Math.ceil(minutes)} min left`
  return `about ${(minutes / 60).toFixed(1)} h left`
}

const n = (value: number) => value.toLocaleString('en-US')

/** `writesPerDocument`: measured so far (images, long documents take more than one); 1 before any is written. */
export function progressLine(phase: Phase, s: ProgressSnapshot, writesPerMinute: number, writesPerDocument = 1): string {
  const parts = [`[${phase}] ${n(s.done)}/${n(s.total)} pages`]
  if (s.nodes && s.nodes.done < s.nodes.total) parts[0] += ` (${n(s.nodes.done)}/${n(s.nodes.total)} new nodes made)`
  parts.push(`${n(Math.round(writesPerMinute))} writes/min`)
  if (s.failed > 0) parts.push(`${n(s.failed)} failed`)
  parts.push(describeTimeLeft(minutesLeft({ ...s.left, documents: s.left.documents * writesPerDocument })))
  return parts.join(' · ')
}

export class Progress {
  private current?: Phase
  private source?: () => ProgressSnapshot
  private timer?: NodeJS.Timeout
  /** (clock time, writes so far), for the write rate over the last minute. */
  private readonly samples: { at: number; writes: number }[] = []

  constructor(
    private readonly clock: Clock,
    private readonly out: ProgressOutput,
    private readonly writes: () => number,
  ) {}

  /** A new phase: its own log group, and a line. */
  phase(phase: Phase): void {
    if (this.current === phase) return
    if (this.current) this.out.endGroup?.()
    this.current = phase
    this.out.group?.(PHASE_TITLES[phase])
    this.report()
  }

  /** Where the counts come from; from now on a line every ~10 s. */
  track(source: () => ProgressSnapshot): void {
    this.source = source
    if (this.timer) return
    this.timer = setInterval(() => this.report(), Math.max(1, this.clock.realMs?.(PROGRESS_INTERVAL_MS) ?? PROGRESS_INTERVAL_MS))
    this.timer.unref()
  }

  /** The last line and the end of the last group. */
  finish(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.report()
    if (this.current) this.out.endGroup?.()
    this.current = undefined
  }

  private report(): void {
    if (!this.current || !this.source) return
    const now = this.clock.now()
    const writes = this.writes()
    this.samples.push({ at: now, writes })
    while (this.samples.length > 1 && this.samples[1]!.at <= now - 60_000) this.samples.shift()
    const first = this.samples[0]!
    const minutes = (now - first.at) / 60_000
    const s = this.source()
    const perDocument = s.written ? Math.max(1, (writes - (s.nodes?.done ?? 0)) / s.written) : 1
    this.out.line(progressLine(this.current, s, minutes > 0 ? (writes - first.writes) / minutes : 0, perDocument))
  }
}

/** A terminal: the progress line is redrawn in place; anything else is written above it. */
export function liveLine(stream: NodeJS.WriteStream): Required<ProgressOutput> & { print(text: string): void } {
  let shown = false
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K')
    shown = false
  }
  return {
    line(text) {
      clear()
      stream.write(text.slice(0, Math.max(20, (stream.columns ?? 120) - 1)))
      shown = true
    },
    group(title) {
      clear()
      stream.write(`${title}\n`)
    },
    endGroup() {
      if (shown) stream.write('\n')
      shown = false
    },
    print(text) {
      clear()
      stream.write(`${text}\n`)
    },
  }
}
