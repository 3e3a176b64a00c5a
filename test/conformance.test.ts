// The heart of the suite: every row of both fixtures (scores computed by nltk, rouge-score and
// rapidfuzz, see ../shared/conformance/README.md), every key graderkit implements, through the
// public metric API.
// Tolerances: 1e-9 for bleu / gleu / meteor (log, exp and summation order), 1e-12 for the rest.
// No row is skipped. A null fixture value is a reference-library exception: we must throw too.

import { conformanceRows, FIXTURES, type ConformanceRow, type FixtureName } from "./helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import {
  fuzzRatio,
  fuzzyMatch,
  indelDistance,
  levenshteinDistance,
  nltkTokenize,
  pythonSplit,
  rouge,
  textSimilarity,
  treebankWordTokenize,
  type RougeType,
  type TokenizerName,
} from "../src/metrics/index.js";

type Row = ConformanceRow;

const ROW_COUNT: Record<FixtureName, number> = { text_similarity: 342, text_similarity_nltk391: 41 };

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

/** Row fields that are the pair itself or describe it, not values to reproduce. */
const ROW_FIELDS = new Set(["id", "category", "input", "reference", "scores", "errors"]);

/** Every value of the row: its top-level default_* and token lists and every score. */
function fixtureKeys(row: Row): string[] {
  return [...Object.keys(row).filter((key) => !ROW_FIELDS.has(key)), ...Object.keys(row.scores)];
}

/** Every check of one row; returns how many values were compared. */
function checkRow(row: Row): number {
  const { input, reference, scores } = row;
  const checked = new Set<string>();
  const expectScore = (actual: () => number, key: string, tol: number) => {
    const expected = key in scores ? scores[key] : (row[key] as number | null | undefined);
    if (expected === undefined) throw new Error(`fixture key ${key} missing`);
    if (expected === null) {
      if (!row.errors?.[key]) throw new Error(`${key} is null without an error entry`);
      expect(actual, `${row.id} ${key} must throw like the reference (${row.errors[key]})`).toThrow();
    } else {
      close(actual(), expected, tol, `${row.id} ${key}`);
    }
    checked.add(key);
  };

  // The grader defaults (what text_similarity graders return).
  for (const metric of GRADER_METRICS) {
    expectScore(() => textSimilarity(metric, input, reference).score, `default_${metric}`, metric === "bleu" || metric === "gleu" || metric === "meteor" ? LOOSE : TIGHT);
  }
  // The tokenizer port, token by token.
  expect(nltkTokenize(input), `${row.id} tokens_pf_input`).toEqual(row.tokens_pf_input);
  expect(nltkTokenize(reference), `${row.id} tokens_pf_reference`).toEqual(row.tokens_pf_reference);
  checked.add("tokens_pf_input").add("tokens_pf_reference");
  // Token counts of the three tokenizations.
  const tokenCounts: Array<[string, (text: string) => string[]]> = [
    ["", pythonSplit],
    ["_tb", (text) => treebankWordTokenize(text, { preserveLine: true })],
    ["_pf", nltkTokenize],
  ];
  for (const [suffix, tokenize] of tokenCounts) {
    expectScore(() => tokenize(input).length, `ntokens_input${suffix}`, 0);
    expectScore(() => tokenize(reference).length, `ntokens_reference${suffix}`, 0);
  }

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
  // Nothing in the fixture goes unchecked, and nothing is checked that is not in it.
  expect([...checked].sort(), `${row.id}: checked keys`).toEqual(fixtureKeys(row).sort());
  return checked.size;
}

for (const fixture of FIXTURES) {
  const rows = conformanceRows(fixture);
  describe(`${fixture}: conformance with nltk 3.9.1 / rouge-score 0.1.2 / rapidfuzz 3.10`, () => {
    it("has the whole fixture", () => {
      expect(rows.length).toBe(ROW_COUNT[fixture]);
    });
    let compared = 0;
    for (const row of rows) {
      it(`${row.id} (${row.category})`, () => {
        compared += checkRow(row);
      });
    }
    it("compared every key of every row", () => {
      // 10 defaults + 2 token lists + 6 token counts + 10 fuzzy + 3 × 11 nltk + 7 × 2 × 3 rouge.
      expect(compared).toBe(rows.length * 103);
    });
  });
}
