// Request validation against the official request schemas in schemas/feishu (JSON Schema 2020-12 generated from
// the official @larksuiteoapi/lark-mcp 0.5.1 tool definitions; see schemas/feishu/README.md).
//
// Every request whose route has a schema is checked part by part: `path` (route params), `params` (query string,
// coerced to the schema's number/boolean types the way a server parses a query) and `data` (JSON body).
// Ajv runs as in offline-fidelity notes: `ajv/dist/2020` with {strict:false, allErrors:true}.
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ValidateFunction } from 'ajv'
import { isRecord } from './http.js'

const SCHEMA_DIR = new URL('../../schemas/feishu/', import.meta.url)

type Part = 'path' | 'params' | 'data'

interface SchemaFile {
  method: string
  path: string
  request?: Partial<Record<Part, Record<string, unknown>>>
}

let ajv: Ajv2020 | undefined
let index: Record<string, string> | undefined
const files = new Map<string, SchemaFile | null>()
const compiled = new Map<string, ValidateFunction | null>()

function loadIndex(): Record<string, string> {
  index ??= JSON.parse(readFileSync(new URL('_index.json', SCHEMA_DIR), 'utf8')) as Record<string, string>
  return index
}

/** Route names (e.g. "wiki.v2.spaceNode.create") that have an official request schema. */
export function schemaNames(): string[] {
  return Object.keys(loadIndex())
}

export function hasSchema(route: string): boolean {
  return route in loadIndex()
}

/** "METHOD path" of a schema name, from _index.json. */
export function schemaEndpoint(route: string): string | undefined {
  return loadIndex()[route]
}

function schemaFile(route: string): SchemaFile | undefined {
  if (!hasSchema(route)) return undefined
  if (!files.has(route)) {
    try {
      const file = JSON.parse(readFileSync(new URL(`${route}.json`, SCHEMA_DIR), 'utf8')) as SchemaFile
      SCHEMA_CORRECTIONS[route]?.(file)
      files.set(route, file)
    } catch {
      files.set(route, null)
    }
  }
  return files.get(route) ?? undefined
}

/**
 * Where lark-mcp 0.5.1's generated schemas lag the official node-sdk 1.74.0 request types and the docs, the newer
 * official source wins (GUESSES.md lists each). replace_image: the schema allows only `token`, but the SDK types
 * and the batch_update page take width, height, align, caption{content} and scale, and official clients send them
 * (https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/batch_update).
 */
const REPLACE_IMAGE_EXTRA = {
  width: { type: 'number' },
  height: { type: 'number' },
  align: { type: 'number' },
  caption: { type: 'object', properties: { content: { type: 'string' } }, additionalProperties: false },
  scale: { type: 'number' },
}

function widenReplaceImage(holder: unknown): void {
  if (!isRecord(holder) || !isRecord(holder.properties)) return
  const replace = holder.properties.replace_image
  if (isRecord(replace) && isRecord(replace.properties)) Object.assign(replace.properties, REPLACE_IMAGE_EXTRA)
}

/**
 * Board blocks (block_type 43): lark-mcp 0.5.1's block schema has no `board` payload; node-sdk 1.74.0 request types
 * have `board?: {align, width, height}` in both children and descendant create, and third-party clients create
 * `{block_type: 43, board: {}}` through children create (GUESSES.md, "Board blocks").
 */
const BOARD_PAYLOAD = {
  type: 'object',
  properties: { align: { type: 'number' }, width: { type: 'number' }, height: { type: 'number' } },
  additionalProperties: false,
}

function addBoard(list: unknown): void {
  if (isRecord(list) && isRecord(list.items) && isRecord(list.items.properties)) list.items.properties.board = BOARD_PAYLOAD
}

