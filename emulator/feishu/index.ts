// The Feishu / Lark Open Platform emulator: a stateful loopback HTTP server that enforces the documented rules
// (auth and single-use refresh tokens, wiki v2, docx v1 through the document store, drive media upload, rate
// limits, request schemas). It stands for the outside world, so it imports nothing from src/.
//
// Every call runs the same pipeline, in the order the live service shows (a probe found the access-token check
// runs before parameter validation):
//   fault injection (core) → access token → scope → rate limit → schema / field validation → handler.
// Every response carries `x-tt-logid`; enveloped errors carry the same id in `error.log_id`.
import { type Clock, realClock } from '../core/clock.js'
import { type SavedFields, restoreFields, saveFields } from '../core/state.js'
import { EmulatorServer, type EmulatorRequest, type EmulatorResponse, type Fault, Router } from '../core/server.js'
import { AuthState, DEFAULT_USER_ID, type Identity, oauthError } from './auth.js'
import { type BoardNode, BoardState, type DiagramRecord } from './board.js'
import type { DocumentStoreContract } from './docx-contract.js'
import { type Block, DocumentStore, DocxError } from './docx/store.js'
import { DriveState, parseMultipart } from './drive.js'
import { ApiError, RawError, errorBody, isRecord, ok } from './http.js'
import { base62, newLogId } from './ids.js'
import { RateLimiter, type RateLimitStats } from './ratelimit.js'
import { ROUTE, ROUTES, type RouteInfo } from './routes.js'
import { readOnlyViolations, validateRequest } from './schemas.js'
import { type Node, SOMEONE_ELSE, WikiState, asBody } from './wiki.js'

export { ROUTE, ROUTES } from './routes.js'
export type { RouteInfo } from './routes.js'
export type { Node, Space } from './wiki.js'
export type { Identity } from './auth.js'
export type { RateLimitStats } from './ratelimit.js'
export type { BoardNode, DiagramRecord } from './board.js'
export { DEFAULT_USER_ID, DEFAULT_SCOPES, oauthError } from './auth.js'

export interface FeishuEmulatorOptions {
  /** Default realClock; rate windows, token lifetimes and latency read it. */
  clock?: Clock
  /** Added to every call (clock ms); default 0. */
  latencyMs?: number
  /** Enforce documented limits; default true. */
  rateLimits?: boolean
  /** Validate every request against schemas/feishu; default true. */
  validateRequests?: boolean
  /** Default { appId: 'cli_emulator', appSecret: 'emulator-app-secret' }. */
  app?: { appId: string; appSecret: string }
  /** Default 7200. */
  accessTokenTtlSeconds?: number
  /** Default 604800. */
  refreshTokenTtlSeconds?: number
  /** Redirect URIs registered for the app (authorize flow). Default http://localhost:3333/callback and 127.0.0.1. */
  redirectUris?: string[]
}

export { DocumentStore, DocxError } from './docx/store.js'

export interface FeishuEmulator {
  /** Base URL, used as the action's base-url AND as the accounts host. */
  url: string
  /** calls, inject(), clearFaults(), callsTo(route). */
  server: EmulatorServer
  close(): Promise<void>
  issueRefreshToken(options?: { userId?: string; scopes?: string[]; grantedAt?: number }): string
  liveRefreshToken(userId?: string): string | undefined
  createSpace(options?: { name?: string; userIsMember?: boolean; appIsMember?: boolean }): string
  createNode(
    spaceId: string,
    options: { title: string; parentNodeToken?: string; objType?: 'docx'; creator?: 'user' | 'app' | 'someone-else' },
  ): { node_token: string; obj_token: string }
  nodes(spaceId: string): Node[]
  renderTree(spaceId: string, parentNodeToken?: string): string
  docs: DocumentStore
  /**
   * What a reader does in the Feishu UI (not API writes): comment on a block, resize an image or a table column.
   * The document's revision and the wiki node's obj_edit_time move; the call log and editCount do not.
   */
  person: {
    comment(documentId: string, blockId: string, text: string): string
    resizeImage(documentId: string, blockId: string, width: number, height: number): void
    resizeColumn(documentId: string, tableId: string, column: number, width: number): void
  }
  approveDevice(userCode: string, userId?: string): void
  denyDevice(userCode: string): void
  schemaViolations: { route: string; errors: string[] }[]

