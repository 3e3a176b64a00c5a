// The engine behind `graderkit run`: stream the JSONL input (backpressure, never the whole file
// in memory), grade batches on a piscina pool (CPU-bound graders) or on the main thread with
// bounded concurrency (executor-backed graders), re-order results and write them in input order.

import { createReadStream, createWriteStream, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { Piscina } from "piscina";
import type { Executors } from "../executors/types.js";
import { compileGrader } from "../graders/compile.js";
import { failedResponse } from "../graders/run.js";
import type { CompileOptions } from "../graders/types.js";
import type { Grader } from "../schema/types.js";
import { addRow, emptyBatchResult, gradeBatch, Semaphore, type BatchResult } from "./batch.js";
import type { LineInput } from "./grade-row.js";
import { idOf } from "./rows.js";
import type { BatchTask } from "./pool-worker.js";
import { prepareResume } from "./resume.js";
import { SummaryBuilder, type RunSummary } from "./summary.js";

/** Inputs smaller than this are graded on the main thread unless --workers says otherwise. */
export const AUTO_POOL_MIN_BYTES = 2 * 1024 * 1024;
export const DEFAULT_BATCH_SIZE = 512;
export const DEFAULT_CONCURRENCY = 16;

export interface Progress {
  rows: number;
  errorRows: number;
  bytesRead: number;
  totalBytes: number | null;
  elapsedS: number;
}

export interface RunFileOptions {
  /** A validated grader (normalized). */
  grader: Grader;
  input: string;
  /** Output path; without it rows go to `stdout`. */
  output?: string;
  stdout?: Writable;
  resume?: boolean;
  /** 0 = main thread; undefined = automatic (see AUTO_POOL_MIN_BYTES). */
  workers?: number;
  /** Executor-backed gradings in flight at once. */
  concurrency?: number;
  batchSize?: number;
  executors?: Executors;
  compileOptions?: CompileOptions;
  onProgress?: (p: Progress) => void;
  /** Executors' cache counters, for the summary. */
  cacheStats?: () => { hits: number; misses: number } | undefined;
}

const POOL_WORKER = new URL("../../dist/engine/pool-worker.js", import.meta.url);

function inputSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

function write(stream: Writable, text: string): Promise<void> | null {
  if (stream.write(text)) return null;
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off("error", onError);
      resolve();
    };
    const onError = (err: Error) => {
      stream.off("drain", onDrain);
      reject(err);
    };
    stream.once("drain", onDrain);
    stream.once("error", onError);
  });
}

