// The reward routes of `graderkit serve` (issue 16), through real HTTP on 127.0.0.1, graded on the
// main thread (--workers 0: the pool needs the built package; test/rewards-pool.test.ts covers it).
// Python gradings go through a scripted executor, so queueing, timeouts and retries are exact.

import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PythonExecutor, PythonOutcome } from "../src/core/executors.js";
import type { RunResponse } from "../src/core/response.js";
import { compactResponse } from "../src/core/compact.js";
import { gradeSample } from "../src/graders/grade-sample.js";
import { createGradersServer, type GradersServer, type GradersServerOptions } from "../src/server/graders-api.js";
import { GraderValidationError } from "../src/schema/load.js";
import { canonicalJson } from "../src/util/canonical-json.js";
import { metricValue } from "./helpers/serve.js";

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" } as const;
const rougeL = { type: "text_similarity", name: "rl", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "rouge_l" } as const;
const both = { type: "multi", name: "both", graders: { exact, rl: rougeL }, calculate_output: "0.5 * exact + 0.5 * rl" } as const;
const slow = { type: "python", name: "slow", source: "def grade(sample, item):\n    return 0.25\n" } as const;

/** A python executor that answers 0.25 after `delayMs`, counting calls. */
function scriptedPython(delayMs: number): PythonExecutor & { calls: number } {
  const ex = {
    calls: 0,
    async grade(): Promise<PythonOutcome> {
      ex.calls++;
      await new Promise((r) => setTimeout(r, delayMs));
      return { kind: "ok", reward: 0.25 };
    },
    async close() {},
  };
  return ex;
}

async function start(options: Partial<GradersServerOptions> = {}): Promise<{ server: GradersServer; url: string }> {
  const server = createGradersServer({ executors: {}, port: 0, graders: { exact, rl: rougeL, both }, ...options });
  const { url } = await server.listen();
  return { server, url: url.replace(/\/v1$/, "") };
}

interface Answer {
  status: number;
  headers: Headers;
  json: any;
}

async function call(base: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = body === undefined ? { headers } : { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json", ...headers } };
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text };
}

let main: { server: GradersServer; url: string };
beforeAll(async () => {
  main = await start();
});
afterAll(async () => {
  await main?.server.close();
});

const rows = [
  { model_sample: "a b c", item: { answer: "a b d" } },
  { id: "r1", model_sample: "144", item: { answer: "144" } },
  { sample: { output_text: "the cat sat" }, item: { answer: "the cat sat on the mat" } },
];

