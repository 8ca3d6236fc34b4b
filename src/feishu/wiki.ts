// Wiki v2: the node tree. Every call is in the 'wiki' API class (100 per minute per app:
// https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/list and …/space-node/create).
//
// - Space:  GET  /open-apis/wiki/v2/spaces/:space_id (also resolves the `my_library` alias to the real id;
//           https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/get)
// - Node:   GET  /open-apis/wiki/v2/spaces/get_node?token=…  (https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/get_node)
// - List:   GET  /open-apis/wiki/v2/spaces/:space_id/nodes?parent_node_token=…&page_size≤50; "due to permission
//           filtering the list may be empty while has_more is true", so paging continues until has_more is false
//           (https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/list)
// - Create: POST /open-apis/wiki/v2/spaces/:space_id/nodes {obj_type, node_type, parent_node_token, title}
//           (https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/create). It takes no client_token,
//           so it is never retried blindly: callers look at the parent's children before trying again.
// - Title:  POST …/nodes/:node_token/update_title {title} (https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/update_title)
// - Move:   POST …/nodes/:node_token/move {target_parent_token, target_space_id?}; the node keeps its token and its
//           subtree moves with it (https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/move)
// - Delete: DELETE …/nodes/:token {obj_type:'wiki', include_children}; answers an empty task_id when done at once,
//           else a task to poll with GET /open-apis/wiki/v2/tasks/:task_id?task_type=delete_node. Newer than the
//           SDK; used by the official larksuite/cli `wiki +node-delete`. Before it existed the path answered 404.
import type { FeishuClient } from './client.js'

export interface WikiNode {
  space_id: string
  node_token: string
  obj_token: string
  obj_type: string
  /** "" for a top-level node. */
  parent_node_token: string
  node_type: string
  has_child: boolean
  title: string
  origin_node_token?: string
  node_create_time?: string
  obj_create_time?: string
  /** The hosted document's last edit, unix seconds as a string (what tells an edit since the action's write). */
  obj_edit_time?: string
  /** Who made the document / the node: the identity the action runs as, for its own pages. */
  creator?: string
  owner?: string
  node_creator?: string
  /** Returned by create in practice (undocumented), never by get_node. */
  url?: string
}

export interface WikiSpace {
  space_id: string
  name?: string
  description?: string
  space_type?: string
  visibility?: string
}

export interface DeleteResult {
  /** Empty when the delete completed synchronously. */
  taskId?: string
}

export const LIST_PAGE_SIZE = 50
/** A guard against a server that keeps answering has_more with the same token. */
const MAX_LIST_PAGES = 10_000
const MAX_STALLED_PAGES = 100

const enc = encodeURIComponent

export class WikiApi {
  constructor(private readonly client: FeishuClient) {}

  async getSpace(spaceId: string): Promise<WikiSpace> {
    const data = await this.client.request<{ space?: Partial<WikiSpace> }>({
      method: 'GET',
      path: `/open-apis/wiki/v2/spaces/${enc(spaceId)}`,
      endpoint: 'wiki.space.get',
      apiClass: 'wiki',
      retrySafe: true,
    })
    if (!data.space?.space_id) throw new Error(`wiki.space.get: the answer for space '${spaceId}' carries no space_id`)
    return data.space as WikiSpace
  }

  async getNode(token: string, objType: 'wiki' | 'docx' = 'wiki'): Promise<WikiNode> {
    const data = await this.client.request<{ node?: Partial<WikiNode> }>({
      method: 'GET',
      path: '/open-apis/wiki/v2/spaces/get_node',
      endpoint: 'wiki.space.getNode',
      apiClass: 'wiki',
      query: { token, obj_type: objType === 'wiki' ? undefined : objType },
      retrySafe: true,
    })
    return normalizeNode(data.node, 'wiki.space.getNode')
  }

