import { mulberry32 } from "../helpers/random.js";
import { closeTo, conformanceRows } from "../helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import {
  codePointLength,
  fuzzRatio,
  fuzzyMatch,
  indelDistance,
  levenshteinDistance,
} from "../../src/metrics/fuzzy-match.js";
import { lcsLengthDp, levenshteinDp } from "../../src/metrics/reference/lcs.js";
import { VERSION } from "../../src/util/version.js";

interface Row {
  id: string;
  input: string;
  reference: string;
  default_fuzzy_match: number;
  scores: Record<string, number>;
}

const rows = conformanceRows<Row>();

const expectClose = closeTo(1e-12);

describe("fuzzy_match against the conformance fixture", () => {
  it("has all 342 rows", () => {
    expect(rows).toHaveLength(342);
  });

  it.each(rows.map((r) => [r.id, r] as const))("%s", (_id, row) => {
    const { input, reference, scores: s } = row;

    expectClose(fuzzyMatch(input, reference).score, row.default_fuzzy_match, "default_fuzzy_match");
    expectClose(fuzzyMatch(input, reference, { measure: "indel" }).score, s.fuzzy_match_indel!, "indel");
    expectClose(
      fuzzyMatch(input, reference, { measure: "lcs" }).score,
      s.fuzzy_match_indel_levenshtein012!,
      "indel_levenshtein012",
    );
    expectClose(fuzzRatio(input, reference), s.fuzzy_match_ratio_rapidfuzz!, "ratio_rapidfuzz");
    expectClose(fuzzyMatch(input, reference, { measure: "levenshtein" }).score, s.fuzzy_match_lev!, "lev");
    expectClose(
      fuzzyMatch(input, reference, { measure: "indel", units: "utf16" }).score,
      s.fuzzy_match_indel_utf16!,
      "indel_utf16",
    );
    expectClose(
      fuzzyMatch(input, reference, { measure: "levenshtein", units: "utf16" }).score,
      s.fuzzy_match_lev_utf16!,
      "lev_utf16",
    );

    expect(indelDistance(input, reference)).toBe(s.indel_distance);
    expect(levenshteinDistance(input, reference)).toBe(s.lev_distance);
    expect(codePointLength(input)).toBe(s.len_codepoints_input);
    expect(codePointLength(reference)).toBe(s.len_codepoints_reference);
  });
});

describe("fuzzy_match units", () => {
  it("counts an emoji as one code point but two UTF-16 units", () => {
    // 👍 U+1F44D = D83D DC4D, 👎 U+1F44E = D83D DC4E: nothing in common as code points,
    // a shared high surrogate as UTF-16 units.
    expect(indelDistance("👍", "👎")).toBe(2);
    expect(fuzzyMatch("👍", "👎").score).toBe(0);
    expect(indelDistance("👍", "👎", "utf16")).toBe(2);
    expect(fuzzyMatch("👍", "👎", { measure: "indel", units: "utf16" }).score).toBe(0.5);
  });

  it("treats a flag as its two regional-indicator code points", () => {
    // 🇫🇷 = F R, 🇫🇮 = F I: LCS 1 of 2+2 code points; LCS 3 of 4+4 UTF-16 units.
    expect(fuzzyMatch("🇫🇷", "🇫🇮", { measure: "indel" }).score).toBe(0.5);
    expect(fuzzyMatch("🇫🇷", "🇫🇮", { measure: "indel", units: "utf16" }).score).toBe(0.75);
    expect(levenshteinDistance("🇫🇷", "🇫🇮")).toBe(1);
    expect(levenshteinDistance("🇫🇷x", "🇫🇮")).toBe(2);
  });

  it("handles empty sides", () => {
    expect(fuzzyMatch("", "").score).toBe(1);
    expect(fuzzRatio("", "")).toBe(100);
    expect(fuzzyMatch("", "abc").score).toBe(0);
    expect(fuzzyMatch("abc", "").score).toBe(0);
    expect(fuzzyMatch("", "", { measure: "levenshtein" }).score).toBe(1);
    expect(fuzzyMatch("", "😀", { measure: "levenshtein" }).score).toBe(0);
    expect(indelDistance("", "😀😀")).toBe(2);
  });

  it("matches rapidfuzz's documented fuzz.ratio example", () => {
    // rapidfuzz README: fuzz.ratio("this is a test", "this is a test!") -> 96.55172413793103
    expect(fuzzRatio("this is a test", "this is a test!")).toBe(96.55172413793103);
  });

  it("does no case folding or trimming", () => {
    expect(indelDistance("Apple", "apple")).toBe(2);
    expect(indelDistance(" apple", "apple")).toBe(1);
  });

  it("names the variant in the signature", () => {
    expect(fuzzyMatch("a", "b").signature).toBe(`fuzzy_match|rapidfuzz:3.10.1|measure:ratio|units:codepoint|graderkit:${VERSION}`);
    expect(fuzzyMatch("a", "b", { measure: "levenshtein", units: "utf16" }).signature).toBe(
      `fuzzy_match|rapidfuzz:3.10.1|measure:levenshtein|units:utf16|graderkit:${VERSION}`,
    );
    expect(fuzzyMatch("a", "b", { measure: "lcs" }).signature).toBe(
      `fuzzy_match|python-levenshtein:0.12|measure:lcs|units:codepoint|graderkit:${VERSION}`,
    );
  });
});

