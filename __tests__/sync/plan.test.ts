import { describe, expect, it } from 'vitest'
import type { WikiNode } from '../../src/feishu/wiki.js'
import { type Changes, type RemoteNode, type RemoteTree, halfCap, nextHighWater, planSync } from '../../src/sync/plan/plan.js'
import { type LoadedFile, archiveKey, buildDocsTree } from '../../src/sync/source/tree.js'
import type { OnDelete } from '../../src/settings.js'
import { canSkipRead, contentToCompare, remoteEditVerdict } from '../../src/sync/plan/content.js'
import { firstBlockChoice } from '../../src/sync/plan/reads.js'

const ROOT = 'wikROOT'
const ARCHIVE = archiveKey('docs')

interface NodeSpec {
  token: string
  title: string
  /** Owned: the marker key. */
  key?: string
  parent?: string
  empty?: boolean
  duplicate?: boolean
  objType?: string
  creator?: string
  /** Its first block could not be read: the error. */
  unreadable?: string
}

function makeRemote(specs: NodeSpec[]): RemoteTree {
  const byToken = new Map<string, RemoteNode>()
  const parentOf = new Map<string, string>()
  const owned = new Map<string, RemoteNode>()
  const duplicates: RemoteNode[] = []
  const rootChildren: RemoteNode[] = []
  for (const s of specs) {
    const node: WikiNode = {
      space_id: 'sp',
      node_token: s.token,
      obj_token: `doc_${s.token}`,
      obj_type: s.objType ?? 'docx',
      parent_node_token: s.parent ?? ROOT,
      node_type: 'origin',
      has_child: specs.some((c) => c.parent === s.token),
      title: s.title,
      node_creator: s.creator ?? (s.key ? 'ou_us' : 'ou_someone'),
    }
    const rn: RemoteNode = {
      node,
      ...(s.key ? { marker: { repoPath: s.key, sourceUrl: 'https://github.com/o/r/blob/main/x', contentHash: 'h' } } : {}),
      ...(s.key && !s.duplicate ? { key: s.key } : {}),
      ...(s.empty !== undefined ? { empty: s.empty } : {}),
      ...(s.unreadable ? { unreadable: s.unreadable } : {}),
    }
    byToken.set(s.token, rn)
    parentOf.set(s.token, node.parent_node_token)
    if (s.key && !s.duplicate) owned.set(s.key, rn)
    if (s.duplicate) duplicates.push(rn)
  }
  for (const rn of byToken.values()) {
    const parent = rn.node.parent_node_token
    if (parent === ROOT) rootChildren.push(rn)
    else {
      const p = byToken.get(parent)!
      ;(p.children ??= []).push(rn)
    }
  }
  for (const rn of byToken.values()) if (rn.key && !rn.children) rn.children = []
  return { rootToken: ROOT, rootChildren, owned, byToken, parentOf, duplicates, ownCreators: new Set(['ou_us']), copiedMarkers: [], scanState: { loaded: { status: 'missing' } }, complete: true }
}

const f = (relPath: string, extra: Partial<LoadedFile> = {}): LoadedFile => ({
  relPath,
  repoPath: `docs/${relPath}`,
  title: extra.title ?? relPath.replace(/\.md$/, '').split('/').pop(),
  ...extra,
})

function plan(files: LoadedFile[], specs: NodeSpec[], onDelete: OnDelete = 'report', changes?: Partial<Changes>) {
  return planSync({
    tree: buildDocsTree('docs', files),
    remote: makeRemote(specs),
    onDelete,
    archiveKey: ARCHIVE,
    changes: changes ? { changed: new Set(), renames: new Map(), removed: new Set(), ...changes } : undefined,
  })
}

const summary = (p: ReturnType<typeof plan>) =>
  Object.fromEntries(
    p.pages.map((x) => [
      x.key,
      [
        x.failure ? 'failed' : x.create ? 'create' : x.adopted ? 'adopt' : 'keep',
        ...(x.move ? ['move'] : []),
        ...(x.retitle ? [`retitle:${x.retitle.to}`] : []),
        ...(x.renamedFrom ? [`from:${x.renamedFrom}`] : []),
      ].join(' '),
    ]),
  )

