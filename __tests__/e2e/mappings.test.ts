// Several folders, one token, one step (the `mappings` input), and broken-link warnings in sync runs: real runs
// of the bundled action against the Feishu and GitHub emulators, each ending with the shared leak scan.
import { afterEach, describe, expect, it } from 'vitest'
import { scaledClock } from '../../emulator/core/clock.js'
import { ROUTE } from '../../emulator/feishu/index.js'
import { expectNoLeaks } from '../helpers/action-runner.js'
import { REPO, type World, startWorld } from '../helpers/world.js'

const SCALE = 20
let world: World
afterEach(async () => {
  for (const run of world.runs) expectNoLeaks(run, world.secrets())
  await world.close()
})

/** The sync state's page sits under each parent too (src/sync/remote/state.ts). */
const STATE_TITLE = 'feishu-wiki-sync state (do not edit)'
const tree = (space: string, parent: string) =>
  world.feishu
    .renderTree(space, parent)
    .split('\n')
    .filter((line) => line !== STATE_TITLE)
    .join('\n')
/** Wiki, docx and drive calls that change something, the state pages' own writes left out. */
const contentWrites = () => {
  const states = [...world.feishu.nodes(world.spaceId), ...spaces.flatMap((s) => world.feishu.nodes(s))].filter((n) => n.title === STATE_TITLE)
  return world.feishu.server.calls.filter(
    (c) =>
      c.method !== 'GET' &&
      /^(wiki|docx|drive)\./.test(c.route) &&
      !states.some((n) => c.path.includes(n.obj_token)) &&
      !(c.route === ROUTE.nodeCreate && (c.body as { title?: string })?.title === STATE_TITLE),
  ).length
}
const spaces: string[] = []

const refreshes = () => world.feishu.server.calls.filter((c) => c.route === ROUTE.oauthToken).length

describe('mappings: several docs folders in one run', () => {
  it('two folders into two parents in two spaces: both published with one refresh, links between them reach their pages', async () => {
    world = await startWorld({
      feishu: { clock: scaledClock(SCALE) },
      files: {
        'docs/index.md': '# Docs home\n\nSee the [handbook](../handbook/welcome.md) and its [policies](../handbook/policies/).\n',
        'docs/setup.md': '# Setup\n\nBack to [docs](index.md).\n',
        'handbook/welcome.md': '# Welcome\n\nRead [setup](../docs/setup.md) first.\n',
        'handbook/policies/index.md': '# Policies\n\nA [missing page](gone.md).\n',
      },
    })
    const second = world.feishu.createSpace({ name: 'Handbook space', userIsMember: true, appIsMember: true })
    spaces.push(second)
    const docsParent = world.feishu.createNode(world.spaceId, { title: 'Docs parent', creator: 'someone-else' }).node_token
    const handbookParent = world.feishu.createNode(second, { title: 'Handbook parent', creator: 'someone-else' }).node_token
    const mappings = [
      `- path: docs`,
      `  parent-node: ${docsParent}`,
      `- path: handbook`,
      `  space-id: "${second}"`,
      `  parent-node: https://acme.feishu.cn/wiki/${handbookParent}`,
    ].join('\n')

    const run = await world.run({ inputs: { mode: 'all', path: 'docs', mappings }, timeScale: SCALE })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(refreshes()).toBe(1)
    expect(tree(world.spaceId, docsParent)).toBe('Docs home\nSetup')
    expect(tree(second, handbookParent)).toBe('Policies\nWelcome')
    const node = (space: string, title: string) => world.feishu.nodes(space).find((n) => n.title === title)!
    const wiki = (space: string, title: string) => `https://www.feishu.cn/wiki/${node(space, title).node_token}`
    const render = (space: string, title: string) => world.feishu.docs.render(node(space, title).obj_token)
    expect(render(world.spaceId, 'Docs home')).toContain(`[handbook](${wiki(second, 'Welcome')})`)
    expect(render(world.spaceId, 'Docs home')).toContain(`[policies](${wiki(second, 'Policies')})`)
    expect(render(second, 'Welcome')).toContain(`[setup](${wiki(world.spaceId, 'Setup')})`)
    // A broken link still goes to GitHub, with a warning at its line.
    expect(render(second, 'Policies')).toContain(`[missing page](https://github.com/${REPO}/blob/main/handbook/policies/gone.md)`)
    expect(run.annotations).toContainEqual({
      level: 'warning',
      file: 'handbook/policies/index.md',
      line: 3,
      message: expect.stringContaining('there is no page, file or folder handbook/policies/gone.md'),
    })

    expect(run.outputs).toMatchObject({ created: '4', failed: '0' })
    expect(run.summary).toContain('<h3>Wiki pages from <code>docs</code></h3>')
    expect(run.summary).toContain('<h3>Wiki pages from <code>handbook</code></h3>')

    // The next run reads the new token, refreshes once, and writes nothing: cross-mapping links are stable.
    const writesBefore = contentWrites()
    const again = await world.run({ inputs: { mode: 'all', path: 'docs', mappings }, timeScale: SCALE })
    expect(again.exitCode, again.stdout).toBe(0)
    expect(refreshes()).toBe(2)
    expect(contentWrites()).toBe(writesBefore)
    expect(again.outputs).toMatchObject({ created: '0', updated: '0', unchanged: '4' })
  })

  it('overlapping mappings are refused before the token is spent', async () => {
    world = await startWorld({ feishu: { clock: scaledClock(SCALE) }, files: { 'docs/a.md': '# A\n', 'docs/guide/b.md': '# B\n' } })
    const seed = world.currentRefreshToken()
    const run = await world.run({
      inputs: { mode: 'all', mappings: '- path: docs\n  parent-node: wikcnOne\n- path: docs/guide\n  parent-node: wikcnTwo\n' },
      timeScale: SCALE,
    })
    expect(run.exitCode).toBe(2)
    expect(run.summary).toContain('Invalid inputs (nothing was spent or written)')
    expect(run.summary).toContain('the mappings on lines 1 (docs) and 3 (docs/guide) overlap')
    expect(world.feishu.server.calls).toEqual([])
    expect(world.github.server.calls.filter((c) => c.method !== 'GET')).toEqual([])
    expect(world.currentRefreshToken()).toBe(seed)
  })

  it('two mappings into one parent, or a mapping whose path does not exist, are refused the same way', async () => {
    world = await startWorld({ feishu: { clock: scaledClock(SCALE) }, files: { 'docs/a.md': '# A\n', 'handbook/b.md': '# B\n' } })
    const run = await world.run({
      inputs: { mode: 'all', mappings: '- path: docs\n  parent-node: wikcnOne\n- path: handbook\n  parent-node: wikcnOne\n- path: nowhere\n  parent-node: wikcnThree\n' },
      timeScale: SCALE,
    })
    expect(run.exitCode).toBe(2)
    expect(run.summary).toContain('the mappings on lines 1 and 3 publish into the same parent (parent-node wikcnOne)')
    expect(run.summary).toContain("'nowhere' does not exist")
    expect(world.feishu.server.calls).toEqual([])
  })
})
