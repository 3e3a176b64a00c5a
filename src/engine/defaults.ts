// The engine's defaults, in one place for runFile, gradeRows and the CLI's help.

import type { RowFormat } from "./serialize.js";

/** Inputs smaller than this are graded on the main thread unless --workers says otherwise. */
export const AUTO_POOL_MIN_BYTES = 2 * 1024 * 1024;
/** Lines per block: large enough that message passing costs little next to grading. */
export const DEFAULT_BATCH_SIZE = 1024;
/** Executor-backed gradings (python, model calls) in flight at once. */
export const DEFAULT_CONCURRENCY = 16;

/** What `--workers` are (pool.ts). */
export const POOL_KINDS = ["threads", "processes"] as const;
export type PoolKind = (typeof POOL_KINDS)[number];

/**
 * Where `--workers` grade unless told: processes, except full rows (~1 KB a row) that go to a
 * stream, which processes would have to send back through a pipe. Measured, 2 workers against
 * the other kind: compact rouge_l 1.24x, compact string_check 1.05x with processes; full rows to
 * a file (the processes write them: processesWriteOut), rouge_l 5.13 s against 6.21 s, and
 * string_check (4M rows) 6.52 s against 6.55 s; full rows through a pipe, string_check 1.48x with
 * threads (README "Workers"; pool.ts).
 */
export function choosePoolKind(format: RowFormat, outputIsFile: boolean): PoolKind {
  return format === "compact" || outputIsFile ? "processes" : "threads";
}

/**
 * Whether pool processes write their blocks' rows to OUT themselves (when OUT is a regular
 * file), rather than sending them to the main process: for full rows, ~1 KB each, whose trip
 * through a pipe and the main process cost more than handing out turns to write. 1M rouge_l rows,
 * 2 processes, 3 interleaved rounds: full 4.62 s against 5.94 s; compact 3.86 s against 3.45 s
 * (a turn takes ~1 ms and a compact block is little to copy).
 */
export function processesWriteOut(format: RowFormat): boolean {
  return format === "full";
}
