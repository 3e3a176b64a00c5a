// JSON Schemas (draft-07, checked with ajv) of the documents `graderkit eval` reads: an eval as
// the API returned it or as it was created, and an exported run (or run-create body). Each
// testing criterion is a grader: its schema is the grader schema's (validate.ts checks it with
// validateGrader, target evals), so here a criterion is only "an object with a type".

import { contentItemSchema, messageSchema } from "../schema/grader-schema.js";

type Schema = Record<string, unknown>;

const str: Schema = { type: "string" };
const nonEmpty: Schema = { type: "string", minLength: 1 };
const object: Schema = { type: "object" };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: "null" }] });

/** Keys of an eval document graderkit reads; others are reported as ignored (warnings). */
export const EVAL_KEYS = ["object", "id", "name", "created_at", "metadata", "data_source_config", "testing_criteria", "share_with_openai"] as const;

const config = (type: string, properties: Schema): Schema => ({
  type: "object",
  required: ["type"],
  additionalProperties: false,
  properties: { type: { const: type }, ...properties },
});

export const evalDocumentSchema: Schema = {
  $id: "https://graderkit.dev/schema/eval.json",
  type: "object",
  required: ["data_source_config", "testing_criteria"],
  properties: {
    object: { const: "eval" },
    id: nonEmpty,
    name: nullable(str),
    created_at: { type: "number" },
    metadata: nullable(object),
    data_source_config: {
      type: "object",
      required: ["type"],
      discriminator: { propertyName: "type" },
      oneOf: [
        // Created: item_schema (+ include_sample_schema); retrieved: schema. validate.ts wants exactly one.
        config("custom", { item_schema: object, include_sample_schema: { type: "boolean" }, schema: object }),
        config("logs", { metadata: nullable(object), schema: object }),
        config("stored_completions", { metadata: nullable(object), schema: object }),
      ],
    },
    testing_criteria: {
      type: "array",
      minItems: 1,
      items: { type: "object", required: ["type"], properties: { type: str } },
    },
  },
};

const samplingParams: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    // The SDK types spell it max_completion_tokens; the API reference's examples (and the
    // grader JSON) max_completions_tokens. Both are read.
    max_completion_tokens: nullable({ type: "integer", minimum: 1 }),
    max_completions_tokens: nullable({ type: "integer", minimum: 1 }),
    seed: nullable({ type: "integer" }),
    temperature: nullable({ type: "number" }),
    top_p: nullable({ type: "number" }),
    reasoning_effort: nullable({ enum: ["none", "minimal", "low", "medium", "high", "xhigh", "max"] }),
    // Completions: response_format; responses: text.format. validate.ts maps json_schema and text.
    response_format: nullable({ type: "object", required: ["type"], properties: { type: { enum: ["text", "json_schema", "json_object"] } } }),
    text: nullable({ type: "object", properties: { format: nullable({ type: "object", required: ["type"], properties: { type: { enum: ["text", "json_schema", "json_object"] } } }) } }),
    tools: nullable({ type: "array" }),
  },
};

const source: Schema = {
  type: "object",
  required: ["type"],
  discriminator: { propertyName: "type" },
  oneOf: [
    {
      type: "object",
      required: ["type", "content"],
      additionalProperties: false,
      properties: {
        type: { const: "file_content" },
        content: { type: "array", items: { type: "object", required: ["item"], properties: { item: object, sample: object } } },
      },
    },
    { type: "object", required: ["type", "id"], additionalProperties: false, properties: { type: { const: "file_id" }, id: nonEmpty } },
    // Queries against hosted logs: accepted as documents, refused when run (nothing to replay).
    { type: "object", required: ["type"], properties: { type: { const: "stored_completions" } } },
    { type: "object", required: ["type"], properties: { type: { const: "responses" } } },
  ],
};

const inputMessages: Schema = {
  type: "object",
  required: ["type"],
  discriminator: { propertyName: "type" },
  oneOf: [
    {
      type: "object",
      required: ["type", "template"],
      additionalProperties: false,
      properties: { type: { const: "template" }, template: { type: "array", minItems: 1, items: { $ref: "#/definitions/message" } } },
    },
    {
      type: "object",
      required: ["type", "item_reference"],
      additionalProperties: false,
      properties: { type: { const: "item_reference" }, item_reference: nonEmpty },
    },
  ],
};

const sampled = (type: string): Schema => ({
  type: "object",
  required: ["type", "source"],
  additionalProperties: false,
  properties: {
    type: { const: type },
    source: { $ref: "#/definitions/source" },
    input_messages: { $ref: "#/definitions/input_messages" },
    model: nullable(str),
    sampling_params: nullable({ $ref: "#/definitions/sampling_params" }),
  },
});

/** Keys of a run document graderkit reads; the others (status, result_counts, ...) are the hosted run's results and are ignored. */
export const RUN_KEYS = ["object", "id", "eval_id", "name", "model", "metadata", "data_source"] as const;

export const runDocumentSchema: Schema = {
  $id: "https://graderkit.dev/schema/eval-run.json",
  definitions: {
    content_item: contentItemSchema,
    message: messageSchema,
    sampling_params: samplingParams,
    source,
    input_messages: inputMessages,
  },
  type: "object",
  required: ["data_source"],
  properties: {
    object: { const: "eval.run" },
    id: nonEmpty,
    eval_id: nonEmpty,
    name: nullable(str),
    model: nullable(str),
    metadata: nullable(object),
    data_source: {
      type: "object",
      required: ["type"],
      discriminator: { propertyName: "type" },
      oneOf: [
        { type: "object", required: ["type", "source"], additionalProperties: false, properties: { type: { const: "jsonl" }, source: { $ref: "#/definitions/source" } } },
        sampled("completions"),
        sampled("responses"),
      ],
    },
  },
};
