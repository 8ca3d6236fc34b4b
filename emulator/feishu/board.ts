// Whiteboards (board v1) behind the board blocks of docx documents: the state behind
//   POST /open-apis/board/v1/whiteboards/:whiteboard_id/nodes/plantuml   ("解析画板语法")
//   GET  /open-apis/board/v1/whiteboards/:whiteboard_id/nodes            ("获取所有节点")
// (https://open.feishu.cn/document/docs/board-v1/whiteboard-node/create_plantuml,
//  https://open.feishu.cn/document/docs/board-v1/whiteboard-node/list). The route table (routes.ts) holds the
// scopes and the 5/s limit; this file holds the body rules, the error codes, the syntax check and the nodes.
// It stands for the outside world, so it imports nothing from src/. Guesses are in GUESSES.md ("Whiteboards").
//
// A whiteboard exists while the board block that made it exists (docx children create answers its token).
// Every accepted call is recorded with its diagram text, so tests can see what reached the board.
import type { Identity } from './auth.js'
import { ApiError, isRecord } from './http.js'

/** Error codes of the parse-syntax page, with their HTTP status. */
const invalidFormat = (msg: string) => new ApiError(2890001, `invalid format: ${msg}`, 400)
const invalidArg = (msg: string) => new ApiError(2890002, `invalid arg: ${msg}`, 400)
const recordMissing = (id: string) => new ApiError(2890003, `record missing: whiteboard ${id} does not exist`, 400)
const forbidden = (id: string) => new ApiError(2890005, `forbidden: no permission on whiteboard ${id}`, 403)

export const SYNTAX_PLANTUML = 1
export const SYNTAX_MERMAID = 2
const STYLE_BOARD = 1
const STYLE_CLASSIC = 2
/** diagram_type values the page lists: 0 auto … 8 component, 101/102 AI streaming, 201 GML. */
const DIAGRAM_TYPES = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 101, 102, 201])
const MAX_CODE = 1_000_000

/** A node as the list answer shows it (the node-sdk 1.74 `board.v1.whiteboardNode.list` type, the fields we fill). */
export interface BoardNode {
  id: string
  type: 'group' | 'composite_shape' | 'connector' | 'life_line' | 'text_shape' | 'image'
  parent_id?: string
  children?: string[]
  x: number
  y: number
  width: number
  height: number
  text?: { text: string }
}

/** One accepted parse-syntax call. */
export interface DiagramRecord {
  whiteboardId: string
  documentId: string
  code: string
  syntaxType: number
  styleType: number
  diagramType: number
  /** The node_id answered (the diagram's root group). */
  nodeId: string
}

export interface BoardHooks {
  /** The document and block of a whiteboard, while its board block exists. */
  findBoard(whiteboardId: string): { documentId: string; blockId: string } | undefined
  canUseDocument(identity: Identity, documentId: string): boolean
}

export class BoardState {
  /** whiteboard_id → its nodes, in creation order. */
  private readonly nodes = new Map<string, BoardNode[]>()
  /** Every accepted diagram, oldest first. */
  readonly diagrams: DiagramRecord[] = []
  private calls = 0

  constructor(private readonly hooks: BoardHooks) {}

  createPlantuml(identity: Identity, whiteboardId: string, body: unknown): { node_id: string } {
    if (!isRecord(body)) throw invalidFormat('the body must be a JSON object')
    const { code, syntaxType, styleType, diagramType } = readBody(body)
    const board = this.board(identity, whiteboardId)
    const problem = syntaxType === SYNTAX_MERMAID ? checkMermaid(code) : checkPlantUml(code)
    if (problem) throw invalidArg(`Parse error on line ${problem.line}: ${problem.message}`)
    const prefix = `t${++this.calls}`
    const made = styleType === STYLE_CLASSIC ? classicNodes(prefix) : diagramNodes(prefix, code, syntaxType)
    const list = this.nodes.get(whiteboardId) ?? []
    list.push(...made)
    this.nodes.set(whiteboardId, list)
    const nodeId = made[0]!.id
    this.diagrams.push({ whiteboardId, documentId: board.documentId, code, syntaxType, styleType, diagramType, nodeId })
    return { node_id: nodeId }
  }

