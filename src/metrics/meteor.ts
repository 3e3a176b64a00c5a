// METEOR exactly as nltk 3.9.1 `meteor_score` computes it (nltk/translate/meteor_score.py):
// lower-case both sides, align words in three greedy stages (exact, Porter stem, WordNet
// synonym), each walking both lists from the end, then
//   P = m / |hyp|, R = m / |ref|, Fmean = P·R / (α·P + (1-α)·R),
//   penalty = γ · (chunks / m)^β, score = (1 - penalty) · Fmean,
// and the best score over the references.
//
// Two nltk details matter for the numbers: the stem stage hands its *stemmed* leftovers to the
// synonym stage, so synonyms are looked up for stems ("larg" has none, so big/large never match);
// and identical texts still pay the one-chunk penalty, 1 - γ·(1/n)^β.

import { EpochArray } from "./epoch-table.js";
import { porterStem } from "./porter-stemmer.js";
import { metricSignature, perTokenizer, REFERENCE_LIBRARIES, WORDNET_VERSION } from "./signature.js";
import type { TokenizerName } from "./tokenize/index.js";
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

// Speed: nltk's alignment (ported plainly in ./reference/meteor.ts, which the tests compare this
// with) on integer ids.
//
// Every distinct token is looked up once: its lower-cased form, the Porter stem of that, and
// (when first needed) the synonym names of the stem, all as ids of one string registry, so equal
// ids are equal strings. The stages then run on ids with per-id stacks of reference positions;
// matches are recorded per hypothesis position, which is already nltk's sorted order.
// After the stem stage no leftover reference stem equals a leftover hypothesis stem (an unmatched
// hypothesis word found its word's stack empty), so a word without synonyms matches nothing.

interface WordInfo {
  lowerId: number;
  stemId: number;
}

/** The synonym names of a stem as registry ids: a set, and the same ids as a list. */
interface SynonymIds {
  set: ReadonlySet<number>;
  list: Int32Array;
}

const NO_SYNONYMS: SynonymIds = { set: new Set<number>(), list: new Int32Array(0) };
// The registry is process-wide (a repeated word costs one lookup for both its ids) and dropped
// wholesale past this many strings, between calls. Kept small: with an open vocabulary it fills
// with words never seen again, and a small table stays in cache (a per-call table instead
// measured 1.6x slower on the closed-vocabulary sets and 1.2x faster on the open one).
const REGISTRY_LIMIT = 1 << 16;

class FastAligner {
  // Maps, not dictionary-mode objects: a new property key is first interned into V8's string
  // table, which with an open vocabulary (every word new) cost more than the whole alignment.
  private registry = new Map<string, number>();
  private registered = 0;
  private strings: string[] = [];
  /** leftover counts after a stage */
  private nh = 0;
  private nr = 0;
  private words = new Map<string, WordInfo>();
  private synonymIds: (SynonymIds | undefined)[] = [];

  /** Per-id stacks: the head of a list of reference slots, -1 (unset) for an empty stack. */
  private readonly heads = new EpochArray();

  // Per position / slot buffers.
  private hypLower = new Int32Array(64);
  private hypStem = new Int32Array(64);
  private refLower = new Int32Array(64);
  private refStem = new Int32Array(64);
  private hypLeft = new Int32Array(64);
  private refLeft = new Int32Array(64);
  private nextSlot = new Int32Array(64);
  private refTaken = new Uint8Array(64);
  /** reference position matched to each hypothesis position, or -1 */
  private matchBuffer = new Int32Array(64);

  private id(s: string): number {
    let id = this.registry.get(s);
    if (id === undefined) {
      this.registry.set(s, (id = this.registered++));
      this.strings.push(s);
    }
    return id;
  }

  private info(token: string): WordInfo {
    let info = this.words.get(token);
    if (info === undefined) {
      // Python's str.lower; JS toLowerCase applies the same full Unicode mappings.
      const lower = token.toLowerCase();
      info = { lowerId: this.id(lower), stemId: this.id(porterStem(lower)) };
      this.words.set(token, info);
    }
    return info;
  }

  private synonymsOf(stemId: number): SynonymIds {
    let ids = this.synonymIds[stemId];
    if (ids === undefined) {
      const names = synonyms(this.strings[stemId]!);
      if (names.size === 0) {
        ids = NO_SYNONYMS;
      } else {
        const set = new Set<number>();
        for (const name of names) set.add(this.id(name));
        ids = { set, list: Int32Array.from(set) };
      }
      this.synonymIds[stemId] = ids;
    }
    return ids;
  }

