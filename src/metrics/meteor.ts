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

import { EpochArray, EpochStrings } from "./epoch-table.js";
import { porterStemOfLowerCase } from "./porter-stemmer.js";
import { metricSignature, perTokenizer, REFERENCE_LIBRARIES, WORDNET_VERSION } from "./signature.js";
import type { TokenizerName } from "./tokenize/index.js";
import type { MetricResult } from "./types.js";
import { mayBeSynonymName, synonyms } from "./wordnet.js";

export interface MeteorOptions {
  /** Weight of precision against recall, default 0.9. */
  alpha?: number;
  /** Shape of the fragmentation penalty, default 3. */
  beta?: number;
  /** Weight of the fragmentation penalty, default 0.5. */
  gamma?: number;
}

// Speed: nltk's alignment (ported plainly in ./reference/meteor.ts, which the tests compare this
// with) on integer ids local to the call.
//
// Every distinct lower-cased word has one WordFacts object, shared by each token that lower-cases
// to it, and every distinct stem one StemFacts; both sit in process-wide Maps (a token costs one
// lookup). Equal objects are equal strings, so a call numbers the objects it meets 0, 1, 2... by
// stamping them with the call's epoch, with no hashing of its own. Only the words the exact stage
// leaves are stemmed, as nltk does (a word's stem, whether the stem may be a WordNet synonym name
// and the stem's synonym names are filled in when first needed). The stages then run on the ids
// with per-id stacks of reference positions; matches are recorded per hypothesis position, which
// is already nltk's sorted order. After the stem stage no leftover reference stem equals a
// leftover hypothesis stem (an unmatched hypothesis word found its word's stack empty), so a word
// without synonyms matches nothing; and when no leftover reference stem may be a synonym name at
// all (WordNet's Bloom filter says so for most words of an open vocabulary) the synonym stage
// has nothing to find.
//
// With an open vocabulary every word is new. An earlier version kept three Maps of strings to
// ids (tokens, lower-cased forms, stems) and stemmed every distinct token through the stemmer's
// own memo: ~9 Map misses and insertions per new token, ~1.6 µs, most of METEOR's time (~4k
// pairs/s on the open bench set). Now a new token costs one miss and one insertion (two when it
// has capitals), and a new leftover one more for its stem; and while earlier calls' words do not
// come back, calls run in local phases that keep the facts in per-call EpochStrings tables (the
// same objects, no Map at all), since nothing they store would be found again.

/** The facts of one lower-cased word. */
interface WordFacts {
  readonly lower: string;
  /** its stem's facts, once an exact stage left the word over */
  stem: StemFacts | undefined;
  /** the call that numbered it last, and its number there */
  stamp: number;
  id: number;
}

/** The facts of one Porter stem. */
interface StemFacts {
  readonly stem: string;
  /** false when the stem is no WordNet synonym name */
  readonly mayBeName: boolean;
  /**
   * its synonym names as stem facts (made for names no word has stemmed to yet), once a synonym
   * stage needed them: a name is a leftover's stem in a call iff its facts carry the call's stamp
   */
  synonyms: StemFacts[] | undefined;
  stamp: number;
  id: number;
}

// The Maps are dropped wholesale past a limit (between calls), chosen per fill: with an open
// vocabulary they fill with words never seen again, and a small table stays in cache and its
// objects die young (measured: 1.24x on the open bench set with 2^12 instead of 2^15); a real
// vocabulary keeps coming back and needs the large one (the sentences ran at 0.56x with 2^12).
/** The limit while words of earlier calls come back. */
export const FACTS_LIMIT_LARGE = 1 << 15;
/** The limit while they do not (a fill that measures whether they come back, after a local phase). */
export const FACTS_LIMIT_SMALL = 1 << 12;
/**
 * Calls in a local phase: after a small fill, while earlier calls' words do not come back, this
 * many calls keep their facts in tables of their own (EpochStrings, cleared per call) and make no
 * Map look-ups or insertions at all; then a small fill measures again. An open vocabulary: 1.15x
 * against small fills throughout (27k against 23.5k pairs/s on the open bench set); the sentences
 * run ~3x slower in local calls (every stem recomputed), so they never get one (a large fill keeps
 * them out, and a probe fill notices them after a change).
 */
