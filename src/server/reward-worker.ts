// A piscina worker of the reward server: grades one chunk of a batch's rows, still text, with a
// CPU-bound grader compiled once per worker (templates, formula, metric tables). Executor-backed
// graders never come here: the executors live on the main thread.

import { compileValidGrader } from "../graders/compile.js";
import type { CompiledGrader } from "../graders/types.js";
import type { Grader } from "../schema/types.js";
import type { ValueLimits } from "./body-limits.js";
import { Lru } from "./lru.js";
import { gradeChunkSync, RowsSyntaxError, type GradedChunk, type RewardFormat, type RowsChunk } from "./reward-rows.js";

export interface ChunkTask {
  /** Identifies the grader (the SHA-256 of its canonical JSON): compiled once per key. */
  graderKey: string;
  grader: Grader;
  format: RewardFormat;
  chunk: RowsChunk;
  limits: ValueLimits;
}

/**
 * A chunk's answer and how long grading it took (measured here: on the main thread the time would
 * include the wait behind the chunk before it), or why its text is not JSON (errors do not
 * survive postMessage as classes).
 */
export type ChunkOutcome = { ok: true; graded: GradedChunk; ms: number } | { ok: false; message: string; param: string };

// Named graders and a few inline ones come back again and again; 64 compiled graders is plenty.
const compiled = new Lru<string, CompiledGrader>(64);

// Test seam for "a worker crash costs only its rows": a row containing this marker kills the
// worker thread outright, as a native crash or an out-of-memory kill would.
const CRASH_MARKER = process.env.GRADERKIT_TEST_CRASH_MARKER;
const marker = CRASH_MARKER ? Buffer.from(CRASH_MARKER) : null;

export function gradeChunkTask(task: ChunkTask): ChunkOutcome {
  let grader = compiled.get(task.graderKey);
  if (!grader) {
    grader = compileValidGrader(task.grader);
    compiled.set(task.graderKey, grader);
  }
  try {
    const started = performance.now();
    const graded = gradeChunkSync(grader, task.chunk, task.format, task.limits);
    return { ok: true, graded, ms: performance.now() - started };
  } catch (err) {
    if (err instanceof RowsSyntaxError) return { ok: false, message: err.message, param: err.param };
    throw err;
  }
}

export default function rewardWorker(task: ChunkTask): ChunkOutcome {
  if (marker && Buffer.from(task.chunk.bytes.buffer, task.chunk.bytes.byteOffset, task.chunk.bytes.byteLength).includes(marker)) process.exit(70);
  return gradeChunkTask(task);
}
