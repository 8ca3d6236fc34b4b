// Diagrams become whiteboards, proved as real runs: `node dist/index.js` against the Feishu and GitHub emulators
// (rate limits on, clocks scaled together). A page with two Mermaid diagrams (flowchart, sequence), one PlantUML
// diagram and one broken diagram is published; a second run writes nothing; a changed diagram replaces exactly
// its own board; a run without the board scope publishes code blocks with one warning.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import type { RecordedCall } from '../../emulator/core/server.js'
import { ROUTE } from '../../emulator/feishu/index.js'
import { type ActionRun, expectNoLeaks } from '../helpers/action-runner.js'
import { type World, startWorld } from '../helpers/world.js'

const SCALE = 20

const FLOW = 'flowchart TD\n  A[Push] --> B{Docs changed?}\n  B -->|yes| C[Sync the wiki]\n  B -->|no| D[Done]'
const SEQUENCE = 'sequenceDiagram\n  participant GH as GitHub\n  participant FS as Feishu\n  GH->>FS: refresh token\n  FS-->>GH: next refresh token'
const PLANTUML = '@startuml\nAlice -> Bob: hello\nBob --> Alice: hi\n@enduml'
const BROKEN = 'flowchart LR\n  A[Start --> B'

const page = (sequence = SEQUENCE) =>
  [
    '# Architecture',
    '',
    'How a push reaches the wiki:',
    '',
    '```mermaid',
    FLOW,
    '```',
    '',
    'The token chain:',
    '',
    '```mermaid',
    sequence,
    '```',
    '',
    '```plantuml',
    PLANTUML,
    '```',
    '',
    'Not finished yet:',
    '',
    '```mermaid',
    BROKEN,
    '```',
    '',
    'The end.',
    '',
  ].join('\n')
const BROKEN_LINE = page().split('\n').indexOf(BROKEN.split('\n')[0]!) // the fence opens one line above (1-based: same number)

let world: World
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})

/** Every call that changes something in the wiki, its documents or their whiteboards (the token refresh excluded). */
function writes(from: number): RecordedCall[] {
  return world.feishu.server.calls.slice(from).filter((c) => c.method !== 'GET' && /^(wiki|docx|drive|board)\./.test(c.route))
}

async function run(inputs: Record<string, string> = {}) {
  const from = world.feishu.server.calls.length
  const r = await world.run({ inputs: { mode: 'all', ...inputs }, timeScale: SCALE })
  expect(r.exitCode, r.stdout + r.stderr).toBe(0)
  return { run: r, writes: writes(from), calls: world.feishu.server.calls.slice(from) }
}

const warnings = (r: ActionRun) => r.stdout.split('\n').filter((line) => line.startsWith('::warning'))
const documentOf = (title: string) => world.feishu.nodes(world.spaceId).find((n) => n.title === title)!.obj_token
const boardsOf = (title: string) => [...world.feishu.docs.render(documentOf(title)).matchAll(/\[board ([A-Za-z0-9]+)\]/g)].map((m) => m[1]!)

