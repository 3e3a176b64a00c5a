// rouge-score 0.1.2's ROUGE-N and ROUGE-L written as plainly as rouge-score writes them: n-grams
// counted under joined-string keys (rouge-score uses tuples), the LCS by a full table. The tests
// check the id-based scoring of ../rouge.ts against them; the library never calls them.

import type { PRF } from "../types.js";
import { lcsLengthDp } from "./lcs.js";

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** rouge-score scoring.fmeasure. */
function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** rouge_scorer._score_ngrams: clipped overlap over max(count, 1) on each side. */
export function rougeNReference(reference: readonly string[], candidate: readonly string[], n: number): PRF {
  const referenceCounts = ngramCounts(reference, n);
  const candidateCounts = ngramCounts(candidate, n);
  let overlap = 0;
  for (const [key, count] of referenceCounts) overlap += Math.min(count, candidateCounts.get(key) ?? 0);
  const precision = overlap / Math.max(candidate.length - n + 1, 1);
  const recall = overlap / Math.max(reference.length - n + 1, 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** rouge_scorer._score_lcs: 0 for an empty side. */
export function rougeLReference(reference: readonly string[], candidate: readonly string[]): PRF {
  if (reference.length === 0 || candidate.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLengthDp(reference, candidate);
  const precision = lcs / candidate.length;
  const recall = lcs / reference.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}
