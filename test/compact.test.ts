// The compact response (issue 11): reward, sub_rewards for multi only, and errors / error only
// when something went wrong.
import { describe, expect, it } from "vitest";
import { compactResponse } from "../src/core/compact.js";
import { emptyResponse } from "../src/core/response.js";

describe("compactResponse", () => {
  it("is the reward alone when nothing went wrong", () => {
    const res = emptyResponse("exact", "string_check");
    res.reward = 1;
    expect(compactResponse(res)).toEqual({ reward: 1 });
  });

  it("keeps a multi's sub_rewards, even when empty of failures", () => {
    const res = emptyResponse("m", "multi");
    res.reward = 0.5;
    res.sub_rewards = { a: 1, b: 0 };
    expect(compactResponse(res)).toEqual({ reward: 0.5, sub_rewards: { a: 1, b: 0 } });
  });

  it("keeps only the raised flags and the non-null details, and the error", () => {
    const res = emptyResponse("py", "python");
    res.metadata.errors.python_grader_server_error = true;
    res.metadata.errors.python_grader_server_error_type = "timeout";
    res.error = { flag: "python_grader_server_error", message: "timed out" };
    expect(compactResponse(res)).toEqual({
      reward: 0,
      errors: { python_grader_server_error: true, python_grader_server_error_type: "timeout" },
      error: { flag: "python_grader_server_error", message: "timed out" },
    });
  });
});