const LOCAL_PHASE_CALLS = 512;
/** Every this many small fills, one large one, to notice a vocabulary that only a large table holds. */
const PROBE_EVERY = 32;

/**
 * The limit for the next fill, from the fill before: large when at least a quarter of its lookups
 * hit a word of an earlier call, or as the probe every PROBE_EVERY fills; small otherwise (a local
 * phase, then a small fill). A quarter, not the tokenizers' half: a small fill starts empty, so a
 * closed vocabulary of a few thousand words measures just under half there (0.49 on the bench's
 * sentences, against 0.07-0.09 on the open set), and a local call costs about what a Map call
 * does at ~25% earlier hits (1.15x faster at 8%, ~3x slower at 95%).
 */
export function factsLimitFor(earlierHits: number, lookups: number, fill: number): number {
  return 4 * earlierHits >= lookups || fill % PROBE_EVERY === 0 ? FACTS_LIMIT_LARGE : FACTS_LIMIT_SMALL;
}
/** Past this the epoch restarts, with the Maps dropped (so no stale stamp can match). */
const EPOCH_LIMIT = 2 ** 30;

class FastAligner {
  // Maps, not dictionary-mode objects: a new property key is first interned into V8's string
  // table, which with an open vocabulary (every word new) cost more than the whole alignment.
  /** tokens and lower-cased forms → the lower-cased word's facts */
  private words = new Map<string, WordFacts>();
  private stems = new Map<string, StemFacts>();
  private epoch = 0;
  /** the Maps' limit in this fill, and the fill's number */
  private factsLimit = FACTS_LIMIT_LARGE;
  private fill = 0;
  /** word lookups in this fill, and those that found a word an earlier call made or met */
  private lookups = 0;
  private earlierHits = 0;
  /** ids handed out in this call */
  private numbered = 0;
  /** leftover counts after a stage */
  private nh = 0;
  private nr = 0;

  /** Whether this call's facts live in its own tables (a local phase: LOCAL_PHASE_CALLS), and the phase's calls left. */
  private local = false;
  private localCallsLeft = 0;
  private readonly callWords = new EpochStrings();
  private callWordFacts: WordFacts[] = [];
  private readonly callStems = new EpochStrings();
  private callStemFacts: StemFacts[] = [];

  /** Per-id stacks: the head of a list of reference slots, -1 (unset) for an empty stack. */
  private readonly heads = new EpochArray(256);

  // Per position / slot buffers.
  private hypFacts: WordFacts[] = [];
  private refFacts: WordFacts[] = [];
  private hypKey = new Int32Array(64);
  private refKey = new Int32Array(64);
  private hypLeft = new Int32Array(64);
  private refLeft = new Int32Array(64);
  private nextSlot = new Int32Array(64);
  private refTaken = new Uint8Array(64);
  /** reference position matched to each hypothesis position, or -1 */
  private matchBuffer = new Int32Array(64);

  private reserve(h: number, r: number): void {
    if (this.hypKey.length < h) {
      this.hypKey = new Int32Array(h * 2);
      this.hypLeft = new Int32Array(h * 2);
      this.matchBuffer = new Int32Array(h * 2);
    }
    if (this.refKey.length < r) {
      this.refKey = new Int32Array(r * 2);
      this.refLeft = new Int32Array(r * 2);
      this.nextSlot = new Int32Array(r * 2);
      this.refTaken = new Uint8Array(r * 2);
    }
  }

