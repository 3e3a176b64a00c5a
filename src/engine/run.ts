// The engine behind `graderkit run`: reader → dispatcher → ordered sink → summary.
// - the reader (read-blocks) streams the input in fixed-size reads, never the whole file in
//   memory, and cuts it into blocks of whole lines without decoding them;
// - the dispatcher (dispatch) grades blocks on a pool of worker threads or processes (pool:
//   CPU-bound graders) or on the main thread, or rows one by one with bounded concurrency
//   (executor-backed graders);
// - the sink (sink) writes finished rows in input order, whole lines only, as soon as every
//   earlier row is written, and closes OUT durably;
// - before any of it, the destination (destination) refuses what would lose data: OUT being the
//   input, another run writing OUT, a --resume of different work.

import { availableParallelism } from "node:os";
import type { Readable, Writable } from "node:stream";
import type { Executors } from "../core/executors.js";
import { compileOnDemand } from "../graders/compile-on-demand.js";
import type { CompileOptions } from "../graders/types.js";
import { checkedGrader } from "../schema/load.js";
import type { BatchResult, RowOutput } from "./batch.js";
import { AUTO_POOL_MIN_BYTES, choosePoolKind, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, type PoolKind } from "./defaults.js";
import { openDestination, type Destination } from "./destination.js";
import { BlockDispatcher, LineDispatcher, rowWindow, type BlockDispatch } from "./dispatch.js";
import { RunInterruptedError } from "./errors.js";
import { graderFingerprint, inputFingerprint } from "./fingerprint.js";
import { openInput } from "./input.js";
import type { Block } from "./lines.js";
import { RowLimit } from "./limit.js";
import type { BlockPool, BlockPoolOptions } from "./pool.js";
import { readBlocks, type ByteSource } from "./read-blocks.js";
import { ROW_FORMATS, type RowFormat } from "./serialize.js";
import { OrderedSink, type RowCallback } from "./sink.js";
import { SummaryBuilder, type RunSummary } from "./summary.js";

export { AUTO_POOL_MIN_BYTES, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY };

export interface Progress {
  rows: number;
  errorRows: number;
  bytesRead: number;
  totalBytes: number | null;
  elapsedS: number;
}

export interface RunFileOptions {
  /** Grader JSON; validated and normalised first (GraderValidationError when invalid). */
  grader: unknown;
  /** SAMPLES: a path, or "-" to read `stdin`. */
  input: string;
  /** The stream that input "-" reads (default process.stdin). */
  stdin?: Readable;
  /** Output path; without it rows go to `stdout`. */
  output?: string;
  stdout?: Writable;
  /** Continue an interrupted run: keep OUT's rows, grade the input lines after them. */
  resume?: boolean;
  /** Output rows: "full" (the graders/run response; default) or "compact" (see core/compact). */
  format?: RowFormat;
  /** Grade only the first `limit` non-blank lines of the input. */
  limit?: number;
  /** 0 = main thread; undefined = automatic (see AUTO_POOL_MIN_BYTES). */
  workers?: number;
  /** Whether `workers` are threads or processes; default by the row format and OUT (defaults.ts, choosePoolKind). */
  pool?: PoolKind;
  /** Executor-backed gradings in flight at once. */
  concurrency?: number;
  /** Lines per block sent to a worker. */
  batchSize?: number;
  executors?: Executors;
  compileOptions?: CompileOptions;
  onProgress?: (p: Progress) => void;
  /**
   * Called once per row this run writes, in input order, as it is written. Rows are only
   * materialised for it when it is set (the pool otherwise returns serialized text only).
   */
  onRow?: RowCallback;
  /**
   * Aborting it stops the run: nothing more is dispatched, every finished row that is in order
   * is written, OUT is closed, and runFile rejects with RunInterruptedError (--resume continues).
   */
  signal?: AbortSignal;
  /** The reward at or above which a row passes (summary pass_rate); default the grader's pass_threshold. */
  passThreshold?: number;
  /** Executors' cache counters, for the summary. */
  cacheStats?: () => { hits: number; misses: number } | undefined;
  /**
   * Called once, with the pool size, when CPU-bound grading moves to the pool (from then on this
   * thread only reads blocks and writes the workers' bytes).
   */
  onPoolStart?: (workers: number) => void;
}

