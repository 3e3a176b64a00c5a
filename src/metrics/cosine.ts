// Cosine similarity of two embedding vectors (the text_similarity `cosine` metric, spec §4).

import { metricSignature } from "./signature.js";

/** e.g. "cosine|model:text-embedding-3-large|graderkit:0.1.0": the embedding model is the variant. */
export function cosineSignature(model: string): string {
  return metricSignature("cosine", { model });
}

/**
 * a·b / (|a||b|), in [-1, 1]. Vectors of different lengths come from different models (or a
 * bug) and throw. A zero vector has no direction: decided, its similarity is 0 rather than NaN,
 * so a grading never carries NaN.
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) {
    throw new Error(`cosine similarity needs vectors of equal length, got ${a.length} and ${b.length}`);
  }
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return 0;
  // One sqrt of the product (as scipy does) keeps (anti)parallel vectors at exactly ±1 more
  // often than two; the clamp catches the remaining rounding.
  return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
}
