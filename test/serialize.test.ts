import { describe, expect, it } from "vitest";
import { compactResponse } from "../src/core/compact.js";
import { rowText } from "../src/engine/serialize.js";
import { emptyResponse, type RunResponse } from "../src/core/response.js";

const serializeRow = (line: number, id: unknown, res: RunResponse) => rowText("full", line, id, res);
const serializeCompactRow = (line: number, id: unknown, res: RunResponse) => rowText("compact", line, id, res);

function variants(): Array<[number, unknown, RunResponse]> {
  const out: Array<[number, unknown, RunResponse]> = [];
  const base = emptyResponse("exact", "string_check");
  out.push([1, undefined, base]);
  out.push([2, "row-2", { ...base, reward: 0.123456789012345 }]);
  out.push([3, 42, { ...base, reward: NaN }]);
  out.push([4, { nested: ["id", 1] }, { ...base, reward: -0 }]);
  const flagged = emptyResponse("n\"ame\n", "python");
  flagged.metadata.errors.python_grader_runtime_error = true;
  flagged.metadata.errors.python_grader_runtime_error_details = "Traceback\n  line 2";
  flagged.error = { flag: "python_grader_runtime_error", message: "boom", path: "a/b" };
  out.push([5, null, flagged]);
  const rich = emptyResponse("combo", "multi");
  rich.reward = 1e21;
  rich.metadata.scores = { a: { signature: "x|y", score: 0.5 }, "ü": [1, 2] };
  rich.metadata.token_usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, cached_tokens: 0 };
  rich.metadata.sampled_model_name = "gpt-4o-mini";
  rich.metadata.execution_time = 1.5e-7;
  rich.sub_rewards = { a: 0.5, b: Infinity };
  rich.model_grader_token_usage_per_model = { "gpt-4o-mini": { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, cached_tokens: 0 } };
  out.push([6, "🙂", rich]);
  return out;
}

describe("serializeRow", () => {
  it("writes exactly what JSON.stringify({line, id, ...response}) writes", () => {
    for (const [line, id, res] of variants()) {
      const expected = JSON.stringify(id === undefined ? { line, ...res } : { line, id, ...res });
      expect(serializeRow(line, id, res)).toBe(expected);
    }
  });
  it("agrees on random rewards and execution times", () => {
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < 2000; i++) {
      const res = emptyResponse("g", "text_similarity");
      res.reward = rand() < 0.1 ? Math.round(rand()) : rand() ** 7;
      res.metadata.execution_time = rand() * 1e-3;
      expect(serializeRow(i, i, res)).toBe(JSON.stringify({ line: i, id: i, ...res }));
    }
  });
});

describe("serializeRow's cached constant parts", () => {
  it("follow the grader's name and type from row to row", () => {
    const graders: Array<[string, string]> = [["a", "string_check"], ["b", "string_check"], ["a", "multi"], ['q"\u2028', "python"], ["a", "string_check"]];
    for (let i = 0; i < 20; i++) {
      const [name, type] = graders[i % graders.length]!;
      const res = emptyResponse(name, type);
      res.reward = i / 7;
      if (i % 3 === 0) res.metadata.sampled_model_name = "m";
      if (i % 4 === 0) res.sub_rewards = { x: i };
      expect(serializeRow(i, i % 2 ? undefined : `r${i}`, res)).toBe(JSON.stringify(i % 2 ? { line: i, ...res } : { line: i, id: `r${i}`, ...res }));
    }
  });
});

describe("serializeCompactRow", () => {
  const expected = (line: number, id: unknown, res: RunResponse) =>
    JSON.stringify(id === undefined ? { line, ...compactResponse(res) } : { line, id, ...compactResponse(res) });

  it("writes exactly what JSON.stringify({line, id, ...compactResponse(response)}) writes", () => {
    for (const [line, id, res] of variants()) expect(serializeCompactRow(line, id, res)).toBe(expected(line, id, res));
  });
  it("is the bare reward for a clean row, and sub_rewards only for multi", () => {
    expect(serializeCompactRow(3, "a", emptyResponse("g", "string_check"))).toBe('{"line":3,"id":"a","reward":0}');
    const multi = emptyResponse("m", "multi");
    expect(serializeCompactRow(1, undefined, multi)).toBe('{"line":1,"reward":0,"sub_rewards":{}}');
  });
  it("keeps each raised flag and non-null detail, in the response's key order", () => {
    const flags = Object.keys(emptyResponse("g", "python").metadata.errors);
    let seed = 11;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < 500; i++) {
      const res = emptyResponse("g", rand() < 0.3 ? "multi" : "python");
      const errors = res.metadata.errors as unknown as Record<string, unknown>;
      for (const key of flags) {
        if (rand() < 0.15) errors[key] = typeof errors[key] === "boolean" ? true : `details ${i}`;
      }
      if (rand() < 0.2) res.error = { flag: "other_error", message: `m${i}`, path: "" } as RunResponse["error"];
      res.reward = rand();
      expect(serializeCompactRow(i, i, res)).toBe(expected(i, i, res));
    }
  });
});
