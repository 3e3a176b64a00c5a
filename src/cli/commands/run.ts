import { writeFileSync } from "node:fs";
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, POOL_KINDS, type PoolKind } from "../../engine/defaults.js";
import { checkWritablePath } from "../../engine/destination.js";
import { RunFileError, RunInterruptedError } from "../../engine/errors.js";
import { interruptOnSignals } from "../../engine/interrupt.js";
import { runFile, type Progress } from "../../engine/run.js";
import { ROW_FORMATS, type RowFormat } from "../../engine/serialize.js";
import { formatSummary } from "../../engine/summary.js";
import { shrinkYoungGeneration } from "../../engine/young-generation.js";
import { defineCommand, EXIT, UsageError, type Io } from "../command.js";
import { buildExecutors, EXECUTOR_OPTIONS } from "../executor-options.js";
import { GATE_OPTIONS, gatesFromFlags, reportGates } from "../gate-options.js";
import { requireGrader } from "../load.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

/** Progress on stderr: redrawn in place on a terminal of its own, else one line per update. */
function progressPrinter(io: Io, redraw: boolean): (p: Progress) => void {
  return (p) => {
    const rate = p.elapsedS > 0 ? p.rows / p.elapsedS : 0;
    let line = `${p.rows} rows  ${Math.round(rate)} rows/s  ${p.errorRows} with errors`;
    if (p.totalBytes && p.bytesRead > 0 && p.bytesRead < p.totalBytes) {
      const eta = (p.elapsedS * (p.totalBytes - p.bytesRead)) / p.bytesRead;
      line += `  ${((100 * p.bytesRead) / p.totalBytes).toFixed(0)}%  ETA ${eta.toFixed(0)} s`;
    }
    io.stderr(redraw ? `\r\x1b[2K${line}` : `${line}\n`);
  };
}

