import { describe, expect, it } from 'vitest'
import { realClock } from '../../emulator/core/clock.js'
import { DocumentStore } from '../../emulator/feishu/docx/store.js'
import type { Block } from '../../src/blocks/model.js'
import { buildMarkerBlocks, markerLabel, markerUrl, type Provenance, readMarker } from '../../src/sync/remote/marker.js'

/** Write the marker through the emulator's document store and read the first child subtree back. */
function roundTrip(p: Provenance, mutate?: (blocks: Block[]) => void): Provenance | undefined {
  let n = 0
  const store = new DocumentStore({ clock: realClock, newId: (prefix) => `${prefix}${++n}` })
  store.createDocument('doc', 'T')
  store.createDescendants('doc', 'doc', buildMarkerBlocks(p))
  const blocks = store.listBlocks('doc', 500).items as Block[]
  const subtree = structuredClone(blocks.slice(1))
  mutate?.(subtree)
  return readMarker(subtree)
}

const base: Provenance = {
  repoPath: 'docs/guide.md',
  sourceUrl: 'https://github.com/acme/widgets/blob/main/docs/guide.md',
  contentHash: '0123456789abcdef0123456789abcdef',
}

describe('provenance marker', () => {
  it('round-trips through the read shape of the emulator', () => {
    expect(roundTrip(base)).toEqual(base)
  })

  it('round-trips the image table and awkward paths', () => {
    const p: Provenance = {
      repoPath: 'docs/a b/ünï ç#?&=.md',
      sourceUrl: 'https://github.com/acme/widgets/blob/feature/x/docs/a%20b/%C3%BCn%C3%AF%20%C3%A7%23%3F%26%3D.md',
      contentHash: 'ffffffffffffffffffffffffffffffff',
      images: { boxcnAAAA: '0011223344556677', boxcnBBBB: '8899aabbccddeeff' },
    }
    expect(roundTrip(p)).toEqual(p)
  })

  it('round-trips whiteboard ids beside file tokens, and the diagrams Feishu refused with their codes', () => {
    const p: Provenance = {
      ...base,
      images: { boxcnAAAA: '0011223344556677', J1GmwmBV2hbGupbFpSrcWCahnMd: 'aabbccddeeff0011' },
      refused: { '0123456789abcdef': 2890002, fedcba9876543210: 2890001 },
    }
    expect(roundTrip(p)).toEqual(p)
    expect(markerUrl(p)).toContain('&refused=0123456789abcdef.2890002%2Cfedcba9876543210.2890001')
  })

  it('reads a link the server hands back decoded', () => {
    const decoded = roundTrip(base, (blocks) => {
      const text = blocks[1]!.text as { elements: { text_run: { text_element_style?: { link?: { url: string } } } }[] }
      const link = text.elements[1]!.text_run.text_element_style!.link!
      link.url = decodeURIComponent(link.url)
    })
    expect(decoded).toEqual(base)
  })

  it('is the same for the same provenance and shows no hash, SHA or time in its text', () => {
    expect(buildMarkerBlocks(base)).toEqual(buildMarkerBlocks({ ...base }))
    const text = JSON.stringify(buildMarkerBlocks(base).descendants[1]!.text)
    expect(text).toContain('"content":"Synced from "')
    expect(text).toContain('"content":"acme/widgets/docs/guide.md"')
    expect(markerLabel(base)).toBe('acme/widgets/docs/guide.md')
    // The hash only lives in the (percent-encoded) link.
    expect(markerUrl(base)).toBe(`${base.sourceUrl}?feishu_wiki_sync=${base.contentHash}&path=docs%2Fguide.md`)
  })

  it('ignores blocks that are not our marker', () => {
    expect(readMarker([])).toBeUndefined()
    expect(readMarker([{ block_id: 'a', block_type: 2, text: { elements: [{ text_run: { content: 'Hello' } }] } }])).toBeUndefined()
    const foreignCallout: Block[] = [
      { block_id: 'c', block_type: 19, callout: {}, children: ['t'] },
      { block_id: 't', block_type: 2, text: { elements: [{ text_run: { content: 'see', text_element_style: { link: { url: 'https%3A%2F%2Fexample.com%2F' } } } }] } },
    ]
    expect(readMarker(foreignCallout)).toBeUndefined()
    expect(roundTrip(base, (blocks) => blocks.reverse())).toBeUndefined()
  })
})
