// NLTK's `NISTTokenizer().international_tokenize(text)` (lowercase=False), the path that
// `nltk_tokenize` takes for any text that is not printable Latin-1. Its three character classes
// come from NLTK's perluniprops files (data/nist-intl-charsets.json). The "Number" set there holds
// no digits at all but most BMP letters and punctuation, so it must be used as given, not \p{N}.

import { readFileSync } from "node:fs";
import { isPySpace } from "./pyregex.js";

type Range = [number, number];

interface CharsetFile {
  Number: Range[];
  Punctuation: Range[];
  Symbol: Range[];
}

// One byte per BMP code unit: which of the three sets it belongs to (the sets hold only BMP
// characters and no surrogates, so scanning UTF-16 units is the same as scanning code points).
const NUMBER = 1;
const PUNCT = 2;
const SYMBOL = 4;

let table: Uint8Array | undefined;

function loadTable(): Uint8Array {
  if (table) return table;
  const sets = JSON.parse(
    readFileSync(new URL("../../../data/nist-intl-charsets.json", import.meta.url), "utf8"),
  ) as CharsetFile;
  const t = new Uint8Array(0x10000);
  const mark = (ranges: Range[], bit: number): void => {
    for (const [a, b] of ranges) for (let c = a; c <= b; c++) t[c] |= bit;
  };
  mark(sets.Number, NUMBER);
  mark(sets.Punctuation, PUNCT);
  mark(sets.Symbol, SYMBOL);
  table = t;
  return t;
}

// Steps 3-6 of the tokenizer only ever insert spaces, and an inserted space belongs to none of
// the three sets. So instead of rewriting the string four times, record where spaces would be
// inserted (`gap[k]`: before char k) and treat a gap as breaking adjacency, exactly as the space
// would. Two kinds of gap need no record: step 3 puts one wherever ASCII meets non-ASCII, and
// step 6 (after the pair passes, so it cannot affect them) one on both sides of every Symbol.

let gapBuf = new Uint8Array(256);

function gapsFor(n: number): Uint8Array {
  if (gapBuf.length < n + 1) gapBuf = new Uint8Array(Math.max(n + 1, gapBuf.length * 2));
  gapBuf.fill(0, 0, n + 1);
  return gapBuf;
}

/** Step 3, `re.sub("([\\x00-\\x7f]+)", " \\1 ", s)`: is there a space between these two chars? */
function asciiBoundary(a: number, b: number): boolean {
  return a < 0x80 !== b < 0x80;
}

/**
 * Steps 4 and 5: one left-to-right pass of `re.sub("([A])([B])", ...)` over non-overlapping pairs
 * of adjacent chars. NLTK's "\\1 \\2 " (Number, Punctuation) splits the pair and puts a space
 * after it; " \\1 \\2" (Punctuation, Number) puts the space before it instead. The outer space
 * matters to the next pass.
 */
function padPairs(
  s: string,
  t: Uint8Array,
  gap: Uint8Array,
  first: number,
  second: number,
  spaceFirst: boolean,
): void {
  let c = s.charCodeAt(0);
  for (let i = 0; i + 1 < s.length; ) {
    const d = s.charCodeAt(i + 1);
    if (t[c]! & first && t[d]! & second && !gap[i + 1] && !asciiBoundary(c, d)) {
      gap[i + 1] = 1;
      gap[spaceFirst ? i : i + 2] = 1;
      i += 2;
      c = s.charCodeAt(i);
    } else {
      i++;
      c = d;
    }
  }
}

/**
 * Step 6 and the final str.split(): tokens end at whitespace, at recorded gaps, at ASCII /
 * non-ASCII boundaries and on both sides of a Symbol.
 */
function splitAtGaps(s: string, t: Uint8Array, gap: Uint8Array): string[] {
  const out: string[] = [];
  let start = -1;
  let prev = -1; // previous char code, -1 at a token start
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isPySpace(c)) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    } else if (gap[i] || asciiBoundary(prev, c) || (t[prev]! | t[c]!) & SYMBOL) {
      out.push(s.slice(start, i));
      start = i;
    }
    prev = c;
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

/**
 * nltk.tokenize.util.xml_unescape, i.e. xml.sax.saxutils.unescape with five extra entities.
 * `&amp;` goes last, so `&amp;lt;` gives the text `&lt;`.
 */
function xmlUnescape(text: string): string {
  if (!text.includes("&")) return text;
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&apos;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&#124;", "|")
    .replaceAll("&#91;", "[")
    .replaceAll("&#93;", "]")
    .replaceAll("&amp;", "&");
}

/** `NISTTokenizer().international_tokenize(text)`. */
export function nistInternationalTokenize(text: string): string[] {
  const t = loadTable();
  // NLTK's order: strip <skipped>, line separator to space, then unescape.
  let s = text.replaceAll("<skipped>", "").replaceAll("\u2028", " ");
  s = xmlUnescape(s);
  const gap = gapsFor(s.length);
  padPairs(s, t, gap, NUMBER, PUNCT, false);
  padPairs(s, t, gap, PUNCT, NUMBER, true);
  return splitAtGaps(s, t, gap);
}
