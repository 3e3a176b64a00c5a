// The text_similarity `cosine` metric: embed input and reference through the embedding
// executor and compare the vectors. Called by the text_similarity grader.

import type { Executors } from "../core/executors.js";
import { cosineSignature, cosineSimilarity } from "../metrics/cosine.js";
import { GradingFailure } from "../core/response.js";

export interface CosineReward {
  /** The similarity, clamped to [0, 1] (spec §4: every text_similarity score is in [0, 1]). */
  reward: number;
  /** e.g. "cosine|model:text-embedding-3-large|graderkit:0.1.0" */
  signature: string;
  /** The raw similarity in [-1, 1]. */
  similarity: number;
}

export async function cosineReward(
  input: string,
  reference: string,
  executors: Executors,
  model?: string,
): Promise<CosineReward> {
  const embedder = executors.embedding;
  if (!embedder) {
    throw new GradingFailure(
      "other_error",
      "cosine needs an embedding endpoint (executors.embedding.baseUrl, or executors.model.baseUrl)",
    );
  }
  let vectors: number[][];
  try {
    vectors = await embedder.embed([input, reference], model);
  } catch (err) {
    throw new GradingFailure("other_error", `cosine: ${err instanceof Error ? err.message : String(err)}`);
  }
  const similarity = cosineSimilarity(vectors[0], vectors[1]);
  const name = model ?? embedder.defaultModel ?? "default";
  return { reward: Math.max(0, similarity), signature: cosineSignature(name), similarity };
}
