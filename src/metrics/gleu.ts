// Sentence GLEU (Google-BLEU) exactly as nltk 3.9.1 `sentence_gleu` computes it
// (nltk/translate/gleu_score.py): all n-grams of orders minLen..maxLen on both sides, matches
// clipped by count, score = matches / max(hypothesis n-grams, reference n-grams), i.e.
// min(precision, recall), taking the reference with the best ratio.

import { NgramMatcher, PairMatcher } from "./ngram-matcher.js";
import { metricSignature, perTokenizer, REFERENCE_LIBRARIES } from "./signature.js";
import type { TokenizerName } from "./tokenize/index.js";
import type { MetricResult } from "./types.js";

export interface GleuOptions {
  /** Smallest n-gram order, default 1. */
  minLen?: number;
  /** Largest n-gram order, default 4. */
  maxLen?: number;
}

interface GleuCounts {
  matches: number;
  total: number;
}

const matcher = new NgramMatcher();
const pairMatcher = new PairMatcher();
const pairMatches: number[] = [];

/** referenceCounts for a single reference. */
function pairCounts(reference: readonly string[], hypothesis: readonly string[], minLen: number, maxLen: number): GleuCounts {
  pairMatcher.match(hypothesis, reference, maxLen, pairMatches);
  let matches = 0;
  let hypTotal = 0;
  let refTotal = 0;
  for (let n = minLen; n <= maxLen; n++) {
    matches += pairMatches[n - 1]!;
    hypTotal += Math.max(0, hypothesis.length - n + 1);
    refTotal += Math.max(0, reference.length - n + 1);
  }
  return { matches, total: Math.max(hypTotal, refTotal) };
}

/** Per reference: (true positives, max(tp+fp, tp+fn)), as nltk's corpus_gleu collects them. */
function referenceCounts(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
  minLen: number,
  maxLen: number,
): GleuCounts[] {
  matcher.load([hypothesis, ...references]);
  const counts = references.map(() => ({ matches: 0, refTotal: 0 }));
  let hypTotal = 0;
  // n-grams of different orders are different tuples, so orders can be counted one at a time.
  for (let n = 1; n <= maxLen; n++) {
    matcher.nextOrder();
    if (n < minLen) continue;
    matcher.countHypothesis();
    hypTotal += matcher.count(0);
    counts.forEach((c, r) => {
      c.matches += matcher.matchReference(r + 1);
      c.refTotal += matcher.count(r + 1);
    });
  }
  return counts.map((c) => ({ matches: c.matches, total: Math.max(hypTotal, c.refTotal) }));
}

/** nltk `sentence_gleu(references, hypothesis, min_len, max_len)`. */
export function sentenceGleu(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
  options: GleuOptions = {},
): number {
  const minLen = options.minLen ?? 1;
  const maxLen = options.maxLen ?? 4;
  if (!Number.isInteger(minLen) || !Number.isInteger(maxLen) || minLen < 1) {
    throw new Error(`sentenceGleu: minLen and maxLen must be integers, minLen ≥ 1 (got ${minLen}, ${maxLen})`);
  }
  if (references.length === 1) {
    const counts = pairCounts(references[0]!, hypothesis, minLen, maxLen);
    return counts.total === 0 ? 0 : counts.matches / counts.total;
  }
  let best: GleuCounts | null = null;
  for (const counts of referenceCounts(references, hypothesis, minLen, maxLen)) {
    // nltk skips references where both sides have no n-grams, and keeps the first best ratio.
    if (counts.total === 0) continue;
    if (best === null || counts.matches / counts.total > best.matches / best.total) best = counts;
  }
  return best === null ? 0 : best.matches / best.total;
}

/** The text_similarity metric's options: nltk's, and the tokenizer of the texts. */
export interface GleuMetricOptions extends GleuOptions {
  /**
   * The tokenizer textSimilarity applies (default nltk_tokenize, as the hosted grader); for
   * pre-tokenized input, the one that produced the tokens, named in the signature.
   */
  tokenizer?: TokenizerName;
}

function buildGleuSignature(tokenizer: TokenizerName, minLen: number, maxLen: number): string {
  return metricSignature("gleu", { nltk: REFERENCE_LIBRARIES.nltk, tok: tokenizer, min_len: minLen, max_len: maxLen });
}

// The default orders' signature per tokenizer, looked up rather than formatted per call.
const plainSignatures = perTokenizer((tokenizer: TokenizerName) => buildGleuSignature(tokenizer, 1, 4));

/** e.g. "gleu|nltk:3.9.1|tok:nltk_tokenize|min_len:1|max_len:4|graderkit:0.1.0" */
export function gleuSignature(options: GleuMetricOptions = {}): string {
  const tokenizer = options.tokenizer ?? "nltk_tokenize";
  if (options.minLen === undefined && options.maxLen === undefined) return plainSignatures(tokenizer);
  return buildGleuSignature(tokenizer, options.minLen ?? 1, options.maxLen ?? 4);
}

/** The text_similarity gleu metric on pre-tokenized texts: nltk `sentence_gleu([reference], candidate)`. */
export function gleu(
  candidateTokens: readonly string[],
  referenceTokens: readonly string[],
  options: GleuMetricOptions = {},
): MetricResult {
  return {
    score: sentenceGleu([referenceTokens], candidateTokens, options),
    signature: gleuSignature(options),
  };
}