describe("POST /v1/rewards", () => {
  it("answers one reward and one compact row per row, in order, for a named grader", async () => {
    const res = await call(main.url, "/v1/rewards", { grader: "rl", rows });
    expect(res.status).toBe(200);
    // ROUGE-L F-measure by hand: LCS 2 of 3 and 3 tokens; LCS 3 of 3 and 6 tokens (P 1, R 1/2).
    expect(res.json.rewards[0]).toBeCloseTo(2 / 3, 12);
    expect(res.json.rewards[1]).toBe(1);
    expect(res.json.rewards[2]).toBeCloseTo((2 * 1 * 0.5) / 1.5, 12);
    expect(res.json.rows).toEqual([{ reward: res.json.rewards[0] }, { id: "r1", reward: 1 }, { reward: res.json.rewards[2] }]);
  });

  it("gives exactly gradeSample's numbers, compact (with a multi's sub_rewards) or full", async () => {
    const expected = await Promise.all(rows.map((r) => gradeSample(both, r)));
    const compact = await call(main.url, "/v1/rewards", { grader: "both", rows });
    expect(compact.json.rewards).toEqual(expected.map((e) => e.reward));
    expect(compact.json.rows.map(({ id: _id, ...r }: any) => r)).toEqual(expected.map(compactResponse));
    const full = await call(main.url, "/v1/rewards", { grader: both, rows, format: "full" });
    const untimed = (r: object) => JSON.parse(JSON.stringify(r), (k, v: unknown) => (k === "execution_time" ? 0 : v));
    expect(full.json.rows.map(({ id: _id, ...r }: any) => untimed(r))).toEqual(expected.map(untimed));
    expect(Object.keys((full.json.rows[0] as RunResponse).metadata.errors)).toHaveLength(14);
  });

  it("a row's problem is that row's reward 0 and flags, never a failed request", async () => {
    const res = await call(main.url, "/v1/rewards", {
      grader: "exact",
      rows: [5, { item: {} }, { model_sample: "x", item: {} }, { model_sample: "z".repeat(100_001), item: { answer: "z" } }, { model_sample: "1", item: { answer: "1" } }],
    });
    expect(res.status).toBe(200);
    expect(res.json.rewards).toEqual([0, 0, 0, 0, 1]);
    const [notObject, noSample, missingVar, tooLong, fine] = res.json.rows;
    expect(notObject).toMatchObject({ reward: 0, errors: { sample_parse_error: true }, error: { flag: "sample_parse_error", message: "row 0: a row must be a JSON object" } });
    expect(noSample.error.message).toBe("row 1: the row has neither 'sample' nor 'model_sample'");
    expect(missingVar).toMatchObject({ errors: { invalid_variable_error: true }, error: { path: "/reference" } });
    expect(tooLong.error).toEqual({ flag: "sample_parse_error", message: "/rows/3/model_sample is 100001 characters; the limit is 100000 (maxFieldChars)", path: "/rows/3/model_sample" });
    expect(fine).toEqual({ reward: 1 });
  });

  it("an inline grader is validated (400 with a pointer into the body) and cached", async () => {
    const ok = await call(main.url, "/v1/rewards", { grader: exact, rows: [{ model_sample: "a", item: { answer: "a" } }] });
    expect(ok.json.rewards).toEqual([1]);
    const bad = await call(main.url, "/v1/rewards", { grader: { ...exact, operation: "equals" }, rows: [] });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ param: "/grader/operation", code: "invalid_enum_value", type: "invalid_request_error" });
  });

  it("request problems are 400s naming the field; an empty batch is an empty answer", async () => {
    const cases: Array<[unknown, string | null, string]> = [
      [{ grader: "nope", rows: [] }, "/grader", "unknown_grader"],
      [{ rows: [] }, "/grader", "missing_required_field"],
      [{ grader: "exact" }, "/rows", "missing_required_field"],
      [{ grader: "exact", rows: {} }, "/rows", "invalid_type"],
      [{ grader: "exact", rows: [], format: "tiny" }, "/format", "invalid_enum_value"],
      [{ grader: "exact", rows: [], extra: 1 }, "/extra", "unknown_parameter"],
      [[1, 2], null, "invalid_type"],
      ['{"grader": "exact", "rows": [{"model_sample": "a"}, {"model_sample": }]}', "/rows/1", "invalid_json"],
      ['{"grader": "exact", "rows": [1, 2,]}', null, "invalid_json"],
      ['{"grader": "exact", "rows": []} trailing', null, "invalid_json"],
    ];
    for (const [body, param, code] of cases) {
      const res = await call(main.url, "/v1/rewards", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error, JSON.stringify(body)).toMatchObject({ param, code });
    }
    const unknown = await call(main.url, "/v1/rewards", { grader: "nope", rows: [] });
    expect(unknown.json.error.message).toBe('no grader named "nope"; this server has: exact, rl, both');
    expect((await call(main.url, "/v1/rewards", { grader: "exact", rows: [] })).json).toEqual({ rewards: [], rows: [] });
  });

  it("rows are read as JSON: escapes, unicode and nesting inside strings do not confuse the reader", async () => {
    const tricky = [
      { model_sample: 'quote " and \\ backslash ] } [ {', item: { answer: 'quote " and \\ backslash ] } [ {' } },
      { model_sample: "é中😀", item: { answer: "é中😀" } },
      { model_sample: "\\", item: { answer: "\\" } },
    ];
    const res = await call(main.url, "/v1/rewards", `{ "rows" : ${JSON.stringify(tricky, null, 2)} , "grader":"exact" }`);
    expect(res.status).toBe(200);
    expect(res.json.rewards).toEqual([1, 1, 1]);
  });
});

describe("GET /v1/graders", () => {
  it("lists the named graders with their type, SHA-256 and metric signatures", async () => {
    const res = await call(main.url, "/v1/graders");
    expect(res.status).toBe(200);
    expect(res.json.object).toBe("list");
    expect(res.json.data.map((g: any) => [g.name, g.type, g.executor_backed])).toEqual([["exact", "string_check", false], ["rl", "text_similarity", false], ["both", "multi", false]]);
    const sha = createHash("sha256").update(canonicalJson({ grader: rougeL })).digest("hex");
    const rl = res.json.data[1];
    expect(rl.sha256).toBe(sha);
    expect(rl.signatures).toEqual({ "": expect.stringMatching(/^rouge_l\|rouge-score:0\.1\.2\|/) });
    expect(res.json.data[2].signatures).toEqual({ "/graders/rl": rl.signatures[""] });
  });

  it("an invalid named grader stops the server before it is created", () => {
    expect(() => createGradersServer({ executors: {}, graders: { bad: { ...exact, operation: "equals" } } })).toThrow(GraderValidationError);
    expect(() => createGradersServer({ executors: {}, graders: { "a/b": exact } })).toThrow(/grader name "a\/b"/);
  });
});

