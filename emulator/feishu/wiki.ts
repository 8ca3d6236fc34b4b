// Wiki v2 state and handlers: spaces (team spaces and one my_library per user) and the node tree.
//
// Official pages followed:
//   get space      https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/get
//   get_node       https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/get_node
//   list nodes     https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/list
//   create node    https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/create
//   update title   https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/update_title
//   move node      https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/move
//   delete node    DELETE /open-apis/wiki/v2/spaces/:space_id/nodes/:token (newer than the SDK; used by the official
//                  larksuite/cli `wiki +node-delete`, shortcuts/wiki/wiki_node_delete.go)
// Error codes (all HTTP 400): 131002 param err, 131005 not found, 131006 permission denied.
import type { Clock } from '../core/clock.js'
import type { Identity } from './auth.js'
import { ApiError, isRecord } from './http.js'
import { base62, digits, unixSeconds } from './ids.js'

/** A wiki node as the API returns it (times are unix seconds as strings). */
export interface Node {
  space_id: string
  node_token: string
  obj_token: string
  obj_type: 'docx'
  parent_node_token: string
  node_type: 'origin'
  origin_node_token: string
  origin_space_id: string
  has_child: boolean
  title: string
  obj_create_time: string
  obj_edit_time: string
  node_create_time: string
  creator: string
  owner: string
  node_creator: string
  url?: string
}

export interface Space {
  name: string
  description: string
  space_id: string
  space_type: 'team' | 'my_library'
  visibility: 'private' | 'public'
  open_sharing: 'open' | 'closed'
}

interface SpaceRecord extends Space {
  /** Every user may read and edit (a tenant-wide team space). */
  openToAllUsers: boolean
  members: Set<string>
  appIsMember: boolean
  /** For my_library: the user it belongs to. */
  libraryOwner?: string
}

interface NodeRecord {
  space_id: string
  node_token: string
  obj_token: string
  parent: string
  title: string
  createdAt: number
  editedAt: number
  creator: string
  /** Who edited the hosted document last (the creator until someone edits it): drive metas latest_modify_user. */
  editor: string
}

export const NODE_URL_HOST = 'https://emulator.feishu.cn'
export const SOMEONE_ELSE = 'ou_someone_else'

export interface WikiHooks {
  createDocument(documentId: string, title: string): void
  setDocumentTitle(documentId: string, title: string): void
  deleteDocument(documentId: string): void
}

export class WikiState {
  private readonly spaces = new Map<string, SpaceRecord>()
  private readonly nodesByToken = new Map<string, NodeRecord>()
  private readonly nodeByObj = new Map<string, string>()
  /** Ordered child tokens per "space|parent" ('' = top level). */
  private readonly childOrder = new Map<string, string[]>()
  /** Test hook: the next N list calls answer an empty page with has_more, as permission filtering does. */
  emptyListPages = 0

  constructor(
    private readonly clock: Clock,
    private readonly appOpenId: string,
    private readonly hooks: WikiHooks,
  ) {}

  // ---- seeding ------------------------------------------------------------------------------------------------

  createSpace(options: { name?: string; userIsMember?: boolean; appIsMember?: boolean; members?: string[] } = {}): string {
    const space_id = digits(19)
    this.spaces.set(space_id, {
      name: options.name ?? 'Emulator Space',
      description: '',
      space_id,
      space_type: 'team',
      visibility: 'private',
      open_sharing: 'closed',
      openToAllUsers: options.userIsMember ?? true,
      members: new Set(options.members ?? []),
      appIsMember: options.appIsMember ?? false,
    })
    return space_id
  }

  /** The user's 我的文档库, created on first use. */
  library(userId: string): SpaceRecord {
    for (const space of this.spaces.values()) if (space.libraryOwner === userId) return space
    const space_id = digits(19)
    const record: SpaceRecord = {
      name: 'My Document Library',
      description: '',
      space_id,
      space_type: 'my_library',
      visibility: 'private',
      open_sharing: 'closed',
      openToAllUsers: false,
      members: new Set([userId]),
      appIsMember: false,
      libraryOwner: userId,
    }
    this.spaces.set(space_id, record)
    return record
  }