  listNodes(identity: Identity, whiteboardId: string): { nodes: BoardNode[] } {
    this.board(identity, whiteboardId)
    return { nodes: structuredClone(this.nodes.get(whiteboardId) ?? []) }
  }

  /** A copy of the nodes, without the access checks of the API. */
  nodesOf(whiteboardId: string): BoardNode[] {
    return structuredClone(this.nodes.get(whiteboardId) ?? [])
  }

  /** What a person would see, for demos and assertions: node count and the source(s) the board was made from. */
  render(whiteboardId: string): string {
    const where = this.hooks.findBoard(whiteboardId)
    const nodes = this.nodes.get(whiteboardId) ?? []
    const lines = [`board ${whiteboardId}${where ? ` (document ${where.documentId})` : ' (its block is gone)'}: ${nodes.length} node(s)`]
    for (const d of this.diagrams.filter((r) => r.whiteboardId === whiteboardId)) {
      const syntax = d.syntaxType === SYNTAX_MERMAID ? 'Mermaid' : 'PlantUML'
      lines.push(`  from ${syntax} (style_type ${d.styleType}, diagram_type ${d.diagramType}), node ${d.nodeId}:`)
      for (const line of d.code.split('\n')) lines.push(`    ${line}`)
    }
    return lines.join('\n')
  }

  private board(identity: Identity, whiteboardId: string): { documentId: string; blockId: string } {
    // "长度范围：22 ～ 27 字符"
    if (whiteboardId.length < 22 || whiteboardId.length > 27) throw invalidArg(`whiteboard_id must be 22 to 27 characters, got ${whiteboardId.length}`)
    const board = this.hooks.findBoard(whiteboardId)
    if (!board) throw recordMissing(whiteboardId)
    if (!this.hooks.canUseDocument(identity, board.documentId)) throw forbidden(whiteboardId)
    return board
  }
}

function readBody(body: Record<string, unknown>): { code: string; syntaxType: number; styleType: number; diagramType: number } {
  const int = (key: string): number | undefined => {
    const v = body[key]
    if (v === undefined) return undefined
    if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidFormat(`${key} must be an integer`)
    return v
  }
  for (const key of Object.keys(body)) {
    // The node-sdk 1.74 type also has overwrite, parse_mode and look_type (not on the page): accepted, not modelled.
    if (!['plant_uml_code', 'syntax_type', 'style_type', 'diagram_type', 'overwrite', 'parse_mode', 'look_type'].includes(key)) {
      throw invalidFormat(`unknown field ${key}`)
    }
  }
  const code = body.plant_uml_code
  if (code === undefined) throw invalidArg('plant_uml_code is required')
  if (typeof code !== 'string') throw invalidFormat('plant_uml_code must be a string')
  if (code.length < 1 || code.length > MAX_CODE) throw invalidArg(`plant_uml_code must be 1 to ${MAX_CODE} characters`)
  const syntaxType = int('syntax_type')
  // "语法类型（必传）": 1 PlantUML, 2 Mermaid (0 "unknown" cannot be parsed).
  if (syntaxType !== SYNTAX_PLANTUML && syntaxType !== SYNTAX_MERMAID) throw invalidArg('syntax_type must be 1 (PlantUML) or 2 (Mermaid)')
  const styleType = int('style_type') ?? STYLE_CLASSIC // "默认为2 经典样式"
  if (styleType !== STYLE_BOARD && styleType !== STYLE_CLASSIC) throw invalidArg('style_type must be 1 or 2')
  if (styleType === STYLE_CLASSIC && syntaxType === SYNTAX_MERMAID) throw invalidArg('style_type 2 (classic) is for PlantUML only; use style_type 1 for Mermaid')
  const diagramType = int('diagram_type') ?? 0
  if (!DIAGRAM_TYPES.has(diagramType)) throw invalidArg(`diagram_type ${diagramType} is not a diagram type`)
  if (syntaxType === SYNTAX_MERMAID && diagramType !== 0) throw invalidArg('diagram_type must be 0 for Mermaid')
  return { code, syntaxType, styleType, diagramType }
}