describe("bit-parallel distances against a plain DP", () => {
  const alphabets = [
    ["a", "b"],
    ["a", "b", "c", "d", "e", "f", "g", "h"],
    ["a", "é", "λ", "中", "😀", "🇫", "x"], // Latin-1, BMP and astral symbols mixed
    Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x4e00 + i)), // many non-Latin-1 symbols
  ];
  const lengths = [0, 1, 5, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 200];
  const random = mulberry32(12345);

  const pick = (alphabet: string[], n: number): string[] =>
    Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]!);
  const codes = (chars: string[]): number[] => chars.map((c) => c.codePointAt(0)!);

  it.each(alphabets.map((a, i) => [i, a] as const))("alphabet %i", (_i, alphabet) => {
    let checked = 0;
    for (const n of lengths) {
      for (const m of lengths) {
        const a = pick(alphabet, n);
        const b = pick(alphabet, m);
        const lcs = lcsLengthDp(codes(a), codes(b));
        expect(indelDistance(a.join(""), b.join(""))).toBe(n + m - 2 * lcs);
        expect(levenshteinDistance(a.join(""), b.join(""))).toBe(levenshteinDp(codes(a), codes(b)));
        // A shared prefix and suffix around a random middle exercises the affix stripping.
        const pre = pick(alphabet, 7);
        const suf = pick(alphabet, 40);
        const x = [...pre, ...a, ...suf];
        const y = [...pre, ...b, ...suf];
        expect(indelDistance(x.join(""), y.join(""))).toBe(x.length + y.length - 2 * lcsLengthDp(codes(x), codes(y)));
        checked++;
      }
    }
    expect(checked).toBe(lengths.length ** 2);
  });

  it("stays exact with more distinct astral characters than BMP stand-ins", () => {
    // 8,300 distinct CJK Extension B ideographs (U+20000...) exceed the 8,192 private-use
    // stand-ins, forcing the code-point DP fallback.
    const many = Array.from({ length: 8300 }, (_, i) => String.fromCodePoint(0x20000 + i));
    const a = many.join("");
    const bChars = Array.from({ length: 40 }, (_, i) => many[(i * 197) % many.length]!);
    bChars.splice(10, 0, "x", "😀");
    const b = bChars.join("");
    expect(levenshteinDistance(a, b)).toBe(levenshteinDp(codes(many), codes(bChars)));
  });
});
