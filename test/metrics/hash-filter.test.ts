// The Bloom filter behind WordNet's and Punkt's "may this string be known?" checks.

import { describe, expect, it } from "vitest";
import { HashFilter, hashChars } from "../../src/metrics/hash-filter.js";
import { seededBelow } from "../helpers/random.js";

describe("hashChars", () => {
  it("is 32-bit FNV-1a: the published test vectors", () => {
    // FNV-1a 32-bit of "", "a" and "foobar" (Noll's reference values).
    expect(hashChars("") >>> 0).toBe(0x811c9dc5);
    expect(hashChars("a") >>> 0).toBe(0xe40c292c);
    expect(hashChars("foobar") >>> 0).toBe(0xbf9cf968);
  });

  it("hashes a concatenation as the second part continued from the first", () => {
    expect(hashChars("bar", 3, hashChars("foo"))).toBe(hashChars("foobar"));
    expect(hashChars("foobar", 3)).toBe(hashChars("foo"));
  });
});

describe("HashFilter", () => {
  it("never rules out an added hash, and rules out most others", () => {
    const next = seededBelow(99);
    const word = (): string => Array.from({ length: 3 + next(8) }, () => "abcdefghijklmnopqrstuvwxyz"[next(26)]).join("");
    const filter = new HashFilter(16);
    const added = new Set<string>();
    while (added.size < 2000) added.add(word());
    for (const w of added) filter.add(hashChars(w));
    for (const w of added) expect(filter.mayHave(hashChars(w)), w).toBe(true);
    let passed = 0;
    let others = 0;
    while (others < 20_000) {
      const w = word();
      if (added.has(w)) continue;
      others++;
      if (filter.mayHave(hashChars(w))) passed++;
    }
    // 2,000 hashes, two probes, 2^16 bits: (1 - e^(-4000/65536))^2 ≈ 0.35% false positives.
    expect(passed / others).toBeLessThan(0.01);
  });
});