  seedNode(spaceId: string, options: { title: string; parentNodeToken?: string; creator: string }): { node_token: string; obj_token: string } {
    const space = this.spaces.get(spaceId)
    if (!space) throw new Error(`createNode: no space ${spaceId}`)
    const node = this.insertNode(space, options.parentNodeToken ?? '', options.title, options.creator)
    return { node_token: node.node_token, obj_token: node.obj_token }
  }

  nodes(spaceId: string): Node[] {
    return [...this.nodesByToken.values()].filter((n) => n.space_id === spaceId).map((n) => this.view(n))
  }

  renderTree(spaceId: string, parentNodeToken = ''): string {
    const lines: string[] = []
    const walk = (parent: string, depth: number) => {
      for (const token of this.childOrder.get(`${spaceId}|${parent}`) ?? []) {
        const node = this.nodesByToken.get(token)!
        lines.push(`${'  '.repeat(depth)}${node.title}`)
        walk(token, depth + 1)
      }
    }
    walk(parentNodeToken, 0)
    return lines.join('\n')
  }

  /** The node hosting a document, if any (docx access follows the node's space). */
  spaceOfDocument(documentId: string): SpaceRecord | undefined {
    const token = this.nodeByObj.get(documentId)
    const node = token ? this.nodesByToken.get(token) : undefined
    return node ? this.spaces.get(node.space_id) : undefined
  }

  documentIds(): string[] {
    return [...this.nodeByObj.keys()]
  }

  nodeOfDocument(documentId: string): Node | undefined {
    const token = this.nodeByObj.get(documentId)
    const node = token ? this.nodesByToken.get(token) : undefined
    return node ? this.view(node) : undefined
  }

  findNode(nodeToken: string): Node | undefined {
    const node = this.nodesByToken.get(nodeToken)
    return node ? this.view(node) : undefined
  }

  /** Record an edit of the hosted document by `editor` (an open_id): obj_edit_time moves, the last editor is kept. */
  touchDocument(documentId: string, editor: string): void {
    const token = this.nodeByObj.get(documentId)
    const node = token ? this.nodesByToken.get(token) : undefined
    if (!node) return
    node.editedAt = this.clock.now()
    node.editor = editor
  }

  /** The last editor of a hosted document (drive metas latest_modify_user). */
  lastEditor(documentId: string): string | undefined {
    const token = this.nodeByObj.get(documentId)
    return token ? this.nodesByToken.get(token)?.editor : undefined
  }

  canAccess(space: SpaceRecord, identity: Identity): boolean {
    if (identity.kind === 'tenant') return space.appIsMember
    if (space.libraryOwner !== undefined) return space.libraryOwner === identity.userId
    return space.openToAllUsers || space.members.has(identity.userId)
  }

  // ---- handlers -----------------------------------------------------------------------------------------------

  /** GET /open-apis/wiki/v2/spaces/:space_id — `my_library` resolves to the caller's library (user token only). */
  getSpace(identity: Identity, spaceId: string): { space: Space } {
    const space = this.resolveSpace(identity, spaceId)
    return { space: publicSpace(space) }
  }

  /** GET /open-apis/wiki/v2/spaces/get_node?token=&obj_type= — no `url` in the node (larksuite/cli shortcuts/wiki/wiki_helpers.go and wiki_node_get.go). */
  getNode(identity: Identity, token: string, objType = 'wiki'): { node: Node } {
    let node: NodeRecord | undefined
    if (objType === 'wiki') node = this.nodesByToken.get(token)
    else if (objType === 'docx') {
      const nodeToken = this.nodeByObj.get(token)
      node = nodeToken ? this.nodesByToken.get(nodeToken) : undefined
    }
    if (!node) throw new ApiError(131005, 'not found')
    this.requireAccess(this.spaces.get(node.space_id)!, identity)
    return { node: this.view(node) }
  }

