// Where the reward server's rows are graded. CPU-bound graders: on a piscina pool of their own
// (--workers N; the main thread with 0), in chunks of rows still in their request text, so the
// event loop only reads requests and writes answers. Executor-backed graders (python, models,
// embeddings): on the main thread, where the executors and their concurrency caps live.
//
// Chunks are scheduled fairly (fair-scheduler.ts): at most two per worker are on the pool at
// once, and the next one is taken round-robin from the requests waiting, so a one-row request
// arriving behind a 5,000-row batch waits for a chunk or two (~5 ms each), not for the batch. (The engine's block pool serves one
// input file in order; here many requests share the workers, which is why the server has its own.)

import { Piscina } from "piscina";
import type { Executors } from "../core/executors.js";
import type { CompiledGrader } from "../graders/types.js";
import type { Grader } from "../schema/types.js";
import type { Span } from "../util/json-spans.js";
import type { ValueLimits } from "./body-limits.js";
import { ChunkSizer, CHUNK_SIZER_DEFAULTS } from "./chunk-sizer.js";
import { FairScheduler } from "./fair-scheduler.js";
import { crashedRows, gradeValues, parseChunk, RowsSyntaxError, type GradedChunk, type RewardFormat, type RowsChunk } from "./reward-rows.js";
import { gradeChunkTask, type ChunkOutcome, type ChunkTask } from "./reward-worker.js";

// A sibling module that piscina loads in worker threads: compiled JavaScript, so code running
// the pool from the TypeScript sources (tests) imports the built package.
const REWARD_WORKER = new URL("./reward-worker.js", import.meta.url);

/** A grader the server resolved (by name or inline), with what the pool needs to compile it again. */
export interface ResolvedGrader {
  /** SHA-256 of the validated grader's canonical JSON. */
  key: string;
  grader: Grader;
  compiled: CompiledGrader;
  /** The name it was registered under, or null for a grader sent inline. */
  registeredName: string | null;
}

export interface GradeJob {
  grader: ResolvedGrader;
  format: RewardFormat;
  /** The request's text (or rows serialized by the server) and the span of each row in it. */
  bytes: Uint8Array;
  rows: readonly Span[];
}

/** What the reward routes grade with: rows in, the answer's pieces out, in row order. */
export interface RowGrader {
  /** Worker threads (0: CPU-bound rows are graded on the main thread). */
  readonly workers: number;
  /** Rejects with RowsSyntaxError when a row's text is not JSON. */
  grade(job: GradeJob): Promise<GradedChunk[]>;
  close(): Promise<void>;
}

export interface RowGraderOptions {
  workers: number;
  executors: Executors;
  limits: ValueLimits;
  /**
   * Most rows per chunk (default 256) and bytes per chunk (default 256 KB), whichever comes
   * first; within that, chunks are sized to about 5 ms of grading (chunk-sizer.ts).
   */
  chunkRows?: number;
  chunkBytes?: number;
}

// Chunks on each worker at once: the one it grades and the next, already in its message port, so
// it starts that one without waiting for the main thread to hear back and send another (on a busy
// machine that round trip costs milliseconds a chunk). A request arriving meanwhile waits for at
// most two chunks (about 10 ms), not one.
const CHUNKS_PER_WORKER = 2;

/** The end of the chunk starting at row `from`: at most `maxRows` rows and (unless one row is larger) `maxBytes` bytes. */
export function chunkEnd(rows: readonly Span[], from: number, maxRows: number, maxBytes: number): number {
  let to = from + 1;
  const start = rows[from]!.start;
  while (to < rows.length && to - from < maxRows && rows[to]!.end - start <= maxBytes) to++;
  return to;
}

function outcome(result: ChunkOutcome): GradedChunk {
  if (!result.ok) throw new RowsSyntaxError(result.message, result.param);
  return result.graded;
}

/** The text of rows [from, to) of a job, in a buffer of its own (transferable to a worker). */
function chunkOf(job: GradeJob, from: number, to: number): RowsChunk {
  // A copy, made by the Uint8Array constructor: Buffer#slice would be a view of the request's
  // buffer (or of Node's shared allocation pool), which the transfer to a worker would detach.
  return { bytes: new Uint8Array(job.bytes.subarray(job.rows[from]!.start, job.rows[to - 1]!.end)), firstIndex: from };
}