describe('diagrams (runs of the bundled action)', () => {
  it('publishes Mermaid and PlantUML as whiteboards, the broken one as code with a warning at its fence; then 0 writes; then one board replaced', async () => {
    world = await startWorld({ feishu: { clock: scaledClock(SCALE) }, files: { 'docs/architecture.md': page() } })
    const { run: first } = await run()
    expect(first.outputs).toMatchObject({ created: '1', failed: '0' })

    const rendered = world.feishu.docs.render(documentOf('Architecture'))
    const boards = boardsOf('Architecture')
    expect(boards).toHaveLength(3)
    // In place of the fences, in order; the broken one is a code block with its text.
    expect(rendered).toContain(`How a push reaches the wiki:\n[board ${boards[0]}]\nThe token chain:\n[board ${boards[1]}]\n[board ${boards[2]}]\nNot finished yet:\n\`\`\`\n${BROKEN}\n\`\`\`\nThe end.`)
    const diagrams = world.feishu.boardDiagrams()
    expect(diagrams.map((d) => [d.whiteboardId, d.syntaxType, d.styleType, d.diagramType, d.code])).toEqual([
      [boards[0], 2, 1, 0, FLOW],
      [boards[1], 2, 1, 0, SEQUENCE],
      [boards[2], 1, 1, 0, PLANTUML],
    ])
    expect(world.feishu.renderBoard(boards[0]!)).toMatch(/: 8 node\(s\)/) // group, 4 shapes, 3 connectors
    expect(world.feishu.boardNodes(boards[1]!).filter((n) => n.type === 'life_line')).toHaveLength(2)
    // One warning, at the broken fence's line, naming Feishu's error and the fix.
    const diagramWarnings = warnings(first).filter((w) => /diagram/i.test(w))
    expect(diagramWarnings).toHaveLength(1)
    expect(diagramWarnings[0]).toContain(`file=docs/architecture.md,line=${BROKEN_LINE}`)
    expect(diagramWarnings[0]).toContain('2890002')
    expect(diagramWarnings[0]).toMatch(/fix/i)

    // Nothing changed: no write of any kind, the whiteboards untouched.
    const { run: second, writes: none, calls } = await run()
    expect(none).toEqual([])
    expect(calls.filter((c) => c.route.startsWith('board.'))).toEqual([])
    expect(second.outputs).toMatchObject({ unchanged: '1', updated: '0' })
    expect(boardsOf('Architecture')).toEqual(boards)

    // One diagram changes: exactly its board is replaced; the others keep their blocks and whiteboards.
    const changed = SEQUENCE.replace('next refresh token', 'the next refresh token')
    fs.writeFileSync(path.join(world.workspace, 'docs/architecture.md'), page(changed))
    const { run: third, writes: edits } = await run()
    expect(third.outputs).toMatchObject({ updated: '1' })
    const after = boardsOf('Architecture')
    expect(after).toHaveLength(3)
    expect([after[0], after[2]]).toEqual([boards[0], boards[2]])
    expect(after[1]).not.toBe(boards[1])
    expect(world.feishu.boardDiagrams().slice(3).map((d) => [d.whiteboardId, d.code])).toEqual([[after[1], changed]])
    // Calls into this page's document and its whiteboards (the sync state page is written apart).
    const architecture = documentOf('Architecture')
    const ours = edits.filter((c) => c.route.startsWith('board.') || c.path.split('/')[5] === architecture)
    const byRoute = (route: string) => ours.filter((c) => c.route === route).length
    expect(byRoute(ROUTE.boardCreatePlantuml)).toBe(1)
    expect(byRoute(ROUTE.childrenCreate)).toBe(1)
    expect(byRoute(ROUTE.childrenBatchDelete)).toBe(1)
    expect(byRoute(ROUTE.descendantCreate)).toBe(0)
    expect(ours.length).toBeLessThanOrEqual(4) // + the marker's new hash in one batch_update
  })

  it('without the board scope: every diagram is a code block and the run says so once', async () => {
    world = await startWorld({
      feishu: { clock: scaledClock(SCALE) },
      files: {
        'docs/architecture.md': page(),
        'docs/more.md': ['# More', '', '```puml', 'A -> B: hi', '```', ''].join('\n'),
      },
    })
    world.feishu.setMissingAppScopes(['board:whiteboard:node:create'])
    const { run: first, calls } = await run()
    expect(first.outputs).toMatchObject({ created: '2', failed: '0' })
    expect(boardsOf('Architecture')).toEqual([])
    expect(boardsOf('More')).toEqual([])
    const rendered = world.feishu.docs.render(documentOf('Architecture'))
    for (const diagram of [FLOW, SEQUENCE, PLANTUML, BROKEN]) expect(rendered).toContain(`\`\`\`\n${diagram}\n\`\`\``)
    expect(world.feishu.docs.render(documentOf('More'))).toContain('```\nA -> B: hi\n```')
    const scope = warnings(first).filter((w) => w.includes('board:whiteboard:node:create'))
    expect(scope).toHaveLength(1)
    expect(warnings(first).filter((w) => /diagram|whiteboard/i.test(w))).toEqual(scope)
    // No board block was made, so no empty whiteboard was left behind (the sync state page is written apart).
    const pages = new Set([documentOf('Architecture'), documentOf('More')])
    expect(calls.filter((c) => c.route === ROUTE.childrenCreate && pages.has(c.path.split('/')[5]!))).toEqual([])
    expect(calls.filter((c) => c.route === ROUTE.boardCreatePlantuml)).toHaveLength(1) // the one probe
  })
})
