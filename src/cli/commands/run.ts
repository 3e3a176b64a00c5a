import { writeFileSync } from "node:fs";
import { checkWritablePath } from "../../engine/destination.js";
import { RunError, RunInterruptedError } from "../../engine/errors.js";
import { interruptOnSignals } from "../../engine/interrupt.js";
import { runFile, type Progress } from "../../engine/run.js";
import { formatSummary } from "../../engine/summary.js";
import { EXIT, numberFlag, UsageError, type Command, type Io } from "../args.js";
import { buildExecutors, EXECUTOR_HELP, EXECUTOR_OPTIONS } from "../executor-options.js";
import { requireGrader } from "../load.js";

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

export const runCommand: Command = {
  name: "run",
  summary: "Grade every row of a JSONL file; one output row per input row, in input order.",
  usage: "graderkit run GRADER.json SAMPLES.jsonl [-o OUT.jsonl] [--resume] [--workers N] [--concurrency N]",
  help: `SAMPLES may be - for stdin.
Input rows: {"id"?, "item"?: {...}, "sample": {...}} or {"id"?, "item"?: {...}, "model_sample": "..."}
Output rows: {"line": N, "id"?, ...graders/run response}

Options:
  -o, --output OUT.jsonl    Write rows to OUT (default stdout)
  --resume                  With -o: skip input lines already in OUT and append the rest
  --workers N               Worker threads for CPU-bound graders; 0 = main thread
                            (default: 0 for inputs under 2 MB, else the number of CPUs)
  --concurrency N           Executor-backed gradings (python, models, embeddings) in flight (default 16)
  --batch-size N            Rows per batch sent to a worker (default 512)
  --summary-json FILE       Also write the summary as JSON
  --progress                Show progress even when stderr is not a terminal, or rows go to
                            the same terminal (default: only when stderr is a terminal and
                            rows do not go to a terminal)
  --quiet                   No summary and no progress on stderr

${EXECUTOR_HELP}

Exit status: 0 the run completed (row errors are in the rows), 2 invalid grader, unreadable file or usage error,
130/143 interrupted by SIGINT/SIGTERM (finished rows are written; --resume continues).`,
  options: {
    output: { type: "string", short: "o" },
    resume: { type: "boolean" },
    workers: { type: "string" },
    concurrency: { type: "string" },
    "batch-size": { type: "string" },
    "summary-json": { type: "string" },
    progress: { type: "boolean" },
    quiet: { type: "boolean" },
    ...EXECUTOR_OPTIONS,
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) throw new UsageError("run needs GRADER.json and SAMPLES.jsonl");
    if (values.resume && !values.output) throw new UsageError("--resume needs -o OUT.jsonl");
    const [graderFile, input] = positionals;
    const workers = numberFlag(values.workers, "workers", { integer: true, min: 0 });
    const concurrency = numberFlag(values.concurrency, "concurrency", { integer: true, min: 1 });
    const batchSize = numberFlag(values["batch-size"], "batch-size", { integer: true, min: 1 });
    const grader = requireGrader(graderFile, "local", io);
    if (!grader) return EXIT.usage;
    const setup = buildExecutors(values, io);
    // Rows on the terminal that shows progress would mix with it.
    const ownTerminal = io.stderrIsTTY && !(values.output === undefined && io.stdoutIsTTY);
    const showProgress = !values.quiet && (ownTerminal || Boolean(values.progress));
    const summaryJson = values["summary-json"] as string | undefined;
    const interrupt = interruptOnSignals();
    try {
      // Checked before grading: a long run must not end in "cannot write the summary".
      if (summaryJson) checkWritablePath(summaryJson);
      const summary = await runFile({
        grader,
        input,
        output: values.output as string | undefined,
        resume: Boolean(values.resume),
        workers,
        concurrency,
        batchSize,
        executors: setup.executors,
        onProgress: showProgress ? progressPrinter(io, ownTerminal) : undefined,
        signal: interrupt.signal,
        cacheStats: setup.cacheStats,
      });
      if (showProgress && ownTerminal) io.stderr("\n");
      if (!values.quiet) io.stderr(formatSummary(summary));
      if (summaryJson) writeFileSync(summaryJson, JSON.stringify(summary, null, 2) + "\n");
    } catch (err) {
      if (err instanceof RunInterruptedError) {
        if (showProgress && ownTerminal) io.stderr("\n");
        if (!values.quiet) io.stderr(formatSummary(err.summary));
        const next = values.output ? "; run again with --resume to continue" : "";
        io.stderr(`graderkit run: interrupted by ${String(err.reason)}: every row finished in order is written${next}\n`);
        return interrupt.exitCode() ?? EXIT.usage;
      }
      // Refusals and I/O errors (an unreadable input, a full disk, a missing output folder):
      // exit 2 with the file and the reason, not a stack trace.
      if (err instanceof RunError) throw new UsageError(err.message);
      throw err;
    } finally {
      interrupt.dispose();
      await setup.close();
    }
    return EXIT.ok;
  },
};
