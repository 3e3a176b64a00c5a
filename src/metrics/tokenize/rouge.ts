// rouge-score 0.1.2 tokenizer (`tokenize.tokenize` behind `tokenizers.DefaultTokenizer`):
//   lower-case -> every run of [^a-z0-9] becomes a space -> split -> optionally Porter-stem tokens
//   longer than 3 characters -> keep tokens matching ^[a-z0-9]+$.
// After the substitution a token is a maximal run of [a-z0-9] in the lower-cased text, so one
// scan does all of it; the final filter only drops the empty strings a leading or trailing
// space leaves (the stemmer maps [a-z0-9]+ to non-empty [a-z0-9]+).
//
// Lower-casing happens before the substitution, so the only non-ASCII characters that survive
// are the two whose lower case contains ASCII: U+0130 'İ' -> "i̇" (the i is kept) and the Kelvin
// sign U+212A -> "k". JS toLowerCase and Python str.lower agree on both; every other non-ASCII
// character (accented, Greek, Cyrillic, CJK, emoji...) separates tokens.

import { porterStem } from "../porter-stemmer.js";

function isTokenChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** Tokens of one text, as rouge-score's DefaultTokenizer(use_stemmer=stem).tokenize(text). */
export function rougeTokenize(text: string, stem = false): string[] {
  const lower = text.toLowerCase();
  const tokens: string[] = [];
  const n = lower.length;
  let i = 0;
  while (i < n) {
    while (i < n && !isTokenChar(lower.charCodeAt(i))) i++;
    if (i === n) break;
    const start = i;
    while (i < n && isTokenChar(lower.charCodeAt(i))) i++;
    const token = lower.slice(start, i);
    // rouge-score stems only tokens of more than 3 characters.
    tokens.push(stem && token.length > 3 ? porterStem(token) : token);
  }
  return tokens;
}

/**
 * rougeLsum's sentences: the text split on "\n" only (no sentence splitter; rouge-score's
 * split_summaries=False), empty lines dropped, each line tokenized. A line of only spaces or
 * punctuation is kept as an empty token list, as in rouge-score.
 */
export function rougeTokenizeLines(text: string, stem = false): string[][] {
  const lines: string[][] = [];
  for (const line of text.split("\n")) {
    if (line.length > 0) lines.push(rougeTokenize(line, stem));
  }
  return lines;
}
// ---------------------------------------------------------------------------------------------
// Token ids. Scoring compares tokens as small integers shared by both sides of one comparison.
// The vocabulary is an open-addressing table with linear probing and epoch-stamped slots
// (starting a comparison is one increment, not a clear). Token characters live in one UTF-16
// pool, so `internText` tokenizes and interns straight from a byte copy of the text and builds
// no strings at all.
//
// It is not ../epoch-table.ts's EpochIds, which bleu, gleu and METEOR share: that maps numbers to
// ids, and these keys are character ranges, compared unit by unit against the pool on a hash
// hit. Keyed by hash, EpochIds would need a second structure (ids chained per hash) and a second
// lookup per token, in the loop that is most of rouge_1's time.

/** A growable id sequence. */
export interface TokenIds {
  buffer: Int32Array;
  length: number;
}

export function newTokenIds(capacity = 64): TokenIds {
  return { buffer: new Int32Array(capacity), length: 0 };
}

function reserve(ids: TokenIds, n: number): Int32Array {
  if (ids.buffer.length < n) ids.buffer = new Int32Array(Math.max(n, ids.buffer.length * 2));
  return ids.buffer;
}

function grown<T extends Int32Array | Uint16Array>(array: T, needed: number): T {
  if (array.length >= needed) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2));
  bigger.set(array);
  return bigger;
}

// Token hash: h = rotl(h, 5) ^ c over the characters from h = 0 (one cycle of dependency per
// character, where FNV-1a's multiply took several), then one multiply-xorshift to spread the
// bits into the low ones that pick the slot.
function finishHash(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return h ^ (h >>> 16);
}

