// ROUGE as rouge-score 0.1.2 computes it: `RougeScorer([type], use_stemmer).score(target,
// prediction)` with target = the reference and prediction = the input, so precision is
// relative to the input's tokens and recall to the reference's.
//
// The exported scoring functions take token arrays (see ./tokenize/rouge.ts), so a caller that
// needs several ROUGE types tokenizes each text once; `rougeScores` does exactly that, from
// text straight to token ids.

import { lcsLength } from "./lcs.js";
import {
  newTokenIds,
  RougeVocabulary,
  rougeTokenize,
  rougeTokenizeLines,
  type TokenIds,
} from "./tokenize/rouge.js";
import { metricSignature, REFERENCE_LIBRARIES, yesNo } from "./signature.js";
import type { MetricResult, PRF } from "./types.js";

export type RougeNType =
  | "rouge1" | "rouge2" | "rouge3" | "rouge4" | "rouge5"
  | "rouge6" | "rouge7" | "rouge8" | "rouge9";
export type RougeType = RougeNType | "rougeL" | "rougeLsum";
export type RougeMeasure = "fmeasure" | "precision" | "recall";

/** The options of the text_similarity rouge_* metrics. */
export interface RougeMetricOptions {
  /** rouge-score's use_stemmer: nltk Porter stems of tokens longer than 3 characters (default false). */
  stemmer?: boolean;
  /** Which of the three numbers becomes the score (default fmeasure, as rouge-score users take). */
  measure?: RougeMeasure;
}

export interface RougeOptions extends RougeMetricOptions {
  type: RougeType;
}

/** rouge-score scoring.fmeasure, same operation order. */
function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function prf(precision: number, recall: number): PRF {
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

function zero(): PRF {
  return { precision: 0, recall: 0, fmeasure: 0 };
}

// Scratch state for one comparison (everything here is synchronous).
const vocabulary = new RougeVocabulary();
const referenceIds = newTokenIds();
const candidateIds = newTokenIds();

// ---------------------------------------------------------------------------------------------
// ROUGE-N over ids

/**
 * Pair of ids -> dense id, for n-grams: a k-gram is identified by the pair of (k-1)-grams that
 * start at i and i+1 (they overlap in k-2 tokens). Open addressing with epoch-stamped slots.
 *
 * Not ../epoch-table.ts's EpochIds (which the n-gram matchers and METEOR share): keyed by
 * a · base + b, stored and compared as doubles, that table measured up to ~5% slower on ROUGE-3..5
 * of long texts (same-process A/B, CPU time); this one hashes the two int32 ids directly.
 */
class PairIds {
  private slots = new Int32Array(128);
  private stamps = new Int32Array(128);
  private first = new Int32Array(64);
  private second = new Int32Array(64);
  private epoch = 0;
  size = 0;

  /** Forget all pairs; make room for up to `capacity`. */
  reset(capacity: number): void {
    this.size = 0;
    let wanted = 128;
    while (wanted < 2 * capacity) wanted *= 2;
    if (this.slots.length < wanted) {
      this.slots = new Int32Array(wanted);
      this.stamps = new Int32Array(wanted);
      this.first = new Int32Array(wanted >>> 1);
      this.second = new Int32Array(wanted >>> 1);
      this.epoch = 0;
    }
    if (++this.epoch === 0x7fffffff) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
  }

  id(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
    h ^= h >>> 15;
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      if (this.stamps[slot] !== this.epoch) {
        const id = this.size++;
        this.stamps[slot] = this.epoch;
        this.slots[slot] = id;
        this.first[id] = a;
        this.second[id] = b;
        return id;
      }
      const id = this.slots[slot]!;
      if (this.first[id] === a && this.second[id] === b) return id;
    }
  }
}

const pairIds = new PairIds();
const referenceGrams = newTokenIds();
const candidateGrams = newTokenIds();
let counts = new Int32Array(256);

function copyIds(from: TokenIds, to: TokenIds): void {
  if (to.buffer.length < from.length) to.buffer = new Int32Array(Math.max(from.length, to.buffer.length * 2));
  to.buffer.set(from.buffer.subarray(0, from.length));
  to.length = from.length;
}