  private reserve(h: number, r: number): void {
    if (this.hypLower.length < h) {
      this.hypLower = new Int32Array(h * 2);
      this.hypStem = new Int32Array(h * 2);
      this.hypLeft = new Int32Array(h * 2);
      this.matchBuffer = new Int32Array(h * 2);
    }
    if (this.refLower.length < r) {
      this.refLower = new Int32Array(r * 2);
      this.refStem = new Int32Array(r * 2);
      this.refLeft = new Int32Array(r * 2);
      this.nextSlot = new Int32Array(r * 2);
      this.refTaken = new Uint8Array(r * 2);
    }
  }

  /**
   * Aligns the two token lists (not lower-cased yet); returns hypMatch, where entry i is the
   * reference position matched to hypothesis position i, or -1 (only the first h entries).
   */
  align(hypothesis: readonly string[], reference: readonly string[]): Int32Array {
    if (this.registered > REGISTRY_LIMIT) {
      this.registry = new Map();
      this.registered = 0;
      this.strings = [];
      this.words = new Map();
      this.synonymIds = [];
    }
    const h = hypothesis.length;
    const r = reference.length;
    this.reserve(h, r);
    const hypLower = this.hypLower;
    const hypStem = this.hypStem;
    const refLower = this.refLower;
    const refStem = this.refStem;
    const hypLeft = this.hypLeft;
    const refLeft = this.refLeft;
    const hypMatch = this.matchBuffer;
    for (let i = 0; i < h; i++) {
      const info = this.info(hypothesis[i]!);
      hypLower[i] = info.lowerId;
      hypStem[i] = info.stemId;
      hypLeft[i] = i;
      hypMatch[i] = -1;
    }
    for (let j = 0; j < r; j++) {
      const info = this.info(reference[j]!);
      refLower[j] = info.lowerId;
      refStem[j] = info.stemId;
      refLeft[j] = j;
    }
    this.heads.reserve(this.registered);
    this.exactStage(hypLower, refLower, h, r, hypMatch);
    if (this.nh > 0 && this.nr > 0) {
      this.exactStage(hypStem, refStem, this.nh, this.nr, hypMatch);
      if (this.nh > 0 && this.nr > 0) this.synonymStage(this.nh, this.nr, hypMatch);
    }
    return hypMatch;
  }

  /**
   * Index the leftover reference words by key (a word id or a stem id) for the current stage:
   * `heads.get(key)` is the last leftover slot with that key and `nextSlot` chains to the earlier
   * ones, so a stage takes matches from the end as nltk does. Marks every leftover untaken.
   */
  private stackLeftovers(refKeyOf: Int32Array, nr: number): void {
    const { heads, nextSlot, refTaken, refLeft } = this;
    heads.clear();
    for (let k = 0; k < nr; k++) {
      const key = refKeyOf[refLeft[k]!]!;
      nextSlot[k] = heads.get(key);
      heads.set(key, k);
      refTaken[k] = 0;
    }
  }

  /** exactStage on ids: each leftover hypothesis word, from the last, takes the last equal reference word. */
  private exactStage(hypKey: Int32Array, refKey: Int32Array, nh: number, nr: number, hypMatch: Int32Array): void {
    this.stackLeftovers(refKey, nr);
    const heads = this.heads;
    const nextSlot = this.nextSlot;
    const refTaken = this.refTaken;
    const hypLeft = this.hypLeft;
    const refLeft = this.refLeft;
    let keptHyp = nh;
    for (let a = nh - 1; a >= 0; a--) {
      const i = hypLeft[a]!;
      const key = hypKey[i]!;
      const k = heads.get(key);
      if (k < 0) continue;
      heads.set(key, nextSlot[k]!);
      hypMatch[i] = refLeft[k]!;
      refTaken[k] = 1;
      hypLeft[a] = -1;
      keptHyp--;
    }
    if (keptHyp === nh) {
      this.nh = nh;
      this.nr = nr;
    } else {
      this.nh = compactLeft(hypLeft, nh);
      this.nr = compactTaken(refLeft, refTaken, nr);
    }
  }

