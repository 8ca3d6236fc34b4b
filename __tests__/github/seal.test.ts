import sodium from 'libsodium-wrappers'
import { beforeAll, describe, expect, it } from 'vitest'
import { BASE64_ORIGINAL, MAX_SECRET_BYTES, SecretTooLargeError, sealSecret } from '../../src/github/seal.js'
import { openSealedBoxWithPyNaCl } from '../helpers/pynacl.js'

let pair: { publicKey: Uint8Array; privateKey: Uint8Array }
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64')

beforeAll(async () => {
  await sodium.ready
  pair = sodium.crypto_box_keypair()
})

describe('sealSecret', () => {
  it('seals with crypto_box_seal in base64 ORIGINAL (standard, padded), which libsodium opens', async () => {
    const value = 'ur-rotated-refresh-token-0123456789/+?=' // characters that differ between base64 variants
    const sealed = await sealSecret(b64(pair.publicKey), value)
    expect(sealed).toMatch(BASE64_ORIGINAL)
    // 48 bytes of overhead: 32-byte ephemeral public key + 16-byte MAC.
    expect(Buffer.from(sealed, 'base64').length).toBe(Buffer.byteLength(value) + 48)
    const opened = sodium.crypto_box_seal_open(Buffer.from(sealed, 'base64'), pair.publicKey, pair.privateKey)
    expect(sodium.to_string(opened)).toBe(value)
  })

  it('is opened by an independent libsodium (PyNaCl), including non-ASCII values', async () => {
    const value = 'u-刷新令牌-émoji-🔑'
    const sealed = await sealSecret(b64(pair.publicKey), value)
    expect(openSealedBoxWithPyNaCl(b64(pair.privateKey), sealed)).toBe(value)
  })

  it('is randomised: two seals of one value differ, both open', async () => {
    const a = await sealSecret(b64(pair.publicKey), 'same')
    const b = await sealSecret(b64(pair.publicKey), 'same')
    expect(a).not.toBe(b)
    expect(openSealedBoxWithPyNaCl(b64(pair.privateKey), b)).toBe('same')
  })

  it('accepts exactly 48 KiB and refuses one byte more, without quoting the value', async () => {
    const atLimit = 'a'.repeat(MAX_SECRET_BYTES)
    expect(openSealedBoxWithPyNaCl(b64(pair.privateKey), await sealSecret(b64(pair.publicKey), atLimit))).toHaveLength(MAX_SECRET_BYTES)
    const over = `SECRETVALUE${'b'.repeat(MAX_SECRET_BYTES)}`
    const error = await sealSecret(b64(pair.publicKey), over).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SecretTooLargeError)
    expect((error as Error).message).toMatch(/48 KB/)
    expect((error as Error).message).toContain(String(Buffer.byteLength(over)))
    expect((error as Error).message).not.toContain('SECRETVALUE')
  })

  it('counts UTF-8 bytes, not characters', async () => {
    const chars = Math.floor(MAX_SECRET_BYTES / 3) + 1 // 3-byte characters
    await expect(sealSecret(b64(pair.publicKey), '令'.repeat(chars))).rejects.toBeInstanceOf(SecretTooLargeError)
  })

  it('rejects a public key that is not a 32-byte base64 X25519 key, without quoting the value', async () => {
    await expect(sealSecret('not base64!!', 'TOKEN-XYZ')).rejects.toThrow(/not valid base64/)
    const short = await sealSecret(b64(new Uint8Array(16)), 'TOKEN-XYZ').catch((e: Error) => e)
    expect((short as Error).message).toMatch(/16 bytes/)
    expect((short as Error).message).not.toContain('TOKEN-XYZ')
  })
})