// ---- the syntax check: enough to refuse obviously broken input, not a Mermaid or PlantUML parser ---------------

interface Problem {
  line: number
  message: string
}

/** Mermaid types a third-party CLI verified through this endpoint (riba2534/feishu-cli README, 2026-01), plus their aliases. */
const MERMAID_TYPES = new Set(['graph', 'flowchart', 'sequenceDiagram', 'classDiagram', 'stateDiagram', 'stateDiagram-v2', 'erDiagram', 'gantt', 'pie', 'mindmap'])
const MERMAID_BLOCKS = /^(subgraph|loop|alt|opt|par|critical|break|rect|box)\b/
const ARROW_AT_END = /(-->|->>|->|==>|-\.->|---|--)\s*$/

function contentLines(code: string, comment: RegExp): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = []
  code.split(/\r?\n/).forEach((raw, i) => {
    const text = raw.trim()
    if (text !== '' && !comment.test(text)) out.push({ text, line: i + 1 })
  })
  return out
}

function unbalanced(text: string): string | undefined {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' }
  const stack: string[] = []
  let quoted = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (quoted) continue
    else if (ch === '(' || ch === '[' || ch === '{') stack.push(ch)
    else if (ch in pairs) {
      if (stack.pop() !== pairs[ch]) return `unexpected "${ch}"`
    }
  }
  if (quoted) return 'unterminated string'
  if (stack.length > 0) return `"${stack[stack.length - 1]}" is never closed`
  return undefined
}

export function checkMermaid(code: string): Problem | undefined {
  let lines = contentLines(code, /^%%/)
  // Front matter (--- … ---) before the diagram.
  if (lines[0]?.text === '---') {
    const end = lines.findIndex((l, i) => i > 0 && l.text === '---')
    lines = end > 0 ? lines.slice(end + 1) : []
  }
  const [head, ...body] = lines
  if (!head) return { line: 1, message: 'no diagram' }
  const type = head.text.split(/\s+/)[0]!.replace(/:$/, '')
  if (!MERMAID_TYPES.has(type)) return { line: head.line, message: `unknown or unsupported diagram type "${type}"` }
  const structured = type === 'graph' || type === 'flowchart' || type === 'sequenceDiagram' || type === 'stateDiagram' || type === 'stateDiagram-v2'
  let open = 0
  for (const { text, line } of body) {
    if (structured) {
      const problem = unbalanced(text.replace(/\|[^|]*\|/g, ''))
      if (problem) return { line, message: problem }
      if (ARROW_AT_END.test(text)) return { line, message: 'an arrow without a target' }
    }
    if (MERMAID_BLOCKS.test(text)) open++
    else if (text === 'end') {
      if (--open < 0) return { line, message: '"end" without a block to close' }
    }
  }
  if (structured && open > 0) return { line: lines[lines.length - 1]!.line, message: 'a block is never closed with "end"' }
  return undefined
}

