// The pure parts of bench's measuring: the repeated input stream and the children's shares of a
// multi's grading time.

import { dictionary } from "../util/dictionary.js";

/** Bytes handed to the engine per chunk: about one read of the engine's reader. */
const CHUNK_BYTES = 256 * 1024;

/**
 * The lines, repeated in order and cut at `rows` lines, as newline-terminated UTF-8 chunks of
 * about CHUNK_BYTES: the input stream of one run, made as it is read (memory stays flat however
 * many rows).
 */
export function* repeatedLines(lines: readonly string[], rows: number): Generator<Buffer> {
  let parts: string[] = [];
  let size = 0;
  for (let i = 0; i < rows; i++) {
    const line = lines[i % lines.length]!;
    parts.push(line, "\n");
    size += line.length + 1;
    if (size >= CHUNK_BYTES) {
      yield Buffer.from(parts.join(""), "utf8");
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join(""), "utf8");
}

/**
 * Each child's share of the children's total grading time, from per-row child times (seconds,
 * keyed by the multi's child keys): shares sum to 1; all zero times give equal shares.
 */
export function childShares(rows: readonly Record<string, number>[]): Record<string, number> {
  const totals = dictionary<number>();
  for (const row of rows) for (const [key, seconds] of Object.entries(row)) totals[key] = (totals[key] ?? 0) + seconds;
  const keys = Object.keys(totals);
  const sum = keys.reduce((s, k) => s + totals[k]!, 0);
  const shares = dictionary<number>();
  for (const k of keys) shares[k] = sum > 0 ? totals[k]! / sum : 1 / keys.length;
  return shares;
}
