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
 * Where `--workers` grade unless told: processes for compact rows (tens of bytes a row, so
 * nothing much to copy back), threads for full rows (~1 KB a row). Measured, 2 workers against
 * the other kind: compact rouge_l 1.24x, compact string_check 1.05x with processes; full rouge_l
 * 1.08x with processes, but full string_check 1.48x with threads, the larger difference
 * (README "Workers"; pool.ts).
 */
export function choosePoolKind(format: RowFormat): PoolKind {
  return format === "compact" ? "processes" : "threads";
}
