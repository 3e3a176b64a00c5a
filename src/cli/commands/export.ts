import { buildRftJob } from "../../export/rft-job.js";
import { EXIT, numberFlag, UsageError, type Command } from "../args.js";
import { formatProblem, readText } from "../load.js";

function pairs(values: unknown, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of (values as string[] | undefined) ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--${flag} expects key=value, got '${kv}'`);
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

export const exportCommand: Command = {
  name: "export",
  summary: "Print the POST /v1/fine_tuning/jobs body of a reinforcement fine-tuning job using GRADER.json.",
  usage: "graderkit export GRADER.json --model M --training-file ID [--validation-file ID] [--suffix S] [--seed N] [--hp key=value ...] [--metadata key=value ...]",
  help: `Options:
  --model M                 Base model to fine-tune (required)
  --training-file ID        Training file id (required)
  --validation-file ID      Validation file id
  --suffix S                Suffix for the fine-tuned model name (up to 64 characters)
  --seed N                  Integer seed
  --hp key=value            A reinforcement hyperparameter (repeatable): batch_size, learning_rate_multiplier,
                            n_epochs, compute_multiplier, eval_interval, eval_samples, reasoning_effort; 'auto' allowed
  --metadata key=value      Job metadata (repeatable, at most 16 pairs)

Exit status: 0 printed, 1 the grader or a hyperparameter is invalid for RFT, 2 usage or I/O error.`,
  options: {
    model: { type: "string" },
    "training-file": { type: "string" },
    "validation-file": { type: "string" },
    suffix: { type: "string" },
    seed: { type: "string" },
    hp: { type: "string", multiple: true },
    metadata: { type: "string", multiple: true },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError("export needs exactly one GRADER.json");
    if (!values.model) throw new UsageError("--model is required");
    if (!values["training-file"]) throw new UsageError("--training-file is required");
    const file = positionals[0];
    let grader: unknown;
    try {
      grader = JSON.parse(readText(file));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      io.stderr(`${file}: /: not valid JSON: ${(err as Error).message}\n`);
      return EXIT.invalid;
    }
    const metadata = values.metadata ? pairs(values.metadata, "metadata") : undefined;
    const { job, problems } = buildRftJob(grader, {
      model: String(values.model),
      trainingFile: String(values["training-file"]),
      validationFile: values["validation-file"] as string | undefined,
      suffix: values.suffix as string | undefined,
      seed: numberFlag(values.seed, "seed", { integer: true }),
      hyperparameters: pairs(values.hp, "hp"),
      metadata,
    });
    if (!job) {
      io.stderr(`cannot export ${file} for reinforcement fine-tuning:\n`);
      for (const p of problems) io.stderr(formatProblem(file, p) + "\n");
      return EXIT.invalid;
    }
    io.stdout(JSON.stringify(job, null, 2) + "\n");
    return EXIT.ok;
  },
};
