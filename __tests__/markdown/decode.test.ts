// Strict UTF-8: a file that is not valid UTF-8 is refused (never published as mojibake), with a message that
// names the file, the line of the first bad byte and the fix.
import { describe, expect, it } from 'vitest'
import { decodeUtf8Strict } from '../../src/markdown/decode.js'

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)))

describe('decodeUtf8Strict', () => {
  it('decodes UTF-8 and strips a BOM', () => {
    expect(decodeUtf8Strict(bytes([0xef, 0xbb, 0xbf], '# 标题\n'), 'docs/a.md')).toEqual({ ok: true, text: '# 标题\n' })
    expect(decodeUtf8Strict(bytes(''), 'docs/a.md')).toEqual({ ok: true, text: '' })
  })

  it('names the file, the line of the first bad byte, and says to save as UTF-8', () => {
    const result = decodeUtf8Strict(bytes('line one\nline two\nbad ', [0xff], ' here\n'), 'docs/guide/setup.md')
    expect(result).toEqual({
      ok: false,
      line: 3,
      message: expect.stringMatching(/^docs\/guide\/setup\.md is not valid UTF-8: byte 0xFF on line 3 .*Save it as UTF-8\.$/),
    })
  })

  it('recognizes GBK/GB18030 text', () => {
    // "中文标题" encoded as GBK.
    const result = decodeUtf8Strict(bytes('# ', [0xd6, 0xd0, 0xce, 0xc4, 0xb1, 0xea, 0xcc, 0xe2], '\n'), 'zh.md')
    expect(result.ok).toBe(false)
    expect(!result.ok && result.message).toMatch(/line 1 .*Save it as UTF-8; it looks like GBK\/GB18030\.$/)
  })

  it('recognizes UTF-16 by its byte order mark', () => {
    const result = decodeUtf8Strict(bytes([0xff, 0xfe, 0x23, 0x00, 0x0a, 0x00]), 'u16.md')
    expect(!result.ok && result.message).toMatch(/it looks like UTF-16\.$/)
  })

  it('rejects overlong forms, surrogates and truncated sequences at the right line', () => {
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe4, 0xb8]]) {
      const result = decodeUtf8Strict(bytes('ok\n\n', bad), 'x.md')
      expect(result).toMatchObject({ ok: false, line: 3 })
    }
  })

  it('Latin-1 text gets no encoding guess', () => {
    const result = decodeUtf8Strict(bytes('caf', [0xe9], '\n'), 'fr.md')
    expect(!result.ok && result.message).toMatch(/Save it as UTF-8\.$/)
  })

  it('a file mostly of NUL bytes (UTF-16 without BOM, a binary) is refused by name; a few NULs are left to the converter', () => {
    const utf16 = decodeUtf8Strict(new Uint8Array(Buffer.from('# Notes\n\nSaved as UTF-16.\n', 'utf16le')), 'docs/u16.md')
    expect(utf16.ok).toBe(false)
    expect(!utf16.ok && utf16.message).toMatch(/^docs\/u16\.md looks like a binary file.*UTF-16 without a byte-order mark/)
    expect(decodeUtf8Strict(bytes('# T\n\nabc', [0], 'de\n'), 'docs/a.md')).toEqual({ ok: true, text: '# T\n\nabc\u0000de\n' })
  })
})
