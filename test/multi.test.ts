import { describe, expect, it } from "vitest";
import { compileValidGrader } from "../src/graders/compile.js";
import { gradeSample } from "../src/graders/grade-sample.js";
import { runGrader } from "../src/graders/run.js";
import type { ChatExecutor, Executors } from "../src/core/executors.js";
import { fuzzyMatch } from "../src/metrics/fuzzy-match.js";

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" } as const;
const mention = { type: "string_check", name: "mention", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "ilike" } as const;
const fuzzy = { type: "text_similarity", name: "fuzzy", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "fuzzy_match" } as const;
const needsHint = { type: "string_check", name: "hint", input: "{{ item.hint }}", reference: "x", operation: "eq" } as const;

const multi = (graders: Record<string, unknown>, calculate_output: string) => ({ type: "multi" as const, name: "combo", graders: graders as never, calculate_output });

describe("multi", () => {
  it("combines children with the formula and reports sub_rewards", async () => {
    const res = await gradeSample(multi({ exact, mention, fuzzy }, "0.5 * exact + 0.3 * mention + 0.2 * fuzzy"), {
      model_sample: "paris",
      item: { answer: "Paris" },
    });
    const f = fuzzyMatch("paris", "Paris").score;
    expect(res.sub_rewards).toEqual({ exact: 0, mention: 1, fuzzy: f });
    expect(res.reward).toBeCloseTo(0.3 + 0.2 * f, 15);
    expect(res.metadata.type).toBe("multi");
    expect(res.metadata.errors.other_error).toBe(false);
    // each child's own metadata, signature included
    expect((res.metadata.scores.fuzzy as { scores: { signature: string } }).scores.signature).toMatch(/^fuzzy_match\|/);
    expect((res.metadata.scores.exact as { type: string }).type).toBe("string_check");
  });

  it("a failing child contributes 0, raises its flag on the parent and names its key", async () => {
    const res = await gradeSample(multi({ exact, hint: needsHint }, "exact + 10 * hint"), { model_sample: "Paris", item: { answer: "Paris" } });
    expect(res.sub_rewards).toEqual({ exact: 1, hint: 0 });
    expect(res.reward).toBe(1);
    expect(res.metadata.errors.invalid_variable_error).toBe(true);
    expect(res.error).toMatchObject({ flag: "invalid_variable_error", path: "/graders/hint/input" });
  });

  it("a non-finite result is reward 0 with other_error naming the formula and sub-rewards", async () => {
    const res = await gradeSample(multi({ exact, mention }, "mention / exact"), { model_sample: "xParisx", item: { answer: "Paris" } });
    expect(res.reward).toBe(0);
    expect(res.metadata.errors.other_error).toBe(true);
    expect(res.error?.message).toContain("mention / exact");
    expect(res.error?.message).toContain("exact=0");
    expect(res.error?.message).toContain("mention=1");
    for (const formula of ["log(exact)", "sqrt(exact - 1)"]) {
      const r = await gradeSample(multi({ exact }, formula), { model_sample: "no", item: { answer: "Paris" } });
      expect(r.metadata.errors.other_error, formula).toBe(true);
    }
  });

  it("a formula that does not compile is a validation error, and formula_parse_error when grading is reached anyway", async () => {
    const bad = multi({ exact }, "exact + acuracy");
    await expect(gradeSample(bad, { model_sample: "Paris" })).rejects.toMatchObject({
      name: "GraderValidationError",
      problems: [expect.objectContaining({ pointer: "/calculate_output", code: "formula_parse_error" })],
    });
    const res = await runGrader(compileValidGrader(bad), { sample: { output_text: "Paris" }, item: { answer: "Paris" }, executors: {} });
    expect(res.reward).toBe(0);
    expect(res.metadata.errors.formula_parse_error).toBe(true);
    expect(res.error?.message).toContain("acuracy");
  });

  it("grades async children concurrently without serializing the cheap ones", async () => {
    // A chat executor that answers after 150 ms: two model children must overlap.
    let inFlight = 0;
    let maxInFlight = 0;
    const chat: ChatExecutor = {
      async complete() {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 150));
        inFlight--;
        return { kind: "ok", content: JSON.stringify({ result: 0.5, steps: [] }), usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cached_tokens: 0 }, model: "judge-1" };
      },
    };
    const judge = (name: string) => ({ type: "score_model", name, model: "judge", input: [{ role: "user", content: "{{ sample.output_text }}" }] });
    const executors: Executors = { chat };
    const started = Date.now();
    const res = await gradeSample(multi({ exact, a: judge("a"), b: judge("b") }, "exact + a + b"), { model_sample: "Paris", item: { answer: "Paris" } }, { executors });
    const took = Date.now() - started;
    expect(maxInFlight).toBe(2);
    expect(took).toBeLessThan(290);
    expect(res.sub_rewards).toEqual({ exact: 1, a: 0.5, b: 0.5 });
    expect(res.reward).toBe(2);
    expect(res.metadata.token_usage).toEqual({ prompt_tokens: 20, completion_tokens: 10, total_tokens: 30, cached_tokens: 0 });
    expect(res.model_grader_token_usage_per_model).toEqual({ "judge-1": { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30, cached_tokens: 0 } });
  });

  it("accepts label_model children", async () => {
    const chat: ChatExecutor = { async complete() { return { kind: "ok", content: JSON.stringify({ result: "polite", steps: [] }), usage: null, model: "m" }; } };
    const tone = { type: "label_model", name: "tone", model: "m", input: [{ role: "user", content: "{{ sample.output_text }}" }], labels: ["polite", "rude"], passing_labels: ["polite"] };
    const res = await gradeSample(multi({ exact, tone }, "0.5 * exact + 0.5 * tone"), { model_sample: "Paris", item: { answer: "Paris" } }, { executors: { chat } });
    expect(res.sub_rewards).toEqual({ exact: 1, tone: 1 });
    expect(res.reward).toBe(1);
  });

  it("children keyed __proto__, constructor or toString are graded like any other", async () => {
    const graders = JSON.parse(JSON.stringify({ x: exact }).replace('"x"', '"__proto__"'));
    Object.assign(graders, { constructor: mention, toString: exact });
    const res = await gradeSample(multi(graders, "__proto__ + constructor + 2 * toString"), { model_sample: "Paris", item: { answer: "Paris" } });
    expect(res.reward).toBe(4);
    expect(JSON.parse(JSON.stringify(res.sub_rewards))).toEqual(JSON.parse('{"__proto__": 1, "constructor": 1, "toString": 1}'));
    expect(Object.keys(res.metadata.scores)).toEqual(["__proto__", "constructor", "toString"]);
  });
});
