// The TypeScript types (src/schema/types.ts) and the JSON Schema (src/schema/grader-schema.ts)
// describe the same graders. Each list below is checked twice: by the compiler against the
// type (npm test type-checks the tests: `Same<…>` fails to compile when they drift) and at
// run time against the schema.

import { describe, expect, it } from "vitest";
import { contentItemSchema, leafGraderSchemas, messageSchema, multiGraderSchema, samplingParamsSchema } from "../src/schema/grader-schema.js";
import { EVALUATION_METRICS } from "../src/metrics/names.js";
import {
  type GraderMessage,
  type LabelModelGrader,
  type MultiGrader,
  type PythonGrader,
  type ReasoningEffort,
  type SamplingParams,
  type ScoreModelGrader,
  type StringCheckGrader,
  type StringCheckOperation,
  type TextSimilarityGrader,
} from "../src/schema/types.js";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
const same = <A, B>(ok: Same<A, B>) => ok;

type Schema = { required?: string[]; properties: Record<string, { enum?: unknown[]; anyOf?: Array<{ enum?: unknown[] }> }> };
const sorted = (xs: readonly string[]) => [...xs].sort();

function agree<T>(schema: unknown, all: readonly (keyof T & string)[], required: readonly (keyof T & string)[]) {
  const s = schema as Schema;
  expect(sorted(Object.keys(s.properties))).toEqual(sorted(all));
  expect(sorted(s.required ?? [])).toEqual(sorted(required));
}

describe("TypeScript types agree with the JSON Schema", () => {
  it("string_check", () => {
    const all = ["type", "name", "input", "reference", "operation"] as const;
    const req = all;
    same<(typeof all)[number], keyof StringCheckGrader>(true);
    same<(typeof req)[number], RequiredKeys<StringCheckGrader>>(true);
    agree<StringCheckGrader>(leafGraderSchemas.string_check, all, req);
    const ops = ["eq", "ne", "like", "ilike"] as const;
    same<(typeof ops)[number], StringCheckOperation>(true);
    expect((leafGraderSchemas.string_check as Schema).properties.operation.enum).toEqual(ops);
  });
  it("text_similarity", () => {
    const all = ["type", "name", "input", "reference", "evaluation_metric", "pass_threshold"] as const;
    const req = ["type", "name", "input", "reference", "evaluation_metric"] as const;
    same<(typeof all)[number], keyof TextSimilarityGrader>(true);
    same<(typeof req)[number], RequiredKeys<TextSimilarityGrader>>(true);
    agree<TextSimilarityGrader>(leafGraderSchemas.text_similarity, all, req);
    expect((leafGraderSchemas.text_similarity as Schema).properties.evaluation_metric.enum).toEqual([...EVALUATION_METRICS]);
  });
  it("python", () => {
    const all = ["type", "name", "source", "image_tag", "pass_threshold"] as const;
    const req = ["type", "name", "source"] as const;
    same<(typeof all)[number], keyof PythonGrader>(true);
    same<(typeof req)[number], RequiredKeys<PythonGrader>>(true);
    agree<PythonGrader>(leafGraderSchemas.python, all, req);
  });
  it("score_model", () => {
    const all = ["type", "name", "model", "input", "range", "sampling_params", "pass_threshold"] as const;
    const req = ["type", "name", "model", "input"] as const;
    same<(typeof all)[number], keyof ScoreModelGrader>(true);
    same<(typeof req)[number], RequiredKeys<ScoreModelGrader>>(true);
    agree<ScoreModelGrader>(leafGraderSchemas.score_model, all, req);
  });
  it("label_model", () => {
    const all = ["type", "name", "model", "input", "labels", "passing_labels"] as const;
    same<(typeof all)[number], keyof LabelModelGrader>(true);
    same<(typeof all)[number], RequiredKeys<LabelModelGrader>>(true);
    agree<LabelModelGrader>(leafGraderSchemas.label_model, all, all);
  });
  it("multi", () => {
    const all = ["type", "name", "graders", "calculate_output"] as const;
    same<(typeof all)[number], keyof MultiGrader>(true);
    same<(typeof all)[number], RequiredKeys<MultiGrader>>(true);
    agree<MultiGrader>(multiGraderSchema, all, all);
  });
  it("messages, content items and sampling params", () => {
    const msg = ["role", "type", "content"] as const;
    same<(typeof msg)[number], keyof GraderMessage>(true);
    agree<GraderMessage>(messageSchema, msg, ["role", "content"]);
    const roles = ["user", "assistant", "system", "developer"] as const;
    same<(typeof roles)[number], GraderMessage["role"]>(true);
    expect((messageSchema as Schema).properties.role.enum).toEqual(roles);
    const sp = ["seed", "top_p", "temperature", "max_completions_tokens", "reasoning_effort"] as const;
    same<(typeof sp)[number], keyof SamplingParams>(true);
    agree<SamplingParams>(samplingParamsSchema, sp, []);
    const efforts = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;
    same<(typeof efforts)[number], ReasoningEffort>(true);
    expect((samplingParamsSchema as Schema).properties.reasoning_effort.anyOf?.[0].enum).toEqual(efforts);
    const itemTypes = (contentItemSchema as { oneOf: Array<{ properties: { type: { const: string } } }> }).oneOf.map((o) => o.properties.type.const);
    type ItemType = Exclude<GraderMessage["content"], string | unknown[]>["type"];
    const expected = ["input_text", "output_text", "input_image", "input_audio"] as const;
    same<(typeof expected)[number], ItemType>(true);
    expect(itemTypes).toEqual(expected);
  });
});
