// runEval end to end as a library: counts, output items in the hosted shape and in data order,
// rows that cannot be graded kept as errored items, samples generated through the chat executor
// (a fake OpenAI-compatible server started here), and deterministic ids.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutors, type ExecutorSet } from "../../src/config/create-executors.js";
import type { ChatExecutor } from "../../src/core/executors.js";
import { EvalDocumentError, EvalSetupError } from "../../src/evals/load.js";
import { runEval, type RunEvalOptions } from "../../src/evals/run-eval.js";
import type { OutputItem } from "../../src/evals/types.js";
import { ROOT, tempDir, writeLines } from "../helpers/cli.js";
import { answer, scoreContent, startFakeOpenAI, type FakeOpenAIServer } from "../helpers/fake-openai-server.js";

const EVAL = JSON.parse(readFileSync(join(ROOT, "graders/evals/capitals.eval.json"), "utf8"));
const RUN = JSON.parse(readFileSync(join(ROOT, "graders/evals/capitals.run.json"), "utf8"));
const ITEMS = join(ROOT, "datasets/capitals-items.jsonl");
const ids = EVAL.testing_criteria.map((c: { id: string }) => c.id) as string[];

/** rapidfuzz fuzz.ratio / 100 (InDel similarity), computed independently of src/metrics. */
function indelRatio(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const dp = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = 0; i < x.length; i++) for (let j = 0; j < y.length; j++) dp[i + 1]![j + 1] = x[i] === y[j] ? dp[i]![j]! + 1 : Math.max(dp[i]![j + 1]!, dp[i + 1]![j]!);
  const n = x.length + y.length;
  return n === 0 ? 1 : ((1 - (n - 2 * dp[x.length]![y.length]!) / n) * 100) / 100;
}

let dir: string;
let server: FakeOpenAIServer;
let setup: ExecutorSet;

beforeAll(async () => {
  dir = tempDir("graderkit-evals-");
  server = await startFakeOpenAI();
  setup = createExecutors({ executors: { model: { baseUrl: server.url, maxRetries: 0 }, cache: { dir: join(dir, "cache") } } }, {});
});
afterAll(async () => {
  await setup?.close();
  await server?.close();
});

async function collect(options: Omit<RunEvalOptions, "onOutputItem">) {
  const items: OutputItem[] = [];
  const result = await runEval({ executors: setup.executors, ...options, onOutputItem: (i) => void items.push(i) });
  return { result, items };
}

