import { closeTo, conformanceRows } from "../helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import { bleu, bleuSignature, fsum, sentenceBleu, type BleuSmoothing } from "../../src/metrics/bleu.js";
import { VERSION } from "../../src/util/version.js";
import { treebankWordTokenize } from "../../src/metrics/tokenize/treebank.js";
import { pythonSplit } from "../../src/metrics/tokenize/whitespace.js";

interface Row {
  id: string;
  input: string;
  reference: string;
  default_bleu: number;
  tokens_pf_input: string[];
  tokens_pf_reference: string[];
  scores: Record<string, number | null>;
  errors?: Record<string, string>;
}

const rows = conformanceRows<Row>();

const TOLERANCE = 1e-9;

const expectClose = closeTo(TOLERANCE);

// Fixture key suffix → how that variant tokenized the texts.
const VARIANTS: [string, (text: string, row: Row, side: "input" | "reference") => string[]][] = [
  ["", (text) => pythonSplit(text)],
  ["_tb", (text) => treebankWordTokenize(text, { preserveLine: true })],
  ["_pf", (_text, row, side) => (side === "input" ? row.tokens_pf_input : row.tokens_pf_reference)],
];

const METHODS: BleuSmoothing[] = [0, 1, 2, 3, 4, 5, 6, 7];

describe("sentenceBleu against the conformance fixture", () => {
  it("has all 342 rows", () => {
    expect(rows).toHaveLength(342);
  });

  it.each(rows.map((r) => [r.id, r] as const))("%s", (_id, row) => {
    for (const [suffix, tokenize] of VARIANTS) {
      const hyp = tokenize(row.input, row, "input");
      const ref = tokenize(row.reference, row, "reference");
      expectClose(sentenceBleu([ref], hyp), row.scores[`bleu_nltk_default${suffix}`], `bleu_nltk_default${suffix}`);
      for (const k of METHODS) {
        const key = `bleu_nltk_smooth${k}${suffix}`;
        const expected = row.scores[key];
        if (expected === null) {
          // nltk raised: the fixture records why, and the port must throw too.
          expect(row.errors?.[key], `${key} is null without an error`).toMatch(/AssertionError/);
          expect(() => sentenceBleu([ref], hyp, { smoothing: k }), key).toThrow(/method6/);
        } else {
          expectClose(sentenceBleu([ref], hyp, { smoothing: k }), expected, key);
        }
      }
    }
    expectClose(
      bleu(row.tokens_pf_input, row.tokens_pf_reference).score,
      row.default_bleu,
      "default_bleu",
    );
  });
});

describe("sentenceBleu behaviours", () => {
  const ref = "the cat sat on the mat today".split(" ");

  it("gives nltk's tiny non-zero score when a higher order has no match", () => {
    // Fixture row pub-0012 ("a" vs "a"): orders 2-4 have no n-grams, each becomes
    // sys.float_info.min, so nltk scores min^0.75 instead of 0.
    expect(sentenceBleu([["a"]], ["a"])).toBe(1.821831989445342e-231);
    // All unigrams match, no bigram does: bp * (1 · min³)^¼ with bp = exp(1 - 7/5).
    const hyp = "today mat the sat cat".split(" ");
    const expected = Math.exp(1 - 7 / 5) * Math.exp(0.75 * Math.log(2.2250738585072014e-308));
    expect(Math.abs(sentenceBleu([ref], hyp) - expected)).toBeLessThanOrEqual(1e-240);
  });

  it("is exactly 0 when no unigram matches", () => {
    expect(sentenceBleu([ref], ["dog", "runs"])).toBe(0);
    expect(sentenceBleu([ref], ["dog", "runs"], { smoothing: 4 })).toBe(0);
    expect(sentenceBleu([ref], [])).toBe(0);
  });

  it("is 1 for an identical hypothesis of at least four tokens", () => {
    expect(sentenceBleu([ref], [...ref])).toBe(1);
  });

  it("throws for method6 without a trigram match", () => {
    expect(() => sentenceBleu([ref], ["the", "mat"], { smoothing: 6 })).toThrow(/method6/);
  });

  it("uses the closest reference length, the shorter one on ties", () => {
    const hyp = "a b c d e f".split(" ");
    // References of 5 and 7 tokens are equally close: the brevity penalty uses 5, so none applies.
    const score = sentenceBleu([["a", "b", "c", "d", "e", "f", "g"], ["a", "b", "c", "d", "e"]], hyp);
    const single = sentenceBleu([["a", "b", "c", "d", "e"]], hyp);
    expect(score).toBeGreaterThan(0.5);
    expect(score).toBeGreaterThanOrEqual(single);
  });
});

