// The messages between runFile's main process and its pool processes (process-pool.ts,
// pool-process.ts), over Node's IPC channel with V8 serialization (typed arrays travel as bytes, not JSON).

import type { CompileOptions } from "../graders/types.js";
import type { Grader } from "../schema/types.js";
import type { BatchResult, RowOutput } from "./batch.js";

/**
 * The descriptor under which a pool process finds the run's input when it is a regular file: the
 * parent's own open file, passed at spawn (stdio slot 4), so a process reads the very file the
 * main process opened even if its path is renamed or replaced meanwhile.
 */
export const INPUT_FD = 4;

/**
 * Where a pool process writes each block's output rows, as frames (frames.ts): a pipe to the
 * main process of its own (stdio slot 5), blocking in the process, so a slow reader holds the
 * process back instead of piling bytes up. Not stdout, where a stray console.log would go.
 */
export const ROWS_FD = 5;

/** Once per process, first: what every block of the run is graded with. */
export interface PoolSetup {
  kind: "setup";
  grader: Grader;
  compileOptions: CompileOptions;
  /** The input's name in messages. */
  file: string;
  output: RowOutput;
}

/**
 * A block to grade: its bytes (a stream), or where it lies in the input file (INPUT_FD), which
 * the process reads itself, so a file's blocks never go through the channel (measured on a
 * prototype of this pool: 1M rows, rouge_l, compact, 2 processes, 3.05 s against 3.48 s with the
 * bytes sent).
 */
export interface PoolTask {
  kind: "grade";
  id: number;
  startLine: number;
  offset?: number;
  skipThrough?: number;
  /** Exactly one of the two. */
  bytes?: Uint8Array;
  length?: number;
}

/** After every task sent before it: report and wait for the channel to close. */
export interface PoolFinish {
  kind: "finish";
}

export type ToPoolProcess = PoolSetup | PoolTask | PoolFinish;

export type FromPoolProcess =
  /** The block's numbers; its rows' bytes come as frame `id` on ROWS_FD (result.text is empty). */
  | { kind: "graded"; id: number; result: BatchResult }
  | { kind: "failed"; id: number; message: string }
  /** The answer to finish: the process's peak resident set, in KiB. */
  | { kind: "finished"; peakRssKb: number };
