// saveState / restoreState: an emulator restored from another's saved state answers as that one would have
// at the time of saving, and the two go their own ways afterwards.
import sodium from 'libsodium-wrappers'
import { afterEach, describe, expect, it } from 'vitest'
import { type SeededWorld, startSeededWorld } from '../../emulator/seed.js'
import { FeishuHttp } from './feishu-http.js'

const worlds: SeededWorld[] = []
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.close()))
})
const start = async () => {
  const world = await startSeededWorld()
  worlds.push(world)
  return world
}

describe('emulator state', () => {
  it('a restored Feishu emulator keeps tokens, nodes and documents, and is independent of the original', async () => {
    const a = await start()
    const token = a.feishu.issueUserAccessToken()
    const created = await new FeishuHttp(a.feishu.url, token).send('POST', `/open-apis/wiki/v2/spaces/${a.spaceId}/nodes`, {
      obj_type: 'docx',
      node_type: 'origin',
      title: 'Saved page',
    })
    expect(created.body.code).toBe(0)
    const live = a.feishu.liveRefreshToken()
    const saved = a.feishu.saveState()

    const b = await start()
    b.feishu.restoreState(saved)
    expect(b.feishu.liveRefreshToken()).toBe(live)
    expect(b.feishu.nodes(a.spaceId)).toEqual(a.feishu.nodes(a.spaceId))
    const objToken = created.body.data.node.obj_token as string
    expect(b.feishu.docs.render(objToken)).toBe(a.feishu.docs.render(objToken))
    // The access token issued before saving opens the restored emulator's API.
    const listed = await new FeishuHttp(b.feishu.url, token).send('GET', `/open-apis/wiki/v2/spaces/${a.spaceId}/nodes`)
    expect(listed.body.code).toBe(0)
    expect(listed.body.data.items.map((n: { title: string }) => n.title)).toEqual(['Saved page'])

    b.feishu.createNode(a.spaceId, { title: 'Only in b' })
    expect(b.feishu.nodes(a.spaceId)).toHaveLength(2)
    expect(a.feishu.nodes(a.spaceId)).toHaveLength(1)
    // One saved state restores into any number of emulators.
    const c = await start()
    c.feishu.restoreState(saved)
    expect(c.feishu.nodes(a.spaceId)).toHaveLength(1)
  })

  it('a restored GitHub emulator keeps its sealing keys and secrets', async () => {
    const a = await start()
    const saved = a.github.saveState()
    const b = await start()
    b.github.restoreState(saved)
    expect(b.github.publicKey(a.repo, a.environment)).toEqual(a.github.publicKey(a.repo, a.environment))

    // A secret sealed with the saved public key is stored and opened by the restored emulator.
    await sodium.ready
    const { key, key_id } = b.github.publicKey(a.repo, a.environment)
    const sealed = sodium.to_base64(sodium.crypto_box_seal('value-for-b', sodium.from_base64(key, sodium.base64_variants.ORIGINAL)), sodium.base64_variants.ORIGINAL)
    const { owner, name } = { owner: a.repo.split('/')[0], name: a.repo.split('/')[1] }
    const res = await fetch(`${b.github.url}/repos/${owner}/${name}/environments/${a.environment}/secrets/FEISHU_REFRESH_TOKEN`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${b.githubToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ encrypted_value: sealed, key_id }),
    })
    expect(res.status).toBe(201)
    expect(b.github.secretValue(a.repo, 'FEISHU_REFRESH_TOKEN', a.environment)).toBe('value-for-b')
    expect(a.github.secretValue(a.repo, 'FEISHU_REFRESH_TOKEN', a.environment)).toBeUndefined()
  })
})
