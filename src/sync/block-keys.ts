// Canonical keys for the block diff: what we write and what the server hands back must give the same key.
//
// PROVISIONAL: the converter owns normalisation (normalizeBlock / blockFingerprint in src/blocks/). Until
// that exists this module canonicalises the differences known between the write shape and the read shape:
// ids, parent_id, children, comment_ids, defaults the server fills in (text style align 1 / folded false /
// done false / wrap false / language, element style false flags, table column_width, merge_info, cells),
// image token/width/height/scale, and links stored percent-encoded or decoded.
import type { Block } from '../blocks/model.js'
import type { DiffKeys } from './block-diff.js'

const DROP = new Set(['block_id', 'parent_id', 'children', 'comment_ids'])
const STYLE_DEFAULTS: Record<string, unknown> = { align: 1, folded: false, done: false, wrap: false }

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function decodeUrl(url: string): string {
  let text = url
  for (let i = 0; i < 2 && !/^[a-z][a-z0-9+.-]*:/i.test(text); i++) {
    try {
      text = decodeURIComponent(text)
    } catch {
      break
    }
  }
  return text
}

function canonElementStyle(style: unknown): Record<string, unknown> | undefined {
  if (!style || typeof style !== 'object') return undefined
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(style as Record<string, unknown>)) {
    if (k === 'comment_ids' || v === false || v === undefined) continue
    if (k === 'link' && v && typeof v === 'object') out.link = decodeUrl(String((v as { url?: unknown }).url ?? ''))
    else out[k] = v
  }
  return Object.keys(out).length > 0 ? out : undefined
}

function canonElements(elements: unknown): unknown[] {
  if (!Array.isArray(elements)) return []
  const out: unknown[] = []
  for (const el of elements) {
    if (!el || typeof el !== 'object') continue
    const [kind, body] = Object.entries(el as Record<string, unknown>)[0] ?? []
    if (!kind || !body || typeof body !== 'object') continue
    const { text_element_style, ...rest } = body as Record<string, unknown>
    const style = canonElementStyle(text_element_style)
    if (kind === 'mention_doc' && typeof rest.url === 'string') rest.url = decodeUrl(rest.url)
    const item = { kind, ...rest, ...(style ? { style } : {}) }
    // Adjacent runs with the same style are one run to a reader; the server may merge or split them.
    const prev = out[out.length - 1] as Record<string, unknown> | undefined
    if (kind === 'text_run' && prev?.kind === 'text_run' && stableJson(prev.style) === stableJson(item.style)) {
      prev.content = String(prev.content) + String(rest.content ?? '')
    } else if (!(kind === 'text_run' && rest.content === '' && elements.length > 1)) {
      out.push(item)
    }
  }
  return out
}

function canonPayload(type: number, key: string, payload: unknown): unknown {
  if (!payload || typeof payload !== 'object') return payload ?? {}
  const body = payload as Record<string, unknown>
  if ('elements' in body) {
    const style: Record<string, unknown> = {}
    for (const [k, v] of Object.entries((body.style as Record<string, unknown>) ?? {})) {
      if (STYLE_DEFAULTS[k] === v) continue
      if (k === 'language' && v === 1 && type !== 14) continue
      if (k === 'sequence') continue // server-computed numbering of ordered lists
      style[k] = v
    }
    if (type === 14 && style.language === undefined) style.language = 1
    return { elements: canonElements(body.elements), style }
  }
  if (key === 'table') {
    const p = { ...((body.property as Record<string, unknown>) ?? {}) }
    delete p.merge_info
    delete p.column_width
    if (p.header_row === false) delete p.header_row
    if (p.header_column === false) delete p.header_column
    return { property: p }
  }
  if (key === 'image') {
    const { token: _t, width: _w, height: _h, scale: _s, ...rest } = body
    const caption = (rest.caption as { content?: string } | undefined)?.content
    return { align: rest.align ?? undefined, caption: caption || undefined }
  }
  return body
}

export function canonicalBlock(block: Block): Record<string, unknown> {
  const out: Record<string, unknown> = { block_type: block.block_type }
  for (const [k, v] of Object.entries(block)) {
    if (DROP.has(k) || k === 'block_type') continue
    out[k] = canonPayload(block.block_type, k, v)
  }
  return out
}

/** DiffKeys from the canonical form, with an asset lookup for image blocks. */
export function canonicalKeys(asset?: (block: Block) => string | undefined): DiffKeys {
  return {
    own: (block) => stableJson(canonicalBlock(block)),
    ...(asset ? { asset } : {}),
  }
}
