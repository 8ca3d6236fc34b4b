// The value putSecret writes is a live refresh token. Run it through every outcome (success, retries, rate
// limits, dropped connections, stale keys, permission errors, persistent failures) and look for it, in every
// encoding it could take, in everything that could reach a log: error messages, stacks, causes, retry events,
// console output, and the emulator's request log (where only the sealed body may carry it, sealed).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { secondaryRateLimitBody } from '../../emulator/github/index.js'
import { getSecretPublicKey, putSecret, proveSecretWriteAccess, type SecretTarget } from '../../src/github/secrets.js'
import { ENV, type Fixture, NAME, OWNER, REPO, TOKENS, startFixture } from './fixtures.js'

const TOKEN = 'ur-CANARY-7f3a9c2e5b1d-refresh-token'
const forms = [
  TOKEN,
  encodeURIComponent(TOKEN),
  Buffer.from(TOKEN).toString('base64'),
  Buffer.from(TOKEN).toString('base64url'),
  Buffer.from(TOKEN).toString('hex'),
  'CANARY-7f3a9c2e5b1d', // any recognisable fragment
]

/** Every string reachable from `value` (own properties, message, stack, cause), depth-limited. */
function strings(value: unknown, seen = new Set<unknown>(), depth = 0): string[] {
  if (value === null || value === undefined || depth > 8) return []
  if (typeof value === 'string') return [value]
  if (typeof value !== 'object' && typeof value !== 'function') return [String(value)]
  if (seen.has(value)) return []
  seen.add(value)
  const out: string[] = []
  if (value instanceof Error) out.push(value.message, value.stack ?? '', String(value))
  for (const key of Reflect.ownKeys(value as object)) {
    let v: unknown
    try {
      v = (value as Record<PropertyKey, unknown>)[key]
    } catch {
      continue
    }
    out.push(String(key), ...strings(v, seen, depth + 1))
  }
  if (value instanceof Error && value.cause !== undefined) out.push(...strings(value.cause, seen, depth + 1))
  return out
}

function expectNoLeak(what: string, haystack: string[]): void {
  const text = haystack.join('\n')
  for (const form of forms) expect(text.includes(form), `${what} contains the token (${form})`).toBe(false)
}

let f: Fixture
const errors: unknown[] = []
const output: string[] = []
const target: SecretTarget = { owner: OWNER, repo: NAME, secretName: 'FEISHU_REFRESH_TOKEN' }

beforeAll(async () => {
  f = await startFixture()
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void output.push(args.map(String).join(' ')))
  }
  const write = process.stdout.write.bind(process.stdout)
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output.push(String(chunk))
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest)
  })
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk))
    return true
  })

  const PUT = 'actions/create-or-update-repo-secret'
  const attempt = async (run: () => Promise<unknown>) => {
    try {
      await run()
    } catch (error) {
      errors.push(error)
    }
  }
  const key = await getSecretPublicKey(f.client, target)
  await attempt(() => putSecret(f.client, target, TOKEN, key)) // success
  f.gh.server.inject({ route: PUT, status: 502, times: 2, body: { message: 'Bad Gateway' } })
  await attempt(() => putSecret(f.client, target, TOKEN, key)) // retried
  f.gh.server.inject({ route: PUT, status: 403, headers: { 'retry-after': '1' }, body: secondaryRateLimitBody() })
  f.gh.server.inject({ route: PUT, drop: 'after' })
  await attempt(() => putSecret(f.client, target, TOKEN, key)) // rate limit, then lost response
  f.gh.rotateKey(REPO)
  await attempt(() => putSecret(f.client, target, TOKEN, key)) // stale key → re-key
  const disarm = f.gh.server.inject({ route: PUT, status: 503, times: Infinity, body: { message: 'Unavailable' } })
  await attempt(() => putSecret(f.client, target, TOKEN, key)) // persistent failure
  disarm()
  f.gh.server.inject({ route: PUT, status: 422, times: Infinity, body: { message: 'Bad request', documentation_url: 'https://docs.github.com/rest' } })
  await attempt(async () => putSecret(f.client, target, TOKEN, await getSecretPublicKey(f.client, target))) // 422 for good
  f.gh.server.clearFaults()
  const workflow = f.clientFor(TOKENS.workflow)
  await attempt(async () => putSecret(workflow, target, TOKEN, await getSecretPublicKey(workflow, target))) // 403 integration
  const reader = f.clientFor(TOKENS.reader)
  await attempt(async () => putSecret(reader, { ...target, environment: ENV }, TOKEN, await getSecretPublicKey(reader, { ...target, environment: ENV })))
  await attempt(() => putSecret(f.clientFor('bogus'), target, TOKEN, key)) // 401
  await attempt(() => putSecret(f.client, target, `${TOKEN}${'x'.repeat(50_000)}`, key)) // too large
  await attempt(() => proveSecretWriteAccess(f.client, target, key))
})

afterAll(async () => {
  vi.restoreAllMocks()
  await f.close()
})

describe('the refresh token never leaks', () => {
  it('the detector finds the token when it is there (negative control)', () => {
    const nested = new Error('outer', { cause: { response: { data: { echoed: Buffer.from(TOKEN).toString('base64') } } } })
    expect(() => expectNoLeak('control', strings(nested))).toThrow(/contains the token/)
  })

  it('the scenarios ran: failures were raised and the token did reach GitHub, sealed', () => {
    expect(errors.length).toBeGreaterThanOrEqual(6)
    expect(f.gh.secretValue(REPO, target.secretName)).toBe(TOKEN)
  })

  it('appears in no error message, stack, property or cause', () => {
    for (const error of errors) expectNoLeak(`error "${(error as Error).message}"`, strings(error))
  })

  it('appears in no retry event and no console or stdout/stderr output', () => {
    expect(f.retries.length).toBeGreaterThan(0)
    expectNoLeak('retry events', strings(f.retries))
    expectNoLeak('console output', output)
  })

  it("appears in no field of the emulator's request log; PUT bodies hold only the sealed value and key id", () => {
    expectNoLeak('emulator calls', [JSON.stringify(f.gh.server.calls)])
    const puts = f.gh.server.calls.filter((c) => c.method === 'PUT')
    expect(puts.length).toBeGreaterThan(5)
    for (const call of puts) expect(Object.keys(call.body as object).sort()).toEqual(['encrypted_value', 'key_id'])
  })
})
