// The whiteboard client against the Feishu emulator: paced at the documented 5/s, a 429/2890006 throttle
// handled by the client's rate-limit engine, a refused diagram surfacing as a final FeishuError.
import { afterEach, describe, expect, it } from 'vitest'
import { realClock } from '../../emulator/core/clock.js'
import { type FeishuEmulator, ROUTE, startFeishuEmulator } from '../../emulator/feishu/index.js'
import { createBoardApi } from '../../src/feishu/board.js'
import { type CallEvent, FeishuClient, FeishuError } from '../../src/feishu/client.js'
import { createDocxApi } from '../../src/feishu/docx.js'

let emulator: FeishuEmulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

async function world(boards: number) {
  const e = (emulator = await startFeishuEmulator())
  const token = e.issueUserAccessToken()
  const events: CallEvent[] = []
  const client = new FeishuClient({ baseUrl: e.url, accessToken: () => token, clock: realClock, random: () => 0, onCall: (c) => events.push(c) })
  const { obj_token: doc } = e.createNode(e.createSpace(), { title: 'Boards' })
  const docx = createDocxApi(client)
  const ids: string[] = []
  for (let i = 0; i < boards; i += 50) {
    const made = await docx.createChildren(doc, doc, Array.from({ length: Math.min(50, boards - i) }, () => ({ block_type: 43, board: {} }) as never))
    ids.push(...made.children.map((b) => (b.board as { token: string }).token))
  }
  return { e, board: createBoardApi(client), ids, events }
}

const FLOW = 'flowchart LR\n  A[One] --> B[Two]'

describe('board client', () => {
  it('paces imports at 5/s: twelve at once are never throttled', async () => {
    const { e, board, ids, events } = await world(12)
    const started = Date.now()
    const nodes = await Promise.all(ids.map((whiteboardId) => board.importDiagram({ whiteboardId, syntax: 'mermaid', style: 'board', code: FLOW })))
    expect(nodes.every((n) => /^t\d+:1$/.test(n))).toBe(true)
    expect(e.throttled.byRoute[ROUTE.boardCreatePlantuml] ?? 0).toBe(0)
    expect(events.filter((c) => c.endpoint === 'board.whiteboardNode.createPlantuml' && c.throttled)).toEqual([])
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000) // 12 calls at 5/s span at least two windows
    expect(e.boardDiagrams().map((d) => [d.syntaxType, d.styleType, d.diagramType])).toEqual(Array(12).fill([2, 1, 0]))
  })

  it('sends PlantUML classic as style_type 2 and never asks Mermaid for it', async () => {
    const { e, board, ids } = await world(2)
    await board.importDiagram({ whiteboardId: ids[0]!, syntax: 'plantuml', style: 'classic', code: '@startuml\nA -> B: hi\n@enduml' })
    await board.importDiagram({ whiteboardId: ids[1]!, syntax: 'mermaid', style: 'classic', code: FLOW })
    expect(e.boardDiagrams().map((d) => [d.syntaxType, d.styleType])).toEqual([
      [1, 2],
      [2, 1],
    ])
  })

  it('waits and retries after HTTP 429 + 2890006 (the rate-limit engine), then succeeds', async () => {
    const { e, board, ids, events } = await world(1)
    e.server.inject({ route: ROUTE.boardCreatePlantuml, status: 429, body: { code: 2890006, msg: 'too many request' } })
    await board.importDiagram({ whiteboardId: ids[0]!, syntax: 'mermaid', style: 'board', code: FLOW })
    const calls = events.filter((c) => c.endpoint === 'board.whiteboardNode.createPlantuml')
    expect(calls.map((c) => [c.httpStatus, c.code, c.throttled])).toEqual([
      [429, 2890006, true],
      [200, 0, false],
    ])
    expect(e.boardDiagrams()).toHaveLength(1)
  })

  it('a diagram Feishu cannot parse is a final FeishuError 2890002 (not retried)', async () => {
    const { e, board, ids } = await world(1)
    const error = await board.importDiagram({ whiteboardId: ids[0]!, syntax: 'mermaid', style: 'board', code: 'flowchart TD\n  A[Start --> B' }).catch((x: unknown) => x)
    expect(error).toBeInstanceOf(FeishuError)
    expect((error as FeishuError).code).toBe(2890002)
    expect((error as FeishuError).ambiguous).toBe(false)
    expect(e.server.callsTo(ROUTE.boardCreatePlantuml)).toHaveLength(1)
  })
})
