// Re-grading hosted output items and comparing with their hosted results: results matched to
// criteria by name (hosted names may carry an appended id), per-criterion agreement, and every
// difference listed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutors, type ExecutorSet } from "../../src/config/create-executors.js";
import { matchCriterion, normalizeStatus } from "../../src/evals/compare.js";
import { sampleFromOutputMessages } from "../../src/evals/hosted-items.js";
import { runEval } from "../../src/evals/run-eval.js";
import type { EvalCriterion, OutputItem } from "../../src/evals/types.js";
import { ROOT, tempDir, writeLines } from "../helpers/cli.js";

const EVAL = JSON.parse(readFileSync(join(ROOT, "graders/evals/capitals.eval.json"), "utf8"));
const HOSTED = readFileSync(join(ROOT, "datasets/capitals-output-items.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));

let setup: ExecutorSet;
let dir: string;
beforeAll(() => {
  dir = tempDir("graderkit-compare-");
  setup = createExecutors({ executors: { cache: { enabled: false } } }, {});
});
afterAll(async () => {
  await setup?.close();
});

const criterion = (name: string, resultName = name) => ({ name, resultName }) as EvalCriterion;

describe("matching hosted results to criteria", () => {
  const criteria = [criterion("exact"), criterion("exact-match"), criterion("fuzzy", "fuzzy-1234")];

  it("by id or name, else by the longest criterion name the result name starts with", () => {
    expect(matchCriterion("fuzzy-1234", criteria)?.name).toBe("fuzzy");
    expect(matchCriterion("exact", criteria)?.name).toBe("exact");
    expect(matchCriterion("exact-match-2f6a0c1e-9b7d-4e1a-8c3f-5d2b7a9e0f14", criteria)?.name).toBe("exact-match");
    expect(matchCriterion("exact-5d2b7a9e", criteria)?.name).toBe("exact");
    expect(matchCriterion("fuzzy-9999", criteria)?.name).toBe("fuzzy");
    expect(matchCriterion("bleu-1", criteria)).toBeUndefined();
  });

  it("reads hosted statuses spelt either way", () => {
    expect(["pass", "passed", "fail", "FAILED", "error", "errored"].map(normalizeStatus)).toEqual(["pass", "pass", "fail", "fail", "error", "error"]);
    expect(normalizeStatus(null)).toBeNull();
  });
});

describe("the sample of a hosted output item", () => {
  it("joins the output messages' text, parses JSON output, collects tool calls", () => {
    expect(sampleFromOutputMessages([{ role: "assistant", content: "Paris" }])).toEqual({ output_text: "Paris" });
    expect(sampleFromOutputMessages([{ role: "assistant", content: [{ type: "output_text", text: '{"city": ' }, { type: "output_text", text: '"Paris"}' }] }])).toEqual({
      output_text: '{"city": "Paris"}',
      output_json: { city: "Paris" },
    });
    const call = { id: "c1", type: "function", function: { name: "capital", arguments: '{"country":"France"}' } };
    expect(sampleFromOutputMessages([{ role: "assistant", content: null, tool_calls: [call] }])).toEqual({ output_text: "", output_tools: [call] });
  });
});

describe("re-grading hosted output items", () => {
  it("reproduces the example export exactly: every status, passed and score agree", async () => {
    const items: OutputItem[] = [];
    const data = join(ROOT, "datasets/capitals-output-items.jsonl");
    const result = await runEval({ eval: EVAL, data, fromOutputItems: true, compare: true, executors: setup.executors, onOutputItem: (i) => void items.push(i) });
    const c = result.comparison!;
    expect(c.items).toBe(HOSTED.length);
    expect(c.status_agreed).toBe(HOSTED.length);
    expect(c.differences).toEqual([]);
    expect(c.criteria.map((a) => [a.compared, a.passed_agreed, a.score_agreed])).toEqual([
      [4, 4, 4],
      [4, 4, 4],
      [4, 4, 4],
    ]);
    // The local output items keep the hosted numbering and sample, and grade what the model said.
    expect(items.map((i) => i.datasource_item_id)).toEqual(HOSTED.map((h) => h.datasource_item_id));
    expect(items.map((i) => i.sample)).toEqual(HOSTED.map((h) => h.sample));
    expect(items.map((i) => i.results.map((r) => [r.name, r.score, r.passed]))).toEqual(HOSTED.map((h) => h.results.map((r: any) => [r.name, r.score, r.passed])));
    expect(result.run.result_counts).toEqual({ total: 4, errored: 0, failed: 1, passed: 3 });
  });

  it("lists every row and criterion where the hosted result differs, and items it cannot re-grade", async () => {
    const altered = structuredClone(HOSTED);
    // Hosted said "concise" failed on item 0 (it passes locally), and gave item 1 another fuzzy score.
    altered[0].results[2] = { ...altered[0].results[2], passed: false, score: 0 };
    altered[0].status = "fail";
    altered[1].results[1].score = 0.97;
    // An item whose hosted sampling failed, and a result name no criterion has.
    altered[2].sample = { ...altered[2].sample, output: [], error: { code: "rate_limit_exceeded", message: "Rate limit" } };
    altered[2].status = "error";
    altered[3].results.push({ name: "retired-criterion-1f2e", type: "string_check", score: 1, passed: true, sample: null });
    const file = writeLines(dir, "altered.jsonl", altered);
    const result = await runEval({ eval: EVAL, data: file, dataLabel: "altered.jsonl", fromOutputItems: true, compare: true, executors: setup.executors });
    const c = result.comparison!;
    expect(c.status_differences).toEqual([{ datasource_item_id: 0, where: "altered.jsonl:1", hosted: "fail", local: "pass" }]);
    expect(c.status_agreed).toBe(3);
    expect(c.differences).toEqual([
      { datasource_item_id: 0, where: "altered.jsonl:1", testing_criteria: EVAL.testing_criteria[2].id, hosted: { passed: false, score: 0 }, local: { passed: true, score: 1 } },
      { datasource_item_id: 1, where: "altered.jsonl:2", testing_criteria: EVAL.testing_criteria[1].id, hosted: { passed: true, score: 0.97 }, local: { passed: true, score: 1 } },
    ]);
    // Item 2 could not be re-graded: errored locally too (statuses agree), no criterion compared.
    expect(c.criteria.map((a) => a.compared)).toEqual([3, 3, 3]);
    expect(c.unmatched_hosted_results).toEqual(["retired-criterion-1f2e"]);
    expect(result.errored_items).toEqual([expect.objectContaining({ datasource_item_id: 2, message: expect.stringContaining("rate_limit_exceeded") })]);
    expect(c.criteria[1]).toMatchObject({ passed_agreed: 3, score_agreed: 2 });
  });

  it("a score difference within the tolerance agrees", async () => {
    const altered = structuredClone(HOSTED);
    altered[3].results[1].score += 5e-7;
    const file = writeLines(dir, "close.jsonl", altered);
    const loose = await runEval({ eval: EVAL, data: file, fromOutputItems: true, compare: true, executors: setup.executors });
    expect(loose.comparison!.differences).toEqual([]);
    const strict = await runEval({ eval: EVAL, data: file, fromOutputItems: true, compare: true, scoreTolerance: 1e-9, executors: setup.executors });
    expect(strict.comparison!.differences).toHaveLength(1);
  });
});
