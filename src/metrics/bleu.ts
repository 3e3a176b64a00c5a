// Sentence BLEU exactly as nltk 3.9.1 `sentence_bleu` computes it (nltk/translate/bleu_score.py).
//
// Things a port has to get right to match nltk to the last bits:
// - modified precisions are kept as unreduced numerator/denominator pairs (nltk builds its
//   Fractions with `_normalize=False`, and smoothing methods 2, 3 and 4 read the raw denominator);
// - without smoothing a zero count becomes `sys.float_info.min`, so the score is tiny (≈1e-231),
//   not 0; it is exactly 0 only when no unigram matches;
// - methods 5 and 6 do exact rational arithmetic (Python Fractions) where nltk does, and float
//   arithmetic where nltk's operands are floats;
// - the orders are combined as `bp * exp(math.fsum(w_i * log(p_i)))`, with a correctly rounded
//   `fsum`.

import { NgramMatcher, PairMatcher } from "./ngram-matcher.js";
import { metricSignature, perTokenizer, REFERENCE_LIBRARIES } from "./signature.js";
import type { TokenizerName } from "./tokenize/index.js";
import type { MetricResult } from "./types.js";

export type BleuSmoothing = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface BleuOptions {
  /** n-gram weights, default (¼, ¼, ¼, ¼). */
  weights?: readonly number[];
  /** Chen & Cherry smoothing method (nltk SmoothingFunction().methodK); default none (= method0). */
  smoothing?: BleuSmoothing | null;
  /** method1's added count, default 0.1. */
  epsilon?: number;
  /** method6's prior weight, default 5 (an integer keeps nltk's exact Fraction arithmetic). */
  alpha?: number;
  /** method4's k, default 5. */
  k?: number;
  /** nltk auto_reweigh: uniform weights over the hypothesis length when it is below 4. */
  autoReweigh?: boolean;
}

const DEFAULT_WEIGHTS: readonly number[] = Object.freeze([0.25, 0.25, 0.25, 0.25]);
/** Python's sys.float_info.min. */
const FLOAT_MIN = 2.2250738585072014e-308;

// ---------------------------------------------------------------------------------------------
// Exact summation: CPython's math.fsum (Shewchuk's partials, then a correctly rounded total).

