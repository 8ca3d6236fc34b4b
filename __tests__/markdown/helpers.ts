// Shared checks for the converter tests: the official request schema (ajv, `data` part) plus the stricter rules
// Feishu applies beyond it, and helpers to read blocks back as text.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Ajv2020 from 'ajv/dist/2020.js'
import type { Block, DescendantRequest, TextElement } from '../../src/blocks/model.js'
import { tableMerges, withoutMergeInfo } from '../../src/blocks/merges.js'
import { PAYLOAD_KEY, TEXT_BLOCK_TYPES } from '../../src/blocks/model.js'
import { allowedInCallout } from '../../src/markdown/alerts.js'
import { decodeEntities } from '../../src/markdown/html.js'
import { type ConversionResult, convertMarkdown, type ConvertOptions } from '../../src/markdown/index.js'

const schemaFile = fileURLToPath(new URL('../../schemas/feishu/docx.v1.documentBlockDescendant.create.json', import.meta.url))
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { request: { data: { properties: { descendants: { items: { properties: Record<string, unknown> } } } } } }
// lark-mcp 0.5.1 lacks the board payload that node-sdk 1.74 types have (as the emulator's schema correction says).
schema.request.data.properties.descendants.items.properties.board = {
  type: 'object',
  properties: { align: { type: 'number' }, width: { type: 'number' }, height: { type: 'number' } },
  additionalProperties: false,
}
const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: false, allErrors: true })
const validateData = ajv.compile(schema.request.data)

export function convert(markdown: string, options: Partial<ConvertOptions> = {}): ConversionResult {
  return convertMarkdown(markdown, { path: 'docs/page.md', ...options })
}

/**
 * Every problem of a request: official schema errors and the stricter rules. Empty when it is valid. A table's
 * `merge_info` (the merges the converter asks for, src/blocks/merges.ts) must describe merges inside the table
 * that do not overlap; the rest is checked as the writer sends it, without merge_info.
 */
export function requestProblems(converted: DescendantRequest): string[] {
  const problems: string[] = []
  for (const block of converted.descendants) if (block.block_type === 31) problems.push(...mergeProblems(block))
  const request = { ...converted, descendants: converted.descendants.map(withoutMergeInfo) }
  if (!validateData(request)) {
    for (const error of validateData.errors ?? []) problems.push(`schema: ${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`)
  }
  const byId = new Map<string, Block>()
  for (const block of request.descendants) {
    if (byId.has(block.block_id)) problems.push(`duplicate block id ${block.block_id}`)
    byId.set(block.block_id, block)
  }
  const references = new Map<string, number>()
  const refer = (id: string) => references.set(id, (references.get(id) ?? 0) + 1)
  for (const id of request.children_id) refer(id)
  for (const block of request.descendants) for (const id of block.children ?? []) refer(id)
  for (const [id, count] of references) {
    if (!byId.has(id)) problems.push(`${id} is referenced but not defined`)
    if (count > 1) problems.push(`${id} is referenced ${count} times`)
  }
  for (const block of request.descendants) {
    if (!references.has(block.block_id)) problems.push(`${block.block_id} is defined but never referenced`)
    problems.push(...blockProblems(block, byId))
  }
  return problems
}

function mergeProblems(block: Block): string[] {
  const property = (block.table as { property: { row_size: number; column_size: number; merge_info?: unknown[] } }).property
  if (property.merge_info === undefined) return []
  const { row_size: rows, column_size: columns } = property
  if (property.merge_info.length !== rows * columns) return [`${block.block_id}: merge_info has ${property.merge_info.length} entries for ${rows * columns} cells`]
  const merges = tableMerges(property)
  if (merges.length === 0) return [`${block.block_id}: merge_info without a merge`]
  const taken = new Set<number>()
  const problems: string[] = []
  for (const m of merges) {
    if (m.row + m.rowSpan > rows || m.column + m.colSpan > columns) problems.push(`${block.block_id}: merge ${JSON.stringify(m)} leaves the table`)
    for (let r = m.row; r < m.row + m.rowSpan; r++) {
      for (let c = m.column; c < m.column + m.colSpan; c++) {
        if (taken.has(r * columns + c)) problems.push(`${block.block_id}: merges overlap at (${r}, ${c})`)
        taken.add(r * columns + c)
      }
    }
  }
  return problems
}

