import { createWriteStream, openSync, type WriteStream } from "node:fs";
import { DEFAULT_SCORE_TOLERANCE } from "../../evals/compare.js";
import { formatEvalRun } from "../../evals/format.js";
import { checkEvalText, checkRunText, EvalSetupError } from "../../evals/load.js";
import { belowMinPassRate, passRate } from "../../evals/pass-rules.js";
import { DEFAULT_EVAL_CONCURRENCY, runEval, type EvalRunResult } from "../../evals/run-eval.js";
import type { Problem } from "../../schema/ajv.js";
import { defineCommand, EXIT, UsageError, type Io } from "../command.js";
import { buildExecutors, EXECUTOR_OPTIONS, withFlagHints } from "../executor-options.js";
import { formatProblem, readText } from "../load.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

interface CheckedText {
  ok: boolean;
  json: unknown;
  problems: Problem[];
  warnings: Problem[];
}

/**
 * A document the command needs: its problems (and warnings) printed and undefined when it is
 * invalid; a valid one's warnings are runEval's to report.
 */
function requireDocument(file: string, check: (text: string, file: string) => CheckedText, io: Io): unknown {
  const r = check(readText(file), file);
  if (r.ok) return r.json;
  for (const w of r.warnings) io.stderr(`warning: ${formatProblem(file, w)}\n`);
  for (const p of r.problems) io.stderr(`${formatProblem(file, p)}\n`);
  return undefined;
}

