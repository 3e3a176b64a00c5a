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

/**
 * A BMP stand-in for each distinct astral code point of `texts`, assigned in order of first
 * occurrence (the texts in order): the next character of U+E000–U+FFFF that occurs in none of the
 * texts. Code that counts UTF-16 units then sees one unit per code point, as Python does. Null in
 * the (absurd) case of more distinct astral characters than free stand-ins.
 */
export function astralStandIns(texts: readonly string[]): Map<string, string> | null {
  const standIns = new Map<string, string>();
  let next = 0xe000;
  for (const text of texts) {
    for (const ch of text) {
      if (ch.length === 1 || standIns.has(ch)) continue;
      while (next <= 0xffff && texts.some((t) => t.includes(String.fromCharCode(next)))) next++;
      if (next > 0xffff) return null;
      standIns.set(ch, String.fromCharCode(next++));
    }
  }
  return standIns;
}

/** The text with each astral code point replaced by its stand-in (astralStandIns). */
export function replaceAstral(text: string, standIns: ReadonlyMap<string, string>): string {
  let out = "";
  for (const ch of text) out += ch.length === 1 ? ch : standIns.get(ch)!;
  return out;
}