  /**
   * Synonym stage: each leftover hypothesis word, from the last, takes the last untaken leftover
   * reference word whose stem is one of its synonym names. That word is found either by scanning
   * the reference leftovers, or, when the word has fewer names than there are leftovers, as the
   * largest untaken slot on the per-stem stacks of its names.
   */
  private synonymStage(nh: number, nr: number, hypMatch: Int32Array): void {
    const hypLeft = this.hypLeft;
    const refLeft = this.refLeft;
    const refTaken = this.refTaken;
    const hypStem = this.hypStem;
    const refStem = this.refStem;
    this.stackLeftovers(refStem, nr);
    const heads = this.heads;
    const nextSlot = this.nextSlot;
    let left = nr;
    for (let a = nh - 1; a >= 0 && left > 0; a--) {
      const i = hypLeft[a]!;
      const names = this.synonymsOf(hypStem[i]!);
      if (names.list.length === 0) continue;
      let best = -1;
      if (names.list.length < nr) {
        const list = names.list;
        for (let n = 0; n < list.length; n++) {
          const id = list[n]!;
          // (A name first registered by synonymsOf has no stack: get gives -1.)
          let k = heads.get(id);
          if (k < 0) continue;
          // Drop taken slots from the top of the stack, then its top is the largest untaken one.
          while (k >= 0 && refTaken[k] !== 0) k = nextSlot[k]!;
          heads.set(id, k);
          if (k > best) best = k;
        }
      } else {
        const set = names.set;
        for (let k = nr - 1; k >= 0; k--) {
          if (refTaken[k] === 0 && set.has(refStem[refLeft[k]!]!)) {
            best = k;
            break;
          }
        }
      }
      if (best >= 0) {
        hypMatch[i] = refLeft[best]!;
        refTaken[best] = 1;
        left--;
      }
    }
  }
}

/** Drops the -1 entries of list[0, n); returns the new length. */
function compactLeft(list: Int32Array, n: number): number {
  let at = 0;
  for (let a = 0; a < n; a++) if (list[a]! >= 0) list[at++] = list[a]!;
  return at;
}

/** Drops the taken slots of list[0, n); returns the new length. */
function compactTaken(list: Int32Array, taken: Uint8Array, n: number): number {
  let at = 0;
  for (let k = 0; k < n; k++) if (taken[k] === 0) list[at++] = list[k]!;
  return at;
}

const aligner = new FastAligner();

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
  const hypMatch = aligner.align(hypothesis, reference);
  // Matches in hypothesis order, and nltk's chunk count over them.
  let m = 0;
  let chunks = 1;
  let prevH = -2;
  let prevR = -2;
  for (let i = 0; i < hypothesis.length; i++) {
    const j = hypMatch[i]!;
    if (j < 0) continue;
    if (m > 0 && !(i === prevH + 1 && j === prevR + 1)) chunks++;
    m++;
    prevH = i;
    prevR = j;
  }
  // Where nltk divides by zero it returns 0.
  if (hypothesis.length === 0 || reference.length === 0) return { score: 0, matches: m, chunks };
  const precision = m / hypothesis.length;
  const recall = m / reference.length;
  const denominator = alpha * precision + (1 - alpha) * recall;
  if (denominator === 0 || m === 0) return { score: 0, matches: m, chunks };
  const fmean = (precision * recall) / denominator;
  const fragFrac = chunks / m;
  const penalty = gamma * Math.pow(fragFrac, beta);
  return { score: (1 - penalty) * fmean, matches: m, chunks };
}

/** singleMeteor's (matches, chunks). Exported for tests only. */
export function meteorCounts(reference: readonly string[], hypothesis: readonly string[]): [number, number] {
  const parts = singleMeteor(reference, hypothesis, 0.9, 3, 0.5);
  return [parts.matches, parts.chunks];
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

/** The text_similarity metric's options: nltk's, and the tokenizer of the texts. */
export interface MeteorMetricOptions extends MeteorOptions {
  /**
   * The tokenizer textSimilarity applies (default nltk_tokenize, as the hosted grader); for
   * pre-tokenized input, the one that produced the tokens, named in the signature.
   */
  tokenizer?: TokenizerName;
}

function buildMeteorSignature(tokenizer: TokenizerName, alpha: number, beta: number, gamma: number): string {
  return metricSignature("meteor", {
    nltk: REFERENCE_LIBRARIES.nltk,
    tok: tokenizer,
    wordnet: WORDNET_VERSION,
    alpha,
    beta,
    gamma,
  });
}

// The default parameters' signature per tokenizer, looked up rather than formatted per call.
const plainSignatures = perTokenizer((tokenizer: TokenizerName) => buildMeteorSignature(tokenizer, 0.9, 3, 0.5));

/** e.g. "meteor|nltk:3.9.1|tok:nltk_tokenize|wordnet:3.0|alpha:0.9|beta:3|gamma:0.5|graderkit:0.1.0" */
export function meteorSignature(options: MeteorMetricOptions = {}): string {
  const tokenizer = options.tokenizer ?? "nltk_tokenize";
  if (options.alpha === undefined && options.beta === undefined && options.gamma === undefined) {
    return plainSignatures(tokenizer);
  }
  return buildMeteorSignature(tokenizer, options.alpha ?? 0.9, options.beta ?? 3, options.gamma ?? 0.5);
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
