// fuzzy_match: rapidfuzz 3.10.1 `fuzz.ratio(input, reference) / 100`, plus the related measures the
// conformance fixtures cover. Python strings are sequences of code points, so by default texts
// are compared code point by code point; "utf16" (what a naive JS port does) is available to
// show the difference. No case folding, no trimming: rapidfuzz's ratio has no processor.

import { distance as utf16Levenshtein } from "fastest-levenshtein";
import { lcsLength } from "./lcs.js";
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

export type FuzzyUnits = "codepoint" | "utf16";

export interface FuzzyMatchOptions {
  measure?: FuzzyMeasure;
  units?: FuzzyUnits;
}

// ---------------------------------------------------------------------------------------------
// Preprocessing: text -> integer symbols (code points or UTF-16 units) in reusable scratch
// buffers.

interface Decoded {
  buffer: Int32Array;
  length: number;
}

const scratchA: Decoded = { buffer: new Int32Array(256), length: 0 };
const scratchB: Decoded = { buffer: new Int32Array(256), length: 0 };

/** Fill `into` with the text's code points (a lone surrogate counts as one, as in Python). */
function decodeCodePoints(text: string, into: Decoded): Decoded {
  if (into.buffer.length < text.length) into.buffer = new Int32Array(text.length * 2);
  const out = into.buffer;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    out[n++] = c;
  }
  into.length = n;
  return into;
}

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

/** Number of code points (Python's len). */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i + 1 < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Distances.

/** InDel distance (insertions + deletions only) = n1 + n2 - 2·LCS. */
export function indelDistance(a: string, b: string, units: FuzzyUnits = "codepoint"): number {
  const lcs = lcsOfTexts(a, b, units);
  return lengths.a + lengths.b - 2 * lcs;
}

/**
 * Give each astral code point of a or b its own BMP stand-in that occurs in neither string, so
 * a UTF-16 Levenshtein sees one unit per code point. Returns null in the (absurd) case of more
 * distinct astral characters than free stand-ins in U+E000–U+FFFF.
 */
function withBmpStandIns(a: string, b: string): [string, string] | null {
  const standIns = new Map<string, string>();
  let next = 0xe000;
  const map = (text: string): string | null => {
    let out = "";
    for (const ch of text) {
      if (ch.length === 1) {
        out += ch;
        continue;
      }
      let s = standIns.get(ch);
      if (s === undefined) {
        while (next <= 0xffff && (a.includes(String.fromCharCode(next)) || b.includes(String.fromCharCode(next)))) {
          next++;
        }
        if (next > 0xffff) return null;
        s = String.fromCharCode(next++);
        standIns.set(ch, s);
      }
      out += s;
    }
    return out;
  };
  const x = map(a);
  const y = x === null ? null : map(b);
  return x === null || y === null ? null : [x, y];
}

/** Plain single-row DP Levenshtein over symbol arrays (fallback only). */
function levenshteinDp(x: Int32Array, n: number, y: Int32Array, m: number): number {
  const row = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) row[j] = j;
  for (let i = 1; i <= n; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= m; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (x[i - 1] === y[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[m]!;
}

/** Levenshtein distance (unit-cost insert / delete / substitute). */
export function levenshteinDistance(a: string, b: string, units: FuzzyUnits = "codepoint"): number {
  if (units === "codepoint" && (codePointLength(a) !== a.length || codePointLength(b) !== b.length)) {
    const standIns = withBmpStandIns(a, b);
    if (standIns !== null) return utf16Levenshtein(standIns[0], standIns[1]);
    const x = decodeCodePoints(a, scratchA);
    const y = decodeCodePoints(b, scratchB);
    return levenshteinDp(x.buffer, x.length, y.buffer, y.length);
  }
  return utf16Levenshtein(a, b);
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
