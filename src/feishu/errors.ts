// What to tell a person about a Feishu error a publishing run can meet: the error's own message, and for the
// codes that have a known cause, what to do about it.
import { FeishuError } from './client.js'

export function describeError(error: unknown): string {
  if (error instanceof FeishuError) {
    const hint = FEISHU_HINTS[error.code ?? -1]
    return hint ? `${error.message}. ${hint}` : error.message
  }
  return error instanceof Error ? error.message : String(error)
}

/** What to do about the codes a publishing run can meet (wiki: https://open.feishu.cn/document/server-docs/docs/wiki-v2/wiki-qa). */
export const FEISHU_HINTS: Record<number, string> = {
  131005: 'Not found: check space-id and parent-node (a wiki node token from the page URL, not a docx token).',
  131006:
    'Permission denied: the user (auth: user) needs edit permission on the parent page; an app (auth: app) must be added to the wiki space as a member.',
  131011: 'The page has delete approval enabled: delete it in the wiki UI, or use on-delete: archive.',
  131003: 'Too many nodes for one move or delete: split the change, or use on-delete: archive.',
  99991672: 'The app lacks an API scope (wiki:wiki or docx:document): add it in the developer console and publish a new app version.',
  99991679: 'The user has not granted a needed scope: run the authorization again with the wiki and docx scopes.',
}
