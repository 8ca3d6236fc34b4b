// The loopback redirect target for `auth --browser` (RFC 8252 §7.3, https://www.rfc-editor.org/rfc/rfc8252#section-7.3):
// http://127.0.0.1:<port>/callback, on a fixed port because Feishu compares the redirect URL exactly (20029).
// Only a callback carrying our `state` counts, an error= too; anything else is answered and ignored.
import http from 'node:http'

export type CallbackResult = { kind: 'code'; code: string } | { kind: 'error'; error: string; description?: string }

export interface CallbackServer {
  redirectUri: string
  /** Resolves with the first callback that carries our state. */
  result: Promise<CallbackResult>
  close(): Promise<void>
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `port ${port} on 127.0.0.1 is in use, so the redirect http://127.0.0.1:${port}/callback cannot be received. ` +
        'Stop whatever listens there, or pass --port <n> AND register http://127.0.0.1:<n>/callback as a redirect URL of the app.',
    )
    this.name = 'PortInUseError'
  }
}

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${title}</h1><p>${body}</p></body></html>`

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export async function startCallbackServer(options: { port: number; state: string; onIgnored?: (reason: string) => void }): Promise<CallbackServer> {
  let settle!: (r: CallbackResult) => void
  const result = new Promise<CallbackResult>((resolve) => (settle = resolve))
  let done = false
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const reply = (status: number, title: string, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' })
      res.end(page(title, body))
    }
    if (req.method !== 'GET' || url.pathname !== '/callback') return reply(404, 'Not found', 'This is feishu-wiki-sync\'s sign-in helper.')
    if (done) return reply(200, 'Already done', 'feishu-wiki-sync has finished with this sign-in. You can close this tab.')
    const q = url.searchParams
    const state = q.get('state')
    const error = q.get('error')
    // Every answer must carry our state, a denial too: any web page can make the browser load this URL (an
    // <img src>), and a stateless error= would end the sign-in (RFC 6749 §10.12, RFC 8252 §8.9).
    if (state !== options.state) {
      options.onIgnored?.(state === null ? 'a callback without state' : 'a callback with a state this command did not send')
      return reply(
        400,
        'Unexpected sign-in answer',
        'This answer does not belong to the sign-in the running feishu-wiki-sync command started (the state does not match), so it was ignored. Use the link the command printed.',
      )
    }
    if (error !== null) {
      done = true
      const description = q.get('error_description') ?? undefined
      reply(200, 'Authorization not granted', `Feishu answered <code>${escapeHtml(error)}</code>${description ? `: ${escapeHtml(description)}` : ''}. Return to the terminal.`)
      return settle({ kind: 'error', error, description })
    }
    const code = q.get('code')
    if (!code) return reply(400, 'No code', 'The answer carries neither a code nor an error.')
    done = true
    reply(200, 'Authorized', 'feishu-wiki-sync received the authorization. You can close this tab and return to the terminal.')
    settle({ kind: 'code', code })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new PortInUseError(options.port) : error))
    server.listen(options.port, '127.0.0.1', () => resolve())
  })
  return {
    redirectUri: `http://127.0.0.1:${options.port}/callback`,
    result,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
