import { checkTrainingData, type DataReport } from "../../datasets/check-data.js";
import type { DataProblem } from "../../datasets/problems.js";
import type { FineTuningMethodType } from "../../schema/fine-tuning-types.js";
import { FINE_TUNING_METHODS } from "../../schema/fine-tuning.js";
import type { Grader } from "../../schema/types.js";
import { defineCommand, EXIT, UsageError } from "../command.js";
import { requireGrader, unreadable } from "../load.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

/** `FILE:LINE: /pointer: message`, warnings prefixed as validate does. */
export function formatDataProblem(file: string, p: DataProblem): string {
  const where = p.file ?? (p.line === null ? file : `${file}:${p.line}`);
  return `${p.severity === "warning" ? "warning: " : ""}${where}: ${p.pointer || "/"}: ${p.message}`;
}

const n = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits });

export function formatDataSummary(r: DataReport): string {
  const count = (k: number, what: string) => `${n(k)} ${what}${k === 1 ? "" : "s"}`;
  const model = r.model.name ? `${r.model.name}, ` : "no --model: ";
  const lines = [
    `${r.file}: ${count(r.examples, "example")} (${r.method}), ${count(r.errors, "error")}, ${count(r.warnings, "warning")}`,
    `tokens (${model}${r.model.encoding}, training context ${n(r.model.trainingContext)}): total ${n(r.tokens.total)}  max ${n(r.tokens.max)}  mean ${n(r.tokens.mean, 1)}  p50 ${n(r.tokens.p50, 1)}  p95 ${n(r.tokens.p95, 1)}${r.overContext ? `  (${count(r.overContext, "example")} over the context)` : ""}`,
  ];
  const epochs = `n_epochs "auto" ≈ ${r.estimate.n_epochs}`;
  lines.push(
    r.estimate.billed_tokens === null
      ? `estimate: ${epochs}; reinforcement fine-tuning is billed by training time, not tokens`
      : `estimate: ${epochs}; ~${n(r.estimate.billed_tokens)} billed tokens (the cookbook's estimate)`,
  );
  return lines.join("\n") + "\n";
}

/** The --json body: exactly the fields the issue names. */
export function dataReportJson(r: DataReport) {
  return {
    file: r.file,
    method: r.method,
    examples: r.examples,
    problems: r.problems.map((p) => ({ line: p.line, pointer: p.pointer, message: p.message, severity: p.severity })),
    tokens: r.tokens,
    estimate: r.estimate,
  };
}

export const checkDataCommand = defineCommand({
  name: "check-data",
  summary: COMMAND_SUMMARIES["check-data"],
  positionals: { names: "FILE.jsonl", min: 1 },
  usage: "FILE.jsonl --method supervised|dpo|reinforcement [--grader G.json] [--model M] [--json]",
  description: `Every problem, one per line: FILE:LINE: /json/pointer: message (warnings prefixed 'warning: ').
Checks the format of the method's examples, the file (blank lines, BOM, UTF-8, at least 10
examples, duplicates, 512 MB), and with --grader that every {{ item.* }} the grader reads exists
on every reinforcement row. Tokens are counted per example with the model's encoding (the
cookbook's rule) and the cookbook's epoch / billed-token estimate is printed.
--json: {"file", "method", "examples", "problems": [{"line", "pointer", "message", "severity"}],
"tokens": {"total", "max", "mean", "p50", "p95"}, "estimate": {"n_epochs", "billed_tokens"}}.`,
  options: [
    { name: "method", type: "choice", arg: "M", choices: FINE_TUNING_METHODS, description: "The fine-tuning method the file is for (required)" },
    { name: "grader", type: "string", arg: "G.json", description: "Reinforcement: the job's grader; its {{ item.* }} fields are checked on every row" },
    { name: "model", type: "string", arg: "M", shownDefault: "o200k_base, 65,536-token context", description: "Base model: its tokenizer encoding and training context" },
    { name: "validation", type: "boolean", description: "The file is a validation file (no 10-example minimum; reinforcement: at most 1,000 rows)" },
    { name: "json", type: "boolean", description: "Print the report as JSON (see above)" },
  ],
  exitStatus: "0 no errors (warnings allowed), 1 errors, 2 usage or I/O error (a file cannot be read, the grader is invalid).",
  async run({ values, positionals }, io) {
    const method = values.method as FineTuningMethodType | undefined;
    if (!method) throw new UsageError("--method is required (supervised, dpo or reinforcement)");
    if (values.grader !== undefined && method !== "reinforcement") throw new UsageError(`--grader is for reinforcement files, not ${method}`);
    let grader: Grader | undefined;
    if (values.grader !== undefined) {
      const g = requireGrader(values.grader, "rft", io);
      if (!g) return EXIT.usage;
      grader = g;
    }
    const file = positionals[0]!;
    let report: DataReport;
    try {
      report = await checkTrainingData(file, {
        method,
        grader,
        graderFile: values.grader,
        model: values.model,
        validation: values.validation,
        keepProblems: values.json,
        onProblem: values.json ? undefined : (p) => io.stdout(formatDataProblem(file, p) + "\n"),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code) throw unreadable(file, err);
      throw err;
    }
    io.stdout(values.json ? JSON.stringify(dataReportJson(report), null, 2) + "\n" : formatDataSummary(report));
    return report.errors ? EXIT.failed : EXIT.ok;
  },
});
