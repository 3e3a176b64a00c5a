// The range-keyed memo behind the tokenizers' per-chunk memos, and text-similarity's small
// per-row token memo.

import { describe, expect, it } from "vitest";
import { tokenizeOnce } from "../../src/metrics/text-similarity.js";
import { ChunkMemo, MemoFirstPolicy, hashUnits, shouldMemoFirst, textUnits } from "../../src/metrics/tokenize/chunk-memo.js";
import { TOKENIZERS } from "../../src/metrics/tokenize/index.js";
import { seededBelow } from "../helpers/random.js";

describe("ChunkMemo", () => {
  it("finds exactly the stored ranges, through collisions, clearing and pool growth", () => {
    const next = seededBelow(7);
    for (const bits of [2, 3, 6, 12]) {
      const memo = new ChunkMemo<string>(bits);
      const model = new Map<string, string>();
      for (let k = 0; k < 20000; k++) {
        // Short keys over a tiny alphabet (many equal hashes mod the table size), some long ones.
        const length = next(10) === 0 ? 100 + next(150) : next(4);
        let key = "";
        for (let i = 0; i < length; i++) key += "ab\u00e9\ud83d"[next(4)];
        const text = "xy " + key + " z";
        const u = textUnits(text);
        const from = 3;
        const to = 3 + key.length;
        const hash = hashUnits(u, from, to);
        const got = memo.get(u, from, to, hash);
        // A hit must be the value stored for this very key (entries may have been dropped).
        if (got !== undefined) expect(got).toBe(model.get(key));
        if (got === undefined) {
          const value = `${key}#${k}`;
          memo.set(u, from, to, hash, value);
          model.set(key, value);
          expect(memo.get(u, from, to, hash)).toBe(value);
        }
      }
    }
  });
});

describe("textUnits", () => {
  it("holds every UTF-16 unit of the text, lone surrogates included, short and long, as the buffer grows", () => {
    const next = seededBelow(11);
    const alphabet = ["a", " ", "\u00e9", "\u2019", "\ud83d", "\ude00", "\ud83d\ude00", "\uffff", "\u0000", "."];
    for (const length of [0, 1, 31, 32, 33, 190, 1023, 1024, 1025, 5000, 40]) {
      for (let round = 0; round < 20; round++) {
        let text = "";
        while (text.length < length) text += alphabet[next(alphabet.length)];
        text = text.slice(0, length);
        const u = textUnits(text);
        const expected = Array.from({ length }, (_, i) => text.charCodeAt(i));
        expect(Array.from(u.subarray(0, length))).toEqual(expected);
      }
    }
  });
});

describe("tokenizeOnce", () => {
  it("returns each tokenizer's tokens, for new and repeated texts", () => {
    const texts = ["Hello world.", "It's fine!", "", "  ", "Mr. Smith went home. He slept.", "a\tb", "Hello world."];
    for (let round = 0; round < 4; round++) {
      for (const name of ["split", "treebank", "nltk_tokenize"] as const) {
        for (let i = 0; i < 30; i++) {
          const text = texts[(i * (round + 3)) % texts.length]!;
          expect(tokenizeOnce(name, text)).toEqual(TOKENIZERS[name](text));
        }
      }
    }
  });
});

describe("MemoFirstPolicy", () => {
  it("decides by the share of hits: at least half", () => {
    expect(shouldMemoFirst(512, 1024)).toBe(true);
    expect(shouldMemoFirst(511, 1024)).toBe(false);
    expect(shouldMemoFirst(0, 0)).toBe(true);
  });

  it("sends everything through the memo until lookups mostly miss, then one item in 64", () => {
    const policy = new MemoFirstPolicy();
    const through = (n: number, hit: boolean): number => {
      let count = 0;
      for (let i = 0; i < n; i++) {
        if (policy.throughMemo()) {
          count++;
          policy.record(hit);
        }
      }
      return count;
    };
    expect(through(4096, false)).toBe(4096); // memo first while deciding the first time
    expect(through(1600, false)).toBe(25); // mostly misses: 1 in 64 sampled
    // Sampled lookups start hitting (the texts repeat): back to memo first once it re-decides,
    // which later decisions do every 1,024 lookups (25 were counted above).
    expect(through(64 * 998, true)).toBe(998);
    expect(through(64, true)).toBe(1);
    expect(through(500, true)).toBe(500);
  });

  it("does not judge a cold memo on its first 1,024 lookups: 43% hits there, then mostly hits, stays memo first", () => {
    const policy = new MemoFirstPolicy();
    let through = 0;
    for (let i = 0; i < 4096; i++) {
      if (!policy.throughMemo()) continue;
      through++;
      // A cold memo's start: a hit ratio rising from ~40% to ~90% (every 5th, then every 10th lookup misses).
      policy.record(i < 1024 ? i % 5 < 2 : i % 10 !== 0);
    }
    expect(through).toBe(4096);
    expect(policy.throughMemo()).toBe(true);
    expect(policy.throughMemo()).toBe(true);
  });
});
