// Strict UTF-8 decoding of a source file: a file that is not valid UTF-8 is refused with a message that names the
// file, the line of the first bad byte and the fix, instead of being published as mojibake.

export type DecodeResult = { ok: true; text: string } | { ok: false; message: string; line: number }

const UTF8_BOM = [0xef, 0xbb, 0xbf]

export function decodeUtf8Strict(bytes: Uint8Array, path: string): DecodeResult {
  const body = UTF8_BOM.every((byte, i) => bytes[i] === byte) ? bytes.subarray(UTF8_BOM.length) : bytes
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) }
  } catch {
    const offset = firstInvalidByte(body)
    const line = lineOf(body, offset)
    const byte = body[offset]!.toString(16).toUpperCase().padStart(2, '0')
    return {
      ok: false,
      line,
      message:
        `${path} is not valid UTF-8: byte 0x${byte} on line ${line} is not part of a UTF-8 character, ` +
        `so the file was not published (it would show as garbled text). Save it as UTF-8${encodingHint(bytes)}.`,
    }
  }
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629, table 3-7 of Unicode). */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i)
    if (length === 0) return i
    i += length
  }
  return Math.max(0, bytes.length - 1)
}

/** Length of the well-formed sequence starting at `i`, or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!
  if (lead < 0x80) return 1
  const continuation = (at: number, min = 0x80, max = 0xbf) => {
    const byte = bytes[at]
    return byte !== undefined && byte >= min && byte <= max
  }
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(i + 1) ? 2 : 0
  if (lead >= 0xe0 && lead <= 0xef) {
    const min = lead === 0xe0 ? 0xa0 : 0x80 // no overlong forms
    const max = lead === 0xed ? 0x9f : 0xbf // no surrogates
    return continuation(i + 1, min, max) && continuation(i + 2) ? 3 : 0
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const min = lead === 0xf0 ? 0x90 : 0x80
    const max = lead === 0xf4 ? 0x8f : 0xbf // nothing above U+10FFFF
    return continuation(i + 1, min, max) && continuation(i + 2) && continuation(i + 3) ? 4 : 0
  }
  return 0
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++
  return line
}

/** A guess at the actual encoding, when one is plausible. */
function encodingHint(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return '; it looks like UTF-16'
  }
  if (decodesAs('gb18030', bytes)) return '; it looks like GBK/GB18030'
  return ''
}

function decodesAs(encoding: string, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes)
    return true
  } catch {
    return false // not that encoding, or an ICU build without it
  }
}
