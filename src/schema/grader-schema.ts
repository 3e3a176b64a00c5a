// JSON Schema (draft-07, checked with ajv) of the grader JSON (spec §1) and of the fine-tuning
// job payload (spec §9). Structural rules live here; rules that need code (templates, formulas,
// label subsets, where a type is allowed) live in validate.ts.

import { EVALUATION_METRICS } from "../metrics/names.js";

type Schema = Record<string, unknown>;

const str: Schema = { type: "string" };
const nonEmpty: Schema = { type: "string", minLength: 1 };

const textItem = (type: string): Schema => ({
  type: "object",
  required: ["type", "text"],
  additionalProperties: false,
  properties: { type: { const: type }, text: str },
});

export const contentItemSchema: Schema = {
  type: "object",
  required: ["type"],
  discriminator: { propertyName: "type" },
  oneOf: [
    textItem("input_text"),
    textItem("output_text"),
    {
      type: "object",
      required: ["type", "image_url"],
      additionalProperties: false,
      properties: {
        type: { const: "input_image" },
        image_url: str,
        detail: { enum: ["high", "low", "auto"] },
      },
    },
    {
      type: "object",
      required: ["type", "input_audio"],
      additionalProperties: false,
      properties: {
        type: { const: "input_audio" },
        input_audio: {
          type: "object",
          required: ["data", "format"],
          additionalProperties: false,
          properties: { data: str, format: { enum: ["mp3", "wav"] } },
        },
      },
    },
  ],
};

export const messageSchema: Schema = {
  type: "object",
  required: ["role", "content"],
  additionalProperties: false,
  properties: {
    role: { enum: ["user", "assistant", "system", "developer"] },
    type: { const: "message" },
    content: {
      anyOf: [str, { $ref: "#/definitions/content_item" }, { type: "array", items: { $ref: "#/definitions/content_item" } }],
    },
  },
};

const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: "null" }] });

export const samplingParamsSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    seed: nullable({ type: "integer" }),
    top_p: nullable({ type: "number" }),
    temperature: nullable({ type: "number" }),
    max_completions_tokens: nullable({ type: "integer", minimum: 1 }),
    reasoning_effort: nullable({ enum: ["none", "minimal", "low", "medium", "high", "xhigh", "max"] }),
  },
};

const graderBase = (type: string, required: string[], properties: Schema): Schema => ({
  type: "object",
  required: ["type", "name", ...required],
  additionalProperties: false,
  properties: { type: { const: type }, name: nonEmpty, ...properties },
});

export const leafGraderSchemas: Record<string, Schema> = {
  string_check: graderBase("string_check", ["input", "reference", "operation"], {
    input: str,
    reference: str,
    operation: { enum: ["eq", "ne", "like", "ilike"] },
  }),
  text_similarity: graderBase("text_similarity", ["input", "reference", "evaluation_metric"], {
    input: str,
    reference: str,
    evaluation_metric: { enum: [...EVALUATION_METRICS] },
    pass_threshold: { type: "number" },
  }),
  python: graderBase("python", ["source"], {
    source: str,
    image_tag: str,
    pass_threshold: { type: "number" },
  }),
  score_model: graderBase("score_model", ["model", "input"], {
    model: nonEmpty,
    input: { type: "array", minItems: 1, items: { $ref: "#/definitions/message" } },
    range: { type: "array", minItems: 2, maxItems: 2, items: { type: "number" } },
    sampling_params: nullable({ $ref: "#/definitions/sampling_params" }),
    pass_threshold: { type: "number" },
  }),
  label_model: graderBase("label_model", ["model", "input", "labels", "passing_labels"], {
    model: nonEmpty,
    input: { type: "array", minItems: 1, items: { $ref: "#/definitions/message" } },
    labels: { type: "array", minItems: 1, items: nonEmpty },
    passing_labels: { type: "array", minItems: 1, items: nonEmpty },
  }),
};

const leafRefs = Object.keys(leafGraderSchemas).map((t) => ({ $ref: `#/definitions/${t}` }));

