// Strict UTF-8 decoding of a source file: a file that is not valid UTF-8 is refused with a message that names the
// file, the line of the first bad byte and the fix, instead of being published as mojibake. A file that is valid
// UTF-8 but looks binary (many NUL bytes: a binary file named .md, or UTF-16 text without a byte-order mark) is
// refused the same way; a few stray NUL bytes in a text file are left to the converter, which publishes them as
// U+FFFD (CommonMark 2.3, https://spec.commonmark.org/0.31.2/#insecure-characters) with a warning.

export type DecodeResult = { ok: true; text: string } | { ok: false; message: string; line: number }

const UTF8_BOM = [0xef, 0xbb, 0xbf]

export function decodeUtf8Strict(bytes: Uint8Array, path: string): DecodeResult {
  const body = UTF8_BOM.every((byte, i) => bytes[i] === byte) ? bytes.subarray(UTF8_BOM.length) : bytes
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body)
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
  const binary = looksBinary(body)
  if (binary) {
    return {
      ok: false,
      line: binary.line,
      message:
        `${path} looks like a binary file, not Markdown text: ${binary.nuls} of its first ${binary.sampled} bytes are NUL (0x00), the first on line ${binary.line}, ` +
        `so it was not published. Exclude it, or save it as UTF-8 text${binary.utf16 ? ' (it looks like UTF-16 without a byte-order mark)' : ''}.`,
    }
  }
  return { ok: true, text }
}

/** Bytes looked at, as Git does to tell binary files from text (FIRST_FEW_BYTES in git/xdiff-interface.c). */
export const BINARY_SNIFF_BYTES = 8000
/** Share of NUL bytes in that sample from which a file is taken as binary (UTF-16 text of ASCII: about 1/2). Our bound. */
export const BINARY_NUL_SHARE = 0.1

function looksBinary(bytes: Uint8Array): { nuls: number; sampled: number; line: number; utf16: boolean } | undefined {
  const sampled = Math.min(bytes.length, BINARY_SNIFF_BYTES)
  let nuls = 0
  let odd = 0
  for (let i = 0; i < sampled; i++) {
    if (bytes[i] !== 0) continue
    nuls++
    odd += i % 2
  }
  if (nuls === 0 || nuls < sampled * BINARY_NUL_SHARE) return undefined
  // UTF-16 (either byte order) of mostly ASCII text: nearly all NULs on the same parity.
  const utf16 = nuls >= sampled * 0.3 && (odd >= nuls * 0.9 || odd <= nuls * 0.1)
  return { nuls, sampled, line: lineOf(bytes, bytes.indexOf(0)), utf16 }
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
