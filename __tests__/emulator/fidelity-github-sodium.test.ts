// The sealed boxes are real, checked with an INDEPENDENT libsodium (Debian python3-nacl over the system's C
// libsodium) in both directions: PyNaCl opens what our client sealed and the emulator stored, and the emulator
// opens what PyNaCl sealed for its public key. Missing PyNaCl fails these tests with the install command.
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GitHubEmulator, startGitHubEmulator } from '../../emulator/github/index.js'
import { createGitHubClient } from '../../src/github/client.js'
import { getSecretPublicKey, putSecret } from '../../src/github/secrets.js'
import { assertPyNaClAvailable, openSealedBoxWithPyNaCl, sealWithPyNaCl } from '../helpers/pynacl.js'

const REPO = 'acme/handbook'
const ENV = 'wiki-sync'
let gh: GitHubEmulator

beforeAll(async () => {
  gh = await startGitHubEmulator({ repos: [{ fullName: REPO, environments: [ENV] }] })
  gh.addToken('pat', { repos: [REPO], secrets: 'write', environments: 'write' })
})
afterAll(async () => {
  await gh?.close()
})

const put = (path: string, body: unknown) =>
  fetch(`${gh.url}${path}`, { method: 'PUT', headers: { authorization: 'Bearer pat', 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('sealed boxes across two libsodium implementations', () => {
  it('python3-nacl is installed (apt-get install -y python3-nacl)', () => {
    expect(() => assertPyNaClAvailable()).not.toThrow()
  })

  it("the emulator's private keys match its advertised public keys (derived by PyNaCl)", () => {
    for (const env of [undefined, ENV]) {
      const r = spawnSync(
        '/usr/bin/python3',
        ['-c', 'import sys,base64;from nacl.public import PrivateKey;print(base64.b64encode(bytes(PrivateKey(base64.b64decode(sys.argv[1])).public_key)).decode())', gh.privateKeyBase64(REPO, env)],
        { encoding: 'utf8' },
      )
      expect(r.stdout.trim()).toBe(gh.publicKey(REPO, env).key)
    }
  })

  it('PyNaCl opens what src/github sealed and the emulator stored (repository and environment)', async () => {
    const client = createGitHubClient({ token: 'pat', baseUrl: gh.url })
    const value = 'ur-9f8e7d6c5b4a-刷新-token'
    for (const environment of [undefined, ENV]) {
      const target = { owner: 'acme', repo: 'handbook', secretName: 'FEISHU_REFRESH_TOKEN', environment }
      await putSecret(client, target, `${value}-${environment ?? 'repo'}`, await getSecretPublicKey(client, target))
      const stored = gh.storedSecret(REPO, 'FEISHU_REFRESH_TOKEN', environment)!
      expect(openSealedBoxWithPyNaCl(gh.privateKeyBase64(REPO, environment), stored.encrypted_value)).toBe(`${value}-${environment ?? 'repo'}`)
    }
  })

  it('the emulator opens a box PyNaCl sealed for its public key, and refuses one sealed for another key', async () => {
    const key = gh.publicKey(REPO)
    const created = await put(`/repos/${REPO}/actions/secrets/FROM_PYNACL`, { encrypted_value: sealWithPyNaCl(key.key, 'sealed-by-pynacl'), key_id: key.key_id })
    expect(created.status).toBe(201)
    expect(gh.secretValue(REPO, 'FROM_PYNACL')).toBe('sealed-by-pynacl')

    const otherPublic = gh.publicKey(REPO, ENV).key
    const wrong = await put(`/repos/${REPO}/actions/secrets/FROM_PYNACL`, { encrypted_value: sealWithPyNaCl(otherPublic, 'x'), key_id: key.key_id })
    expect(wrong.status).toBe(422)
    expect(gh.secretValue(REPO, 'FROM_PYNACL')).toBe('sealed-by-pynacl')
  })

  it('PyNaCl refuses a box opened with the wrong private key (the check is not vacuous)', async () => {
    const sealed = sealWithPyNaCl(gh.publicKey(REPO).key, 'x')
    expect(openSealedBoxWithPyNaCl(gh.privateKeyBase64(REPO), sealed)).toBe('x')
    expect(() => openSealedBoxWithPyNaCl(gh.privateKeyBase64(REPO, ENV), sealed)).toThrow(/could not open/)
  })
})
