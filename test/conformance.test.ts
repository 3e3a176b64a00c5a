// The heart of the suite: every fixture row (scores computed by nltk, rouge-score and rapidfuzz,
// see test/fixtures/README.md), every key graderkit implements, through the public metric API.
// Tolerances: 1e-9 for bleu / gleu / meteor (log, exp and summation order), 1e-12 for the rest.
// No row is skipped. A null fixture value is a reference-library exception: we must throw too.

import { conformanceRows, type ConformanceRow } from "./helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import {
  fuzzRatio,
  fuzzyMatch,
  indelDistance,
  levenshteinDistance,
  nltkTokenize,
  rouge,
  textSimilarity,
  type RougeType,
  type TokenizerName,
} from "../src/metrics/index.js";

type Row = ConformanceRow;

export const ROWS = conformanceRows();

const LOOSE = 1e-9;
const TIGHT = 1e-12;

function close(actual: number, expected: number, tol: number, what: string): void {
  if (!(Math.abs(actual - expected) <= tol)) throw new Error(`${what}: got ${actual}, reference ${expected} (|diff| ${Math.abs(actual - expected)} > ${tol})`);
}

const TOKENIZER_SUFFIX: Array<[TokenizerName, string]> = [
  ["split", ""],
  ["treebank", "_tb"],
  ["nltk_tokenize", "_pf"],
];
const GRADER_METRICS = ["fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5", "rouge_l"] as const;

/** Every check of one row; returns how many values were compared. */
function checkRow(row: Row): number {
  const { input, reference, scores } = row;
  let n = 0;
  const expectScore = (actual: () => number, key: string, tol: number) => {
    const expected = key in scores ? scores[key] : (row[key] as number | null | undefined);
    if (expected === undefined) throw new Error(`fixture key ${key} missing`);
    if (expected === null) {
      if (!row.errors?.[key]) throw new Error(`${key} is null without an error entry`);
      expect(actual, `${row.id} ${key} must throw like the reference (${row.errors[key]})`).toThrow();
    } else {
      close(actual(), expected, tol, `${row.id} ${key}`);
    }
    n++;
  };

  // The grader defaults (what text_similarity graders return).
  for (const metric of GRADER_METRICS) {
    expectScore(() => textSimilarity(metric, input, reference).score, `default_${metric}`, metric === "bleu" || metric === "gleu" || metric === "meteor" ? LOOSE : TIGHT);
  }
  // The tokenizer port, token by token.
  expect(nltkTokenize(input), `${row.id} tokens_pf_input`).toEqual(row.tokens_pf_input);
  expect(nltkTokenize(reference), `${row.id} tokens_pf_reference`).toEqual(row.tokens_pf_reference);
  n += 2;

  // fuzzy_match variants.
  expectScore(() => fuzzyMatch(input, reference, { measure: "indel" }).score, "fuzzy_match_indel", TIGHT);
  expectScore(() => fuzzRatio(input, reference), "fuzzy_match_ratio_rapidfuzz", TIGHT);
  expectScore(() => fuzzyMatch(input, reference, { measure: "lcs" }).score, "fuzzy_match_indel_levenshtein012", TIGHT);
  expectScore(() => fuzzyMatch(input, reference, { measure: "levenshtein" }).score, "fuzzy_match_lev", TIGHT);
  expectScore(() => fuzzyMatch(input, reference, { measure: "indel", units: "utf16" }).score, "fuzzy_match_indel_utf16", TIGHT);
  expectScore(() => fuzzyMatch(input, reference, { measure: "levenshtein", units: "utf16" }).score, "fuzzy_match_lev_utf16", TIGHT);
  expectScore(() => indelDistance(input, reference), "indel_distance", 0);
  expectScore(() => levenshteinDistance(input, reference), "lev_distance", 0);
  expectScore(() => [...input].length, "len_codepoints_input", 0);
  expectScore(() => [...reference].length, "len_codepoints_reference", 0);

  // bleu (nltk default = no smoothing, and methods 0–7), gleu, meteor, for all three tokenizations.
  for (const [tokenizer, suffix] of TOKENIZER_SUFFIX) {
    expectScore(() => textSimilarity("bleu", input, reference, { tokenizer, smoothing: null }).score, `bleu_nltk_default${suffix}`, LOOSE);
    for (const k of [0, 1, 2, 3, 4, 5, 6, 7] as const) {
      expectScore(() => textSimilarity("bleu", input, reference, { tokenizer, smoothing: k }).score, `bleu_nltk_smooth${k}${suffix}`, LOOSE);
    }
    expectScore(() => textSimilarity("gleu", input, reference, { tokenizer }).score, `gleu_nltk${suffix}`, LOOSE);
    expectScore(() => textSimilarity("meteor", input, reference, { tokenizer }).score, `meteor_nltk${suffix}`, LOOSE);
  }

  // rouge P/R/F for every type, with and without the stemmer.
  const types: Array<[RougeType, string]> = [["rouge1", "rouge1"], ["rouge2", "rouge2"], ["rouge3", "rouge3"], ["rouge4", "rouge4"], ["rouge5", "rouge5"], ["rougeL", "rougeL"], ["rougeLsum", "rougeLsum"]];
  for (const [type, key] of types) {
    for (const stemmer of [false, true]) {
      const stem = stemmer ? "_stem" : "";
      expectScore(() => rouge(input, reference, { type, stemmer, measure: "precision" }).score, `${key}_p${stem}`, TIGHT);
      expectScore(() => rouge(input, reference, { type, stemmer, measure: "recall" }).score, `${key}_r${stem}`, TIGHT);
      expectScore(() => rouge(input, reference, { type, stemmer, measure: "fmeasure" }).score, `${key}_f${stem}`, TIGHT);
    }
  }
  return n;
}

describe("conformance with nltk 3.9 / rouge-score 0.1.2 / rapidfuzz 3.10", () => {
  it("has the whole fixture", () => {
    expect(ROWS.length).toBe(342);
  });
  let compared = 0;
  for (const row of ROWS) {
    it(`${row.id} (${row.category})`, () => {
      compared += checkRow(row);
    });
  }
  it("compared every key of every row", () => {
    // 10 defaults + 2 token lists + 10 fuzzy + 3 × 11 nltk + 7 × 2 × 3 rouge = 97 per row.
    expect(compared).toBe(ROWS.length * 97);
  });
});
