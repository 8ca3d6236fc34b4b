// Feishu caps the text of one block: "一个文本 Block 中 content 总长度最大值：100,000 个 UTF-16 编码的字符" (the
// content of one text block is at most 100,000 UTF-16 characters; batch_update request docs,
// https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/batch_update). A longer paragraph or
// code block (a huge log pasted in a fence, a paragraph the guard publishes as plain text) is split here into
// consecutive blocks of the same kind and style, so the page is published instead of failing.
import { type BlockNode, PAYLOAD_KEY, type TextElement } from '../blocks/model.js'

export const MAX_TEXT_CHARS = 100_000

interface TextPayload {
  elements: TextElement[]
  style?: object
}

/** The blocks with every text block over the limit split; `onSplit` is told how many blocks each became. */
export function splitLongText(blocks: readonly BlockNode[], onSplit: (parts: number) => void): BlockNode[] {
  return blocks.flatMap((node) => {
    const payload = textPayload(node)
    if (payload && node.children.length === 0 && textLength(payload.elements) > MAX_TEXT_CHARS) {
      const parts = chunkElements(payload.elements).map(
        (elements): BlockNode => ({ block: { ...node.block, [PAYLOAD_KEY[node.block.block_type]!]: { ...payload, elements } }, children: [] }),
      )
      onSplit(parts.length)
      return parts
    }
    return node.children.length > 0 ? [{ ...node, children: splitLongText(node.children, onSplit) }] : [node]
  })
}

function textPayload(node: BlockNode): TextPayload | undefined {
  const key = PAYLOAD_KEY[node.block.block_type]
  const payload = key ? (node.block as Record<string, unknown>)[key] : undefined
  return payload && typeof payload === 'object' && Array.isArray((payload as TextPayload).elements) ? (payload as TextPayload) : undefined
}

/** What the limit counts: the content of text runs and equations. */
function contentOf(element: TextElement): string | undefined {
  const e = element as { text_run?: { content: string }; equation?: { content: string } }
  return e.text_run?.content ?? e.equation?.content
}

function textLength(elements: readonly TextElement[]): number {
  return elements.reduce((n, e) => n + (contentOf(e)?.length ?? 0), 0)
}

/** Consecutive groups of elements of at most MAX_TEXT_CHARS each; a long text run is cut between code points. */
function chunkElements(elements: readonly TextElement[]): TextElement[][] {
  const chunks: TextElement[][] = []
  let chunk: TextElement[] = []
  let used = 0
  const flush = () => {
    if (chunk.length > 0) chunks.push(chunk)
    chunk = []
    used = 0
  }
  for (const element of elements) {
    const content = contentOf(element)
    const run = (element as { text_run?: { content: string } }).text_run
    if (content === undefined || used + content.length <= MAX_TEXT_CHARS) {
      chunk.push(element)
      used += content?.length ?? 0
      continue
    }
    if (!run) {
      // An equation (at most 10,000 characters) that does not fit: it starts the next block.
      flush()
      chunk.push(element)
      used = content.length
      continue
    }
    let rest = run.content
    while (rest.length > 0) {
      let take = Math.min(rest.length, MAX_TEXT_CHARS - used)
      if (take === 0) {
        flush()
        continue
      }
      // Never between the two halves of a surrogate pair.
      if (take < rest.length && /[\uD800-\uDBFF]/.test(rest[take - 1]!)) take--
      if (take === 0) {
        flush()
        continue
      }
      chunk.push({ ...element, text_run: { ...run, content: rest.slice(0, take) } } as TextElement)
      used += take
      rest = rest.slice(take)
      if (rest.length > 0) flush()
    }
  }
  flush()
  return chunks
}
