// GFM footnotes: references are numbered in order of first use ([1], [2], …), and the definitions are listed
// under that number at the end of the document (docx has no footnotes).
import type { PlacedFootnote } from './parse.js'

export class FootnoteNumbers {
  private readonly order: string[] = []
  private readonly numbers = new Map<string, number>()

  constructor(private readonly definitions: ReadonlyMap<string, PlacedFootnote>) {}

  /** The number of a footnote, assigned at its first reference. */
  numberOf(identifier: string): number {
    let number = this.numbers.get(identifier)
    if (number === undefined) {
      this.order.push(identifier)
      number = this.order.length
      this.numbers.set(identifier, number)
    }
    return number
  }

  /** How many footnotes are referenced so far (converting a note can reference more). */
  get count(): number {
    return this.order.length
  }

  /** The definition of footnote `number` (1-based). */
  definition(number: number): PlacedFootnote | undefined {
    const identifier = this.order[number - 1]
    return identifier === undefined ? undefined : this.definitions.get(identifier)
  }
}