/** Turn token ids into n-gram ids in place, level by level; returns the number of distinct ids. */
function toNgramIds(reference: TokenIds, candidate: TokenIds, n: number, distinct: number): number {
  for (let k = 2; k <= n; k++) {
    pairIds.reset(reference.length + candidate.length);
    nextLevel(reference);
    nextLevel(candidate);
    distinct = pairIds.size;
  }
  return distinct;
}

/** (k-1)-gram ids -> k-gram ids: one fewer. */
function nextLevel(side: TokenIds): void {
  const ids = side.buffer;
  const positions = side.length - 1;
  // ids[i + 1] is read before this pass overwrites it.
  for (let i = 0; i < positions; i++) ids[i] = pairIds.id(ids[i]!, ids[i + 1]!);
  side.length = Math.max(positions, 0);
}

/** ROUGE-N from interned tokens (ids < vocabularySize). Leaves the inputs untouched. */
function scoreNgrams(reference: TokenIds, candidate: TokenIds, n: number, vocabularySize: number): PRF {
  const referenceCount = Math.max(reference.length - n + 1, 0);
  const candidateCount = Math.max(candidate.length - n + 1, 0);
  // rouge-score divides by max(count, 1): an empty side gives 0 / 1 = 0 for all three.
  if (referenceCount === 0 || candidateCount === 0) return zero();

  let ref = reference;
  let cand = candidate;
  let distinct = vocabularySize;
  if (n > 1) {
    copyIds(reference, referenceGrams);
    copyIds(candidate, candidateGrams);
    ref = referenceGrams;
    cand = candidateGrams;
    distinct = toNgramIds(ref, cand, n, distinct);
  }

  if (counts.length < distinct) counts = new Int32Array(Math.max(distinct, counts.length * 2));
  const c = counts;
  c.fill(0, 0, distinct);
  const r = ref.buffer;
  for (let i = 0; i < referenceCount; i++) c[r[i]!]!++;
  // Sum over n-grams of min(reference count, candidate count).
  const p = cand.buffer;
  let overlap = 0;
  for (let i = 0; i < candidateCount; i++) {
    const g = p[i]!;
    if (c[g]! > 0) {
      c[g]!--;
      overlap++;
    }
  }
  return prf(overlap / candidateCount, overlap / referenceCount);
}

/** ROUGE-N from token arrays: clipped n-gram overlap. */
export function rougeN(
  referenceTokens: readonly string[],
  candidateTokens: readonly string[],
  n: number,
): PRF {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`rougeN requires a positive integer n, got ${n}`);
  vocabulary.reset();
  vocabulary.internTokens(referenceTokens, referenceIds);
  vocabulary.internTokens(candidateTokens, candidateIds);
  return scoreNgrams(referenceIds, candidateIds, n, vocabulary.size);
}

// ---------------------------------------------------------------------------------------------
// ROUGE-L over ids

function scoreLcs(reference: TokenIds, candidate: TokenIds): PRF {
  if (reference.length === 0 || candidate.length === 0) return zero();
  const lcs = lcsLength(reference.buffer, reference.length, candidate.buffer, candidate.length);
  return prf(lcs / candidate.length, lcs / reference.length);
}

/** ROUGE-L from token arrays: whole-sequence LCS. */
export function rougeL(referenceTokens: readonly string[], candidateTokens: readonly string[]): PRF {
  vocabulary.reset();
  vocabulary.internTokens(referenceTokens, referenceIds);
  vocabulary.internTokens(candidateTokens, candidateIds);
  return scoreLcs(referenceIds, candidateIds);
}

// ---------------------------------------------------------------------------------------------
// ROUGE-Lsum

let lcsTable = new Int32Array(1024);

/**
 * Mark in `hit` the positions of ref[refFrom, +r) on the LCS with can[canFrom, +c) that
 * rouge-score's _backtrack_norec reads out of its table. Which LCS it picks matters for the
 * union, so the full table and its tie-break (on equal values, step back in the reference) are
 * reproduced.
 */
