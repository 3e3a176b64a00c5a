// The pass rules of the hosted Evals API, as pure functions: each criterion type's rule, how
// verdicts make an item's status, and the --min-pass-rate gate.
import { describe, expect, it } from "vitest";
import { DEFAULT_PASS_THRESHOLD } from "../../src/core/pass-threshold.js";
import { emptyResponse, type RunResponse } from "../../src/core/response.js";
import {
  belowMinPassRate,
  criterionPassed,
  describePassRule,
  itemStatus,
  passRate,
  passThresholdOf,
} from "../../src/evals/pass-rules.js";
import type { EvalCriterion } from "../../src/evals/types.js";

function response(reward: number, scores: Record<string, unknown> = {}, failed = false): RunResponse {
  const r = emptyResponse("c", "t");
  r.reward = reward;
  r.metadata.scores = scores;
  if (failed) r.error = { flag: "python_grader_runtime_error", message: "boom" };
  return r;
}

const criterion = (grader: Record<string, unknown>): Pick<EvalCriterion, "grader" | "passThreshold"> => ({
  grader: grader as unknown as EvalCriterion["grader"],
  passThreshold: passThresholdOf(grader.type as EvalCriterion["grader"]["type"], grader.pass_threshold as number | undefined),
});

const stringCheck = criterion({ type: "string_check", name: "s", input: "", reference: "", operation: "eq" });
const label = criterion({ type: "label_model", name: "l", model: "m", input: [], labels: ["good", "ok", "bad"], passing_labels: ["good", "ok"] });
const similarity = criterion({ type: "text_similarity", name: "t", input: "", reference: "", evaluation_metric: "bleu", pass_threshold: 0.7 });
const python = criterion({ type: "python", name: "p", source: "" });
const scoreModel = criterion({ type: "score_model", name: "sm", model: "m", input: [], range: [0, 10], pass_threshold: 7 });

describe("criterion pass rules", () => {
  it("string_check passes at reward 1 only", () => {
    expect(criterionPassed(stringCheck, response(1))).toBe(true);
    expect(criterionPassed(stringCheck, response(0))).toBe(false);
    expect(describePassRule(stringCheck)).toBe("reward 1");
  });

  it("label_model passes when the chosen label is a passing label", () => {
    expect(criterionPassed(label, response(1, { result: "ok" }))).toBe(true);
    expect(criterionPassed(label, response(0, { result: "bad" }))).toBe(false);
    expect(describePassRule(label)).toBe("label in good, ok");
  });

  it("score-based criteria pass at score >= pass_threshold, inclusive", () => {
    expect(criterionPassed(similarity, response(0.7))).toBe(true);
    expect(criterionPassed(similarity, response(0.6999999))).toBe(false);
    // score_model rewards are the clamped result: the threshold is on the model's own scale.
    expect(criterionPassed(scoreModel, response(7))).toBe(true);
    expect(criterionPassed(scoreModel, response(6.5))).toBe(false);
  });

  it("without pass_threshold, python and score_model pass at the stated default 0.5", () => {
    expect(DEFAULT_PASS_THRESHOLD).toBe(0.5);
    expect(python.passThreshold).toBe(0.5);
    expect(criterionPassed(python, response(0.5))).toBe(true);
    expect(criterionPassed(python, response(0.49))).toBe(false);
    expect(describePassRule(python)).toBe("score >= 0.5 (default threshold)");
    expect(describePassRule(similarity)).toBe("score >= 0.7");
    expect(passThresholdOf("string_check", undefined)).toBeNull();
    expect(passThresholdOf("label_model", undefined)).toBeNull();
  });

  it("a grading error is neither a pass nor a fail, whatever the reward", () => {
    for (const c of [stringCheck, label, similarity, python, scoreModel]) expect(criterionPassed(c, response(1, { result: "good" }, true))).toBeNull();
  });
});

describe("item status and the pass-rate gate", () => {
  it("an item passes when every criterion passes; an error wins over a fail", () => {
    expect(itemStatus([true, true, true])).toBe("pass");
    expect(itemStatus([true, false, true])).toBe("fail");
    expect(itemStatus([false, null, true])).toBe("error");
    expect(itemStatus(null)).toBe("error");
  });

  it("the pass rate is passed over all items; an empty run fails any gate", () => {
    const counts = { total: 8, passed: 6, failed: 1, errored: 1 };
    expect(passRate(counts)).toBe(0.75);
    expect(belowMinPassRate(counts, 0.75)).toBe(false);
    expect(belowMinPassRate(counts, 0.76)).toBe(true);
    const empty = { total: 0, passed: 0, failed: 0, errored: 0 };
    expect(passRate(empty)).toBeNull();
    expect(belowMinPassRate(empty, 0)).toBe(true);
  });
});
