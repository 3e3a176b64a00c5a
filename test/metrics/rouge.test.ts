import { mulberry32 } from "../helpers/random.js";
import { closeTo, conformanceRows } from "../helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import { rouge, rougeL, rougeLsum, rougeN, rougeScores, type RougeType } from "../../src/metrics/rouge.js";
import { rougeLReference, rougeNReference } from "../../src/metrics/reference/rouge.js";
import { rougeTokenize, rougeTokenizeLines } from "../../src/metrics/tokenize/rouge.js";
import { VERSION } from "../../src/util/version.js";

interface Row {
  id: string;
  input: string;
  reference: string;
  scores: Record<string, number>;
  [key: string]: unknown;
}

const rows = conformanceRows<Row>();

const expectClose = closeTo(1e-12);

// Fixture key stem for each rouge-score type.
const TYPES: [RougeType, string][] = [
  ["rouge1", "rouge1"], ["rouge2", "rouge2"], ["rouge3", "rouge3"], ["rouge4", "rouge4"], ["rouge5", "rouge5"],
  ["rougeL", "rougeL"], ["rougeLsum", "rougeLsum"],
];
const DEFAULTS: [RougeType, string][] = [
  ["rouge1", "default_rouge_1"], ["rouge2", "default_rouge_2"], ["rouge3", "default_rouge_3"],
  ["rouge4", "default_rouge_4"], ["rouge5", "default_rouge_5"], ["rougeL", "default_rouge_l"],
];

describe("rouge against the conformance fixture", () => {
  it("has all 342 rows", () => {
    expect(rows).toHaveLength(342);
  });

  it.each(rows.map((r) => [r.id, r] as const))("%s", (_id, row) => {
    const { input, reference, scores } = row;

    for (const [type, key] of DEFAULTS) {
      expectClose(rouge(input, reference, { type }).score, row[key] as number, key);
    }

    const types = TYPES.map(([t]) => t);
    for (const stemmer of [false, true]) {
      const all = rougeScores(input, reference, types, { stemmer });
      const suffix = stemmer ? "_stem" : "";
      for (const [type, key] of TYPES) {
        expectClose(all[type].precision, scores[`${key}_p${suffix}`]!, `${key}_p${suffix}`);
        expectClose(all[type].recall, scores[`${key}_r${suffix}`]!, `${key}_r${suffix}`);
        expectClose(all[type].fmeasure, scores[`${key}_f${suffix}`]!, `${key}_f${suffix}`);
      }
    }
  });
});

describe("rouge tokenizer", () => {
  it("lower-cases and splits on every non [a-z0-9] run", () => {
    expect(rougeTokenize("The QUICK brown-fox, jumped_over 3.14 dogs!")).toEqual([
      "the", "quick", "brown", "fox", "jumped", "over", "3", "14", "dogs",
    ]);
  });

  it("drops accented, Greek, Cyrillic and CJK letters", () => {
    expect(rougeTokenize("café naïve")).toEqual(["caf", "na", "ve"]);
    expect(rougeTokenize("Ελληνικά русский 中文 😀")).toEqual([]);
    expect(rougeTokenize("東京 tower 2024")).toEqual(["tower", "2024"]);
  });

  it("keeps the ASCII that Python's lower() produces from U+0130 and the Kelvin sign", () => {
    // "İ".lower() == "i\u0307" and "\u212a".lower() == "k" in Python, as in JS.
    expect(rougeTokenize("İstanbul \u212Aelvin")).toEqual(["i", "stanbul", "kelvin"]);
  });

  it("stems only tokens longer than 3 characters", () => {
    // nltk Porter: running -> run, flies -> fli, dies -> die; 3-letter 'ies'/'was' untouched.
    expect(rougeTokenize("Running flies dies ies was", true)).toEqual(["run", "fli", "die", "ies", "was"]);
  });

  it("splits rougeLsum lines on \\n only and drops empty lines", () => {
    expect(rougeTokenizeLines("a b\n\nc\r\n!!\nd")).toEqual([["a", "b"], ["c"], [], ["d"]]);
  });
});