/** Where CPU-bound blocks are graded: the pool size, and from which input byte the pool is used. */
export function chooseWorkers(requested: number | undefined, inputSize: number | null): { workers: number; poolFromBytes: number } {
  if (requested !== undefined) return { workers: requested, poolFromBytes: 0 };
  // A stream's size is unknown: the main thread until it has proven large, then the pool.
  if (inputSize === null) return { workers: availableParallelism(), poolFromBytes: AUTO_POOL_MIN_BYTES };
  return { workers: inputSize < AUTO_POOL_MIN_BYTES ? 0 : availableParallelism(), poolFromBytes: 0 };
}

export async function runFile(options: RunFileOptions): Promise<RunSummary> {
  const started = performance.now();
  const format = options.format ?? "full";
  // Programming errors of the caller (the CLI checks its flags first), before anything is opened.
  if (!ROW_FORMATS.includes(format)) throw new TypeError(`runFile: format must be ${ROW_FORMATS.join(" or ")}, not ${JSON.stringify(format)}`);
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 0)) {
    throw new RangeError(`runFile: limit must be a non-negative integer, not ${options.limit}`);
  }
  const elapsed = () => (performance.now() - started) / 1000;
  const compileOptions = options.compileOptions ?? {};
  const grader = checkedGrader(options.grader);
  // Only the modules this grader uses are imported (start-up: README "Start-up").
  const compiled = await compileOnDemand(grader, compileOptions);
  const graderKey = graderFingerprint(grader, compileOptions.metricOptions);
  const threshold = options.passThreshold ?? (grader as { pass_threshold?: unknown }).pass_threshold;
  const summary = new SummaryBuilder(typeof threshold === "number" ? threshold : null);
  if (options.signal?.aborted) {
    // Stopped before it started: OUT is not touched.
    throw new RunInterruptedError(options.signal.reason, summary.build({ gradedNow: 0, resumedRows: 0, wallTimeS: elapsed(), workers: 0 }));
  }

  // Open the input first: an unreadable input must not truncate an existing output.
  const input = await openInput(options.input, options.stdin);
  let destination: Destination;
  try {
    destination = await openDestination({
      path: options.output,
      stdout: options.stdout,
      resume: Boolean(options.resume),
      input,
      summary,
      fingerprint: async () => ({ grader_sha256: graderKey, input: await inputFingerprint(input), format }),
    });
  } catch (err) {
    await input.close();
    throw err;
  }
  const sink = new OrderedSink(destination.output, summary, options.onRow);
  const output: RowOutput = { format, keepRows: options.onRow !== undefined };
  const skipThrough = destination.resumed?.lastLine ?? 0;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const deliver = (seq: number, piece: BatchResult) => sink.put(seq, piece);

  // Executor-backed graders stay on the main thread, where the executors live.
  let dispatcher: BlockDispatch;
  // Where blocks are read from: blocking reads when this thread grades everything itself and has
  // no pool or executor to serve meanwhile (README "Workers": --workers 0, 1M rouge_l rows,
  // compact 5.35 against 5.54 s, full 6.75 against 7.03 s).
  let source: ByteSource = input;
  if (compiled.async) {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    const window = rowWindow(concurrency, batchSize);
    dispatcher = new LineDispatcher({ grader: compiled, executors: options.executors ?? {}, file: input.name, output, concurrency, window, deliver, delivered: () => sink.written });
  } else {
    const { workers, poolFromBytes } = chooseWorkers(options.workers, input.size);
    // The pool's modules only when a pool may start (a small run never loads them: README "Start-up").
    const Pool = workers > 0 ? await poolClass(options.pool ?? choosePoolKind(format, destination.output.fd !== null)) : null;
    const startPool = Pool
      ? () => {
          options.onPoolStart?.(workers);
          const { name, type } = compiled;
          return new Pool({ workers, grader, graderKey, name, type, compileOptions, file: input.name, output, inputFd: input.fd, outputFd: destination.output.fd, reread: input.readAt });
        }
      : null;
    dispatcher = new BlockDispatcher({ grader: compiled, file: input.name, output, deliver, pool: startPool, poolFromBytes });
    const readNow = input.readNow;
    // Each read after a turn of the event loop, so the output's writes keep going meanwhile:
    // reading straight on made full rows slower (8.8 against 7.0 s), OUT's writes waiting.
    if (!startPool && readNow) source = { read: (into, offset, length) => afterTurn(() => readNow(into, offset, length)) };
  }

  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    sink.seal();
    dispatcher.stop();
    input.interrupt();
  };
  // Also when it was aborted while OUT was being prepared.
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  const progress = throttled(options.onProgress, (bytesRead) => ({ rows: sink.rows, errorRows: sink.errorRows, bytesRead, totalBytes: input.size, elapsedS: elapsed() }));
  let closed = false;
  try {
    const limit = options.limit === undefined ? null : new RowLimit(options.limit);
    await pump(source, batchSize, skipThrough, limit, dispatcher, sink, () => interrupted, progress.update);
    if (!interrupted) await dispatcher.drain();
    closed = true;
    await sink.close();
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await dispatcher.close();
    await input.close();
    // A run that failed keeps its first error; closing what was written is best effort.
    if (!closed) {
      sink.seal();
      await sink.close().catch(() => {});
    }
    destination.release();
  }
  const result = () =>
    summary.build({
      gradedNow: sink.rows,
      resumedRows: destination.resumed?.rows ?? 0,
      wallTimeS: elapsed(),
      workers: dispatcher.workers,
      pool: dispatcher.poolKind,
      poolPeakRssKb: dispatcher.poolPeakRssKb,
      cache: options.cacheStats?.(),
    });
  if (interrupted) throw new RunInterruptedError(options.signal?.reason, result());
  progress.done();
  return result();
}

