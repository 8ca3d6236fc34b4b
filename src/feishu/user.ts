// Who the user token belongs to: GET /open-apis/authen/v1/user_info
// (https://open.feishu.cn/document/server-docs/authentication-management/login-state-management/get): `open_id` is
// the id the wiki listing puts in `creator`/`node_creator` for the pages this user made. A tenant token has no
// user (99991663), so with `auth: app` the action learns its identity from the nodes it creates instead.
import type { FeishuClient } from './client.js'

export async function currentUserOpenId(client: FeishuClient): Promise<string> {
  const data = await client.request<{ open_id?: string }>({
    method: 'GET',
    path: '/open-apis/authen/v1/user_info',
    endpoint: 'authen.userInfo.get',
    apiClass: 'other',
    retrySafe: true,
  })
  if (!data.open_id) throw new Error('authen.userInfo.get: the answer carries no open_id')
  return data.open_id
}
