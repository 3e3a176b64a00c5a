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
// The vocabulary is an open-addressing table with FNV-1a hashes and epoch-stamped slots
// (starting a comparison is one increment, not a clear). `internText` tokenizes and interns in
// one scan, so a repeated token costs no string at all.

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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class RougeVocabulary {
  private slots = new Int32Array(128); // id stored in each slot, valid only when stamped
  private stamps = new Int32Array(128);
  private hashes = new Int32Array(64); // by id, for rehashing
  private keys: string[] = []; // by id
  private epoch = 1;
  /** Number of distinct tokens since the last reset; ids are 0..size-1. */
  size = 0;

  /** Forget all tokens (start a new comparison). */
  reset(): void {
    this.size = 0;
    if (++this.epoch === 0x7fffffff) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
  }

  /** Id of a token string. */
  idOf(token: string): number {
    let h = FNV_OFFSET;
    for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), FNV_PRIME);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      if (this.stamps[slot] !== this.epoch) return this.insert(slot, h, token);
      const id = this.slots[slot]!;
      if (this.keys[id] === token) return id;
    }
  }

  /** Ids of a token array, into `out`. */
  internTokens(tokens: readonly string[], out: TokenIds): TokenIds {
    const buffer = reserve(out, tokens.length);
    for (let i = 0; i < tokens.length; i++) buffer[i] = this.idOf(tokens[i]!);
    out.length = tokens.length;
    return out;
  }

  /** Ids of rougeTokenize(text, false), into `out`, without building the token strings. */
  internText(text: string, out: TokenIds): TokenIds {
    // (Folding case inside the scan instead of toLowerCase() first measured slower.)
    const lower = text.toLowerCase();
    const n = lower.length;
    const buffer = reserve(out, (n + 1) >>> 1); // tokens are separated, so at most ceil(n/2)
    let count = 0;
    let i = 0;
    while (i < n) {
      while (i < n && !isTokenChar(lower.charCodeAt(i))) i++;
      if (i === n) break;
      const start = i;
      let h = FNV_OFFSET;
      while (i < n) {
        const c = lower.charCodeAt(i);
        if (!isTokenChar(c)) break;
        h = Math.imul(h ^ c, FNV_PRIME);
        i++;
      }
      buffer[count++] = this.spanId(lower, start, i, h);
    }
    out.length = count;
    return out;
  }

  /** Id of the token text[start, end). */
  private spanId(text: string, start: number, end: number, h: number): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      if (this.stamps[slot] !== this.epoch) return this.insert(slot, h, text.slice(start, end));
      const id = this.slots[slot]!;
      const key = this.keys[id]!;
      if (key.length === length && sameChars(key, text, start)) return id;
    }
  }

  private insert(slot: number, h: number, token: string): number {
    const id = this.size++;
    this.stamps[slot] = this.epoch;
    this.slots[slot] = id;
    this.keys[id] = token;
    if (this.hashes.length <= id) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = h;
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

function sameChars(key: string, text: string, start: number): boolean {
  for (let k = 0; k < key.length; k++) {
    if (key.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  }
  return true;
}
