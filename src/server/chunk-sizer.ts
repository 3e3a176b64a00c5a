// How many rows go in one pool task. A request waiting behind a batch waits for the chunk a worker
// is on (the scheduler is fair between chunks, not within one), so chunks are sized by time, not
// by count: about `targetMs` of grading each, from the grader's measured cost per row. 256
// string_check rows take well under a millisecond; 256 METEOR rows several hundred.

import { Lru } from "./lru.js";

export interface ChunkSizerOptions {
  /** Most rows in a chunk (the per-task overhead is paid per chunk; beyond this it no longer matters). */
  maxRows: number;
  /** Grading time a chunk should take, in milliseconds. */
  targetMs: number;
  /** Rows per chunk for a grader not measured yet: small, as it may be slow. */
  probeRows: number;
}

export const CHUNK_SIZER_DEFAULTS: ChunkSizerOptions = { maxRows: 256, targetMs: 5, probeRows: 16 };

export class ChunkSizer {
  // Milliseconds per row, smoothed, by grader key; a few hundred graders is plenty.
  private readonly cost = new Lru<string, number>(256);

  constructor(readonly options: ChunkSizerOptions = CHUNK_SIZER_DEFAULTS) {}

  /** Rows per chunk for the grader `key`. */
  rowsFor(key: string): number {
    const { maxRows, targetMs, probeRows } = this.options;
    const perRow = this.cost.get(key);
    if (perRow === undefined) return Math.min(maxRows, probeRows);
    return Math.max(1, Math.min(maxRows, Math.floor(targetMs / Math.max(perRow, 1e-6))));
  }

  /** A chunk of `rows` rows of grader `key` took `ms`. */
  observe(key: string, rows: number, ms: number): void {
    if (rows <= 0 || !(ms >= 0)) return;
    const perRow = ms / rows;
    const previous = this.cost.get(key);
    // Noise only ever adds time: a grader's first chunk on each worker (METEOR loads WordNet, a
    // second), a busy neighbour, a GC pause. So a faster chunk is believed at once, and a slower
    // one moves the estimate a fifth of the way: one slow chunk does not make every later one tiny.
    const next = previous === undefined || perRow < previous ? perRow : 0.8 * previous + 0.2 * perRow;
    this.cost.set(key, next);
  }
}