const SCHEMA_CORRECTIONS: Record<string, (file: SchemaFile) => void> = {
  'docx.v1.documentBlockChildren.create': (file) => {
    const data = file.request?.data?.properties
    if (isRecord(data)) addBoard(data.children)
  },
  'docx.v1.documentBlockDescendant.create': (file) => {
    const data = file.request?.data?.properties
    if (isRecord(data)) addBoard(data.descendants)
  },
  'docx.v1.documentBlock.patch': (file) => widenReplaceImage(file.request?.data),
  'docx.v1.documentBlock.batchUpdate': (file) => {
    const requests = file.request?.data?.properties
    if (isRecord(requests) && isRecord(requests.requests)) widenReplaceImage(requests.requests.items)
  },
}

function validator(route: string, part: Part): ValidateFunction | undefined {
  const key = `${route}#${part}`
  if (!compiled.has(key)) {
    const schema = schemaFile(route)?.request?.[part]
    if (!schema) {
      compiled.set(key, null)
    } else {
      ajv ??= new Ajv2020({ strict: false, allErrors: true })
      const { $schema: _ignored, ...rest } = schema
      compiled.set(key, ajv.compile(rest))
    }
  }
  return compiled.get(key) ?? undefined
}

/** Query strings arrive as text; give numbers and booleans the type the schema declares, as a server would. */
function coerceQuery(route: string, query: URLSearchParams): Record<string, unknown> {
  const props = (schemaFile(route)?.request?.params?.properties ?? {}) as Record<string, { type?: string }>
  const out: Record<string, unknown> = {}
  for (const [key, value] of query) {
    const type = props[key]?.type
    if ((type === 'number' || type === 'integer') && value.trim() !== '' && Number.isFinite(Number(value))) out[key] = Number(value)
    else if (type === 'boolean' && (value === 'true' || value === 'false')) out[key] = value === 'true'
    else out[key] = value
  }
  return out
}

export interface ValidationInput {
  route: string
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
}

/** Ajv errors as "part/instancePath message {params}" strings; empty when valid or when no schema exists. */
export function validateRequest(input: ValidationInput): string[] {
  if (!hasSchema(input.route)) return []
  const errors: string[] = []
  const check = (part: Part, value: unknown) => {
    const validate = validator(input.route, part)
    if (!validate) return
    if (!validate(value)) {
      for (const e of validate.errors ?? []) {
        const extra = e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''
        errors.push(`${part}${e.instancePath} ${e.message ?? 'invalid'}${extra}`)
      }
    }
  }
  check('path', input.params)
  check('params', coerceQuery(input.route, input.query))
  const file = schemaFile(input.route)
  if (file?.request?.data) {
    if (input.body === undefined) check('data', {})
    else if (!isRecord(input.body)) errors.push('data must be a JSON object')
    else check('data', input.body)
  }
  return errors
}

/**
 * Fields the server adds on read and refuses on write, even where a schema allows them
 * (https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/convert says to strip merge_info before
 * inserting; a real-documents-vs-schema run lists parent_id, page, table.cells, image token/width/height).
 */
export function readOnlyViolations(route: string, body: unknown): string[] {
  if (!isRecord(body)) return []
  let blocks: unknown[] = []
  if (route === 'docx.v1.documentBlockChildren.create' && Array.isArray(body.children)) blocks = body.children
  else if (route === 'docx.v1.documentBlockDescendant.create' && Array.isArray(body.descendants)) blocks = body.descendants
  else return []
  const errors: string[] = []
  const isDescendant = route === 'docx.v1.documentBlockDescendant.create'
  blocks.forEach((block, i) => {
    if (!isRecord(block)) return
    const at = `data/${isDescendant ? 'descendants' : 'children'}/${i}`
    if ('parent_id' in block) errors.push(`${at}/parent_id is read-only`)
    if ('page' in block || block.block_type === 1) errors.push(`${at}: a page block cannot be created`)
    const table = block.table
    if (isRecord(table)) {
      if ('cells' in table) errors.push(`${at}/table/cells is read-only`)
      if (isRecord(table.property) && 'merge_info' in table.property) errors.push(`${at}/table/property/merge_info is read-only`)
    }
    const image = block.image
    if (isRecord(image)) {
      for (const key of ['token', 'width', 'height']) {
        if (key in image) errors.push(`${at}/image/${key} cannot be set at creation (upload, then replace_image)`)
      }
    }
  })
  return errors
}
