// The LCS core's block sweeps (4 + 2 words, carries handed between blocks) and fuzzy_match's
// ASCII byte path, against a plain DP, on lengths that exercise every block layout.
import { describe, expect, it } from "vitest";
import { indelDistance } from "../../src/metrics/fuzzy-match.js";
import { lcsLength } from "../../src/metrics/lcs.js";
import { lcsLengthDp } from "../../src/metrics/reference/lcs.js";

function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
}

describe("lcsLength block sweeps", () => {
  const rand = lcg(7);
  // 1..12 words of pattern: single word, 2 (one pair block), 4, 4+2, 4+4, 4+4+2, ...
  const lengths = [1, 31, 32, 33, 64, 65, 96, 128, 129, 160, 161, 192, 193, 224, 256, 257, 300, 384];

  it.each([2, 4, 26, 300])("alphabet of %i symbols, Int32Array and Uint8Array", (size) => {
    for (const n of lengths) {
      for (const m of [n - 1, n, n + 5, 2 * n + 3].filter((x) => x >= 0)) {
        const a = Int32Array.from({ length: n }, () => 40 + Math.floor(rand() * size));
        const b = Int32Array.from({ length: m }, () => 40 + Math.floor(rand() * size));
        const want = lcsLengthDp(a, b);
        expect(lcsLength(a, n, b, m), `n=${n} m=${m}`).toBe(want);
        if (size <= 26) expect(lcsLength(Uint8Array.from(a), n, Uint8Array.from(b), m)).toBe(want);
      }
    }
  });

  it("ASCII and non-ASCII texts give the same distances as their code points", () => {
    const letters = "abcdefgh ,.";
    for (let round = 0; round < 200; round++) {
      const n = 30 + Math.floor(rand() * 300);
      const m = 30 + Math.floor(rand() * 300);
      let a = Array.from({ length: n }, () => letters[Math.floor(rand() * letters.length)]).join("");
      let b = Array.from({ length: m }, () => letters[Math.floor(rand() * letters.length)]).join("");
      if (round % 3 === 1) a = a.slice(0, 20) + "é" + a.slice(20);
      if (round % 3 === 2) b = b.slice(0, 45) + "😀" + b.slice(45);
      const x = Array.from(a, (ch) => ch.codePointAt(0)!);
      const y = Array.from(b, (ch) => ch.codePointAt(0)!);
      expect(indelDistance(a, b)).toBe(x.length + y.length - 2 * lcsLengthDp(x, y));
      const u = Array.from({ length: a.length }, (_, i) => a.charCodeAt(i));
      const v = Array.from({ length: b.length }, (_, i) => b.charCodeAt(i));
      expect(indelDistance(a, b, "utf16")).toBe(u.length + v.length - 2 * lcsLengthDp(u, v));
    }
  });
});
