// The vitest matchers on hand-built responses: pass/fail, .not, and what their messages say.
import { describe, expect, it } from "vitest";
import { emptyResponse } from "../../src/core/response.js";
import { graderMatchers } from "../../src/testing/vitest.js";

expect.extend(graderMatchers);

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

function failure(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    return plain((err as Error).message);
  }
  throw new Error("expected the assertion to fail");
}

const res = emptyResponse("m", "multi");
res.reward = 0.5;
res.sub_rewards = { exact: 0, close: 0.8 };
res.metadata.errors.invalid_variable_error = true;
res.error = { flag: "invalid_variable_error", message: "template variable {{ item.answer }} not found", path: "/graders/exact/reference" };

describe("graderMatchers", () => {
  it("pass and fail as their names say, with .not", () => {
    expect(res).toHaveReward(0.5);
    expect(res).toHaveReward(0.51, 0.02);
    expect(res).not.toHaveReward(0.6);
    expect(res).toHaveRewardBetween(0.5, 0.5);
    expect(res).not.toHaveRewardBetween(0.6, 1);
    expect(res).toHaveErrorFlag("invalid_variable_error");
    expect(res).not.toHaveErrorFlag("other_error");
    expect(res).toHaveSubReward("close", 0.8);
    expect(res).not.toHaveSubReward("missing", 0);
  });

  it("failure messages: expected vs received, the flags and the error", () => {
    expect(failure(() => expect(res).toHaveReward(1))).toBe(
      "expect(response).toHaveReward(reward)\n\nExpected reward: 1 (± 1e-9)\nReceived reward: 0.5\n\nRaised flags: \"invalid_variable_error\"\nError: invalid_variable_error at /graders/exact/reference: template variable {{ item.answer }} not found",
    );
    expect(failure(() => expect(res).not.toHaveReward(0.5))).toContain("expect(response).not.toHaveReward(reward)\n\nExpected reward: not 0.5 (± 1e-9)");
    expect(failure(() => expect(res).toHaveRewardBetween(0.6, 1))).toContain("Expected reward: between 0.6 and 1 (inclusive)\nReceived reward: 0.5");
    expect(failure(() => expect(res).not.toHaveErrorFlag("invalid_variable_error"))).toContain('Expected flag: not "invalid_variable_error"');
    expect(failure(() => expect(res).toHaveSubReward("close", 1))).toContain('Expected sub_rewards["close"]: 1 (± 1e-9)\nReceived sub_rewards["close"]: 0.8');
  });

  it("a value that is not a response, an unknown flag or bad bounds throw with a plain explanation", () => {
    expect(() => expect({ reward: 1 }).toHaveReward(1)).toThrow("The received value must be a graders/run response");
    expect(() => expect(res).toHaveErrorFlag("invalid_variable" as never)).toThrow("unknown error flag \"invalid_variable\" (did you mean 'invalid_variable_error'?)");
    expect(() => expect(res).toHaveRewardBetween(1, 0)).toThrow("min 1 is above max 0");
    expect(() => expect(res).toHaveReward(Number.NaN)).toThrow("reward must be a number");
  });
});
