// JSON Schemas of the fine-tuning API (GRADERS §9, AROUND-GRADERS §2): the POST
// /v1/fine_tuning/jobs body that graderkit writes, and the job, event and checkpoint objects and
// list envelopes the service returns. Hyperparameters are described once, as domains: the schema,
// the one-line message for a bad value and --help all come from the table below.

import { nearestMatch } from "../metrics/nearest.js";
import { pointerJoin } from "../util/json-pointer.js";
import type { Problem } from "./ajv.js";
import { graderDefinitions } from "./grader-schema.js";
import type { FineTuningMethodType } from "./fine-tuning-types.js";
import { isJsonObject } from "../util/json-object.js";

type Schema = Record<string, unknown>;

export const FINE_TUNING_METHODS: readonly FineTuningMethodType[] = ["supervised", "dpo", "reinforcement"];

export type HyperparameterDomain =
  | { kind: "integer" | "number"; min: number; minExclusive?: boolean; max?: number }
  | { kind: "choice"; values: readonly string[] };

/** Every hyperparameter's allowed values; numeric ones also take "auto" (GRADERS §9). */
export const HYPERPARAMETER_DOMAINS = {
  batch_size: { kind: "integer", min: 1, max: 256 },
  learning_rate_multiplier: { kind: "number", min: 0, minExclusive: true },
  n_epochs: { kind: "integer", min: 1, max: 50 },
  beta: { kind: "number", min: 0, minExclusive: true, max: 2 },
  compute_multiplier: { kind: "number", min: 0, minExclusive: true, max: 10 },
  eval_interval: { kind: "integer", min: 1 },
  eval_samples: { kind: "integer", min: 1 },
  reasoning_effort: { kind: "choice", values: ["default", "low", "medium", "high"] },
} as const satisfies Record<string, HyperparameterDomain>;

export type HyperparameterName = keyof typeof HYPERPARAMETER_DOMAINS;

/** Which hyperparameters each method takes. */
export const METHOD_HYPERPARAMETERS: Record<FineTuningMethodType, readonly HyperparameterName[]> = {
  supervised: ["batch_size", "learning_rate_multiplier", "n_epochs"],
  dpo: ["batch_size", "learning_rate_multiplier", "n_epochs", "beta"],
  reinforcement: ["batch_size", "learning_rate_multiplier", "n_epochs", "compute_multiplier", "eval_interval", "eval_samples", "reasoning_effort"],
};

function isHyperparameter(key: string): key is HyperparameterName {
  return Object.prototype.hasOwnProperty.call(HYPERPARAMETER_DOMAINS, key);
}

/** `an integer 1..50 or "auto"`, `a number in (0, 2] or "auto"`, `one of "default", "low", ...`. */
export function describeDomain(domain: HyperparameterDomain): string {
  if (domain.kind === "choice") return `one of ${domain.values.map((v) => JSON.stringify(v)).join(", ")}`;
  const kind = domain.kind === "integer" ? "an integer" : "a number";
  let range: string;
  if (domain.max === undefined) range = `${domain.minExclusive ? ">" : ">="} ${domain.min}`;
  else if (domain.kind === "integer" && !domain.minExclusive) range = `${domain.min}..${domain.max}`;
  else range = `in ${domain.minExclusive ? "(" : "["}${domain.min}, ${domain.max}]`;
  return `${kind} ${range} or "auto"`;
}

/** Whether a value (already coerced: numbers as numbers) lies in the domain. */
export function inDomain(domain: HyperparameterDomain, value: unknown): boolean {
  if (domain.kind === "choice") return typeof value === "string" && domain.values.includes(value);
  if (value === "auto") return true;
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (domain.kind === "integer" && !Number.isInteger(value)) return false;
  if (domain.minExclusive ? value <= domain.min : value < domain.min) return false;
  return domain.max === undefined || value <= domain.max;
}

/** Which methods take a hyperparameter (for "beta is a dpo hyperparameter"). */
export function methodsTaking(key: string): FineTuningMethodType[] {
  return FINE_TUNING_METHODS.filter((m) => (METHOD_HYPERPARAMETERS[m] as readonly string[]).includes(key));
}

/**
 * The one problem of a hyperparameter, or null: an unknown name (with the method it belongs to,
 * when it belongs to another) or a value outside its domain, in one message each.
 */
export function hyperparameterProblem(method: FineTuningMethodType, key: string, value: unknown, pointer: string): Problem | null {
  const allowed = METHOD_HYPERPARAMETERS[method] as readonly string[];
  if (!allowed.includes(key)) {
    const owners = methodsTaking(key);
    const hint = owners.length ? undefined : nearestMatch(key, allowed);
    const message = owners.length
      ? `${key} is a ${owners.join(" / ")} hyperparameter, not ${method}; ${method} takes ${allowed.join(", ")}`
      : `${key} is not a hyperparameter${hint ? ` (did you mean ${hint}?)` : ""}; ${method} takes ${allowed.join(", ")}`;
    return { pointer, message, code: owners.length ? "hyperparameter_of_other_method" : "unknown_field" };
  }
  const domain: HyperparameterDomain = HYPERPARAMETER_DOMAINS[key as HyperparameterName];
  if (inDomain(domain, value)) return null;
  return { pointer, message: `${key} must be ${describeDomain(domain)}, got ${JSON.stringify(value)}`, code: "invalid_hyperparameter" };
}