describe("POST /v1/openrlhf/NAME", () => {
  it("grades each query without its prompt against the label, answering rewards, scores and extra_logs", async () => {
    const body = {
      query: ["<|user|>2+2?<|assistant|>4", "<|user|>capital?<|assistant|>Paris", "no prompt prefix"],
      prompts: ["<|user|>2+2?<|assistant|>", "<|user|>capital?<|assistant|>", "something else"],
      labels: ["4", '{"answer": "Paris"}', "x"],
    };
    // A label that is not a JSON object is {"label": label}: grade it with a grader that reads it.
    const res = await call(main.url, "/v1/openrlhf/both", body);
    expect(res.status).toBe(200);
    // Row 0 and 2: item {label} has no answer → invalid_variable_error in both children, reward 0.
    expect(res.json).toEqual({ rewards: [0, 1, 0], scores: [0, 1, 0], extra_logs: { exact: [0, 1, 0], rl: [0, 1, 0], graderkit_error: [1, 0, 1] } });
    const withLabel = createGradersServer({ executors: {}, port: 0, graders: { label: { ...exact, reference: "{{ item.label }}" } } });
    const { url } = await withLabel.listen();
    try {
      const r = await call(url.replace(/\/v1$/, ""), "/v1/openrlhf/label", body);
      // "4" matches; the JSON label has no `label` field; "no prompt prefix" is graded whole.
      expect(r.json.rewards).toEqual([1, 0, 0]);
      const whole = await call(url.replace(/\/v1$/, ""), "/v1/openrlhf/label", { query: ["no prompt prefix"], prompts: ["other"], labels: ["no prompt prefix"] });
      expect(whole.json.rewards).toEqual([1]);
    } finally {
      await withLabel.close();
    }
  });

  it("an unknown grader is a 404; mismatched lists and unknown fields are 400s", async () => {
    const unknown = await call(main.url, "/v1/openrlhf/nope", { query: ["a"] });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("unknown_grader");
    const mismatch = await call(main.url, "/v1/openrlhf/exact", { query: ["a", "b"], prompts: ["a"] });
    expect(mismatch.json.error).toMatchObject({ param: "/prompts", code: "invalid_length" });
    expect((await call(main.url, "/v1/openrlhf/exact", { query: "a" })).json.error.param).toBe("/query");
    expect((await call(main.url, "/v1/openrlhf/exact", { query: ["a"], extra: 1 })).json.error.code).toBe("unknown_parameter");
  });
});

