// The single-reference n-gram matcher (dead-n-gram pruning, dense ids) against the general one,
// and the bleu / gleu single-reference paths against their multi-reference paths.

import { describe, expect, it } from "vitest";
import { sentenceBleu } from "../../src/metrics/bleu.js";
import { sentenceGleu } from "../../src/metrics/gleu.js";
import { NgramMatcher, PairMatcher } from "../../src/metrics/ngram-matcher.js";
import { seededBelow } from "../helpers/random.js";

const next = seededBelow(4242);

function randomTokens(vocabulary: number, maxLength: number): string[] {
  return Array.from({ length: next(maxLength + 1) }, () => `w${next(vocabulary)}`);
}

const cases = Array.from({ length: 4000 }, (_, k) => {
  const vocabulary = 1 + next(k % 3 === 0 ? 4 : 30);
  const hyp = randomTokens(vocabulary, 40);
  // References that share runs with the hypothesis, so that long n-grams match too.
  const ref = next(3) === 0 ? randomTokens(vocabulary, 40) : hyp.map((w) => (next(4) === 0 ? `w${next(vocabulary)}` : w));
  if (next(5) === 0) ref.splice(next(ref.length + 1), 0, ...hyp.slice(next(hyp.length + 1)));
  return { hyp, ref, maxN: 1 + next(7) };
});

describe("PairMatcher", () => {
  it("counts the same clipped matches as NgramMatcher", () => {
    const pair = new PairMatcher();
    const general = new NgramMatcher();
    const got: number[] = [];
    for (const { hyp, ref, maxN } of cases) {
      pair.match(hyp, ref, maxN, got);
      general.load([hyp, ref]);
      const want: number[] = [];
      for (let n = 1; n <= maxN; n++) {
        general.nextOrder();
        general.countHypothesis();
        want.push(general.matchReference(1));
      }
      expect(got.slice(0, maxN), JSON.stringify({ hyp, ref })).toEqual(want);
    }
  });

  it("gives bleu and gleu the same scores as the multi-reference path", () => {
    for (const { hyp, ref, maxN } of cases) {
      const weights = Array.from({ length: maxN }, () => 1 / maxN);
      for (const smoothing of [0, 1, 2, 3, 4, 5, 7] as const) {
        expect(sentenceBleu([ref], hyp, { weights, smoothing })).toBe(sentenceBleu([ref, ref], hyp, { weights, smoothing }));
      }
      expect(sentenceGleu([ref], hyp, { maxLen: maxN })).toBe(sentenceGleu([ref, ref], hyp, { maxLen: maxN }));
      expect(sentenceGleu([ref], hyp, { minLen: 2, maxLen: maxN })).toBe(sentenceGleu([ref, ref], hyp, { minLen: 2, maxLen: maxN }));
    }
  });
});
