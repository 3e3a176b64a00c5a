// The conformance fixture (scores computed by nltk, rouge-score and rapidfuzz; see
// test/fixtures/README.md), parsed once per test file.
import { readFileSync } from "node:fs";
import { expect } from "vitest";

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

/**
 * An assertion that a computed score equals the fixture's within `tolerance` (a missing fixture
 * value fails too): `const expectClose = closeTo(1e-9); expectClose(actual, expected, "what")`.
 */
export function closeTo(tolerance: number): (actual: number, expected: unknown, what: string) => void {
  return (actual, expected, what) => {
    expect(typeof expected, `${what} missing from fixture`).toBe("number");
    expect(Math.abs(actual - (expected as number)), `${what}: got ${actual}, want ${String(expected)}`).toBeLessThanOrEqual(tolerance);
  };
}
