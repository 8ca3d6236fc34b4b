// Test helpers for the block diff: a tiny in-memory document that applies plans with the server's index
// semantics, a seeded PRNG, and random documents and edit scripts.
import type { Block } from '../../src/blocks/model.js'
import {
  type DiffKeys,
  type DiffPlan,
  descendantsOf,
  type TreeNode,
  treeFromBlocks,
  treeFromDescendants,
  walkTree,
} from '../../src/sync/apply/block-diff.js'

/** Canonical key for tests: the block without ids, children and read-only fields. */
export const testKeys: DiffKeys = {
  own(block) {
    const { block_id: _id, parent_id: _p, children: _c, comment_ids: _k, asset: _a, ...rest } = block
    if (rest.image) {
      const { token: _t, ...image } = rest.image as Record<string, unknown>
      rest.image = image
    }
    return stable(rest)
  },
  asset(block) {
    const token = (block.image as { token?: string } | undefined)?.token
    return (block as { asset?: string }).asset ?? (token?.startsWith('tok-') ? token.slice(4) : token)
  },
}

export function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** A mutable document with server-side semantics (ids, children lists, index rules). */
export class MiniDoc {
  readonly blocks = new Map<string, Block>()
  private seq = 0
  writes = 0
  /** Containers that must never be left without a child. */
  static readonly needsChild = new Set([19, 32])

  constructor(readonly id = 'doc') {
    this.blocks.set(id, { block_id: id, block_type: 1, page: { elements: [] }, children: [] })
  }

  static from(nodes: TreeNode[]): MiniDoc {
    const doc = new MiniDoc()
    const relations = doc.insert(doc.id, 0, nodes)
    for (const n of walkTree(nodes)) {
      const asset = (n.block as { asset?: string }).asset
      if (asset) doc.update(relations.get(n.block.block_id)!, { replace_image: { token: `tok-${asset}` } })
    }
    doc.writes = 0
    return doc
  }

  tree(): TreeNode {
    return treeFromBlocks([...this.blocks.values()], this.id)
  }

  insert(parentId: string, index: number, nodes: TreeNode[]): Map<string, string> {
    const parent = this.blocks.get(parentId)
    if (!parent) throw new Error(`insert: no parent ${parentId}`)
    const kids = parent.children!
    if (index < 0 || index > kids.length) throw new Error(`insert: index ${index} out of [0, ${kids.length}]`)
    const relations = new Map<string, string>()
    const add = (n: TreeNode, parent: string): string => {
      const id = `b${++this.seq}`
      relations.set(n.block.block_id, id)
      const { asset: _asset, ...content } = structuredClone(n.block) as Block & { asset?: string }
      const block: Block = { ...content, block_id: id, parent_id: parent, children: [] }
      this.blocks.set(id, block)
      block.children = n.children.map((c) => add(c, id))
      return id
    }
    kids.splice(index, 0, ...nodes.map((n) => add(n, parentId)))
    this.writes++
    return relations
  }

  /** A new block not yet in any children list (table cells made by insert_table_row). */
  insertDetached(parentId: string, node: TreeNode): string {
    const id = `b${++this.seq}`
    this.blocks.set(id, { ...structuredClone(node.block), block_id: id, parent_id: parentId, children: [] })
    return id
  }

  delete(parentId: string, start: number, end: number): void {
    const parent = this.blocks.get(parentId)
    if (!parent) throw new Error(`delete: no parent ${parentId}`)
    const kids = parent.children!
    if (!(start >= 0 && end > start && end <= kids.length)) throw new Error(`delete: [${start}, ${end}) out of ${kids.length}`)
    const removed = kids.splice(start, end - start)
    if (kids.length === 0 && MiniDoc.needsChild.has(parent.block_type)) throw new Error(`delete: ${parentId} left empty`)
    const drop = (id: string) => {
      const b = this.blocks.get(id)
      this.blocks.delete(id)
      for (const c of b?.children ?? []) drop(c)
    }
    removed.forEach(drop)
    this.writes++
  }

  update(blockId: string, update: Record<string, unknown>): void {
    const block = this.blocks.get(blockId)
    if (!block) throw new Error(`update: no block ${blockId}`)
    const key = Object.keys(block).find((k) => !['block_id', 'block_type', 'parent_id', 'children', 'comment_ids'].includes(k))!
    const body = block[key] as Record<string, unknown>
    const [op, arg] = Object.entries(update)[0] as [string, Record<string, unknown>]
    if (op === 'update_text_elements') body.elements = structuredClone(arg.elements)
    else if (op === 'update_text_style') body.style = { ...(body.style as object), ...(arg.style as object) }
    else if (op === 'update_text') {
      body.elements = structuredClone(arg.elements)
      body.style = { ...(body.style as object), ...(arg.style as object) }
    } else if (op === 'replace_image') body.token = arg.token
    else throw new Error(`update: ${op} not supported here`)
  }

