// The Feishu emulator's route table: every path, its stable route name (the official schema names where one
// exists, so fault injection and `server.callsTo()` use the same names as schemas/feishu/_index.json), which
// token it needs, which rate-limit windows it counts against, and which error family its validation uses.
import { DAY, MINUTE, SECOND, type WindowSpec } from './ratelimit.js'

export type Family = 'oauth' | 'app-token' | 'wiki' | 'docx' | 'drive' | 'board' | 'generic'

export interface RouteInfo {
  name: string
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  /** 'token': a user or tenant Bearer token is required; 'none': the endpoint authenticates the app itself. */
  auth: 'none' | 'token'
  family: Family
  /** Scope prefixes a user token must hold at least one of (e.g. "wiki:"). */
  scopes?: string[]
  /** Rate-limit windows counted per app (and, for docx edits, per document). */
  limits?: { perApp?: WindowSpec[]; perDocument?: WindowSpec[] }
  /** Whether the docx handler writes (counts as an edit of the document). */
  edit?: boolean
}

// Wiki node APIs: 100/min, HTTP 429 (wiki-v2 space-node pages: "100 次/分钟").
const WIKI: WindowSpec[] = [{ limit: 100, windowMs: MINUTE, status: 429 }]
// Docx writes: app 3/s → HTTP 400 + 99991400; per document 3 edits/s → HTTP 429 (SDK doc comments, official text).
const DOCX_WRITE_APP: WindowSpec[] = [{ limit: 3, windowMs: SECOND, status: 400 }]
const DOCX_WRITE_DOC: WindowSpec[] = [{ limit: 3, windowMs: SECOND, status: 429 }]
// Docx reads: app 5/s → HTTP 400 + 99991400.
const DOCX_READ: WindowSpec[] = [{ limit: 5, windowMs: SECOND, status: 400 }]
// Auth endpoints: 1000/min and 50/s (refresh/get-user-access-token pages).
const AUTH: WindowSpec[] = [
  { limit: 50, windowMs: SECOND, status: 429 },
  { limit: 1000, windowMs: MINUTE, status: 429 },
]
// upload_all: 5 QPS and 10,000/day ("特殊频控", drive-v1/media/upload_all page).
const UPLOAD: WindowSpec[] = [
  { limit: 5, windowMs: SECOND, status: 429 },
  { limit: 10_000, windowMs: DAY, status: 429 },
]

// Board parse-syntax: 5/s ("5 次/秒"); its own throttle answer is HTTP 429 + 2890006 "too many request"
// (https://open.feishu.cn/document/docs/board-v1/whiteboard-node/create_plantuml). The node list page gives no
// number: the generic 5/s read budget is a guess (GUESSES.md).
const BOARD_PARSE: WindowSpec[] = [{ limit: 5, windowMs: SECOND, status: 429, answer: { code: 2890006, msg: 'too many request' } }]
const BOARD_READ: WindowSpec[] = [{ limit: 5, windowMs: SECOND, status: 429, answer: { code: 2890006, msg: 'too many request' } }]

const DOCS = '/open-apis/docx/v1/documents/:document_id'
const BOARDS = '/open-apis/board/v1/whiteboards/:whiteboard_id'
const NODES = '/open-apis/wiki/v2/spaces/:space_id/nodes'