export function fsum(values: Iterable<number>): number {
  const partials: number[] = [];
  let special = 0;
  for (let x of values) {
    if (!Number.isFinite(x)) {
      // CPython sums infinities and NaNs separately; inf - inf is NaN here, an error there.
      special += x;
      continue;
    }
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    if (x !== 0) partials.push(x);
  }
  if (special !== 0 || Number.isNaN(special)) return special;

  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Round half to even across the remaining partials, as CPython does.
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/** Raw (unreduced) modified precision of one order: nltk's Fraction(..., _normalize=False). */
interface RawPrecision {
  numerator: number;
  denominator: number;
}

const matcher = new NgramMatcher();
const pairMatcher = new PairMatcher();
const pairMatches: number[] = [];

/** nltk modified_precision for orders 1..maxN. */
function modifiedPrecisions(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
  maxN: number,
): RawPrecision[] {
  const out: RawPrecision[] = [];
  if (references.length === 1) {
    // With one reference the clipped count is the size of the n-gram multiset intersection.
    pairMatcher.match(hypothesis, references[0]!, maxN, pairMatches);
    for (let n = 1; n <= maxN; n++) {
      out.push({ numerator: pairMatches[n - 1]!, denominator: Math.max(1, hypothesis.length - n + 1) });
    }
    return out;
  }
  matcher.load([hypothesis, ...references]);
  for (let n = 1; n <= maxN; n++) {
    matcher.nextOrder();
    matcher.countHypothesis();
    // Clipped against the largest count in any one reference.
    let numerator = 0;
    for (let r = 1; r <= references.length; r++) numerator = matcher.matchReference(r);
    if (references.length > 1) numerator = matcher.clippedTotal();
    // nltk: the denominator is at least 1 (orders longer than the hypothesis).
    out.push({ numerator, denominator: Math.max(1, matcher.count(0)) });
  }
  return out;
}

/** nltk closest_ref_length: the reference length nearest the hypothesis', shorter on ties. */
function closestRefLength(references: readonly (readonly string[])[], hypLen: number): number {
  let best = references[0]!.length;
  for (const ref of references) {
    const d = Math.abs(ref.length - hypLen);
    const bd = Math.abs(best - hypLen);
    if (d < bd || (d === bd && ref.length < best)) best = ref.length;
  }
  return best;
}

function brevityPenalty(closestRefLen: number, hypLen: number): number {
  if (hypLen > closestRefLen) return 1;
  if (hypLen === 0) return 0;
  return Math.exp(1 - closestRefLen / hypLen);
}

// ---------------------------------------------------------------------------------------------
// Python numbers as the smoothing methods see them: an exact Fraction or a float.

interface Frac {
  n: bigint;
  d: bigint; // > 0
}
type PyNum = Frac | number;

function bigAbs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function gcd(a: bigint, b: bigint): bigint {
  a = bigAbs(a);
  b = bigAbs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function frac(n: bigint, d: bigint): Frac {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** float(Fraction): the correctly rounded quotient, as Python's int / int. */
function fracToFloat(f: Frac): number {
  const { n, d } = f;
  const MAX = 9007199254740992n; // 2^53: below it, Number division is already correctly rounded
  if (bigAbs(n) <= MAX && d <= MAX) return Number(n) / Number(d);
  const negative = n < 0n;
  const an = bigAbs(n);
  // Scale so the integer quotient has at least 55 bits; fold the remainder into a sticky bit so
  // BigInt→Number's round-half-even sees the exact value's rounding direction.
  const shift = 55 - (bitLength(an) - bitLength(d));
  const num = shift >= 0 ? an << BigInt(shift) : an;
  const den = shift >= 0 ? d : d << BigInt(-shift);
  let q = num / den;
  if (num % den !== 0n) q |= 1n;
  const value = Number(q) * Math.pow(2, -shift);
  return negative ? -value : value;
}

function toFloat(x: PyNum): number {
  return typeof x === "number" ? x : fracToFloat(x);
}

function isFrac(x: PyNum): x is Frac {
  return typeof x !== "number";
}

function add(a: PyNum, b: PyNum): PyNum {
  if (isFrac(a) && isFrac(b)) return frac(a.n * b.d + b.n * a.d, a.d * b.d);
  return toFloat(a) + toFloat(b);
}

function mul(a: PyNum, b: PyNum): PyNum {
  if (isFrac(a) && isFrac(b)) return frac(a.n * b.n, a.d * b.d);
  return toFloat(a) * toFloat(b);
}

function div(a: PyNum, b: PyNum): PyNum {
  if (isFrac(a) && isFrac(b)) {
    if (b.n === 0n) throw new Error("BLEU smoothing: division by zero");
    return frac(a.n * b.d, a.d * b.n);
  }
  return toFloat(a) / toFloat(b);
}

/** A Python int or float option: integers take part in exact Fraction arithmetic. */
function pyNumber(x: number): PyNum {
  return Number.isInteger(x) ? { n: BigInt(x), d: 1n } : x;
}

function rawToFrac(p: RawPrecision): Frac {
  return frac(BigInt(p.numerator), BigInt(p.denominator));
}

// ---------------------------------------------------------------------------------------------
// SmoothingFunction methods. Each takes the raw precisions (and what nltk passes along) and
// returns the values whose logs are combined; entries ≤ 0 are skipped by the caller.

interface SmoothingContext {
  references: readonly (readonly string[])[];
  hypothesis: readonly string[];
  hypLen: number;
  epsilon: number;
  alpha: number;
  k: number;
}

/** float(Fraction(numerator, denominator)): counts are small, so one division is exact-rounded. */
function rawValue(p: RawPrecision): number {
  return p.numerator / p.denominator;
}

// Methods 0-4 only produce values that are logged next, so they can work in floats; methods 5-7
// keep nltk's Fractions (PyNum) because they do arithmetic on them.

function method0(p: RawPrecision[]): number[] {
  return p.map((pi) => (pi.numerator !== 0 ? rawValue(pi) : FLOAT_MIN));
}

function method1(p: RawPrecision[], ctx: SmoothingContext): number[] {
  return p.map((pi) => (pi.numerator === 0 ? (pi.numerator + ctx.epsilon) / pi.denominator : rawValue(pi)));
}

function method2(p: RawPrecision[]): number[] {
  // Add one to the raw (unreduced) numerator and denominator of every order but the first.
  return p.map((pi, i) => (i === 0 ? rawValue(pi) : (pi.numerator + 1) / (pi.denominator + 1)));
}

function method3(p: RawPrecision[]): number[] {
  let incvnt = 1;
  return p.map((pi) => (pi.numerator !== 0 ? rawValue(pi) : 1 / (Math.pow(2, incvnt++) * pi.denominator)));
}

/** method4's value for each order, or null where nltk leaves the Fraction untouched. */
function method4Smoothed(p: RawPrecision[], ctx: SmoothingContext): (number | null)[] {
  let incvnt = 1;
  const logLen = Math.log(ctx.hypLen);
  return p.map((pi) => {
    if (pi.numerator !== 0 || !(ctx.hypLen > 1)) return null;
    // Same operation order as nltk: 1 / (2**incvnt * k / log(len)) / denominator.
    const numerator = 1 / ((Math.pow(2, incvnt++) * ctx.k) / logLen);
    return numerator / pi.denominator;
  });
}

function method4(p: RawPrecision[], ctx: SmoothingContext): number[] {
  return method4Smoothed(p, ctx).map((v, i) => v ?? rawValue(p[i]!));
}

function method5(pn: PyNum[], ctx: SmoothingContext): PyNum[] {
  // nltk appends the raw 5-gram precision whatever the number of weights.
  const p5 = modifiedPrecisions(ctx.references, ctx.hypothesis, 5)[4]!;
  const plus1: PyNum[] = [...pn, rawToFrac(p5)];
  const three: Frac = { n: 3n, d: 1n };
  const out: PyNum[] = [];
  let prev: PyNum = add(pn[0]!, { n: 1n, d: 1n });
  for (let i = 0; i < pn.length; i++) {
    const value = div(add(add(prev, pn[i]!), plus1[i + 1]!), three);
    out.push(value);
    prev = value;
  }
  return out;
}

function method6(p: RawPrecision[], ctx: SmoothingContext): PyNum[] {
  // nltk asserts on p_n[2] (the trigram precision) although its message speaks of bigrams.
  if (p.length < 3) {
    throw new Error("BLEU smoothing method6 needs at least 3 n-gram orders (nltk raises IndexError).");
  }
  if (p[2]!.numerator === 0) {
    throw new Error(
      "BLEU smoothing method6 requires a non-zero trigram precision " +
        "(nltk: AssertionError: This smoothing method requires non-zero precision for bigrams.)",
    );
  }
  const alpha = pyNumber(ctx.alpha);
  const out: PyNum[] = p.map(rawToFrac);
  for (let i = 2; i < p.length; i++) {
    const beforePrev = out[i - 2]!;
    const isZero = isFrac(beforePrev) ? beforePrev.n === 0n : beforePrev === 0;
    const m = BigInt(p[i]!.numerator);
    const l = BigInt(Math.max(0, ctx.hypothesis.length - i));
    const denominator = add({ n: l, d: 1n }, alpha);
    if (isZero) {
      // pi0 is the int 0: int / int is Python's true (float) division.
      out[i] = Number(m) / toFloat(denominator);
    } else {
      const prev = out[i - 1]!;
      const pi0 = div(mul(prev, prev), beforePrev);
      out[i] = div(add({ n: m, d: 1n }, mul(alpha, pi0)), denominator);
    }
  }
  return out;
}

function method7(p: RawPrecision[], ctx: SmoothingContext): PyNum[] {
  const smoothed = method4Smoothed(p, ctx);
  return method5(
    p.map((pi, i) => smoothed[i] ?? rawToFrac(pi)),
    ctx,
  );
}

function smooth(method: BleuSmoothing, p: RawPrecision[], ctx: SmoothingContext): PyNum[] {
  switch (method) {
    case 0:
      return method0(p);
    case 1:
      return method1(p, ctx);
    case 2:
      return method2(p);
    case 3:
      return method3(p);
    case 4:
      return method4(p, ctx);
    case 5:
      return method5(p.map(rawToFrac), ctx);
    case 6:
      return method6(p, ctx);
    case 7:
      return method7(p, ctx);
    default:
      throw new Error(`Unknown BLEU smoothing method: ${String(method)}`);
  }
}

// ---------------------------------------------------------------------------------------------

interface BleuParts {
  score: number;
  brevityPenalty: number;
  hypLen: number;
  refLen: number;
}

function sameWeights(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}

function computeBleu(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
  options: BleuOptions,
): BleuParts {
  if (references.length === 0) throw new Error("sentenceBleu needs at least one reference");
  let weights = options.weights ?? DEFAULT_WEIGHTS;
  const hypLen = hypothesis.length;
  const refLen = closestRefLength(references, hypLen);
  const bp = brevityPenalty(refLen, hypLen);
  const precisions = modifiedPrecisions(references, hypothesis, weights.length);

  // nltk returns 0 outright when no unigram matches (this also covers an empty hypothesis).
  if (precisions.length === 0 || precisions[0]!.numerator === 0) {
    return { score: 0, brevityPenalty: bp, hypLen, refLen };
  }

  const ctx: SmoothingContext = {
    references,
    hypothesis,
    hypLen,
    epsilon: options.epsilon ?? 0.1,
    alpha: options.alpha ?? 5,
    k: options.k ?? 5,
  };
  const pn = smooth(options.smoothing ?? 0, precisions, ctx);

  if (options.autoReweigh && hypLen < 4 && sameWeights(weights, DEFAULT_WEIGHTS)) {
    weights = new Array<number>(hypLen).fill(1 / hypLen);
  }
  const terms: number[] = [];
  const count = Math.min(weights.length, pn.length);
  for (let i = 0; i < count; i++) {
    const p = toFloat(pn[i]!);
    if (p > 0) terms.push(weights[i]! * Math.log(p));
  }
  return { score: bp * Math.exp(fsum(terms)), brevityPenalty: bp, hypLen, refLen };
}

/**
 * nltk `sentence_bleu(references, hypothesis, weights, smoothing_function, auto_reweigh)`.
 * Without `smoothing` it is nltk's default (no smoothing). Smoothing method 6 throws when the
 * hypothesis has no trigram match, where nltk raises an AssertionError.
 */
export function sentenceBleu(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
  options: BleuOptions = {},
): number {
  return computeBleu(references, hypothesis, options).score;
}

/** The text_similarity metric's options: nltk's, and the tokenizer of the texts. */
export interface BleuMetricOptions extends BleuOptions {
  /**
   * The tokenizer textSimilarity applies (default nltk_tokenize, as the hosted grader); for
   * pre-tokenized input, the one that produced the tokens, named in the signature.
   */
  tokenizer?: TokenizerName;
}

function buildBleuSignature(options: BleuMetricOptions): string {
  const smoothing = options.smoothing === undefined ? 4 : options.smoothing;
  const fields: Record<string, string | number> = {
    nltk: REFERENCE_LIBRARIES.nltk,
    tok: options.tokenizer ?? "nltk_tokenize",
    smooth: smoothing === null ? "none" : `method${smoothing}`,
  };
  if (options.weights && !sameWeights(options.weights, DEFAULT_WEIGHTS)) fields.weights = options.weights.join(",");
  if (smoothing === 1 && options.epsilon !== undefined) fields.epsilon = options.epsilon;
  if ((smoothing === 4 || smoothing === 7) && options.k !== undefined) fields.k = options.k;
  if (smoothing === 6 && options.alpha !== undefined) fields.alpha = options.alpha;
  if (options.autoReweigh) fields.auto_reweigh = "yes";
  return metricSignature("bleu", fields);
}

/** The smoothing settings by slot: methods 0–7, then none. */
const SMOOTHINGS: readonly (BleuSmoothing | null)[] = [0, 1, 2, 3, 4, 5, 6, 7, null];

// With only a tokenizer and a smoothing method set (every grader's case), the signature is looked
// up, not formatted per call.
const plainSignatures = perTokenizer((tokenizer: TokenizerName) =>
  SMOOTHINGS.map((smoothing) => buildBleuSignature({ tokenizer, smoothing })),
);

/** e.g. "bleu|nltk:3.9.1|tok:nltk_tokenize|smooth:method4|graderkit:0.1.0" */
export function bleuSignature(options: BleuMetricOptions = {}): string {
  const smoothing = options.smoothing === undefined ? 4 : options.smoothing;
  const slot = smoothing === null ? 8 : smoothing;
  const plain =
    options.weights === undefined && options.epsilon === undefined && options.k === undefined &&
    options.alpha === undefined && !options.autoReweigh;
  // (A smoothing outside 0–7, possible only without option checks, finds no slot.)
  return plain && SMOOTHINGS[slot] === smoothing
    ? plainSignatures(options.tokenizer ?? "nltk_tokenize")[slot]!
    : buildBleuSignature(options);
}

/**
 * The text_similarity bleu metric on pre-tokenized texts: nltk `sentence_bleu([reference],
 * candidate)` with smoothing method4 unless told otherwise (`smoothing: null` = none).
 */
export function bleu(
  candidateTokens: readonly string[],
  referenceTokens: readonly string[],
  options: BleuMetricOptions = {},
): MetricResult {
  const smoothing = options.smoothing === undefined ? 4 : options.smoothing;
  const parts = computeBleu([referenceTokens], candidateTokens, { ...options, smoothing });
  return {
    score: parts.score,
    signature: bleuSignature(options),
    details: {
      brevity_penalty: parts.brevityPenalty,
      hypothesis_length: parts.hypLen,
      reference_length: parts.refLen,
    },
  };
}
