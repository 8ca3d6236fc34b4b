// Diagrams through syncDocument into the emulator (the converter's real output): boards nested in list items,
// a service failure that falls back for one run only, and the PlantUML style as part of what a board shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTE } from '../../emulator/feishu/index.js'
import { createBoardApi } from '../../src/feishu/board.js'
import { convertMarkdown } from '../../src/markdown/index.js'
import { Whiteboards } from '../../src/sync/apply/diagrams.js'
import { readExistingDocument, syncDocument } from '../../src/sync/apply/document.js'
import { type Harness, provenance, startHarness } from './document-helpers.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness({ scale: 50 })
})
afterAll(async () => {
  await h?.close()
})

async function sync(documentId: string, markdown: string, whiteboards: Whiteboards, isNew = false) {
  const conversion = convertMarkdown(markdown, { path: 'docs/d.md' })
  const existing = isNew ? undefined : await readExistingDocument(h.docx, documentId)
  const from = h.emu.server.calls.length
  const result = await syncDocument(h.docx, h.media, {
    documentId,
    existing,
    conversion: {
      blocks: conversion.blocks,
      diagrams: conversion.fillables.flatMap((f) => (f.kind === 'diagram' ? [{ blockId: f.blockId, syntax: f.syntax, code: f.code, fallback: f.fallback, line: f.line }] : [])),
    },
    provenance: provenance(),
    loadAsset: async () => undefined,
    whiteboards,
    dryRun: false,
  })
  const writes = h.emu.server.calls.slice(from).filter((c) => c.method !== 'GET')
  return { result, writes, routes: writes.map((c) => c.route) }
}

const boards = (documentId: string) => [...h.emu.docs.render(documentId).matchAll(/\[board ([A-Za-z0-9]+)\]/g)].map((m) => m[1]!)

describe('syncDocument with diagrams', () => {
  it('a diagram inside a list item becomes a board child of the item; a re-sync writes nothing', async () => {
    const doc = h.newDocument('Nested')
    const md = '- step one\n\n  ```mermaid\n  flowchart LR\n    A --> B\n  ```\n\n  after the diagram\n- step two\n'
    const first = await sync(doc, md, new Whiteboards(createBoardApi(h.client), 'board'), true)
    expect(first.result.lineWarnings).toEqual([])
    expect(h.emu.docs.render(doc)).toMatch(/- step one\n {2}\[board [A-Za-z0-9]+\]\n {2}after the diagram\n- step two$/)
    expect(first.routes.filter((r) => r === ROUTE.childrenCreate)).toHaveLength(1)
    const again = await sync(doc, md, new Whiteboards(createBoardApi(h.client), 'board'))
    expect(again.result.status).toBe('unchanged')
    expect(again.writes).toEqual([])
  })

  it('a service failure after the retries publishes the code block for this run only; the next run draws it', async () => {
    const doc = h.newDocument('Flaky')
    const md = '# T\n\n```mermaid\nflowchart LR\n  A --> B\n```\n'
    const off = h.emu.server.inject({ route: ROUTE.boardCreatePlantuml, status: 500, body: { code: 2891001, msg: 'server internal error' }, times: Infinity })
    const failed = await sync(doc, md, new Whiteboards(createBoardApi(h.client), 'board'), true)
    off()
    expect(boards(doc)).toEqual([])
    expect(h.emu.docs.render(doc)).toContain('```\nflowchart LR\n  A --> B\n```')
    expect(failed.result.lineWarnings).toEqual([{ line: 3, message: expect.stringContaining('2891001') }])
    expect(failed.result.lineWarnings[0]!.message).toContain('drawn again on the next sync')
    // No empty whiteboard stays: the board block was replaced by the code block.
    expect(failed.routes.filter((r) => r === ROUTE.childrenBatchDelete)).toHaveLength(1)

    const healed = await sync(doc, md, new Whiteboards(createBoardApi(h.client), 'board'))
    expect(healed.result.status).toBe('updated')
    expect(boards(doc)).toHaveLength(1)
    expect((await sync(doc, md, new Whiteboards(createBoardApi(h.client), 'board'))).writes).toEqual([])
  })

  it('the PlantUML style is part of what a board shows: switching it redraws the PlantUML board only', async () => {
    const doc = h.newDocument('Styles')
    const md = '```plantuml\n@startuml\nA -> B: hi\n@enduml\n```\n\n```mermaid\npie\n  "a" : 1\n```\n'
    const before = h.emu.boardDiagrams().length
    await sync(doc, md, new Whiteboards(createBoardApi(h.client), 'classic'), true)
    const [plant, pie] = boards(doc)
    expect(h.emu.boardDiagrams().slice(before).map((d) => [d.whiteboardId, d.syntaxType, d.styleType])).toEqual([
      [plant, 1, 2],
      [pie, 2, 1],
    ])
    const switched = await sync(doc, md, new Whiteboards(createBoardApi(h.client), 'board'))
    const [plant2, pie2] = boards(doc)
    expect(pie2).toBe(pie)
    expect(plant2).not.toBe(plant)
    expect(switched.routes.filter((r) => r === ROUTE.boardCreatePlantuml)).toHaveLength(1)
    expect(h.emu.boardDiagrams().at(-1)).toMatchObject({ whiteboardId: plant2, styleType: 1 })
  })
})