export async function runFile(options: RunFileOptions): Promise<RunSummary> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const compileOptions = options.compileOptions ?? {};
  const compiled = compileGrader(options.grader, compileOptions);
  const executors = options.executors ?? {};
  const file = options.input;
  const totalBytes = inputSize(file);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);

  // Executor-backed graders stay on the main thread, where the executors live.
  const workers = compiled.async
    ? 0
    : options.workers ?? ((totalBytes ?? 0) < AUTO_POOL_MIN_BYTES ? 0 : availableParallelism());

  const passThreshold = "pass_threshold" in options.grader && typeof options.grader.pass_threshold === "number" ? options.grader.pass_threshold : null;
  const summary = new SummaryBuilder(passThreshold);
  let resumed = 0;
  let done = new Set<number>();
  if (options.resume) {
    if (!options.output) throw new Error("--resume needs -o OUT.jsonl");
    const state = prepareResume(options.output);
    done = state.done;
    resumed = state.rewards.length;
    for (const r of state.rewards) summary.addReward(r);
    summary.addFlags(state.flags, state.errorRows);
  }

  // Open the input first: an unreadable input must not truncate an existing output.
  const input = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    input.once("open", () => resolve());
    input.once("error", reject);
  });
  const out: Writable = options.output
    ? createWriteStream(options.output, { flags: options.resume ? "a" : "w" })
    : options.stdout ?? process.stdout;

  const pool =
    workers > 0
      ? new Piscina<BatchTask, BatchResult>({ filename: POOL_WORKER.href, minThreads: workers, maxThreads: workers, idleTimeout: 1000 })
      : null;
  const graderKey = createHash("sha1").update(JSON.stringify(options.grader)).digest("hex");
  const limiter = new Semaphore(options.concurrency ?? DEFAULT_CONCURRENCY);
  const maxInFlight = pool ? workers * 4 : compiled.async ? Math.ceil((options.concurrency ?? DEFAULT_CONCURRENCY) / batchSize) + 1 : 1;

  // Re-ordering: batch results wait here until every earlier batch is written.
  const finished = new Map<number, BatchResult>();
  let nextSeq = 0;
  let seq = 0;
  let inFlight = 0;
  let gradedNow = 0;
  let errorRowsNow = 0;
  let pendingWrite: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let failure: unknown = null;

  const flush = () => {
    let batch: BatchResult | undefined;
    while ((batch = finished.get(nextSeq)) !== undefined) {
      finished.delete(nextSeq);
      nextSeq++;
      if (batch.text) {
        const w = write(out, batch.text);
        if (w) pendingWrite = pendingWrite ? pendingWrite.then(() => w) : w;
      }
      for (const r of batch.rewards) summary.addReward(r);
      summary.addFlags(batch.flags, batch.errorRows);
      gradedNow += batch.rewards.length;
      errorRowsNow += batch.errorRows;
    }
  };

  // A worker that dies mid-batch (crash, OOM kill) loses only its batch: grade the lines one by
  // one so the culprit row alone gets an other_error row, and piscina replaces the worker.
  const rescue = async (lines: LineInput[], err: unknown): Promise<BatchResult> => {
    if (lines.length === 1) {
      const acc = emptyBatchResult();
      const l = lines[0];
      const id = idOf(l.text);
      const res = failedResponse(compiled.name, compiled.type, new Error(`worker crashed while grading ${file}:${l.line}: ${err instanceof Error ? err.message : String(err)}`));
      addRow(acc, id === undefined ? { line: l.line, ...res } : { line: l.line, id, ...res });
      return acc;
    }
    const parts = await Promise.all(lines.map((l) => runOnPool([l])));
    const acc = emptyBatchResult();
    for (const p of parts) {
      acc.text += p.text;
      acc.lines.push(...p.lines);
      acc.rewards.push(...p.rewards);
      for (const [f, n] of Object.entries(p.flags)) acc.flags[f as keyof typeof acc.flags] = (acc.flags[f as keyof typeof acc.flags] ?? 0) + (n ?? 0);
      acc.errorRows += p.errorRows;
    }
    return acc;
  };
  const runOnPool = (lines: LineInput[]): Promise<BatchResult> =>
    pool!.run({ graderKey, grader: options.grader, compileOptions, file, lines }).catch((err) => rescue(lines, err));

  const dispatch = (lines: LineInput[]) => {
    const s = seq++;
    const settle = (r: BatchResult) => {
      finished.set(s, r);
      inFlight--;
      flush();
      wake?.();
    };
    const fail = (err: unknown) => {
      failure ??= err;
      inFlight--;
      wake?.();
    };
    inFlight++;
    if (pool) {
      runOnPool(lines).then(settle, fail);
      return;
    }
    try {
      const r = gradeBatch(compiled, lines, executors, file, limiter);
      if (r instanceof Promise) r.then(settle, fail);
      else settle(r);
    } catch (err) {
      fail(err);
    }
  };

  const waitForRoom = async (limit: number) => {
    while (inFlight > limit && !failure) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  };

  let lastProgress = 0;
  const progress = () => {
    if (!options.onProgress) return;
    const t = elapsed();
    if (t - lastProgress < 0.1) return;
    lastProgress = t;
    options.onProgress({ rows: gradedNow, errorRows: errorRowsNow, bytesRead: input.bytesRead, totalBytes, elapsedS: t });
  };

  try {
    const lines = createInterface({ input, crlfDelay: Infinity });
    let lineNo = 0;
    let batch: LineInput[] = [];
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === "" || done.has(lineNo)) continue;
      batch.push({ line: lineNo, text });
      if (batch.length >= batchSize) {
        dispatch(batch);
        batch = [];
        await waitForRoom(maxInFlight - 1);
        if (pendingWrite) {
          const w: Promise<void> = pendingWrite;
          pendingWrite = null;
          await w;
        }
        if (failure) throw failure;
        progress();
      }
    }
    if (batch.length) dispatch(batch);
    await waitForRoom(0);
    if (failure) throw failure;
    flush();
    if (pendingWrite) await pendingWrite;
  } finally {
    input.destroy();
    if (pool) await pool.destroy();
    if (options.output) await new Promise<void>((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
  }
  options.onProgress?.({ rows: gradedNow, errorRows: errorRowsNow, bytesRead: totalBytes ?? input.bytesRead, totalBytes, elapsedS: elapsed() });
  return summary.build({ gradedNow, resumedRows: resumed, wallTimeS: elapsed(), workers, cache: options.cacheStats?.() });
}
