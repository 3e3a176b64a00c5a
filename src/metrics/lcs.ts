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
 * A symbol sequence: token ids or code points, or the bytes of ASCII text (fuzzy_match encodes
 * those natively, several times faster than charCodeAt copies).
 */
export type Symbols = Int32Array | Uint8Array;

/**
 * Symbols below this own a fixed row of the pattern-match table (Latin-1 text, small token
 * ids); larger ones get rows after them through a Map, as rapidfuzz does for non-ASCII.
 */
const DIRECT_SYMBOLS = 256;

// Scratch space reused across calls (everything here is synchronous). Hot loops get these as
// parameters or locals rather than reading the module `let`s, which V8 reloads on every access.
let pm = new Int32Array(DIRECT_SYMBOLS * 8); // pm[row * stride + w]; all zero between calls
const extendedRow = new Map<number, number>(); // symbol >= DIRECT_SYMBOLS -> its row
let carries = new Int32Array(256); // per text position: carry out of the previous block

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
function patternRow(c: number, stride: number): number {
  let row = extendedRow.get(c);
  if (row === undefined) {
    row = DIRECT_SYMBOLS + extendedRow.size;
    extendedRow.set(c, row);
    const end = (row + 1) * stride;
    if (pm.length < end) {
      const grown = new Int32Array(Math.max(end, pm.length * 2));
      grown.set(pm);
      pm = grown;
    }
    pm.fill(0, row * stride, end);
  }
  return row;
}

function setPattern(p: Symbols, from: number, to: number, stride: number): void {
  if (pm.length < DIRECT_SYMBOLS * stride) pm = new Int32Array(DIRECT_SYMBOLS * stride);
  let masks = pm;
  for (let i = from; i < to; i++) {
    const c = p[i];
    let row = c;
    if (c >= DIRECT_SYMBOLS) {
      row = patternRow(c, stride);
      masks = pm; // patternRow may have grown the table
    }
    const k = i - from;
    masks[row * stride + (k >>> 5)] |= 1 << (k & 31);
  }
}

/** Zero exactly the entries setPattern touched (one store per position, not a full fill). */
function clearPattern(p: Symbols, from: number, to: number, stride: number): void {
  const masks = pm;
  for (let i = from; i < to; i++) {
    const c = p[i];
    const row = c < DIRECT_SYMBOLS ? c : extendedRow.get(c)!;
    masks[row * stride + ((i - from) >>> 5)] = 0;
  }
  if (extendedRow.size > 0) extendedRow.clear();
}

// ---------------------------------------------------------------------------------------------
// The bit-parallel core. A large text symbol missing from the pattern matches nothing, so S is
// unchanged and the step is skipped; a small one reads its (all-zero) row.

/** LCS when the pattern fits one 32-bit word. */
function lcsSingleWord(masks: Int32Array, t: Symbols, from: number, to: number, patternLength: number): number {
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
 * b = u ⊆ a = s is u | (s & ~sum); and s & ~u = s ^ u.
 *
 * Carries only flow upwards, so the words are processed in blocks of four (then two) held in
 * locals, i.e. registers; each block sweeps the whole text and hands its carry out at every
 * text position to the next block through `carries`. Rows are padded to an even number of
 * words with a zero word, whose bits are never counted.
 */
function lcsBlocks(
  masks: Int32Array, t: Symbols, from: number, to: number, patternLength: number, stride: number,
): number {
  if (carries.length < to) carries = new Int32Array(Math.max(to, carries.length * 2));
  const carry = carries;
  carry.fill(0, from, to);
  let zeros = 0;
  let block = 0;
  for (; block + 4 <= stride; block += 4) zeros += sweep4(masks, t, from, to, patternLength, stride, block, carry);
  if (block < stride) zeros += sweep2(masks, t, from, to, patternLength, stride, block, carry);
  return zeros;
}

/** Words [block, block + 4) over the whole text; returns their zero bits. */
function sweep4(
  masks: Int32Array, t: Symbols, from: number, to: number, patternLength: number, stride: number,
  block: number, carry: Int32Array,
): number {
  let s0 = -1, s1 = -1, s2 = -1, s3 = -1;
  for (let j = from; j < to; j++) {
    const c = t[j]!;
    let base: number;
    if (c < DIRECT_SYMBOLS) {
      base = c * stride + block;
    } else {
      const row = extendedRow.get(c);
      if (row === undefined) continue; // matches nothing: no word changes, no carry
      base = row * stride + block;
    }
    let u = s0 & masks[base]!;
    let sum = (s0 + u + carry[j]!) | 0;
    let k = (u | (s0 & ~sum)) >>> 31;
    s0 = sum | (s0 ^ u);
    u = s1 & masks[base + 1]!;
    sum = (s1 + u + k) | 0;
    k = (u | (s1 & ~sum)) >>> 31;
    s1 = sum | (s1 ^ u);
    u = s2 & masks[base + 2]!;
    sum = (s2 + u + k) | 0;
    k = (u | (s2 & ~sum)) >>> 31;
    s2 = sum | (s2 ^ u);
    u = s3 & masks[base + 3]!;
    sum = (s3 + u + k) | 0;
    carry[j] = (u | (s3 & ~sum)) >>> 31;
    s3 = sum | (s3 ^ u);
  }
  return zerosAt(s0, block, patternLength) + zerosAt(s1, block + 1, patternLength)
    + zerosAt(s2, block + 2, patternLength) + zerosAt(s3, block + 3, patternLength);
}

/** Words [block, block + 2) over the whole text (the last block); returns their zero bits. */
function sweep2(
  masks: Int32Array, t: Symbols, from: number, to: number, patternLength: number, stride: number,
  block: number, carry: Int32Array,
): number {
  let s0 = -1, s1 = -1;
  for (let j = from; j < to; j++) {
    const c = t[j]!;
    let base: number;
    if (c < DIRECT_SYMBOLS) {
      base = c * stride + block;
    } else {
      const row = extendedRow.get(c);
      if (row === undefined) continue;
      base = row * stride + block;
    }
    let u = s0 & masks[base]!;
    const sum = (s0 + u + carry[j]!) | 0;
    const k = (u | (s0 & ~sum)) >>> 31;
    s0 = sum | (s0 ^ u);
    u = s1 & masks[base + 1]!;
    s1 = ((s1 + u + k) | 0) | (s1 ^ u);
  }
  return zerosAt(s0, block, patternLength) + zerosAt(s1, block + 1, patternLength);
}

/** Zero bits of word w of S that are pattern positions (bits past the end may be flipped by carries). */
function zerosAt(s: number, w: number, patternLength: number): number {
  const valid = patternLength - 32 * w;
  if (valid <= 0) return 0;
  return popcount32(valid >= 32 ? ~s : ~s & lowMask(valid));
}

// ---------------------------------------------------------------------------------------------

/**
 * LCS length of a[0, aLength) and b[0, bLength). Symbols must be non-negative integers. Buffers
 * may be longer than the given lengths (callers reuse scratch arrays).
 */
export function lcsLength(a: Symbols, aLength: number, b: Symbols, bLength: number): number {
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
  const stride = words === 1 ? 1 : (words + 1) & ~1; // table row length: whole blocks
  setPattern(p, start, pEnd, stride);
  const middle = words === 1
    ? lcsSingleWord(pm, t, start, tEnd, patternLength)
    : lcsBlocks(pm, t, start, tEnd, patternLength, stride);
  clearPattern(p, start, pEnd, stride);
  return affix + middle;
}
