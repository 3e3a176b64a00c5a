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

/**
 * OUT, when it is a file: the parent's own open file (stdio slot 6). A process writes a block's
 * rows there itself when the main process says it is the block's turn (the rows then never cross
 * a pipe: 1M full rouge_l rows with 2 processes, 3.95 s against 5.37 s through frames, measured
 * with the frames dropped). The main process hands out one turn at a time, after its own writes
 * are on the file, so OUT is always the rows in input order.
 */
export const OUTPUT_FD = 6;

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
  /** Keep the rows until told to write them to OUTPUT_FD (`write`), instead of framing them on ROWS_FD. */
  hold: boolean;
}

/** Write a held block's rows to OUTPUT_FD now (answered by `wrote`), before anything else. */
export interface PoolWrite {
  kind: "write";
  id: number;
}

/** After every task sent before it: report and wait for the channel to close. */
export interface PoolFinish {
  kind: "finish";
}

export type ToPoolProcess = PoolSetup | PoolTask | PoolWrite | PoolFinish;

export type FromPoolProcess =
  /**
   * The block's numbers (result.text is empty); its rows come as frame `id` on ROWS_FD, or, held,
   * are `heldBytes` bytes the process writes when told.
   */
  | { kind: "graded"; id: number; result: BatchResult; heldBytes?: number }
  /** A held block's rows are on OUT; `error` when writing them failed (its errno code and message). */
  | { kind: "wrote"; id: number; error?: { code?: string; message: string } }
  | { kind: "failed"; id: number; message: string }
  /** The answer to finish: the process's peak resident set, in KiB. */
  | { kind: "finished"; peakRssKb: number };
