// JSON Schema (draft-07, checked with ajv) of the grader JSON (spec §1); the fine-tuning job
// schemas that embed it are in fine-tuning.ts. Structural rules live here; rules that need code
// (templates, formulas, label subsets, where a type is allowed) live in validate.ts.

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

/** The grader definitions, shared with the fine-tuning job schemas (src/schema/fine-tuning.ts). */
export const graderDefinitions: Schema = {
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
  definitions: graderDefinitions,
  $ref: "#/definitions/grader",
};