function domainSchema(domain: HyperparameterDomain): Schema {
  if (domain.kind === "choice") return { enum: [...domain.values] };
  const n: Schema = { type: domain.kind, [domain.minExclusive ? "exclusiveMinimum" : "minimum"]: domain.min };
  if (domain.max !== undefined) n.maximum = domain.max;
  return { anyOf: [{ const: "auto" }, n] };
}

const hyperparametersSchema = (method: FineTuningMethodType): Schema => ({
  type: "object",
  additionalProperties: false,
  properties: Object.fromEntries(METHOD_HYPERPARAMETERS[method].map((k) => [k, domainSchema(HYPERPARAMETER_DOMAINS[k])])),
});

// ---- the request body ----------------------------------------------------------------------

const str: Schema = { type: "string" };
const nonEmpty: Schema = { type: "string", minLength: 1 };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: "null" }] });

export const METADATA_LIMITS = { pairs: 16, keyLength: 64, valueLength: 512 } as const;
export const SUFFIX_MAX_LENGTH = 64;

const metadataSchema: Schema = nullable({
  type: "object",
  maxProperties: METADATA_LIMITS.pairs,
  propertyNames: { maxLength: METADATA_LIMITS.keyLength },
  additionalProperties: { type: "string", maxLength: METADATA_LIMITS.valueLength },
});

const wandbIntegrationSchema: Schema = {
  type: "object",
  required: ["type", "wandb"],
  additionalProperties: false,
  properties: {
    type: { const: "wandb" },
    wandb: {
      type: "object",
      required: ["project"],
      additionalProperties: false,
      properties: { project: nonEmpty, entity: nullable(str), name: nullable(str), tags: { type: "array", items: nonEmpty } },
    },
  },
};

const methodSchema: Schema = {
  type: "object",
  required: ["type"],
  additionalProperties: false,
  properties: {
    type: { enum: [...FINE_TUNING_METHODS] },
    supervised: { type: "object", additionalProperties: false, properties: { hyperparameters: hyperparametersSchema("supervised") } },
    dpo: { type: "object", additionalProperties: false, properties: { hyperparameters: hyperparametersSchema("dpo") } },
    reinforcement: {
      type: "object",
      required: ["grader"],
      additionalProperties: false,
      properties: {
        grader: { $ref: "#/definitions/grader" },
        hyperparameters: hyperparametersSchema("reinforcement"),
        response_format: { type: "object" },
      },
    },
  },
};

/** The POST /v1/fine_tuning/jobs body (the grader of a reinforcement job included). */
export const fineTuningJobSchema: Schema = {
  $id: "https://graderkit.dev/schema/fine-tuning-job.json",
  definitions: graderDefinitions,
  type: "object",
  required: ["model", "training_file"],
  additionalProperties: false,
  properties: {
    model: nonEmpty,
    training_file: nonEmpty,
    validation_file: nullable(nonEmpty),
    suffix: nullable({ type: "string", minLength: 1, maxLength: SUFFIX_MAX_LENGTH }),
    seed: nullable({ type: "integer" }),
    metadata: metadataSchema,
    integrations: nullable({ type: "array", items: wandbIntegrationSchema }),
    method: methodSchema,
    hyperparameters: hyperparametersSchema("supervised"),
  },
};

/**
 * Problems of a job body that ajv reports badly, rewritten in one message each: every complaint
 * about a hyperparameter (an anyOf of "auto" and a range gives two contradictory ones) becomes
 * its domain; a method block that does not match `method.type` is named.
 */
export function refineJobProblems(body: unknown, problems: readonly Problem[]): Problem[] {
  const method = isJsonObject(body) && isJsonObject(body.method) ? body.method : undefined;
  const blocks: Array<[FineTuningMethodType, unknown, string]> = [];
  if (method) for (const m of FINE_TUNING_METHODS) if (isJsonObject(method[m])) blocks.push([m, (method[m] as Schema).hyperparameters, pointerJoin("/method", m, "hyperparameters")]);
  if (isJsonObject(body) && body.hyperparameters !== undefined) blocks.push(["supervised", body.hyperparameters, "/hyperparameters"]);
  const replaced: string[] = [];
  const out: Problem[] = [];
  for (const [m, hp, base] of blocks) {
    if (!isJsonObject(hp)) continue;
    for (const [key, value] of Object.entries(hp)) {
      const pointer = pointerJoin(base, key);
      replaced.push(pointer);
      const p = hyperparameterProblem(m, key, value, pointer);
      if (p) out.push(p);
    }
  }
  if (method && typeof method.type === "string" && (FINE_TUNING_METHODS as readonly string[]).includes(method.type)) {
    for (const m of FINE_TUNING_METHODS) {
      if (m !== method.type && method[m] !== undefined) {
        out.push({ pointer: pointerJoin("/method", m), message: `method.type is '${method.type}' but the body configures '${m}'`, code: "method_mismatch" });
      }
    }
    if (method.type === "reinforcement" && method.reinforcement === undefined) {
      out.push({ pointer: "/method/reinforcement", message: "a reinforcement job needs method.reinforcement with its grader", code: "missing_required_field" });
    }
  }
  const kept = problems.filter((p) => !replaced.some((r) => p.pointer === r || p.pointer.startsWith(r + "/")));
  return [...kept, ...out];
}

