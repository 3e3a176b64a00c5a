import type { Item, Sample } from "../../core/rows.js";
import { gradeSample } from "../../graders/grade-sample.js";
import { defineCommand, EXIT, UsageError } from "../command.js";
import { buildExecutors, EXECUTOR_OPTIONS, withFlagHints } from "../executor-options.js";
import { requireGrader } from "../load.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

function jsonObjectFlag(text: string, flag: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--${flag} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new UsageError(`--${flag} must be a JSON object`);
  return v as Record<string, unknown>;
}

export const gradeCommand = defineCommand({
  name: "grade",
  summary: COMMAND_SUMMARIES.grade,
  positionals: { names: "GRADER.json", min: 1 },
  usage: "GRADER.json (--sample TEXT | --sample-json JSON) [--item JSON] [options]",
  options: [
    { name: "sample", type: "string", arg: "TEXT", description: "A run-API model_sample string: fills sample.output_text (and output_json when it parses)" },
    { name: "sample-json", type: "string", arg: "JSON", description: 'A full sample object, e.g. \'{"output_text": "...", "output_tools": [...]}\'' },
    { name: "item", type: "string", arg: "JSON", shownDefault: "{}", description: "The dataset row, available as {{ item.* }}" },
    ...EXECUTOR_OPTIONS,
  ],
  exitStatus: "0 graded (grading errors are inside the response), 2 invalid grader, unreadable file or usage error.",
  async run({ values, positionals }, io) {
    if ((values.sample === undefined) === (values["sample-json"] === undefined)) {
      throw new UsageError("give exactly one of --sample TEXT or --sample-json JSON");
    }
    const item: Item = values.item === undefined ? {} : jsonObjectFlag(values.item, "item");
    const sample: Sample | undefined = values["sample-json"] !== undefined ? jsonObjectFlag(values["sample-json"], "sample-json") : undefined;
    const grader = requireGrader(positionals[0]!, "local", io);
    if (!grader) return EXIT.usage;
    const setup = await buildExecutors(values, io);
    try {
      const input = sample ? { sample, item } : { model_sample: values.sample!, item };
      const res = await gradeSample(grader, input, { executors: setup.executors });
      if (res.error) res.error.message = withFlagHints(res.error.message);
      io.stdout(JSON.stringify(res, null, 2) + "\n");
    } finally {
      await setup.close();
    }
    return EXIT.ok;
  },
});