export const multiGraderSchema: Schema = graderBase("multi", ["graders", "calculate_output"], {
  graders: {
    type: "object",
    minProperties: 1,
    propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
    additionalProperties: { $ref: "#/definitions/leaf_grader" },
  },
  calculate_output: nonEmpty,
});

const definitions: Schema = {
  content_item: contentItemSchema,
  message: messageSchema,
  sampling_params: samplingParamsSchema,
  ...leafGraderSchemas,
  multi: multiGraderSchema,
  leaf_grader: { type: "object", required: ["type"], discriminator: { propertyName: "type" }, oneOf: leafRefs },
  grader: {
    type: "object",
    required: ["type"],
    discriminator: { propertyName: "type" },
    oneOf: [...leafRefs, { $ref: "#/definitions/multi" }],
  },
};

/** A grader of any type (multi normalized to its map form). */
export const graderSchema: Schema = {
  $id: "https://graderkit.dev/schema/grader.json",
  definitions,
  $ref: "#/definitions/grader",
};

// ---- fine-tuning job payload (spec §9) -----------------------------------------------------

const auto = { const: "auto" };
const autoOr = (s: Schema): Schema => ({ anyOf: [auto, s] });

export const HYPERPARAMETER_SCHEMAS: Record<string, Schema> = {
  batch_size: autoOr({ type: "integer", minimum: 1, maximum: 256 }),
  learning_rate_multiplier: autoOr({ type: "number", exclusiveMinimum: 0 }),
  n_epochs: autoOr({ type: "integer", minimum: 1, maximum: 50 }),
  beta: autoOr({ type: "number", exclusiveMinimum: 0, maximum: 2 }),
  compute_multiplier: autoOr({ type: "number", exclusiveMinimum: 0, maximum: 10 }),
  eval_interval: autoOr({ type: "integer", minimum: 1 }),
  eval_samples: autoOr({ type: "integer", minimum: 1 }),
  reasoning_effort: { enum: ["default", "low", "medium", "high"] },
};

/** Which hyperparameters each method takes. */
export const METHOD_HYPERPARAMETERS: Record<"supervised" | "dpo" | "reinforcement", string[]> = {
  supervised: ["batch_size", "learning_rate_multiplier", "n_epochs"],
  dpo: ["batch_size", "learning_rate_multiplier", "n_epochs", "beta"],
  reinforcement: [
    "batch_size",
    "learning_rate_multiplier",
    "n_epochs",
    "compute_multiplier",
    "eval_interval",
    "eval_samples",
    "reasoning_effort",
  ],
};

const hyperparameters = (method: keyof typeof METHOD_HYPERPARAMETERS): Schema => ({
  type: "object",
  additionalProperties: false,
  properties: Object.fromEntries(METHOD_HYPERPARAMETERS[method].map((k) => [k, HYPERPARAMETER_SCHEMAS[k]])),
});

export const fineTuningJobSchema: Schema = {
  $id: "https://graderkit.dev/schema/fine-tuning-job.json",
  definitions: { ...definitions },
  type: "object",
  required: ["model", "training_file", "method"],
  additionalProperties: false,
  properties: {
    model: nonEmpty,
    training_file: nonEmpty,
    validation_file: nonEmpty,
    suffix: { type: "string", minLength: 1, maxLength: 64 },
    seed: { type: "integer" },
    metadata: {
      type: "object",
      maxProperties: 16,
      propertyNames: { maxLength: 64 },
      additionalProperties: { type: "string", maxLength: 512 },
    },
    method: {
      type: "object",
      required: ["type"],
      additionalProperties: false,
      properties: {
        type: { enum: ["supervised", "dpo", "reinforcement"] },
        supervised: { type: "object", additionalProperties: false, properties: { hyperparameters: hyperparameters("supervised") } },
        dpo: { type: "object", additionalProperties: false, properties: { hyperparameters: hyperparameters("dpo") } },
        reinforcement: {
          type: "object",
          required: ["grader"],
          additionalProperties: false,
          properties: {
            grader: { $ref: "#/definitions/grader" },
            hyperparameters: hyperparameters("reinforcement"),
            response_format: { type: "object" },
          },
        },
      },
    },
  },
};