/** Order matters: literal segments (get_node, batch_update) come before the `:param` routes they would match. */
export const ROUTES: RouteInfo[] = [
  // auth
  { name: 'authen.v2.oauth.token', method: 'POST', path: '/open-apis/authen/v2/oauth/token', auth: 'none', family: 'oauth', limits: { perApp: AUTH } },
  { name: 'oauth.v3.token', method: 'POST', path: '/oauth/v3/token', auth: 'none', family: 'oauth', limits: { perApp: AUTH } },
  { name: 'auth.v3.tenantAccessToken.internal', method: 'POST', path: '/open-apis/auth/v3/tenant_access_token/internal', auth: 'none', family: 'app-token' },
  { name: 'auth.v3.appAccessToken.internal', method: 'POST', path: '/open-apis/auth/v3/app_access_token/internal', auth: 'none', family: 'app-token' },
  { name: 'oauth.v1.deviceAuthorization', method: 'POST', path: '/oauth/v1/device_authorization', auth: 'none', family: 'oauth', limits: { perApp: AUTH } },
  { name: 'oauth.v1.deviceVerify', method: 'GET', path: '/oauth/v1/device/verify', auth: 'none', family: 'oauth' },
  { name: 'authen.v1.authorize', method: 'GET', path: '/open-apis/authen/v1/authorize', auth: 'none', family: 'oauth', limits: { perApp: AUTH } },
  { name: 'authen.v1.userInfo.get', method: 'GET', path: '/open-apis/authen/v1/user_info', auth: 'token', family: 'generic' },
  // wiki
  { name: 'wiki.v2.space.getNode', method: 'GET', path: '/open-apis/wiki/v2/spaces/get_node', auth: 'token', family: 'wiki', scopes: ['wiki:'], limits: { perApp: WIKI } },
  { name: 'wiki.v2.space.get', method: 'GET', path: '/open-apis/wiki/v2/spaces/:space_id', auth: 'token', family: 'wiki', scopes: ['wiki:'], limits: { perApp: WIKI } },
  { name: 'wiki.v2.spaceNode.list', method: 'GET', path: NODES, auth: 'token', family: 'wiki', scopes: ['wiki:'], limits: { perApp: WIKI } },
  { name: 'wiki.v2.spaceNode.create', method: 'POST', path: NODES, auth: 'token', family: 'wiki', scopes: ['wiki:'], limits: { perApp: WIKI } },
  { name: 'wiki.v2.spaceNode.updateTitle', method: 'POST', path: `${NODES}/:node_token/update_title`, auth: 'token', family: 'wiki', scopes: ['wiki:'], limits: { perApp: WIKI } },
  { name: 'wiki.v2.spaceNode.move', method: 'POST', path: `${NODES}/:node_token/move`, auth: 'token', family: 'wiki', scopes: ['wiki:'], limits: { perApp: WIKI } },
  { name: 'wiki.v2.spaceNode.delete', method: 'DELETE', path: `${NODES}/:node_token`, auth: 'token', family: 'wiki', scopes: ['wiki:'], limits: { perApp: WIKI } },
  // drive
  { name: 'drive.v1.media.uploadAll', method: 'POST', path: '/open-apis/drive/v1/medias/upload_all', auth: 'token', family: 'drive', scopes: ['drive:', 'docs:', 'docx:', 'bitable:', 'sheets:'], limits: { perApp: UPLOAD } },
  { name: 'drive.v1.meta.batchQuery', method: 'POST', path: '/open-apis/drive/v1/metas/batch_query', auth: 'token', family: 'drive', scopes: ['drive:', 'docs:', 'docx:', 'wiki:'] },
  // board (the literal `plantuml` before the plain nodes path is not needed: methods differ)
  { name: 'board.v1.whiteboardNode.createPlantuml', method: 'POST', path: `${BOARDS}/nodes/plantuml`, auth: 'token', family: 'board', scopes: ['board:whiteboard:node:create'], limits: { perApp: BOARD_PARSE } },
  { name: 'board.v1.whiteboardNode.list', method: 'GET', path: `${BOARDS}/nodes`, auth: 'token', family: 'board', scopes: ['board:whiteboard:node:read'], limits: { perApp: BOARD_READ } },
  // docx
  { name: 'docx.v1.document.get', method: 'GET', path: DOCS, auth: 'token', family: 'docx', scopes: ['docx:'], limits: { perApp: DOCX_READ } },
  { name: 'docx.v1.documentBlock.list', method: 'GET', path: `${DOCS}/blocks`, auth: 'token', family: 'docx', scopes: ['docx:'], limits: { perApp: DOCX_READ } },
  { name: 'docx.v1.documentBlock.batchUpdate', method: 'PATCH', path: `${DOCS}/blocks/batch_update`, auth: 'token', family: 'docx', scopes: ['docx:'], limits: { perApp: DOCX_WRITE_APP, perDocument: DOCX_WRITE_DOC }, edit: true },
  { name: 'docx.v1.documentBlock.get', method: 'GET', path: `${DOCS}/blocks/:block_id`, auth: 'token', family: 'docx', scopes: ['docx:'], limits: { perApp: DOCX_READ } },
  { name: 'docx.v1.documentBlock.patch', method: 'PATCH', path: `${DOCS}/blocks/:block_id`, auth: 'token', family: 'docx', scopes: ['docx:'], limits: { perApp: DOCX_WRITE_APP, perDocument: DOCX_WRITE_DOC }, edit: true },
  { name: 'docx.v1.documentBlockChildren.get', method: 'GET', path: `${DOCS}/blocks/:block_id/children`, auth: 'token', family: 'docx', scopes: ['docx:'], limits: { perApp: DOCX_READ } },
  { name: 'docx.v1.documentBlockChildren.create', method: 'POST', path: `${DOCS}/blocks/:block_id/children`, auth: 'token', family: 'docx', scopes: ['docx:'], limits: { perApp: DOCX_WRITE_APP, perDocument: DOCX_WRITE_DOC }, edit: true },
  { name: 'docx.v1.documentBlockDescendant.create', method: 'POST', path: `${DOCS}/blocks/:block_id/descendant`, auth: 'token', family: 'docx', scopes: ['docx:'], limits: { perApp: DOCX_WRITE_APP, perDocument: DOCX_WRITE_DOC }, edit: true },
  { name: 'docx.v1.documentBlockChildren.batchDelete', method: 'DELETE', path: `${DOCS}/blocks/:block_id/children/batch_delete`, auth: 'token', family: 'docx', scopes: ['docx:'], limits: { perApp: DOCX_WRITE_APP, perDocument: DOCX_WRITE_DOC }, edit: true },
]