function markLcs(
  ref: Int32Array, refFrom: number, r: number,
  can: Int32Array, canFrom: number, c: number,
  hit: Uint8Array,
): void {
  const width = c + 1;
  if (lcsTable.length < (r + 1) * width) lcsTable = new Int32Array((r + 1) * width * 2);
  const t = lcsTable;
  t.fill(0, 0, width);
  for (let i = 1; i <= r; i++) {
    const row = i * width;
    const above = row - width;
    t[row] = 0;
    const token = ref[refFrom + i - 1];
    for (let j = 1; j <= c; j++) {
      t[row + j] = token === can[canFrom + j - 1]
        ? t[above + j - 1]! + 1
        : Math.max(t[above + j]!, t[row + j - 1]!);
    }
  }
  let i = r;
  let j = c;
  while (i > 0 && j > 0) {
    if (ref[refFrom + i - 1] === can[canFrom + j - 1]) {
      hit[i - 1] = 1;
      i--;
      j--;
    } else if (t[i * width + j - 1]! > t[(i - 1) * width + j]!) {
      j--;
    } else {
      i--;
    }
  }
}

function flatten(lines: readonly (readonly string[])[]): string[] {
  const all: string[] = [];
  for (const line of lines) for (const token of line) all.push(token);
  return all;
}

/**
 * ROUGE-Lsum (summary-level LCS, ROUGE paper §3.2) from per-line token arrays: for each
 * reference line, the union of its LCS with every candidate line; a token counts as a hit at
 * most as often as it occurs on both sides (ROUGE 1.5.5's double-counting guard).
 */
export function rougeLsum(
  referenceLines: readonly (readonly string[])[],
  candidateLines: readonly (readonly string[])[],
): PRF {
  if (referenceLines.length === 0 || candidateLines.length === 0) return zero();
  vocabulary.reset();
  const ref = vocabulary.internTokens(flatten(referenceLines), referenceIds);
  const cand = vocabulary.internTokens(flatten(candidateLines), candidateIds);
  const m = ref.length;
  const n = cand.length;
  if (m === 0 || n === 0) return zero();

  const remainingRef = new Int32Array(vocabulary.size);
  const remainingCand = new Int32Array(vocabulary.size);
  for (let i = 0; i < m; i++) remainingRef[ref.buffer[i]!]!++;
  for (let i = 0; i < n; i++) remainingCand[cand.buffer[i]!]!++;

  let hits = 0;
  let refFrom = 0;
  for (const refLine of referenceLines) {
    const r = refLine.length;
    const union = new Uint8Array(r);
    let canFrom = 0;
    for (const canLine of candidateLines) {
      markLcs(ref.buffer, refFrom, r, cand.buffer, canFrom, canLine.length, union);
      canFrom += canLine.length;
    }
    // Union positions in reference order.
    for (let i = 0; i < r; i++) {
      if (union[i] === 0) continue;
      const token = ref.buffer[refFrom + i]!;
      if (remainingCand[token]! > 0 && remainingRef[token]! > 0) {
        hits++;
        remainingCand[token]!--;
        remainingRef[token]!--;
      }
    }
    refFrom += r;
  }
  return prf(hits / n, hits / m);
}

// ---------------------------------------------------------------------------------------------
// Text-level API

export const ROUGE_TYPES: readonly RougeType[] = [
  "rouge1", "rouge2", "rouge3", "rouge4", "rouge5", "rouge6", "rouge7", "rouge8", "rouge9",
  "rougeL", "rougeLsum",
];

/** n of "rougeN", or 0 for rougeL / rougeLsum. */
function ngramOrder(type: RougeType): number {
  if (type.length === 6) {
    const n = type.charCodeAt(5) - 48;
    if (n >= 1 && n <= 9 && type.startsWith("rouge")) return n;
  }
  if (type === "rougeL" || type === "rougeLsum") return 0;
  throw new RangeError(`unknown ROUGE type: ${String(type)}`);
}

