// The job flags of `export` and `jobs create`: one table (parser and --help), the translation to
// buildFineTuningJob's options, and problems reported against what the user wrote — a job field
// names its flag (`--hp n_epochs: ...`), a grader field the grader file (`G.json: /reference: ...`).

import { buildFineTuningJob, type FineTuningJobBuild } from "../export/fine-tuning-job.js";
import { IntegrationSyntaxError, parseIntegration } from "../export/integrations.js";
import type { Problem } from "../schema/ajv.js";
import type { FineTuningMethodType } from "../schema/fine-tuning-types.js";
import { describeDomain, FINE_TUNING_METHODS, HYPERPARAMETER_DOMAINS, METADATA_LIMITS, METHOD_HYPERPARAMETERS, SUFFIX_MAX_LENGTH } from "../schema/fine-tuning.js";
import { parseJsonText } from "../util/json-text.js";
import { UsageError } from "./command.js";
import { formatProblem, readText } from "./load.js";
import type { OptionSpec } from "./options.js";

const GROUP = "Job";

const hpHelp = FINE_TUNING_METHODS.map((m) => `${m}: ${METHOD_HYPERPARAMETERS[m].join(", ")}`).join("; ");
const domainsHelp = Object.entries(HYPERPARAMETER_DOMAINS).map(([k, d]) => `${k} ${describeDomain(d)}`).join("; ");

export const JOB_OPTIONS = [
  { name: "method", type: "choice", arg: "M", choices: FINE_TUNING_METHODS, group: GROUP, shownDefault: "reinforcement with GRADER.json", description: "Fine-tuning method" },
  { name: "model", type: "string", arg: "M", group: GROUP, description: "Base model to fine-tune (required)" },
  { name: "training-file", type: "string", arg: "ID", group: GROUP, description: "Training file id (required)" },
  { name: "validation-file", type: "string", arg: "ID", group: GROUP, description: "Validation file id" },
  { name: "suffix", type: "string", arg: "S", group: GROUP, description: `Suffix for the fine-tuned model name (at most ${SUFFIX_MAX_LENGTH} characters)` },
  { name: "seed", type: "integer", arg: "N", group: GROUP, description: "Integer seed" },
  { name: "hp", type: "pairs", arg: "key=value", group: GROUP, description: `A hyperparameter of the method (${hpHelp}). Domains: ${domainsHelp}` },
  { name: "metadata", type: "pairs", arg: "key=value", group: GROUP, description: `Job metadata (at most ${METADATA_LIMITS.pairs} pairs, keys up to ${METADATA_LIMITS.keyLength} characters, values up to ${METADATA_LIMITS.valueLength})` },
  { name: "integration", type: "string", arg: "SPEC", multiple: true, group: GROUP, description: "wandb:project=P[,entity=E,name=N,tags=a|b]" },
] as const satisfies readonly OptionSpec[];

type JobFlagValues = {
  method?: string;
  model?: string;
  "training-file"?: string;
  "validation-file"?: string;
  suffix?: string;
  seed?: number;
  hp: Record<string, string>;
  metadata: Record<string, string>;
  integration: string[];
};

/** Whether any job flag was given (jobs create refuses them next to --body). */
export function jobFlagsGiven(given: ReadonlySet<string>): string[] {
  return JOB_OPTIONS.map((o) => o.name).filter((n) => given.has(n));
}

/** The method: --method, else reinforcement when a grader is given; usage errors for mismatches. */
function methodOf(values: JobFlagValues, graderFile: string | undefined): FineTuningMethodType {
  const method = (values.method as FineTuningMethodType | undefined) ?? (graderFile !== undefined ? "reinforcement" : undefined);
  if (method === undefined) throw new UsageError("needs --method supervised|dpo, or GRADER.json for a reinforcement job");
  if (method === "reinforcement" && graderFile === undefined) throw new UsageError("--method reinforcement needs GRADER.json");
  if (method !== "reinforcement" && graderFile !== undefined) throw new UsageError(`GRADER.json is for reinforcement jobs; --method ${method} takes none`);
  return method;
}

export interface JobFromFlags extends FineTuningJobBuild {
  method: FineTuningMethodType;
  graderFile?: string;
}

/**
 * Build the job body from the flags. Usage errors (exit 2) for what cannot be read: a missing
 * --model or --training-file, malformed pairs, an unreadable grader file, a bad --integration.
 * A grader file that is not JSON is a problem of the grader (line:column).
 */
export function jobFromFlags(values: JobFlagValues, graderFile: string | undefined): JobFromFlags {
  const method = methodOf(values, graderFile);
  if (!values.model) throw new UsageError("--model is required");
  if (!values["training-file"]) throw new UsageError("--training-file is required");
  let grader: unknown;
  if (graderFile !== undefined) {
    try {
      grader = parseJsonText(readText(graderFile));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const e = err as Error & { line?: number; column?: number };
      const problem: Problem = { pointer: "/method/reinforcement/grader", message: `not valid JSON: ${e.message}`, code: "invalid_json", line: e.line, column: e.column };
      return { method, graderFile, job: null, problems: [problem], warnings: [] };
    }
  }
  const integrations = values.integration.map((spec) => {
    try {
      return parseIntegration(spec);
    } catch (err) {
      if (err instanceof IntegrationSyntaxError) throw new UsageError(`--integration: ${err.message}`);
      throw err;
    }
  });
  const build = buildFineTuningJob({
    method,
    model: values.model,
    trainingFile: values["training-file"],
    validationFile: values["validation-file"],
    suffix: values.suffix,
    seed: values.seed,
    grader,
    hyperparameters: values.hp,
    metadata: Object.keys(values.metadata).length ? values.metadata : undefined,
    integrations,
  });
  return { method, graderFile, ...build };
}

// ---- problems as the user wrote them ----------------------------------------------------------

const GRADER_POINTER = "/method/reinforcement/grader";

/** The flag that sets a job field, for a pointer into the body. */
export function flagForPointer(pointer: string): string | undefined {
  const hp = /^\/(?:method\/[a-z]+\/)?hyperparameters\/([^/]+)/.exec(pointer);
  if (hp) return `--hp ${hp[1]}`;
  const field = pointer.split("/")[1];
  const flags: Record<string, string> = {
    model: "--model",
    training_file: "--training-file",
    validation_file: "--validation-file",
    suffix: "--suffix",
    seed: "--seed",
    metadata: "--metadata",
    integrations: "--integration",
    method: "--method",
  };
  return field === undefined ? undefined : flags[field];
}

/** One line: `G.json: /reference: ...` for the grader, `--hp n_epochs: ...` for a job field. */
export function formatJobProblem(p: Problem, graderFile: string | undefined): string {
  if (graderFile !== undefined && (p.pointer === GRADER_POINTER || p.pointer.startsWith(GRADER_POINTER + "/"))) {
    return formatProblem(graderFile, { ...p, pointer: p.pointer.slice(GRADER_POINTER.length) });
  }
  const flag = flagForPointer(p.pointer);
  if (!flag) return `${p.pointer || "/"}: ${p.message}`;
  // The flag names the hyperparameter: "--hp n_epochs: must be ...", not "--hp n_epochs: n_epochs must be ...".
  const hpKey = flag.startsWith("--hp ") ? flag.slice(5) : undefined;
  let message = p.message;
  if (hpKey && message.startsWith(`${hpKey} must `)) message = message.slice(hpKey.length + 1);
  else if (hpKey && message.startsWith(`${hpKey} is `)) message = message.slice(hpKey.length + 4);
  return `${flag}: ${message}`;
}
