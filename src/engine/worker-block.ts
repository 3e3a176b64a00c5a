// How a pool worker (a thread, pool-worker.ts, or a process, pool-process.ts) grades a block:
// the same lines and rows as the main thread (batch.ts), with the rows' text already encoded,
// so the main thread only writes bytes.

import type { CompiledGrader } from "../graders/types.js";
import { gradeLinesSync, type BatchResult, type RowOutput } from "./batch.js";
import { blockLines, type Block } from "./lines.js";

const encoder = new TextEncoder();

// Test seam for the "a worker crash is contained to its row" guarantee: a line containing this
// marker ends the worker outright, as a native crash or an OOM kill would.
const CRASH_MARKER = process.env.GRADERKIT_TEST_CRASH_MARKER;

/** A worker's BatchResult: the rows' text as UTF-8 pieces. */
export type EncodedResult = Omit<BatchResult, "text"> & { text: Uint8Array[] };

export function gradeBlockInWorker(grader: CompiledGrader, block: Block, file: string, output: RowOutput): EncodedResult {
  const lines = blockLines(block);
  if (CRASH_MARKER && lines.some((l) => l.text.includes(CRASH_MARKER))) process.exit(70);
  const result = gradeLinesSync(grader, lines, file, output);
  const text = result.text.map((piece) => (typeof piece === "string" ? encoder.encode(piece) : piece));
  return { ...result, text };
}