  // ---- extras beyond the agreed API ----
  /** Calls the emulator's own limiter answered 99991400, in total and per route (for benchmarks). */
  throttled: RateLimitStats
  /** An access token for the user without a refresh (tests that only need API access). */
  issueUserAccessToken(options?: { userId?: string; scopes?: string[] }): string
  /** Every refresh token issued to the user, oldest first, with its state. */
  refreshTokens(userId?: string): { token: string; state: 'live' | 'used' | 'expired' }[]
  /** The user's my_library space id (created on first use). */
  myLibrary(userId?: string): string
  /** The next `count` node-list calls answer an empty page with has_more:true, as permission filtering does. */
  emptyListPages(count: number): void
  /** The next `count` authorize-page visits are denied by the user (redirect with error=access_denied). */
  denyNextAuthorizations(count?: number): void
  /** Uploaded media, for assertions (file token, block it was uploaded for, bytes). */
  uploads(): { fileToken: string; fileName: string; parentNode: string; documentId: string; size: number; bytes: Buffer }[]
  /**
   * A person edits a document in the Feishu editor: `edit` changes the store directly, then the node's
   * obj_edit_time moves and `by` becomes its last editor (default: someone else than the action's identities).
   */
  personEdit(documentId: string, edit?: (docs: DocumentStore) => void, by?: 'user' | 'app' | 'someone-else' | string): void
  /** Documents removed with their wiki node. */
  deletedDocuments(): string[]
  /** Turn rate limiting on or off at run time. */
  setRateLimits(enabled: boolean): void
  /**
   * Scopes the app has not applied for (developer console): a call needing only these answers 99991672 whatever
   * the token. Default none (the app has every scope).
   */
  setMissingAppScopes(scopes: string[]): void
  /** Every diagram a whiteboard accepted (parse-syntax calls), oldest first, with its text. */
  boardDiagrams(): DiagramRecord[]
  /** A whiteboard's nodes as the list API answers them. */
  boardNodes(whiteboardId: string): BoardNode[]
  /** A whiteboard as a person would describe it: node count and the source it was made from. */
  renderBoard(whiteboardId: string): string
  /**
   * A deep copy of everything the emulator remembers (tokens, spaces, nodes, documents, uploads, rate windows;
   * not the call log, schema violations or armed faults), with the clock time it was taken at.
   */
  saveState(): FeishuState
  /** Replace what this emulator remembers with a copy of a saved state (from this or another instance). */
  restoreState(state: FeishuState): void
}

/** Opaque: what saveState() returns. `at` is the emulator clock's time when it was taken. */
export interface FeishuState {
  at: number
  fields: Record<string, SavedFields>
}

/** Ready-made faults for the refresh call (the core's drop:'after' loses a committed response). */
export const feishuFaults = {
  /** The refresh commits server-side (old token dies, new one exists) but the client never sees the answer. */
  refreshLostAfterCommit: (extra: Partial<Fault> = {}): Fault => ({ route: ROUTE.oauthToken, drop: 'after', ...extra }),
  /** HTTP 500 {code:20050, error:'server_error'} without committing (retryable per the refresh page). */
  refreshServerError: (extra: Partial<Fault> = {}): Fault => ({ route: ROUTE.oauthToken, ...oauthError(20050), ...extra }),
  /** HTTP 503 {code:20072, error:'temporarily_unavailable'} without committing. */
  refreshUnavailable: (extra: Partial<Fault> = {}): Fault => ({ route: ROUTE.oauthToken, ...oauthError(20072), ...extra }),
  /** A gateway throttle on any route, with the documented headers. */
  throttle: (route: string, options: { status?: 400 | 429; resetSeconds?: number; limit?: number } & Partial<Fault> = {}): Fault => {
    const { status = 429, resetSeconds = 1, limit = 100, ...extra } = options
    return {
      route,
      status,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-limit': String(limit), 'x-ogw-ratelimit-reset': String(resetSeconds) },
      ...extra,
    }
  },
}

const DEFAULT_APP = { appId: 'cli_emulator', appSecret: 'emulator-app-secret' }

interface Ctx {
  req: EmulatorRequest
  identity?: Identity
}

type Handler = (ctx: Ctx) => unknown | Promise<unknown>

