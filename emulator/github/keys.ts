// Real X25519 key pairs for sealing secrets, one per repository and one per environment, as GitHub keeps them
// (https://docs.github.com/en/rest/guides/encrypting-secrets-for-the-rest-api). The emulator opens what clients
// seal with crypto_box_seal_open, so a wrong key, variant or algorithm fails as it would on GitHub.
import { randomInt } from 'node:crypto'
import sodium from 'libsodium-wrappers'

export interface SealingKey {
  /** GitHub's key_id: a decimal string such as "568250167242549743". */
  keyId: string
  publicKey: Uint8Array
  privateKey: Uint8Array
}

let ready = false

/** Call once before creating keys (libsodium loads its wasm). */
export async function sodiumReady(): Promise<void> {
  await sodium.ready
  ready = true
}

export function newSealingKey(): SealingKey {
  if (!ready) throw new Error('sodiumReady() must resolve before keys are created')
  const pair = sodium.crypto_box_keypair()
  return {
    keyId: `${randomInt(100_000_000, 999_999_999)}${randomInt(100_000_000, 999_999_999)}`,
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
  }
}

export const b64 = (bytes: Uint8Array): string => sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL)

/** The plaintext of a sealed box (base64, ORIGINAL variant), or undefined when it does not open with `key`. */
export function openSealed(key: SealingKey, sealedBase64: string): string | undefined {
  try {
    const sealed = sodium.from_base64(sealedBase64, sodium.base64_variants.ORIGINAL)
    const opened = sodium.crypto_box_seal_open(sealed, key.publicKey, key.privateKey)
    return new TextDecoder('utf-8').decode(opened)
  } catch {
    return undefined
  }
}
