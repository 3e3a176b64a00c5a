// What a case's `expect` means, checked on hand-built graders/run responses: every expected
// value below is written out by hand from the rules, not computed by the code under test.
import { describe, expect, it } from "vitest";
import { emptyResponse, type ErrorFlag, type RunResponse } from "../../src/core/response.js";
import { checkCase } from "../../src/testing/expectations.js";
import type { CaseExpectation } from "../../src/testing/types.js";

function response(reward: number, extra: { flags?: ErrorFlag[]; message?: string; sub?: Record<string, number>; details?: string } = {}): RunResponse {
  const res = emptyResponse("g", extra.sub ? "multi" : "python");
  res.reward = reward;
  for (const f of extra.flags ?? []) res.metadata.errors[f] = true;
  if (extra.details !== undefined) res.metadata.errors.python_grader_runtime_error_details = extra.details;
  if (extra.flags?.length) res.error = { flag: extra.flags[0]!, message: extra.message ?? "it went wrong" };
  if (extra.sub) res.sub_rewards = extra.sub;
  return res;
}

const ok = (e: CaseExpectation, res: RunResponse, threshold: number | null = null) => checkCase(e, res, threshold).every((c) => c.ok);
const failedKinds = (e: CaseExpectation, res: RunResponse, threshold: number | null = null) => checkCase(e, res, threshold).filter((c) => !c.ok).map((c) => c.kind);

describe("expect.reward", () => {
  it("holds within the default tolerance 1e-9 and fails beyond it", () => {
    expect(ok({ reward: 0.3 }, response(0.1 + 0.2))).toBe(true); // 0.30000000000000004
    expect(ok({ reward: 0.5 }, response(0.5 + 5e-10))).toBe(true);
    expect(ok({ reward: 0.5 }, response(0.5 + 2e-9))).toBe(false);
  });
  it("takes the case's tolerance", () => {
    expect(ok({ reward: 0.5, tolerance: 0.01 }, response(0.509))).toBe(true);
    expect(ok({ reward: 0.5, tolerance: 0.01 }, response(0.52))).toBe(false);
    expect(ok({ reward: 1, tolerance: 0 }, response(1))).toBe(true);
  });
  it("reward_min and reward_max are inclusive bounds, each optional", () => {
    expect(ok({ reward_min: 0.4, reward_max: 0.6 }, response(0.4))).toBe(true);
    expect(ok({ reward_min: 0.4, reward_max: 0.6 }, response(0.6))).toBe(true);
    expect(failedKinds({ reward_min: 0.4, reward_max: 0.6 }, response(0.61))).toEqual(["reward_range"]);
    expect(ok({ reward_min: 0.4 }, response(7))).toBe(true);
    expect(ok({ reward_max: 0.4 }, response(-3))).toBe(true);
    expect(ok({ reward_max: 0.4 }, response(0.41))).toBe(false);
  });
});

describe("expect.errors", () => {
  it("a case without 'errors' expects no flag: it fails when one is raised", () => {
    expect(ok({}, response(1))).toBe(true);
    const checks = checkCase({ reward: 0 }, response(0, { flags: ["invalid_variable_error"] }), null);
    expect(checks.map((c) => [c.kind, c.ok])).toEqual([["reward", true], ["errors", false]]);
    expect(checks[1]).toMatchObject({ expected: [], actual: ["invalid_variable_error"], missing: [], unexpected: ["invalid_variable_error"] });
  });
  it("every listed flag must be set", () => {
    const c = checkCase({ errors: ["python_grader_runtime_error", "other_error"] }, response(0, { flags: ["python_grader_runtime_error"] }), null);
    expect(c[0]).toMatchObject({ kind: "errors", ok: false, missing: ["other_error"], unexpected: [] });
  });
  it("every flag not listed must be unset", () => {
    const c = checkCase({ errors: ["invalid_variable_error"] }, response(0, { flags: ["invalid_variable_error", "python_grader_runtime_error"] }), null);
    expect(c[0]).toMatchObject({ ok: false, missing: [], unexpected: ["python_grader_runtime_error"] });
    expect(ok({ errors: ["invalid_variable_error", "python_grader_runtime_error"] }, response(0, { flags: ["python_grader_runtime_error", "invalid_variable_error"] }))).toBe(true);
  });
  it("the *_details / *_type companions of a listed flag are not extra flags", () => {
    const res = response(0, { flags: ["python_grader_runtime_error", "python_grader_server_error"], details: "Traceback ...\nKeyError: 'answer'" });
    res.metadata.errors.python_grader_server_error_type = "timeout";
    expect(ok({ errors: ["python_grader_runtime_error", "python_grader_server_error"] }, res)).toBe(true);
  });
  it("an empty list expects none, like no list", () => {
    expect(ok({ errors: [] }, response(0, { flags: ["other_error"] }))).toBe(false);
    expect(ok({ errors: [] }, response(0))).toBe(true);
  });
  it("error_message_includes is a substring test on error.message", () => {
    const res = response(0, { flags: ["invalid_variable_error"], message: "template variable {{ item.answer }} not found" });
    expect(ok({ errors: ["invalid_variable_error"], error_message_includes: "item.answer" }, res)).toBe(true);
    expect(failedKinds({ errors: ["invalid_variable_error"], error_message_includes: "item.question" }, res)).toEqual(["error_message"]);
    expect(failedKinds({ errors: ["other_error"], error_message_includes: "x" }, response(0))).toEqual(["errors", "error_message"]);
  });
});

describe("expect.sub_rewards", () => {
  const multi = response(0.5, { sub: { exact: 0, close: 0.8, format: 1 } });
  it("a number is equal within the tolerance, an object gives inclusive bounds", () => {
    expect(ok({ sub_rewards: { exact: 0, close: 0.8 + 1e-12, format: { min: 1 } } }, multi)).toBe(true);
    expect(ok({ sub_rewards: { close: { min: 0.5, max: 0.8 } } }, multi)).toBe(true);
    expect(ok({ sub_rewards: { close: { max: 0.79 } } }, multi)).toBe(false);
    expect(ok({ sub_rewards: { close: 0.75 }, tolerance: 0.1 }, multi)).toBe(true);
  });
  it("each key is its own check; a key the response lacks fails with actual null", () => {
    const checks = checkCase({ sub_rewards: { exact: 1, close: 0.8, missing: 0 } }, multi, null).filter((c) => c.kind === "sub_reward");
    expect(checks.map((c) => [c.kind === "sub_reward" && c.key, c.ok])).toEqual([["exact", false], ["close", true], ["missing", false]]);
    expect(checks[2]).toMatchObject({ actual: null });
  });
});

describe("expect.passed", () => {
  it("is reward >= the pass threshold", () => {
    expect(ok({ passed: true }, response(0.7), 0.7)).toBe(true);
    expect(ok({ passed: false }, response(0.69), 0.7)).toBe(true);
    const [check] = checkCase({ passed: true }, response(0.69), 0.7).filter((c) => c.kind === "passed");
    expect(check).toEqual({ kind: "passed", ok: false, expected: true, actual: false, threshold: 0.7, reward: 0.69 });
  });
});
