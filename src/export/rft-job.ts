// Build the POST /v1/fine_tuning/jobs body for reinforcement fine-tuning (spec §9) around a
// grader, and check it against the schema. graderkit produces the payload; it does not train.

import { HYPERPARAMETER_SCHEMAS, METHOD_HYPERPARAMETERS } from "../schema/grader-schema.js";
import type { Grader } from "../schema/types.js";
import { validateFineTuningJob, validateGrader, type Problem } from "../schema/validate.js";

export interface RftJobOptions {
  model: string;
  trainingFile: string;
  validationFile?: string;
  suffix?: string;
  seed?: number;
  /** Hyperparameters as given on the command line ("auto", numbers as text, or values). */
  hyperparameters?: Record<string, string | number>;
  metadata?: Record<string, string>;
}

export interface RftJob {
  model: string;
  training_file: string;
  validation_file?: string;
  suffix?: string;
  seed?: number;
  metadata?: Record<string, string>;
  method: { type: "reinforcement"; reinforcement: { grader: Grader; hyperparameters?: Record<string, string | number> } };
}

const INTEGER_HPS = new Set(["batch_size", "n_epochs", "eval_interval", "eval_samples"]);

/** "auto" stays a string, reasoning_effort stays a string, everything else must be a number. */
export function coerceHyperparameter(key: string, value: string | number): string | number {
  if (typeof value === "number" || value === "auto" || key === "reasoning_effort") return value;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) return value; // left for the schema to reject
  return INTEGER_HPS.has(key) && Number.isInteger(n) ? Math.trunc(n) : n;
}

export function buildRftJob(grader: unknown, options: RftJobOptions): { job: RftJob | null; problems: Problem[] } {
  const checked = validateGrader(grader, { target: "rft" });
  const problems: Problem[] = [...checked.problems];
  const hp: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(options.hyperparameters ?? {})) {
    if (!(key in HYPERPARAMETER_SCHEMAS) || !METHOD_HYPERPARAMETERS.reinforcement.includes(key)) {
      problems.push({
        pointer: `/method/reinforcement/hyperparameters/${key}`,
        message: `unknown hyperparameter '${key}' for reinforcement (allowed: ${METHOD_HYPERPARAMETERS.reinforcement.join(", ")})`,
        code: "unknown_field",
      });
      continue;
    }
    hp[key] = coerceHyperparameter(key, value);
  }
  if (!checked.grader || problems.length) return { job: null, problems };
  const job: RftJob = {
    model: options.model,
    training_file: options.trainingFile,
    ...(options.validationFile !== undefined ? { validation_file: options.validationFile } : {}),
    ...(options.suffix !== undefined ? { suffix: options.suffix } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
    method: {
      type: "reinforcement",
      reinforcement: { grader: checked.grader, ...(Object.keys(hp).length ? { hyperparameters: hp } : {}) },
    },
  };
  const jobProblems = validateFineTuningJob(job);
  return jobProblems.length ? { job: null, problems: jobProblems } : { job, problems: [] };
}