/** `f()` after the event loop's pending callbacks have run; rejects with what `f` throws. */
function afterTurn<T>(f: () => T): Promise<T> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(f());
      } catch (err) {
        reject(err);
      }
    }),
  );
}

/** The pool of that kind, its module imported on first use. */
async function poolClass(kind: PoolKind): Promise<new (options: BlockPoolOptions) => BlockPool> {
  return kind === "processes" ? (await import("./process-pool.js")).ProcessPool : (await import("./thread-pool.js")).ThreadPool;
}

/** Read the input block by block into the dispatcher, minding the sink's backpressure and errors. */
async function pump(
  input: ByteSource,
  batchSize: number,
  skipThrough: number,
  limit: RowLimit | null,
  dispatcher: BlockDispatch,
  sink: OrderedSink,
  interrupted: () => boolean,
  progress: (bytesRead: number) => void,
): Promise<void> {
  for await (const raw of readBlocks(input, batchSize)) {
    if (interrupted() || limit?.reached) return;
    // --limit counts from the start of the input, so before --resume skips anything.
    const whole: Block = { startLine: raw.startLine, bytes: raw.bytes, offset: raw.offset };
    const block = limit ? limit.take(whole) : whole;
    if (!block) return;
    // --resume: lines up to skipThrough are in OUT already.
    if (raw.startLine + raw.lineCount - 1 <= skipThrough) continue;
    if (raw.startLine <= skipThrough) block.skipThrough = skipThrough;
    // With --limit, the block may be a part of raw's bytes: still raw's buffer.
    await dispatcher.submitBlock(block, raw.bytesRead, raw.release);
    const drained = sink.ready();
    if (drained) await drained;
    if (sink.failure) throw sink.failure;
    progress(raw.bytesRead);
    // Not one more read: on stdin it could wait for input nobody will send.
    if (limit?.reached) return;
  }
}

/** onProgress at most every 100 ms, and once at the end with the whole input read. */
function throttled(onProgress: ((p: Progress) => void) | undefined, snapshot: (bytesRead: number) => Progress) {
  let last = 0;
  let bytesRead = 0;
  return {
    update(read: number): void {
      bytesRead = read;
      if (!onProgress) return;
      const p = snapshot(read);
      if (p.elapsedS - last < 0.1) return;
      last = p.elapsedS;
      onProgress(p);
    },
    done(): void {
      const p = snapshot(bytesRead);
      onProgress?.({ ...p, bytesRead: p.totalBytes ?? bytesRead });
    },
  };
}