function blockProblems(block: Block, byId: ReadonlyMap<string, Block>): string[] {
  const problems: string[] = []
  const id = block.block_id
  const key = PAYLOAD_KEY[block.block_type]
  const payloadKeys = Object.keys(block).filter((name) => !['block_id', 'block_type', 'children'].includes(name))
  if (!key || payloadKeys.length !== 1 || payloadKeys[0] !== key) problems.push(`${id}: payload keys ${payloadKeys} for type ${block.block_type}`)
  const children = (block.children ?? []).map((child) => byId.get(child)).filter((child) => child !== undefined)
  if (TEXT_BLOCK_TYPES.has(block.block_type)) {
    const elements = (block[key!] as { elements?: TextElement[] }).elements
    if (!Array.isArray(elements) || elements.length === 0) problems.push(`${id}: empty or missing elements`)
    for (const element of elements ?? []) {
      const url = 'text_run' in element ? element.text_run.text_element_style?.link?.url : undefined
      if (url !== undefined && encodeURIComponent(decodeURIComponent(url)) !== url) problems.push(`${id}: link url not encoded: ${url}`)
    }
  }
  if ((block.block_type === 19 || block.block_type === 32) && children.length === 0) problems.push(`${id}: ${key} without children`)
  if (block.block_type === 19) {
    for (const descendant of subtree(block, byId)) {
      if (!allowedInCallout(descendant.block_type)) problems.push(`${id}: callout holds block type ${descendant.block_type}`)
    }
  }
  if (block.block_type === 31) {
    const table = block.table as { property: Record<string, unknown>; cells?: unknown }
    if ('merge_info' in table.property || 'cells' in table) problems.push(`${id}: read-only table fields`)
    const size = (table.property.row_size as number) * (table.property.column_size as number)
    if (children.length !== size || children.some((cell) => cell.block_type !== 32)) problems.push(`${id}: table children are not its ${size} cells`)
    for (const cell of children) {
      if (subtree(cell, byId).some((descendant) => descendant.block_type === 31)) problems.push(`${id}: table inside a table cell`)
    }
  }
  if (block.block_type === 27 && Object.keys(block.image as object).some((name) => ['token', 'width', 'height'].includes(name))) {
    problems.push(`${id}: read-only image fields`)
  }
  return problems
}

function subtree(block: Block, byId: ReadonlyMap<string, Block>): Block[] {
  const found: Block[] = []
  const pending = [...(block.children ?? [])]
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    const child = byId.get(id)
    if (!child) continue
    found.push(child)
    pending.push(...(child.children ?? []))
  }
  return found
}

/** A compact view of a request's trees: `{t: block_type, p: payload, c?: children}`. */
export type Shape = { t: number; p: unknown; c?: Shape[] }

export function shape(request: DescendantRequest): Shape[] {
  const byId = new Map(request.descendants.map((block) => [block.block_id, block]))
  const view = (id: string): Shape => {
    const block = byId.get(id)!
    const node: Shape = { t: block.block_type, p: block[PAYLOAD_KEY[block.block_type]!] }
    if (block.children && block.children.length > 0) node.c = block.children.map(view)
    return node
  }
  return request.children_id.map(view)
}

/** The visible text of a request in document order: runs, equations and code, one block per line. */
export function requestText(request: DescendantRequest): string {
  const byId = new Map(request.descendants.map((block) => [block.block_id, block]))
  const lines: string[] = []
  const visit = (id: string) => {
    const block = byId.get(id)!
    const body = block[PAYLOAD_KEY[block.block_type] ?? ''] as { elements?: TextElement[] } | undefined
    if (TEXT_BLOCK_TYPES.has(block.block_type) && body?.elements) lines.push(body.elements.map(elementText).join(''))
    for (const child of block.children ?? []) visit(child)
  }
  request.children_id.forEach(visit)
  return lines.join('\n')
}

function elementText(element: TextElement): string {
  if ('text_run' in element) return element.text_run.content
  if ('equation' in element) return element.equation.content
  return ''
}

/** An HTML tag, quoted attribute values included (they may contain `<` and `>`). */
const TAG = /<\/?[A-Za-z][^\s/>]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>/g

/** What a browser shows for an HTML fragment: tags, comments and script/style content removed, entities decoded. */
export function visibleHtmlText(html: string): string {
  const withoutHidden = html
    .replace(/<(script|style)\b[\s\S]*?(?:<\/\1>|$)/gi, ' ')
    .replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<![A-Za-z][^>]*>/g, ' ')
  return decodeEntities(withoutHidden.replace(TAG, ' '))
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * Text "survives" when, whitespace aside, the visible HTML text appears in the document (its title, then the
 * blocks' text) in the same order.
 */
export function textSurvives(expectedHtml: string, result: ConversionResult): boolean {
  const squeeze = (text: string) => text.replace(/\s+/g, '')
  const expected = squeeze(visibleHtmlText(expectedHtml))
  const body = squeeze(requestText(result.blocks))
  if (result.titleSource !== 'heading') return body.includes(expected)
  // The H1 that became the title left the body from wherever it stood.
  const title = squeeze(result.title)
  for (let at = expected.indexOf(title); at !== -1; at = expected.indexOf(title, at + 1)) {
    if (body.includes(expected.slice(0, at) + expected.slice(at + title.length))) return true
  }
  return false
}

export const run = (content: string, style?: Record<string, unknown>): TextElement =>
  style ? { text_run: { content, text_element_style: style } } : { text_run: { content } }

export const EMPTY = run('')

/** Converts and checks the request (official schema and stricter rules) before the test looks at it. */
export function checked(markdown: string, options: Partial<ConvertOptions> = {}): ConversionResult {
  const result = convert(markdown, options)
  const problems = requestProblems(result.blocks)
  if (problems.length > 0) throw new Error(`invalid request: ${problems.join('; ')}`)
  return result
}
