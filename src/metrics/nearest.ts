// The nearest of a few names to a misspelt one, by Levenshtein distance: "did you mean …?" for
// command names, flags, template fields.

import { levenshteinDistance } from "./levenshtein.js";

/** The closest candidate when it is close enough to be a likely typo, else undefined. */
export function nearestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshteinDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}
