// The conformance fixtures (scores computed by nltk, rouge-score and rapidfuzz; see
// ../shared/conformance/README.md), parsed once per test file.
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

/**
 * The conformance fixtures: `text_similarity` (342 pairs; nltk 3.8 and 3.9.1 agree on every
 * value) and `text_similarity_nltk391` (41 pairs scored with nltk 3.9.1, most of which 3.8
 * scores differently), copied from the shared conformance data.
 */
export const FIXTURES = ["text_similarity", "text_similarity_nltk391"] as const;
export type FixtureName = (typeof FIXTURES)[number];

const cached = new Map<FixtureName, ConformanceRow[]>();

/** Every row of test/fixtures/<fixture>.jsonl, typed as the caller's row shape. */
export function conformanceRows<T = ConformanceRow>(fixture: FixtureName = "text_similarity"): T[] {
  let rows = cached.get(fixture);
  if (rows === undefined) {
    rows = readFileSync(new URL(`../fixtures/${fixture}.jsonl`, import.meta.url), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as ConformanceRow);
    cached.set(fixture, rows);
  }
  return rows as unknown as T[];
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
