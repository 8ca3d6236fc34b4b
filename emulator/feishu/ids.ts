// Identifier and token generators for the Feishu emulator. Shapes follow what the real service hands out
// (see GUESSES.md for lengths): tokens are opaque to clients, so only their rough form matters.
import { randomBytes } from 'node:crypto'

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function base62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += BASE62[b % 62]
    }
  }
  return out
}

export function digits(length: number): string {
  const bytes = randomBytes(length)
  let out = String(1 + (bytes[0]! % 9))
  for (let i = 1; i < length; i++) out += String(bytes[i]! % 10)
  return out
}

/**
 * A JWT-shaped opaque token. v2 user tokens are JWT-like ("eyJhbGciOiJFUzI1NiIs…") and "一般在 1~2KB 之间"
 * (https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token), so the
 * payload is padded to about `size` characters: a client that truncates or mangles a long token fails here.
 */
export function jwtLikeToken(kind: string, size = 1100): string {
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'emulator', typ: 'JWT' })).toString('base64url')
  const claims = { kind, jti: base62(32), pad: '' }
  let payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
  const sig = randomBytes(64).toString('base64url')
  const missing = size - (header.length + payload.length + sig.length + 2)
  if (missing > 0) {
    claims.pad = base62(Math.floor((missing * 3) / 4))
    payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
  }
  return `${header}.${payload}.${sig}`
}

/** Unix seconds as a string, the form wiki node times take ("1642402428"). */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000))
}

/** An x-tt-logid value: a timestamp plus random hex, like the real "20240115103045A1B2C3…". */
export function newLogId(nowMs: number): string {
  const d = new Date(nowMs)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
  return stamp + randomBytes(10).toString('hex').toUpperCase()
}
