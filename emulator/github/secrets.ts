// Actions secrets, repository and environment scope (https://docs.github.com/en/rest/actions/secrets):
// public keys, create-or-update with a sealed value that is really opened, metadata and delete.
import type { Clock } from '../core/clock.js'
import type { EmulatorRequest, EmulatorResponse } from '../core/server.js'
import { GitHubHttpError, notFound } from './errors.js'
import { b64, openSealed } from './keys.js'
import { type SecretScope, type StoredSecret, timestamp } from './state.js'

/** `encrypted_value` pattern from GitHub's OpenAPI description: standard base64 with padding. */
const BASE64_ORIGINAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/
/** Naming rules: https://docs.github.com/en/actions/reference/security/secrets */
const SECRET_NAME = /^(?!GITHUB_)(?![0-9])[A-Za-z0-9_]+$/i
/** "Secrets are limited to 48 KB in size" (read as KiB of plaintext; see GUESSES.md). */
export const MAX_SECRET_BYTES = 48 * 1024

const IMPROPERLY_ENCRYPTED = 'Bad request - validation failed due to an improperly encrypted secret'

export function publicKeyResponse(scope: SecretScope): EmulatorResponse {
  return { status: 200, body: { key_id: scope.key.keyId, key: b64(scope.key.publicKey) } }
}

export function isValidSecretName(name: string): boolean {
  return SECRET_NAME.test(name)
}

/** PUT …/secrets/{secret_name}: 201 `{}` when created, 204 when updated. */
export function putSecret(scope: SecretScope, secretName: string, req: EmulatorRequest, docs: string, clock: Clock): EmulatorResponse {
  const body = req.body
  if (req.rawBody.length > 0 && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new GitHubHttpError(400, 'Problems parsing JSON', docs)
  }
  const fields = (body ?? {}) as Record<string, unknown>
  const missing = ['encrypted_value', 'key_id'].filter((k) => fields[k] === undefined)
  if (missing.length === 1) throw new GitHubHttpError(422, `Invalid request.\n\n"${missing[0]}" wasn't supplied.`, docs)
  if (missing.length === 2) throw new GitHubHttpError(422, `Invalid request.\n\n"encrypted_value", "key_id" weren't supplied.`, docs)
  for (const k of ['encrypted_value', 'key_id']) {
    if (typeof fields[k] !== 'string') {
      throw new GitHubHttpError(422, `Invalid request.\n\nFor 'properties/${k}', ${JSON.stringify(fields[k])} is not a string.`, docs)
    }
  }
  const encrypted = fields.encrypted_value as string
  const keyId = fields.key_id as string
  if (!BASE64_ORIGINAL.test(encrypted)) {
    // GitHub echoes the offending value here; the emulator does not, so a client bug can never echo a token.
    throw new GitHubHttpError(422, `Invalid request.\n\nFor 'properties/encrypted_value', the value does not match "${BASE64_ORIGINAL.source}".`, docs)
  }
  if (!isValidSecretName(secretName)) {
    throw new GitHubHttpError(
      422,
      'Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_). Spaces are not allowed. Must start with a letter ([a-z], [A-Z]) or underscores (_).',
      docs,
    )
  }
  if (keyId !== scope.key.keyId) throw new GitHubHttpError(422, IMPROPERLY_ENCRYPTED, docs)
  const value = openSealed(scope.key, encrypted)
  if (value === undefined) throw new GitHubHttpError(422, IMPROPERLY_ENCRYPTED, docs)
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) {
    throw new GitHubHttpError(422, 'Secret value is too large; secrets are limited to 48 KB.', docs)
  }

  const name = secretName.toUpperCase()
  const now = timestamp(clock)
  const existing = scope.secrets.get(name)
  const stored: StoredSecret = {
    name,
    value,
    encrypted_value: encrypted,
    key_id: keyId,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  }
  scope.secrets.set(name, stored)
  return existing ? { status: 204 } : { status: 201, body: {} }
}

export function getSecret(scope: SecretScope, secretName: string, docs: string): EmulatorResponse {
  const stored = scope.secrets.get(secretName.toUpperCase())
  if (!stored || !isValidSecretName(secretName)) throw notFound(docs)
  return { status: 200, body: { name: stored.name, created_at: stored.created_at, updated_at: stored.updated_at } }
}

export function deleteSecret(scope: SecretScope, secretName: string, docs: string): EmulatorResponse {
  if (!scope.secrets.delete(secretName.toUpperCase())) throw notFound(docs)
  return { status: 204 }
}
