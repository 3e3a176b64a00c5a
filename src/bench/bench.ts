// graderkit bench: the throughput of a user's grader on the user's data. Each worker count is
// measured in a process of its own (child.ts, forked), so its peak memory and warmed-up code are
// its own; executor-backed graders (python, models), which always grade on the main thread, are
// measured once in this process with the caller's executors. What one measurement does is in
// measure-run.ts; this module turns measurements into the report.

import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import type { Executors } from "../core/executors.js";
import { compileValidGrader } from "../graders/compile.js";
import type { CompileOptions } from "../graders/types.js";
import { percentileOfSorted } from "../util/percentile.js";
import { checkedGrader } from "../schema/load.js";
import { childShares } from "./measure.js";
import { measureRun, type Measurement, type MeasureRequest, type SampleErrors } from "./measure-run.js";

export { LATENCY_ROWS, type SampleErrors } from "./measure-run.js";

/** Rows graded when --rows is not given and the sample has fewer lines. */
export const DEFAULT_BENCH_ROWS = 10_000;

// Forked as compiled JavaScript: code that runs bench from the TypeScript sources (tests) needs
// the built package, as the engine's pool does.
const CHILD = new URL("./child.js", import.meta.url);

export interface BenchOptions {
  /** Grader JSON; validated and normalised first (GraderValidationError when invalid). */
  grader: unknown;
  /** The sample rows: the non-blank lines of a JSONL file, as text. */
  lines: readonly string[];
  /** Rows per run: the lines repeated (or cut) to this many; default max(lines, DEFAULT_BENCH_ROWS). */
  rows?: number;
  /** Worker counts, one run each, in this order (default defaultWorkerCounts()). */
  workers?: readonly number[];
  /** For executor-backed graders. */
  executors?: Executors;
  concurrency?: number;
  compileOptions?: CompileOptions;
  /** Called after each worker count's run (progress for the CLI). */
  onRun?: (run: BenchRun) => void;
}

export interface BenchRun {
  workers: number;
  rows_per_s: number;
  /** Per-row grading time (ms): numpy's percentile (linear) over the latency run's rows. */
  p50_ms: number;
  p99_ms: number;
  /** Peak resident set size (MB) of the process that measured this worker count. */
  peak_rss_mb: number;
}

export interface BenchReport {
  /** The grader's name. */
  grader: string;
  rows: number;
  runs: BenchRun[];
  /** multi only: each child's share of the children's grading time (the shares sum to 1). */
  children?: Record<string, number>;
  /**
   * Only when some sample rows raise an error flag (then the figures partly measure the error
   * path, which is usually much faster): how many, per flag, and the first one's message.
   */
  errors?: SampleErrors;
}

/** 0, 1 and every CPU: what is worth comparing on this machine. */
export function defaultWorkerCounts(): number[] {
  return [...new Set([0, 1, availableParallelism()])];
}

/** One measurement in a forked process. */
function measureInChild(request: MeasureRequest): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], { serialization: "advanced", stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    let answer: { measurement?: Measurement; error?: string } | undefined;
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("message", (message) => (answer = message as typeof answer));
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (answer?.measurement) resolve(answer.measurement);
      else {
        const why = answer?.error ?? (stderr.trim() || `exit ${signal ?? code}`);
        reject(new Error(`bench: the measuring process for --workers ${request.workers} failed (${why})`));
      }
    });
    child.send(request);
  });
}

function benchRun(rows: number, m: Measurement): BenchRun {
  const sorted = [...m.rowMs].sort((a, b) => a - b);
  return {
    workers: m.workers,
    rows_per_s: rows / m.seconds,
    p50_ms: percentileOfSorted(sorted, 50) ?? 0,
    p99_ms: percentileOfSorted(sorted, 99) ?? 0,
    peak_rss_mb: m.peakRssBytes / 2 ** 20,
  };
}

/** Grade the sample rows once per worker count and measure each run. */
export async function benchGrader(options: BenchOptions): Promise<BenchReport> {
  if (options.lines.length === 0) throw new RangeError("bench needs at least one sample row");
  const grader = checkedGrader(options.grader);
  const compiled = compileValidGrader(grader, options.compileOptions ?? {});
  const rows = options.rows ?? Math.max(options.lines.length, DEFAULT_BENCH_ROWS);
  const request = { grader, lines: options.lines, rows, concurrency: options.concurrency, compileOptions: options.compileOptions };
  const measure = compiled.async
    ? (workers: number) => measureRun({ ...request, workers }, options.executors)
    : (workers: number) => measureInChild({ ...request, workers });
  const workerCounts = compiled.async ? [0] : (options.workers ?? defaultWorkerCounts());
  const runs: BenchRun[] = [];
  const childSeconds: Array<Record<string, number>> = [];
  let sampleErrors: SampleErrors | undefined;
  for (const workers of workerCounts) {
    const m = await measure(workers);
    sampleErrors ??= m.sampleErrors;
    childSeconds.push(...m.childSeconds);
    const run = benchRun(rows, m);
    runs.push(run);
    options.onRun?.(run);
  }
  const report: BenchReport = { grader: compiled.name, rows, runs };
  if (compiled.type === "multi") report.children = childShares(childSeconds);
  // Every worker count grades the same rows: the first measurement's count stands for all.
  if (sampleErrors && sampleErrors.rows > 0) report.errors = sampleErrors;
  return report;
}
