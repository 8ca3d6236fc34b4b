// Fidelity at compile time: the emulator's response producers must fit the official SDK's response types
// (@larksuiteoapi/node-sdk 1.74.0 types/index.d.ts). `npx tsc --noEmit` compiles this file; a field of the wrong
// type or an unknown field breaks the build. The runtime part checks our OAuth token answers against the
// response schema the official lark-mcp client parses them with (schemas/feishu/authen.v2.oauth.token.json).
import { readFileSync } from 'node:fs'
import type * as lark from '@larksuiteoapi/node-sdk'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterEach, describe, expect, it } from 'vitest'
import { startFeishuEmulator, type FeishuEmulator } from '../../emulator/feishu/index.js'
import type { DriveState } from '../../emulator/feishu/drive.js'
import type { Node, Space, WikiState } from '../../emulator/feishu/wiki.js'

type Sdk = lark.Client
type Res<F> = F extends (...args: never[]) => Promise<infer R> ? R : never
type Data<F> = NonNullable<Res<F> extends { data?: infer D } ? D : never>
type Assert<T extends true> = T
/** Exact-enough fit: A's fields are all known to B and have B's types (no excess keys). */
type Fits<A, B> = [A] extends [B] ? (Exclude<keyof A, keyof B> extends never ? true : false) : false

type SdkNode = NonNullable<Data<Sdk['wiki']['v2']['spaceNode']['create']>['node']>
type SdkSpace = NonNullable<Data<Sdk['wiki']['v2']['space']['get']>['space']>

// wiki
export type CheckNode = Assert<Fits<Node, SdkNode>>
export type CheckSpace = Assert<Fits<Space, SdkSpace>>
export type CheckSpaceGet = Assert<Fits<ReturnType<WikiState['getSpace']>, Data<Sdk['wiki']['v2']['space']['get']>>>
export type CheckGetNode = Assert<Fits<ReturnType<WikiState['getNode']>, Data<Sdk['wiki']['v2']['space']['getNode']>>>
export type CheckList = Assert<Fits<ReturnType<WikiState['listNodes']>, Data<Sdk['wiki']['v2']['spaceNode']['list']>>>
export type CheckCreate = Assert<Fits<ReturnType<WikiState['createNode']>, Data<Sdk['wiki']['v2']['spaceNode']['create']>>>
export type CheckMove = Assert<Fits<ReturnType<WikiState['move']>, Data<Sdk['wiki']['v2']['spaceNode']['move']>>>
// drive: the SDK unwraps upload_all's data and returns {file_token}
export type CheckUpload = Assert<Fits<Awaited<ReturnType<DriveState['uploadAll']>>, NonNullable<Res<Sdk['drive']['v1']['media']['uploadAll']>>>>
export type CheckBatchQuery = Assert<[ReturnType<DriveState['batchQuery']>['metas']] extends [unknown[]] ? true : false>

// Canned answers as the emulator builds them, checked against the SDK's full response types.
export const cannedNodeCreate = {
  code: 0,
  msg: 'success',
  data: {
    node: {
      space_id: '7034502641455497244',
      node_token: 'wikcnKQ1k3p4hjAdv2bAB8Vabcef',
      obj_token: 'doxcnzAaOD2m4R0VnPSfWabcdef',
      obj_type: 'docx',
      parent_node_token: '',
      node_type: 'origin',
      origin_node_token: 'wikcnKQ1k3p4hjAdv2bAB8Vabcef',
      origin_space_id: '7034502641455497244',
      has_child: false,
      title: 'Guide',
      obj_create_time: '1642402428',
      obj_edit_time: '1642402428',
      node_create_time: '1642402428',
      creator: 'ou_emulator_user',
      owner: 'ou_emulator_user',
      node_creator: 'ou_emulator_user',
      url: 'https://emulator.feishu.cn/wiki/wikcnKQ1k3p4hjAdv2bAB8Vabcef',
    } satisfies Node,
  },
} satisfies Res<Sdk['wiki']['v2']['spaceNode']['create']>

export const cannedBatchDelete = {
  code: 0,
  msg: 'success',
  data: { document_revision_id: 3, client_token: 'c3b1b0c0-7a4e-4f4e-9f38-9c7a6f4d2b11' },
} satisfies Res<Sdk['docx']['v1']['documentBlockChildren']['batchDelete']>

export const cannedDocumentGet = {
  code: 0,
  msg: 'success',
  data: { document: { document_id: 'doxcnzAaOD2m4R0VnPSfWabcdef', revision_id: 1, title: 'Guide' } },
} satisfies Res<Sdk['docx']['v1']['document']['get']>

const tokenSchema = JSON.parse(
  readFileSync(new URL('../../schemas/feishu/authen.v2.oauth.token.json', import.meta.url), 'utf8'),
) as { response: Record<string, unknown> }

let emulator: FeishuEmulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

describe('OAuth token answers against the official client schema', () => {
  it('refresh answers parse with lark-mcp’s OAuthTokensSchema and carry the Feishu extras', async () => {
    const e = (emulator = await startFeishuEmulator())
    const { $schema: _drop, ...schema } = tokenSchema.response
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema)
    const res = await fetch(`${e.url}/open-apis/authen/v2/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ grant_type: 'refresh_token', client_id: 'cli_emulator', client_secret: 'emulator-app-secret', refresh_token: e.issueRefreshToken() }),
    })
    const body = (await res.json()) as Record<string, unknown>
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true)
    expect(body.code).toBe(0)
    expect(typeof body.refresh_token_expires_in).toBe('number')
  })
})
