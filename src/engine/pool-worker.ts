// A piscina worker (thread-pool.ts): compiles the grader once per run (templates, formula, metric
// tables) and grades blocks of raw input lines. Runs only synchronous (CPU-bound) graders;
// executor-backed ones stay on the main thread, where the executors live.

import { move, transferableSymbol, valueSymbol } from "piscina";
import { compileOnDemand } from "../graders/compile-on-demand.js";
import type { CompiledGrader, CompileOptions } from "../graders/types.js";
import type { Grader } from "../schema/types.js";
import type { BatchResult, RowOutput } from "./batch.js";
import type { Block } from "./lines.js";
import { gradeBlockInWorker } from "./worker-block.js";

export interface BlockTask {
  graderKey: string;
  grader: Grader;
  compileOptions: CompileOptions;
  file: string;
  block: Block;
  output: RowOutput;
}

let cached: { key: string; grader: CompiledGrader } | null = null;

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
  const result = gradeBlockInWorker(grader, task.block, task.file, task.output);
  // Hand the bytes over without a copy: the main thread only writes them.
  return move({
    get [transferableSymbol]() {
      return [...result.text.map((bytes) => bytes.buffer), result.rewards.buffer];
    },
    get [valueSymbol]() {
      return result;
    },
  }) as unknown as BatchResult;
}
