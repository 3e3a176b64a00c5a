// JSON Schema (draft-07, checked with ajv) of a test suite file and of one case (a line of a
// JSONL cases file). Structure lives here; rules that need code (sample xor model_sample,
// sub-reward keys that name the multi's children, a pass threshold for `passed`) live in
// load-suite.ts. An inline grader is checked by the grader validator, which also normalises it.

import { ERROR_FLAGS } from "../core/response.js";
import { graderSchema } from "../schema/grader-schema.js";

type Schema = Record<string, unknown>;

const number: Schema = { type: "number" };
const object = (properties: Schema, extra: Schema = {}): Schema => ({ type: "object", additionalProperties: false, properties, ...extra });

const bounds = object({ min: number, max: number }, { minProperties: 1 });

export const expectationSchema: Schema = object({
  reward: number,
  tolerance: { type: "number", minimum: 0 },
  reward_min: number,
  reward_max: number,
  sub_rewards: { type: "object", additionalProperties: { anyOf: [number, bounds] } },
  errors: { type: "array", uniqueItems: true, items: { enum: [...ERROR_FLAGS] } },
  error_message_includes: { type: "string", minLength: 1 },
  passed: { type: "boolean" },
});

const caseObject: Schema = object(
  {
    name: { type: "string", minLength: 1 },
    id: { type: ["string", "number"] },
    item: { type: "object" },
    sample: { type: "object" },
    model_sample: { type: "string" },
    expect: { $ref: "#/definitions/expectation" },
  },
  { required: ["expect"] },
);

/** One case: a sample (or a run-API model_sample string), its item, and what to expect. */
export const caseSchema: Schema = {
  $id: "https://graderkit.dev/schema/test-case.json",
  definitions: { expectation: expectationSchema },
  ...caseObject,
};

/** A suite file: a grader (a path relative to the suite file, or inline) and its cases. */
export const suiteSchema: Schema = {
  $id: "https://graderkit.dev/schema/test-suite.json",
  definitions: {
    ...(graderSchema.definitions as Schema),
    expectation: expectationSchema,
    case: caseObject,
  },
  ...object(
    {
      $schema: { type: "string" },
      name: { type: "string", minLength: 1 },
      description: { type: "string" },
      grader: { anyOf: [{ type: "string", minLength: 1 }, { $ref: "#/definitions/grader" }] },
      pass_threshold: number,
      cases: { type: "array", minItems: 1, items: { $ref: "#/definitions/case" } },
    },
    { required: ["grader", "cases"] },
  ),
};
