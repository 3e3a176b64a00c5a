import { benchGrader, DEFAULT_BENCH_ROWS, LATENCY_ROWS, type BenchReport, type BenchRun, type SampleErrors } from "../../bench/bench.js";
import { DEFAULT_CONCURRENCY } from "../../engine/defaults.js";
import { defineCommand, EXIT, UsageError, type Io } from "../command.js";
import { buildExecutors, EXECUTOR_OPTIONS } from "../executor-options.js";
import { readText, requireGrader } from "../load.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

/** `--workers 0,1,2`: distinct integers >= 0, in the order given. */
export function parseWorkerList(text: string): number[] {
  const counts = text.split(",").map((part) => part.trim());
  const out: number[] = [];
  for (const part of counts) {
    if (!/^\d+$/.test(part)) throw new UsageError(`--workers must be a comma-separated list of integers >= 0, got '${text}'`);
    const n = Number(part);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

async function readSamples(file: string, io: Io): Promise<string[]> {
  let text: string;
  if (file === "-") {
    text = "";
    for await (const chunk of io.stdin) text += typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8");
  } else {
    text = readText(file);
  }
  return text
    .replace(/^\uFEFF/, "")
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line.trim() !== "");
}

/** Three significant digits, without an exponent: latencies range from microseconds to seconds. */
function ms(value: number): string {
  if (value === 0) return "0";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(Math.min(digits, 6));
}

const COLUMNS = ["workers", "rows/s", "p50 ms", "p99 ms", "peak RSS MB"];

function tableRow(run: BenchRun): string[] {
  return [String(run.workers), Math.round(run.rows_per_s).toLocaleString("en-US"), ms(run.p50_ms), ms(run.p99_ms), run.peak_rss_mb.toFixed(0)];
}

function formatTable(rows: string[][]): string {
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  return [COLUMNS, ...rows].map((r) => r.map((cell, i) => cell.padStart(widths[i]!)).join("  ")).join("\n") + "\n";
}

/** The human report: a header line, the runs' table, and each multi child's share. */
export function formatBenchReport(report: BenchReport, sampleRows: number): string {
  let out = `bench ${report.grader}: ${report.rows.toLocaleString("en-US")} rows per run (${sampleRows.toLocaleString("en-US")} sample rows, repeated)\n\n`;
  out += formatTable(report.runs.map(tableRow));
  if (report.children && Object.keys(report.children).length === 0) {
    out += `\nshare of the children's grading time: none graded (every row failed before its children ran)\n`;
  } else if (report.children) {
    const entries = Object.entries(report.children).sort((a, b) => b[1] - a[1]);
    const width = Math.max(...entries.map(([k]) => k.length));
    out += `\nshare of the children's grading time:\n`;
    for (const [key, share] of entries) out += `  ${key.padEnd(width)}  ${(100 * share).toFixed(1).padStart(5)}%\n`;
  }
  return out;
}

/** The warning when sample rows raise error flags: the figures then measure the error path too. */
export function formatSampleErrors(errors: SampleErrors): string {
  const flags = Object.entries(errors.flags).map(([flag, n]) => `${flag} ${n.toLocaleString("en-US")}`).join(", ");
  return `warning: ${errors.rows.toLocaleString("en-US")} of ${errors.checked.toLocaleString("en-US")} sample rows raise an error (${flags}); the figures include that error path (first: ${errors.first})\n`;
}

export const benchCommand = defineCommand({
  name: "bench",
  summary: COMMAND_SUMMARIES.bench,
  positionals: { names: "GRADER.json SAMPLES.jsonl", min: 2 },
  description: `SAMPLES may be - for stdin. Its rows are repeated (or cut) to --rows and graded once per
worker count through the engine of 'graderkit run'; the output rows are serialized and discarded.
rows/s: the rows over the wall time of that run (pool start-up included, as in 'run').
p50/p99: per-row grading time (metadata.execution_time, in the thread that graded the row) over
a separate run of the first ${LATENCY_ROWS.toLocaleString("en-US")} rows. Each worker count is measured in a process of its
own; peak RSS is that process's. For multi, each child's share of the children's grading time.
Executor-backed graders (python, models, embeddings) always grade on the main thread: one run.`,
  options: [
    { name: "workers", type: "string", arg: "N,N...", shownDefault: "0,1,<CPUs>", description: "Worker counts to compare; 0 = the main thread" },
    { name: "rows", type: "integer", arg: "N", min: 1, shownDefault: `the sample's rows, at least ${DEFAULT_BENCH_ROWS.toLocaleString("en-US")}`, description: "Rows graded per run" },
    { name: "concurrency", type: "integer", arg: "N", min: 1, default: DEFAULT_CONCURRENCY, description: "Executor-backed gradings in flight" },
    { name: "json", type: "boolean", description: 'Print {"grader", "rows", "runs": [{"workers", "rows_per_s", "p50_ms", "p99_ms", "peak_rss_mb"}], "children"?, "errors"?}' },
    ...EXECUTOR_OPTIONS,
  ],
  exitStatus: "0 measured, 2 invalid grader, unreadable or empty samples, or usage error.",
  async run({ values, positionals }, io) {
    const workers = values.workers === undefined ? undefined : parseWorkerList(values.workers);
    const [graderFile, samplesFile] = positionals as [string, string];
    const grader = requireGrader(graderFile, "local", io);
    if (!grader) return EXIT.usage;
    const lines = await readSamples(samplesFile, io);
    if (lines.length === 0) throw new UsageError(`${samplesFile}: no rows to grade`);
    const setup = await buildExecutors(values, io);
    try {
      // On a terminal, say how far it is: each worker count takes a few seconds.
      const onRun = io.stderrIsTTY ? (run: BenchRun) => io.stderr(`\r\x1b[2Kmeasured --workers ${run.workers}: ${Math.round(run.rows_per_s)} rows/s`) : undefined;
      const report = await benchGrader({ grader, lines, rows: values.rows, workers, concurrency: values.concurrency, executors: setup.executors, onRun });
      if (onRun) io.stderr("\r\x1b[2K");
      if (workers && report.runs.length < workers.length) {
        io.stderr(`note: ${report.grader} is executor-backed and grades on the main thread (--concurrency in flight): one run, --workers does not apply\n`);
      }
      if (report.errors) io.stderr(formatSampleErrors(report.errors));
      io.stdout(values.json ? JSON.stringify(report, null, 2) + "\n" : formatBenchReport(report, lines.length));
    } finally {
      await setup.close();
    }
    return EXIT.ok;
  },
});
