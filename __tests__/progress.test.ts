import { describe, expect, it } from 'vitest'
import { describeTimeLeft, liveLine, minutesLeft, progressLine } from '../src/progress.js'

describe('progress estimate', () => {
  it('is bound by the slowest class of the remaining work, at its documented rate', () => {
    expect(minutesLeft({ creates: 300, documents: 0, reads: 0 })).toBe(3) // wiki create: 100/min
    expect(minutesLeft({ creates: 100, documents: 540, reads: 0 })).toBe(3) // docx write: 3/s
    expect(minutesLeft({ creates: 0, documents: 0, reads: 600 })).toBe(2) // docx read: 5/s
    expect(minutesLeft({ creates: 10_000, documents: 10_000, reads: 0 })).toBe(100)
  })

  it('reads as a person would say it', () => {
    expect(describeTimeLeft(0)).toBe('finishing')
    expect(describeTimeLeft(0.4)).toBe('under a minute left')
    expect(describeTimeLeft(1.2)).toBe('about 2 min left')
    expect(describeTimeLeft(100)).toBe('about 1.7 h left')
    expect(progressLine('structure', { done: 120, total: 300, failed: 2, nodes: { done: 150, total: 300 }, left: { creates: 150, documents: 180, reads: 0 } }, 38.2, 2)).toBe(
      '[structure] 120/300 pages (150/300 new nodes made) · 38 writes/min · 2 failed · about 2 min left',
    )
  })

  it('on a terminal, redraws one line in place and prints other lines above it', () => {
    let out = ''
    const stream = { columns: 80, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream
    const live = liveLine(stream)
    live.line('[documents] 1/3 pages')
    live.line('[documents] 2/3 pages')
    live.print('a page failed')
    live.line('[documents] 3/3 pages')
    live.endGroup()
    expect(out).toBe('[documents] 1/3 pages\r\x1b[2K[documents] 2/3 pages\r\x1b[2Ka page failed\n[documents] 3/3 pages\n')
  })
})
