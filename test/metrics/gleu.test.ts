import { closeTo, conformanceRows } from "../helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import { gleu, sentenceGleu } from "../../src/metrics/gleu.js";
import { treebankWordTokenize } from "../../src/metrics/tokenize/treebank.js";
import { pythonSplit } from "../../src/metrics/tokenize/whitespace.js";
import { VERSION } from "../../src/util/version.js";

interface Row {
  id: string;
  input: string;
  reference: string;
  default_gleu: number;
  tokens_pf_input: string[];
  tokens_pf_reference: string[];
  scores: Record<string, number | null>;
}

const rows = conformanceRows<Row>();

const expectClose = closeTo(1e-9);

describe("sentenceGleu against the conformance fixture", () => {
  it("has all 342 rows", () => {
    expect(rows).toHaveLength(342);
  });

  it.each(rows.map((r) => [r.id, r] as const))("%s", (_id, row) => {
    const split = [pythonSplit(row.input), pythonSplit(row.reference)] as const;
    expectClose(sentenceGleu([split[1]], split[0]), row.scores.gleu_nltk, "gleu_nltk");
    const tb = [row.input, row.reference].map((t) => treebankWordTokenize(t, { preserveLine: true }));
    expectClose(sentenceGleu([tb[1]!], tb[0]!), row.scores.gleu_nltk_tb, "gleu_nltk_tb");
    expectClose(sentenceGleu([row.tokens_pf_reference], row.tokens_pf_input), row.scores.gleu_nltk_pf, "gleu_nltk_pf");
    expectClose(gleu(row.tokens_pf_input, row.tokens_pf_reference).score, row.default_gleu, "default_gleu");
  });
});

describe("nltk's documented sentence_gleu examples", () => {
  const w = (text: string): string[] => text.split(" ");
  const prefix = (value: number, printed: string): void =>
    expect(String(value).startsWith(printed), `${value} should print as ${printed}...`).toBe(true);

  it("scores them as nltk prints them", () => {
    prefix(sentenceGleu([w("the cat is on the mat")], w("the the the the the the the")), "0.0909");
    const ref1 = w("It is a guide to action that ensures that the military will forever heed Party commands");
    const hyp1 = w("It is a guide to action which ensures that the military always obeys the commands of the party");
    const hyp2 = w("It is to insure the troops forever hearing the activity guidebook that party direct");
    prefix(sentenceGleu([ref1], hyp1), "0.4393");
    prefix(sentenceGleu([ref1], hyp2), "0.1206");
  });
});

describe("sentenceGleu behaviours", () => {
  it("is min(precision, recall) over n-grams of orders 1-4", () => {
    // hypothesis "a b c": 6 n-grams; reference "a b c d": 10 n-grams; all 6 match → 6/10.
    expect(sentenceGleu([["a", "b", "c", "d"]], ["a", "b", "c"])).toBe(0.6);
  });

  it("clips repeated n-grams by their count in the reference", () => {
    // hypothesis "x x": x ×2, "x x" ×1; reference "x y": only one x matches → 1 / max(3, 3).
    expect(sentenceGleu([["x", "y"]], ["x", "x"])).toBe(1 / 3);
  });

  it("is 0 when both sides are empty or nothing matches", () => {
    expect(sentenceGleu([[]], [])).toBe(0);
    expect(sentenceGleu([["a"]], ["b"])).toBe(0);
  });

  it("takes the best reference", () => {
    expect(sentenceGleu([["q"], ["a", "b"]], ["a", "b"])).toBe(1);
  });

  it("names the variant in its signature", () => {
    expect(gleu(["a"], ["a"], { tokenizer: "split" }).signature).toBe(`gleu|nltk:3.9.1|tok:split|min_len:1|max_len:4|graderkit:${VERSION}`);
    expect(gleu(["a"], ["a"], { maxLen: 2 }).signature).toBe(`gleu|nltk:3.9.1|tok:nltk_tokenize|min_len:1|max_len:2|graderkit:${VERSION}`);
  });
});
