// What a run costs in Feishu calls, on a world the action already published (issue: "a run costs what changed,
// not what the wiki holds"). Every figure counts the calls the Feishu emulator saw from one run of the bundle:
//   noop_all          an `all` run with nothing changed: calls, listing calls, docx reads
//   one_file_push     a push that changes one paragraph of one file: calls besides its own writes
//   after_person_edit an `all` run after a person edited one page in Feishu (on-remote-edit: overwrite)
//   after_lost_state  an `all` run after the state page was deleted (falls back), and the run after it
import type { RecordedCall } from '../emulator/core/server.js'
import type { GeneratedTree } from './generate.js'
import { type BenchWorld, isContentWrite } from './world.js'

export interface RunCost {
  /** Every Feishu call of the run (the token refresh included). */
  calls: number
  listing_calls: number
  docx_reads: number
  /** Writes (wiki, docx, drive; the sync state's page included). */
  writes: number
  /** Reads of documents made by another identity. */
  foreign_reads: number
}

export interface CostFigures {
  noop_all: RunCost
  one_file_push: RunCost & { calls_besides_writes: number }
  after_person_edit: RunCost & { reported: boolean }
  after_lost_state: RunCost
  after_lost_state_second: RunCost
}

const STATE_TITLE = 'feishu-wiki-sync state (do not edit)'

export function runCost(calls: RecordedCall[], foreignDocs: ReadonlySet<string>): RunCost {
  const docxReads = calls.filter((c) => c.method === 'GET' && c.route.startsWith('docx.'))
  return {
    calls: calls.length,
    listing_calls: calls.filter((c) => c.route === 'wiki.v2.spaceNode.list').length,
    docx_reads: docxReads.length,
    writes: calls.filter(isContentWrite).length,
    foreign_reads: docxReads.filter((c) => [...foreignDocs].some((d) => c.path.includes(d))).length,
  }
}

export async function measureCost(world: BenchWorld, tree: GeneratedTree, foreignDocs: ReadonlySet<string>, log: (m: string) => void): Promise<CostFigures> {
  const { feishu, spaceId, github, repo } = world.seeded
  const must = (run: Awaited<ReturnType<BenchWorld['run']>>, what: string) => {
    if (run.run.exitCode !== 0) throw new Error(`${what} failed (exit ${run.run.exitCode}):\n${run.run.stdout.slice(-4000)}\n${run.run.stderr.slice(-2000)}`)
    return run
  }

  log('cost: no-op all run')
  const noop = must(await world.run(), 'the no-op all run')

  log('cost: one-file push')
  const file = Object.keys(tree.files).filter((f) => f.endsWith('.md')).sort()[Math.floor(tree.docs / 2)]!
  const text = String(tree.files[file])
  world.writeFiles({ [file]: `${text}\nA paragraph added by a one-file push.\n` })
  github.addCommits(repo, 'cost-before', 'cost-after', [{ filename: file, status: 'modified' }])
  const push = must(await world.run({ inputs: { mode: 'auto' }, eventName: 'push', eventPayload: { before: 'cost-before', after: 'cost-after' } }), 'the one-file push')
  const pushCost = runCost(push.feishuCalls, foreignDocs)

  log('cost: a person edits one page in Feishu, then an all run')
  const pages = feishu.nodes(spaceId).filter((n) => n.creator !== 'ou_someone_else' && n.title !== STATE_TITLE && !foreignDocs.has(n.obj_token))
  const edited = pages[Math.floor(pages.length / 3)]!
  feishu.personEdit(edited.obj_token, (docs) =>
    docs.createChildren(edited.obj_token, edited.obj_token, { children: [{ block_type: 2, text: { elements: [{ text_run: { content: 'Added in Feishu.' } }] } }] } as never),
  )
  const afterEdit = must(await world.run(), 'the run after a person edit')
  const reported = afterEdit.run.summary.includes('edited in Feishu')

  log('cost: the state page is deleted, then two all runs')
  const stateNode = feishu.nodes(spaceId).find((n) => n.title === STATE_TITLE)
  if (!stateNode) throw new Error('no sync state page after the runs')
  const token = feishu.issueUserAccessToken()
  const res = await fetch(`${feishu.url}/open-apis/wiki/v2/spaces/${spaceId}/nodes/${stateNode.node_token}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ obj_type: 'wiki', include_children: true }),
  })
  if (!res.ok) throw new Error(`deleting the state page answered ${res.status}`)
  const lost = must(await world.run(), 'the run after the state was lost')
  const again = must(await world.run(), 'the second run after the state was lost')

  return {
    noop_all: runCost(noop.feishuCalls, foreignDocs),
    one_file_push: { ...pushCost, calls_besides_writes: pushCost.calls - pushCost.writes },
    after_person_edit: { ...runCost(afterEdit.feishuCalls, foreignDocs), reported },
    after_lost_state: runCost(lost.feishuCalls, foreignDocs),
    after_lost_state_second: runCost(again.feishuCalls, foreignDocs),
  }
}

/** 30 daily no-op runs and 150 one-file pushes: a month of the README's schedule plus five pushes a day. */
export function monthlyCalls(cost: CostFigures): number {
  return 30 * cost.noop_all.calls + 150 * cost.one_file_push.calls
}
