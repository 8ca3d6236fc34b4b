// Diagram fences → whiteboards. ```mermaid, ```plantuml and ```puml fences, and a fence with no language holding
// `@startuml … @enduml`, become an empty board block (block_type 43, `board: {}`) plus a fillable carrying the
// diagram text; the writer makes the whiteboard from it with the parse-syntax API
// (https://open.feishu.cn/document/docs/board-v1/whiteboard-node/create_plantuml), or publishes the fence as
// a code block when Feishu refuses it.
import type { Code } from 'mdast'
import { type BlockNode, BlockType } from '../blocks/model.js'
import { codeBlock } from './build.js'
import { codeLanguage } from './code-languages.js'
import type { ConvertContext, DiagramSource } from './context.js'

/** The fence's language: the first token of its info string (```mermaid,ignore, ```puml{1} → mermaid, puml). */
function fenceLanguage(code: Code): string {
  return (code.lang ?? '').split(/[,{]/)[0]!.trim().toLowerCase()
}

function syntaxOf(code: Code): DiagramSource['syntax'] | undefined {
  const lang = fenceLanguage(code)
  if (lang === 'mermaid') return 'mermaid'
  if (lang === 'plantuml' || lang === 'puml') return 'plantuml'
  if (lang === '' && /^\s*@startuml\b/.test(code.value) && /@enduml\s*$/.test(code.value)) return 'plantuml'
  return undefined
}

/** A board block for a diagram fence, or undefined when the fence is ordinary code. */
export function diagramBlock(code: Code, ctx: ConvertContext): BlockNode | undefined {
  const syntax = syntaxOf(code)
  if (!syntax || code.value.trim() === '') return undefined
  // PlantUML's own renderers accept a body without @startuml/@enduml; Feishu's parser is given the whole form.
  const text = syntax === 'plantuml' && !/^\s*@start\w+/.test(code.value) ? `@startuml\n${code.value}\n@enduml` : code.value
  const node: BlockNode = { block: { block_type: BlockType.board, board: {} }, children: [] }
  const fallback = codeBlock(code.value, codeLanguage(code.lang?.split(/[,{]/)[0]).id).block
  ctx.addFillable(node, { kind: 'diagram', syntax, code: text, fallback }, code)
  return node
}
