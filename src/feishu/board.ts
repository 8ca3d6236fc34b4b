// Feishu whiteboards (board v1): turning Mermaid or PlantUML text into the nodes of a whiteboard,
// POST /open-apis/board/v1/whiteboards/:whiteboard_id/nodes/plantuml ("解析画板语法",
// https://open.feishu.cn/document/docs/board-v1/whiteboard-node/create_plantuml): 5 per second, scope
// board:whiteboard:node:create, tenant or user token. The whiteboard is the `board.token` of a board block
// (block_type 43) made with docx children create (./docx.ts).
//
// There is no "replace the board's content" call: a changed diagram gets a new board block (src/sync decides).
import type { FeishuClient } from './client.js'

/** The scope the parse-syntax call needs (its page's permission table). */
export const BOARD_SCOPE = 'board:whiteboard:node:create'

export type DiagramSyntax = 'mermaid' | 'plantuml'
/** `board`: editable whiteboard shapes (style_type 1); `classic`: one picture whose PlantUML stays editable (style_type 2, PlantUML only). */
export type DiagramStyle = 'board' | 'classic'

export interface DiagramImport {
  whiteboardId: string
  syntax: DiagramSyntax
  style: DiagramStyle
  code: string
}

/** Error codes of the parse-syntax page, as the reasons a diagram was refused. */
export const BOARD_ERRORS: Record<number, string> = {
  2890001: 'Feishu could not read the request (2890001 invalid format)',
  2890002: 'Feishu could not parse the diagram (2890002 invalid arg)',
  2890003: 'the whiteboard does not exist (2890003 record missing)',
  2890005: 'the token has no permission on the whiteboard (2890005 forbidden)',
  2891001: 'the whiteboard service failed (2891001 server internal error)',
}

export interface BoardApi {
  /** Parses the diagram into the whiteboard; returns the node id Feishu answers. */
  importDiagram(diagram: DiagramImport): Promise<string>
}

export function createBoardApi(client: FeishuClient): BoardApi {
  return {
    async importDiagram({ whiteboardId, syntax, style, code }) {
      const result = await client.request<{ node_id?: string }>({
        method: 'POST',
        path: `/open-apis/board/v1/whiteboards/${encodeURIComponent(whiteboardId)}/nodes/plantuml`,
        endpoint: 'board.whiteboardNode.createPlantuml',
        apiClass: 'board',
        body: {
          plant_uml_code: code,
          syntax_type: syntax === 'mermaid' ? 2 : 1,
          // Classic pictures exist for PlantUML only ("只有PlantUml语法支持经典样式").
          style_type: style === 'classic' && syntax === 'plantuml' ? 2 : 1,
          // 0 lets Feishu recognise the kind of diagram; Mermaid requires 0.
          diagram_type: 0,
        },
        // No client_token exists for this call. Sent again after a lost answer it may draw the diagram twice
        // on a board only this action writes to; the page's advice for 2891001 is to retry.
        retrySafe: true,
      })
      return result?.node_id ?? ''
    },
  }
}