export function createRowGrader(options: RowGraderOptions): RowGrader {
  const { workers, executors, limits } = options;
  const chunkBytes = options.chunkBytes ?? 256 * 1024;
  const maxRows = options.chunkRows ?? CHUNK_SIZER_DEFAULTS.maxRows;
  const sizer = new ChunkSizer({ ...CHUNK_SIZER_DEFAULTS, maxRows, probeRows: Math.min(maxRows, CHUNK_SIZER_DEFAULTS.probeRows) });
  const piscina = workers > 0
    ? new Piscina<ChunkTask, ChunkOutcome>({ filename: REWARD_WORKER.href, minThreads: workers, maxThreads: workers, idleTimeout: 60_000, concurrentTasksPerWorker: CHUNKS_PER_WORKER })
    : null;
  const scheduler = new FairScheduler<GradedChunk>(piscina ? workers * CHUNKS_PER_WORKER : 1);
  let closed = false;

  /** A chunk's answer, its grading time told to the sizer. */
  const measured = (job: GradeJob, rows: number, result: ChunkOutcome): GradedChunk => {
    const graded = outcome(result);
    if (result.ok) sizer.observe(job.grader.key, rows, result.ms);
    return graded;
  };

  const taskOf = (job: GradeJob, chunk: RowsChunk): ChunkTask => ({ graderKey: job.grader.key, grader: job.grader.grader, format: job.format, chunk, limits });

  /**
   * Grade rows [from, to) on the pool; a worker that dies costs only the row it died on. A chunk
   * on a worker that died is graded again one row at a time, and a single row is tried twice: the
   * chunk queued next to the culprit on the same worker dies with it through no fault of its own.
   */
  async function onPool(pool: Piscina<ChunkTask, ChunkOutcome>, job: GradeJob, from: number, to: number, retried = false): Promise<GradedChunk> {
    const chunk = chunkOf(job, from, to);
    try {
      return measured(job, to - from, await pool.run(taskOf(job, chunk), { transferList: [chunk.bytes.buffer as ArrayBuffer] }));
    } catch (err) {
      if (err instanceof RowsSyntaxError || closed) throw err;
      if (to - from > 1) {
        // One row at a time: a row sent beside the culprit would die with it again.
        const singles: GradedChunk[] = [];
        for (let k = from; k < to; k++) singles.push(await onPool(pool, job, k, k + 1));
        return mergeChunks(singles);
      }
      if (!retried) return onPool(pool, job, from, to, true);
      return crashedRows(job.grader.compiled, 1, job.format, err instanceof Error ? err.message : String(err));
    }
  }

  /** Grade rows [from, to) on the main thread, in a turn of the event loop of their own. */
  function onMainThread(job: GradeJob, from: number, to: number): Promise<GradedChunk> {
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(measured(job, to - from, gradeChunkTask(taskOf(job, chunkOf(job, from, to)))));
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  async function withExecutors(job: GradeJob): Promise<GradedChunk[]> {
    if (job.rows.length === 0) return [];
    const values = parseChunk(chunkOf(job, 0, job.rows.length));
    return [await gradeValues(job.grader.compiled, values, 0, job.format, limits, executors)];
  }

  return {
    workers,
    grade(job) {
      if (job.grader.compiled.async) return withExecutors(job);
      let from = 0;
      return scheduler.submit({
        hasNext: () => from < job.rows.length,
        next() {
          // Sized now, from the latest measurement of this grader.
          const start = from;
          const end = chunkEnd(job.rows, start, sizer.rowsFor(job.grader.key), chunkBytes);
          from = end;
          return () => (piscina ? onPool(piscina, job, start, end) : onMainThread(job, start, end));
        },
      });
    },
    async close() {
      closed = true;
      await piscina?.destroy();
    },
  };
}

/** Chunks of consecutive rows as one. */
export function mergeChunks(chunks: readonly GradedChunk[]): GradedChunk {
  const flags: GradedChunk["flags"] = {};
  for (const c of chunks) for (const [f, n] of Object.entries(c.flags) as Array<[keyof GradedChunk["flags"], number]>) flags[f] = (flags[f] ?? 0) + n;
  const nonEmpty = chunks.filter((c) => c.count > 0);
  return {
    rows: nonEmpty.map((c) => c.rows).join(","),
    rewards: nonEmpty.map((c) => c.rewards).join(","),
    count: chunks.reduce((n, c) => n + c.count, 0),
    flags,
  };
}
