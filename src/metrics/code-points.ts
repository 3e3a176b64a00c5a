// Python strings are sequences of code points; JS strings of UTF-16 units. What the metrics that
// count characters (fuzzy_match, the Porter stemmer's length rules) need to see them as Python does.

/** Which characters a distance counts: code points (Python, the default) or UTF-16 units. */
export type FuzzyUnits = "codepoint" | "utf16";

/** A text as integer symbols, in a reusable buffer. */
export interface Decoded {
  buffer: Int32Array;
  length: number;
}

/** Number of code points (Python's len): a surrogate pair counts once, a lone surrogate once. */
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

/** Fill `into` with the text's code points (a lone surrogate counts as one, as in Python). */
export function decodeCodePoints(text: string, into: Decoded): Decoded {
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
