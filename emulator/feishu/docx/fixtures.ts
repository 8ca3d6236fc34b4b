// Seeds the store with one of the five real Feishu documents recorded in feishu-docx's test fixtures
// (node_modules/feishu-docx/tests/fixtures/case{0..4}.raw.json: GET /blocks dumps of real documents, 43, 145,
// 33, 173 and 10 blocks). Use it to start a test from a realistic existing document instead of an empty one.
//
// case0-case2 are older recordings (ids "doxcn…", `style: {}`, a stray `divider: {}` on every block, no
// parent_id on the page); case3-case4 are newer (ids like "Fkoed2dB5o…", filled-in styles, page parent_id "").
// case3 was partly edited by hand upstream and has broken references; the loader repairs them and says how.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Block, DocumentStore } from './store.js'

export interface RecordedDocument {
  document: { document_id: string; revision_id: number; title: string }
  blocks: Block[]
}

export const RECORDED_CASES = [0, 1, 2, 3, 4] as const

/** The raw recording, as feishu-docx stores it. */
export function readRecordedDocument(caseIndex: number): RecordedDocument {
  if (!(RECORDED_CASES as readonly number[]).includes(caseIndex)) throw new Error(`no recorded document case${caseIndex} (0..4)`)
  const require = createRequire(import.meta.url)
  const root = dirname(require.resolve('feishu-docx/package.json'))
  return JSON.parse(readFileSync(join(root, 'tests', 'fixtures', `case${caseIndex}.raw.json`), 'utf8')) as RecordedDocument
}

/**
 * Loads recorded document `caseIndex` into the store under its real document id (the page block id), with
 * its recorded revision, blocks and comments, stored exactly as recorded. Returns the id and the list of
 * repairs made to broken references (empty except for case3).
 */
export function loadRecordedDocument(store: DocumentStore, caseIndex: number): { documentId: string; title: string; repairs: string[] } {
  const recorded = readRecordedDocument(caseIndex)
  const { documentId, repairs } = store.importDocument(recorded)
  return { documentId, title: store.getDocument(documentId).title, repairs }
}