describe("behaviour under load", () => {
  it("a request larger than the whole queue is a 413; one that does not fit now is a 429 with Retry-After", async () => {
    const python = scriptedPython(600);
    const s = await start({ executors: { python }, maxQueueRows: 4, graders: { slow } });
    try {
      const three = Array.from({ length: 3 }, () => ({ model_sample: "x" }));
      const tooMany = await call(s.url, "/v1/rewards", { grader: "slow", rows: [...three, ...three] });
      expect(tooMany.status).toBe(413);
      expect(tooMany.json.error).toMatchObject({ code: "too_many_rows", param: "/rows" });
      const first = call(s.url, "/v1/rewards", { grader: "slow", rows: three });
      await new Promise((r) => setTimeout(r, 150));
      const busy = await call(s.url, "/v1/rewards", { grader: "slow", rows: three.slice(0, 2) });
      expect(busy.status).toBe(429);
      expect(busy.json.error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
      expect(Number(busy.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      // One row still fits beside the three.
      expect((await call(s.url, "/v1/rewards", { grader: "slow", rows: three.slice(0, 1) })).json.rewards).toEqual([0.25]);
      expect((await first).json.rewards).toEqual([0.25, 0.25, 0.25]);
      // Answered rows give their room back.
      expect((await call(s.url, "/v1/rewards", { grader: "slow", rows: [...three, three[0]] })).status).toBe(200);
    } finally {
      await s.server.close();
    }
  });

  it("past --request-timeout a 504; the same request again gets the rows graded meanwhile, not graded twice", async () => {
    const python = scriptedPython(700);
    const s = await start({ executors: { python }, requestTimeoutMs: 200, graders: { slow } });
    try {
      const body = { grader: "slow", rows: [{ model_sample: "a" }, { model_sample: "b" }] };
      const timedOut = await call(s.url, "/v1/rewards", body);
      expect(timedOut.status).toBe(504);
      expect(timedOut.json.error).toMatchObject({ type: "server_error", code: "request_timeout" });
      expect(timedOut.json.error.message).toContain("send the same request again");
      // The retry joins the grading under way (a second 504 while it runs), then gets its answer.
      let retry = await call(s.url, "/v1/rewards", body);
      for (let i = 0; retry.status === 504 && i < 20; i++) retry = await call(s.url, "/v1/rewards", body);
      expect(retry.status).toBe(200);
      expect(retry.json.rewards).toEqual([0.25, 0.25]);
      expect(python.calls).toBe(2);
      // A different request is graded afresh.
      const other = await call(s.url, "/v1/rewards", { ...body, rows: [{ model_sample: "c" }] });
      expect(other.status).toBe(504);
      expect(python.calls).toBe(3);
    } finally {
      await s.server.close();
    }
  });

  it("python rows go through the executor concurrently (its cap decides), not one after another", async () => {
    const python = scriptedPython(300);
    const s = await start({ executors: { python }, graders: { slow } });
    try {
      const t0 = performance.now();
      const res = await call(s.url, "/v1/rewards", { grader: "slow", rows: Array.from({ length: 8 }, () => ({ model_sample: "x" })) });
      const ms = performance.now() - t0;
      expect(res.json.rewards).toEqual(new Array(8).fill(0.25));
      // 8 × 300 ms one after another would be 2.4 s.
      expect(ms).toBeLessThan(1500);
    } finally {
      await s.server.close();
    }
  });
});

describe("access and operations", () => {
  it("with an API key, every route but /healthz needs Authorization: Bearer KEY", async () => {
    const s = await start({ apiKey: "s3cret" });
    try {
      const body = { grader: "exact", rows: [] };
      const none = await call(s.url, "/v1/rewards", body);
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toContain("Bearer");
      expect(none.json.error).toMatchObject({ code: "invalid_api_key" });
      expect((await call(s.url, "/v1/rewards", body, { authorization: "Bearer wrong" })).json.error.message).toBe("incorrect API key provided");
      expect((await call(s.url, "/v1/rewards", body, { authorization: "Bearer s3cret" })).status).toBe(200);
      expect((await call(s.url, "/v1/graders")).status).toBe(401);
      expect((await call(s.url, "/metrics")).status).toBe(401);
      expect((await call(s.url, "/v1/fine_tuning/alpha/graders/run", { grader: exact, model_sample: "a" })).status).toBe(401);
      expect((await call(s.url, "/healthz")).status).toBe(200);
    } finally {
      await s.server.close();
    }
  });

  it("keeps idle connections 65 s (a trainer calls once a step), and says so to clients", async () => {
    const res = await call(main.url, "/healthz");
    expect(res.headers.get("keep-alive")).toBe("timeout=65");
  });

  it("/healthz is ready once listening, 503 while shutting down", async () => {
    const python = scriptedPython(800);
    const s = await start({ executors: { python }, graders: { slow } });
    const health = await call(s.url, "/healthz");
    expect(health.json).toMatchObject({ status: "ok", graders: 1, workers: 0 });
    const inFlight = call(s.url, "/v1/rewards", { grader: "slow", rows: [{ model_sample: "x" }] });
    await new Promise((r) => setTimeout(r, 100));
    const closed = s.server.close();
    const during = await call(s.url, "/healthz").catch(() => null);
    // In-flight requests finish; probes see the shutdown (when they still get through).
    if (during) expect(during.status).toBe(503);
    expect((await inFlight).json.rewards).toEqual([0.25]);
    await closed;
  });

  it("/metrics counts requests by route and status, rows by grader, and error flags, in Prometheus text", async () => {
    const s = await start();
    try {
      await call(s.url, "/v1/rewards", { grader: "exact", rows: [{ model_sample: "a", item: { answer: "a" } }, { model_sample: "a", item: {} }, 7] });
      await call(s.url, "/v1/rewards", { grader: exact, rows: [{ model_sample: "a", item: { answer: "a" } }] });
      await call(s.url, "/v1/rewards", { grader: "nope", rows: [] });
      const res = await call(s.url, "/metrics");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      const text = res.json as string;
      const value = (line: string) => metricValue(text, line);
      expect(value('graderkit_http_requests_total{route="rewards",status="200"}')).toBe(2);
      expect(value('graderkit_http_requests_total{route="rewards",status="400"}')).toBe(1);
      expect(value('graderkit_rows_graded_total{grader="exact"}')).toBe(3);
      expect(value('graderkit_rows_graded_total{grader="inline"}')).toBe(1);
      expect(value('graderkit_row_errors_total{flag="invalid_variable_error"}')).toBe(1);
      expect(value('graderkit_row_errors_total{flag="sample_parse_error"}')).toBe(1);
      expect(value("graderkit_queue_rows")).toBe(0);
      expect(value('graderkit_grading_duration_seconds_count{grader="exact"}')).toBe(1);
      expect(text).toMatch(/^graderkit_nodejs_eventloop_lag_seconds /m);
    } finally {
      await s.server.close();
    }
  });

  it("GET routes refuse POST and the other way round (405 with Allow)", async () => {
    const post = await call(main.url, "/v1/graders", {});
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
    const get = await call(main.url, "/v1/rewards");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });
});
