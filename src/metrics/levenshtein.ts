// Levenshtein distance over code points (Python's view of a string) or UTF-16 units, on
// fastest-levenshtein's bit-parallel UTF-16 core. A module of its own, and the package required
// on first use, because "did you mean ...?" (./nearest.ts) needs it on every command's path
// while a distance is only computed when a name is wrong or a fuzzy_match grades.

import { createRequire } from "node:module";
import { codePointLength, decodeCodePoints, type FuzzyUnits } from "./code-points.js";

type Distance = (a: string, b: string) => number;
let distance: Distance | undefined;

// require, not import: an ES import of this CommonJS package also runs Node's CommonJS export
// scanner over it, which costs more than the package itself at start-up.
function utf16Levenshtein(): Distance {
  return (distance ??= (createRequire(import.meta.url)("fastest-levenshtein") as typeof import("fastest-levenshtein")).distance);
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
    if (standIns !== null) return utf16Levenshtein()(standIns[0], standIns[1]);
    const x = decodeCodePoints(a, { buffer: new Int32Array(a.length), length: 0 });
    const y = decodeCodePoints(b, { buffer: new Int32Array(b.length), length: 0 });
    return levenshteinDp(x.buffer, x.length, y.buffer, y.length);
  }
  return utf16Levenshtein()(a, b);
}
