// Typed metric options: each metric takes only its own options, and an unknown key or a value
// outside the allowed ones is an error naming them (at compile time where TypeScript sees it, at
// run time always), never silently ignored.
import { describe, expect, it } from "vitest";
import { compileValidGrader } from "../../src/graders/compile.js";
import { gradeSample } from "../../src/graders/grade-sample.js";
import { runGrader } from "../../src/graders/run.js";
import type { Grader } from "../../src/schema/types.js";
import { bleu } from "../../src/metrics/bleu.js";
import { fuzzyMatch } from "../../src/metrics/fuzzy-match.js";
import { gleu } from "../../src/metrics/gleu.js";
import { meteor } from "../../src/metrics/meteor.js";
import { checkMetricOptions, checkMetricOptionsByMetric, type MetricOptionsByMetric } from "../../src/metrics/options.js";
import { rouge } from "../../src/metrics/rouge.js";
import { textSimilarity } from "../../src/metrics/text-similarity.js";
import { TOKENIZERS } from "../../src/metrics/tokenize/index.js";

const a = "The cat sat on the mat. It's late.";
const b = "A cat was sitting on the mat; it is late.";

describe("each metric's own options", () => {
  it("pass through to the metric", () => {
    expect(textSimilarity("fuzzy_match", a, b, { measure: "levenshtein", units: "utf16" })).toEqual(
      fuzzyMatch(a, b, { measure: "levenshtein", units: "utf16" }),
    );
    const split = [TOKENIZERS.split(a), TOKENIZERS.split(b)] as const;
    expect(textSimilarity("bleu", a, b, { tokenizer: "split", smoothing: 1, epsilon: 0.2, weights: [0.5, 0.5] })).toEqual(
      bleu(split[0], split[1], { tokenizer: "split", smoothing: 1, epsilon: 0.2, weights: [0.5, 0.5] }),
    );
    expect(textSimilarity("gleu", a, b, { tokenizer: "split", minLen: 2, maxLen: 3 })).toEqual(
      gleu(split[0], split[1], { tokenizer: "split", minLen: 2, maxLen: 3 }),
    );
    expect(textSimilarity("meteor", a, b, { tokenizer: "split", alpha: 0.5, gamma: 0 })).toEqual(
      meteor(split[0], split[1], { tokenizer: "split", alpha: 0.5, gamma: 0 }),
    );
    expect(textSimilarity("rouge_l", a, b, { stemmer: true, measure: "recall" })).toEqual(
      rouge(a, b, { type: "rougeL", stemmer: true, measure: "recall" }),
    );
  });

  it("treat an undefined value as unset", () => {
    expect(textSimilarity("bleu", a, b, { smoothing: undefined })).toEqual(textSimilarity("bleu", a, b));
  });
});

describe("option errors", () => {
  it("reject another metric's option with a TypeError naming it and the metric's options", () => {
    // @ts-expect-error smoothing is a bleu option, not a rouge one
    expect(() => textSimilarity("rouge_1", a, b, { smoothing: 1 })).toThrow(
      new TypeError("rouge_1 has no option 'smoothing' (its options: stemmer, measure)"),
    );
    // @ts-expect-error rouge takes no tokenizer
    expect(() => textSimilarity("rouge_l", a, b, { tokenizer: "split" })).toThrow(TypeError);
    // @ts-expect-error the old nested form
    expect(() => textSimilarity("meteor", a, b, { meteor: { alpha: 0.5 } })).toThrow(/meteor has no option 'meteor'/);
    // @ts-expect-error a typo
    expect(() => textSimilarity("bleu", a, b, { smoothng: 1 })).toThrow(
      "bleu has no option 'smoothng' (its options: tokenizer, smoothing, weights, epsilon, alpha, k, autoReweigh)",
    );
  });

  it("reject a value outside the allowed ones with a RangeError naming the allowed values", () => {
    // @ts-expect-error 9 is no smoothing method
    expect(() => textSimilarity("bleu", a, b, { smoothing: 9 })).toThrow(
      new RangeError("bleu option smoothing must be one of 0, 1, 2, 3, 4, 5, 6, 7, null, got 9"),
    );
    // @ts-expect-error no such tokenizer
    expect(() => textSimilarity("gleu", a, b, { tokenizer: "foo" })).toThrow(
      new RangeError('gleu option tokenizer must be one of "split", "treebank", "nltk_tokenize", got "foo"'),
    );
    // @ts-expect-error rouge's measures are fmeasure, precision and recall
    expect(() => textSimilarity("rouge_2", a, b, { measure: "f1" })).toThrow(
      new RangeError('rouge_2 option measure must be one of "fmeasure", "precision", "recall", got "f1"'),
    );
    // @ts-expect-error fuzzy_match's measures are others
    expect(() => textSimilarity("fuzzy_match", a, b, { measure: "f1" })).toThrow(/fuzzy_match option measure must be one of "ratio"/);
    expect(() => textSimilarity("bleu", a, b, { weights: [] })).toThrow(/weights must be a non-empty array of finite numbers, got \[\]/);
    expect(() => textSimilarity("bleu", a, b, { epsilon: Number.NaN })).toThrow(RangeError);
    expect(() => textSimilarity("gleu", a, b, { minLen: 0 })).toThrow(new RangeError("gleu option minLen must be an integer >= 1, got 0"));
    expect(() => textSimilarity("gleu", a, b, { maxLen: 2.5 })).toThrow(RangeError);
    expect(() => textSimilarity("meteor", a, b, { alpha: 1.5 })).toThrow(new RangeError("meteor option alpha must be a number in [0, 1], got 1.5"));
    expect(() => textSimilarity("meteor", a, b, { beta: -1 })).toThrow(RangeError);
  });

  it("reject a value of the wrong type with a TypeError", () => {
    // @ts-expect-error a string, not a number
    expect(() => textSimilarity("bleu", a, b, { smoothing: "4" })).toThrow(TypeError);
    // @ts-expect-error a string, not a boolean
    expect(() => textSimilarity("rouge_1", a, b, { stemmer: "yes" })).toThrow(
      new TypeError('rouge_1 option stemmer must be true or false, got "yes"'),
    );
    // @ts-expect-error not an options object
    expect(() => textSimilarity("bleu", a, b, null)).toThrow(new TypeError("bleu options must be an object, got null"));
    // @ts-expect-error not an options object
    expect(() => textSimilarity("bleu", a, b, [1])).toThrow(TypeError);
  });

  it("reject an unknown metric", () => {
    // @ts-expect-error cosine is not computed in-process
    expect(() => textSimilarity("cosine", a, b)).toThrow(RangeError);
    // @ts-expect-error not a metric
    expect(() => textSimilarity("constructor", a, b)).toThrow(RangeError);
    // @ts-expect-error not a metric
    expect(() => checkMetricOptions("rouge-1", {})).toThrow(/unknown text_similarity metric 'rouge-1'/);
  });

  it("check an object for the metric it is used with", () => {
    const options = { smoothing: 1 } as const;
    expect(() => checkMetricOptions("bleu", options)).not.toThrow();
    expect(() => textSimilarity("bleu", a, b, options)).not.toThrow();
    expect(() => textSimilarity("gleu", a, b, options as never)).toThrow(/gleu has no option 'smoothing'/);
  });
});