describe("rouge scoring", () => {
  it("scores a side without tokens as 0", () => {
    for (const type of ["rouge1", "rouge2", "rougeL", "rougeLsum"] as const) {
      expect(rouge("日本語のテキスト", "some text", { type }).score).toBe(0);
      expect(rouge("some text", "", { type }).score).toBe(0);
      expect(rouge("", "", { type }).score).toBe(0);
    }
  });

  it("computes rouge-score's README example", () => {
    // rouge-score README example, counted by hand: the reference has 9 tokens, the input 8;
    // shared unigrams the ×2, quick, brown, dog, jumps -> 6, so P = 6/8 and R = 6/9.
    const r1 = rougeN(
      rougeTokenize("The quick brown fox jumps over the lazy dog"),
      rougeTokenize("The quick brown dog jumps on the log."),
      1,
    );
    expect(r1.precision).toBe(6 / 8);
    expect(r1.recall).toBe(6 / 9);
    // LCS: the quick brown jumps the -> 5.
    const rl = rougeL(
      rougeTokenize("The quick brown fox jumps over the lazy dog"),
      rougeTokenize("The quick brown dog jumps on the log."),
    );
    expect(rl.precision).toBe(5 / 8);
    expect(rl.recall).toBe(5 / 9);
  });

  it("clips repeated n-grams", () => {
    // reference 'the cat', candidate 'the the the': one 'the' matches.
    const r = rougeN(["the", "cat"], ["the", "the", "the"], 1);
    expect(r.precision).toBe(1 / 3);
    expect(r.recall).toBe(1 / 2);
    // bigrams: reference {a b, b a, a b} vs candidate {a b, b c}: a b matches once.
    const r2 = rougeN(["a", "b", "a", "b"], ["a", "b", "c"], 2);
    expect(r2.precision).toBe(1 / 2);
    expect(r2.recall).toBe(1 / 3);
  });

  it("distinguishes n-grams that share their first and last tokens", () => {
    // 'a b c' vs 'a x c' share no trigram.
    expect(rougeN(["a", "b", "c"], ["a", "x", "c"], 3).fmeasure).toBe(0);
    expect(rougeN(["a", "b", "c", "d"], ["a", "b", "c", "d"], 4).fmeasure).toBe(1);
  });

  it("puts precision on the input and recall on the reference", () => {
    const result = rouge("a b", "a b c d", { type: "rouge1", measure: "precision" });
    expect(result.score).toBe(1);
    expect(rouge("a b", "a b c d", { type: "rouge1", measure: "recall" }).score).toBe(0.5);
    expect(result.signature).toBe(`rouge_1|rouge-score:0.1.2|tok:rouge|stem:no|measure:precision|graderkit:${VERSION}`);
    expect(rouge("a", "a", { type: "rougeL", stemmer: true }).signature).toBe(
      `rouge_l|rouge-score:0.1.2|tok:rouge|stem:yes|measure:fmeasure|graderkit:${VERSION}`,
    );
  });

  it("counts a union-LCS token once per occurrence on both sides (rougeLsum)", () => {
    // ROUGE paper §3.2 example: r = w1 w2 w3 w4 w5, c1 = w1 w2 w6 w7 w8, c2 = w1 w3 w8 w9 w5.
    // LCS with c1 = w1 w2, with c2 = w1 w3 w5; union = w1 w2 w3 w5. w1 occurs twice in the
    // candidate but once in the reference, so it is a hit once: recall 4/5, precision 4/10.
    const r = rougeLsum(
      [["w1", "w2", "w3", "w4", "w5"]],
      [["w1", "w2", "w6", "w7", "w8"], ["w1", "w3", "w8", "w9", "w5"]],
    );
    expect(r.recall).toBe(4 / 5);
    expect(r.precision).toBe(4 / 10);
  });
});

describe("rouge on random token sequences against plain implementations", () => {
  const random = mulberry32(2024);
  // Vocabularies of 3, 20 and 600 words (the last beyond the 256 directly indexed symbols).
  const vocabularies = [3, 20, 600].map((size) => Array.from({ length: size }, (_, i) => `w${i}`));
  const lengths = [1, 2, 7, 31, 32, 33, 64, 65, 150];
  const pick = (vocabulary: string[], n: number): string[] =>
    Array.from({ length: n }, () => vocabulary[Math.floor(random() * vocabulary.length)]!);

  it.each(vocabularies.map((v) => [v.length, v] as const))("vocabulary of %i", (_size, vocabulary) => {
    let checked = 0;
    for (const n of lengths) {
      for (const m of lengths) {
        const reference = pick(vocabulary, n);
        const candidate = pick(vocabulary, m);

        expect(rougeL(reference, candidate)).toEqual(rougeLReference(reference, candidate));
        for (const order of [1, 2, 3, 4]) {
          expect(rougeN(reference, candidate, order)).toEqual(rougeNReference(reference, candidate, order));
        }
        checked++;
      }
    }
    expect(checked).toBe(lengths.length ** 2);
  });
});
