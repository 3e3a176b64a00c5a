// `graderkit serve` against the official `openai` client: code written for OpenAI's graders API
// must work unchanged against the local server. Plain fetch covers what the client hides
// (404/405/413, bad JSON), and one test drives the real CLI process.

import { existsSync } from "node:fs";
import { request as httpRequest } from "node:http";
import OpenAI, { BadRequestError } from "openai";
import type { GraderRunParams } from "openai/resources/fine-tuning/alpha/graders";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeSample } from "../src/graders/grade-sample.js";
import { createPythonExecutor } from "../src/executors/python/executor.js";
import type { PythonExecutor } from "../src/core/executors.js";
import type { RunResponse } from "../src/core/response.js";
import { createGradersServer, type GradersServer } from "../src/server/graders-api.js";
import { Lru } from "../src/server/lru.js";
import { tempDir } from "./helpers/cli.js";
import { startServe } from "./helpers/serve.js";

// The 14 keys of spec §8, spelled out rather than taken from the implementation.
const ERROR_KEYS = [
  "formula_parse_error", "sample_parse_error", "truncated_observation_error", "unresponsive_reward_error",
  "invalid_variable_error", "other_error", "python_grader_server_error", "python_grader_server_error_type",
  "python_grader_runtime_error", "python_grader_runtime_error_details", "model_grader_server_error",
  "model_grader_refusal_error", "model_grader_parse_error", "model_grader_server_error_details",
].sort();

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" } as const;
const fuzzy = { type: "text_similarity", name: "fuzzy", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "fuzzy_match" } as const;
const multi = { type: "multi", name: "both", graders: { exact, fuzzy }, calculate_output: "0.25 * exact + 0.75 * fuzzy" } as const;
const slowPython = { type: "python", name: "slow", source: "import time\ndef grade(sample, item):\n    time.sleep(1)\n    return 0.5\n" } as const;

let python: PythonExecutor;
let server: GradersServer;
let url: string;
let client: OpenAI;

beforeAll(async () => {
  python = createPythonExecutor({ timeoutSeconds: 5, memoryMb: 256, workers: 1 });
  // 10 MB: the body limit tests below send just over it (the default is 64 MB).
  server = createGradersServer({ executors: { python }, host: "127.0.0.1", port: 0, maxBodyBytes: 10 * 1024 * 1024 });
  ({ url } = await server.listen());
  client = new OpenAI({ apiKey: "test", baseURL: url });
});
afterAll(async () => {
  await server?.close();
  await python?.close();
});

function expectAllErrorKeys(res: { metadata: { errors: object } }): void {
  expect(Object.keys(res.metadata.errors).sort()).toEqual(ERROR_KEYS);
}

/** The execution time is the only field two gradings of the same sample may disagree on. */
function untimed(res: object): unknown {
  return JSON.parse(JSON.stringify(res), (k, v: unknown) => (k === "execution_time" ? 0 : v));
}

