import { buildRftJob } from "../../export/rft-job.js";
import { parseJsonText } from "../../util/json-text.js";
import { defineCommand, EXIT, UsageError } from "../command.js";
import { formatProblem, readText } from "../load.js";

function pairs(values: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of values) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--${flag} expects key=value, got '${kv}'`);
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

export const exportCommand = defineCommand({
  name: "export",
  summary: "Print the POST /v1/fine_tuning/jobs body of a reinforcement fine-tuning job using GRADER.json.",
  positionals: { names: "GRADER.json", min: 1 },
  usage: "GRADER.json --model M --training-file ID [options]",
  options: [
    { name: "model", type: "string", arg: "M", description: "Base model to fine-tune (required)" },
    { name: "training-file", type: "string", arg: "ID", description: "Training file id (required)" },
    { name: "validation-file", type: "string", arg: "ID", description: "Validation file id" },
    { name: "suffix", type: "string", arg: "S", description: "Suffix for the fine-tuned model name (up to 64 characters)" },
    { name: "seed", type: "integer", arg: "N", description: "Integer seed" },
    { name: "hp", type: "string", arg: "key=value", multiple: true, description: "A reinforcement hyperparameter: batch_size, learning_rate_multiplier, n_epochs, compute_multiplier, eval_interval, eval_samples, reasoning_effort; 'auto' allowed" },
    { name: "metadata", type: "string", arg: "key=value", multiple: true, description: "Job metadata (at most 16 pairs)" },
  ],
  exitStatus: "0 printed, 1 the grader or a hyperparameter is invalid for RFT, 2 usage or I/O error.",
  async run({ values, positionals }, io) {
    if (!values.model) throw new UsageError("--model is required");
    if (!values["training-file"]) throw new UsageError("--training-file is required");
    const file = positionals[0]!;
    let grader: unknown;
    try {
      grader = parseJsonText(readText(file));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      io.stderr(`${file}: /: not valid JSON: ${(err as Error).message}\n`);
      return EXIT.failed;
    }
    const { job, problems } = buildRftJob(grader, {
      model: values.model,
      trainingFile: values["training-file"],
      validationFile: values["validation-file"],
      suffix: values.suffix,
      seed: values.seed,
      hyperparameters: pairs(values.hp, "hp"),
      metadata: values.metadata.length ? pairs(values.metadata, "metadata") : undefined,
    });
    if (!job) {
      io.stderr(`cannot export ${file} for reinforcement fine-tuning:\n`);
      for (const p of problems) io.stderr(formatProblem(file, p) + "\n");
      return EXIT.failed;
    }
    io.stdout(JSON.stringify(job, null, 2) + "\n");
    return EXIT.ok;
  },
});