describe('planSync: tree mapping', () => {
  it('creates every page of a first publish, parents before children, siblings in order', () => {
    const p = plan([f('b.md'), f('a.md', { order: 1 }), f('g/index.md', { title: 'G' }), f('g/x.md')], [])
    expect(p.pages.map((x) => x.key)).toEqual(['docs/a.md', 'docs/b.md', 'docs/g/', 'docs/g/x.md'])
    expect(p.pages.every((x) => x.create)).toBe(true)
    expect(p.removals).toEqual([])
    expect(p.stop).toBeUndefined()
  })

  it('keeps owned nodes by key and changes nothing when all is in place', () => {
    const p = plan(
      [f('a.md'), f('g/x.md')],
      [
        { token: 'A', title: 'a', key: 'docs/a.md' },
        { token: 'G', title: 'g', key: 'docs/g/' },
        { token: 'X', title: 'x', key: 'docs/g/x.md', parent: 'G' },
      ],
    )
    expect(summary(p)).toEqual({ 'docs/a.md': 'keep', 'docs/g/': 'keep', 'docs/g/x.md': 'keep' })
    expect(p.ownedCount).toBe(3)
  })

  it('moves a page whose file moved folders and retitles a page whose title changed', () => {
    const p = plan(
      [f('g/a.md', { title: 'New A' }), f('g/x.md')],
      [
        { token: 'A', title: 'a', key: 'docs/g/a.md' },
        { token: 'G', title: 'g', key: 'docs/g/' },
        { token: 'X', title: 'x', key: 'docs/g/x.md', parent: 'G' },
      ],
    )
    expect(summary(p)['docs/g/a.md']).toBe('keep move retitle:New A')
  })
})

