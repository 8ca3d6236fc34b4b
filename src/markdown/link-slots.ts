// Link slots: where each relative link of a converted document sits, so the URLs are filled in once the pages
// exist, without converting again. Pure: no I/O.
//
// The converter writes a relative link as written (url-encoded), which is also the key that finds its text again:
// a relative href never encodes to the same string as an absolute URL (those carry a scheme or start with //).
// One slot per distinct href of the document: the same href written twice resolves to the same URL, and the
// converter merged adjacent runs with the same link already.
import { type Block, type DescendantRequest, PAYLOAD_KEY, type TextElement, type TextElementStyle } from '../blocks/model.js'
import { encodeLinkUrl, type LinkKind } from './links.js'

/** A relative link of the document and the text elements it produced. */
export interface LinkSlot {
  /** As written. */
  href: string
  kind: LinkKind
  /** Repo-relative resolved path (no #anchor), when it stays inside the repository. */
  path?: string
  anchor?: string
  /** Where the first link with this href is written. */
  line: number
  column: number
  /** The text elements carrying it: the block's temporary id and the element's index in the block's `elements`. */
  elements: { blockId: string; index: number }[]
}

/** Points each slot at the elements the converter wrote for it. */
export function locateSlots(request: DescendantRequest, slots: LinkSlot[]): void {
  if (slots.length === 0) return
  const byUrl = new Map(slots.map((slot) => [encodeLinkUrl(slot.href), slot]))
  for (const block of request.descendants) {
    elementsOf(block)?.forEach((element, index) => {
      const url = styleOf(element)?.link?.url
      const slot = url === undefined ? undefined : byUrl.get(url)
      if (slot) slot.elements.push({ blockId: block.block_id, index })
    })
  }
}

/**
 * The request with every slot's URL filled in: `urlOf` answers the URL to write (not yet encoded), or undefined to
 * keep the href as written. A URL whose scheme may not be a link target (`refused`) leaves the text without a link.
 * Blocks without slots are shared with `request`, which is never changed.
 */
export function fillLinks(
  request: DescendantRequest,
  slots: readonly LinkSlot[],
  urlOf: (slot: LinkSlot, index: number) => string | undefined,
  refused: (url: string) => boolean = () => false,
): DescendantRequest {
  const changes = new Map<string, Map<number, string | undefined>>()
  for (const [index, slot] of slots.entries()) {
    const url = urlOf(slot, index)
    if (url === undefined) continue
    const encoded = refused(url) ? undefined : encodeLinkUrl(url)
    if (encoded === encodeLinkUrl(slot.href)) continue
    for (const { blockId, index } of slot.elements) {
      if (!changes.has(blockId)) changes.set(blockId, new Map())
      changes.get(blockId)!.set(index, encoded)
    }
  }
  if (changes.size === 0) return request
  return {
    ...request,
    descendants: request.descendants.map((block) => {
      const edits = changes.get(block.block_id)
      return edits ? withLinks(block, edits) : block
    }),
  }
}

/** The text elements of a block, or undefined when it has none. */
export function elementsOf(block: Block): TextElement[] | undefined {
  const key = PAYLOAD_KEY[block.block_type]
  const payload = key ? (block as Record<string, unknown>)[key] : undefined
  const elements = payload && typeof payload === 'object' ? (payload as { elements?: unknown }).elements : undefined
  return Array.isArray(elements) ? (elements as TextElement[]) : undefined
}

function styleOf(element: TextElement): TextElementStyle | undefined {
  const inner = Object.values(element)[0] as { text_element_style?: TextElementStyle } | undefined
  return inner?.text_element_style
}

function withLinks(block: Block, edits: ReadonlyMap<number, string | undefined>): Block {
  const key = PAYLOAD_KEY[block.block_type]!
  const payload = (block as Record<string, unknown>)[key] as { elements: TextElement[] }
  const elements = payload.elements.map((element, index) => {
    if (!edits.has(index)) return element
    const url = edits.get(index)
    const [kind, inner] = Object.entries(element)[0] as [string, { content: string; text_element_style?: TextElementStyle }]
    const { link: _, ...rest } = inner.text_element_style ?? {}
    const style: TextElementStyle = url === undefined ? rest : { ...rest, link: { url } }
    const { text_element_style: __, ...bare } = inner
    return { [kind]: Object.keys(style).length > 0 ? { ...bare, text_element_style: style } : bare } as TextElement
  })
  return { ...block, [key]: { ...payload, elements } } as Block
}
