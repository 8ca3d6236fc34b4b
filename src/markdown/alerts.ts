// GitHub alerts (`> [!NOTE]` … `> [!CAUTION]`, https://docs.github.com/en/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax#alerts)
// → Feishu callout blocks. A callout may only contain Text, Heading1-9, Ordered, Bullet, Task, Todo, Quote and
// QuoteContainer blocks (docx overview, 父子关系限制: https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/docx-overview),
// so anything else found inside one is moved right after it.
import type { Blockquote, PhrasingContent, RootContent } from 'mdast'
import { type BlockNode, BlockType } from '../blocks/model.js'

export interface Alert {
  /** The title GitHub shows ("Note", "Tip", …). */
  label: string
  /**
   * callout.background_color (1 LightRed, 3 LightYellow, 4 LightGreen, 5 LightBlue, 6 LightPurple) and
   * border_color (1 Red, 3 Yellow, 4 Green, 5 Blue, 6 Purple), the enums of the callout request schema,
   * matching GitHub's alert colours. No emoji_id: the request schema has none (the server shows its default).
   */
  colors: { background_color: number; border_color: number }
  /** The quote's content without the `[!TYPE]` marker line. */
  content: RootContent[]
}

const ALERTS: Readonly<Record<string, Omit<Alert, 'content'>>> = {
  NOTE: { label: 'Note', colors: { background_color: 5, border_color: 5 } },
  TIP: { label: 'Tip', colors: { background_color: 4, border_color: 4 } },
  IMPORTANT: { label: 'Important', colors: { background_color: 6, border_color: 6 } },
  WARNING: { label: 'Warning', colors: { background_color: 3, border_color: 3 } },
  CAUTION: { label: 'Caution', colors: { background_color: 1, border_color: 1 } },
}

/** The marker must be alone on the quote's first line, as on GitHub. */
const MARKER = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\r\n|\r|\n|$)/i

export function readAlert(quote: Blockquote): Alert | undefined {
  const [first, ...others] = quote.children
  const head = first?.type === 'paragraph' ? first.children[0] : undefined
  if (first?.type !== 'paragraph' || head?.type !== 'text') return undefined
  const marker = MARKER.exec(head.value)
  if (!marker) return undefined
  const restOfHead = head.value.slice(marker[0].length)
  const rest: PhrasingContent[] = [...(restOfHead ? [{ ...head, value: restOfHead }] : []), ...first.children.slice(1)]
  while (rest[0]?.type === 'break') rest.shift()
  const content: RootContent[] = rest.length > 0 ? [{ ...first, children: rest }, ...others] : others
  return { ...ALERTS[marker[1]!.toUpperCase()]!, content }
}

const CALLOUT_CHILD_TYPES: ReadonlySet<number> = new Set([
  BlockType.text,
  BlockType.heading1,
  BlockType.heading2,
  BlockType.heading3,
  BlockType.heading4,
  BlockType.heading5,
  BlockType.heading6,
  BlockType.heading7,
  BlockType.heading8,
  BlockType.heading9,
  BlockType.ordered,
  BlockType.bullet,
  BlockType.task,
  BlockType.todo,
  BlockType.quote,
  BlockType.quote_container,
])

export function allowedInCallout(blockType: number): boolean {
  return CALLOUT_CHILD_TYPES.has(blockType)
}

/**
 * Splits a callout's would-be content into what it may hold and what must follow it, in document order. The rule
 * is applied to the whole subtree (a code block in a list inside the callout moves out too); a quote left empty
 * by the move is dropped.
 */
export function separateCalloutContent(blocks: readonly BlockNode[]): { inside: BlockNode[]; after: BlockNode[] } {
  const after: BlockNode[] = []
  const keep = (nodes: readonly BlockNode[]): BlockNode[] =>
    nodes.flatMap((node) => {
      if (!allowedInCallout(node.block.block_type)) {
        after.push(node)
        return []
      }
      node.children = keep(node.children)
      return node.block.block_type === BlockType.quote_container && node.children.length === 0 ? [] : [node]
    })
  const inside = keep(blocks)
  return { inside, after }
}
