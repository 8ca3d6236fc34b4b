// A page the sync state recorded without an edit time (saved by a stopped run, without listing what it wrote) is
// the action's while its listed edit time is no later than the state page's own; anything else is an edit.
import { describe, expect, it } from 'vitest'
import { editedSinceState } from '../../src/sync/remote/scan.js'
import type { PageState } from '../../src/sync/remote/state.js'

const entry = (edit: string, heal?: true): PageState => ({ node: 'wikcnA', doc: 'doxcnA', parent: '', title: 'A', edit, source: 'f', ...(heal ? { heal } : {}) })

describe('editedSinceState', () => {
  it('the edit time the state recorded: not edited; another one: edited', () => {
    expect(editedSinceState(entry('1700000100'), '1700000100', '1700000200')).toBe(false)
    expect(editedSinceState(entry('1700000100'), '1700000150', '1700000200')).toBe(true)
  })
  it('no recorded edit time: the run\'s own write up to the state page\'s edit time, a person\'s after it', () => {
    expect(editedSinceState(entry(''), '1700000150', '1700000200')).toBe(false)
    expect(editedSinceState(entry(''), '1700000200', '1700000200')).toBe(false)
    expect(editedSinceState(entry(''), '1700000201', '1700000200')).toBe(true)
  })
  it('no recorded edit time and no state page time to compare with: edited (read once more)', () => {
    expect(editedSinceState(entry(''), '1700000150', undefined)).toBe(true)
  })
  it('a page whose write failed is never taken as written', () => {
    expect(editedSinceState(entry('', true), '1700000150', '1700000200')).toBe(true)
  })
})
