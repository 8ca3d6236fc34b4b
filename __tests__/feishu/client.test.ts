// The client's retry policy, against a scripted loopback server (the Feishu emulator's own rules are tested
// elsewhere; here each answer is chosen to exercise one decision).
import { afterEach, describe, expect, it } from 'vitest'
import { EmulatorServer, Router, type EmulatorResponse } from '../../emulator/core/server.js'
import { manualClock } from '../../emulator/core/clock.js'
import { FeishuClient, FeishuError, type CallEvent } from '../../src/feishu/client.js'

let server: EmulatorServer
afterEach(() => server?.close())

async function scripted(answers: EmulatorResponse[]) {
  const queue = [...answers]
  server = new EmulatorServer(
    'scripted',
    new Router().add('POST', '/open-apis/x', 'x', () => queue.shift() ?? { status: 200, body: { code: 0, msg: 'ok', data: { n: 1 } } }),
    { responseHeaders: () => ({ 'x-tt-logid': 'LOG123' }) },
  )
  const url = await server.listen()
  const clock = manualClock(0)
  const events: CallEvent[] = []
  const client = new FeishuClient({ baseUrl: url, accessToken: () => 'u-token', clock, random: () => 0.5, onCall: (e) => events.push(e) })
  return { client, clock, events }
}

const write = { method: 'POST', path: '/open-apis/x', endpoint: 'x', apiClass: 'docx-write', retrySafe: true } as const
const ok = { status: 200, body: { code: 0, msg: 'success', data: { n: 1 } } }
const throttled429 = { status: 429, headers: { 'x-ogw-ratelimit-reset': '7' }, body: { code: 99991400, msg: 'request trigger frequency limit' } }
const throttled400 = { status: 400, headers: { 'x-ogw-ratelimit-reset': '2' }, body: { code: 99991400, msg: 'request trigger frequency limit' } }

describe('FeishuClient', () => {
  it('returns the envelope data and sends the bearer token', async () => {
    const { client } = await scripted([ok])
    expect(await client.request(write)).toEqual({ n: 1 })
    expect(server.calls[0].headers.authorization).toBe('Bearer u-token')
  })

  it('waits x-ogw-ratelimit-reset seconds after a 429 or a 400/99991400, then retries', async () => {
    const { client, clock, events } = await scripted([throttled429, throttled400, ok])
    expect(await client.request(write)).toEqual({ n: 1 })
    expect(clock.now()).toBeGreaterThanOrEqual(9_000)
    expect(events.map((e) => e.throttled)).toEqual([true, true, false])
  })

  it('retries a retry-safe write after a 5xx or 1771001, with backoff', async () => {
    const { client, clock } = await scripted([{ status: 502, body: 'bad gateway' }, { status: 400, body: { code: 1771001, msg: 'server internal error' } }, ok])
    expect(await client.request(write)).toEqual({ n: 1 })
    expect(clock.now()).toBeGreaterThan(0)
  })

  it('does not resend a write that is not retry-safe after a 5xx, and marks the failure ambiguous', async () => {
    const { client } = await scripted([{ status: 500, body: { code: 131001, msg: 'rpc fail' } }, ok])
    const error = await client.request({ ...write, apiClass: 'wiki', retrySafe: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FeishuError)
    expect((error as FeishuError).ambiguous).toBe(true)
    expect(server.calls.length).toBe(1)
  })

  it('treats a success status with a cut body like a lost answer: a retry-safe request is resent, another fails as ambiguous', async () => {
    const cut = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"code":0,"msg":"success","data":{"bl' }
    const { client } = await scripted([cut, ok])
    expect(await client.request(write)).toEqual({ n: 1 })
    expect(server.calls.length).toBe(2)
    await server.close()
    const again = await scripted([cut, ok])
    const error = await again.client.request({ ...write, apiClass: 'wiki', retrySafe: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FeishuError)
    expect((error as FeishuError).ambiguous).toBe(true)
    expect(server.calls.length).toBe(1)
  })

  it('resends a retry-safe request after a lost connection', async () => {
    const { client } = await scripted([])
    server.inject({ route: 'x', drop: 'after' })
    expect(await client.request(write)).toEqual({ n: 1 })
    expect(server.calls.length).toBe(2)
  })

  it('fails at once on a client error, with code, HTTP status and x-tt-logid, deciding on the JSON code', async () => {
    const { client } = await scripted([{ status: 400, body: { code: 99991668, msg: 'Invalid access token for authorization.' } }])
    const error = (await client.request(write).catch((e: unknown) => e)) as FeishuError
    expect(error).toMatchObject({ code: 99991668, httpStatus: 400, logId: 'LOG123', ambiguous: false })
    expect(error.message).toContain('99991668')
    expect(server.calls.length).toBe(1)
  })

  it('gives up after the attempt limit', async () => {
    const { client } = await scripted(Array.from({ length: 10 }, () => ({ status: 503, body: 'down' })))
    await expect(client.request(write)).rejects.toBeInstanceOf(FeishuError)
    expect(server.calls.length).toBe(6)
  })
})