/** OUTPUT_ITEMS.jsonl: opened now (a missing folder is an error before any work), written with backpressure. */
function jsonlOutput(path: string) {
  let stream: WriteStream;
  try {
    stream = createWriteStream(path, { fd: openSync(path, "w") });
  } catch (err) {
    throw new UsageError(`${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let failure: Error | null = null;
  stream.on("error", (err) => (failure ??= err));
  return {
    async write(value: unknown): Promise<void> {
      if (failure) throw failure;
      if (!stream.write(JSON.stringify(value) + "\n")) await new Promise<void>((resolve) => stream.once("drain", resolve).once("error", () => resolve()));
      if (failure) throw failure;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.end(() => (failure ? reject(failure) : resolve()));
      }),
  };
}

/** File-system errors (an unreadable data file, a full disk) are I/O errors: exit 2 naming the file. */
function ioError(err: unknown, fallbackFile: string): UsageError | null {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== "string" || typeof e.syscall !== "string") return null;
  const verb = e.syscall === "write" ? "write" : e.syscall === "open" ? "open" : "read";
  return new UsageError(`${e.path ?? fallbackFile}: cannot ${verb} (${e.code})`);
}

export const evalCommand = defineCommand({
  name: "eval",
  summary: COMMAND_SUMMARIES.eval,
  positionals: { names: "EVAL.json [DATA.jsonl]", min: 1, max: 2 },
  description: `EVAL.json: an eval as GET /v1/evals/{id} returned it, or as it was created.
DATA.jsonl: rows {"item": {...}, "sample"?: {...}} or bare items, each checked against the eval's item
schema; with --from-output-items, hosted eval.run.output_item rows, re-graded from their sample.output.
--run RUN.json (an exported run): its items (file_content, or file_id with --file ID=PATH) and, for
completions / responses runs, a sample generated for each item by its model through the model endpoint.
Prints a summary (--json: the eval.run object); -o writes one eval.run.output_item per row, in order.`,
  options: [
    { name: "run", type: "string", arg: "RUN.json", description: "An exported run: its data source (items, input_messages, model, sampling_params)" },
    { name: "file", type: "pairs", arg: "ID=PATH", requireValue: true, hint: "a run's file id and the local JSONL file", description: "The local JSONL file of a run's file_id source" },
    { name: "output", short: "o", type: "string", arg: "OUTPUT_ITEMS.jsonl", description: "Write one eval.run.output_item per row" },
    { name: "json", type: "boolean", description: "Print the eval.run object as JSON (with --compare, plus a 'comparison' member)" },
    { name: "from-output-items", type: "boolean", description: "DATA.jsonl holds hosted output items: re-grade their samples" },
    { name: "compare", type: "boolean", description: "With --from-output-items: the agreement with the hosted results, and every difference" },
    { name: "score-tolerance", type: "number", arg: "X", min: 0, default: DEFAULT_SCORE_TOLERANCE, description: "Scores this close agree (--compare)" },
    { name: "min-pass-rate", type: "number", arg: "R", min: 0, max: 1, description: "Exit 1 when passed / total items is below R" },
    { name: "concurrency", type: "integer", arg: "N", min: 1, default: DEFAULT_EVAL_CONCURRENCY, description: "Items sampled and graded at once" },
    ...EXECUTOR_OPTIONS,
  ],
  exitStatus: "0 the eval ran (failed and errored items are in the counts), 1 below --min-pass-rate, 2 an invalid eval or run, an unreadable or unwritable file, or a usage error.",
  async run({ values, positionals }, io) {
    const [evalFile, dataFile] = positionals as [string, string | undefined];
    const fromOutputItems = values["from-output-items"];
    if (values.compare && !fromOutputItems) throw new UsageError("--compare compares re-graded output items with their hosted results: it needs --from-output-items");
    if (fromOutputItems && values.run) throw new UsageError("--from-output-items re-grades the exported samples; --run generates new ones: give one of them");
    if (fromOutputItems && dataFile === undefined) throw new UsageError("--from-output-items needs the JSONL file of output items (DATA.jsonl)");
    if (dataFile === undefined && values.run === undefined) throw new UsageError("eval needs DATA.jsonl, or --run RUN.json whose source has the items");
    const files = values.file;

    const evalJson = requireDocument(evalFile, checkEvalText, io);
    const runJson = values.run !== undefined ? requireDocument(values.run, checkRunText, io) : undefined;
    if (evalJson === undefined || (values.run !== undefined && runJson === undefined)) return EXIT.usage;

    // stdout carries the summary (or --json's run object): output items there would mix with it,
    // and a file named '-' would surprise as much (run's -o - is stdout).
    if (values.output === "-") throw new UsageError("-o -: eval prints its summary on stdout, so output items need a file (-o ./- for a file named -)");
    const output = values.output !== undefined ? jsonlOutput(values.output) : null;
    const setup = await buildExecutors(values, io);
    let result: EvalRunResult;
    try {
      result = await runEval({
        eval: evalJson,
        run: runJson,
        data: dataFile,
        evalLabel: evalFile,
        runLabel: values.run,
        files,
        fromOutputItems,
        compare: values.compare,
        scoreTolerance: values["score-tolerance"],
        executors: setup.executors,
        concurrency: values.concurrency,
        onOutputItem: output ? (item) => output.write(item) : undefined,
        onWarning: (m) => io.stderr(`warning: ${m}\n`),
      });
      await output?.close();
    } catch (err) {
      if (err instanceof EvalSetupError) throw new UsageError(withFlagHints(err.message));
      throw ioError(err, dataFile ?? values.output ?? evalFile) ?? err;
    } finally {
      await setup.close();
    }

    if (values.json) {
      const printed = result.comparison ? { ...result.run, comparison: result.comparison } : result.run;
      io.stdout(JSON.stringify(printed, null, 2) + "\n");
    } else {
      io.stdout(formatEvalRun(result, { cache: setup.cacheStats() }));
    }
    const min = values["min-pass-rate"];
    if (min !== undefined && belowMinPassRate(result.run.result_counts, min)) {
      const rate = passRate(result.run.result_counts);
      io.stderr(`graderkit eval: pass rate ${rate === null ? "undefined (no items)" : rate.toFixed(4)} is below --min-pass-rate ${min}\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
});
