// The engine's defaults, in one place for runFile, gradeRows and the CLI's help.

/** Inputs smaller than this are graded on the main thread unless --workers says otherwise. */
export const AUTO_POOL_MIN_BYTES = 2 * 1024 * 1024;
/** Lines per block: large enough that message passing costs little next to grading. */
export const DEFAULT_BATCH_SIZE = 1024;
/** Executor-backed gradings (python, model calls) in flight at once. */
export const DEFAULT_CONCURRENCY = 16;
