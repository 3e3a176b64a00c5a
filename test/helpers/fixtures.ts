// The conformance fixture (scores computed by nltk, rouge-score and rapidfuzz; see
// test/fixtures/README.md), parsed once per test file.
import { readFileSync } from "node:fs";

export interface ConformanceRow {
  id: string;
  category: string;
  input: string;
  reference: string;
  tokens_pf_input: string[];
  tokens_pf_reference: string[];
  scores: Record<string, number | null>;
  errors?: Record<string, string>;
  [key: string]: unknown;
}

let cached: ConformanceRow[] | null = null;

/** Every row of test/fixtures/text_similarity.jsonl, typed as the caller's row shape. */
export function conformanceRows<T = ConformanceRow>(): T[] {
  cached ??= readFileSync(new URL("../fixtures/text_similarity.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as ConformanceRow);
  return cached as unknown as T[];
}
