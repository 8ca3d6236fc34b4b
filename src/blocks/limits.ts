// The docx API's size limits: the one definition every module (API client, converter, chunk planner, diff)
// uses. Sources: create children / descendant / batch_update request docs,
// https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block-children/create and
// https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/document-block-descendant/create
export const DOCX_LIMITS = {
  /** Blocks per page of the list-blocks and get-children reads (default and maximum 500). */
  pageSize: 500,
  /** `children` per create-children call (1–50). */
  createChildren: 50,
  /**
   * `descendants` (and `children_id`) per create-descendant call (1–1000), every nested block counted
   * ("单次调用创建嵌套块接口最多可插入 1000 个块": SDK doc comment of docx.v1.document.convert).
   */
  createDescendants: 1000,
  /** `requests` per batch_update call ("最大长度：200"). */
  batchUpdate: 200,
} as const
