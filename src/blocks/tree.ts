// Block trees ⇄ the flat shapes of the API: the `descendant` request (temporary ids, children by id) and the
// block list of GET /docx/v1/documents/:document_id/blocks (page block first, children by id).
// Iterative walks, so a deep tree cannot overflow the stack.
import type { Block, BlockContent, BlockNode, DescendantRequest } from './model.js'

/** Temporary ids are `${prefix}${n}` in pre-order: the same tree always gets the same ids. */
export const DEFAULT_ID_PREFIX = 'b'

export interface BuiltRequest {
  request: DescendantRequest
  /** The temporary id given to each node. */
  idOf: Map<BlockNode, string>
}

/** Flattens block trees into a descendant request, numbering blocks in document (pre-)order. */
export function toDescendantRequest(roots: readonly BlockNode[], idPrefix = DEFAULT_ID_PREFIX): BuiltRequest {
  const idOf = new Map<BlockNode, string>()
  const descendants: Block[] = []
  for (const node of preOrder(roots)) idOf.set(node, `${idPrefix}${idOf.size + 1}`)
  for (const node of preOrder(roots)) {
    descendants.push({
      ...node.block,
      block_id: idOf.get(node)!,
      children: node.children.map((child) => idOf.get(child)!),
    })
  }
  return { request: { children_id: roots.map((root) => idOf.get(root)!), descendants }, idOf }
}

/** Rebuilds the trees of a descendant request (blocks keep their temporary ids). Unknown child ids are skipped. */
export function requestToTree(request: DescendantRequest): BlockNode<Block>[] {
  const byId = new Map(request.descendants.map((block) => [block.block_id, block]))
  return linkChildren(request.children_id, byId)
}

/**
 * Turns the flat block list of GET /open-apis/docx/v1/documents/:document_id/blocks (all pages concatenated;
 * the page block first, children referenced by id) into the page's tree. Child ids that are missing from the
 * list are skipped, and a block is placed at most once, so a malformed list cannot loop.
 */
export function parseDocumentBlocks(items: readonly Block[]): BlockNode<Block> {
  const page = items.find((block) => block.block_type === 1) ?? items[0]
  if (!page) throw new Error('parseDocumentBlocks: the block list is empty (a document always has its page block)')
  return blockTree(items, page.block_id)
}

/** The subtree under `rootId` of a flat block list (read shape), as parseDocumentBlocks builds it for the page. */
export function blockTree(items: readonly Block[], rootId: string): BlockNode<Block> {
  const byId = new Map(items.map((block) => [block.block_id, block]))
  const root = linkChildren([rootId], byId)[0]
  if (!root) throw new Error(`the block list has no block ${rootId}`)
  return root
}

/** A descendant request for trees whose blocks already carry their (temporary) ids. */
export function requestOf(roots: readonly BlockNode<Block>[]): DescendantRequest {
  const descendants: Block[] = []
  for (const node of preOrder(roots)) {
    descendants.push({ ...node.block, children: node.children.map((child) => child.block.block_id) })
  }
  return { children_id: roots.map((root) => root.block.block_id), descendants }
}

function linkChildren(rootIds: readonly string[], byId: ReadonlyMap<string, Block>): BlockNode<Block>[] {
  const placed = new Set<string>()
  const place = (id: string): BlockNode<Block> | undefined => {
    const block = byId.get(id)
    if (!block || placed.has(id)) return undefined
    placed.add(id)
    return { block, children: [] }
  }
  const roots = rootIds.map(place).filter((node) => node !== undefined)
  const pending = [...roots]
  for (let node = pending.pop(); node; node = pending.pop()) {
    for (const childId of node.block.children ?? []) {
      const child = place(childId)
      if (child) {
        node.children.push(child)
        pending.push(child)
      }
    }
  }
  return roots
}

/** Every node of the trees in document (pre-)order. */
export function* preOrder<B extends BlockContent>(roots: readonly BlockNode<B>[]): Generator<BlockNode<B>> {
  const stack = [...roots].reverse()
  for (let node = stack.pop(); node; node = stack.pop()) {
    yield node
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!)
  }
}

/** Number of blocks in a request or in block trees (every descendant counts, as it does for the 1000 limit). */
export function countBlocks(source: DescendantRequest | readonly BlockNode[]): number {
  if ('descendants' in source) return source.descendants.length
  let count = 0
  for (const _ of preOrder(source)) count++
  return count
}
