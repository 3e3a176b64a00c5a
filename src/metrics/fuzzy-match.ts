// fuzzy_match: rapidfuzz 3.10.1 `fuzz.ratio(input, reference) / 100`, plus the related measures the
// conformance fixtures cover. Python strings are sequences of code points, so by default texts
// are compared code point by code point; "utf16" (what a naive JS port does) is available to
// show the difference. No case folding, no trimming: rapidfuzz's ratio has no processor.

import { codePointLength, decodeCodePoints, type Decoded, type FuzzyUnits } from "./code-points.js";
import { lcsLength } from "./lcs.js";
import { levenshteinDistance } from "./levenshtein.js";
import { metricSignature, REFERENCE_LIBRARIES } from "./signature.js";
import type { MetricResult } from "./types.js";

export type FuzzyMeasure =
  /** rapidfuzz fuzz.ratio / 100: ((1 - d/(n1+n2)) * 100) / 100 (the graderkit default). */
  | "ratio"
  /** rapidfuzz Indel.normalized_similarity: 1 - d/(n1+n2). */
  | "indel"
  /** python-Levenshtein 0.12 ratio: (n1+n2 - d)/(n1+n2), i.e. 2·LCS/(n1+n2). */
  | "lcs"
  /** rapidfuzz Levenshtein.normalized_similarity: 1 - lev/max(n1, n2). */
  | "levenshtein";

export type { FuzzyUnits } from "./code-points.js";
export { codePointLength } from "./code-points.js";
export { levenshteinDistance } from "./levenshtein.js";

export interface FuzzyMatchOptions {
  measure?: FuzzyMeasure;
  units?: FuzzyUnits;
}

// ---------------------------------------------------------------------------------------------
// Preprocessing: text -> integer symbols (code points or UTF-16 units) in reusable scratch
// buffers.

const scratchA: Decoded = { buffer: new Int32Array(256), length: 0 };
const scratchB: Decoded = { buffer: new Int32Array(256), length: 0 };

function decodeUtf16(text: string, into: Decoded): Decoded {
  if (into.buffer.length < text.length) into.buffer = new Int32Array(text.length * 2);
  const out = into.buffer;
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  into.length = text.length;
  return into;
}

function decode(text: string, units: FuzzyUnits, into: Decoded): Decoded {
  return units === "codepoint" ? decodeCodePoints(text, into) : decodeUtf16(text, into);
}

// ASCII text, the usual case, is encoded natively into bytes, several times faster than a
// charCodeAt loop; its bytes are its code points and its UTF-16 units alike.
const encoder = new TextEncoder();

interface Bytes {
  buffer: Uint8Array;
}

const NATIVE_FROM = 40;
const bytesA: Bytes = { buffer: new Uint8Array(256) };
const bytesB: Bytes = { buffer: new Uint8Array(256) };

/** Encode the text into `into` if it is all ASCII; false (buffer contents undefined) if not. */
function encodeAscii(text: string, into: Bytes): boolean {
  if (into.buffer.length < text.length) into.buffer = new Uint8Array(text.length * 2);
  const { read, written } = encoder.encodeInto(text, into.buffer);
  // A non-ASCII character takes two or more bytes, so the counts only agree for ASCII.
  return read === text.length && written === text.length;
}

/** Symbol counts of the texts last passed to lcsOfTexts. */
const lengths = { a: 0, b: 0 };

/** LCS of two texts as symbol sequences (code points or UTF-16 units); sets `lengths`. */
function lcsOfTexts(a: string, b: string, units: FuzzyUnits): number {
  // A native call costs about as much as copying 40 characters: short texts skip it.
  if (a.length >= NATIVE_FROM && b.length >= NATIVE_FROM && encodeAscii(a, bytesA) && encodeAscii(b, bytesB)) {
    lengths.a = a.length;
    lengths.b = b.length;
    return lcsLength(bytesA.buffer, a.length, bytesB.buffer, b.length);
  }
  // (A separate function: with both paths here, the LCS core's own helpers stopped being
  // inlined and short texts got 15% slower.)
  return lcsOfDecoded(a, b, units);
}

