import { defineCommand, EXIT } from "../command.js";
import { byteSize, lineSource, passThreshold, plural, readingInputs, seedOption, sourceName, THRESHOLD_OPTIONS, writeOutput } from "../run-files.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

export const reportCommand = defineCommand({
  name: "report",
  summary: COMMAND_SUMMARIES.report,
  positionals: { names: "RUN.jsonl", min: 1 },
  description: `RUN.jsonl is the output of graderkit run (full or compact rows; '-' reads stdin). With --input, rows
are joined to the samples they graded by line, so the report shows the texts. The page loads
nothing from any address; the summary and plots need no JavaScript. A run of more than 10,000 rows
is tabled by its worst, errored and best rows and a uniform sample (the page says which).`,
  options: [
    { name: "output", short: "o", type: "string", arg: "FILE", default: "report.html", description: "The HTML file to write ('-': stdout)" },
    { name: "input", type: "string", arg: "SAMPLES.jsonl", description: "The run's input, for the sample and item texts" },
    ...THRESHOLD_OPTIONS,
    { name: "bins", type: "integer", arg: "N", min: 1, max: 200, default: 20, description: "Histogram bins" },
    seedOption("Seed of the uniform sample of rows the table of a large run shows"),
    { name: "title", type: "string", arg: "TEXT", description: "The page's title", shownDefault: "graderkit report: RUN" },
    { name: "quiet", type: "boolean", description: "Print nothing on success" },
  ],
  exitStatus: "0 written, 2 an unreadable or invalid run or input file, or a usage error.",
  async run({ values, positionals }, io) {
    const runPath = positionals[0]!;
    const pass = passThreshold(values, io, null);
    if (!pass) return EXIT.usage;
    // Loaded here, not at start-up: every other command would pay for it.
    const { buildReport } = await import("../../report/index.js");
    const { html, model } = await readingInputs(() =>
      buildReport({
        run: lineSource(runPath, io, "the run"),
        runName: sourceName(runPath),
        ...(values.input !== undefined ? { input: lineSource(values.input, io, "the input"), inputName: sourceName(values.input) } : {}),
        threshold: pass.threshold,
        bins: values.bins,
        seed: values.seed,
        ...(values.title !== undefined ? { title: values.title } : {}),
      }),
    );
    writeOutput(values.output, html, io);
    for (const w of model.warnings) io.stderr(`warning: ${w}\n`);
    if (!values.quiet && values.output !== "-") {
      io.stderr(`${values.output}: ${byteSize(html)}, ${plural(model.rewards.rows, "row")} (${model.table.rows.length} in the table), mean reward ${model.rewards.mean === null ? "-" : model.rewards.mean.toFixed(4)}, ${model.errorRows} with errors\n`);
    }
    return EXIT.ok;
  },
});
