// FNV-1a, 64-bit, over the UTF-8 bytes of a string: a short, fast, dependency-free content hash (not a
// cryptographic one; it only tells "same content" from "changed content").
// Algorithm and constants: http://www.isthe.com/chongo/tech/comp/fnv/ (offset basis 0xcbf29ce484222325,
// prime 0x100000001b3). The 64-bit product is computed in four 16-bit limbs to stay within exact integers.

const utf8 = new TextEncoder()

export function fnv1a64(text: string): string {
  let h0 = 0x2325
  let h1 = 0x8422
  let h2 = 0x9ce4
  let h3 = 0xcbf2
  for (const byte of utf8.encode(text)) {
    h0 ^= byte
    // h * prime, prime = 2^40 + 0x1b3: the 0x1b3 part limb by limb, plus h shifted left by 40 bits.
    const t0 = h0 * 0x1b3
    let t1 = h1 * 0x1b3
    let t2 = h2 * 0x1b3 + (h0 << 8)
    const t3 = h3 * 0x1b3 + (h1 << 8)
    t1 += t0 >>> 16
    h0 = t0 & 0xffff
    t2 += t1 >>> 16
    h1 = t1 & 0xffff
    h3 = (t3 + (t2 >>> 16)) & 0xffff
    h2 = t2 & 0xffff
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('')
}