// ---- the objects the service returns -------------------------------------------------------
// Open objects (additionalProperties allowed): the service adds fields over time and a client
// must not break on them.

const timestamp: Schema = { type: "integer", minimum: 0 };

export const fineTuningJobErrorSchema: Schema = {
  type: "object",
  required: ["code", "message", "param"],
  properties: { code: str, message: str, param: nullable(str) },
};

export const FINE_TUNING_JOB_STATUSES = ["validating_files", "queued", "running", "succeeded", "failed", "cancelled", "paused"] as const;

/** The `fine_tuning.job` object. */
export const fineTuningJobObjectSchema: Schema = {
  $id: "https://graderkit.dev/schema/fine-tuning-job-object.json",
  definitions: graderDefinitions,
  type: "object",
  required: ["id", "object", "created_at", "model", "status", "training_file"],
  properties: {
    id: nonEmpty,
    object: { const: "fine_tuning.job" },
    created_at: timestamp,
    error: nullable(fineTuningJobErrorSchema),
    fine_tuned_model: nullable(str),
    finished_at: nullable(timestamp),
    hyperparameters: { type: "object" },
    model: str,
    organization_id: str,
    result_files: { type: "array", items: str },
    seed: nullable({ type: "integer" }),
    status: { enum: [...FINE_TUNING_JOB_STATUSES] },
    trained_tokens: nullable({ type: "integer" }),
    training_file: str,
    validation_file: nullable(str),
    estimated_finish: nullable(timestamp),
    integrations: nullable({ type: "array", items: { type: "object" } }),
    metadata: nullable({ type: "object", additionalProperties: str }),
    method: { type: "object", required: ["type"], properties: { type: { enum: [...FINE_TUNING_METHODS] } } },
  },
};

/** The `fine_tuning.job.event` object. */
export const fineTuningJobEventSchema: Schema = {
  $id: "https://graderkit.dev/schema/fine-tuning-job-event.json",
  type: "object",
  required: ["id", "object", "created_at", "level", "message"],
  properties: {
    id: nonEmpty,
    object: { const: "fine_tuning.job.event" },
    created_at: timestamp,
    level: { enum: ["info", "warn", "error"] },
    message: str,
    type: { enum: ["message", "metrics"] },
    data: {},
  },
};

const metricsSchema: Schema = { type: "object", additionalProperties: { type: "number" } };

/** The `fine_tuning.job.checkpoint` object. */
export const fineTuningJobCheckpointSchema: Schema = {
  $id: "https://graderkit.dev/schema/fine-tuning-job-checkpoint.json",
  type: "object",
  required: ["id", "object", "created_at", "fine_tuned_model_checkpoint", "fine_tuning_job_id", "step_number", "metrics"],
  properties: {
    id: nonEmpty,
    object: { const: "fine_tuning.job.checkpoint" },
    created_at: timestamp,
    fine_tuned_model_checkpoint: str,
    fine_tuning_job_id: str,
    step_number: { type: "integer", minimum: 0 },
    metrics: metricsSchema,
  },
};

/** A list envelope of items matching `item`; `ids` adds the checkpoint lists' first_id / last_id. */
function listSchema(id: string, item: Schema, ids: boolean): Schema {
  const { $id: _ignored, definitions, ...itemSchema } = item;
  return {
    $id: `https://graderkit.dev/schema/${id}.json`,
    ...(definitions ? { definitions } : {}),
    type: "object",
    required: ["object", "data", "has_more", ...(ids ? ["first_id", "last_id"] : [])],
    properties: {
      object: { const: "list" },
      data: { type: "array", items: itemSchema },
      has_more: { type: "boolean" },
      ...(ids ? { first_id: nullable(str), last_id: nullable(str) } : {}),
    },
  };
}

export const fineTuningJobListSchema = listSchema("fine-tuning-job-list", fineTuningJobObjectSchema, false);
export const fineTuningJobEventListSchema = listSchema("fine-tuning-job-event-list", fineTuningJobEventSchema, false);
export const fineTuningJobCheckpointListSchema = listSchema("fine-tuning-job-checkpoint-list", fineTuningJobCheckpointSchema, true);