export async function startFeishuEmulator(options: FeishuEmulatorOptions = {}, port?: number): Promise<FeishuEmulator> {
  const clock = options.clock ?? realClock
  const app = options.app ?? DEFAULT_APP
  const appOpenId = `ou_app_${app.appId}`
  const validate = options.validateRequests ?? true
  const limiter = new RateLimiter(clock, options.rateLimits ?? true)
  const schemaViolations: { route: string; errors: string[] }[] = []
  let baseUrl = ''

  const auth = new AuthState({
    clock,
    app,
    redirectUris: options.redirectUris ?? ['http://localhost:3333/callback', 'http://127.0.0.1:3333/callback'],
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 7200,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 604800,
    baseUrl: () => baseUrl,
  })

  const docs = new DocumentStore({ clock, newId: (prefix: string) => `${prefix}${base62(22)}` })
  // The routes rely on the agreed contract; a drift of the store from it fails the typecheck here.
  const contract: DocumentStoreContract = docs
  void contract
  const deleted = new Set<string>()

  const wiki = new WikiState(clock, appOpenId, {
    createDocument: (id, title) => docs.createDocument(id, title),
    setDocumentTitle: (id, title) => docs.setTitle(id, title),
    deleteDocument: (id) => deleted.add(id),
  })

  const canUseDocument = (identity: Identity, documentId: string): boolean => {
    if (deleted.has(documentId) || !docs.has(documentId)) return false
    const space = wiki.spaceOfDocument(documentId)
    return space !== undefined && wiki.canAccess(space, identity)
  }

  const drive = new DriveState(clock, {
    findBlockDocument(blockId, hint) {
      const candidates = hint ? [hint, ...wiki.documentIds().filter((d) => d !== hint)] : wiki.documentIds()
      for (const documentId of candidates) {
        if (deleted.has(documentId) || !docs.has(documentId)) continue
        if (documentId === blockId) return documentId
        try {
          docs.getBlock(documentId, blockId)
          return documentId
        } catch {
          // not in this document
        }
      }
      return undefined
    },
    canWriteDocument: canUseDocument,
    documentMeta(documentId) {
      const node = wiki.nodeOfDocument(documentId)
      if (!node || deleted.has(documentId)) return undefined
      return {
        title: node.title,
        owner: node.owner,
        created: Number(node.obj_create_time) * 1000,
        edited: Number(node.obj_edit_time) * 1000,
        editor: wiki.lastEditor(documentId) ?? node.owner,
      }
    },
    documentOfNode: (nodeToken) => wiki.findNode(nodeToken)?.obj_token,
  })
  docs.setMediaRelation((fileToken) => drive.relation(fileToken))
  const boards = new BoardState({ findBoard: (token) => docs.findBoard(token), canUseDocument })
  const missingAppScopes = new Set<string>()

  // ---- docx helpers --------------------------------------------------------------------------------------------

  const requireDocument = (identity: Identity, documentId: string): void => {
    if (deleted.has(documentId) || !docs.has(documentId)) throw new ApiError(1770002, 'not found', 404)
    const space = wiki.spaceOfDocument(documentId)
    if (!space || !wiki.canAccess(space, identity)) throw new ApiError(1770032, 'forbidden', 403)
  }

  const intParam = (req: EmulatorRequest, name: string, fallback: number, max: number): number => {
    const raw = req.query.get(name)
    if (raw === null || raw === '') return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 1 || n > max) throw new ApiError(1770001, 'invalid param')
    return n
  }

  const revisionCheck = (req: EmulatorRequest, documentId: string): void => {
    const raw = req.query.get('document_revision_id')
    if (raw === null || raw === '' || raw === '-1') return
    const n = Number(raw)
    const current = docs.getDocument(documentId).revision_id
    if (!Number.isInteger(n) || n < -1 || n > current) throw new ApiError(1770001, 'invalid param')
    if (current - n > 1000) throw new ApiError(1770021, 'too old document')
  }

  const clientToken = (req: EmulatorRequest): string | undefined => req.query.get('client_token') || undefined

  // ---- handlers --------------------------------------------------------------------------------------------------

  const user = (ctx: Ctx): Identity => ctx.identity!
  const handlers: Record<string, Handler> = {
    [ROUTE.oauthToken]: ({ req }) => auth.oauthToken(req),
    [ROUTE.oauthTokenV3]: ({ req }) => auth.oauthToken(req),
    [ROUTE.tenantToken]: ({ req }) => auth.appLevelToken(req, 'tenant'),
    [ROUTE.appToken]: ({ req }) => auth.appLevelToken(req, 'app'),
    [ROUTE.deviceAuthorization]: ({ req }) => auth.deviceAuthorization(req),
    [ROUTE.deviceVerify]: ({ req }) => auth.deviceVerifyPage(req),
    [ROUTE.authorize]: ({ req }) => auth.authorize(req),
    [ROUTE.userInfo]: (ctx) => {
      const id = user(ctx)
      if (id.kind !== 'user') throw new ApiError(99991663, 'Invalid access token for authorization. Please make a request with token attached.')
      return ok({
        name: 'Emulator User',
        en_name: 'Emulator User',
        open_id: id.userId,
        union_id: `on_${id.userId.replace(/^ou_/, '')}`,
        user_id: id.userId.replace(/^ou_/, ''),
        tenant_key: 'emulator_tenant',
        avatar_url: '',
        avatar_thumb: '',
        avatar_middle: '',
        avatar_big: '',
      })
    },

    [ROUTE.spaceGet]: (ctx) => ok(wiki.getSpace(user(ctx), ctx.req.params.space_id!)),
    [ROUTE.getNode]: (ctx) => {
      const token = ctx.req.query.get('token')
      if (!token) throw new ApiError(131002, 'param err')
      return ok(wiki.getNode(user(ctx), token, ctx.req.query.get('obj_type') ?? 'wiki'))
    },
    [ROUTE.nodeList]: (ctx) => ok(wiki.listNodes(user(ctx), ctx.req.params.space_id!, ctx.req.query)),
    [ROUTE.nodeCreate]: (ctx) => ok(wiki.createNode(user(ctx), ctx.req.params.space_id!, asBody(ctx.req.body))),
    [ROUTE.nodeUpdateTitle]: (ctx) =>
      ok(wiki.updateTitle(user(ctx), ctx.req.params.space_id!, ctx.req.params.node_token!, asBody(ctx.req.body))),
    [ROUTE.nodeMove]: (ctx) => ok(wiki.move(user(ctx), ctx.req.params.space_id!, ctx.req.params.node_token!, asBody(ctx.req.body))),
    [ROUTE.nodeDelete]: (ctx) =>
      ok(wiki.deleteNode(user(ctx), ctx.req.params.space_id!, ctx.req.params.node_token!, asBody(ctx.req.body))),

    [ROUTE.uploadAll]: async (ctx) => {
      const id = user(ctx)
      const parts = parseMultipart(String(ctx.req.headers['content-type'] ?? ''), ctx.req.rawBody)
      return ok(await drive.uploadAll(id, parts, id.kind === 'user' ? id.userId : appOpenId))
    },
    [ROUTE.metasBatchQuery]: (ctx) => ok(drive.batchQuery(user(ctx), asBody(ctx.req.body))),

    [ROUTE.boardCreatePlantuml]: (ctx) => ok(boards.createPlantuml(user(ctx), ctx.req.params.whiteboard_id!, ctx.req.body)),
    [ROUTE.boardNodeList]: (ctx) => ok(boards.listNodes(user(ctx), ctx.req.params.whiteboard_id!)),

    [ROUTE.documentGet]: (ctx) => {
      return ok({ document: docs.getDocument(ctx.req.params.document_id!) })
    },
    [ROUTE.blockList]: (ctx) => {
      const documentId = ctx.req.params.document_id!
      const pageSize = intParam(ctx.req, 'page_size', 500, 500)
      return ok(docs.listBlocks(documentId, pageSize, ctx.req.query.get('page_token') || undefined))
    },
    [ROUTE.blockGet]: (ctx) => {
      return ok({ block: docs.getBlock(ctx.req.params.document_id!, ctx.req.params.block_id!) })
    },
    [ROUTE.childrenGet]: (ctx) => {
      const documentId = ctx.req.params.document_id!
      const pageSize = intParam(ctx.req, 'page_size', 500, 500)
      return ok(docs.getChildren(documentId, ctx.req.params.block_id!, pageSize, ctx.req.query.get('page_token') || undefined))
    },
    [ROUTE.childrenCreate]: (ctx) => {
      const documentId = ctx.req.params.document_id!
      const body = asBody(ctx.req.body)
      return ok(
        docs.createChildren(documentId, ctx.req.params.block_id!, body as { children: Block[]; index?: number }, clientToken(ctx.req)),
      )
    },
    [ROUTE.descendantCreate]: (ctx) => {
      const documentId = ctx.req.params.document_id!
      const body = asBody(ctx.req.body) as { children_id: string[]; descendants: Block[]; index?: number }
      return ok(docs.createDescendants(documentId, ctx.req.params.block_id!, body, clientToken(ctx.req)))
    },
    [ROUTE.childrenBatchDelete]: (ctx) => {
      const documentId = ctx.req.params.document_id!
      const body = asBody(ctx.req.body) as { start_index: number; end_index: number }
      return ok(docs.batchDelete(documentId, ctx.req.params.block_id!, body, clientToken(ctx.req)))
    },
    [ROUTE.blockPatch]: (ctx) => {
      const documentId = ctx.req.params.document_id!
      return ok(docs.patch(documentId, ctx.req.params.block_id!, asBody(ctx.req.body), clientToken(ctx.req)))
    },
    [ROUTE.blockBatchUpdate]: (ctx) => {
      const documentId = ctx.req.params.document_id!
      const body = asBody(ctx.req.body) as { requests: Record<string, unknown>[] }
      return ok(docs.batchUpdate(documentId, body, clientToken(ctx.req)))
    },
  }

  /** Declared field limits (gateway validation: HTTP 400, 99992402 "field validation failed", field_violations). */
  const fieldLimits = (route: string, body: unknown): { field: string; description: string }[] => {
    if (!isRecord(body)) return []
    const out: { field: string; description: string }[] = []
    const len = (field: string, min: number, max: number) => {
      const v = body[field]
      if (!Array.isArray(v)) return
      if (v.length > max) out.push({ field, description: `the max len is ${max}` })
      else if (v.length < min) out.push({ field, description: `the min len is ${min}` })
    }
    if (route === ROUTE.childrenCreate) len('children', 1, 50)
    if (route === ROUTE.descendantCreate) {
      len('children_id', 1, 1000)
      len('descendants', 1, 1000)
    }
    if (route === ROUTE.blockBatchUpdate) len('requests', 1, 200)
    return out
  }

  const familyInvalid = (info: RouteInfo): ApiError =>
    info.family === 'docx'
      ? new ApiError(1770001, 'invalid param')
      : info.family === 'board'
        ? new ApiError(2890001, 'invalid format')
      : info.family === 'wiki'
        ? new ApiError(131002, 'param err')
        : new ApiError(99992402, 'field validation failed')

  const run = async (info: RouteInfo, req: EmulatorRequest): Promise<EmulatorResponse> => {
    const logId = newLogId(clock.now())
    let response: EmulatorResponse
    try {
      const ctx: Ctx = { req }
      if (info.auth === 'token') {
        ctx.identity = auth.authenticate(req)
        if (info.scopes && info.scopes.every((s) => missingAppScopes.has(s))) {
          throw new ApiError(99991672, `Access denied. One of the following scopes is required: [${info.scopes.join(', ')}].`)
        }
        if (ctx.identity.kind === 'user' && info.scopes) {
          const scopes = ctx.identity.scopes
          if (!info.scopes.some((prefix) => scopes.some((s) => s.startsWith(prefix)))) {
            throw new ApiError(
              99991679,
              'Unauthorized. You do not have permission to perform the requested operation on the resource. Please request user re-authorization and try again.',
            )
          }
        }
      }
      const documentId = req.params.document_id
      const windows = [
        ...(info.limits?.perApp ?? []).map((spec) => ({ key: `${info.name}|app:${app.appId}`, spec })),
        ...(documentId ? (info.limits?.perDocument ?? []) : []).map((spec) => ({ key: `docx-edits|doc:${documentId}`, spec })),
      ]
      limiter.take(info.name, windows)

      if (info.family === 'docx' && documentId) {
        // The document is checked before the parameters: an inaccessible document answers 403 whatever the body.
        requireDocument(ctx.identity!, documentId)
        revisionCheck(req, documentId)
      }
      const limits = fieldLimits(info.name, req.body)
      if (validate) {
        const errors = [...validateRequest({ route: info.name, params: req.params, query: req.query, body: req.body })]
        errors.push(...readOnlyViolations(info.name, req.body))
        if (errors.length || limits.length) {
          schemaViolations.push({ route: info.name, errors: [...errors, ...limits.map((l) => `data/${l.field} ${l.description}`)] })
        }
        if (!limits.length && errors.length) throw familyInvalid(info)
      }
      if (limits.length) {
        const body = errorBody(99992402, 'field validation failed', logId)
        body.error = { ...(body.error as object), field_violations: limits }
        return withLogId({ status: 400, body }, logId)
      }
      const result = await handlers[info.name]!(ctx)
      response = isResponse(result) ? result : ok(result)
      if (info.edit && documentId && response.status === 200) wiki.touchDocument(documentId, wiki.actor(ctx.identity!))
    } catch (error) {
      if (error instanceof ApiError) {
        response = { status: error.status, headers: error.headers, body: errorBody(error.code, error.msg, logId) }
      } else if (error instanceof RawError) {
        response = error.response
      } else {
        if (!(error instanceof DocxError)) throw error
        response = { status: error.httpStatus, body: errorBody(error.code, error.message, logId) }
      }
    }
    return withLogId(response, logId)
  }

  const router = new Router()
  for (const info of ROUTES) router.add(info.method, info.path, info.name, (req) => run(info, req))

  const server = new EmulatorServer('feishu', router, {
    clock,
    latencyMs: options.latencyMs ?? 0,
    responseHeaders: () => ({ 'x-tt-logid': newLogId(clock.now()) }),
    // Unknown path or wrong method: plain-text 404, not a JSON code (live probe P03/P20).
    notFound: () => ({ status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '404 page not found' }),
  })
  baseUrl = await server.listen(port ?? 0)

  const stateHolders = () => ({ auth, wiki, docs, drive, boards, limiter, deleted: { deleted } })

  const creatorId = (creator: 'user' | 'app' | 'someone-else' | undefined): string =>
    creator === 'app' ? appOpenId : creator === 'someone-else' ? SOMEONE_ELSE : DEFAULT_USER_ID

  return {
    url: baseUrl,
    server,
    close: () => server.close(),
    issueRefreshToken: (o) => {
      const token = auth.issueRefreshToken(o)
      wiki.library(o?.userId ?? DEFAULT_USER_ID)
      return token
    },
    liveRefreshToken: (userId) => auth.liveRefreshToken(userId),
    createSpace: (o) => wiki.createSpace(o),
    createNode: (spaceId, o) => {
      if (o.objType && o.objType !== 'docx') throw new Error('createNode: only docx nodes are emulated')
      return wiki.seedNode(spaceId, { title: o.title, parentNodeToken: o.parentNodeToken, creator: creatorId(o.creator) })
    },
    nodes: (spaceId) => wiki.nodes(spaceId),
    renderTree: (spaceId, parent) => wiki.renderTree(spaceId, parent),
    docs,
    person: {
      comment: (documentId, blockId, text) => {
        const id = docs.addComment(documentId, blockId, text)
        wiki.touchDocument(documentId, SOMEONE_ELSE)
        return id
      },
      resizeImage: (documentId, blockId, width, height) => {
        docs.resizeImage(documentId, blockId, width, height)
        wiki.touchDocument(documentId, SOMEONE_ELSE)
      },
      resizeColumn: (documentId, tableId, column, width) => {
        docs.resizeColumn(documentId, tableId, column, width)
        wiki.touchDocument(documentId, SOMEONE_ELSE)
      },
    },
    approveDevice: (userCode, userId) => auth.approveDevice(userCode, userId),
    denyDevice: (userCode) => auth.denyDevice(userCode),
    schemaViolations,
    throttled: limiter.stats,
    issueUserAccessToken: (o) => auth.issueUserAccessToken(o),
    refreshTokens: (userId) => auth.refreshTokens(userId),
    myLibrary: (userId = DEFAULT_USER_ID) => wiki.library(userId).space_id,
    emptyListPages: (count) => {
      wiki.emptyListPages = count
    },
    denyNextAuthorizations: (count = 1) => {
      auth.denyNextAuthorizations = count
    },
    uploads: () => drive.allUploads(),
    personEdit: (documentId, edit, by = 'someone-else') => {
      edit?.(docs)
      wiki.touchDocument(documentId, by === 'user' || by === 'app' || by === 'someone-else' ? creatorId(by) : by)
    },
    deletedDocuments: () => [...deleted],
    setRateLimits: (enabled) => {
      limiter.enabled = enabled
    },
    setMissingAppScopes: (scopes) => {
      missingAppScopes.clear()
      for (const s of scopes) missingAppScopes.add(s)
    },
    boardDiagrams: () => structuredClone(boards.diagrams),
    boardNodes: (whiteboardId) => boards.nodesOf(whiteboardId),
    renderBoard: (whiteboardId) => boards.render(whiteboardId),
    saveState: () => ({ at: clock.now(), fields: saveFields(stateHolders()) }),
    restoreState: (state) => restoreFields(stateHolders(), state.fields),
  }
}

function isResponse(value: unknown): value is EmulatorResponse {
  return isRecord(value) && typeof value.status === 'number' && ('body' in value || 'headers' in value)
}

function withLogId(response: EmulatorResponse, logId: string): EmulatorResponse {
  return { ...response, headers: { ...response.headers, 'x-tt-logid': logId } }
}
