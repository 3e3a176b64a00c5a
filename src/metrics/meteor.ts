// METEOR exactly as nltk 3.9 `meteor_score` computes it (nltk/translate/meteor_score.py):
// lower-case both sides, align words in three greedy stages (exact, Porter stem, WordNet
// synonym), each walking both lists from the end, then
//   P = m / |hyp|, R = m / |ref|, Fmean = P·R / (α·P + (1-α)·R),
//   penalty = γ · (chunks / m)^β, score = (1 - penalty) · Fmean,
// and the best score over the references.
//
// Two nltk details matter for the numbers: the stem stage hands its *stemmed* leftovers to the
// synonym stage, so synonyms are looked up for stems ("larg" has none, so big/large never match);
// and identical texts still pay the one-chunk penalty, 1 - γ·(1/n)^β.

import { porterStem } from "./porter-stemmer.js";
import type { MetricResult } from "./types.js";
import { synonyms } from "./wordnet.js";

export interface MeteorOptions {
  /** Weight of precision against recall, default 0.9. */
  alpha?: number;
  /** Shape of the fragmentation penalty, default 3. */
  beta?: number;
  /** Weight of the fragmentation penalty, default 0.5. */
  gamma?: number;
}

type Match = [hypIndex: number, refIndex: number];

/** The words still unaligned on one side, with their positions in the original sentence. */
interface Side {
  index: number[];
  word: string[];
}

// nltk's alignment stages: each hypothesis word, from the last, takes the last still-unaligned
// reference word it matches, and aligned words leave both sides (nltk pops them from its lists;
// walking backwards, skipping taken entries is the same thing).

/** Exact-match stage. The last untaken equal reference word is the top of that word's stack. */
function exactStage(hyp: Side, ref: Side, matches: Match[]): void {
  const positions = new Map<string, number[]>();
  for (let j = 0; j < ref.word.length; j++) {
    const stack = positions.get(ref.word[j]!);
    if (stack === undefined) positions.set(ref.word[j]!, [j]);
    else stack.push(j);
  }
  const keepHyp = new Array<boolean>(hyp.word.length).fill(true);
  const keepRef = new Array<boolean>(ref.word.length).fill(true);
  for (let i = hyp.word.length - 1; i >= 0; i--) {
    const j = positions.get(hyp.word[i]!)?.pop();
    if (j === undefined) continue;
    matches.push([hyp.index[i]!, ref.index[j]!]);
    keepHyp[i] = false;
    keepRef[j] = false;
  }
  compact(hyp, keepHyp);
  compact(ref, keepRef);
}

/** Synonym stage: a reference word matches if it is the hypothesis word or one of its synonyms. */
function synonymStage(hyp: Side, ref: Side, matches: Match[]): void {
  const keepHyp = new Array<boolean>(hyp.word.length).fill(true);
  const keepRef = new Array<boolean>(ref.word.length).fill(true);
  let left = ref.word.length;
  for (let i = hyp.word.length - 1; i >= 0 && left > 0; i--) {
    const h = hyp.word[i]!;
    const names = synonyms(h);
    for (let j = ref.word.length - 1; j >= 0; j--) {
      const r = ref.word[j]!;
      if (keepRef[j] && (r === h || names.has(r))) {
        matches.push([hyp.index[i]!, ref.index[j]!]);
        keepHyp[i] = false;
        keepRef[j] = false;
        left--;
        break;
      }
    }
  }
  compact(hyp, keepHyp);
  compact(ref, keepRef);
}

function compact(side: Side, keep: readonly boolean[]): void {
  let at = 0;
  for (let i = 0; i < side.word.length; i++) {
    if (!keep[i]) continue;
    side.index[at] = side.index[i]!;
    side.word[at++] = side.word[i]!;
  }
  side.index.length = at;
  side.word.length = at;
}