/**
 * ASCII -> the lower-cased character if it is a token character ([A-Za-z0-9]), else 0. For
 * ASCII-only text this is exactly toLowerCase followed by the [^a-z0-9] test, one lookup a char.
 */
const FOLD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) FOLD[c] = c;
for (let c = 97; c <= 122; c++) FOLD[c] = c;
for (let c = 65; c <= 90; c++) FOLD[c] = c + 32;

// Texts are copied into a byte buffer first: natively (TextEncoder) for longer ones, several
// times faster than charCodeAt, which costs about a nanosecond a character.
const encoder = new TextEncoder();
const NATIVE_FROM = 40; // below this many characters, the native call costs more than it saves

export class RougeVocabulary {
  private slots = new Int32Array(128); // id stored in each slot, valid only when stamped
  private stamps = new Int32Array(128);
  private epoch = 1;
  // By id: hash (checked before the characters, and for rehashing) and where its characters are.
  private hashes = new Int32Array(64);
  private starts = new Int32Array(64);
  private lengths = new Int32Array(64);
  private pool = new Uint16Array(1024);
  private poolSize = 0;
  private bytes = new Uint8Array(256); // the text being scanned, ASCII only
  private bounds = new Int32Array(256); // token starts and ends in `bytes` (see scanBytes)
  private runHash = new Int32Array(256);
  /** Number of distinct tokens since the last reset; ids are 0..size-1. */
  size = 0;

  /** Forget all tokens (start a new comparison). */
  reset(): void {
    this.size = 0;
    this.poolSize = 0;
    if (++this.epoch === 0x7fffffff) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
  }

