// The error the document store throws. `code` is the Feishu docx error code, `httpStatus` the status the real
// service answers with (official error table: 1770002 → 404, 1770032 → 403, 177100x → 500, others 400;
// https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/batch_update#错误码).
export class DocxError extends Error {
  override readonly name = 'DocxError'
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message)
  }
}