describe("runEval over data with samples", () => {
  it("grades every row, counts like the hosted run, and keeps invalid rows as errored items", async () => {
    const { result, items } = await collect({ eval: EVAL, data: join(ROOT, "datasets/capitals.jsonl"), dataLabel: "capitals.jsonl" });
    const data = readFileSync(join(ROOT, "datasets/capitals.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    // The expected verdicts, from the criteria's definitions applied by hand.
    const expected = data.map((row) => {
      if (row.item.answer === undefined) return "error";
      const out: string = row.sample.output_text;
      const mentions = out.toLowerCase().includes(row.item.answer.toLowerCase());
      const close = indelRatio(out, row.item.answer) >= 0.8;
      const words = out.split(/\s+/).filter(Boolean).length;
      return mentions && close && words > 0 && words <= 4 ? "pass" : "fail";
    });
    expect(items.map((i) => i.status)).toEqual(expected);
    expect(result.run.result_counts).toEqual({
      total: 6,
      errored: expected.filter((s) => s === "error").length,
      failed: expected.filter((s) => s === "fail").length,
      passed: expected.filter((s) => s === "pass").length,
    });
    expect(items.map((i) => i.datasource_item_id)).toEqual([0, 1, 2, 3, 4, 5]);
    const closeScores = items.filter((i) => i.status !== "error").map((i) => i.results.find((r) => r.name === ids[1])!.score);
    const graded = data.filter((r) => r.item.answer !== undefined);
    closeScores.forEach((score, k) => expect(score).toBeCloseTo(indelRatio(graded[k].sample.output_text, graded[k].item.answer), 12));

    const errored = items[4]!;
    expect(errored).toMatchObject({ status: "error", results: [], datasource_item: data[4].item, sample: { error: { code: "invalid_item" } } });
    expect(result.errored_items).toEqual([
      { datasource_item_id: 4, where: "capitals.jsonl:5", message: "the item does not match the eval's item schema: /item/answer: missing required field 'answer'" },
    ]);
    // Criteria counts: every graded row counts once per criterion.
    const counted = result.run.per_testing_criteria_results;
    expect(counted.map((c) => c.testing_criteria)).toEqual(ids);
    for (const c of counted) expect(c.passed + c.failed).toBe(5);
  });

  it("writes the hosted run and output-item shapes", async () => {
    const { result, items } = await collect({ eval: EVAL, data: join(ROOT, "datasets/capitals.jsonl"), now: () => 1_754_500_000_123 });
    expect(Object.keys(result.run).sort()).toEqual(
      ["object", "id", "eval_id", "name", "model", "status", "created_at", "report_url", "data_source", "error", "metadata", "result_counts", "per_model_usage", "per_testing_criteria_results"].sort(),
    );
    expect(result.run).toMatchObject({ object: "eval.run", status: "completed", eval_id: EVAL.id, model: null, created_at: 1_754_500_000, per_model_usage: [] });
    const item = items[0]!;
    expect(Object.keys(item).sort()).toEqual(["object", "id", "run_id", "eval_id", "created_at", "status", "datasource_item_id", "datasource_item", "results", "sample"].sort());
    expect(item).toMatchObject({ object: "eval.run.output_item", run_id: result.run.id, eval_id: EVAL.id, status: "pass" });
    expect(item.results).toEqual([
      { name: ids[0], type: "string_check", score: 1, passed: true, sample: null },
      { name: ids[1], type: "text_similarity", score: 1, passed: true, sample: null },
      { name: ids[2], type: "python", score: 1, passed: true, sample: null },
    ]);
    expect(item.sample).toMatchObject({ output: [{ role: "assistant", content: "Paris" }], error: null });
  });

  it("gives the same ids to the same eval and data, other ids to other data", async () => {
    const a = await collect({ eval: EVAL, data: join(ROOT, "datasets/capitals.jsonl") });
    const b = await collect({ eval: EVAL, data: join(ROOT, "datasets/capitals.jsonl") });
    expect(a.result.run.id).toMatch(/^evalrun_local_[0-9a-f]{24}$/);
    expect(b.result.run.id).toBe(a.result.run.id);
    expect(b.items.map((i) => i.id)).toEqual(a.items.map((i) => i.id));
    expect(new Set(a.items.map((i) => i.id)).size).toBe(a.items.length);
    const changed = writeLines(dir, "capitals-changed.jsonl", readFileSync(join(ROOT, "datasets/capitals.jsonl"), "utf8").trim().split("\n").slice(0, 3));
    const c = await collect({ eval: EVAL, data: changed });
    expect(c.result.run.id).not.toBe(a.result.run.id);
  });

  it("reads bare items and {item, sample} rows; a line that is not JSON is an errored item too", async () => {
    const exact = { type: "string_check", name: "exact", input: "{{ item.expected }}", reference: "{{ item.got }}", operation: "eq" };
    const evalDoc = { data_source_config: { type: "custom", item_schema: { type: "object" } }, testing_criteria: [exact] };
    const data = writeLines(dir, "bare.jsonl", [{ expected: "a", got: "a" }, "", { item: { expected: "a", got: "b" } }, "{not json", { item: { expected: "x", got: "x" }, sample: { output_text: "ignored" } }, "[1, 2]"]);
    const { result, items } = await collect({ eval: evalDoc, data });
    expect(items.map((i) => [i.datasource_item_id, i.status])).toEqual([[0, "pass"], [1, "fail"], [2, "error"], [3, "pass"], [4, "error"]]);
    expect(result.errored_items.map((e) => e.where)).toEqual([`${data}:4`, `${data}:6`]);
    expect(result.errored_items[0]!.message).toMatch(/^not valid JSON/);
  });

  it("an item with a field named 'item' is still a bare item", async () => {
    const evalDoc = { data_source_config: { type: "custom", item_schema: { type: "object", required: ["item", "label"] } }, testing_criteria: [{ type: "string_check", name: "s", input: "{{ item.item }}", reference: "{{ item.label }}", operation: "eq" }] };
    const data = writeLines(dir, "item-field.jsonl", [{ item: "cat", label: "cat" }]);
    const { items } = await collect({ eval: evalDoc, data });
    expect(items[0]).toMatchObject({ status: "pass", datasource_item: { item: "cat", label: "cat" } });
  });

  it("a criterion that cannot be graded makes the item errored, with the grader's error in its result", async () => {
    const evalDoc = {
      data_source_config: { type: "custom", item_schema: { type: "object" } },
      testing_criteria: [
        { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" },
        { type: "python", name: "raises", source: "def grade(sample, item):\n    raise ValueError('no')\n" },
      ],
    };
    const warnings: string[] = [];
    const data = writeLines(dir, "raises.jsonl", [{ item: { answer: "a" }, sample: { output_text: "b" } }, { answer: "a" }]);
    const { result, items } = await collect({ eval: evalDoc, data, onWarning: (w) => warnings.push(w) });
    expect(items.map((i) => i.status)).toEqual(["error", "error"]);
    expect(items[0]!.results[0]).toEqual({ name: "exact", type: "string_check", score: 0, passed: false, sample: null });
    expect(items[0]!.results[1]).toMatchObject({ name: "raises", score: 0, passed: false, error: { code: "python_grader_runtime_error" } });
    expect(items[1]!.results[0]).toMatchObject({ error: { code: "invalid_variable_error" } });
    expect(result.errored_items[0]!.message).toMatch(/^criterion 'raises': /);
    // Errored gradings count as failed for their criterion; the items are errored.
    expect(result.run.per_testing_criteria_results).toEqual([
      { testing_criteria: "exact", passed: 0, failed: 2 },
      { testing_criteria: "raises", passed: 0, failed: 2 },
    ]);
    expect(result.run.result_counts).toEqual({ total: 2, errored: 2, failed: 0, passed: 0 });
    expect(warnings).toEqual([expect.stringContaining("rows without a 'sample'")]);
  });

  it("refuses an invalid eval before reading any data", async () => {
    const bad = { ...EVAL, testing_criteria: [{ ...EVAL.testing_criteria[0], operation: "equals" }] };
    const err = await runEval({ eval: bad, data: "/nonexistent.jsonl" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvalDocumentError);
    expect((err as EvalDocumentError).problems.map((p) => p.pointer)).toEqual(["/testing_criteria/0/operation"]);
  });
});

describe("runEval with a run that generates samples", () => {
  const files = { "file-Capitals2025": ITEMS };

  it("samples each item through the model endpoint with the run's messages and sampling params, in free text", async () => {
    const before = server.requestsTo("chat/completions").length;
    const replies = ["Paris", "Tokyo", "Canberra", "Ottawa, Ontario"];
    // The first answer is slow: output items must still come out in data order.
    server.chat(answer(replies[0]!, { delayMs: 150, model: "gpt-4o-mini-2024-07-18" }), ...replies.slice(1).map((t) => answer(t, { model: "gpt-4o-mini-2024-07-18" })));
    const { result, items } = await collect({ eval: EVAL, run: RUN, runLabel: "capitals.run.json", files, concurrency: 4 });
    const requests = server.requestsTo("chat/completions").slice(before);
    expect(requests).toHaveLength(4);
    for (const r of requests) {
      expect(r.body).not.toHaveProperty("response_format");
      expect(r.body).toMatchObject({ model: "gpt-4o-mini", seed: 42, temperature: 0, top_p: 1, max_completion_tokens: 32 });
      expect(r.body.messages[0]).toEqual({ role: "developer", content: [{ type: "text", text: "Answer with the name of the city only." }] });
    }
    // The fake server answers in the order requests arrive: which item got which answer.
    const answerFor = new Map(requests.map((r, k) => [r.body.messages[1].content[0].text as string, replies[k]!]));
    expect(items.map((i) => i.datasource_item.country)).toEqual(["France", "Japan", "Australia", "Canada"]);
    for (const i of items) {
      const out = answerFor.get(i.datasource_item.question as string)!;
      expect(i.sample).toMatchObject({ output: [{ role: "assistant", content: out }], finish_reason: "stop", model: "gpt-4o-mini-2024-07-18", seed: 42, temperature: 0, top_p: 1, max_completion_tokens: 32, error: null });
      expect((i.sample as { input: unknown[] }).input[1]).toEqual({ role: "user", content: [{ type: "text", text: i.datasource_item.question }] });
      const answerText = i.datasource_item.answer as string;
      const pass = out.toLowerCase().includes(answerText.toLowerCase()) && indelRatio(out, answerText) >= 0.8 && out.split(" ").length <= 4;
      expect(i.status).toBe(pass ? "pass" : "fail");
    }
    expect(result.run).toMatchObject({ model: "gpt-4o-mini", name: RUN.name, metadata: { prompt: "terse-v2" }, data_source: RUN.data_source });
    // The fake server's usage: 10 prompt + 5 completion tokens per call.
    expect(result.run.per_model_usage).toEqual([{ model_name: "gpt-4o-mini-2024-07-18", invocation_count: 4, prompt_tokens: 40, completion_tokens: 20, total_tokens: 60, cached_tokens: 0 }]);
  });

  it("a second run answers from the cache: no new model calls, the same results", async () => {
    const first = await collect({ eval: EVAL, run: RUN, files });
    const calls = server.requestsTo("chat/completions").length;
    const second = await collect({ eval: EVAL, run: RUN, files });
    expect(server.requestsTo("chat/completions").length).toBe(calls);
    expect(second.items.map((i) => i.results)).toEqual(first.items.map((i) => i.results));
    expect(second.result.run.id).toBe(first.result.run.id);
    // A cached answer counts with the usage of the call that made it.
    expect(second.result.run.per_model_usage).toEqual(first.result.run.per_model_usage);
    // A run of another eval is run anyway, with a warning.
    const warnings: string[] = [];
    await collect({ eval: EVAL, run: { ...RUN, eval_id: "eval_other" }, files, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual(["run belongs to eval 'eval_other', not 'eval_68a1c0ffee5e4b1c9d2e3f4a5b6c7d8e'"]);
  });

  it("inline file_content items, item_reference messages, and model graders' usage in per_model_usage", async () => {
    const judge = { type: "score_model", name: "judge", model: "judge-model", input: [{ role: "user", content: "Rate: {{ sample.output_text }}" }], range: [0, 10], pass_threshold: 7 };
    const tone = { type: "label_model", name: "tone", model: "judge-model", input: [{ role: "user", content: "Tone of {{ sample.output_text }}" }], labels: ["polite", "rude"], passing_labels: ["polite"] };
    const evalDoc = { data_source_config: { type: "custom", item_schema: { type: "object", required: ["messages"] }, include_sample_schema: true }, testing_criteria: [judge, tone] };
    const messages = [{ role: "system", content: "Be kind." }, { role: "user", content: "Hi" }];
    const run = {
      data_source: {
        type: "completions",
        model: "sampler",
        input_messages: { type: "item_reference", item_reference: "item.messages" },
        source: { type: "file_content", content: [{ item: { messages } }, { item: { messages: "not messages" } }] },
      },
    };
    const fresh = createExecutors({ executors: { model: { baseUrl: server.url, maxRetries: 0 }, cache: { enabled: false } } }, {});
    try {
      // The sample first, then the two judges (graded concurrently: they get the judge answers in turn).
      server.chat(answer("Hello there!", { model: "sampler-v1" }));
      const before = server.requestsTo("chat/completions").length;
      server.chat(answer(scoreContent(8), { model: "judge-v1" }), answer(scoreContent(8), { model: "judge-v1" }));
      const items: OutputItem[] = [];
      const { run: runObject, errored_items } = await runEval({
        eval: { ...evalDoc, testing_criteria: [judge, { ...judge, name: "judge-2" }] },
        run,
        executors: fresh.executors,
        onOutputItem: (i) => void items.push(i),
        runLabel: "RUN.json",
      });
      const sent = server.requestsTo("chat/completions").slice(before);
      expect(sent[0]!.body.messages).toEqual(messages);
      expect(items.map((i) => i.status)).toEqual(["pass", "error"]);
      expect(items[0]!.results.map((r) => [r.name, r.score, r.passed])).toEqual([["judge", 8, true], ["judge-2", 8, true]]);
      expect(errored_items[0]).toMatchObject({ where: "RUN.json: /data_source/source/content/1", message: expect.stringContaining("item.messages must be a non-empty array of messages") });
      expect(runObject.per_model_usage.map((u) => [u.model_name, u.invocation_count])).toEqual([["sampler-v1", 1], ["judge-v1", 2]]);

      // label_model: passes on a passing label.
      server.chat(answer("Hello there!", { model: "sampler-v1" }), answer(JSON.stringify({ steps: [], result: "rude" }), { model: "judge-v1" }));
      const labelled: OutputItem[] = [];
      await runEval({ eval: { ...evalDoc, testing_criteria: [tone] }, run: { data_source: { ...run.data_source, source: { type: "file_content", content: [{ item: { messages } }] } } }, executors: fresh.executors, onOutputItem: (i) => void labelled.push(i) });
      expect(labelled[0]).toMatchObject({ status: "fail", results: [{ name: "tone", type: "label_model", score: 0, passed: false }] });
    } finally {
      await fresh.close();
    }
  });

  it("a responses run with tools: sent in Chat Completions form; the model's tool calls are the sample's output_tools", async () => {
    const parameters = { type: "object", properties: { country: { type: "string" } } };
    const tools = [{ type: "function", function: { name: "get_capital", parameters } }];
    const evalDoc = {
      data_source_config: { type: "custom", item_schema: { type: "object", required: ["country"] }, include_sample_schema: true },
      testing_criteria: [{ type: "string_check", name: "calls-tool", input: "{{ sample.output_tools[0].function.arguments }}", reference: "{{ item.country }}", operation: "like" }],
    };
    const run = {
      data_source: {
        type: "responses",
        model: "gpt-4.1",
        input_messages: { type: "template", template: [{ role: "user", content: "Capital of {{ item.country }}?" }] },
        sampling_params: { tools: [{ type: "function", name: "get_capital", parameters }] },
        source: { type: "file_content", content: [{ item: { country: "Peru" } }] },
      },
    };
    const call = { id: "call_1", type: "function", function: { name: "get_capital", arguments: '{"country": "Peru"}' } };
    const before = server.requestsTo("chat/completions").length;
    server.chat(answer(null, { toolCalls: [call] }));
    const { items } = await collect({ eval: evalDoc, run });
    expect(server.requestsTo("chat/completions")[before]!.body.tools).toEqual(tools);
    expect(items[0]).toMatchObject({ status: "pass", sample: { output: [{ role: "assistant", content: "", tool_calls: [call] }], finish_reason: "tool_calls" } });
  });

  it("a failed or refused sample makes an errored item; the other items go on", async () => {
    const run = { data_source: { ...RUN.data_source, source: { type: "file_content", content: [{ item: { country: "A", question: "q1", answer: "x" } }, { item: { country: "B", question: "q2", answer: "y" } }, { item: { country: "C", question: "q3", answer: "z" } }] } } };
    const fresh = createExecutors({ executors: { model: { baseUrl: server.url, maxRetries: 0 }, cache: { enabled: false } } }, {});
    try {
      server.chat({ kind: "status", status: 500 }, { kind: "refusal", refusal: "I can't help with that." }, answer("z"));
      const items: OutputItem[] = [];
      await runEval({ eval: EVAL, run, executors: { ...fresh.executors, python: setup.executors.python }, concurrency: 1, onOutputItem: (i) => void items.push(i) });
      expect(items.map((i) => i.status)).toEqual(["error", "error", "pass"]);
      expect(items[0]!.sample).toMatchObject({ error: { code: "model_server_error" }, output: [] });
      expect(items[1]!.sample).toMatchObject({ error: { code: "model_refusal", message: expect.stringContaining("I can't help with that.") } });
    } finally {
      await fresh.close();
    }
  });

  it("says what is missing before it starts: the file of a file_id, a model endpoint, replayable items", async () => {
    const err = (o: Omit<RunEvalOptions, "eval">) => runEval({ eval: EVAL, ...o }).then(() => null, (e: unknown) => e as Error);
    const noFile = await err({ run: RUN, executors: setup.executors });
    expect(noFile).toBeInstanceOf(EvalSetupError);
    expect(noFile?.message).toBe("run's items are in file 'file-Capitals2025': map it to a local JSONL file (--file file-Capitals2025=PATH) or give the data file");
    expect((await err({ run: RUN, files, executors: {} }))?.message).toBe("run generates samples with 'gpt-4o-mini': no model endpoint configured (executors.model.baseUrl)");
    const stored = { data_source: { ...RUN.data_source, source: { type: "stored_completions", model: "gpt-4o" } } };
    expect((await err({ run: stored, executors: setup.executors }))?.message).toMatch(/'stored_completions' query of hosted logs, which cannot be replayed locally/);
    expect((await err({}))?.message).toMatch(/^no data/);
  });

  it("data given with a run replaces the run's source (a warning says so) and its sample fields", async () => {
    const warnings: string[] = [];
    const data = writeLines(dir, "one.jsonl", [{ item: { country: "France", question: "What is the capital of France? (one)", answer: "Paris" }, sample: { output_text: "Lyon" } }]);
    server.chat(answer("Paris"));
    const run = { ...RUN, data_source: { ...RUN.data_source, source: { type: "file_content", content: [] } } };
    const { result, items } = await collect({ eval: EVAL, run, data, dataLabel: "one.jsonl", runLabel: "RUN.json", onWarning: (w) => warnings.push(w) });
    expect(items.map((i) => (i.sample as { output: Array<{ content: string }> }).output[0]!.content)).toEqual(["Paris"]);
    expect(result.run.data_source).toMatchObject({ type: "completions", source: { type: "file_id", id: "one.jsonl" } });
    expect(warnings).toEqual([expect.stringContaining("one.jsonl replaces the items of RUN.json"), expect.stringContaining("the given ones are not used")]);
  });
});

describe("a custom chat executor", () => {
  it("one that rejects only errors its own items", async () => {
    let n = 0;
    const chat: ChatExecutor = {
      complete: async () => {
        if (n++ === 0) throw new Error("socket hang up");
        return { kind: "ok", content: "Paris", usage: null, model: null };
      },
    };
    const run = { data_source: { ...RUN.data_source, source: { type: "file_content", content: [{ item: { country: "F", question: "q", answer: "Paris" } }, { item: { country: "F", question: "q", answer: "Paris" } }] } } };
    const items: OutputItem[] = [];
    await runEval({ eval: EVAL, run, executors: { chat, python: setup.executors.python }, concurrency: 1, onOutputItem: (i) => void items.push(i) });
    expect(items.map((i) => i.status)).toEqual(["error", "pass"]);
    expect(items[0]!.sample).toMatchObject({ error: { code: "other_error", message: "internal error: socket hang up" } });
  });
});
