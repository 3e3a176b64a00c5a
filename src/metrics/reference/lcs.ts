// Textbook O(n·m) dynamic programs over sequences of anything compared with ===: code points,
// UTF-16 units, token ids or token strings. The tests check the bit-parallel LCS (../lcs.ts),
// fuzzy_match's distances and ROUGE-L against them; the library never calls them.

/** Length of the longest common subsequence of a and b. */
export function lcsLengthDp<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  let above = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? above[j - 1]! + 1 : Math.max(above[j]!, row[j - 1]!);
    }
    above = row;
  }
  return above[b.length]!;
}

/** Levenshtein distance of a and b (unit-cost insertion, deletion and substitution). */
export function levenshteinDp<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  let above = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    above = row;
  }
  return above[b.length]!;
}
