import { gradeSample } from "../../graders/grade-sample.js";
import type { Item, Sample } from "../../core/rows.js";
import { EXIT, UsageError, type Command } from "../args.js";
import { buildExecutors, EXECUTOR_HELP, EXECUTOR_OPTIONS } from "../executor-options.js";
import { requireGrader } from "../load.js";

function jsonObjectFlag(text: unknown, flag: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(String(text));
  } catch (err) {
    throw new UsageError(`--${flag} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new UsageError(`--${flag} must be a JSON object`);
  return v as Record<string, unknown>;
}

export const gradeCommand: Command = {
  name: "grade",
  summary: "Grade one sample and print the graders/run response as JSON.",
  usage: "graderkit grade GRADER.json (--sample TEXT | --sample-json JSON) [--item JSON]",
  help: `Options:
  --sample TEXT             A run-API model_sample string: fills sample.output_text (and output_json when it parses)
  --sample-json JSON        A full sample object, e.g. '{"output_text": "...", "output_tools": [...]}'
  --item JSON               The dataset row, available as {{ item.* }} (default {})

${EXECUTOR_HELP}

Exit status: 0 graded (grading errors are inside the response), 2 invalid grader or arguments.`,
  options: { sample: { type: "string" }, "sample-json": { type: "string" }, item: { type: "string" }, ...EXECUTOR_OPTIONS },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError("grade needs exactly one GRADER.json");
    if ((values.sample === undefined) === (values["sample-json"] === undefined)) {
      throw new UsageError("give exactly one of --sample TEXT or --sample-json JSON");
    }
    const item: Item = values.item === undefined ? {} : jsonObjectFlag(values.item, "item");
    const sample: Sample | undefined = values["sample-json"] !== undefined ? jsonObjectFlag(values["sample-json"], "sample-json") : undefined;
    const grader = requireGrader(positionals[0], "local", io);
    if (!grader) return EXIT.usage;
    const setup = buildExecutors(values, io);
    try {
      const input = sample ? { sample, item } : { model_sample: String(values.sample), item };
      const res = await gradeSample(grader, input, { executors: setup.executors });
      io.stdout(JSON.stringify(res, null, 2) + "\n");
    } finally {
      await setup.close();
    }
    return EXIT.ok;
  },
};