export const runCommand = defineCommand({
  name: "run",
  summary: COMMAND_SUMMARIES.run,
  positionals: { names: "GRADER.json SAMPLES.jsonl", min: 2 },
  description: `SAMPLES may be - for stdin.
Input rows: {"id"?, "item"?: {...}, "sample": {...}} or {"id"?, "item"?: {...}, "model_sample": "..."}
Output rows (--format full): {"line": N, "id"?, ...graders/run response}
Output rows (--format compact): {"line": N, "id"?, "reward": R, "sub_rewards"? (multi), "errors"? (only raised flags), "error"?}
With - and no -o, stdout carries rows only, each written as soon as the rows before it are
(the line-in/line-out contract of GNU parallel --pipe -k, Spark RDD.pipe, Hadoop Streaming).`,
  options: [
    { name: "output", short: "o", type: "string", arg: "OUT.jsonl", shownDefault: "stdout", description: "Write rows to OUT ('-': stdout, as without -o; ./- for a file named -)" },
    { name: "format", type: "choice", arg: "F", choices: ROW_FORMATS, default: "full", description: "Output rows: full (the graders/run response) or compact (reward, and errors only when raised)" },
    { name: "limit", type: "integer", arg: "N", min: 0, description: "Grade only the first N non-blank lines (a quick dry run)" },
    { name: "resume", type: "boolean", description: "With -o: skip input lines already in OUT and append the rest" },
    { name: "workers", type: "integer", arg: "N", min: 0, shownDefault: "0 for inputs under 2 MB or executor-backed graders, else the number of CPUs", description: "Workers for CPU-bound graders; 0 = the main thread" },
    { name: "pool", type: "choice", arg: "KIND", choices: POOL_KINDS, shownDefault: "processes with --format compact, threads with full", description: "What --workers are: worker threads or worker processes" },
    { name: "concurrency", type: "integer", arg: "N", min: 1, default: DEFAULT_CONCURRENCY, description: "Executor-backed gradings (python, models, embeddings) in flight" },
    { name: "batch-size", type: "integer", arg: "N", min: 1, default: DEFAULT_BATCH_SIZE, description: "Rows per block sent to a worker" },
    { name: "summary-json", type: "string", arg: "FILE", description: "Also write the summary as JSON" },
    { name: "progress", type: "boolean", description: "Show progress even when stderr is not a terminal, or rows go to the same terminal (default: only when stderr is a terminal and rows do not go to a terminal)" },
    { name: "quiet", type: "boolean", description: "No summary and no progress on stderr" },
    ...GATE_OPTIONS,
    ...EXECUTOR_OPTIONS,
  ],
  exitStatus: `0 the run completed (row errors are in the rows) and every gate passed, 1 a gate failed,
2 invalid grader, unreadable or unwritable file, or usage error,
130/143 interrupted by SIGINT/SIGTERM (finished rows are written; --resume continues).`,
  async run({ values, positionals }, io) {
    // '-' is stdout, as for the other commands' -o and SAMPLES: a file named '-' would surprise.
    const outputPath = values.output === "-" ? undefined : values.output;
    if (values.resume && !outputPath) throw new UsageError("--resume needs -o OUT.jsonl");
    const [graderFile, input] = positionals as [string, string];
    const grader = requireGrader(graderFile, "local", io);
    if (!grader) return EXIT.usage;
    const gates = gatesFromFlags(values, grader);
    const setup = await buildExecutors(values, io);
    // Rows on the terminal that shows progress would mix with it.
    const ownTerminal = io.stderrIsTTY && !(outputPath === undefined && io.stdoutIsTTY);
    const showProgress = !values.quiet && (ownTerminal || values.progress);
    const summaryJson = values["summary-json"];
    const interrupt = interruptOnSignals();
    let gatesFailed = false;
    try {
      // Checked before grading: a long run must not end in "cannot write the summary".
      if (summaryJson) checkWritablePath(summaryJson);
      const summary = await runFile({
        grader,
        input,
        output: outputPath,
        resume: values.resume,
        format: values.format as RowFormat,
        limit: values.limit,
        workers: values.workers,
        pool: values.pool as PoolKind | undefined,
        concurrency: values.concurrency,
        batchSize: values["batch-size"],
        executors: setup.executors,
        onProgress: showProgress ? progressPrinter(io, ownTerminal) : undefined,
        signal: interrupt.signal,
        cacheStats: setup.cacheStats,
        passThreshold: values["pass-threshold"],
        onPoolStart: shrinkYoungGeneration,
      });
      if (showProgress && ownTerminal) io.stderr("\n");
      if (!values.quiet) for (const w of setup.warnings()) io.stderr(`warning: ${w}\n`);
      if (!values.quiet) io.stderr(formatSummary(summary));
      const verdicts = await reportGates(summary, gates, values, { grader: graderFile, input }, io);
      gatesFailed = verdicts.some((g) => !g.passed);
      const json = verdicts.length ? { ...summary, gates: verdicts } : summary;
      if (summaryJson) writeFileSync(summaryJson, JSON.stringify(json, null, 2) + "\n");
    } catch (err) {
      if (err instanceof RunInterruptedError) {
        if (showProgress && ownTerminal) io.stderr("\n");
        if (!values.quiet) io.stderr(formatSummary(err.summary));
        const next = outputPath ? "; run again with --resume to continue" : "";
        io.stderr(`graderkit run: interrupted by ${String(err.reason)}: every row finished in order is written${next}\n`);
        return interrupt.exitCode() ?? EXIT.usage;
      }
      // Refusals and I/O errors (an unreadable input, a full disk, a missing output folder):
      // exit 2 with the file and the reason, not a stack trace.
      if (err instanceof RunFileError) throw new UsageError(err.message);
      throw err;
    } finally {
      interrupt.dispose();
      await setup.close();
    }
    return gatesFailed ? EXIT.failed : EXIT.ok;
  },
});