/** nltk _enum_align_words: exact, then stem, then WordNet-synonym matches, sorted by hypothesis index. */
function alignWords(hypothesis: readonly string[], reference: readonly string[]): Match[] {
  const hyp: Side = { index: hypothesis.map((_, i) => i), word: [...hypothesis] };
  const ref: Side = { index: reference.map((_, i) => i), word: [...reference] };
  const matches: Match[] = [];
  exactStage(hyp, ref, matches);
  if (hyp.word.length > 0 && ref.word.length > 0) {
    // The leftovers are replaced by their stems, which the synonym stage then sees too.
    hyp.word = hyp.word.map((w) => porterStem(w));
    ref.word = ref.word.map((w) => porterStem(w));
    exactStage(hyp, ref, matches);
    synonymStage(hyp, ref, matches);
  }
  return matches.sort((a, b) => a[0] - b[0]);
}

/** nltk _count_chunks: runs of matches adjacent on both sides. */
function countChunks(matches: readonly Match[]): number {
  let chunks = 1;
  for (let i = 0; i < matches.length - 1; i++) {
    const [h, r] = matches[i]!;
    const [nh, nr] = matches[i + 1]!;
    if (!(nh === h + 1 && nr === r + 1)) chunks++;
  }
  return chunks;
}

interface MeteorParts {
  score: number;
  matches: number;
  chunks: number;
}

function singleMeteor(
  reference: readonly string[],
  hypothesis: readonly string[],
  alpha: number,
  beta: number,
  gamma: number,
): MeteorParts {
  // Python's str.lower; JS toLowerCase applies the same full Unicode mappings (final sigma too).
  const hyp = hypothesis.map((w) => w.toLowerCase());
  const ref = reference.map((w) => w.toLowerCase());
  const matches = alignWords(hyp, ref);
  const m = matches.length;
  const chunks = countChunks(matches);
  // Where nltk divides by zero it returns 0.
  if (hyp.length === 0 || ref.length === 0) return { score: 0, matches: m, chunks };
  const precision = m / hyp.length;
  const recall = m / ref.length;
  const denominator = alpha * precision + (1 - alpha) * recall;
  if (denominator === 0 || m === 0) return { score: 0, matches: m, chunks };
  const fmean = (precision * recall) / denominator;
  const fragFrac = chunks / m;
  const penalty = gamma * Math.pow(fragFrac, beta);
  return { score: (1 - penalty) * fmean, matches: m, chunks };
}

function bestOver(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
  options: MeteorOptions,
): MeteorParts {
  if (references.length === 0) throw new Error("meteorScore needs at least one reference");
  const alpha = options.alpha ?? 0.9;
  const beta = options.beta ?? 3;
  const gamma = options.gamma ?? 0.5;
  let best: MeteorParts | null = null;
  for (const reference of references) {
    const parts = singleMeteor(reference, hypothesis, alpha, beta, gamma);
    if (best === null || parts.score > best.score) best = parts;
  }
  return best!;
}

/** nltk `meteor_score(references, hypothesis, alpha, beta, gamma)` on pre-tokenized texts. */
export function meteorScore(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
  options: MeteorOptions = {},
): number {
  return bestOver(references, hypothesis, options).score;
}

export interface MeteorMetricOptions extends MeteorOptions {
  /** Name of the tokenizer that produced the tokens, for the signature (e.g. "nltk_tokenize"). */
  tokenizer?: string;
}

export function meteorSignature(options: MeteorMetricOptions = {}): string {
  return (
    `meteor|nltk-3.9|tok:${options.tokenizer ?? "nltk_tokenize"}|wordnet-3.0` +
    `|alpha:${options.alpha ?? 0.9}|beta:${options.beta ?? 3}|gamma:${options.gamma ?? 0.5}`
  );
}

/** The text_similarity meteor metric on pre-tokenized texts: nltk `meteor_score([reference], candidate)`. */
export function meteor(
  candidateTokens: readonly string[],
  referenceTokens: readonly string[],
  options: MeteorMetricOptions = {},
): MetricResult {
  const parts = bestOver([referenceTokens], candidateTokens, options);
  return {
    score: parts.score,
    signature: meteorSignature(options),
    details: { matches: parts.matches, chunks: parts.chunks },
  };
}
