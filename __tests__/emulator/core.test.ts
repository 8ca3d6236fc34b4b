import { afterEach, describe, expect, it } from 'vitest'
import { EmulatorServer, Router } from '../../emulator/core/server.js'
import { manualClock, scaledClock } from '../../emulator/core/clock.js'

let server: EmulatorServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(): Promise<{ url: string; counter: { n: number } }> {
  const counter = { n: 0 }
  const router = new Router()
    .add('POST', '/things/:id', 'things.create', (req) => {
      counter.n += 1
      return { status: 200, body: { id: req.params.id, body: req.body } }
    })
    .add('POST', '/upload', 'upload', (req) => ({
      status: 200,
      body: { name: req.form?.get('file_name'), size: (req.form?.get('file') as File).size },
    }))
  server = new EmulatorServer('test', router, { responseHeaders: () => ({ 'x-test': '1' }) })
  return { url: await server.listen(), counter }
}

describe('emulator core server', () => {
  it('routes with params and parses JSON, form and multipart bodies', async () => {
    const { url } = await start()
    const json = await fetch(`${url}/things/a%2Fb`, { method: 'POST', body: JSON.stringify({ x: 1 }), headers: { 'content-type': 'application/json' } })
    expect(json.headers.get('x-test')).toBe('1')
    expect(await json.json()).toEqual({ id: 'a/b', body: { x: 1 } })
    const form = await fetch(`${url}/things/1`, { method: 'POST', body: new URLSearchParams({ a: 'b' }) })
    expect(await form.json()).toEqual({ id: '1', body: { a: 'b' } })
    const data = new FormData()
    data.set('file_name', 'x.png')
    data.set('file', new Blob([new Uint8Array(5)]), 'x.png')
    const multipart = await fetch(`${url}/upload`, { method: 'POST', body: data })
    expect(await multipart.json()).toEqual({ name: 'x.png', size: 5 })
    expect(server!.calls.map((c) => c.route)).toEqual(['things.create', 'things.create', 'upload'])
    expect(server!.calls[2].body).toEqual({ file_name: 'x.png', file: { file: 'x.png', size: 5 } })
  })

  it('answers the nth call with a fault status, then passes again', async () => {
    const { url, counter } = await start()
    server!.inject({ route: 'things.create', nth: 2, times: 2, status: 503, body: { m: 'down' } })
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${url}/things/1`, { method: 'POST' })).status)
    expect(statuses).toEqual([200, 503, 503, 200, 200])
    expect(counter.n).toBe(3)
  })

  it('drops the response after the handler committed, or before it ran', async () => {
    const { url, counter } = await start()
    server!.inject({ route: 'things.create', drop: 'after' })
    await expect(fetch(`${url}/things/1`, { method: 'POST' })).rejects.toThrow()
    expect(counter.n).toBe(1)
    server!.inject({ route: 'things.create', drop: 'before' })
    await expect(fetch(`${url}/things/1`, { method: 'POST' })).rejects.toThrow()
    expect(counter.n).toBe(1)
    expect(server!.calls.map((c) => c.fault)).toEqual(['drop-after', 'drop-before'])
  })

  it('hangs until the client gives up', async () => {
    const { url } = await start()
    server!.inject({ route: 'things.create', hang: true })
    await expect(fetch(`${url}/things/1`, { method: 'POST', signal: AbortSignal.timeout(100) })).rejects.toThrow()
  })
})

describe('emulator clocks', () => {
  it('a scaled clock runs faster than real time', async () => {
    const clock = scaledClock(100)
    const t0 = clock.now()
    const r0 = Date.now()
    await clock.sleep(1000)
    expect(Date.now() - r0).toBeLessThan(200)
    expect(clock.now() - t0).toBeGreaterThanOrEqual(900)
  })
  it('a manual clock moves only when told', async () => {
    const clock = manualClock(0)
    await clock.sleep(50)
    clock.advance(25)
    expect(clock.now()).toBe(75)
  })
})
