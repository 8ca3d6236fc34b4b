// Diagrams: the writer's half of the fillable mechanism for whiteboards (images are the other fillable kind;
// document.ts treats both alike: a content hash per block, the marker's token → hash table, fill after create).
//
// A diagram fence arrives as an empty board block plus its source (src/markdown/diagrams.ts). The writer creates
// the block with docx children create (a board is never sent in a descendant create: not documented to work),
// then draws the diagram into the whiteboard (src/feishu/board.ts). Failure is local: the fence is published
// as its code block and a warning points at its line.
//   - Feishu refused the diagram (2890001/2890002): the marker remembers the source's hash, so later runs
//     publish the code block directly (no write) until the source changes.
//   - The scope board:whiteboard:node:create is missing: said once per run; every diagram of the run is code.
//     Before a page with no whiteboard yet gets its first one, and unless this run has drawn one already, one
//     probe call asks whether the scope is there, so a run that cannot draw makes no board block at all (and
//     no empty whiteboard is left behind). A page that shows whiteboards drawn earlier is evidence enough; if
//     the scope was withdrawn since, the failed drawing says so and the diagram falls back the same way.
//   - Anything else (the service failing after the client's retries): code this run, tried again next run.
import { createHash } from 'node:crypto'
import type { BlockContent } from '../../blocks/model.js'
import { BOARD_ERRORS, BOARD_SCOPE, type BoardApi, type DiagramStyle, type DiagramSyntax } from '../../feishu/board.js'
import { FeishuError } from '../../feishu/client.js'

/** One diagram of the conversion: the board block it fills, its source and the code block to show instead. */
export interface DiagramRef {
  /** Temporary id of the board block. */
  blockId: string
  syntax: DiagramSyntax
  code: string
  fallback: BlockContent
  /** The fence's line, for the warning. */
  line: number
}

/** Scope refusals: the app has not applied for the scope (99991672) or the user has not granted it (99991679). */
const SCOPE_CODES = new Set([99991672, 99991679])
/** Refusals of the diagram itself, remembered until its source changes. */
export const REFUSED_CODES = new Set([2890001, 2890002])

/** A whiteboard id nobody has: the probe's target (the parse-syntax page allows 22–27 characters). */
const PROBE_WHITEBOARD = 'fwsProbeNoSuchWhiteboard000'

/** The content hash of a diagram as drawn: its syntax, the style it is drawn in and its text. */
export function diagramHash(syntax: DiagramSyntax, style: DiagramStyle, code: string): string {
  const drawnAs = syntax === 'plantuml' ? style : 'board'
  return createHash('sha256').update(`${syntax}\u0000${drawnAs}\u0000${code}`).digest('hex').slice(0, 16)
}

export type DrawOutcome = { ok: true } | { ok: false; code?: number; refused: boolean; warning?: string }

/** Whiteboards for one run: the client, the PlantUML style, and what the run learned about the scope. */
export class Whiteboards {
  private probe?: Promise<boolean>
  private missing = false
  /** The code the scope was refused with (99991672 app, 99991679 user). */
  private missingCode = 99991672
  private scopeReported = false
  /** A diagram was drawn in this run: the scope is there. */
  private drewOne = false

  constructor(
    private readonly board: BoardApi,
    readonly style: DiagramStyle,
  ) {}

  /**
   * Whether whiteboards can be drawn in this run. The first caller sends one parse-syntax call to a whiteboard
   * that does not exist: the gateway checks the scope first (99991672/99991679), so any other answer (2890003
   * record missing) means the scope is there. Every other caller shares that answer.
   */
  available(): Promise<boolean> {
    if (this.missing) return Promise.resolve(false)
    if (this.drewOne) return Promise.resolve(true)
    this.probe ??= this.board.importDiagram({ whiteboardId: PROBE_WHITEBOARD, syntax: 'mermaid', style: 'board', code: 'graph TD\n  A --> B' }).then(
      () => true,
      (error: unknown) => {
        if (!(error instanceof FeishuError && SCOPE_CODES.has(error.code ?? 0))) return true
        this.missingCode = error.code!
        return false
      },
    )
    return this.probe.then((ok) => ok && !this.missing)
  }

  /** The run's one warning about the missing scope, for the first diagram that meets it; undefined afterwards. */
  scopeWarning(ref: DiagramRef, code = this.missingCode): string | undefined {
    this.missing = true
    if (this.scopeReported) return undefined
    this.scopeReported = true
    const who = code === 99991679 ? 'the authorized user has not granted' : 'the Feishu app has not applied for'
    return (
      `Diagrams are published as code blocks in this run: ${who} the scope ${BOARD_SCOPE} (${code}), which drawing ` +
      `a whiteboard needs (this ${label(ref.syntax)} diagram is the first one met). Enable ${BOARD_SCOPE} under ` +
      'Permissions & Scopes in the developer console and publish a new app version' +
      (code === 99991679 ? ', then authorize the user again.' : '.')
    )
  }

  /** Draws a diagram into a new whiteboard; a failure says whether it is the diagram's fault and what to tell the author. */
  async draw(whiteboardId: string, ref: DiagramRef): Promise<DrawOutcome> {
    try {
      await this.board.importDiagram({ whiteboardId, syntax: ref.syntax, style: this.style, code: ref.code })
      this.drewOne = true
      return { ok: true }
    } catch (error) {
      if (!(error instanceof FeishuError)) throw error
      const code = error.code
      if (code !== undefined && SCOPE_CODES.has(code)) return { ok: false, code, refused: false, warning: this.scopeWarning(ref, code) }
      if (code !== undefined && REFUSED_CODES.has(code)) return { ok: false, code, refused: true, warning: refusedWarning(ref, code, error.message) }
      const reason = (code !== undefined && BOARD_ERRORS[code]) || error.message
      return {
        ok: false,
        ...(code !== undefined ? { code } : {}),
        refused: false,
        warning: `Feishu could not draw this ${label(ref.syntax)} diagram (${reason}); it is published as a code block this time and drawn again on the next sync.`,
      }
    }
  }
}

function label(syntax: DiagramSyntax): string {
  return syntax === 'mermaid' ? 'Mermaid' : 'PlantUML'
}

/** The warning for a diagram Feishu cannot parse: its error and the fix. */
export function refusedWarning(ref: DiagramRef, code: number, detail?: string): string {
  const what = detail ? `${BOARD_ERRORS[code] ?? code}: ${detail.replace(/^.*? failed: /, '')}` : `${BOARD_ERRORS[code] ?? code}, on an earlier sync`
  const checker = ref.syntax === 'mermaid' ? 'the Mermaid Live Editor (https://mermaid.live)' : 'a PlantUML renderer'
  return (
    `Feishu could not draw this ${label(ref.syntax)} diagram (${what}), so it is published as a code block. ` +
    `Fix the diagram's syntax (check it in ${checker}) and push again; it is not sent to Feishu again until it changes.`
  )
}