  /** All children of a parent (the space's top level when parentNodeToken is undefined), in server order. */
  async listChildren(spaceId: string, parentNodeToken?: string): Promise<WikiNode[]> {
    const nodes: WikiNode[] = []
    let pageToken: string | undefined
    let stalled = 0
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const data = await this.client.request<{ items?: Partial<WikiNode>[]; has_more?: boolean; page_token?: string }>({
        method: 'GET',
        path: `/open-apis/wiki/v2/spaces/${enc(spaceId)}/nodes`,
        endpoint: 'wiki.spaceNode.list',
        apiClass: 'wiki',
        query: { page_size: LIST_PAGE_SIZE, page_token: pageToken, parent_node_token: parentNodeToken },
        retrySafe: true,
      })
      for (const item of data.items ?? []) nodes.push(normalizeNode(item, 'wiki.spaceNode.list'))
      // An empty page with has_more: true is normal (permission filtering): keep going, even when the token
      // does not move; only a long run of pages that bring nothing and do not move is given up on.
      if (!data.has_more) return nodes
      if (!data.page_token) throw new Error('wiki.spaceNode.list: has_more is true but there is no page_token')
      stalled = data.page_token === pageToken && (data.items ?? []).length === 0 ? stalled + 1 : 0
      if (stalled >= MAX_STALLED_PAGES) {
        throw new Error(`wiki.spaceNode.list: ${MAX_STALLED_PAGES} empty pages in a row with the same page_token`)
      }
      pageToken = data.page_token
    }
    throw new Error(`wiki.spaceNode.list: more than ${MAX_LIST_PAGES} pages under one parent`)
  }

  /** A new docx node. Not retried on an ambiguous answer: the caller lists the parent to see if it exists. */
  async createNode(spaceId: string, parentNodeToken: string | undefined, title: string): Promise<WikiNode> {
    const data = await this.client.request<{ node?: Partial<WikiNode> }>({
      method: 'POST',
      path: `/open-apis/wiki/v2/spaces/${enc(spaceId)}/nodes`,
      endpoint: 'wiki.spaceNode.create',
      apiClass: 'wiki',
      body: { obj_type: 'docx', node_type: 'origin', ...(parentNodeToken ? { parent_node_token: parentNodeToken } : {}), title },
      retrySafe: false,
    })
    return normalizeNode(data.node, 'wiki.spaceNode.create')
  }

  /** Setting the same title twice changes nothing, so a retry is harmless. */
  async updateTitle(spaceId: string, nodeToken: string, title: string): Promise<void> {
    await this.client.request({
      method: 'POST',
      path: `/open-apis/wiki/v2/spaces/${enc(spaceId)}/nodes/${enc(nodeToken)}/update_title`,
      endpoint: 'wiki.spaceNode.updateTitle',
      apiClass: 'wiki',
      body: { title },
      retrySafe: true,
    })
  }

  /** Moves the node (and its subtree) under another parent of the same space. A repeated move is a no-op. */
  async moveNode(spaceId: string, nodeToken: string, targetParentToken: string): Promise<WikiNode | undefined> {
    const data = await this.client.request<{ node?: Partial<WikiNode> }>({
      method: 'POST',
      path: `/open-apis/wiki/v2/spaces/${enc(spaceId)}/nodes/${enc(nodeToken)}/move`,
      endpoint: 'wiki.spaceNode.move',
      apiClass: 'wiki',
      body: { target_parent_token: targetParentToken },
      retrySafe: true,
    })
    return data.node?.node_token ? normalizeNode(data.node, 'wiki.spaceNode.move') : undefined
  }

  /**
   * Deletes a node by its node_token. With includeChildren false, its direct children move up to its parent.
   * Not retried blindly (a retry after a lost answer would answer "not found").
   */
  async deleteNode(spaceId: string, nodeToken: string, includeChildren: boolean): Promise<DeleteResult> {
    const data = await this.client.request<{ task_id?: string }>({
      method: 'DELETE',
      path: `/open-apis/wiki/v2/spaces/${enc(spaceId)}/nodes/${enc(nodeToken)}`,
      endpoint: 'wiki.spaceNode.delete',
      apiClass: 'wiki',
      body: { obj_type: 'wiki', include_children: includeChildren },
      retrySafe: false,
    })
    return { taskId: data.task_id || undefined }
  }

  /**
   * The state of an asynchronous delete_node task. Its status sits in `task.simple_task_result.status`:
   * "processing", "success" or "failed"/"failure" (larksuite/cli shortcuts/wiki/wiki_async_task.go).
   */
  async getDeleteTask(taskId: string): Promise<'processing' | 'success' | 'failed'> {
    const data = await this.client.request<{ task?: { simple_task_result?: { status?: string } } }>({
      method: 'GET',
      path: `/open-apis/wiki/v2/tasks/${enc(taskId)}`,
      endpoint: 'wiki.task.get',
      apiClass: 'wiki',
      query: { task_type: 'delete_node' },
      retrySafe: true,
    })
    const status = (data.task?.simple_task_result?.status ?? '').trim().toLowerCase()
    if (status === 'success') return 'success'
    if (status === 'failed' || status === 'failure') return 'failed'
    return 'processing'
  }
}

function normalizeNode(raw: Partial<WikiNode> | undefined, endpoint: string): WikiNode {
  if (!raw?.node_token) throw new Error(`${endpoint}: the answer carries no node`)
  return {
    ...raw,
    space_id: raw.space_id ?? '',
    node_token: raw.node_token,
    obj_token: raw.obj_token ?? '',
    obj_type: raw.obj_type ?? '',
    parent_node_token: raw.parent_node_token ?? '',
    node_type: raw.node_type ?? 'origin',
    has_child: raw.has_child ?? false,
    title: raw.title ?? '',
  }
}

/**
 * The brand host link to a wiki node, which redirects to the tenant's own domain, so it works without knowing
 * the tenant host and is the same on every run (larksuite/cli shortcuts/common/resource_url.go BuildResourceURL).
 * Lark (open.larksuite.com) uses www.larksuite.com; everything else, Feishu's www.feishu.cn.
 */
export function wikiNodeUrl(baseUrl: string, nodeToken: string): string {
  return `${wikiUrlPrefix(baseUrl)}${nodeToken}`
}

export function wikiUrlPrefix(baseUrl: string): string {
  let host = ''
  try {
    host = new URL(baseUrl).hostname.toLowerCase()
  } catch {
    // settings already validated the URL
  }
  const lark = host === 'larksuite.com' || host.endsWith('.larksuite.com')
  return lark ? 'https://www.larksuite.com/wiki/' : 'https://www.feishu.cn/wiki/'
}