describe("options by metric", () => {
  it("are checked metric by metric, keys too", () => {
    expect(() => checkMetricOptionsByMetric({ bleu: { smoothing: 1 }, rouge_l: { measure: "recall" } })).not.toThrow();
    expect(() => checkMetricOptionsByMetric(undefined)).not.toThrow();
    // @ts-expect-error rouge-1 is not a metric name
    expect(() => checkMetricOptionsByMetric({ "rouge-1": {} })).toThrow(TypeError);
    // @ts-expect-error cosine has no options
    expect(() => checkMetricOptionsByMetric({ cosine: {} })).toThrow(/'cosine' is not a metric with options/);
    // @ts-expect-error 9 is no smoothing method
    expect(() => checkMetricOptionsByMetric({ bleu: { smoothing: 9 } })).toThrow(RangeError);
  });

  const grader = (metric: string) => ({
    type: "text_similarity" as const,
    name: metric,
    input: "{{ sample.output_text }}",
    reference: "{{ item.reference }}",
    evaluation_metric: metric as "bleu",
  });
  const sample = { model_sample: a, item: { reference: b } };

  it("give a grader its metric's options", async () => {
    const metricOptions: MetricOptionsByMetric = { bleu: { smoothing: null }, rouge_l: { measure: "recall" } };
    const bleuResult = await gradeSample(grader("bleu"), sample, { compileOptions: { metricOptions } });
    expect(bleuResult.reward).toBe(textSimilarity("bleu", a, b, { smoothing: null }).score);
    const rougeResult = await gradeSample(grader("rouge_l"), sample, { compileOptions: { metricOptions } });
    expect(rougeResult.reward).toBe(textSimilarity("rouge_l", a, b, { measure: "recall" }).score);
    const gleuResult = await gradeSample(grader("gleu"), sample, { compileOptions: { metricOptions } });
    expect(gleuResult.reward).toBe(textSimilarity("gleu", a, b).score);
  });

  it("are refused by the public API before any grading, naming the option; a grader compiled anyway fails its rows", async () => {
    // @ts-expect-error 9 is no smoothing method
    const metricOptions: MetricOptionsByMetric = { bleu: { smoothing: 9 } };
    await expect(gradeSample(grader("rouge_1"), sample, { compileOptions: { metricOptions } })).rejects.toThrow(
      new RangeError("bleu option smoothing must be one of 0, 1, 2, 3, 4, 5, 6, 7, null, got 9"),
    );
    const result = await runGrader(compileValidGrader(grader("rouge_1") as Grader, { metricOptions }), { sample: { output_text: sample.model_sample }, item: sample.item ?? {}, executors: {} });
    expect(result.reward).toBe(0);
    expect(result.metadata.errors.other_error).toBe(true);
    expect(result.error?.message).toMatch(/bleu option smoothing must be one of 0, 1, 2, 3, 4, 5, 6, 7, null, got 9/);
  });
});
