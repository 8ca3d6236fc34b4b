// Validate GitHub REST bodies against GitHub's own OpenAPI description (@octokit/openapi, generated from
// github/rest-api-description), converted to JSON Schema with @openapi-contrib/openapi-schema-to-json-schema
// (the spec is OpenAPI 3.0: `nullable` beside anyOf/allOf must be rewritten before ajv can read it).
//
// The 73 MB dereferenced description is read once per process; the operations the tests use are extracted and
// cached on disk (keyed by the package version), so later test files start in milliseconds.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openapiSchemaToJsonSchema } from '@openapi-contrib/openapi-schema-to-json-schema'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const specDir = path.join(root, 'node_modules/@octokit/openapi')
const specFile = path.join(specDir, 'generated/api.github.com.deref.json')

/** Operations the product and its emulator use; others are loaded from the full description on demand. */
const OPERATIONS = [
  'actions/get-repo-public-key',
  'actions/get-environment-public-key',
  'actions/create-or-update-repo-secret',
  'actions/create-or-update-environment-secret',
  'actions/get-repo-secret',
  'actions/get-environment-secret',
  'actions/delete-repo-secret',
  'actions/delete-environment-secret',
  'repos/compare-commits-with-basehead',
  'actions/get-workflow-run',
  'repos/get-environment',
]

interface Extracted {
  method: string
  path: string
  requestBody?: unknown
  /** status → JSON schema of the application/json body, or null for "no body". */
  responses: Record<string, unknown | null>
}

interface Extract {
  version: string
  operations: Record<string, Extracted>
  /** GitHub's generic error schemas, used for statuses an operation does not declare. */
  basicError: unknown
  validationError: unknown
}

let extract: Extract | undefined

function load(wanted: string[]): Extract {
  const version = JSON.parse(fs.readFileSync(path.join(specDir, 'package.json'), 'utf8')).version as string
  const cacheFile = path.join(os.tmpdir(), `feishu-wiki-sync-gh-openapi-${version}.json`)
  if (!extract && fs.existsSync(cacheFile)) {
    try {
      extract = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Extract
    } catch {
      extract = undefined
    }
  }
  if (extract && wanted.every((op) => extract!.operations[op])) return extract

  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as {
    paths: Record<string, Record<string, { operationId?: string; requestBody?: any; responses?: Record<string, any> }>>
  }
  const operations: Record<string, Extracted> = { ...extract?.operations }
  let basicError: unknown
  let validationError: unknown
  const want = new Set([...OPERATIONS, ...wanted])
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== 'object' || !op.responses) continue
      for (const r of Object.values(op.responses)) {
        const schema = r?.content?.['application/json']?.schema
        if (schema?.title === 'Basic Error' && (schema.properties?.status || !basicError)) basicError = schema
        if (schema?.title === 'Validation Error') validationError ??= schema
      }
      if (!op.operationId || !want.has(op.operationId)) continue
      const responses: Record<string, unknown | null> = {}
      for (const [status, r] of Object.entries(op.responses)) responses[status] = r?.content?.['application/json']?.schema ?? null
      operations[op.operationId] = {
        method: method.toUpperCase(),
        path: p,
        requestBody: op.requestBody?.content?.['application/json']?.schema,
        responses,
      }
    }
  }
  for (const op of wanted) if (!operations[op]) throw new Error(`operation ${op} is not in GitHub's OpenAPI description`)
  extract = { version, operations, basicError, validationError }
  const tmp = `${cacheFile}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify(extract))
  fs.renameSync(tmp, cacheFile)
  return extract
}

// ajv-formats is CommonJS with a default export; under NodeNext its namespace may or may not be unwrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }))
const compiled = new Map<string, ValidateFunction>()

function validator(key: string, schema: unknown): ValidateFunction {
  let fn = compiled.get(key)
  if (!fn) {
    const json = openapiSchemaToJsonSchema(schema as Record<string, unknown>) as Record<string, unknown>
    delete json.$schema
    fn = ajv.compile(json)
    compiled.set(key, fn)
  }
  return fn
}

function errorsOf(fn: ValidateFunction): string[] {
  return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
}

export interface Validation {
  valid: boolean
  errors: string[]
  /** Whether the operation documents this status. Undocumented error statuses are checked against GitHub's generic error schemas. */
  declared: boolean
}

/** Check a response body (parsed JSON, or undefined/'' for none) against the operation's schema for `status`. */
export function validateGitHubResponse(operationId: string, status: number, body: unknown): Validation {
  const ex = load([operationId])
  const op = ex.operations[operationId]!
  const key = String(status)
  if (key in op.responses) {
    const schema = op.responses[key]
    if (schema === null) {
      const empty = body === undefined || body === null || body === ''
      return { valid: empty, errors: empty ? [] : [`status ${status} has no body in the description, got ${JSON.stringify(body).slice(0, 200)}`], declared: true }
    }
    const fn = validator(`${operationId} ${key}`, schema)
    const valid = fn(body) as boolean
    return { valid, errors: valid ? [] : errorsOf(fn), declared: true }
  }
  if (status >= 400) {
    const hasErrorObjects = Array.isArray((body as { errors?: unknown })?.errors)
    const schema = hasErrorObjects ? ex.validationError : ex.basicError
    const fn = validator(hasErrorObjects ? 'Validation Error' : 'Basic Error', schema)
    // Basic Error has no required fields; GitHub always sends message and documentation_url.
    const base = fn(body) as boolean
    const errors = base ? [] : errorsOf(fn)
    for (const field of ['message', 'documentation_url']) {
      if (typeof (body as Record<string, unknown> | undefined)?.[field] !== 'string') errors.push(`/ must have string ${field}`)
    }
    return { valid: errors.length === 0, errors, declared: false }
  }
  return { valid: false, errors: [`status ${status} is not documented for ${operationId} (documented: ${Object.keys(op.responses).join(', ')})`], declared: false }
}

/** Check a JSON request body against the operation's requestBody schema. */
export function validateGitHubRequest(operationId: string, body: unknown): Validation {
  const op = load([operationId]).operations[operationId]!
  if (!op.requestBody) {
    const empty = body === undefined || body === null || body === ''
    return { valid: empty, errors: empty ? [] : ['operation takes no request body'], declared: true }
  }
  const fn = validator(`${operationId} request`, op.requestBody)
  const valid = fn(body) as boolean
  return { valid, errors: valid ? [] : errorsOf(fn), declared: true }
}

/** Throwing form for tests: names the operation, status and every schema violation. */
export function assertValidGitHubResponse(operationId: string, status: number, body: unknown): void {
  const v = validateGitHubResponse(operationId, status, body)
  if (!v.valid) throw new Error(`${operationId} ${status} response violates GitHub's OpenAPI description:\n  ${v.errors.join('\n  ')}`)
}

export function assertValidGitHubRequest(operationId: string, body: unknown): void {
  const v = validateGitHubRequest(operationId, body)
  if (!v.valid) throw new Error(`${operationId} request body violates GitHub's OpenAPI description:\n  ${v.errors.join('\n  ')}`)
}

/** Method and path template of an operation, e.g. to map a recorded call back to its operation. */
export function operationRoute(operationId: string): { method: string; path: string } {
  const op = load([operationId]).operations[operationId]!
  return { method: op.method, path: op.path }
}
