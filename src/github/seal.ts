// Sealing a secret value for GitHub's secrets API: an anonymous libsodium sealed box (crypto_box_seal) for the
// repository's or environment's X25519 public key, base64 in the ORIGINAL variant (standard alphabet, padded)
// both ways. https://docs.github.com/en/rest/guides/encrypting-secrets-for-the-rest-api
//
// The value is a live credential: nothing here logs it or puts it (or any part of it) in an error message.
import sodium from 'libsodium-wrappers'

/**
 * GitHub's size limit for a secret: "Secrets are limited to 48 KB in size"
 * (https://docs.github.com/en/actions/reference/security/secrets). We read KB as KiB and
 * measure the UTF-8 plaintext, before sealing.
 */
export const MAX_SECRET_BYTES = 48 * 1024

/** Base64, ORIGINAL variant with padding: the pattern GitHub's OpenAPI description puts on `encrypted_value`. */
export const BASE64_ORIGINAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/

export class SecretTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(
      `the secret value is ${bytes} bytes, over GitHub's limit of 48 KB (${MAX_SECRET_BYTES} bytes); ` +
        'GitHub would refuse it (https://docs.github.com/en/actions/reference/security/secrets)',
    )
    this.name = 'SecretTooLargeError'
  }
}

/** Throws SecretTooLargeError when `value` is over GitHub's 48 KB limit. Safe to call before anything is spent. */
export function assertSecretSize(value: string): void {
  const bytes = Buffer.byteLength(value, 'utf8')
  if (bytes > MAX_SECRET_BYTES) throw new SecretTooLargeError(bytes)
}

/** Seal `value` for `publicKeyBase64` (from GET …/secrets/public-key). Returns base64 (ORIGINAL variant). */
export async function sealSecret(publicKeyBase64: string, value: string): Promise<string> {
  assertSecretSize(value)
  await sodium.ready
  let key: Uint8Array
  try {
    key = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL)
  } catch {
    throw new Error('the public key GitHub returned is not valid base64 (ORIGINAL variant); cannot seal the secret')
  }
  if (key.length !== sodium.crypto_box_PUBLICKEYBYTES) {
    throw new Error(
      `the public key GitHub returned is ${key.length} bytes, not a ${sodium.crypto_box_PUBLICKEYBYTES}-byte X25519 key; cannot seal the secret`,
    )
  }
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), key)
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL)
}
