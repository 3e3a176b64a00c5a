// Length of the longest common subsequence of two integer sequences (code points, UTF-16 units,
// token ids), with the bit-parallel algorithm of Allison & Dix (1986) / Hyyrö (2004) that
// rapidfuzz uses for its InDel distance: one bit per position of the shorter sequence (the
// pattern), 32 positions per word, one step per symbol of the longer one (the text):
//
//   U = S & PM[c];  S = (S + U) | (S - U)        LCS = number of zero bits of S
//
// U is a subset of S, so S - U never borrows and equals S & ~U; only the addition carries
// across words. Everything stays in int32 arithmetic.

/**
 * Symbols below this own a fixed row of the pattern-match table (Latin-1 text, small token
 * ids); larger ones get rows after them through a Map, as rapidfuzz does for non-ASCII.
 */
const DIRECT_SYMBOLS = 256;

// Scratch space reused across calls (everything here is synchronous). Hot loops get these as
// parameters or locals rather than reading the module `let`s, which V8 reloads on every access.
let pm = new Int32Array(DIRECT_SYMBOLS * 8); // pm[row * words + w]; all zero between calls
const extendedRow = new Map<number, number>(); // symbol >= DIRECT_SYMBOLS -> its row
let state = new Int32Array(8); // S, one int32 per word of the pattern

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Bits [0, n) set, 1 <= n <= 32. */
function lowMask(n: number): number {
  return n === 32 ? -1 : (1 << n) - 1;
}

// ---------------------------------------------------------------------------------------------
// The pattern-match table: bit k of row(c) is set where the pattern holds c at position k.

/** Row of a large pattern symbol, assigning (and zeroing) a new row on first sight. */
function patternRow(c: number, words: number): number {
  let row = extendedRow.get(c);
  if (row === undefined) {
    row = DIRECT_SYMBOLS + extendedRow.size;
    extendedRow.set(c, row);
    const end = (row + 1) * words;
    if (pm.length < end) {
      const grown = new Int32Array(Math.max(end, pm.length * 2));
      grown.set(pm);
      pm = grown;
    }
    pm.fill(0, row * words, end);
  }
  return row;
}

function setPattern(p: Int32Array, from: number, to: number, words: number): void {
  if (pm.length < DIRECT_SYMBOLS * words) pm = new Int32Array(DIRECT_SYMBOLS * words);
  let masks = pm;
  for (let i = from; i < to; i++) {
    const c = p[i];
    let row = c;
    if (c >= DIRECT_SYMBOLS) {
      row = patternRow(c, words);
      masks = pm; // patternRow may have grown the table
    }
    const k = i - from;
    masks[row * words + (k >>> 5)] |= 1 << (k & 31);
  }
}

/** Zero exactly the entries setPattern touched (one store per position, not a full fill). */
function clearPattern(p: Int32Array, from: number, to: number, words: number): void {
  const masks = pm;
  for (let i = from; i < to; i++) {
    const c = p[i];
    const row = c < DIRECT_SYMBOLS ? c : extendedRow.get(c)!;
    masks[row * words + ((i - from) >>> 5)] = 0;
  }
  if (extendedRow.size > 0) extendedRow.clear();
}

// ---------------------------------------------------------------------------------------------
// The bit-parallel core. A large text symbol missing from the pattern matches nothing, so S is
// unchanged and the step is skipped; a small one reads its (all-zero) row.

/** LCS when the pattern fits one 32-bit word. */
function lcsSingleWord(masks: Int32Array, t: Int32Array, from: number, to: number, patternLength: number): number {
  let s = -1;
  for (let j = from; j < to; j++) {
    const c = t[j];
    let m: number;
    if (c < DIRECT_SYMBOLS) {
      m = masks[c];
    } else {
      const row = extendedRow.get(c);
      if (row === undefined) continue;
      m = masks[row];
    }
    const u = s & m;
    s = (s + u) | (s & ~u);
  }
  return popcount32(~s & lowMask(patternLength));
}

/**
 * LCS for longer patterns: the same step, word by word, passing the addition's carry on. The
 * carry out of a + b + cin is the top bit of (a & b) | ((a | b) & ~sum), which with
 * b = u ⊆ a = s is u | (s & ~sum). (Sweeping each word over the whole text instead, with the
 * carries stored per text position, measured slower.)
 */
function lcsMultiWord(
  masks: Int32Array, t: Int32Array, from: number, to: number, patternLength: number, words: number,
): number {
  if (state.length < words) state = new Int32Array(Math.max(words, state.length * 2));
  const v = state;
  v.fill(-1, 0, words);
  for (let j = from; j < to; j++) {
    const c = t[j];
    let base: number;
    if (c < DIRECT_SYMBOLS) {
      base = c * words;
    } else {
      const row = extendedRow.get(c);
      if (row === undefined) continue;
      base = row * words;
    }
    let carry = 0;
    for (let w = 0; w < words; w++) {
      const s = v[w];
      const u = s & masks[base + w];
      const sum = (s + u + carry) | 0;
      carry = (u | (s & ~sum)) >>> 31;
      v[w] = sum | (s & ~u);
    }
  }
  let zeros = 0;
  const last = words - 1;
  for (let w = 0; w < last; w++) zeros += popcount32(~v[w]);
  // Bits past the pattern's end can be flipped by carries; they are not positions.
  return zeros + popcount32(~v[last] & lowMask(patternLength - 32 * last));
}

// ---------------------------------------------------------------------------------------------

/**
 * LCS length of a[0, aLength) and b[0, bLength). Symbols must be non-negative integers. Buffers
 * may be longer than the given lengths (callers reuse scratch arrays).
 */
export function lcsLength(a: Int32Array, aLength: number, b: Int32Array, bLength: number): number {
  // A common prefix and suffix belong to some LCS: stripping them is exact, and often most of
  // the work for similar texts.
  let start = 0;
  const minLength = Math.min(aLength, bLength);
  while (start < minLength && a[start] === b[start]) start++;
  let aEnd = aLength;
  let bEnd = bLength;
  while (aEnd > start && bEnd > start && a[aEnd - 1] === b[bEnd - 1]) {
    aEnd--;
    bEnd--;
  }
  const affix = start + (aLength - aEnd);
  if (aEnd === start || bEnd === start) return affix;

  // The shorter remainder is the pattern: fewer words per step.
  let p = a, pEnd = aEnd, t = b, tEnd = bEnd;
  if (aEnd > bEnd) {
    p = b; pEnd = bEnd; t = a; tEnd = aEnd;
  }
  const patternLength = pEnd - start;
  const words = (patternLength + 31) >>> 5;
  setPattern(p, start, pEnd, words);
  const middle = words === 1
    ? lcsSingleWord(pm, t, start, tEnd, patternLength)
    : lcsMultiWord(pm, t, start, tEnd, patternLength, words);
  clearPattern(p, start, pEnd, words);
  return affix + middle;
}
