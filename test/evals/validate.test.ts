// Eval and run documents: both forms of an eval (as retrieved, as created), every config type,
// and problems with JSON pointers into the document they came from.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkEval } from "../../src/evals/validate-eval.js";
import { checkRun } from "../../src/evals/validate-run.js";
import { ROOT } from "../helpers/cli.js";

const example = JSON.parse(readFileSync(`${ROOT}/graders/evals/capitals.eval.json`, "utf8"));
const exampleRun = JSON.parse(readFileSync(`${ROOT}/graders/evals/capitals.run.json`, "utf8"));

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };
const created = (criteria: unknown[], config: Record<string, unknown> = {}) => ({
  name: "created",
  data_source_config: { type: "custom", item_schema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] }, include_sample_schema: true, ...config },
  testing_criteria: criteria,
});
const pointers = (r: { problems: Array<{ pointer: string }> }) => r.problems.map((p) => p.pointer);

describe("checkEval", () => {
  it("reads an eval as retrieved: the item schema inside `schema`, criteria named by their hosted ids", () => {
    const r = checkEval(example);
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    const def = r.eval!;
    expect(def.id).toBe("eval_68a1c0ffee5e4b1c9d2e3f4a5b6c7d8e");
    expect(def.itemSchema).toEqual(example.data_source_config.schema.properties.item);
    expect(def.includeSampleSchema).toBe(true);
    expect(def.criteria.map((c) => [c.name, c.resultName, c.passThreshold])).toEqual([
      ["mentions-capital", "mentions-capital-5b1e7c0a-3f2d-4c7e-9a41-2d9f0c6b8e13", null],
      ["close-to-answer", "close-to-answer-0c4d2a7e-81b5-4f3a-b6d9-7e2f1a0c5d44", 0.8],
      ["concise", "concise-9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", 1],
    ]);
    // The hosted id names the criterion; it is not part of the grader.
    expect(def.criteria[0]!.grader).not.toHaveProperty("id");
  });

  it("reads an eval as created (item_schema, include_sample_schema) and gives it a deterministic local id", () => {
    const a = checkEval(created([exact]));
    expect(a.ok).toBe(true);
    expect(a.eval!.itemSchema).toEqual({ type: "object", properties: { answer: { type: "string" } }, required: ["answer"] });
    expect(a.eval!.id).toMatch(/^eval_local_[0-9a-f]{24}$/);
    expect(checkEval(created([exact])).eval!.id).toBe(a.eval!.id);
    expect(checkEval(created([{ ...exact, operation: "ne" }])).eval!.id).not.toBe(a.eval!.id);
  });

  it("takes logs and stored_completions configs, with or without a schema", () => {
    for (const type of ["logs", "stored_completions"]) {
      const r = checkEval({ data_source_config: { type, metadata: { usecase: "chatbot" } }, testing_criteria: [exact] });
      expect(r.problems).toEqual([]);
      expect(r.eval).toMatchObject({ configType: type, itemSchema: null, includeSampleSchema: true });
      const withSchema = checkEval({ data_source_config: { type, schema: { type: "object", properties: { item: { type: "object", required: ["q"] }, sample: { type: "object" } } } }, testing_criteria: [exact] });
      expect(withSchema.eval!.itemSchema).toEqual({ type: "object", required: ["q"] });
    }
  });

  it("reports criteria problems with pointers into the eval document", () => {
    const r = checkEval(
      created([
        exact,
        { ...exact, name: "bad-op", operation: "equals" },
        { type: "text_similarity", name: "sim", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "bleu" },
        { ...exact, name: "threshold", pass_threshold: 1 },
        { type: "score_model", name: "judge", model: "m", input: [{ role: "user", content: "{{ item.answer" }], range: [5, 1] },
      ]),
    );
    expect(r.ok).toBe(false);
    expect(r.eval).toBeNull();
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: "/testing_criteria/1/operation", message: 'must be one of "eq", "ne", "like", "ilike"' }),
        expect.objectContaining({ pointer: "/testing_criteria/2/pass_threshold", message: "evals require 'pass_threshold' on text_similarity" }),
        expect.objectContaining({ pointer: "/testing_criteria/3/pass_threshold", message: "unknown field 'pass_threshold'" }),
        expect.objectContaining({ pointer: "/testing_criteria/4/range" }),
      ]),
    );
    expect(pointers(r)).not.toContain("/testing_criteria/0");
    // An unclosed placeholder is plain text (a warning), with the criterion's pointer.
    expect(r.warnings.map((w) => w.pointer)).toContain("/testing_criteria/4/input/0/content");
  });

  it("refuses multi and unknown criterion types, with a hint for a typo", () => {
    const multi = { type: "multi", name: "m", graders: { a: exact }, calculate_output: "a" };
    const r = checkEval(created([multi, { ...exact, type: "string_chek" }]));
    expect(r.problems).toEqual([
      expect.objectContaining({ pointer: "/testing_criteria/0/type", message: expect.stringContaining("'multi' is not an eval testing criterion") }),
      expect.objectContaining({ pointer: "/testing_criteria/1/type", message: expect.stringContaining("did you mean 'string_check'?") }),
    ]);
  });

  it("refuses two criteria that results could not tell apart", () => {
    const r = checkEval(created([exact, { ...exact, operation: "ne" }]));
    expect(r.problems).toEqual([expect.objectContaining({ pointer: "/testing_criteria/1/name", code: "duplicate_name" })]);
    // Distinct hosted ids are enough.
    expect(checkEval(created([{ ...exact, id: "exact-1" }, { ...exact, id: "exact-2", operation: "ne" }])).ok).toBe(true);
  });

  it("checks the data source config: exactly one item schema, a usable one", () => {
    const both = checkEval({ data_source_config: { type: "custom", item_schema: {}, schema: {} }, testing_criteria: [exact] });
    expect(both.problems).toEqual([expect.objectContaining({ pointer: "/data_source_config", code: "conflicting_fields" })]);
    const none = checkEval({ data_source_config: { type: "custom" }, testing_criteria: [exact] });
    expect(none.problems).toEqual([expect.objectContaining({ pointer: "/data_source_config/item_schema", code: "missing_required_field" })]);
    const unusable = checkEval(created([exact], { item_schema: { type: "object", properties: { a: { type: "strin" } } } }));
    expect(unusable.problems).toEqual([expect.objectContaining({ pointer: "/data_source_config/item_schema", code: "invalid_item_schema" })]);
    const badType = checkEval({ data_source_config: { type: "files" }, testing_criteria: [exact] });
    expect(pointers(badType)).toEqual(["/data_source_config/type"]);
    // An item schema with an $id can be checked again (a fresh document each time).
    const withId = () => created([exact], { item_schema: { $id: "https://example.com/item.json", type: "object" } });
    expect([checkEval(withId()).ok, checkEval(withId()).ok]).toEqual([true, true]);
    // A declared dialect does not stop the check (items are checked as draft-07).
    expect(checkEval(created([exact], { item_schema: { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" } })).ok).toBe(true);
  });

  it("needs criteria, warns about fields it ignores", () => {
    expect(pointers(checkEval({ data_source_config: { type: "logs" }, testing_criteria: [] }))).toEqual(["/testing_criteria"]);
    expect(pointers(checkEval({ data_source_config: { type: "logs" } }))).toEqual(["/testing_criteria"]);
    expect(checkEval([]).problems).toEqual([expect.objectContaining({ pointer: "", message: "an eval must be a JSON object" })]);
    const r = checkEval({ ...created([exact]), owner: "me" });
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([expect.objectContaining({ pointer: "/owner", message: "unknown field 'owner' (ignored)" })]);
  });
});

describe("checkRun", () => {
  const run = (dataSource: Record<string, unknown>) => ({ data_source: dataSource });
  const completions = (extra: Record<string, unknown> = {}) => ({
    type: "completions",
    source: { type: "file_content", content: [{ item: { q: "2+2" } }] },
    input_messages: { type: "template", template: [{ role: "user", content: "{{ item.q }}" }] },
    model: "gpt-4o-mini",
    ...extra,
  });

  it("reads an exported completions run: model, messages, sampling params, file_id source", () => {
    const r = checkRun(exampleRun);
    expect(r.problems).toEqual([]);
    expect(r.run).toMatchObject({
      id: "evalrun_68a1c1d2e3f4a5b6c7d8e9f0a1b2c3d4",
      evalId: "eval_68a1c0ffee5e4b1c9d2e3f4a5b6c7d8e",
      dataSourceType: "completions",
      source: { kind: "file_id", id: "file-Capitals2025" },
      sampling: { model: "gpt-4o-mini", params: { seed: 42, temperature: 0, top_p: 1, max_completion_tokens: 32 } },
    });
    expect(r.run!.sampling).not.toHaveProperty("responseFormat");
  });

  it("maps both spellings of the token limit and a json_schema format (completions and responses)", () => {
    const schema = { type: "object", properties: { city: { type: "string" } } };
    const a = checkRun(run(completions({ sampling_params: { max_completion_tokens: 20, response_format: { type: "json_schema", json_schema: { name: "city", schema } } } })));
    expect(a.run!.sampling).toMatchObject({ params: { max_completion_tokens: 20 }, responseFormat: { name: "city", schema } });
    const b = checkRun(run(completions({ type: "responses", sampling_params: { text: { format: { type: "json_schema", name: "city", schema } } } })));
    expect(b.run!.sampling).toMatchObject({ responseFormat: { name: "city", schema } });
    const text = checkRun(run(completions({ sampling_params: { response_format: { type: "text" } } })));
    expect(text.run!.sampling).not.toHaveProperty("responseFormat");
  });

  it("sends function tools in Chat Completions form, the Responses API's flat ones nested", () => {
    const parameters = { type: "object", properties: { city: { type: "string" } } };
    const chatForm = { type: "function", function: { name: "lookup", parameters } };
    const a = checkRun(run(completions({ sampling_params: { tools: [chatForm] } })));
    expect(a.run!.sampling!.tools).toEqual([chatForm]);
    const b = checkRun(run(completions({ type: "responses", sampling_params: { tools: [{ type: "function", name: "lookup", parameters, strict: true }] } })));
    expect(b.run!.sampling!.tools).toEqual([{ type: "function", function: { name: "lookup", parameters, strict: true } }]);
  });

  it("refuses what cannot be reproduced locally, with pointers", () => {
    const r = (extra: Record<string, unknown>) => pointers(checkRun(run(completions(extra))));
    expect(r({ sampling_params: { tools: [{ type: "web_search_preview" }, { type: "function" }] } })).toEqual(["/data_source/sampling_params/tools/0", "/data_source/sampling_params/tools/1"]);
    expect(r({ sampling_params: { response_format: { type: "json_object" } } })).toEqual(["/data_source/sampling_params/response_format/type"]);
    expect(r({ sampling_params: { max_completion_tokens: 10, max_completions_tokens: 20 } })).toEqual(["/data_source/sampling_params"]);
    expect(r({ sampling_params: { temprature: 0 } })).toEqual(["/data_source/sampling_params/temprature"]);
    expect(r({ model: null })).toEqual(["/data_source/model"]);
    expect(r({ input_messages: undefined })).toEqual(["/data_source/input_messages"]);
    // The model may come from the run itself.
    expect(checkRun({ model: "gpt-4.1", data_source: completions({ model: undefined }) }).run!.sampling!.model).toBe("gpt-4.1");
  });

  it("a run template reads only the item; an item_reference must be an item path", () => {
    const sample = checkRun(run(completions({ input_messages: { type: "template", template: [{ role: "user", content: [{ type: "input_text", text: "{{ sample.output_text }}" }] }] } })));
    expect(sample.problems).toEqual([expect.objectContaining({ pointer: "/data_source/input_messages/template/0/content/0/text", message: expect.stringContaining("can only read {{ item.* }}") })]);
    const malformed = checkRun(run(completions({ input_messages: { type: "template", template: [{ role: "user", content: "{{ item..q }}" }] } })));
    expect(pointers(malformed)).toEqual(["/data_source/input_messages/template/0/content"]);
    const ref = (item_reference: string) => checkRun(run(completions({ input_messages: { type: "item_reference", item_reference } })));
    expect(ref("item.messages").ok).toBe(true);
    expect(ref("item.turns[0].messages").ok).toBe(true);
    expect(pointers(ref("sample.messages"))).toEqual(["/data_source/input_messages/item_reference"]);
    expect(pointers(ref("messages here"))).toEqual(["/data_source/input_messages/item_reference"]);
  });

  it("jsonl runs need only a source; hosted-log sources are accepted as documents", () => {
    expect(checkRun(run({ type: "jsonl", source: { type: "file_id", id: "file-1" } })).run).toMatchObject({ dataSourceType: "jsonl", sampling: null });
    expect(checkRun(run(completions({ source: { type: "stored_completions", model: "gpt-4o" } }))).run!.source).toEqual({ kind: "hosted_query", type: "stored_completions" });
    expect(pointers(checkRun(run({ type: "jsonl", source: { type: "file_url", url: "x" } })))).toEqual(["/data_source/source/type"]);
    expect(pointers(checkRun({ name: "no data source" }))).toEqual(["/data_source"]);
  });
});
