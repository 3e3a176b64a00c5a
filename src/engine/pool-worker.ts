// A piscina worker: compiles the grader once per run (templates, formula, metric tables) and
// grades blocks of raw input lines. Runs only synchronous (CPU-bound) graders; executor-backed
// ones stay on the main thread, where the executors live.

import { move, transferableSymbol, valueSymbol } from "piscina";
import { compileOnDemand } from "../graders/compile-on-demand.js";
import type { CompiledGrader, CompileOptions } from "../graders/types.js";
import type { Grader } from "../schema/types.js";
import { gradeLinesSync, type BatchResult, type RowOutput } from "./batch.js";
import { blockLines, type Block } from "./lines.js";

export interface BlockTask {
  graderKey: string;
  grader: Grader;
  compileOptions: CompileOptions;
  file: string;
  block: Block;
  output: RowOutput;
}

const encoder = new TextEncoder();
let cached: { key: string; grader: CompiledGrader } | null = null;

// Test seam for the "a worker crash is contained to its row" guarantee: a line containing this
// marker kills the worker thread outright, as a native crash or an OOM kill would.
const CRASH_MARKER = process.env.GRADERKIT_TEST_CRASH_MARKER;

export default function gradeTask(task: BlockTask): BatchResult | Promise<BatchResult> {
  if (!cached || cached.key !== task.graderKey) {
    // The first block of a run (piscina awaits a promise): import what the grader uses, compile.
    const key = task.graderKey;
    return compileOnDemand(task.grader, task.compileOptions).then((grader) => {
      cached = { key, grader };
      return gradeBlock(cached.grader, task);
    });
  }
  return gradeBlock(cached.grader, task);
}

function gradeBlock(grader: CompiledGrader, task: BlockTask): BatchResult {
  const lines = blockLines(task.block);
  if (CRASH_MARKER && lines.some((l) => l.text.includes(CRASH_MARKER))) process.exit(70);
  const result = gradeLinesSync(grader, lines, task.file, task.output);
  // Encode here, not on the main thread, and hand the bytes over without a copy: the main
  // thread only writes them.
  const text = result.text.map((piece) => (typeof piece === "string" ? encoder.encode(piece) : piece));
  result.text = text;
  return move({
    get [transferableSymbol]() {
      return [...text.map((bytes) => bytes.buffer), result.rewards.buffer];
    },
    get [valueSymbol]() {
      return result;
    },
  }) as unknown as BatchResult;
}