function lcsOfDecoded(a: string, b: string, units: FuzzyUnits): number {
  const x = decode(a, units, scratchA);
  const y = decode(b, units, scratchB);
  lengths.a = x.length;
  lengths.b = y.length;
  return lcsLength(x.buffer, x.length, y.buffer, y.length);
}

// ---------------------------------------------------------------------------------------------
// Distances.

/** InDel distance (insertions + deletions only) = n1 + n2 - 2·LCS. */
export function indelDistance(a: string, b: string, units: FuzzyUnits = "codepoint"): number {
  const lcs = lcsOfTexts(a, b, units);
  return lengths.a + lengths.b - 2 * lcs;
}

// ---------------------------------------------------------------------------------------------
// Scores. Each formula mirrors the reference's floating-point operations, in the same order.

/** rapidfuzz fuzz.ratio: 0–100; two empty strings give 100. */
export function fuzzRatio(a: string, b: string): number {
  const lcs = lcsOfTexts(a, b, "codepoint");
  const lensum = lengths.a + lengths.b;
  if (lensum === 0) return 100;
  const d = lensum - 2 * lcs;
  return (1 - d / lensum) * 100;
}

function indelScore(measure: "ratio" | "indel" | "lcs", d: number, lensum: number): number {
  if (lensum === 0) return 1;
  switch (measure) {
    case "ratio":
      return ((1 - d / lensum) * 100) / 100;
    case "indel":
      return 1 - d / lensum;
    case "lcs":
      return (lensum - d) / lensum;
  }
}

function levenshteinScore(d: number, maxLength: number): number {
  return maxLength === 0 ? 1 : 1 - d / maxLength;
}

const MEASURES: readonly FuzzyMeasure[] = ["ratio", "indel", "lcs", "levenshtein"];

function signatureOf(measure: FuzzyMeasure, units: FuzzyUnits): string {
  const library = measure === "lcs" ? "python-levenshtein" : "rapidfuzz";
  return metricSignature("fuzzy_match", { [library]: REFERENCE_LIBRARIES[library], measure, units });
}

// Built once: a template string per call would be an allocation per pair.
const SIGNATURES = Object.fromEntries(
  MEASURES.map((m) => [m, { codepoint: signatureOf(m, "codepoint"), utf16: signatureOf(m, "utf16") }]),
) as Record<FuzzyMeasure, Record<FuzzyUnits, string>>;

/** e.g. "fuzzy_match|rapidfuzz:3.10.1|measure:ratio|units:codepoint|graderkit:0.1.0" */
export function fuzzyMatchSignature(options: FuzzyMatchOptions = {}): string {
  return SIGNATURES[options.measure ?? "ratio"][options.units ?? "codepoint"];
}

/**
 * fuzzy_match score in [0, 1]. Default: rapidfuzz `fuzz.ratio(input, reference) / 100` over code
 * points. The measure is symmetric, so argument order only matters for the details' names.
 */
export function fuzzyMatch(
  input: string,
  reference: string,
  options: FuzzyMatchOptions = {},
): MetricResult {
  const measure = options.measure ?? "ratio";
  const units = options.units ?? "codepoint";
  const signature = SIGNATURES[measure][units];

  if (measure === "levenshtein") {
    const n1 = units === "codepoint" ? codePointLength(input) : input.length;
    const n2 = units === "codepoint" ? codePointLength(reference) : reference.length;
    const d = levenshteinDistance(input, reference, units);
    return {
      score: levenshteinScore(d, Math.max(n1, n2)),
      signature,
      details: { distance: d, length_input: n1, length_reference: n2 },
    };
  }

  const lcs = lcsOfTexts(input, reference, units);
  const n1 = lengths.a;
  const n2 = lengths.b;
  const d = n1 + n2 - 2 * lcs;
  return {
    score: indelScore(measure, d, n1 + n2),
    signature,
    details: { distance: d, length_input: n1, length_reference: n2 },
  };
}
