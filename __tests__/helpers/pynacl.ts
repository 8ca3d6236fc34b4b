// An independent libsodium: Debian's python3-nacl (PyNaCl over the system's C libsodium), run as
// /usr/bin/python3. Tests use it to prove that what our code sealed, or what the emulator stored, is a real
// crypto_box_seal box, not something only libsodium-wrappers agrees with. Missing PyNaCl is a test FAILURE.
import { spawnSync } from 'node:child_process'

const PYTHON = '/usr/bin/python3'
const INSTALL_HINT = 'python3-nacl is required for the sealed-box fidelity tests: run `apt-get install -y python3-nacl` (Debian/Ubuntu).'

const OPEN = `
import sys, base64
from nacl.public import PrivateKey, SealedBox
priv = PrivateKey(base64.b64decode(sys.argv[1], validate=True))
sealed = base64.b64decode(sys.stdin.read().strip(), validate=True)
sys.stdout.buffer.write(SealedBox(priv).decrypt(sealed))
`

const SEAL = `
import sys, base64
from nacl.public import PublicKey, SealedBox
pub = PublicKey(base64.b64decode(sys.argv[1], validate=True))
sys.stdout.write(base64.b64encode(SealedBox(pub).encrypt(sys.stdin.buffer.read())).decode())
`

/** Throws with the install command when PyNaCl cannot be imported. */
export function assertPyNaClAvailable(): void {
  const r = spawnSync(PYTHON, ['-c', 'import nacl.public, nacl; print(nacl.__version__)'], { encoding: 'utf8' })
  if (r.error || r.status !== 0) {
    throw new Error(`${INSTALL_HINT}\n(${r.error?.message ?? r.stderr.trim()})`)
  }
}

/** Open a sealed box (base64, ORIGINAL variant) with a base64 X25519 private key, using PyNaCl. */
export function openSealedBoxWithPyNaCl(privateKeyB64: string, sealedB64: string): string {
  const r = spawnSync(PYTHON, ['-c', OPEN, privateKeyB64], { input: sealedB64, encoding: 'utf8' })
  if (r.error || /No module named/.test(r.stderr)) assertPyNaClAvailable()
  if (r.status !== 0) throw new Error(`PyNaCl could not open the sealed box: ${r.stderr.trim().split('\n').pop()}`)
  return r.stdout
}

/** Seal `plaintext` for a base64 X25519 public key with PyNaCl; returns base64 (standard, padded). */
export function sealWithPyNaCl(publicKeyB64: string, plaintext: string): string {
  const r = spawnSync(PYTHON, ['-c', SEAL, publicKeyB64], { input: plaintext, encoding: 'utf8' })
  if (r.error || /No module named/.test(r.stderr)) assertPyNaClAvailable()
  if (r.status !== 0) throw new Error(`PyNaCl could not seal: ${r.stderr.trim().split('\n').pop()}`)
  return r.stdout
}