/** Route names, for fault injection and `server.callsTo(...)`. */
export const ROUTE = {
  oauthToken: 'authen.v2.oauth.token',
  oauthTokenV3: 'oauth.v3.token',
  tenantToken: 'auth.v3.tenantAccessToken.internal',
  appToken: 'auth.v3.appAccessToken.internal',
  deviceAuthorization: 'oauth.v1.deviceAuthorization',
  deviceVerify: 'oauth.v1.deviceVerify',
  authorize: 'authen.v1.authorize',
  userInfo: 'authen.v1.userInfo.get',
  spaceGet: 'wiki.v2.space.get',
  getNode: 'wiki.v2.space.getNode',
  nodeList: 'wiki.v2.spaceNode.list',
  nodeCreate: 'wiki.v2.spaceNode.create',
  nodeUpdateTitle: 'wiki.v2.spaceNode.updateTitle',
  nodeMove: 'wiki.v2.spaceNode.move',
  nodeDelete: 'wiki.v2.spaceNode.delete',
  uploadAll: 'drive.v1.media.uploadAll',
  metasBatchQuery: 'drive.v1.meta.batchQuery',
  documentGet: 'docx.v1.document.get',
  blockList: 'docx.v1.documentBlock.list',
  blockGet: 'docx.v1.documentBlock.get',
  blockPatch: 'docx.v1.documentBlock.patch',
  blockBatchUpdate: 'docx.v1.documentBlock.batchUpdate',
  childrenGet: 'docx.v1.documentBlockChildren.get',
  childrenCreate: 'docx.v1.documentBlockChildren.create',
  descendantCreate: 'docx.v1.documentBlockDescendant.create',
  childrenBatchDelete: 'docx.v1.documentBlockChildren.batchDelete',
  boardCreatePlantuml: 'board.v1.whiteboardNode.createPlantuml',
  boardNodeList: 'board.v1.whiteboardNode.list',
} as const