export function checkPlantUml(code: string): Problem | undefined {
  const lines = contentLines(code, /^'/)
  const first = lines[0]
  const last = lines[lines.length - 1]
  const start = first ? /^@start(\w+)/.exec(first.text) : null
  if (!first || !start) return { line: first?.line ?? 1, message: 'the diagram must start with @startuml (or another @start…)' }
  if (!last || last === first || !new RegExp(`^@end${start[1]}\\b`).test(last.text)) return { line: last?.line ?? 1, message: `the diagram must end with @end${start[1]}` }
  let braces = 0
  for (const { text, line } of lines.slice(1, -1)) {
    for (const ch of text.replace(/"[^"]*"/g, '')) {
      if (ch === '{') braces++
      else if (ch === '}' && --braces < 0) return { line, message: 'unexpected "}"' }
    }
    if (/(->|-->|<-|<--)\s*$/.test(text.replace(/\s*:.*$/, ''))) return { line, message: 'an arrow without a target' }
  }
  if (braces > 0) return { line: last.line, message: '"{" is never closed' }
  return undefined
}

// ---- nodes: a plausible picture of what the server makes, enough to count and to show ---------------------------

function classicNodes(prefix: string): BoardNode[] {
  // Classic style: the diagram becomes one picture (whose syntax stays editable in the board).
  return [{ id: `${prefix}:1`, type: 'image', x: 0, y: 0, width: 800, height: 600 }]
}

/** Shapes for the named things and connectors for the arrows, under one group (whose id the call answers). */
function diagramNodes(prefix: string, code: string, syntaxType: number): BoardNode[] {
  const lines = contentLines(code, syntaxType === SYNTAX_MERMAID ? /^%%/ : /^'/).map((l) => l.text)
  const body = syntaxType === SYNTAX_MERMAID ? lines.slice(1) : lines.slice(1, -1)
  const shapes = new Map<string, string>()
  let connectors = 0
  const arrow = /^\s*"?([\w.]+)"?[^-=<>.]*?(?:-->|->>|-->>|->|==>|-\.->|---|<-|<--|\.\.>|--\|>|<\|--|\}o--o\{|\|\|--o\{)\s*(?:\|[^|]*\|\s*)?"?([\w.]+)"?/
  for (const text of body) {
    const m = arrow.exec(text)
    if (m) {
      for (const id of [m[1]!, m[2]!]) if (!shapes.has(id)) shapes.set(id, labelOf(id, text))
      connectors++
      continue
    }
    const decl = /^(?:participant|actor|class|state|entity|component|usecase|rectangle|node)\s+"?([^"\s{]+)"?/.exec(text) ?? /^([\w.]+)\s*[[({]/.exec(text)
    if (decl && !shapes.has(decl[1]!)) shapes.set(decl[1]!, labelOf(decl[1]!, text))
  }
  const sequence = /^sequenceDiagram\b/.test(lines[0] ?? '') || (syntaxType === SYNTAX_PLANTUML && connectors > 0 && body.some((t) => /^\s*\w+\s*->/.test(t)))
  const group: BoardNode = { id: `${prefix}:1`, type: 'group', children: [], x: 0, y: 0, width: 0, height: 0 }
  const out: BoardNode[] = [group]
  let k = 1
  const add = (node: Omit<BoardNode, 'id' | 'parent_id'>) => {
    const id = `${prefix}:${++k}`
    out.push({ id, parent_id: group.id, ...node })
    group.children!.push(id)
  }
  let x = 0
  for (const label of shapes.values()) {
    add({ type: sequence ? 'life_line' : 'composite_shape', x, y: 0, width: 120, height: 60, text: { text: label } })
    x += 160
  }
  for (let c = 0; c < connectors; c++) add({ type: 'connector', x: 0, y: 80 + 40 * c, width: 0, height: 0 })
  if (shapes.size === 0 && connectors === 0) {
    for (const text of body) add({ type: 'text_shape', x: 0, y: 40 * k, width: 200, height: 30, text: { text } })
  }
  group.width = Math.max(120, x)
  group.height = 80 + 40 * Math.max(1, connectors)
  return out
}

function labelOf(id: string, text: string): string {
  const m = new RegExp(`${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[[({]+"?([^\\])}"]+)`).exec(text)
  return m?.[1]?.trim() || id
}