  /** GET /open-apis/wiki/v2/spaces/:space_id/nodes — page_size ≤ 50 ("最大值：50"); default 20 (see GUESSES.md). */
  listNodes(identity: Identity, spaceId: string, query: URLSearchParams): { items: Node[]; page_token?: string; has_more: boolean } {
    const space = this.resolveSpace(identity, spaceId)
    const rawSize = query.get('page_size')
    const pageSize = rawSize === null || rawSize === '' ? 20 : Number(rawSize)
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) throw new ApiError(131002, 'param err')
    const parent = query.get('parent_node_token') ?? ''
    if (parent !== '') {
      const parentNode = this.nodesByToken.get(parent)
      if (!parentNode || parentNode.space_id !== space.space_id) throw new ApiError(131005, 'not found')
    }
    const siblings = this.childOrder.get(`${space.space_id}|${parent}`) ?? []
    const pageToken = query.get('page_token')
    let offset = 0
    if (pageToken) {
      const decoded = decodePageToken(pageToken)
      if (decoded === undefined) throw new ApiError(131002, 'param err')
      offset = decoded
    }
    if (this.emptyListPages > 0 && offset < siblings.length) {
      this.emptyListPages -= 1
      return { items: [], page_token: encodePageToken(offset), has_more: true }
    }
    const slice = siblings.slice(offset, offset + pageSize)
    const next = offset + slice.length
    const hasMore = next < siblings.length
    const result: { items: Node[]; page_token?: string; has_more: boolean } = {
      items: slice.map((t) => this.view(this.nodesByToken.get(t)!)),
      has_more: hasMore,
    }
    if (hasMore) result.page_token = encodePageToken(next)
    return result
  }

  /**
   * POST /open-apis/wiki/v2/spaces/:space_id/nodes — obj_type docx + node_type origin creates an empty docx whose
   * page block id is the obj_token, titled like the node; `node.url` is present in practice (larksuite/cli shortcuts/wiki/wiki_helpers.go and wiki_node_get.go).
   */
  createNode(identity: Identity, spaceId: string, body: Record<string, unknown>): { node: Node } {
    const space = this.spaces.get(spaceId)
    if (!space) throw new ApiError(131005, 'not found')
    this.requireAccess(space, identity)
    if (body.obj_type !== 'docx' || body.node_type !== 'origin') {
      // The emulator hosts docx only; shortcuts and other object types are not modelled (GUESSES.md).
      throw new ApiError(131002, 'param err')
    }
    const parent = typeof body.parent_node_token === 'string' ? body.parent_node_token : ''
    if (parent !== '') {
      const parentNode = this.nodesByToken.get(parent)
      if (!parentNode || parentNode.space_id !== space.space_id) throw new ApiError(131005, 'not found')
    }
    const title = typeof body.title === 'string' ? body.title : ''
    const node = this.insertNode(space, parent, title, this.actor(identity))
    return { node: { ...this.view(node), url: `${NODE_URL_HOST}/wiki/${node.node_token}` } }
  }

  /** POST …/nodes/:node_token/update_title — the hosted docx takes the new title too. */
  updateTitle(identity: Identity, spaceId: string, nodeToken: string, body: Record<string, unknown>): Record<string, never> {
    const node = this.nodeIn(spaceId, nodeToken)
    this.requireAccess(this.spaces.get(node.space_id)!, identity)
    const title = typeof body.title === 'string' ? body.title : ''
    node.title = title
    node.editedAt = this.clock.now()
    node.editor = this.actor(identity)
    this.hooks.setDocumentTitle(node.obj_token, title)
    return {}
  }

  /** POST …/nodes/:node_token/move {target_parent_token?, target_space_id?}: appended under the new parent. */
  move(identity: Identity, spaceId: string, nodeToken: string, body: Record<string, unknown>): { node: Node } {
    const node = this.nodeIn(spaceId, nodeToken)
    const source = this.spaces.get(node.space_id)!
    this.requireAccess(source, identity)
    const targetParent = typeof body.target_parent_token === 'string' ? body.target_parent_token : ''
    const targetSpaceId = typeof body.target_space_id === 'string' && body.target_space_id !== '' ? body.target_space_id : undefined
    if (targetParent === '' && targetSpaceId === undefined) throw new ApiError(131002, 'param err')
    let target: SpaceRecord
    if (targetParent !== '') {
      const parentNode = this.nodesByToken.get(targetParent)
      if (!parentNode) throw new ApiError(131005, 'not found')
      if (targetSpaceId !== undefined && parentNode.space_id !== targetSpaceId) throw new ApiError(131002, 'param err')
      target = this.spaces.get(parentNode.space_id)!
      // A node cannot move under itself or its own subtree.
      for (let p: NodeRecord | undefined = parentNode; p; p = p.parent ? this.nodesByToken.get(p.parent) : undefined) {
        if (p.node_token === node.node_token) throw new ApiError(131002, 'param err')
      }
    } else {
      const space = this.spaces.get(targetSpaceId!)
      if (!space) throw new ApiError(131005, 'not found')
      target = space
    }
    this.requireAccess(target, identity)
    this.detach(node)
    node.parent = targetParent
    if (target.space_id !== node.space_id) {
      for (const n of this.subtree(node)) n.space_id = target.space_id
      // children keep their order; re-key their sibling lists under the new space
      this.rekeySubtree(node, source.space_id, target.space_id)
    }
    this.attach(node)
    return { node: this.view(node) }
  }

  /**
   * DELETE /open-apis/wiki/v2/spaces/:space_id/nodes/:token {obj_type, include_children}: synchronous here, so
   * `task_id` is empty. With obj_type "wiki" the token is the node_token, otherwise the node's obj_token.
   * include_children false moves the direct children up to the deleted node's parent.
   */
  deleteNode(identity: Identity, spaceId: string, token: string, body: Record<string, unknown>): { task_id: string } {
    const objType = body.obj_type
    if (typeof objType !== 'string') throw new ApiError(131002, 'param err')
    const include = body.include_children
    if (include !== undefined && typeof include !== 'boolean') throw new ApiError(131002, 'param err')
    const nodeToken = objType === 'wiki' ? token : this.nodeByObj.get(token)
    const node = nodeToken ? this.nodesByToken.get(nodeToken) : undefined
    if (!node || node.space_id !== this.resolveSpace(identity, spaceId).space_id) throw new ApiError(131005, 'not found')
    if (objType !== 'wiki' && objType !== 'docx') throw new ApiError(131005, 'not found')
    this.requireAccess(this.spaces.get(node.space_id)!, identity)
    const key = `${node.space_id}|${node.parent}`
    const siblings = this.childOrder.get(key) ?? []
    const position = siblings.indexOf(node.node_token)
    const children = [...(this.childOrder.get(`${node.space_id}|${node.node_token}`) ?? [])]
    if (include === false) {
      siblings.splice(position, 1, ...children)
      for (const c of children) this.nodesByToken.get(c)!.parent = node.parent
      this.childOrder.delete(`${node.space_id}|${node.node_token}`)
      this.forget(node)
    } else {
      siblings.splice(position, 1)
      for (const n of this.subtree(node).reverse()) {
        this.childOrder.delete(`${n.space_id}|${n.node_token}`)
        this.forget(n)
      }
    }
    return { task_id: '' }
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  private resolveSpace(identity: Identity, spaceId: string): SpaceRecord {
    if (spaceId === 'my_library') {
      // "--space-id my_library works only for user identity; bot is not supported" (larksuite/cli).
      if (identity.kind !== 'user') throw new ApiError(131006, 'permission denied: my_library needs a user identity')
      return this.library(identity.userId)
    }
    const space = this.spaces.get(spaceId)
    if (!space) throw new ApiError(131005, 'not found')
    this.requireAccess(space, identity)
    return space
  }

  private requireAccess(space: SpaceRecord, identity: Identity): void {
    if (!this.canAccess(space, identity)) throw new ApiError(131006, 'permission denied')
  }

  private nodeIn(spaceId: string, nodeToken: string): NodeRecord {
    const node = this.nodesByToken.get(nodeToken)
    if (!node || node.space_id !== spaceId) throw new ApiError(131005, 'not found')
    return node
  }

  actor(identity: Identity): string {
    return identity.kind === 'user' ? identity.userId : this.appOpenId
  }

  private insertNode(space: SpaceRecord, parent: string, title: string, creator: string): NodeRecord {
    const now = this.clock.now()
    const node: NodeRecord = {
      space_id: space.space_id,
      node_token: `wikcn${base62(22)}`,
      obj_token: `doxcn${base62(22)}`,
      parent,
      title,
      createdAt: now,
      editedAt: now,
      creator,
      editor: creator,
    }
    this.hooks.createDocument(node.obj_token, title)
    this.nodesByToken.set(node.node_token, node)
    this.nodeByObj.set(node.obj_token, node.node_token)
    this.attach(node)
    return node
  }

  private attach(node: NodeRecord): void {
    const key = `${node.space_id}|${node.parent}`
    const list = this.childOrder.get(key) ?? []
    list.push(node.node_token)
    this.childOrder.set(key, list)
  }

  private detach(node: NodeRecord): void {
    const list = this.childOrder.get(`${node.space_id}|${node.parent}`)
    const i = list?.indexOf(node.node_token) ?? -1
    if (list && i >= 0) list.splice(i, 1)
  }

  private subtree(node: NodeRecord): NodeRecord[] {
    const out = [node]
    for (let i = 0; i < out.length; i++) {
      const n = out[i]!
      for (const c of this.childOrder.get(`${n.space_id}|${n.node_token}`) ?? []) out.push(this.nodesByToken.get(c)!)
    }
    return out
  }

  private rekeySubtree(node: NodeRecord, from: string, to: string): void {
    const stack = [node.node_token]
    while (stack.length) {
      const token = stack.pop()!
      const list = this.childOrder.get(`${from}|${token}`)
      if (!list) continue
      this.childOrder.delete(`${from}|${token}`)
      this.childOrder.set(`${to}|${token}`, list)
      stack.push(...list)
    }
  }

  private forget(node: NodeRecord): void {
    this.nodesByToken.delete(node.node_token)
    this.nodeByObj.delete(node.obj_token)
    this.hooks.deleteDocument(node.obj_token)
  }

  private view(node: NodeRecord): Node {
    return {
      space_id: node.space_id,
      node_token: node.node_token,
      obj_token: node.obj_token,
      obj_type: 'docx',
      parent_node_token: node.parent,
      node_type: 'origin',
      origin_node_token: node.node_token,
      origin_space_id: node.space_id,
      has_child: (this.childOrder.get(`${node.space_id}|${node.node_token}`)?.length ?? 0) > 0,
      title: node.title,
      obj_create_time: unixSeconds(node.createdAt),
      obj_edit_time: unixSeconds(node.editedAt),
      node_create_time: unixSeconds(node.createdAt),
      creator: node.creator,
      owner: node.creator,
      node_creator: node.creator,
    }
  }
}

function publicSpace(space: SpaceRecord): Space {
  return {
    name: space.name,
    description: space.description,
    space_id: space.space_id,
    space_type: space.space_type,
    visibility: space.visibility,
    open_sharing: space.open_sharing,
  }
}

function encodePageToken(offset: number): string {
  return Buffer.from(`wiki:${offset}`).toString('base64url')
}

function decodePageToken(token: string): number | undefined {
  const m = /^wiki:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'))
  return m ? Number(m[1]) : undefined
}

export function asBody(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {}
}
