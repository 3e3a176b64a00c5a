import { describe, expect, it } from "vitest";
import { gradeSample } from "../src/graders/grade-sample.js";
import { ERROR_FLAGS } from "../src/core/response.js";
import type { StringCheckOperation } from "../src/schema/types.js";

const grader = (operation: StringCheckOperation) => ({
  type: "string_check" as const,
  name: "check",
  input: "{{ sample.output_text }}",
  reference: "{{ item.ref }}",
  operation,
});

async function reward(operation: StringCheckOperation, input: string, ref: string) {
  const res = await gradeSample(grader(operation), { model_sample: input, item: { ref } });
  return res.reward;
}

describe("string_check", () => {
  const table: Array<[StringCheckOperation, string, string, number]> = [
    ["eq", "Paris", "Paris", 1],
    ["eq", "Paris", "paris", 0],
    ["eq", "Paris ", "Paris", 0], // no trimming
    ["eq", "", "", 1],
    ["eq", "é", "e\u0301", 0], // no Unicode normalization
    ["ne", "Paris", "paris", 1],
    ["ne", "Paris", "Paris", 0],
    ["ne", "", "", 0],
    ["like", "The capital is Paris.", "Paris", 1],
    ["like", "The capital is paris.", "Paris", 0], // case-sensitive
    ["like", "abc", "a%c", 0], // not SQL wildcards
    ["like", "a%c", "a%c", 1],
    ["like", "anything", "", 1], // the empty string is in every string
    ["like", "", "x", 0],
    ["ilike", "The capital is PARIS.", "paris", 1],
    ["ilike", "STRASSE", "straße", 0], // lower-casing, not case folding: ß stays ß
    ["ilike", "ΣΊΣΥΦΟΣ", "σίσυφος", 1], // final sigma: full Unicode lower-casing
    ["ilike", "İstanbul", "i̇stanbul", 1], // İ lower-cases to i + combining dot
    ["ilike", "ÉCOLE", "école", 1],
    ["ilike", "abc", "A_C", 0],
    ["ilike", "", "", 1],
  ];
  for (const [op, input, ref, expected] of table) {
    it(`${op}(${JSON.stringify(input)}, ${JSON.stringify(ref)}) = ${expected}`, async () => {
      expect(await reward(op, input, ref)).toBe(expected);
    });
  }

  it("returns the full graders/run shape with all 14 error keys", async () => {
    const res = await gradeSample(grader("eq"), { model_sample: "Paris", item: { ref: "Paris" } });
    expect(Object.keys(res.metadata.errors).sort()).toEqual(
      [...ERROR_FLAGS, "python_grader_server_error_type", "python_grader_runtime_error_details", "model_grader_server_error_details"].sort(),
    );
    expect(Object.keys(res.metadata.errors)).toHaveLength(14);
    expect(res).toMatchObject({ reward: 1, metadata: { name: "check", type: "string_check", scores: {}, token_usage: null, sampled_model_name: null }, sub_rewards: {}, model_grader_token_usage_per_model: {} });
    expect(typeof res.metadata.execution_time).toBe("number");
    expect(res.error).toBeUndefined();
  });

  it("a missing template variable gives reward 0 and invalid_variable_error", async () => {
    const res = await gradeSample(grader("eq"), { model_sample: "Paris", item: {} });
    expect(res.reward).toBe(0);
    expect(res.metadata.errors.invalid_variable_error).toBe(true);
    expect(res.error).toEqual({ flag: "invalid_variable_error", message: expect.stringContaining("{{ item.ref }}"), path: "/reference" });
  });

  it("a sample object can be graded on output_json and output_tools", async () => {
    const g = { type: "string_check" as const, name: "tool", input: "{{ sample.output_tools[0].function.name }}", reference: "get_weather", operation: "eq" as const };
    const sample = { output_text: "", output_tools: [{ id: "c", type: "function", function: { name: "get_weather", arguments: "{}" } }] };
    expect((await gradeSample(g, { sample })).reward).toBe(1);
  });

  it("model_sample fills output_json for a JSON object or array, not for a bare scalar", async () => {
    const g = { type: "string_check" as const, name: "j", input: "{{ sample.output_json }}", reference: "x", operation: "ne" as const };
    expect((await gradeSample(g, { model_sample: "[1, 2]" })).metadata.errors.invalid_variable_error).toBe(false);
    expect((await gradeSample(g, { model_sample: "42" })).metadata.errors.invalid_variable_error).toBe(true);
    expect((await gradeSample(g, { model_sample: '"quoted"' })).metadata.errors.invalid_variable_error).toBe(true);
  });

  it("model_sample fills output_json when it parses as JSON", async () => {
    const g = { type: "string_check" as const, name: "j", input: "{{ sample.output_json.answer }}", reference: "{{ item.ref }}", operation: "eq" as const };
    expect((await gradeSample(g, { model_sample: '{"answer": "Paris"}', item: { ref: "Paris" } })).reward).toBe(1);
    const notJson = await gradeSample(g, { model_sample: "Paris", item: { ref: "Paris" } });
    expect(notJson.metadata.errors.invalid_variable_error).toBe(true);
  });
});
