// Drive metadata: who edited a document last, and when, for up to 200 documents a call.
//
// POST /open-apis/drive/v1/metas/batch_query {request_docs: [{doc_token, doc_type}], with_url?}
// (https://open.feishu.cn/document/server-docs/docs/drive-v1/file/batch_query): per document `latest_modify_user`
// (an open_id) and `latest_modify_time` (unix seconds as a string); documents that cannot be read come back in
// `failed_list`. It changes nothing, so it is retry-safe and counted as a read.
import type { FeishuClient } from './client.js'

/** request_docs holds at most 200 documents (the API's limit). */
export const METAS_PER_CALL = 200

export interface DocumentMeta {
  docToken: string
  latestModifyUser?: string
  /** Unix seconds, as the API gives it. */
  latestModifyTime?: string
}

export class DriveApi {
  constructor(private readonly client: FeishuClient) {}

  /** Metadata of docx documents by document id; documents Feishu could not answer for are left out. */
  async docxMetas(documentIds: readonly string[]): Promise<Map<string, DocumentMeta>> {
    const out = new Map<string, DocumentMeta>()
    for (let i = 0; i < documentIds.length; i += METAS_PER_CALL) {
      const batch = documentIds.slice(i, i + METAS_PER_CALL)
      const data = await this.client.request<{ metas?: { doc_token?: string; latest_modify_user?: string; latest_modify_time?: string }[] }>({
        method: 'POST',
        path: '/open-apis/drive/v1/metas/batch_query',
        endpoint: 'drive.meta.batchQuery',
        apiClass: 'other',
        body: { request_docs: batch.map((doc_token) => ({ doc_token, doc_type: 'docx' })) },
        retrySafe: true,
        readOnly: true,
      })
      for (const m of data.metas ?? []) {
        if (!m.doc_token) continue
        out.set(m.doc_token, {
          docToken: m.doc_token,
          ...(m.latest_modify_user ? { latestModifyUser: m.latest_modify_user } : {}),
          ...(m.latest_modify_time ? { latestModifyTime: m.latest_modify_time } : {}),
        })
      }
    }
    return out
  }
}
