// Drive: media upload for docx images/files, and metas batch_query (tenant URL of a doc).
//
// upload_all: https://open.feishu.cn/document/server-docs/docs/drive-v1/media/upload_all
//   multipart form: file_name (≤ 250 chars), parent_type (enum), parent_node, size (= the file's byte length,
//   ≤ 20 MB = 20971520), checksum?, extra?, file. Answer data {file_token}. Errors from its table:
//   1061002 params error (400), 1061004 forbidden (403), 1061043 file size beyond limit (400),
//   1061044 parent node not exist (400), 1062009 the actual size is inconsistent with the declared size (400).
// For docx images the upload point is the IMAGE BLOCK (parent_node = block id): the emulator records which
// block each file token was uploaded for, so replace_image on another block answers 1770013 relation mismatch.
// metas batch_query: https://open.feishu.cn/document/server-docs/docs/drive-v1/file/batch_query
import type { Clock } from '../core/clock.js'
import type { Identity } from './auth.js'
import { ApiError, isRecord } from './http.js'
import { base62 } from './ids.js'

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024

const PARENT_TYPES = new Set([
  'doc_image', 'docx_image', 'sheet_image', 'doc_file', 'docx_file', 'sheet_file', 'vc_virtual_background',
  'bitable_image', 'bitable_file', 'moments', 'ccm_import_open', 'calendar', 'base_global', 'lark_ai_media_analysis',
  'whiteboard', 'mindnote_image', 'comment_image', 'slide_img', 'slide_file', 'email', 'bitable_tmp_point',
  'office_sheet_file', 'office_slide_file',
])

export interface Upload {
  fileToken: string
  fileName: string
  parentType: string
  /** The upload point: for docx_image/docx_file the block id the file belongs to. */
  parentNode: string
  documentId: string
  size: number
  bytes: Buffer
  uploadedBy: string
  at: number
}

export interface DriveHooks {
  /** The document holding this block (or the document itself when the id is a document id), if any. */
  findBlockDocument(blockId: string, hint?: string): string | undefined
  canWriteDocument(identity: Identity, documentId: string): boolean
  documentMeta(documentId: string): { title: string; owner: string; created: number; edited: number; editor: string } | undefined
  documentOfNode(nodeToken: string): string | undefined
}

export class DriveState {
  private readonly uploads = new Map<string, Upload>()

  constructor(
    private readonly clock: Clock,
    private readonly hooks: DriveHooks,
  ) {}

  upload(fileToken: string): Upload | undefined {
    return this.uploads.get(fileToken)
  }

  allUploads(): Upload[] {
    return [...this.uploads.values()]
  }

  /** The relation the docx store checks on replace_image (with the image's pixel size when it can be read). */
  relation(fileToken: string): { blockId: string; width?: number; height?: number } | undefined {
    const u = this.uploads.get(fileToken)
    if (!u) return undefined
    return { blockId: u.parentNode, ...imageSize(u.bytes) }
  }

  /**
   * `parts` come from the raw multipart body (see parseMultipart): the official SDK sends the file part without a
   * filename, which a strict FormData parser would turn into a (mangled) text field.
   */
  async uploadAll(identity: Identity, parts: MultipartPart[] | undefined, actor: string): Promise<{ file_token: string }> {
    if (!parts) throw new ApiError(1061002, 'params error.')
    const text = (name: string): string | undefined => {
      const part = parts.find((p) => p.name === name)
      return part ? part.data.toString('utf8') : undefined
    }
    const fileName = text('file_name')
    const parentType = text('parent_type')
    const parentNode = text('parent_node')
    const sizeText = text('size')?.trim()
    const file = parts.find((p) => p.name === 'file')
    if (!fileName || fileName.length > 250 || !parentType || !PARENT_TYPES.has(parentType) || !parentNode || !sizeText) {
      throw new ApiError(1061002, 'params error.')
    }
    if (!file || !/^\d+$/.test(sizeText)) throw new ApiError(1061002, 'params error.')
    const size = Number(sizeText)
    if (size > MAX_UPLOAD_BYTES || file.data.length > MAX_UPLOAD_BYTES) throw new ApiError(1061043, 'file size beyond limit.')
    if (size !== file.data.length) throw new ApiError(1062009, 'the actual size is inconsistent with the parameter declaration size.')
    const extra = text('extra')
    let routeToken: string | undefined
    if (extra !== undefined && extra !== '') {
      let parsed: unknown
      try {
        parsed = JSON.parse(extra)
      } catch {
        throw new ApiError(1061002, 'params error.')
      }
      if (isRecord(parsed) && typeof parsed.drive_route_token === 'string') routeToken = parsed.drive_route_token
    }
    // Only docx upload points exist in this emulator.
    const documentId = parentType.startsWith('docx_') ? this.hooks.findBlockDocument(parentNode, routeToken) : undefined
    if (!documentId) throw new ApiError(1061044, 'parent node not exist.')
    if (!this.hooks.canWriteDocument(identity, documentId)) throw new ApiError(1061004, 'forbidden.', 403)
    const fileToken = `boxcn${base62(22)}`
    this.uploads.set(fileToken, {
      fileToken,
      fileName,
      parentType,
      parentNode,
      documentId,
      size,
      bytes: file.data,
      uploadedBy: actor,
      at: this.clock.now(),
    })
    return { file_token: fileToken }
  }

