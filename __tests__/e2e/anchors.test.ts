// Links to headings (issue 13): `other.md#part` and `#part` open the heading's block (Feishu's `<page url>#<block_id>`),
// slugged as GitHub does (github-slugger, duplicates "-1"); a heading that does not exist is a warning at the link's
// line and the link opens the page. Runs of the bundled action (`node dist/index.js`) against the emulators: two
// pages linking to each other's headings, first publish, a run that changes nothing (no writes), a run that edits
// one heading, and a run after it that again writes nothing.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import { expectNoLeaks } from '../helpers/action-runner.js'
import { type World, contentWrites, startWorld } from '../helpers/world.js'

const SCALE = 20

const ALPHA = [
  '# Alpha',
  '',
  'Read [the setup](b.md#setup), [the second setup](b.md#setup-1) and [below](#usage).',
  'Broken: [nowhere](b.md#no-such-heading).',
  '',
  '## Usage',
  '',
  'Text.',
  '',
].join('\n')

const BETA = ['# Beta', '', '## Setup', '', 'First.', '', '## Setup', '', 'Second.', '', 'Back to [Alpha usage](a.md#usage) and [Alpha](a.md#alpha).', ''].join('\n')

let world: World
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})

describe('links to headings (runs of the bundled action)', () => {
  it('point at the heading blocks both ways; a no-op run writes nothing; an edited heading moves the links', async () => {
    world = await startWorld({ feishu: { clock: scaledClock(SCALE) } })
    const docs = path.join(world.workspace, 'docs')
    fs.mkdirSync(docs, { recursive: true })
    fs.writeFileSync(path.join(docs, 'a.md'), ALPHA)
    fs.writeFileSync(path.join(docs, 'b.md'), BETA)
    const parent = world.feishu.createNode(world.spaceId, { title: 'Docs home', creator: 'someone-else' }).node_token
    const run = async () => {
      const from = world.feishu.server.calls.length
      const r = await world.run({ inputs: { mode: 'all', 'parent-node': parent }, timeScale: SCALE })
      expect(r.exitCode, r.stdout + r.stderr).toBe(0)
      return { r, writes: contentWrites(world, from) }
    }
    const node = (title: string) => world.feishu.nodes(world.spaceId).find((n) => n.title === title)!
    const render = (title: string) => world.feishu.docs.render(node(title).obj_token)
    const wiki = (title: string) => `https://www.feishu.cn/wiki/${node(title).node_token}`
    /** The block ids of the headings with this text, in document order. */
    const headings = (title: string, text: string) =>
      (world.feishu.docs.listBlocks(node(title).obj_token, 500).items ?? [])
        .filter((b) => JSON.stringify(b).includes(`"content":"${text}"`) && b.block_type >= 3 && b.block_type <= 11)
        .map((b) => b.block_id)

    const { r: first } = await run()
    expect(first.outputs).toMatchObject({ created: '2', failed: '0' })
    const [setup, setup1] = headings('Beta', 'Setup')
    const [usage] = headings('Alpha', 'Usage')
    expect([setup, setup1, usage].every(Boolean)).toBe(true)
    expect(render('Alpha')).toContain(
      `Read [the setup](${wiki('Beta')}#${setup}), [the second setup](${wiki('Beta')}#${setup1}) and [below](${wiki('Alpha')}#${usage}).`,
    )
    // A heading the target does not have: the page, and a warning at the link's line.
    expect(render('Alpha')).toContain(`Broken: [nowhere](${wiki('Beta')}).`)
    expect(first.stdout).toContain('::warning file=docs/a.md,line=4,col=9::docs/a.md: Link b.md#no-such-heading: no heading of docs/b.md has the anchor #no-such-heading')
    // The heading that became the title has no block: the page.
    expect(render('Beta')).toContain(`Back to [Alpha usage](${wiki('Alpha')}#${usage}) and [Alpha](${wiki('Alpha')}).`)

    // Nothing changed: nothing written (the heading ids come from the sync state).
    const { writes: none } = await run()
    expect(none).toEqual([])

    // The first "Setup" becomes "Set up": on GitHub #setup is now the second one and #setup-1 exists no more.
    fs.writeFileSync(path.join(docs, 'b.md'), BETA.replace('## Setup', '## Set up'))
    const { r: edited, writes } = await run()
    expect(headings('Beta', 'Set up')).toEqual([setup]) // edited in place: the block keeps its id
    expect(render('Alpha')).toContain(`Read [the setup](${wiki('Beta')}#${setup1}), [the second setup](${wiki('Beta')}) and [below](${wiki('Alpha')}#${usage}).`)
    expect(edited.stdout).toContain('::warning file=docs/a.md,line=3,col=31::docs/a.md: Link b.md#setup-1: no heading of docs/b.md has the anchor #setup-1')
    expect(edited.outputs).toMatchObject({ updated: '2', failed: '0' })
    // One text patch per page, no block created or deleted.
    expect(writes.map((c) => c.route).filter((r) => !/batchUpdate|batch_update/i.test(r))).toEqual([])

    const { writes: again } = await run()
    expect(again).toEqual([])
  })
})
