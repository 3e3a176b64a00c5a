// One worker count's measurement: a latency run over the first LATENCY_ROWS rows (rows kept, for
// each row's grading time and each multi child's), then the timed throughput run over all rows
// (output serialized and discarded). Both go through runFile, the engine of `graderkit run`.

import { Readable, Writable } from "node:stream";
import type { Executors } from "../core/executors.js";
import { ERROR_FLAGS, type RunResponse } from "../core/response.js";
import { runFile } from "../engine/run.js";
import type { CompileOptions } from "../graders/types.js";
import type { Grader } from "../schema/types.js";
import { dictionary } from "../util/dictionary.js";
import { repeatedLines } from "./measure.js";

/** Rows of the latency run (per worker count): enough for a stable p99. */
export const LATENCY_ROWS = 5_000;

export interface MeasureRequest {
  /** Validated and normalised. */
  grader: Grader;
  lines: readonly string[];
  rows: number;
  workers: number;
  concurrency?: number;
  compileOptions?: CompileOptions;
}

export interface Measurement {
  workers: number;
  /** Wall time of the throughput run. */
  seconds: number;
  /** Each row's grading time in the latency run, ms. */
  rowMs: number[];
  /** multi: per row of the latency run, each child's grading time (s) by key. */
  childSeconds: Array<Record<string, number>>;
  /** The measuring process's peak resident set size, bytes. */
  peakRssBytes: number;
  /** The sample rows (each line once) that raised an error flag: what the figures partly measure. */
  sampleErrors: SampleErrors;
}

export interface SampleErrors {
  /** Sample rows looked at: each graded line once (the latency run's first rows, at most LATENCY_ROWS). */
  checked: number;
  /** Of those, the rows with at least one flag raised. */
  rows: number;
  /** Per flag, how many sample rows raised it. */
  flags: Record<string, number>;
  /** The first such row's message, with its line in SAMPLES. */
  first?: string;
}

function noteErrors(errors: SampleErrors, line: number, response: RunResponse): void {
  const raised = ERROR_FLAGS.filter((flag) => response.metadata.errors[flag]);
  if (raised.length === 0) return;
  errors.rows++;
  for (const flag of raised) errors.flags[flag] = (errors.flags[flag] ?? 0) + 1;
  errors.first ??= `line ${line}: ${response.error?.message ?? raised.join(", ")}`;
}

const discard = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

/** A multi response's children's grading times: each child's metadata sits in metadata.scores. */
function childExecutionTimes(response: RunResponse): Record<string, number> {
  const out = dictionary<number>();
  for (const [key, child] of Object.entries(response.metadata.scores ?? {})) {
    const time = (child as { execution_time?: unknown } | null)?.execution_time;
    if (typeof time === "number") out[key] = time;
  }
  return out;
}

/** `onPoolStart`: runFile's hook, for a process that owns its heap (bench's forked child). */
export async function measureRun(request: MeasureRequest, executors?: Executors, onPoolStart?: (workers: number) => void): Promise<Measurement> {
  const engine = (rows: number, onRow?: (row: { line: number; response: RunResponse }) => void) =>
    runFile({
      grader: request.grader,
      input: "-",
      stdin: Readable.from(repeatedLines(request.lines, rows)),
      stdout: discard(),
      workers: request.workers,
      concurrency: request.concurrency,
      executors,
      compileOptions: request.compileOptions,
      onRow,
      onPoolStart,
    });
  const rowMs: number[] = [];
  const childSeconds: Array<Record<string, number>> = [];
  const multi = request.grader.type === "multi";
  const latencyRows = Math.min(request.rows, LATENCY_ROWS);
  const sampleErrors: SampleErrors = { checked: Math.min(request.lines.length, latencyRows), rows: 0, flags: dictionary<number>() };
  // The latency run first: it also warms up the main thread's code before the timed run. Its
  // first lines.length rows are the sample rows once each (line N is SAMPLES' Nth row).
  const latencyRun = await engine(latencyRows, ({ line, response }) => {
    rowMs.push(response.metadata.execution_time * 1000);
    if (multi) childSeconds.push(childExecutionTimes(response));
    if (line <= request.lines.length) noteErrors(sampleErrors, line, response);
  });
  const start = performance.now();
  const timedRun = await engine(request.rows);
  const seconds = (performance.now() - start) / 1000;
  // The runs' peak_rss_mb: this process's peak plus its pool processes' (summed per run).
  const peakRssBytes = Math.max(latencyRun.peak_rss_mb, timedRun.peak_rss_mb) * 2 ** 20;
  return { workers: request.workers, seconds, rowMs, childSeconds, peakRssBytes, sampleErrors };
}
