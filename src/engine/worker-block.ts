// How a pool worker (a thread, pool-worker.ts, or a process, pool-process.ts) grades a block:
// the same lines and rows as the main thread (batch.ts), so the main thread only writes bytes.

import type { CompiledGrader } from "../graders/types.js";
import type { SpareBuffers } from "../util/json-bytes.js";
import { gradeLinesInSlices, gradeLinesSync, type BatchResult, type RowOutput } from "./batch.js";
import type { LineInput } from "./grade-row.js";
import { blockLines, type Block } from "./lines.js";

// Test seam for the "a worker crash is contained to its row" guarantee: a line containing this
// marker ends the worker outright, as a native crash or an OOM kill would.
const CRASH_MARKER = process.env.GRADERKIT_TEST_CRASH_MARKER;

export function gradeBlockInWorker(grader: CompiledGrader, block: Block, file: string, output: RowOutput): BatchResult {
  return gradeLinesSync(grader, workerLines(block), file, output);
}

/** gradeBlockInWorker with turns of the event loop every `sliceMs`, into spare buffers (batch.ts, gradeLinesInSlices). */
export function gradeBlockInSlices(grader: CompiledGrader, block: Block, file: string, output: RowOutput, sliceMs: number, spare: SpareBuffers): Promise<BatchResult> {
  return gradeLinesInSlices(grader, workerLines(block), file, output, sliceMs, spare);
}

function workerLines(block: Block): LineInput[] {
  const lines = blockLines(block);
  if (CRASH_MARKER && lines.some((l) => l.text.includes(CRASH_MARKER))) process.exit(70);
  return lines;
}