  /**
   * factsOf in a local phase: the same facts, from the call's own table. Written apart (not as
   * factsOf over a find/add pair) because one idOf per new token is a probe less than find then
   * add, which measured ~4% on METEOR's open set; and its look-ups are not counted (they can only
   * find words of their own call).
   */
  private callFactsOf(token: string): WordFacts {
    const words = this.callWords;
    const before = words.size;
    const id = words.idOf(token);
    if (id < before) return this.callWordFacts[id]!;
    const lower = token.toLowerCase();
    let facts: WordFacts | undefined;
    if (lower !== token) {
      const seen = words.size;
      const lowerId = words.idOf(lower);
      if (lowerId < seen) facts = this.callWordFacts[lowerId]!;
      else this.callWordFacts[lowerId] = facts = { lower, stem: undefined, stamp: 0, id: 0 };
    } else {
      facts = { lower, stem: undefined, stamp: 0, id: 0 };
    }
    this.callWordFacts[id] = facts;
    return facts;
  }

  private findStem(text: string): StemFacts | undefined {
    if (!this.local) return this.stems.get(text);
    const id = this.callStems.find(text);
    return id < 0 ? undefined : this.callStemFacts[id];
  }

  private factsOf(token: string): WordFacts {
    if (this.local) return this.callFactsOf(token);
    let facts = this.words.get(token);
    this.lookups++;
    if (facts !== undefined) {
      // (Facts made in this call carry its stamp already: idOf follows every factsOf.)
      if (facts.stamp !== this.epoch) this.earlierHits++;
    } else {
      // Python's str.lower; JS toLowerCase applies the same full Unicode mappings.
      const lower = token.toLowerCase();
      if (lower !== token) facts = this.words.get(lower);
      if (facts === undefined) {
        facts = { lower, stem: undefined, stamp: 0, id: 0 };
        if (lower !== token) this.words.set(lower, facts);
      }
      this.words.set(token, facts);
    }
    return facts;
  }

  private stemFactsOf(facts: WordFacts): StemFacts {
    let stem = facts.stem;
    if (stem === undefined) {
      // nltk stems the lower-cased word: porterStem of it, without the stemmer's own memo.
      const text = porterStemOfLowerCase(facts.lower);
      facts.stem = stem = this.findStem(text) ?? this.newStemFacts(text, mayBeSynonymName(text));
    }
    return stem;
  }

  private newStemFacts(text: string, mayBeName: boolean): StemFacts {
    const stem: StemFacts = { stem: text, mayBeName, synonyms: undefined, stamp: 0, id: 0 };
    if (this.local) this.callStemFacts[this.callStems.idOf(text)] = stem;
    else this.stems.set(text, stem);
    return stem;
  }

  private synonymsOf(stem: StemFacts): StemFacts[] {
    let list = stem.synonyms;
    if (list === undefined) {
      list = [];
      for (const name of synonyms(stem.stem)) list.push(this.findStem(name) ?? this.newStemFacts(name, true));
      stem.synonyms = list;
    }
    return list;
  }

  /** The call's number for a facts object (equal numbers: the same word, or the same stem). */
  private idOf(facts: WordFacts | StemFacts): number {
    if (facts.stamp !== this.epoch) {
      facts.stamp = this.epoch;
      facts.id = this.numbered++;
    }
    return facts.id;
  }

