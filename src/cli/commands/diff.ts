import { DEFAULT_PASS_THRESHOLD } from "../../core/pass-threshold.js";
import { DEFAULT_RESAMPLES } from "../../report/stats/bootstrap.js";
import { defineCommand, EXIT, UsageError } from "../command.js";
import { byteSize, lineSource, passThreshold, readingInputs, seedOption, sourceName, STDIN, THRESHOLD_OPTIONS, writeOutput } from "../run-files.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

/** Random draws above which the bootstrap takes long enough to warn about (about a minute). */
const SLOW_BOOTSTRAP_DRAWS = 2e9;

export const diffCommand = defineCommand({
  name: "diff",
  summary: COMMAND_SUMMARIES.diff,
  positionals: { names: "A.jsonl B.jsonl", min: 2 },
  description: `Rows are joined by id when every row of both runs has a unique id, else by line; unmatched
rows are counted and listed. mean_delta = mean_b - mean_a, with a paired percentile-bootstrap 95%
interval; spearman and kendall_tau_b (tau-b) as scipy computes them, null when a side is constant.
A row passes when its reward >= the threshold (--threshold, else --grader's pass_threshold, else
${DEFAULT_PASS_THRESHOLD}). --json prints {"rows", "unmatched": {"a_only", "b_only"}, "mean_a", "mean_b",
"mean_delta", "mean_delta_ci95", "spearman", "kendall_tau_b", "threshold", "flips": {"pass_to_fail",
"fail_to_pass"}, "largest": [{"line", "id", "a", "b", "delta"}]}; largest holds the 20 rows that
changed most (|delta| > 0), ties by line.`,
  options: [
    { name: "json", type: "boolean", description: "Print the JSON above instead of the text summary" },
    { name: "output", short: "o", type: "string", arg: "FILE", description: "Also write an HTML view of the diff ('-': stdout, instead of the summary)" },
    { name: "input", type: "string", arg: "SAMPLES.jsonl", description: "The runs' input, for the texts in the HTML view" },
    ...THRESHOLD_OPTIONS,
    { name: "resamples", type: "integer", arg: "N", min: 0, default: DEFAULT_RESAMPLES, description: "Bootstrap resamples for mean_delta_ci95 (0: no interval)" },
    seedOption("Seed of the bootstrap resamples (and of the HTML view's sampled rows)"),
    { name: "bins", type: "integer", arg: "N", min: 1, max: 200, default: 20, description: "Histogram bins of the HTML view" },
  ],
  exitStatus: "0 compared, 2 a run file unreadable or invalid, no row in common, or a usage error.",
  async run({ values, positionals }, io) {
    const [aPath, bPath] = positionals as [string, string];
    if (aPath === STDIN && bPath === STDIN) throw new UsageError("only one of A and B can be '-' (stdin)");
    if (values.output === STDIN && values.json) throw new UsageError("-o - and --json both write to stdout; choose one");
    if (values.input !== undefined && values.output === undefined) throw new UsageError("--input is for the HTML view: give -o FILE too");
    const pass = passThreshold(values, io, DEFAULT_PASS_THRESHOLD);
    if (!pass) return EXIT.usage;
    const onBootstrap = (rows: number) => {
      // 10,000 resamples of a million rows is ten billion random draws: say so before the wait.
      if (rows * values.resamples > SLOW_BOOTSTRAP_DRAWS) io.stderr(`note: the bootstrap draws ${values.resamples} × ${rows} rows; this takes a while (--resamples ${Math.max(100, Math.round(values.resamples / 10))} takes a tenth of the time)\n`);
    };
    const { buildDiff, formatDiffText } = await import("../../report/index.js");
    const { model, html } = await readingInputs(() =>
      buildDiff({
        a: lineSource(aPath, io, "run A"),
        aName: sourceName(aPath),
        b: lineSource(bPath, io, "run B"),
        bName: sourceName(bPath),
        threshold: pass.threshold ?? DEFAULT_PASS_THRESHOLD,
        resamples: values.resamples,
        seed: values.seed,
        onBootstrap,
        page: values.output !== undefined && {
          bins: values.bins,
          ...(values.input !== undefined ? { input: lineSource(values.input, io, "the input"), inputName: sourceName(values.input) } : {}),
        },
      }),
    );
    for (const w of model.warnings) io.stderr(`warning: ${w}\n`);
    if (model.result.rows === 0) {
      io.stderr(`graderkit diff: no row of ${sourceName(aPath)} matches a row of ${sourceName(bPath)} (joined by ${model.joinedBy}): are they runs over the same samples?\n`);
      return EXIT.usage;
    }
    if (html !== null) {
      writeOutput(values.output!, html, io);
      if (values.output !== STDIN) io.stderr(`${values.output}: ${byteSize(html)}\n`);
    }
    if (values.json) io.stdout(JSON.stringify(model.result) + "\n");
    else if (values.output !== STDIN) io.stdout(formatDiffText(model));
    return EXIT.ok;
  },
});
