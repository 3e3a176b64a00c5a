// compileOnDemand (what `graderkit run` compiles with: only the modules a grader uses are
// imported) must compile every grader to what compileValidGrader (every type, the library's
// synchronous entry) compiles it to: same rewards, scores, signatures and flags.
import { describe, expect, it } from "vitest";
import { compileOnDemand } from "../../src/graders/compile-on-demand.js";
import { compileValidGrader } from "../../src/graders/compile.js";
import { runGrader } from "../../src/graders/run.js";
import type { CompileOptions, GradeContext } from "../../src/graders/types.js";
import { EVALUATION_METRICS } from "../../src/metrics/names.js";
import { checkedGrader } from "../../src/schema/load.js";
import type { Grader } from "../../src/schema/types.js";

const pair = { input: "{{ sample.output_text }}", reference: "{{ item.answer }}" };
const ctx: GradeContext = { sample: { output_text: "The cat sat on the mat. It's late." }, item: { answer: "A cat was sitting on the mat; it is late." }, executors: {} };

function withoutTime(response: unknown): unknown {
  return JSON.parse(JSON.stringify(response, (key, value) => (key === "execution_time" ? 0 : value)));
}

async function bothWays(raw: unknown, options: CompileOptions = {}) {
  const grader = checkedGrader(raw) as Grader;
  const lazy = await compileOnDemand(grader, options);
  const eager = compileValidGrader(grader, options);
  expect({ name: lazy.name, type: lazy.type, async: lazy.async }).toEqual({ name: eager.name, type: eager.type, async: eager.async });
  return { lazy: withoutTime(await runGrader(lazy, ctx)), eager: withoutTime(await runGrader(eager, ctx)) };
}

describe("compileOnDemand compiles like compileValidGrader", () => {
  it.each(EVALUATION_METRICS.filter((m) => m !== "cosine"))("text_similarity %s", async (metric) => {
    const { lazy, eager } = await bothWays({ type: "text_similarity", name: "t", evaluation_metric: metric, ...pair });
    expect((lazy as { metadata: { scores: { signature?: unknown } } }).metadata.scores.signature).toEqual(expect.any(String));
    expect(lazy).toEqual(eager);
  });

  it("string_check, and cosine without an embedding executor (a flagged row either way)", async () => {
    const sc = await bothWays({ type: "string_check", name: "s", operation: "ilike", ...pair });
    expect(sc.lazy).toEqual(sc.eager);
    const cos = await bothWays({ type: "text_similarity", name: "c", evaluation_metric: "cosine", ...pair });
    expect((cos.lazy as { error?: unknown }).error).toBeDefined();
    expect(cos.lazy).toEqual(cos.eager);
  });

  it("a multi of several types and metrics, and one whose child cannot compile", async () => {
    const multi = {
      type: "multi",
      name: "m",
      graders: {
        fuzzy: { type: "text_similarity", name: "fuzzy", evaluation_metric: "fuzzy_match", ...pair },
        rouge: { type: "text_similarity", name: "rouge", evaluation_metric: "rouge_l", ...pair },
        exact: { type: "string_check", name: "exact", operation: "eq", ...pair },
      },
      calculate_output: "(fuzzy + rouge + exact) / 3",
    };
    const ok = await bothWays(multi);
    expect((ok.lazy as { sub_rewards: Record<string, number> }).sub_rewards).toHaveProperty("rouge");
    expect(ok.lazy).toEqual(ok.eager);
    // A formula error found only when compiling (validation skipped): a grader that fails every
    // sample, the same way.
    const grader = { ...(checkedGrader(multi) as Grader), calculate_output: "fuzzy +" } as Grader;
    const lazy = withoutTime(await runGrader(await compileOnDemand(grader), ctx));
    expect((lazy as { metadata: { errors: Record<string, boolean> } }).metadata.errors.formula_parse_error).toBe(true);
    expect(lazy).toEqual(withoutTime(await runGrader(compileValidGrader(grader), ctx)));
  });

  it("metric options: passed through, and a bad one rejected with compileGrader's message", async () => {
    const raw = { type: "text_similarity", name: "t", evaluation_metric: "fuzzy_match", ...pair };
    const { lazy, eager } = await bothWays(raw, { metricOptions: { fuzzy_match: { measure: "levenshtein" } } });
    expect(lazy).toEqual(eager);
    expect(lazy).not.toEqual((await bothWays(raw)).lazy);
    const bad = { metricOptions: { fuzzy_match: { measure: "jaro" } } } as unknown as CompileOptions;
    await expect(compileOnDemand(checkedGrader(raw) as Grader, bad)).rejects.toThrow(/fuzzy_match option measure must be one of/);
  });
});