  /**
   * Aligns the two token lists (not lower-cased yet); returns hypMatch, where entry i is the
   * reference position matched to hypothesis position i, or -1 (only the first h entries).
   */
  align(hypothesis: readonly string[], reference: readonly string[]): Int32Array {
    if (this.local) {
      // The phase's last call done: back to a small fill, which measures again.
      if (this.localCallsLeft-- === 0) this.local = false;
    } else if (this.words.size + this.stems.size > this.factsLimit) {
      this.words = new Map();
      this.stems = new Map();
      this.factsLimit = factsLimitFor(this.earlierHits, this.lookups, ++this.fill);
      this.lookups = 0;
      this.earlierHits = 0;
      if (this.factsLimit === FACTS_LIMIT_SMALL) {
        this.local = true;
        this.localCallsLeft = LOCAL_PHASE_CALLS - 1;
      }
    }
    // Past the epoch limit the Maps are dropped, and local facts are new objects each call: no
    // stale stamp can match.
    if (this.epoch >= EPOCH_LIMIT) {
      this.words = new Map();
      this.stems = new Map();
      this.epoch = 0;
    }
    this.epoch++;
    this.numbered = 0;
    const h = hypothesis.length;
    const r = reference.length;
    if (this.local) {
      this.callWords.reset(2 * (h + r));
      this.callStems.reset(2 * (h + r));
    }
    this.reserve(h, r);
    const { hypFacts, refFacts, hypKey, refKey, hypLeft, refLeft } = this;
    const hypMatch = this.matchBuffer;
    for (let i = 0; i < h; i++) {
      const facts = this.factsOf(hypothesis[i]!);
      hypFacts[i] = facts;
      hypKey[i] = this.idOf(facts);
      hypLeft[i] = i;
      hypMatch[i] = -1;
    }
    for (let j = 0; j < r; j++) {
      const facts = this.factsOf(reference[j]!);
      refFacts[j] = facts;
      refKey[j] = this.idOf(facts);
      refLeft[j] = j;
    }
    this.exactStage(h, r, hypMatch);
    if (this.nh > 0 && this.nr > 0) {
      // The leftovers are replaced by their stems, which the synonym stage then sees too.
      const nh = this.nh;
      const nr = this.nr;
      for (let a = 0; a < nh; a++) {
        const i = hypLeft[a]!;
        hypKey[i] = this.idOf(this.stemFactsOf(hypFacts[i]!));
      }
      for (let k = 0; k < nr; k++) {
        const j = refLeft[k]!;
        refKey[j] = this.idOf(this.stemFactsOf(refFacts[j]!));
      }
      this.exactStage(nh, nr, hypMatch);
      if (this.nh > 0 && this.nr > 0) this.synonymStage(this.nh, this.nr, hypMatch);
    }
    return hypMatch;
  }

  /**
   * Index the leftover reference words by id for the current stage: `heads.get(id)` is the last
   * leftover slot with that id and `nextSlot` chains to the earlier ones, so a stage takes
   * matches from the end as nltk does. Marks every leftover untaken.
   */
  private stackLeftovers(nr: number): void {
    const { heads, nextSlot, refTaken, refLeft, refKey } = this;
    heads.clear();
    heads.reserve(this.numbered);
    for (let k = 0; k < nr; k++) {
      const key = refKey[refLeft[k]!]!;
      nextSlot[k] = heads.get(key);
      heads.set(key, k);
      refTaken[k] = 0;
    }
  }

  /** exactStage on ids: each leftover hypothesis word, from the last, takes the last equal reference word. */
  private exactStage(nh: number, nr: number, hypMatch: Int32Array): void {
    this.stackLeftovers(nr);
    const { heads, nextSlot, refTaken, hypLeft, refLeft, hypKey } = this;
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
   * reference word whose stem is one of its synonym names: the largest untaken slot on the
   * per-id stacks of its names (a name's stem facts numbered in this call).
   */
  private synonymStage(nh: number, nr: number, hypMatch: Int32Array): void {
    const { refLeft, refFacts } = this;
    let candidates = 0;
    for (let k = 0; k < nr; k++) if (refFacts[refLeft[k]!]!.stem!.mayBeName) candidates++;
    if (candidates === 0) return;
    this.stackLeftovers(nr);
    const { heads, nextSlot, refTaken, hypLeft, hypFacts, epoch } = this;
    let left = candidates;
    for (let a = nh - 1; a >= 0 && left > 0; a--) {
      const i = hypLeft[a]!;
      const names = this.synonymsOf(hypFacts[i]!.stem!);
      let best = -1;
      for (let n = 0; n < names.length; n++) {
        const name = names[n]!;
        if (name.stamp !== epoch) continue;
        // (The name may be a hypothesis stem only: then its stack is empty.)
        let k = heads.get(name.id);
        if (k < 0) continue;
        // Drop taken slots from the top of the stack, then its top is the largest untaken one.
        while (k >= 0 && refTaken[k] !== 0) k = nextSlot[k]!;
        heads.set(name.id, k);
        if (k > best) best = k;
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