async function post(path: string, body: string | Buffer, init: RequestInit = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(`${url}${path}`, { method: "POST", body, ...init, headers: { "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) } });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

describe("graders/run through the openai client", () => {
  it("string_check, text_similarity and multi rewards, exactly as gradeSample computes them", async () => {
    const sample = { model_sample: "abc", item: { answer: "abd" } };
    const s = await client.fineTuning.alpha.graders.run({ grader: exact, ...sample });
    expect(s.reward).toBe(0);
    const ok = await client.fineTuning.alpha.graders.run({ grader: exact, model_sample: "abd", item: { answer: "abd" } });
    expect(ok.reward).toBe(1);
    // rapidfuzz ratio: InDel distance 2 over 6 characters.
    const f = await client.fineTuning.alpha.graders.run({ grader: fuzzy, ...sample });
    expect(f.reward).toBeCloseTo(2 / 3, 12);
    const m = await client.fineTuning.alpha.graders.run({ grader: multi as unknown as GraderRunParams["grader"], ...sample });
    expect(m.reward).toBeCloseTo(0.75 * (2 / 3), 12);
    expect(m.sub_rewards).toEqual({ exact: 0, fuzzy: f.reward });
    for (const res of [s, ok, f, m]) expectAllErrorKeys(res);
    expect(untimed(m)).toEqual(untimed(await gradeSample(multi, sample)));
  });

  it("a missing template variable is reward 0 with invalid_variable_error, not an HTTP error", async () => {
    const res = (await client.fineTuning.alpha.graders.run({ grader: exact, model_sample: "abc", item: {} })) as unknown as RunResponse;
    expect(res.reward).toBe(0);
    expect(res.metadata.errors.invalid_variable_error).toBe(true);
    expect(res.error).toMatchObject({ flag: "invalid_variable_error", path: "/reference" });
    expectAllErrorKeys(res);
  });

  it("an invalid grader is a BadRequestError whose param points into the request body", async () => {
    const grader = { ...exact, operation: "equals" } as unknown as GraderRunParams["grader"];
    const err = await client.fineTuning.alpha.graders.run({ grader, model_sample: "abc" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    const bad = err as BadRequestError;
    expect(bad.status).toBe(400);
    expect(bad.error).toEqual({
      message: 'must be one of "eq", "ne", "like", "ilike"',
      type: "invalid_request_error",
      param: "/grader/operation",
      code: "invalid_enum_value",
    });
    // Inside a multi, the pointer goes through the children's keys.
    const nested = { ...multi, graders: { exact, fuzzy: { ...fuzzy, evaluation_metric: "bleuu" } } } as unknown as GraderRunParams["grader"];
    const err2 = (await client.fineTuning.alpha.graders.run({ grader: nested, model_sample: "abc" }).catch((e: unknown) => e)) as BadRequestError;
    expect(err2.param).toBe("/grader/graders/fuzzy/evaluation_metric");
  });

  it("a missing or non-string model_sample, a non-object item or an unknown argument is a 400", async () => {
    const cases: Array<[object, string, string]> = [
      [{ grader: exact }, "/model_sample", "missing_required_field"],
      [{ grader: exact, model_sample: 42 }, "/model_sample", "invalid_type"],
      [{ grader: exact, model_sample: "x", item: [1] }, "/item", "invalid_type"],
      [{ grader: exact, model_sample: "x", sample: {} }, "/sample", "unknown_parameter"],
      [{ model_sample: "x" }, "/grader", "missing_required_field"],
    ];
    for (const [body, param, code] of cases) {
      const err = (await client.fineTuning.alpha.graders.run(body as GraderRunParams).catch((e: unknown) => e)) as BadRequestError;
      expect(err, JSON.stringify(body)).toBeInstanceOf(BadRequestError);
      expect(err.error, JSON.stringify(body)).toMatchObject({ type: "invalid_request_error", param, code });
    }
  });
});

describe("graders/validate through the openai client", () => {
  it("returns the normalized grader", async () => {
    const { name: _name, ...unnamed } = exact;
    const res = await client.fineTuning.alpha.graders.validate({ grader: unnamed as unknown as GraderRunParams["grader"] });
    expect(res.grader).toEqual({ ...unnamed, name: "string_check" });
  });

  it("rejects an invalid grader with the same error body as run", async () => {
    const { reference: _reference, ...noReference } = exact;
    const err = (await client.fineTuning.alpha.graders.validate({ grader: noReference as unknown as GraderRunParams["grader"] }).catch((e: unknown) => e)) as BadRequestError;
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.error).toEqual({
      message: "missing required field 'reference'",
      type: "invalid_request_error",
      param: "/grader/reference",
      code: "missing_required_field",
    });
  });
});

describe("HTTP edges (plain fetch)", () => {
  it("unknown path → 404 and wrong method → 405, both in OpenAI's error shape", async () => {
    const notFound = await post("/fine_tuning/alpha/graders/nope", "{}");
    expect(notFound.status).toBe(404);
    expect(notFound.json).toEqual({
      error: { message: "Invalid URL (POST /v1/fine_tuning/alpha/graders/nope)", type: "invalid_request_error", param: null, code: null },
    });
    const get = await fetch(`${url}/fine_tuning/alpha/graders/run`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await get.json()).toMatchObject({ error: { type: "invalid_request_error", code: "method_not_allowed" } });
  });

  it("a body that is not JSON, or not an object, is a 400", async () => {
    const bad = await post("/fine_tuning/alpha/graders/run", '{"grader": ');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ type: "invalid_request_error", param: null, code: "invalid_json" });
    const array = await post("/fine_tuning/alpha/graders/validate", "[]");
    expect(array.status).toBe(400);
    expect(array.json.error.code).toBe("invalid_type");
  });

  it("a body over the limit (10 MB here) is a 413, with or without a Content-Length", async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    const declared = await post("/fine_tuning/alpha/graders/run", big);
    expect(declared.status).toBe(413);
    expect(declared.json.error).toMatchObject({ type: "invalid_request_error", code: "request_too_large" });
    // Chunked: the limit is counted while reading.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 11; i++) controller.enqueue(new Uint8Array(1024 * 1024).fill(0x20));
        controller.close();
      },
    });
    const chunked = await post("/fine_tuning/alpha/graders/run", stream as unknown as Buffer, { duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("a slow python grading does not hold up a concurrent string_check", async () => {
    const run = (body: object) => post("/fine_tuning/alpha/graders/run", JSON.stringify(body));
    const t0 = performance.now();
    const slow = run({ grader: slowPython, model_sample: "x" }).then((r) => ({ r, ms: performance.now() - t0 }));
    const fast = await run({ grader: exact, model_sample: "a", item: { answer: "a" } });
    const fastMs = performance.now() - t0;
    expect(fast.json.reward).toBe(1);
    const { r, ms } = await slow;
    expect(r.json.reward).toBe(0.5);
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(fastMs).toBeLessThan(ms - 500);
  });
});

describe("hardening (issue 10 items 13, 14, 16, 17, 18)", () => {
  const RUN = "/fine_tuning/alpha/graders/run";
  const hostOf = () => new URL(url).host;

  it("refuses non-JSON content types, foreign origins and foreign Host names before grading anything", async () => {
    const marker = `${tempDir("graderkit-csrf-")}/written`;
    const writer = { type: "python", name: "w", source: `def grade(sample, item):\n    open(${JSON.stringify(marker)}, "w").write("x")\n    return 1\n` };
    const body = JSON.stringify({ grader: writer, model_sample: "x" });
    const plain = await post(RUN, body, { headers: { "content-type": "text/plain" } });
    expect(plain.status).toBe(415);
    expect(plain.json.error.message).toContain("Content-Type must be application/json");
    const page = await post(RUN, body, { headers: { origin: "https://evil.example" } });
    expect(page.status).toBe(403);
    expect(page.json.error.message).toBe('requests from origin "https://evil.example" are not allowed (allow it with --allow-origin)');
    // DNS rebinding: the page's name resolves to 127.0.0.1, so the Host header carries it.
    const port = new URL(url).port;
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: `/v1${RUN}`, method: "POST", headers: { host: `evil.example:${port}`, "content-type": "application/json" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end(body);
    });
    expect(rebound).toBe(403);
    expect(existsSync(marker)).toBe(false);
    // The server's own names and same-origin pages are fine.
    const local = await post(RUN, JSON.stringify({ grader: exact, model_sample: "a", item: { answer: "a" } }), { headers: { origin: `http://${hostOf()}` } });
    expect(local.status).toBe(200);
  });

  it("allowed origins and hosts are configurable", async () => {
    const s = createGradersServer({ executors: {}, port: 0, allowedOrigins: ["http://localhost:5173"], allowedHosts: ["graders.internal"] });
    const { url: u } = await s.listen();
    try {
      const res = await fetch(`${u}${RUN}`, { method: "POST", headers: { "content-type": "application/json", origin: "http://localhost:5173" }, body: JSON.stringify({ grader: exact, model_sample: "a", item: { answer: "a" } }) });
      expect(res.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it("a text field over the limit is a 400 naming it, before any grading", async () => {
    const s = createGradersServer({ executors: {}, port: 0, maxFieldChars: 1000 });
    const { url: u } = await s.listen();
    try {
      const send = (body: object) => fetch(`${u}${RUN}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
      const long = await send({ grader: fuzzy, model_sample: "a".repeat(1001) });
      expect(long.status).toBe(400);
      expect(long.json.error).toMatchObject({ param: "/model_sample", code: "field_too_long", message: "/model_sample is 1001 characters; the limit is 1000 (maxFieldChars)" });
      const nested = await send({ grader: fuzzy, model_sample: "a", item: { answer: { parts: ["b".repeat(2000)] } } });
      expect(nested.json.error.param).toBe("/item/answer/parts/0");
      expect((await send({ grader: fuzzy, model_sample: "a".repeat(1000), item: { answer: "a" } })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it("a grader nested 100,000 levels deep is a 400, not a stack overflow", async () => {
    const n = 100_000;
    const deep = `{"grader": ${'{"a":'.repeat(n)}1${"}".repeat(n)}, "model_sample": "x"}`;
    const r = await post(RUN, deep);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("nested_too_deeply");
  });

  it("the compile cache does not drop a __proto__ key: an unknown __proto__ field is refused every time", async () => {
    const body = JSON.stringify({ grader: exact, model_sample: "a" }).replace('"name":"exact"', '"name":"exact","__proto__":{"x":1}');
    expect(JSON.parse(body).grader.__proto__).toEqual({ x: 1 });
    const first = await post(RUN, body);
    const second = await post(RUN, body);
    expect([first.status, second.status]).toEqual([400, 400]);
    expect(first.json.error.message).toBe("unknown field '__proto__'");
  });

  it("on close, a request still running after the grace period gets a 503 to retry, one that finishes in time its answer", async () => {
    const py = createPythonExecutor({ timeoutSeconds: 10, workers: 2 });
    const s = createGradersServer({ executors: { python: py }, port: 0, closeGraceMs: 1500 });
    const { url: u } = await s.listen();
    const send = (grader: object) =>
      fetch(`${u}${RUN}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ grader, model_sample: "x" }) }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
    const sleeper = (seconds: number) => ({ type: "python", name: `sleep${seconds}`, source: `import time\ndef grade(sample, item):\n    time.sleep(${seconds})\n    return 0.5\n` });
    try {
      const quick = send(sleeper(0.3));
      const slow = send(sleeper(6));
      await new Promise((r) => setTimeout(r, 150));
      const closed = s.close();
      const [q, sl] = await Promise.all([quick, slow]);
      await closed;
      expect(q).toMatchObject({ status: 200, json: { reward: 0.5 } });
      expect(sl.status).toBe(503);
      expect(sl.json.error).toMatchObject({ type: "server_error", code: "shutting_down" });
    } finally {
      await py.close();
    }
  });
});

describe("compile cache", () => {
  it("is bounded by total size as well as by count", () => {
    const lru = new Lru<string, number>(100, 10);
    lru.set("a", 1, 4);
    lru.set("b", 2, 4);
    lru.set("c", 3, 4); // 12 > 10: a goes
    expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual([undefined, 2, 3]);
    expect(lru.totalSize).toBe(8);
    lru.set("huge", 4, 11); // alone over the bound: not kept, nothing evicted
    expect([lru.get("huge"), lru.size]).toEqual([undefined, 2]);
    lru.set("b", 5, 1); // replacing an entry replaces its size
    expect(lru.totalSize).toBe(5);
  });

  it("evicts the least recently used grader", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1); // a is now the most recent
    lru.set("c", 3);
    expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual([1, undefined, 3]);
    const off = new Lru<string, number>(0);
    off.set("a", 1);
    expect(off.get("a")).toBeUndefined();
  });
});

describe("graderkit serve (CLI)", () => {
  it("prints the real port for --port 0, answers run requests and exits 0 on SIGTERM", async () => {
    const serve = await startServe([]);
    const base = `${serve.base}/v1`;
    const res = await fetch(`${base}/fine_tuning/alpha/graders/run`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer ignored" },
      body: JSON.stringify({ grader: exact, model_sample: "144", item: { answer: "144" } }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as RunResponse).reward).toBe(1);
    expect(await serve.stop()).toBe(0);
    expect(serve.stderr()).toContain("SIGTERM, stopping");
  });
});
