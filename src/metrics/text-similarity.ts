// The text_similarity metrics by their grader names (spec §4), with graderkit's defaults and
// the library-level variants (options.ts). Each result carries the signature of what produced it.

import type { LocalMetric } from "./names.js";
import { bleu, type BleuMetricOptions } from "./bleu.js";
import { fuzzyMatch, type FuzzyMatchOptions } from "./fuzzy-match.js";
import { gleu, type GleuMetricOptions } from "./gleu.js";
import { meteor, type MeteorMetricOptions } from "./meteor.js";
import { checkMetricOptions, type MetricOptions } from "./options.js";
import { rouge, type RougeMetricOptions, type RougeType } from "./rouge.js";
import { TOKENIZERS, type TokenizerName } from "./tokenize/index.js";
import type { MetricResult } from "./types.js";

export type { LocalMetric };

// Tokenize each text once per row even when several graders of a multi use it: a small memo of
// the most recent texts per tokenizer, scanned newest first. Texts are compared with ===, which
// settles different lengths at once, so a miss costs no hashing of the text; rows rarely share
// texts beyond the last few. The token arrays are shared between callers, which only read them.
const MEMO_SIZE = 8;

interface Memo {
  /** NO_TEXT in unused slots, which no argument can be */
  texts: unknown[];
  tokens: string[][];
  /** slot of the newest entry */
  newest: number;
}

const NO_TEXT = Symbol("no text");

function newMemo(): Memo {
  return { texts: new Array<unknown>(MEMO_SIZE).fill(NO_TEXT), tokens: new Array<string[]>(MEMO_SIZE).fill([]), newest: 0 };
}

const memo: Record<TokenizerName, Memo> = { split: newMemo(), treebank: newMemo(), nltk_tokenize: newMemo() };

export function tokenizeOnce(tokenizer: TokenizerName, text: string): string[] {
  const m = memo[tokenizer];
  for (let k = 0, slot = m.newest; k < MEMO_SIZE; k++, slot = (slot + MEMO_SIZE - 1) % MEMO_SIZE) {
    if (m.texts[slot] === text) return m.tokens[slot]!;
  }
  const tokens = TOKENIZERS[tokenizer](text);
  m.newest = (m.newest + 1) % MEMO_SIZE;
  m.texts[m.newest] = text;
  m.tokens[m.newest] = tokens;
  return tokens;
}

/** bleu, gleu or meteor on the two texts' tokens (each text tokenized once per row, see tokenizeOnce). */
function onTokens<O extends { tokenizer?: TokenizerName }>(
  score: (candidate: readonly string[], reference: readonly string[], options: O | undefined) => MetricResult,
  input: string,
  reference: string,
  options: O | undefined,
): MetricResult {
  const tokenizer = options?.tokenizer ?? "nltk_tokenize";
  return score(tokenizeOnce(tokenizer, input), tokenizeOnce(tokenizer, reference), options);
}

function rougeOf(type: RougeType, input: string, reference: string, options: RougeMetricOptions | undefined): MetricResult {
  return rouge(input, reference, { type, stemmer: options?.stemmer, measure: options?.measure });
}

/**
 * Score (input, reference) with one metric and its options (options.ts; the first use of an
 * options object checks it, so an unknown key or value throws). Otherwise throws only for a
 * metric-level impossibility (bleu method6 without trigram matches).
 */
export function textSimilarity<M extends LocalMetric>(
  metric: M,
  input: string,
  reference: string,
  options?: MetricOptions<M>,
): MetricResult {
  if (options !== undefined) checkMetricOptions(metric, options);
  // A switch rather than a table of scorer functions: the cheapest dispatch, which shows on short
  // texts (a ~20-character fuzzy_match pair takes ~0.6 µs). `options` was checked for `metric`.
  switch (metric as LocalMetric) {
    case "fuzzy_match":
      return fuzzyMatch(input, reference, options as FuzzyMatchOptions | undefined);
    case "bleu":
      return onTokens(bleu, input, reference, options as BleuMetricOptions | undefined);
    case "gleu":
      return onTokens(gleu, input, reference, options as GleuMetricOptions | undefined);
    case "meteor":
      return onTokens(meteor, input, reference, options as MeteorMetricOptions | undefined);
    case "rouge_1":
      return rougeOf("rouge1", input, reference, options as RougeMetricOptions | undefined);
    case "rouge_2":
      return rougeOf("rouge2", input, reference, options as RougeMetricOptions | undefined);
    case "rouge_3":
      return rougeOf("rouge3", input, reference, options as RougeMetricOptions | undefined);
    case "rouge_4":
      return rougeOf("rouge4", input, reference, options as RougeMetricOptions | undefined);
    case "rouge_5":
      return rougeOf("rouge5", input, reference, options as RougeMetricOptions | undefined);
    case "rouge_l":
      return rougeOf("rougeL", input, reference, options as RougeMetricOptions | undefined);
    default:
      throw new RangeError(`unknown text_similarity metric '${String(metric)}'`);
  }
}
