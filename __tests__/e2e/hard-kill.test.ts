// A hard kill never duplicates. A runner that is lost (or a job killed after its grace period) ends the
// action with SIGKILL: no handler runs, nothing is cleaned up. Whatever the kill left — a node created but not
// written, a folder whose children were half made, documents half written — the next normal run finishes it:
// no duplicate node, every file placed exactly once, and no document written again that was already complete.
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDocsTree } from '../../bench/generate.js'
import { scaledClock } from '../../emulator/core/clock.js'
import type { RecordedCall } from '../../emulator/core/server.js'
import { ROUTE } from '../../emulator/feishu/index.js'
import { STATE_TITLE } from '../../src/sync/remote/state.js'
import { expectNoLeaks } from '../helpers/action-runner.js'
import { type World, startWorld } from '../helpers/world.js'

const SCALE = 20
const TREE = generateDocsTree(36, 17)
const FILES = Object.fromEntries(Object.entries(TREE.files).map(([file, content]) => [file, content]))

async function publishWorld(): Promise<{ world: World; parent: string; inputs: Record<string, string> }> {
  const world = await startWorld({ feishu: { clock: scaledClock(SCALE), latencyMs: 100, rateLimits: true }, files: FILES })
  const parent = world.feishu.createNode(world.spaceId, { title: 'Handbook home', creator: 'someone-else' }).node_token
  return { world, parent, inputs: { mode: 'all', 'parent-node': parent } }
}

/** SIGKILL once `server` has answered `count` calls that `pick` selects (answered: their effect is committed). */
function killAfter(world: World, pick: (call: RecordedCall) => boolean, count: number) {
  return (child: ChildProcess) => {
    const timer = setInterval(() => {
      if (world.feishu.server.calls.filter((c) => pick(c) && c.status === 200).length < count) return
      clearInterval(timer)
      child.kill('SIGKILL')
    }, 2)
    child.on('close', () => clearInterval(timer))
  }
}

const isCreate = (c: RecordedCall) => c.route === ROUTE.nodeCreate
const isDocWrite = (c: RecordedCall) => c.method !== 'GET' && c.route.startsWith('docx.')

function duplicates(world: World): string[] {
  const seen = new Map<string, number>()
  for (const n of world.feishu.nodes(world.spaceId)) seen.set(`${n.parent_node_token}/${n.title}`, (seen.get(`${n.parent_node_token}/${n.title}`) ?? 0) + 1)
  return [...seen].filter(([, c]) => c > 1).map(([k]) => k)
}

/** Every page's text, the sync state page left out (it is rewritten whenever what it knows changes). */
function renders(world: World): Map<string, string> {
  const pages = world.feishu.nodes(world.spaceId).filter((n) => n.title !== STATE_TITLE)
  return new Map(pages.map((n) => [n.obj_token, world.feishu.docs.render(n.obj_token)]))
}

/** The tree as titles, and every page's text: what an uninterrupted first publish leaves. */
let reference: { tree: string; pages: string[] }
function snapshot(world: World, parent: string) {
  const texts = [...renders(world).values()].filter((t) => t !== '').map((t) => t.replace(/wikcn[A-Za-z0-9]+/g, 'NODE').replace(/feishu_wiki_sync=[0-9a-f]+/g, 'HASH').replace(/boxcn[A-Za-z0-9]+/g, 'FILE').replace(/doxcn[A-Za-z0-9]+/g, 'DOC').replace(/\[image [A-Za-z0-9]+\]/g, '[image]'))
  return { tree: world.feishu.renderTree(world.spaceId, parent), pages: texts.sort() }
}

beforeAll(async () => {
  const { world, parent, inputs } = await publishWorld()
  const run = await world.run({ inputs, timeScale: SCALE })
  expect(run.exitCode, run.stdout).toBe(0)
  reference = snapshot(world, parent)
  await world.close()
})

describe('a SIGKILL at any point of a first publish, then a normal run', () => {
  let world: World
  afterAll(async () => world?.close())

  it.each([
    ['after the first node create', isCreate, 1],
    ['mid-folder (a dozen nodes made, folders not yet written)', isCreate, 12],
    ['mid-documents (a few documents written)', isDocWrite, 4],
  ] as const)('%s: 0 duplicate nodes, every file placed once, nothing written twice', async (_, pick, count) => {
    await world?.close()
    const setup = await publishWorld()
    world = setup.world
    const killed = await world.run({ inputs: setup.inputs, timeScale: SCALE, onStart: killAfter(world, pick, count) })
    expect(killed.exitCode).not.toBe(0)
    expect(world.feishu.server.calls.filter((c) => isCreate(c) && c.status === 200).length).toBeGreaterThanOrEqual(pick === isCreate ? count : 1)
    const afterKill = renders(world)
    const from = world.feishu.server.calls.length

    const next = await world.run({ inputs: setup.inputs, timeScale: SCALE })
    expect(next.exitCode, next.stdout).toBe(0)
    expect(next.outputs.failed).toBe('0')
    expect(duplicates(world)).toEqual([])
    expect(snapshot(world, setup.parent)).toEqual(reference)
    // A document the killed run had finished is not written again.
    const final = renders(world)
    const rewritten = new Set(
      world.feishu.server.calls.slice(from).filter(isDocWrite).map((c) => c.path.split('/')[5]!).filter((doc) => afterKill.has(doc) && afterKill.get(doc) === final.get(doc)),
    )
    expect([...rewritten]).toEqual([])
    for (const run of world.runs) expectNoLeaks(run, world.secrets())
  })
})