/** Tokenize and intern both texts once (stemming needs the token strings; otherwise skip them). */
function internTexts(input: string, reference: string, stem: boolean): void {
  vocabulary.reset();
  if (stem) {
    vocabulary.internTokens(rougeTokenize(reference, true), referenceIds);
    vocabulary.internTokens(rougeTokenize(input, true), candidateIds);
  } else {
    vocabulary.internText(reference, referenceIds);
    vocabulary.internText(input, candidateIds);
  }
}

function scoreType(type: RougeType, input: string, reference: string, stem: boolean): PRF {
  if (type === "rougeLsum") {
    return rougeLsum(rougeTokenizeLines(reference, stem), rougeTokenizeLines(input, stem));
  }
  const n = ngramOrder(type);
  return n === 0 ? scoreLcs(referenceIds, candidateIds) : scoreNgrams(referenceIds, candidateIds, n, vocabulary.size);
}

/**
 * Several ROUGE types for one (input, reference) pair, tokenizing each text once:
 * rouge-score's RougeScorer(types, use_stemmer).score(reference, input).
 */
export function rougeScores<T extends RougeType>(
  input: string,
  reference: string,
  types: readonly T[],
  options: { stemmer?: boolean } = {},
): Record<T, PRF> {
  const stem = options.stemmer ?? false;
  const result = {} as Record<T, PRF>;
  // rougeLsum tokenizes per line (and reuses the vocabulary), so it goes last.
  let tokenized = false;
  for (const type of types) {
    if (type === "rougeLsum") continue;
    if (!tokenized) internTexts(input, reference, stem);
    tokenized = true;
    result[type] = scoreType(type, input, reference, stem);
  }
  for (const type of types) {
    if (type === "rougeLsum") result[type] = scoreType(type, input, reference, stem);
  }
  return result;
}

function buildSignature(type: RougeType, stemmer: boolean, measure: RougeMeasure): string {
  const name = type === "rougeL" ? "rouge_l" : type === "rougeLsum" ? "rouge_lsum" : `rouge_${type.slice(5)}`;
  return metricSignature(name, {
    "rouge-score": REFERENCE_LIBRARIES["rouge-score"],
    tok: "rouge",
    stem: yesNo(stemmer),
    measure,
  });
}

// Every signature, built once: assembling the string per call was a measurable share of rouge_1.
const SIGNATURES = new Map<RougeType, Record<"yes" | "no", Record<RougeMeasure, string>>>(
  ROUGE_TYPES.map((type) => {
    const forStem = (stem: boolean) => ({
      fmeasure: buildSignature(type, stem, "fmeasure"),
      precision: buildSignature(type, stem, "precision"),
      recall: buildSignature(type, stem, "recall"),
    });
    return [type, { yes: forStem(true), no: forStem(false) }];
  }),
);

/** e.g. "rouge_l|rouge-score:0.1.2|tok:rouge|stem:no|measure:fmeasure|graderkit:0.1.0" */
export function rougeSignature(type: RougeType, stemmer = false, measure: RougeMeasure = "fmeasure"): string {
  const known = SIGNATURES.get(type);
  return known === undefined ? buildSignature(type, stemmer, measure) : known[stemmer ? "yes" : "no"][measure];
}

/** One ROUGE score for (input, reference); the graderkit defaults are F-measure, no stemmer. */
export function rouge(input: string, reference: string, options: RougeOptions): MetricResult {
  const stemmer = options.stemmer ?? false;
  const measure = options.measure ?? "fmeasure";
  const type = options.type;
  let scores: PRF;
  if (type === "rougeLsum") {
    scores = scoreType(type, input, reference, stemmer);
  } else {
    ngramOrder(type); // validate before any work
    internTexts(input, reference, stemmer);
    scores = scoreType(type, input, reference, stemmer);
  }
  return {
    score: scores[measure],
    signature: rougeSignature(type, stemmer, measure),
    details: { precision: scores.precision, recall: scores.recall, fmeasure: scores.fmeasure },
  };
}
