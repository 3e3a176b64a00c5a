// Levenshtein distance over code points (Python's view of a string) or UTF-16 units, on
// fastest-levenshtein's bit-parallel UTF-16 core. A module of its own, and the package required
// on first use, because "did you mean ...?" (./nearest.ts) needs it on every command's path
// while a distance is only computed when a name is wrong or a fuzzy_match grades.

import { createRequire } from "node:module";
import { astralStandIns, codePointLength, decodeCodePoints, replaceAstral, type FuzzyUnits } from "./code-points.js";

type Distance = (a: string, b: string) => number;
let distance: Distance | undefined;

// require, not import: an ES import of this CommonJS package also runs Node's CommonJS export
// scanner over it, which costs more than the package itself at start-up.
function utf16Levenshtein(): Distance {
  return (distance ??= (createRequire(import.meta.url)("fastest-levenshtein") as typeof import("fastest-levenshtein")).distance);
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
    const standIns = astralStandIns([a, b]);
    if (standIns !== null) return utf16Levenshtein()(replaceAstral(a, standIns), replaceAstral(b, standIns));
    const x = decodeCodePoints(a, { buffer: new Int32Array(a.length), length: 0 });
    const y = decodeCodePoints(b, { buffer: new Int32Array(b.length), length: 0 });
    return levenshteinDp(x.buffer, x.length, y.buffer, y.length);
  }
  return utf16Levenshtein()(a, b);
}