  /** Id of a token string. */
  idOf(token: string): number {
    const length = token.length;
    let h = 0;
    for (let i = 0; i < length; i++) h = ((h << 5) | (h >>> 27)) ^ token.charCodeAt(i);
    h = finishHash(h);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      if (this.stamps[slot] !== this.epoch) {
        const id = this.insert(slot, h, length);
        const pool = this.pool;
        const start = this.starts[id]!;
        for (let k = 0; k < length; k++) pool[start + k] = token.charCodeAt(k);
        return id;
      }
      const id = this.slots[slot]!;
      if (this.hashes[id] === h && this.lengths[id] === length && this.poolEquals(id, token)) return id;
    }
  }

  /** Ids of a token array, into `out`. */
  internTokens(tokens: readonly string[], out: TokenIds): TokenIds {
    const buffer = reserve(out, tokens.length);
    for (let i = 0; i < tokens.length; i++) buffer[i] = this.idOf(tokens[i]!);
    out.length = tokens.length;
    return out;
  }

  /** Ids of rougeTokenize(text, false), into `out`. */
  internText(text: string, out: TokenIds): TokenIds {
    if (this.copyAscii(text)) return this.scanBytes(text.length, out);
    // Not ASCII: lower-case as Python does (which can change the length: U+0130 -> "i̇"); then
    // every non-ASCII character separates tokens, so it becomes a 0 byte.
    const lower = text.toLowerCase();
    const n = lower.length;
    const bytes = this.reserveBytes(n);
    for (let i = 0; i < n; i++) {
      const c = lower.charCodeAt(i);
      bytes[i] = c < 128 ? c : 0;
    }
    return this.scanBytes(n, out);
  }

  /** Copy the text into `bytes` if it is all ASCII; false (contents undefined) if not. */
  private copyAscii(text: string): boolean {
    const n = text.length;
    const bytes = this.reserveBytes(n);
    if (n >= NATIVE_FROM) {
      const { read, written } = encoder.encodeInto(text, bytes);
      // A non-ASCII character takes two or more bytes, so the counts only agree for ASCII.
      return read === n && written === n;
    }
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) return false;
      bytes[i] = c;
    }
    return true;
  }

  /**
   * Tokenize and intern bytes[0, n) (ASCII): tokens are the maximal runs of FOLD != 0. Token
   * boundaries are unpredictable, so the first pass has no branches (a mispredicted branch per
   * boundary cost more than the whole loop): it folds case in place, keeps a running hash that
   * restarts at separators, and appends i to `bounds` wherever token-ness flips. The second
   * pass interns the tokens, [bounds[2t], bounds[2t + 1]), with hash runHash[end - 1].
   */
  private scanBytes(n: number, out: TokenIds): TokenIds {
    if (this.bounds.length <= n) {
      this.bounds = new Int32Array(2 * n + 2);
      this.runHash = new Int32Array(2 * n + 2);
    }
    const bytes = this.bytes;
    const bounds = this.bounds;
    const runHash = this.runHash;
    let m = 0;
    let previous = 0;
    let h = 0;
    for (let i = 0; i < n; i++) {
      const k = FOLD[bytes[i]!]!;
      const inToken = (k + 127) >>> 7; // k is 0 or 48..122
      bytes[i] = k;
      h = (((h << 5) | (h >>> 27)) ^ k) & -inToken; // a separator (k = 0) restarts it at 0
      runHash[i] = h;
      bounds[m] = i;
      m += inToken ^ previous;
      previous = inToken;
    }
    if (previous === 1) bounds[m++] = n;

    const tokens = m >>> 1;
    const buffer = reserve(out, tokens);
    for (let t = 0; t < tokens; t++) {
      const from = bounds[2 * t]!;
      const to = bounds[2 * t + 1]!;
      buffer[t] = this.bytesId(bytes, from, to - from, finishHash(runHash[to - 1]!));
    }
    out.length = tokens;
    return out;
  }

  /** Id of the token bytes[from, from + length) with hash h. */
  private bytesId(bytes: Uint8Array, from: number, length: number, h: number): number {
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      if (this.stamps[slot] !== this.epoch) {
        const id = this.insert(slot, h, length);
        const pool = this.pool;
        const start = this.starts[id]!;
        for (let k = 0; k < length; k++) pool[start + k] = bytes[from + k]!;
        return id;
      }
      const id = this.slots[slot]!;
      if (this.hashes[id] === h && this.lengths[id] === length && this.poolEqualsBytes(id, bytes, from)) return id;
    }
  }

  private poolEquals(id: number, token: string): boolean {
    const pool = this.pool;
    const start = this.starts[id]!;
    for (let k = 0; k < token.length; k++) if (pool[start + k] !== token.charCodeAt(k)) return false;
    return true;
  }

  private poolEqualsBytes(id: number, bytes: Uint8Array, from: number): boolean {
    const pool = this.pool;
    const start = this.starts[id]!;
    const length = this.lengths[id]!;
    for (let k = 0; k < length; k++) if (pool[start + k] !== bytes[from + k]) return false;
    return true;
  }

  private reserveBytes(n: number): Uint8Array {
    if (this.bytes.length < n) this.bytes = new Uint8Array(Math.max(n, this.bytes.length * 2));
    return this.bytes;
  }

  /** A new id for a token of `length` characters at `slot`; the caller fills its pool range. */
  private insert(slot: number, h: number, length: number): number {
    const id = this.size++;
    this.stamps[slot] = this.epoch;
    this.slots[slot] = id;
    if (this.hashes.length <= id) {
      this.hashes = grown(this.hashes, id + 1);
      this.starts = grown(this.starts, id + 1);
      this.lengths = grown(this.lengths, id + 1);
    }
    this.hashes[id] = h;
    this.starts[id] = this.poolSize;
    this.lengths[id] = length;
    this.pool = grown(this.pool, this.poolSize + length);
    this.poolSize += length;
    if (this.size * 2 > this.slots.length) this.grow();
    return id;
  }

  /** Double the table (load factor stays <= 1/2) and re-place this comparison's ids. */
  private grow(): void {
    const size = this.slots.length * 2;
    const mask = size - 1;
    this.slots = new Int32Array(size);
    this.stamps = new Int32Array(size);
    this.epoch = 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hashes[id]! & mask;
      while (this.stamps[slot] === 1) slot = (slot + 1) & mask;
      this.stamps[slot] = 1;
      this.slots[slot] = id;
    }
  }
}
