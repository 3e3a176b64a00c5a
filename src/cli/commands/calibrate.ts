import type { LabelKind } from "../../report/index.js";
import { defineCommand, EXIT, UsageError } from "../command.js";
import { byteSize, lineSource, readingInputs, sourceName, STDIN, writeOutput } from "../run-files.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

export const calibrateCommand = defineCommand({
  name: "calibrate",
  summary: COMMAND_SUMMARIES.calibrate,
  positionals: { names: "RUN.jsonl", min: 1 },
  usage: "RUN.jsonl (--labels LABELS.jsonl | --input SAMPLES.jsonl --label-field item.PATH) [options]",
  description: `LABELS.jsonl rows are {"id" | "line", "label"}, joined by id when every label and every run row
has one (run ids unique), else by line. A label is a number or a boolean; null means not labelled.
Binary labels (0/1, booleans) print {"rows", "positives", "roc_auc", "average_precision", "best_f1":
{"threshold", "precision", "recall", "f1", "accuracy"}, "best_youden": {"threshold", "tpr", "fpr",
"j"}, "at_threshold": {"threshold", "confusion": {"tp", "fp", "tn", "fn"}, "cohen_kappa"}}, with
scikit-learn's definitions (a reward >= threshold predicts 1; best thresholds are
precision_recall_curve / roc_curve thresholds, ties to the highest). Numeric labels print {"rows",
"pearson", "spearman", "kendall_tau_b", "mae"} (scipy's). Rows whose grading failed are left out
unless --include-errors. Notes on rows left out and undefined numbers go to stderr.`,
  options: [
    { name: "labels", type: "string", arg: "LABELS.jsonl", description: "Human labels, one row per sample" },
    { name: "input", type: "string", arg: "SAMPLES.jsonl", description: "The run's input, with --label-field" },
    { name: "label-field", type: "string", arg: "item.PATH", description: "Read each label from the input row's item (e.g. item.human_label)" },
    { name: "threshold", type: "number", arg: "T", description: "The threshold of at_threshold", shownDefault: "best_f1's threshold" },
    { name: "labels-as", type: "choice", arg: "KIND", choices: ["binary", "numeric"], shownDefault: "binary when every label is 0, 1 or a boolean", description: "How to read the labels" },
    { name: "include-errors", type: "boolean", description: "Keep rows whose grading failed" },
    { name: "json", type: "boolean", description: "Print the JSON above instead of a text summary" },
    { name: "output", short: "o", type: "string", arg: "FILE", description: "Also write an HTML page with the ROC and precision-recall curves ('-': stdout, instead of the summary)" },
    { name: "bins", type: "integer", arg: "N", min: 1, max: 200, default: 20, description: "Histogram bins of the HTML page" },
  ],
  exitStatus: "0 computed, 2 an unreadable or invalid run or labels file, no labelled row, or a usage error.",
  async run({ values, positionals }, io) {
    const runPath = positionals[0]!;
    if (values.labels !== undefined && values["label-field"] !== undefined) throw new UsageError("give --labels or --label-field, not both");
    if (values.labels === undefined && values["label-field"] === undefined) throw new UsageError("calibrate needs --labels LABELS.jsonl, or --input SAMPLES.jsonl with --label-field item.PATH");
    if (values["label-field"] !== undefined && values.input === undefined) throw new UsageError("--label-field reads the labels from the run's input: give --input SAMPLES.jsonl");
    const stdinUses = [runPath, values.labels, values.input].filter((p) => p === STDIN).length;
    if (stdinUses > 1) throw new UsageError("only one file can be '-' (stdin)");
    if (values.output === STDIN && values.json) throw new UsageError("-o - and --json both write to stdout; choose one");
    const { calibrateRun, formatCalibrationText, renderCalibrationPage } = await import("../../report/index.js");
    const calibration = await readingInputs(() =>
      calibrateRun({
        run: lineSource(runPath, io, "the run"),
        runName: sourceName(runPath),
        ...(values.labels !== undefined ? { labels: lineSource(values.labels, io, "the labels"), labelsName: sourceName(values.labels) } : {}),
        ...(values.input !== undefined ? { input: lineSource(values.input, io, "the input"), inputName: sourceName(values.input), labelField: values["label-field"] } : {}),
        ...(values.threshold !== undefined ? { threshold: values.threshold } : {}),
        ...(values["labels-as"] !== undefined ? { kind: values["labels-as"] as LabelKind } : {}),
        includeErrors: values["include-errors"],
      }),
    );
    for (const m of calibration.messages) io.stderr(`note: ${m}\n`);
    if (calibration.result.rows === 0) {
      io.stderr(`graderkit calibrate: no run row has a label (joined by ${calibration.joinedBy})\n`);
      return EXIT.usage;
    }
    if (values.output !== undefined) {
      const html = await renderCalibrationPage(calibration, { bins: values.bins });
      writeOutput(values.output, html, io);
      if (values.output !== STDIN) io.stderr(`${values.output}: ${byteSize(html)}\n`);
    }
    if (values.json) io.stdout(JSON.stringify(calibration.result) + "\n");
    else if (values.output !== STDIN) io.stdout(formatCalibrationText(calibration));
    return EXIT.ok;
  },
});
