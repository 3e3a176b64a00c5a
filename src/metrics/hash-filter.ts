// A Bloom filter over 32-bit string hashes: "may this string be one of a known set?" answered
// from a hash made of units already at hand, without building the string or a Map lookup
// (WordNet's candidate forms, Punkt's abbreviation and collocation types). False positives only
// cost the caller its exact lookup; a member is never ruled out.

import { HASH_START, hashStep } from "./tokenize/chunk-memo.js";

/**
 * FNV-1a (chunk-memo's steps, no finish) of text[0, length), continued from `h`: a hash of a
 * concatenation is the second part's hash continued from the first's.
 */
export function hashChars(text: string, length: number = text.length, h: number = HASH_START): number {
  for (let i = 0; i < length; i++) h = hashStep(h, text.charCodeAt(i));
  return h;
}

/** Two probes per hash: its low bits and a remix of it, into 2^log2Bits bits. */
export class HashFilter {
  private readonly words: Uint32Array;
  private readonly mask: number;

  constructor(log2Bits: number) {
    this.words = new Uint32Array(2 ** Math.max(0, log2Bits - 5));
    this.mask = 2 ** log2Bits - 1;
  }

  private secondProbe(h: number): number {
    const x = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    return (x ^ (x >>> 13)) & this.mask;
  }

  add(h: number): void {
    const a = h & this.mask;
    const b = this.secondProbe(h);
    this.words[a >>> 5]! |= 1 << (a & 31);
    this.words[b >>> 5]! |= 1 << (b & 31);
  }

  /** false: no added hash equals `h` (true: one may). */
  mayHave(h: number): boolean {
    const a = h & this.mask;
    if ((this.words[a >>> 5]! & (1 << (a & 31))) === 0) return false;
    const b = this.secondProbe(h);
    return (this.words[b >>> 5]! & (1 << (b & 31))) !== 0;
  }
}
