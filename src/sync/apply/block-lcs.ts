// Longest common subsequence of two key sequences, for the block diff. Pure.
//
// Common prefix and suffix are matched first (the usual case: one edit somewhere in a long document), then
// Myers' O((N+M)·D) greedy algorithm aligns the middle. When the middle differs too much for that to stay
// cheap (D beyond a budget), the middle is left unaligned: the caller then treats it as one changed range,
// which is still a correct (if less economical) plan.

/** Index pairs [i, j] with a[i] === b[j], strictly increasing in both. */
export function lcsPairs(a: readonly string[], b: readonly string[], budget = 20_000_000): [number, number][] {
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const pairs: [number, number][] = []
  for (let i = 0; i < start; i++) pairs.push([i, i])
  pairs.push(...myers(a, b, start, endA, start, endB, budget))
  for (let k = 0; endA + k < a.length; k++) pairs.push([endA + k, endB + k])
  return pairs
}

function myers(
  a: readonly string[],
  b: readonly string[],
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  budget: number,
): [number, number][] {
  const n = a1 - a0
  const m = b1 - b0
  if (n === 0 || m === 0) return []
  const max = n + m
  const offset = max + 1
  const size = 2 * max + 3
  const v = new Int32Array(size)
  const trace: Int32Array[] = []
  let used = 0
  let found = -1
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2))
    used += 2 * d + 3
    if (used > budget) return []
    // k moves in steps of two, so v[k±1] still hold step d-1's values while v[k] is overwritten.
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1
      let y = x - k
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= n && y >= m) {
        found = d
        break
      }
    }
  }
  // Walk back through the saved frontiers. trace[d] holds v[-d-1 .. d+1] as it was before step d.
  const pairs: [number, number][] = []
  let x = n
  let y = m
  for (let d = found; d > 0; d--) {
    const prev = trace[d]!
    const at = (k: number) => prev[k + d + 1]!
    const k = x - y
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1
    const prevX = at(prevK)
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      x--
      y--
      pairs.push([a0 + x, b0 + y])
    }
    x = prevX
    y = prevY
  }
  while (x > 0 && y > 0) {
    x--
    y--
    pairs.push([a0 + x, b0 + y])
  }
  return pairs.reverse()
}

/**
 * Order-preserving pairing that maximises the summed score (a weighted LCS), for small ranges.
 * `score(i, j)` > 0 allows pairing a[i] with b[j]; 0 forbids it.
 */
export function weightedPairs(n: number, m: number, score: (i: number, j: number) => number): [number, number][] {
  if (n === 0 || m === 0) return []
  const w = m + 1
  const best = new Float64Array((n + 1) * w)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = score(i, j)
      let value = Math.max(best[(i + 1) * w + j]!, best[i * w + j + 1]!)
      if (s > 0) value = Math.max(value, s + best[(i + 1) * w + j + 1]!)
      best[i * w + j] = value
    }
  }
  const pairs: [number, number][] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    const here = best[i * w + j]!
    const s = score(i, j)
    if (s > 0 && here === s + best[(i + 1) * w + j + 1]!) {
      pairs.push([i, j])
      i++
      j++
    } else if (here === best[(i + 1) * w + j]!) {
      i++
    } else {
      j++
    }
  }
  return pairs
}
