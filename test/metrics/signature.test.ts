// Result signatures: one format for every metric (metric name, then key:value fields, graderkit's
// version last), read back by parseSignature.
import { describe, expect, it } from "vitest";
import { bleuSignature } from "../../src/metrics/bleu.js";
import { cosineSignature } from "../../src/metrics/cosine.js";
import { fuzzyMatch } from "../../src/metrics/fuzzy-match.js";
import { gleuSignature } from "../../src/metrics/gleu.js";
import { meteorSignature } from "../../src/metrics/meteor.js";
import { rougeSignature, ROUGE_TYPES } from "../../src/metrics/rouge.js";
import { formatSignature, parseSignature, type Signature } from "../../src/metrics/signature.js";
import { textSimilarity } from "../../src/metrics/text-similarity.js";
import { TOKENIZER_NAMES } from "../../src/metrics/tokenize/index.js";
import { EVALUATION_METRICS } from "../../src/metrics/names.js";
import { VERSION } from "../../src/util/version.js";

/** Every signature the metrics can give for the settings the fixtures cover, and a few more. */
function allSignatures(): string[] {
  const out: string[] = [];
  for (const measure of ["ratio", "indel", "lcs", "levenshtein"] as const) {
    for (const units of ["codepoint", "utf16"] as const) out.push(fuzzyMatch("a", "b", { measure, units }).signature);
  }
  for (const tokenizer of TOKENIZER_NAMES) {
    for (const smoothing of [null, 0, 1, 2, 3, 4, 5, 6, 7] as const) out.push(bleuSignature({ tokenizer, smoothing }));
    out.push(bleuSignature({ tokenizer, smoothing: 1, epsilon: 0.01, weights: [0.5, 0.5], autoReweigh: true }));
    out.push(gleuSignature({ tokenizer }), gleuSignature({ tokenizer, minLen: 2, maxLen: 3 }));
    out.push(meteorSignature({ tokenizer }), meteorSignature({ tokenizer, alpha: 0.5, beta: 2, gamma: 0.25 }));
  }
  for (const type of ROUGE_TYPES) {
    for (const stemmer of [false, true]) {
      for (const measure of ["fmeasure", "precision", "recall"] as const) out.push(rougeSignature(type, stemmer, measure));
    }
  }
  out.push(cosineSignature("text-embedding-3-large"));
  return out;
}

describe("metric signatures", () => {
  const signatures = allSignatures();

  it("start with the metric, then key:value fields: the reference library first, graderkit last", () => {
    const libraries = new Set(["nltk", "rouge-score", "rapidfuzz", "python-levenshtein", "model"]);
    for (const text of signatures) {
      const { metric, fields } = parseSignature(text);
      const keys = Object.keys(fields);
      expect(EVALUATION_METRICS.includes(metric as never) || metric.startsWith("rouge_"), text).toBe(true);
      expect(libraries.has(keys[0]!), text).toBe(true);
      expect(keys.at(-1), text).toBe("graderkit");
      expect(fields.graderkit, text).toBe(VERSION);
    }
  });

  it("name the reference versions whose numbers they reproduce", () => {
    expect(parseSignature(bleuSignature()).fields.nltk).toBe("3.9.1");
    expect(parseSignature(gleuSignature()).fields.nltk).toBe("3.9.1");
    expect(parseSignature(meteorSignature()).fields).toMatchObject({ nltk: "3.9.1", wordnet: "3.0" });
    expect(parseSignature(rougeSignature("rouge1")).fields["rouge-score"]).toBe("0.1.2");
    expect(parseSignature(fuzzyMatch("a", "b").signature).fields.rapidfuzz).toBe("3.10.1");
  });

  it("are the ones textSimilarity returns", () => {
    for (const metric of ["fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_l"] as const) {
      expect(signatures).toContain(textSimilarity(metric, "a b", "a c").signature);
    }
  });

  it("tell every variant apart", () => {
    expect(new Set(signatures).size).toBe(signatures.length);
  });

  it("round-trip: formatSignature(parseSignature(s)) is s", () => {
    for (const text of signatures) expect(formatSignature(parseSignature(text))).toBe(text);
  });
});

describe("formatSignature / parseSignature", () => {
  const examples: Signature[] = [
    { metric: "bleu", fields: { nltk: "3.9.1", tok: "nltk_tokenize", smooth: "method4", graderkit: "0.1.0" } },
    { metric: "cosine", fields: { model: "org/model:v2", graderkit: "1.2.3-beta.1" } },
    { metric: "x", fields: {} },
    { metric: "rouge_lsum", fields: { "rouge-score": "0.1.2", "a.b_c-d": "weights:0.5,0.5" } },
  ];

  it("round-trip: parseSignature(formatSignature(x)) is x", () => {
    for (const x of examples) {
      const text = formatSignature(x);
      expect(parseSignature(text)).toEqual(x);
      // Field order is part of the signature.
      expect(Object.keys(parseSignature(text).fields)).toEqual(Object.keys(x.fields));
    }
    expect(formatSignature(examples[0]!)).toBe("bleu|nltk:3.9.1|tok:nltk_tokenize|smooth:method4|graderkit:0.1.0");
  });

  it("refuses what the format cannot hold", () => {
    expect(() => formatSignature({ metric: "bleu", fields: { tok: "a|b" } })).toThrow(RangeError);
    expect(() => formatSignature({ metric: "bleu", fields: { tok: "" } })).toThrow(/non-empty/);
    expect(() => formatSignature({ metric: "bleu", fields: { "Tok:": "x" } })).toThrow(/bad field key/);
    expect(() => formatSignature({ metric: "BLEU", fields: {} })).toThrow(/bad metric name/);
  });

  it("refuses text that is not a signature", () => {
    for (const text of ["", "bleu|nltk", "bleu|:3.9", "bleu|nltk:", "bleu|nltk:3.9|nltk:3.8", "bleu|nltk-3.9", "|a:b"]) {
      expect(() => parseSignature(text), JSON.stringify(text)).toThrow(SyntaxError);
    }
  });
});