  /** Apply a plan the way syncDocument does (structural ops in order, then patches and images). */
  apply(plan: DiffPlan, assetToken: (node: TreeNode) => string = (n) => `tok-${(n.block as { asset?: string }).asset}`): void {
    const created: [string, TreeNode][] = []
    for (const op of plan.structural) {
      if (op.kind === 'insert') {
        const relations = this.insert(op.parentId, op.index, op.nodes)
        for (const n of walkTree(op.nodes)) if (n.block.block_type === 27) created.push([relations.get(n.block.block_id)!, n])
      } else if (op.kind === 'delete') this.delete(op.parentId, op.start, op.end)
      else {
        const table = this.blocks.get(op.tableId)!
        const property = (table.table as { property: { row_size: number } }).property
        for (const d of op.deletes) {
          const removed = table.children!.splice(d.start * op.columns, (d.end - d.start) * op.columns)
          if (table.children!.length === 0) throw new Error('table-rows: table left without rows')
          const drop = (id: string) => {
            const b = this.blocks.get(id)
            this.blocks.delete(id)
            for (const c of b?.children ?? []) drop(c)
          }
          removed.forEach(drop)
          property.row_size -= d.end - d.start
          this.writes++
        }
        for (const ins of op.inserts) {
          if (ins.row > property.row_size) throw new Error(`table-rows: row ${ins.row} beyond ${property.row_size}`)
          // Server semantics: empty cells (one empty paragraph each); then fill them like the executor does.
          const cells = ins.cells.map((want) => {
            const rel = this.insertDetached(op.tableId, { ...want, children: [] })
            return rel
          })
          table.children!.splice(ins.row * op.columns, 0, ...cells)
          property.row_size += 1
          this.writes++
          ins.cells.forEach((want, c) => {
            const relations = this.insert(cells[c]!, 0, want.children)
            for (const n of walkTree(want.children)) if (n.block.block_type === 27) created.push([relations.get(n.block.block_id)!, n])
          })
        }
      }
    }
    for (const [id, n] of created) this.update(id, { replace_image: { token: assetToken(n) } })
    if (plan.patches.length + plan.images.length + created.length > 0) this.writes++
    for (const p of plan.patches) this.update(p.blockId, p.update as Record<string, unknown>)
    for (const img of plan.images) this.update(img.blockId, { replace_image: { token: assetToken(img.node) } })
  }
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let tmp = 0
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta', 'iota', 'kappa']

export function text(content: string, type = 2, key = 'text'): TreeNode {
  return { block: { block_id: `t${++tmp}`, block_type: type, [key]: { elements: [{ text_run: { content } }] } }, children: [] }
}

export function callout(children: TreeNode[], color = 5): TreeNode {
  return { block: { block_id: `t${++tmp}`, block_type: 19, callout: { background_color: color } }, children }
}

export function bullet(content: string, children: TreeNode[] = []): TreeNode {
  return { ...text(content, 12, 'bullet'), children }
}

export function table(rows: string[][]): TreeNode {
  const cells = rows.flat().map((c) => ({ block: { block_id: `t${++tmp}`, block_type: 32, table_cell: {} }, children: [text(c)] }))
  return {
    block: { block_id: `t${++tmp}`, block_type: 31, table: { property: { row_size: rows.length, column_size: rows[0]!.length } } },
    children: cells,
  }
}

export function image(asset: string, caption?: string): TreeNode {
  return { block: { block_id: `t${++tmp}`, block_type: 27, image: caption ? { caption: { content: caption } } : {}, asset } as Block, children: [] }
}

export function randomWords(r: () => number, n = 1 + Math.floor(r() * 4)): string {
  return Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ')
}

export function randomBlock(r: () => number, depth = 0): TreeNode {
  const x = r()
  if (depth >= 1) {
    // Inside containers only what a callout may hold (text, headings, bullets).
    if (x < 0.6) return text(randomWords(r))
    if (x < 0.8) return text(randomWords(r), 4, 'heading2')
    return bullet(randomWords(r), depth < 2 && r() < 0.3 ? [bullet(randomWords(r))] : [])
  }
  if (x < 0.4) return text(randomWords(r))
  if (x < 0.5) return text(randomWords(r), 3 + Math.floor(r() * 3), ['heading1', 'heading2', 'heading3'][Math.floor(r() * 3)])
  if (x < 0.58) return { ...text(randomWords(r), 14, 'code') }
  if (x < 0.63) return { block: { block_id: `t${++tmp}`, block_type: 22, divider: {} }, children: [] }
  if (x < 0.73) return bullet(randomWords(r), r() < 0.5 ? [bullet(randomWords(r))] : [])
  if (x < 0.83) return callout([text(randomWords(r)), ...(r() < 0.5 ? [text(randomWords(r))] : [])])
  if (x < 0.9) return table([[randomWords(r, 1), randomWords(r, 1)], [randomWords(r, 1), randomWords(r, 1)]])
  if (x < 0.95) return image(`h${Math.floor(r() * 4)}`, r() < 0.3 ? 'caption' : undefined)
  return text(randomWords(r))
}

/** Fix heading payload keys made by randomBlock (type and key must agree). */
function fixKeys(n: TreeNode): TreeNode {
  const names: Record<number, string> = { 3: 'heading1', 4: 'heading2', 5: 'heading3' }
  const name = names[n.block.block_type]
  if (name && !(name in n.block)) {
    const key = Object.keys(n.block).find((k) => k.startsWith('heading'))!
    const { [key]: body, ...rest } = n.block
    n.block = { ...rest, [name]: body } as Block
  }
  n.children.forEach(fixKeys)
  return n
}

export function randomDoc(r: () => number, n: number): TreeNode[] {
  return Array.from({ length: n }, () => fixKeys(randomBlock(r)))
}

/** A deep copy with fresh temporary ids (as a new conversion would produce). */
export function reconvert(nodes: TreeNode[]): TreeNode[] {
  return treeFromDescendants(
    (() => {
      const req = descendantsOf(nodes)
      const ids = new Map<string, string>()
      const fresh = (id: string) => {
        if (!ids.has(id)) ids.set(id, `n${++tmp}`)
        return ids.get(id)!
      }
      return {
        children_id: req.children_id.map(fresh),
        descendants: req.descendants.map((b) => ({ ...structuredClone(b), block_id: fresh(b.block_id), children: (b.children ?? []).map(fresh) })),
      }
    })(),
  )
}

/** Apply one random edit to a list (recursing into containers sometimes). */
export function randomEdit(r: () => number, list: TreeNode[], depth = 0): void {
  const x = r()
  const at = Math.floor(r() * (list.length + 1))
  const pick = Math.min(Math.floor(r() * list.length), list.length - 1)
  const tables = list.filter((n) => n.block.block_type === 31)
  const target = tables.length > 0 && r() < 0.3 ? tables[Math.floor(r() * tables.length)]! : list[pick]
  if (target && target.children.length > 0 && x < 0.25 && target.block.block_type !== 31) {
    const before = target.children.length
    randomEdit(r, target.children, depth + 1)
    if (target.block.block_type === 19 && target.children.length === 0 && before > 0) target.children.push(text('refill'))
    return
  }
  if (target && target.block.block_type === 27 && x < 0.4) {
    ;(target.block as { asset?: string }).asset = `h${Math.floor(r() * 6)}`
    return
  }
  if (target && target.block.block_type === 14 && x < 0.4) {
    ;(target.block.code as { style?: object }).style = { language: 1 + Math.floor(r() * 70) }
    return
  }
  if (target && target.block.block_type === 31 && x < 0.6) {
    const property = (target.block.table as { property: { row_size: number; column_size: number } }).property
    const cols = property.column_size
    const y = r()
    if (y < 0.3) {
      // add a row
      const at = Math.floor(r() * (property.row_size + 1))
      const cells = Array.from({ length: cols }, () => ({ block: { block_id: `t${++tmp}`, block_type: 32, table_cell: {} }, children: [text(randomWords(r, 1))] }))
      target.children.splice(at * cols, 0, ...cells)
      target.block = { ...target.block, table: { property: { ...property, row_size: property.row_size + 1 } } }
    } else if (y < 0.5 && property.row_size > 1) {
      const at = Math.floor(r() * property.row_size)
      target.children.splice(at * cols, cols)
      target.block = { ...target.block, table: { property: { ...property, row_size: property.row_size - 1 } } }
    } else {
      const cell = target.children[Math.floor(r() * target.children.length)]!
      if (r() < 0.5) cell.children[0] = text(randomWords(r))
      else cell.children.push(text(randomWords(r)))
    }
    return
  }
  if (x < 0.45) list.splice(at, 0, fixKeys(randomBlock(r, depth)))
  else if (x < 0.6 && list.length > 0) list.splice(pick, 1)
  else if (x < 0.8 && target && ![19, 22, 27, 31].includes(target.block.block_type)) {
    const key = Object.keys(target.block).find((k) => (target.block[k] as { elements?: unknown })?.elements)!
    ;(target.block[key] as { elements: unknown[] }).elements = [{ text_run: { content: randomWords(r) } }]
  } else if (x < 0.9 && list.length > 1) {
    const [moved] = list.splice(pick, 1)
    list.splice(Math.floor(r() * (list.length + 1)), 0, moved!)
  } else if (target && target.block.block_type === 2) {
    // type change: paragraph → heading
    const body = target.block.text
    target.block = { block_id: target.block.block_id, block_type: 3, heading1: body }
  } else {
    list.splice(at, 0, fixKeys(randomBlock(r, depth)))
  }
}

export function cloneTree(nodes: TreeNode[]): TreeNode[] {
  return nodes.map((n) => ({ block: structuredClone(n.block), children: cloneTree(n.children) }))
}
