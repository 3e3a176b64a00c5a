// Build the POST /v1/fine_tuning/jobs body of a supervised, DPO or reinforcement job (GRADERS §9)
// and check it against the schema. graderkit produces the payload; it does not train. Every
// problem's pointer is into the job body (a reinforcement grader's at /method/reinforcement/grader),
// so a caller can tell a job field from a grader field.

import type { Problem } from "../schema/ajv.js";
import type { FineTuningJobRequest, FineTuningMethod, FineTuningMethodType, WandbIntegration } from "../schema/fine-tuning-types.js";
import { HYPERPARAMETER_DOMAINS } from "../schema/fine-tuning.js";
import type { Grader } from "../schema/types.js";
import { validateGrader } from "../schema/validate.js";
import { validateFineTuningJob } from "../schema/validate-job.js";
import { modelInfo, REASONING_FAMILIES } from "./models.js";

export interface FineTuningJobOptions {
  method: FineTuningMethodType;
  model: string;
  trainingFile: string;
  validationFile?: string;
  /** Raw grader JSON: required for reinforcement, refused for the other methods. */
  grader?: unknown;
  /** As given on a command line ("auto", numbers as text) or as values. */
  hyperparameters?: Record<string, string | number>;
  metadata?: Record<string, string>;
  integrations?: WandbIntegration[];
  suffix?: string;
  seed?: number;
}

export interface FineTuningJobBuild {
  /** The body, or null when there are problems. */
  job: FineTuningJobRequest | null;
  problems: Problem[];
  warnings: Problem[];
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Numbers written as decimal text become numbers (not "0x10", not ""), the rest stays as given. */
export function coerceHyperparameter(key: string, value: string | number): string | number {
  if (typeof value === "number" || value === "auto") return value;
  const domain = (HYPERPARAMETER_DOMAINS as Record<string, { kind: string }>)[key];
  if (domain?.kind === "choice" || !DECIMAL.test(value.trim())) return value;
  return Number(value);
}

function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pointer}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function methodBlock(method: FineTuningMethodType, grader: Grader | null, hyperparameters: Record<string, string | number>): FineTuningMethod {
  const hp = Object.keys(hyperparameters).length ? { hyperparameters } : {};
  if (method === "reinforcement") return { type: method, reinforcement: { grader: grader as Grader, ...hp } };
  return Object.keys(hp).length ? { type: method, [method]: hp } : { type: method };
}

/** Build and check a job body; every problem and warning, each with a pointer into the body. */
export function buildFineTuningJob(options: FineTuningJobOptions): FineTuningJobBuild {
  const { method } = options;
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  let grader: Grader | null = null;
  if (method === "reinforcement") {
    if (options.grader === undefined) {
      problems.push({ pointer: "/method/reinforcement/grader", message: "a reinforcement job needs a grader", code: "missing_required_field" });
    } else {
      const checked = validateGrader(options.grader, { target: "rft", pointer: "/method/reinforcement/grader" });
      problems.push(...checked.problems);
      warnings.push(...checked.warnings);
      grader = checked.grader;
    }
    const info = modelInfo(options.model);
    if (!info?.reasoning) {
      warnings.push({
        pointer: "/model",
        message: `${info ? `'${options.model}' is not a reasoning model` : `'${options.model}' is not a model graderkit knows to be a reasoning model`}: reinforcement fine-tuning trains reasoning models (${REASONING_FAMILIES.join(", ")})`,
        code: "not_a_reasoning_model",
      });
    }
    if (options.validationFile === undefined) {
      warnings.push({ pointer: "/validation_file", message: "reinforcement fine-tuning expects a validation file as well as the training file", code: "missing_validation_file" });
    }
  } else if (options.grader !== undefined) {
    problems.push({ pointer: `/method/${method}`, message: `a grader belongs to reinforcement jobs, not ${method}`, code: "grader_not_allowed" });
  }
  const hyperparameters = Object.fromEntries(Object.entries(options.hyperparameters ?? {}).map(([k, v]) => [k, coerceHyperparameter(k, v)]));
  const job: FineTuningJobRequest = {
    model: options.model,
    training_file: options.trainingFile,
    ...(options.validationFile !== undefined ? { validation_file: options.validationFile } : {}),
    ...(options.suffix !== undefined ? { suffix: options.suffix } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
    ...(options.integrations?.length ? { integrations: options.integrations } : {}),
    method: methodBlock(method, grader, hyperparameters),
  };
  // The grader was checked above (with its warnings); the body check repeats its problems.
  const all = dedupe([...problems, ...(grader || method !== "reinforcement" ? validateFineTuningJob(job) : [])]);
  return { job: all.length ? null : job, problems: all, warnings };
}

// ---- the reinforcement-only API of earlier versions --------------------------------------------

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

export type RftJob = FineTuningJobRequest & { method: FineTuningMethod & { type: "reinforcement"; reinforcement: NonNullable<FineTuningMethod["reinforcement"]> } };

/** `buildFineTuningJob` with method reinforcement (kept for code written against 0.1). */
export function buildRftJob(grader: unknown, options: RftJobOptions): { job: RftJob | null; problems: Problem[] } {
  const { job, problems } = buildFineTuningJob({ ...options, method: "reinforcement", grader });
  return { job: job as RftJob | null, problems };
}