describe('planSync: ownership and collisions', () => {
  it('fails a new page whose title a foreign sibling has, with guidance, and never touches the foreign page', () => {
    const p = plan([f('a.md', { title: 'Install' }), f('b.md')], [{ token: 'F', title: 'Install' }])
    expect(summary(p)).toEqual({ 'docs/a.md': 'failed', 'docs/b.md': 'create' })
    expect(p.pages[0]!.failure).toMatch(/"Install".*not created by feishu-wiki-sync.*docs\/a\.md/)
    expect(p.removals).toEqual([])
  })

  it('fails a new page whose title a sibling with an unreadable first block has, naming the read and not a foreign page', () => {
    const error = 'docx.documentBlock.list failed: HTTP 503, upstream connect error'
    const p = plan([f('a.md', { title: 'Install' }), f('b.md')], [{ token: 'U', title: 'Install', creator: 'ou_us', unreadable: error }])
    expect(summary(p)).toEqual({ 'docs/a.md': 'failed', 'docs/b.md': 'create' })
    expect(p.pages[0]!.failure).toContain(error)
    expect(p.pages[0]!.failure).toMatch(/"Install".*could not be read.*docs\/a\.md was not published/)
    expect(p.pages[0]!.failure).not.toContain('not created by')
    expect(p.removals).toEqual([])
  })

  it('creates no page beside an unreadable page of our identity whose title no file has (it may be a retitled page of ours)', () => {
    const error = 'docx.documentBlock.list failed: HTTP 503, upstream connect error'
    const specs: NodeSpec[] = [{ token: 'U', title: 'Beta', creator: 'ou_us', unreadable: error }, { token: 'A', title: 'Alpha', key: 'docs/a.md' }]
    const p = plan([f('a.md', { title: 'Alpha' }), f('b.md', { title: 'Beta renamed' })], specs)
    expect(summary(p)).toEqual({ 'docs/a.md': 'keep', 'docs/b.md': 'failed' })
    expect(p.pages[1]!.failure).toMatch(/"Beta".*could not be read.*earlier title.*docs\/b\.md was not published/)
    // Someone else's unreadable page is not ours to worry about.
    const foreign = plan([f('a.md', { title: 'Alpha' }), f('b.md', { title: 'Beta renamed' })], [{ ...specs[0]!, creator: 'ou_someone' }, specs[1]!])
    expect(summary(foreign)).toEqual({ 'docs/a.md': 'keep', 'docs/b.md': 'create' })
  })

  it('adopts an empty docx with exactly the title made by our identity (a create whose answer was lost)', () => {
    const p = plan([f('a.md', { title: 'Install' }), f('b.md', { title: 'Install' })], [{ token: 'E', title: 'Install', empty: true, creator: 'ou_us' }])
    // Once adopted the page is ours: a second file with the same title is no collision.
    expect(summary(p)).toEqual({ 'docs/a.md': 'adopt', 'docs/b.md': 'create' })
  })

  it('does not adopt an empty page someone else made', () => {
    const p = plan([f('a.md', { title: 'Install' })], [{ token: 'E', title: 'Install', empty: true, creator: 'ou_someone' }])
    expect(summary(p)).toEqual({ 'docs/a.md': 'failed' })
  })

  it('fails the children of a folder page that could not be created', () => {
    const p = plan([f('g/index.md', { title: 'Guide' }), f('g/x.md')], [{ token: 'F', title: 'Guide' }])
    expect(summary(p)).toEqual({ 'docs/g/': 'failed', 'docs/g/x.md': 'failed' })
    expect(p.pages[1]!.failure).toMatch(/parent page "Guide"/)
  })

  it('treats foreign nodes and copies of our pages as not ours', () => {
    const p = plan(
      [f('a.md')],
      [
        { token: 'A', title: 'a', key: 'docs/a.md' },
        { token: 'A2', title: 'a (copy)', key: 'docs/a.md', duplicate: true },
        { token: 'F', title: 'Notes' },
      ],
      'delete',
    )
    expect(summary(p)).toEqual({ 'docs/a.md': 'keep' })
    expect(p.removals).toEqual([])
    expect(p.notes.join()).toMatch(/copy of another page's sync marker/)
  })

  it('leaves a failed file page (not UTF-8) where it is, and never treats it as removed', () => {
    const p = plan([f('a.md', { error: 'not valid UTF-8', title: undefined }), f('g/b.md')], [
      { token: 'A', title: 'Old A', key: 'docs/a.md', parent: 'G' },
      { token: 'G', title: 'g', key: 'docs/g/' },
    ], 'delete')
    expect(summary(p)['docs/a.md']).toBe('failed')
    expect(p.removals).toEqual([])
  })
})

describe('planSync: renames', () => {
  const owned = [
    { token: 'G', title: 'g', key: 'docs/g/' },
    { token: 'A', title: 'a', key: 'docs/g/a.md', parent: 'G' },
    { token: 'B', title: 'b', key: 'docs/g/b.md', parent: 'G' },
  ]

  it('keeps the node of a renamed file (retitled, no new page, nothing removed)', () => {
    const p = plan([f('g/renamed.md'), f('g/b.md')], owned, 'delete', { renames: new Map([['docs/g/renamed.md', 'docs/g/a.md']]) })
    expect(summary(p)['docs/g/renamed.md']).toBe('keep retitle:renamed from:docs/g/a.md')
    expect(p.pages.find((x) => x.key === 'docs/g/renamed.md')!.existing!.node.node_token).toBe('A')
    expect(p.removals).toEqual([])
  })

  it('moves a file renamed into another folder', () => {
    const p = plan([f('h/a.md', { title: 'a' }), f('g/b.md')], owned, 'report', { renames: new Map([['docs/h/a.md', 'docs/g/a.md']]) })
    expect(summary(p)).toMatchObject({ 'docs/h/': 'create', 'docs/h/a.md': 'keep move from:docs/g/a.md' })
  })

  it('keeps a renamed folder node, and its children stay under it', () => {
    const p = plan([f('manual/a.md'), f('manual/b.md')], owned, 'delete', {
      renames: new Map([
        ['docs/manual/a.md', 'docs/g/a.md'],
        ['docs/manual/b.md', 'docs/g/b.md'],
      ]),
    })
    expect(summary(p)).toEqual({
      'docs/manual/': 'keep retitle:manual from:docs/g/',
      'docs/manual/a.md': 'keep from:docs/g/a.md',
      'docs/manual/b.md': 'keep from:docs/g/b.md',
    })
    expect(p.removals).toEqual([])
  })

  it('without compare information, a rename is a removal plus a new page', () => {
    const p = plan([f('g/renamed.md'), f('g/b.md')], owned, 'report')
    expect(summary(p)['docs/g/renamed.md']).toBe('create')
    expect(p.removals.map((r) => [r.key, r.action])).toEqual([['docs/g/a.md', 'report']])
  })
})

describe('planSync: removals and the safety cap', () => {
  const many = (n: number): NodeSpec[] => Array.from({ length: n }, (_, i) => ({ token: `N${i}`, title: `p${i}`, key: `docs/p${i}.md` }))
  const filesFor = (n: number, skip: number[]) =>
    Array.from({ length: n }, (_, i) => i)
      .filter((i) => !skip.includes(i))
      .map((i) => f(`p${i}.md`))

  it('follows on-delete for a removed file', () => {
    for (const onDelete of ['report', 'archive', 'delete'] as const) {
      const p = plan(filesFor(4, [3]), many(4), onDelete, { removed: new Set(['docs/p3.md']) })
      expect(p.removals).toMatchObject([{ key: 'docs/p3.md', action: onDelete, topMost: true, reason: 'docs/p3.md was removed' }])
      expect(p.stop).toBeUndefined()
    }
  })

  it('removes a folder with its pages in one call on the folder node', () => {
    const p = plan(
      [f('keep.md')],
      [
        { token: 'K', title: 'keep', key: 'docs/keep.md' },
        { token: 'K2', title: 'k2', key: 'docs/k2.md' },
        { token: 'K3', title: 'k3', key: 'docs/k3.md' },
        { token: 'G', title: 'g', key: 'docs/g/' },
        { token: 'A', title: 'a', key: 'docs/g/a.md', parent: 'G' },
      ].filter((s) => s.token !== 'K2' && s.token !== 'K3').concat([
        { token: 'K4', title: 'k4', key: 'docs/k4.md' },
        { token: 'K5', title: 'k5', key: 'docs/k5.md' },
      ]),
      'delete',
    )
    // keep.md stays; k4, k5, g/ and g/a.md go: 4 of 5 → the cap stops the run.
    expect(p.stop).toMatch(/delete 4 of the 5 pages/)
  })

  it('deletes a removed folder with its subtree when every page under it is ours', () => {
    const p = plan(filesFor(6, []), [
      ...many(6),
      { token: 'G', title: 'g', key: 'docs/g/' },
      { token: 'A', title: 'a', key: 'docs/g/a.md', parent: 'G' },
    ], 'delete')
    expect(p.removals.map((r) => [r.key, r.action, r.topMost, r.carriedBy])).toEqual([
      ['docs/g/', 'delete', true, undefined],
      ['docs/g/a.md', 'delete', false, 'docs/g/'],
    ])
  })

  it('archives instead of deleting when a foreign page lives under a removed page', () => {
    const p = plan(filesFor(6, []), [
      ...many(6),
      { token: 'G', title: 'g', key: 'docs/g/' },
      { token: 'F', title: 'Meeting notes', parent: 'G' },
    ], 'delete')
    expect(p.removals).toMatchObject([{ key: 'docs/g/', action: 'archive', reason: expect.stringMatching(/archived instead of deleted.*"Meeting notes"/) }])
  })

  it('moves a page that stays out of a removed folder before removing it', () => {
    const p = plan([...filesFor(6, []), f('a.md')], [
      ...many(6),
      { token: 'G', title: 'g', key: 'docs/g/' },
      { token: 'A', title: 'a', key: 'docs/a.md', parent: 'G' },
    ], 'delete')
    expect(summary(p)['docs/a.md']).toBe('keep move')
    expect(p.removals).toMatchObject([{ key: 'docs/g/', action: 'delete' }])
  })

  it('leaves a removed folder in place when a page that cannot move lives under it', () => {
    const p = plan([...filesFor(6, []), f('a.md', { error: 'not valid UTF-8', title: undefined })], [
      ...many(6),
      { token: 'G', title: 'g', key: 'docs/g/' },
      { token: 'A', title: 'a', key: 'docs/a.md', parent: 'G' },
    ], 'delete')
    expect(p.removals).toMatchObject([{ key: 'docs/g/', action: 'report', reason: expect.stringMatching(/left in place/) }])
  })

  it('stops before any write when more than half of the owned pages would go (a wrong path)', () => {
    const p = plan([f('other.md')], many(4), 'archive')
    expect(p.stop).toMatch(/archive 4 of the 4 pages/)
    expect(plan(filesFor(4, [0, 1]), many(4), 'archive').stop).toBeUndefined() // exactly half: allowed
    expect(plan(filesFor(4, [0, 1, 2]), many(4), 'archive').stop).toBeDefined()
    expect(plan([f('other.md')], many(4), 'report').stop).toBeUndefined() // report removes nothing
  })

  it('counts the half cap against the high-water mark, so small runs cannot ratchet the wiki down', () => {
    const withMark = (files: LoadedFile[], owned: number, mark: number | undefined) =>
      planSync({ tree: buildDocsTree('docs', files), remote: makeRemote(many(owned)), onDelete: 'archive', archiveKey: ARCHIVE, ...(mark !== undefined ? { ownedHighWater: mark } : {}) })
    // 3 owned now, the state remembers 6: removing 1 leaves 2 of 6.
    expect(withMark(filesFor(3, [0]), 3, undefined).stop).toBeUndefined()
    expect(withMark(filesFor(3, [0]), 3, 6).stop).toMatch(/Counted against the 6 pages it owned at its most/)
    expect(withMark(filesFor(3, []), 3, 6).stop).toBeUndefined() // nothing removed: no cap
    expect(halfCap(3, 0, 6)).toEqual({ lost: 3, of: 6 })
    expect(halfCap(4, 2, undefined)).toEqual({ lost: 2, of: 4 })
    expect(nextHighWater(6, 3, false)).toBe(6)
    expect(nextHighWater(6, 8, false)).toBe(8)
    expect(nextHighWater(6, 1, true)).toBe(1)
    expect(nextHighWater(undefined, 4, false)).toBe(4)
  })

  it('does not count or remove the archive page', () => {
    const p = plan(filesFor(2, []), [...many(2), { token: 'AR', title: 'Archived', key: ARCHIVE }], 'archive')
    expect(p.ownedCount).toBe(2)
    expect(p.removals).toEqual([])
  })
})

describe('what a run reads and writes (plan/content.ts, plan/reads.ts): pure decisions', () => {
  const changed = (p: Partial<Changes>): Changes => ({ changed: new Set(), renames: new Map(), removed: new Set(), ...p })
  const compare = (files: LoadedFile[], specs: NodeSpec[], changes?: Changes, links: Record<string, string[]> = {}, repoLinks: Record<string, string[]> = {}) => {
    const remote = makeRemote(specs)
    const p = planSync({ tree: buildDocsTree('docs', files), remote, onDelete: 'archive', archiveKey: ARCHIVE, ...(changes ? { changes } : {}) })
    return contentToCompare({
      plan: p,
      ...(changes ? { changes } : {}),
      parentOf: (token) => remote.parentOf.get(token),
      linkTargets: (key) => new Set(links[key] ?? []),
      linkedRepoPaths: (key) => repoLinks[key] ?? [],
    })
  }
  const owned = [
    { token: 'A', title: 'a', key: 'docs/a.md' },
    { token: 'B', title: 'b', key: 'docs/b.md' },
    { token: 'C', title: 'c', key: 'docs/c.md' },
  ]

  it('compares every page in `all` mode, and in `changed` mode what the push touched, new pages and pages linking to a page that appears or goes', () => {
    expect(compare([f('a.md'), f('b.md'), f('c.md')], owned)).toEqual(new Set(['docs/a.md', 'docs/b.md', 'docs/c.md']))
    expect(compare([f('a.md'), f('b.md'), f('c.md')], owned, changed({ changed: new Set(['docs/b.md']) }))).toEqual(new Set(['docs/b.md']))
    // d.md is new: compared; a.md links to it (its link turns from GitHub into the wiki): compared too.
    expect(compare([f('a.md'), f('b.md'), f('c.md'), f('d.md')], owned, changed({ changed: new Set(['docs/d.md']) }), { 'docs/a.md': ['docs/d.md'] })).toEqual(
      new Set(['docs/a.md', 'docs/d.md']),
    )
    // c.md was removed: b.md, which links to the file, is compared (its link now reaches GitHub's 404 or nothing).
    expect(compare([f('a.md'), f('b.md')], owned, changed({ removed: new Set(['docs/c.md']) }), {}, { 'docs/b.md': ['docs/c.md'] })).toEqual(new Set(['docs/b.md']))
  })

  it('skips the read of a page only when the sync state vouches for it', () => {
    const state = { node: 'A', doc: 'doc_A', parent: ROOT, title: 'a', edit: '100', source: 'fp1' }
    const page = { created: false, state, editedSince: false, sameDocument: true, source: 'fp1' }
    expect(canSkipRead(page)).toBe(true)
    expect(canSkipRead({ ...page, created: true })).toBe(false)
    expect(canSkipRead({ ...page, state: undefined })).toBe(false)
    expect(canSkipRead({ ...page, state: { ...state, heal: true } })).toBe(false)
    expect(canSkipRead({ ...page, editedSince: true })).toBe(false)
    expect(canSkipRead({ ...page, sameDocument: false })).toBe(false)
    expect(canSkipRead({ ...page, source: 'fp2' })).toBe(false)
  })

  it('on-remote-edit: only a content edit triggers keep or fail; a comment is told from it by one compare (probe)', () => {
    expect(remoteEditVerdict('keep', { editedSince: false })).toBe('write')
    expect(remoteEditVerdict('fail', { editedSince: true, heal: true })).toBe('write') // our own half-written page
    expect(remoteEditVerdict('overwrite', { editedSince: true })).toBe('write')
    expect(remoteEditVerdict('keep', { editedSince: true })).toBe('probe')
    expect(remoteEditVerdict('keep', { editedSince: true, contentEdited: false })).toBe('write') // a comment, a resize
    expect(remoteEditVerdict('keep', { editedSince: true, contentEdited: true })).toBe('keep')
    expect(remoteEditVerdict('fail', { editedSince: true, contentEdited: true })).toBe('fail')
  })

  it('reads a listed page for its marker only when the state does not know it and it may be ours', () => {
    expect(firstBlockChoice({ stateNamesIt: true, createdBySelf: true, selfKnown: true })).toBe('from-state')
    expect(firstBlockChoice({ stateNamesIt: true, createdBySelf: false, selfKnown: true })).toBe('not-ours') // same tokens, another creator
    expect(firstBlockChoice({ stateNamesIt: false, createdBySelf: false, selfKnown: true })).toBe('not-ours')
    expect(firstBlockChoice({ stateNamesIt: false, createdBySelf: true, selfKnown: true })).toBe('read')
    expect(firstBlockChoice({ stateNamesIt: false, createdBySelf: true, selfKnown: false })).toBe('read') // who we are is unknown: the marker decides
  })
})