// nltk's documented examples (bleu_score.py docstrings); nltk prints them with an ellipsis.
const w = (text: string): string[] => text.split(" ");
const hypothesis1 = w("It is a guide to action which ensures that the military always obeys the commands of the party");
const hypothesis2 = w("It is to insure the troops forever hearing the activity guidebook that party direct");
const reference1 = w("It is a guide to action that ensures that the military will forever heed Party commands");
const reference2 = w("It is the guiding principle which guarantees the military forces always being under the command of the Party");
const reference3 = w("It is the practical guide for the army always to heed the directions of the party");
const refs3 = [reference1, reference2, reference3];

function expectPrefix(value: number, printed: string): void {
  expect(String(value).startsWith(printed), `${value} should print as ${printed}...`).toBe(true);
}

describe("nltk's documented sentence_bleu examples", () => {
  it("scores several references", () => {
    expectPrefix(sentenceBleu(refs3, hypothesis1), "0.5045");
    expect(sentenceBleu(refs3, hypothesis2)).toBeLessThan(0.00005); // round(…, 4) == 0.0
    expectPrefix(sentenceBleu(refs3, hypothesis2, { smoothing: 1 }), "0.0370");
    expectPrefix(sentenceBleu(refs3, hypothesis1, { weights: [0.2, 0.2, 0.2, 0.2, 0.2] }), "0.392");
    expectPrefix(sentenceBleu(refs3, hypothesis1, { weights: [1 / 2, 1 / 2] }), "0.7453");
    expectPrefix(sentenceBleu(refs3, hypothesis1, { weights: [1 / 3, 1 / 3, 1 / 3] }), "0.6240");
  });

  it("applies each smoothing method", () => {
    const printed = ["0.4118", "0.4118", "0.4452", "0.4118", "0.4118", "0.4905", "0.4135", "0.4905"];
    expectPrefix(sentenceBleu([reference1], hypothesis1), "0.4118");
    printed.forEach((value, k) => expectPrefix(sentenceBleu([reference1], hypothesis1, { smoothing: k as BleuSmoothing }), value));
  });

  it("has no false matches when the vocabulary outgrows exact numeric n-gram keys", () => {
    // 20000 distinct tokens: 20000^4 > 2^53, so n-gram keys are renumbered per order.
    const tokens = Array.from({ length: 20000 }, (_, i) => `t${i}`);
    expect(sentenceBleu([tokens], [...tokens])).toBe(1);
    // Reversed: every unigram matches, no bigram does; same value as fixture row pub-0012.
    expect(sentenceBleu([tokens], [...tokens].reverse())).toBe(1.821831989445342e-231);
  });
});

describe("fsum", () => {
  it("is exactly rounded where naive summation is not", () => {
    expect(fsum([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])).toBe(1);
    expect(fsum([1e100, 1, -1e100, 1e-100, 1e50, -1, -1e50])).toBe(1e-100);
    expect(fsum([1, 1e100, 1, -1e100])).toBe(2);
    expect(fsum([])).toBe(0);
  });
});

describe("bleu metric result", () => {
  it("names the variant in its signature", () => {
    const result = bleu(["a", "b"], ["a", "b"], { tokenizer: "split" });
    expect(result.signature).toBe(`bleu|nltk:3.9.1|tok:split|smooth:method4|graderkit:${VERSION}`);
    expect(bleuSignature()).toBe(`bleu|nltk:3.9.1|tok:nltk_tokenize|smooth:method4|graderkit:${VERSION}`);
    expect(bleuSignature({ smoothing: null })).toBe(`bleu|nltk:3.9.1|tok:nltk_tokenize|smooth:none|graderkit:${VERSION}`);
    expect(bleuSignature({ smoothing: 0 })).toBe(`bleu|nltk:3.9.1|tok:nltk_tokenize|smooth:method0|graderkit:${VERSION}`);
  });

  it("names the settings that differ from nltk's defaults", () => {
    expect(bleuSignature({ tokenizer: "treebank", smoothing: 1, epsilon: 0.2, weights: [0.5, 0.5], autoReweigh: true })).toBe(
      `bleu|nltk:3.9.1|tok:treebank|smooth:method1|weights:0.5,0.5|epsilon:0.2|auto_reweigh:yes|graderkit:${VERSION}`,
    );
    expect(bleuSignature({ k: 3 })).toBe(`bleu|nltk:3.9.1|tok:nltk_tokenize|smooth:method4|k:3|graderkit:${VERSION}`);
    expect(bleuSignature({ smoothing: 6, alpha: 2 })).toBe(`bleu|nltk:3.9.1|tok:nltk_tokenize|smooth:method6|alpha:2|graderkit:${VERSION}`);
    // A setting the method does not read, and the default weights, are left out.
    expect(bleuSignature({ smoothing: 2, epsilon: 0.2, weights: [0.25, 0.25, 0.25, 0.25] })).toBe(bleuSignature({ smoothing: 2 }));
  });
});
