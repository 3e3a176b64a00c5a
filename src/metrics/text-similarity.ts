// The text_similarity metrics by their grader names (spec §4), with graderkit's defaults and
// the library-level variants. Each result carries the signature of what produced it.

import type { LocalMetric } from "./names.js";
import { bleu, type BleuSmoothing } from "./bleu.js";
import { fuzzyMatch, type FuzzyMatchOptions } from "./fuzzy-match.js";
import { gleu } from "./gleu.js";
import { meteor } from "./meteor.js";
import { rouge, type RougeMeasure, type RougeType } from "./rouge.js";
import { TOKENIZERS, type TokenizerName } from "./tokenize/index.js";
import type { MetricResult } from "./types.js";

export type { LocalMetric };

export interface TextSimilarityOptions {
  /** bleu / gleu / meteor tokenizer (default nltk_tokenize, as the hosted grader). */
  tokenizer?: TokenizerName;
  /** bleu smoothing method 0–7 (default 4); null = nltk's default (no smoothing). */
  smoothing?: BleuSmoothing | null;
  /** rouge: Porter-stem tokens longer than 3 characters (default false). */
  stemmer?: boolean;
  /** rouge: which number is the score (default fmeasure). */
  measure?: RougeMeasure;
  /** fuzzy_match variant (default rapidfuzz ratio over code points). */
  fuzzy?: FuzzyMatchOptions;
  /** meteor parameters (default alpha 0.9, beta 3, gamma 0.5). */
  meteor?: { alpha?: number; beta?: number; gamma?: number };
}

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

const ROUGE_TYPE: Record<string, RougeType> = {
  rouge_1: "rouge1",
  rouge_2: "rouge2",
  rouge_3: "rouge3",
  rouge_4: "rouge4",
  rouge_5: "rouge5",
  rouge_l: "rougeL",
};

/** Score (input, reference) with one metric. Throws only for a metric-level impossibility (bleu method6 without bigram matches). */
export function textSimilarity(metric: LocalMetric, input: string, reference: string, options: TextSimilarityOptions = {}): MetricResult {
  switch (metric) {
    case "fuzzy_match":
      return fuzzyMatch(input, reference, options.fuzzy);
    case "rouge_1":
    case "rouge_2":
    case "rouge_3":
    case "rouge_4":
    case "rouge_5":
    case "rouge_l":
      return rouge(input, reference, { type: ROUGE_TYPE[metric], stemmer: options.stemmer, measure: options.measure });
    case "bleu":
    case "gleu":
    case "meteor": {
      const tokenizer = options.tokenizer ?? "nltk_tokenize";
      const candidate = tokenizeOnce(tokenizer, input);
      const ref = tokenizeOnce(tokenizer, reference);
      if (metric === "bleu") return bleu(candidate, ref, { tokenizer, smoothing: options.smoothing });
      if (metric === "gleu") return gleu(candidate, ref, { tokenizer });
      return meteor(candidate, ref, { tokenizer, ...options.meteor });
    }
    default:
      throw new RangeError(`unknown text_similarity metric '${String(metric)}'`);
  }
}
