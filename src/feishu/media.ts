// Drive media upload for docx images: POST /open-apis/drive/v1/medias/upload_all
// (https://open.feishu.cn/document/server-docs/docs/drive-v1/media/upload_all): multipart form, file ≤ 20 MB,
// file_name ≤ 250 characters, 5 QPS. For a docx image the parent_node is the IMAGE BLOCK id (not the document):
// the later replace_image answers 1770013 "relation mismatch" otherwise.
//
// Files over 20 MB would need upload_prepare / upload_part / upload_finish (4 MB parts). This module does not
// do that: it refuses them with MediaTooLargeError and the caller turns that into a warning and a placeholder.
import type { FeishuClient } from './client.js'

export const UPLOAD_ALL_MAX_BYTES = 20 * 1024 * 1024
export const FILE_NAME_MAX = 250

export class MediaTooLargeError extends Error {
  constructor(
    readonly fileName: string,
    readonly size: number,
  ) {
    super(`${fileName} is ${(size / 1024 / 1024).toFixed(1)} MB; images over 20 MB are not uploaded`)
    this.name = 'MediaTooLargeError'
  }
}

export interface ImageUpload {
  documentId: string
  /** The image block the file belongs to (parent_node). */
  imageBlockId: string
  fileName: string
  data: Uint8Array
}

export interface MediaApi {
  /** Upload an image for a docx image block; returns the file_token for replace_image. */
  uploadImage(upload: ImageUpload): Promise<string>
}

/** Shorten a file name to the API's 250 characters, keeping its extension. */
export function clampFileName(name: string): string {
  const clean = name.replace(/[\\/]/g, '_') || 'image'
  const chars = [...clean]
  if (chars.length <= FILE_NAME_MAX) return clean
  const dot = clean.lastIndexOf('.')
  const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : ''
  return chars.slice(0, FILE_NAME_MAX - [...ext].length).join('') + ext
}

export function createMediaApi(client: FeishuClient): MediaApi {
  return {
    async uploadImage({ documentId, imageBlockId, fileName, data }) {
      const name = clampFileName(fileName)
      if (data.byteLength > UPLOAD_ALL_MAX_BYTES) throw new MediaTooLargeError(name, data.byteLength)
      // Streamed from the bytes (no copy per upload): one image shown by many blocks is uploaded once per block.
      const multipart = {
        fields: [
          ['file_name', name],
          ['parent_type', 'docx_image'],
          ['parent_node', imageBlockId],
          ['size', String(data.byteLength)],
          ['extra', JSON.stringify({ drive_route_token: documentId })],
        ] as [string, string][],
        file: { field: 'file', fileName: name, data },
      }
      const result = await client.request<{ file_token: string }>({
        method: 'POST',
        path: '/open-apis/drive/v1/medias/upload_all',
        endpoint: 'drive.media.uploadAll',
        apiClass: 'upload',
        multipart,
        // No client_token exists for uploads. A repeat after a lost answer only leaves an unused media file
        // behind; the document itself is touched by replace_image, which is idempotent.
        retrySafe: true,
      })
      if (!result?.file_token) throw new Error(`upload_all for ${name} returned no file_token`)
      return result.file_token
    },
  }
}
