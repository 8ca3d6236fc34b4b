// saveState: the sync state page's create has no idempotency token, so a lost answer is followed by a look under
// parent-node before sending it again; an existing page whose code blocks fit is rewritten in one batch_update.
// (Found by the 2,000-page bench: after the state was lost, the create after the long scan met a closed
// connection, the state was never saved again, and every later run read all 2,028 pages.)
import { describe, expect, it } from 'vitest'
import type { Block } from '../../src/blocks/model.js'
import { FeishuError } from '../../src/feishu/client.js'
import type { DocxApi } from '../../src/feishu/docx.js'
import type { WikiApi, WikiNode } from '../../src/feishu/wiki.js'
import { STATE_TITLE, type SyncState, parseState, saveState } from '../../src/sync/remote/state.js'

const node = (token: string, creator = 'ou_us'): WikiNode => ({
  space_id: 'sp',
  node_token: token,
  obj_token: `doc_${token}`,
  obj_type: 'docx',
  parent_node_token: 'ROOT',
  node_type: 'origin',
  has_child: false,
  title: STATE_TITLE,
  node_creator: creator,
  node_create_time: '1',
})

function fakes(options: { createFails: number; listed?: WikiNode[] }) {
  const calls: string[] = []
  let failures = options.createFails
  const wiki = {
    createNode: async () => {
      calls.push('create')
      if (failures-- > 0) throw new FeishuError('no answer (UND_ERR_SOCKET)', undefined, undefined, 'wiki.spaceNode.create', undefined, true)
      return node('NEW')
    },
    listChildren: async () => {
      calls.push('list')
      return options.listed ?? []
    },
  } as unknown as WikiApi
  const written: Block[] = []
  const docx = {
    createChildren: async (_doc: string, _parent: string, children: Block[]) => {
      calls.push('children')
      written.push(...children)
      return {}
    },
    batchDelete: async () => {
      calls.push('delete')
      return {}
    },
    batchUpdate: async (_doc: string, requests: unknown[]) => {
      calls.push(`batch_update ${requests.length}`)
      return {}
    },
  } as unknown as DocxApi
  return { wiki, docx, calls, written }
}

const build = (document: string): SyncState => ({ version: 1, repository: 'o/r', space: 'sp', root: 'ROOT', document, pages: {} })

describe('saveState', () => {
  it('sends the state page create again after a lost answer when no state page was made', async () => {
    const f = fakes({ createFails: 1 })
    const saved = await saveState(f.wiki, f.docx, { spaceId: 'sp', rootToken: 'ROOT', build, self: 'ou_us' })
    expect(f.calls).toEqual(['create', 'list', 'create', 'children'])
    expect(saved.node.node_token).toBe('NEW')
  })

  it('takes the page a lost create made (ours, by creator) instead of making a second one', async () => {
    const f = fakes({ createFails: 1, listed: [node('SOMEONE', 'ou_someone'), node('MADE')] })
    const saved = await saveState(f.wiki, f.docx, { spaceId: 'sp', rootToken: 'ROOT', build, self: 'ou_us' })
    expect(f.calls).toEqual(['create', 'list', 'children'])
    expect(saved.node.node_token).toBe('MADE')
    const code = f.written.find((b) => b.block_type === 14) as unknown as { code: { elements: { text_run: { content: string } }[] } }
    expect(parseState(code.code.elements[0]!.text_run.content).state?.document).toBe('doc_MADE')
  })

  it('rewrites an existing state in place, one call, when the new one needs as many code blocks', async () => {
    const f = fakes({ createFails: 0 })
    await saveState(f.wiki, f.docx, { spaceId: 'sp', rootToken: 'ROOT', existing: node('OLD'), previousText: 'old', previousBlocks: 2, previousCodeBlocks: ['code1'], build })
    expect(f.calls).toEqual(['batch_update 1'])
    // More blocks on the page than intro + code: the new state goes above, the old is deleted.
    const g = fakes({ createFails: 0 })
    await saveState(g.wiki, g.docx, { spaceId: 'sp', rootToken: 'ROOT', existing: node('OLD'), previousText: 'old', previousBlocks: 3, previousCodeBlocks: ['code1'], build })
    expect(g.calls).toEqual(['children', 'delete'])
  })
})
