// graderkit bench: the throughput of a user's grader on the user's data. Each worker count gets
// two runs of the engine (runFile, the path `graderkit run` takes): a throughput run over `rows`
// rows whose output is serialized and discarded, and a latency run over the first
// LATENCY_ROWS of them whose rows are kept, for each row's grading time (metadata.execution_time,
// measured by graders/run in the thread that graded it) and, for multi, each child's.

import { availableParallelism } from "node:os";
import { Readable, Writable } from "node:stream";
import type { Executors } from "../core/executors.js";
import type { RunResponse } from "../core/response.js";
import { runFile } from "../engine/run.js";
import { compileValidGrader } from "../graders/compile.js";
import type { CompileOptions } from "../graders/types.js";
import { percentileOfSorted } from "../report/stats/describe.js";
import { checkedGrader } from "../schema/load.js";
import { dictionary } from "../util/dictionary.js";
import { childShares, peakRssSampler, repeatedLines } from "./measure.js";

/** Rows graded when --rows is not given and the sample has fewer lines. */
export const DEFAULT_BENCH_ROWS = 10_000;
/** Rows of the latency run (per worker count): enough for a stable p99. */
export const LATENCY_ROWS = 5_000;

export interface BenchOptions {
  /** Grader JSON; validated and normalised first (GraderValidationError when invalid). */
  grader: unknown;
  /** The sample rows: the non-blank lines of a JSONL file, as text. */
  lines: readonly string[];
  /** Rows per run: the lines repeated (or cut) to this many; default max(lines, DEFAULT_BENCH_ROWS). */
  rows?: number;
  /** Worker counts, one run each, in this order (default defaultWorkerCounts()). */
  workers?: readonly number[];
  executors?: Executors;
  concurrency?: number;
  compileOptions?: CompileOptions;
  /** Called after each worker count's runs (progress for the CLI). */
  onRun?: (run: BenchRun) => void;
}

export interface BenchRun {
  workers: number;
  rows_per_s: number;
  /** Per-row grading time (ms): numpy's percentile (linear) over the latency run's rows. */
  p50_ms: number;
  p99_ms: number;
  /** The process's largest resident set size (MB) sampled during the throughput run. */
  peak_rss_mb: number;
}

export interface BenchReport {
  /** The grader's name. */
  grader: string;
  rows: number;
  runs: BenchRun[];
  /** multi only: each child's share of the children's grading time (the shares sum to 1). */
  children?: Record<string, number>;
}

/** 0, 1 and every CPU: what is worth comparing on this machine. */
export function defaultWorkerCounts(): number[] {
  return [...new Set([0, 1, availableParallelism()])];
}

const discard = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

/** Grade the sample rows once per worker count and measure each run. */
export async function benchGrader(options: BenchOptions): Promise<BenchReport> {
  if (options.lines.length === 0) throw new RangeError("bench needs at least one sample row");
  const grader = checkedGrader(options.grader);
  const compiled = compileValidGrader(grader, options.compileOptions ?? {});
  const rows = options.rows ?? Math.max(options.lines.length, DEFAULT_BENCH_ROWS);
  // Executor-backed graders always grade on the main thread (--concurrency in flight): one run.
  const workerCounts = compiled.async ? [0] : (options.workers ?? defaultWorkerCounts());
  const engine = (workers: number, n: number, onRow?: (row: { response: RunResponse }) => void) =>
    runFile({
      grader,
      input: "-",
      stdin: Readable.from(repeatedLines(options.lines, n)),
      stdout: discard(),
      workers,
      concurrency: options.concurrency,
      executors: options.executors,
      compileOptions: options.compileOptions,
      onRow,
    });

  const runs: BenchRun[] = [];
  const childTimes: Array<Record<string, number>> = [];
  for (const workers of workerCounts) {
    // The latency run first: it also warms up the main thread's code before the timed run.
    const timesMs: number[] = [];
    await engine(workers, Math.min(rows, LATENCY_ROWS), ({ response }) => {
      timesMs.push(response.metadata.execution_time * 1000);
      if (compiled.type === "multi") childTimes.push(childExecutionTimes(response));
    });
    const rss = peakRssSampler();
    const start = performance.now();
    await engine(workers, rows);
    const seconds = (performance.now() - start) / 1000;
    timesMs.sort((a, b) => a - b);
    const run: BenchRun = {
      workers,
      rows_per_s: rows / seconds,
      p50_ms: percentileOfSorted(timesMs, 50)!,
      p99_ms: percentileOfSorted(timesMs, 99)!,
      peak_rss_mb: rss.stop() / 2 ** 20,
    };
    runs.push(run);
    options.onRun?.(run);
  }
  const report: BenchReport = { grader: compiled.name, rows, runs };
  if (compiled.type === "multi") report.children = childShares(childTimes);
  return report;
}

/** A multi response's children's grading times: each child's metadata sits in metadata.scores. */
function childExecutionTimes(response: RunResponse): Record<string, number> {
  const out = dictionary<number>();
  for (const [key, child] of Object.entries(response.metadata.scores ?? {})) {
    const time = (child as { execution_time?: unknown } | null)?.execution_time;
    if (typeof time === "number") out[key] = time;
  }
  return out;
}