  /** POST /open-apis/drive/v1/metas/batch_query {request_docs:[{doc_token, doc_type}], with_url?}. */
  batchQuery(identity: Identity, body: Record<string, unknown>): { metas: unknown[]; failed_list: unknown[] } {
    const docs = body.request_docs
    if (!Array.isArray(docs) || docs.length === 0 || docs.length > 200) throw new ApiError(970002, 'Unsupported doc_type / invalid param')
    const withUrl = body.with_url === true
    const metas: unknown[] = []
    const failed: unknown[] = []
    for (const d of docs) {
      if (!isRecord(d) || typeof d.doc_token !== 'string' || typeof d.doc_type !== 'string') {
        throw new ApiError(970002, 'Unsupported doc_type / invalid param')
      }
      const meta = this.lookup(d.doc_token, d.doc_type)
      if (!meta) {
        failed.push({ token: d.doc_token, code: 970005 })
        continue
      }
      if (!this.hooks.canWriteDocument(identity, meta.documentId)) {
        failed.push({ token: d.doc_token, code: 970003 })
        continue
      }
      const entry: Record<string, unknown> = {
        doc_token: d.doc_token,
        doc_type: d.doc_type,
        title: meta.title,
        owner_id: meta.owner,
        create_time: String(Math.floor(meta.created / 1000)),
        latest_modify_user: meta.editor,
        latest_modify_time: String(Math.floor(meta.edited / 1000)),
      }
      if (withUrl) entry.url = `https://emulator.feishu.cn/${d.doc_type === 'wiki' ? 'wiki' : 'docx'}/${d.doc_token}`
      metas.push(entry)
    }
    return { metas, failed_list: failed }
  }

  private lookup(token: string, docType: string) {
    const documentId = docType === 'docx' ? token : docType === 'wiki' ? this.hooks.documentOfNode(token) : undefined
    const meta = documentId ? this.hooks.documentMeta(documentId) : undefined
    return meta && documentId ? { ...meta, documentId } : undefined
  }
}

/** Pixel size of a PNG, GIF or JPEG, read from its header; undefined for anything else. */
export function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.toString('latin1', 12, 16) === 'IHDR') {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
  }
  if (bytes.length >= 10 && bytes.toString('latin1', 0, 4) === 'GIF8') {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) }
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return undefined
      const marker = bytes[i + 1]!
      const length = bytes.readUInt16BE(i + 2)
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) }
      }
      i += 2 + length
    }
  }
  return undefined
}

export interface MultipartPart {
  name: string
  filename?: string
  contentType?: string
  data: Buffer
}

/** A plain multipart/form-data parser over the raw body: parts keep their bytes whether or not they name a file. */
export function parseMultipart(contentType: string | undefined, raw: Buffer): MultipartPart[] | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '')
  if (!m || !/^multipart\/form-data/i.test(contentType ?? '')) return undefined
  const boundary = Buffer.from(`--${(m[1] ?? m[2])!.trim()}`)
  const parts: MultipartPart[] = []
  let pos = raw.indexOf(boundary)
  if (pos < 0) return undefined
  while (true) {
    pos += boundary.length
    if (raw.subarray(pos, pos + 2).toString('latin1') === '--') break
    if (raw.subarray(pos, pos + 2).toString('latin1') === '\r\n') pos += 2
    const headerEnd = raw.indexOf('\r\n\r\n', pos)
    if (headerEnd < 0) return undefined
    const headers = raw.subarray(pos, headerEnd).toString('utf8').split('\r\n')
    const next = raw.indexOf(boundary, headerEnd + 4)
    if (next < 0) return undefined
    let end = next
    if (raw[end - 2] === 0x0d && raw[end - 1] === 0x0a) end -= 2
    const part: MultipartPart = { name: '', data: raw.subarray(headerEnd + 4, end) }
    for (const line of headers) {
      const [key, ...rest] = line.split(':')
      const value = rest.join(':').trim()
      if (key?.toLowerCase() === 'content-disposition') {
        part.name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? ''
        const filename = /\bfilename="([^"]*)"/i.exec(value)?.[1]
        if (filename !== undefined) part.filename = filename
      } else if (key?.toLowerCase() === 'content-type') {
        part.contentType = value
      }
    }
    parts.push(part)
    pos = next
  }
  return parts
}
