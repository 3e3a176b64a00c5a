import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  backoffDelay,
  createChatExecutor,
  createEmbeddingExecutor,
  isRetryableStatus,
  parseRetryAfter,
  ResponseCache,
  type ChatExecutorOptions,
} from "../../src/executors/openai/index.js";
import type { ChatRequest } from "../../src/core/executors.js";
import { Semaphore } from "../../src/util/semaphore.js";
import {
  answer,
  deadUrl,
  fakeEmbedding,
  scoreContent,
  startFakeOpenAI,
  type FakeOpenAIServer,
} from "../helpers/fake-openai-server.js";

// Small backoff so retry tests stay fast; Retry-After tests override it with the server's ask.
const FAST = { apiKey: "sk-test", backoffBaseMs: 5, backoffMaxMs: 20, timeoutMs: 2_000 } as const;

const REQUEST: ChatRequest = {
  model: "gpt-4o",
  messages: [
    { role: "developer", content: "Grade it." },
    { role: "user", content: [{ type: "text", text: "answer: 4" }] },
  ],
  sampling: { seed: 7, temperature: 0, max_completion_tokens: 64 },
  responseFormat: { name: "score_model_result", schema: { type: "object", properties: {} } },
};

let server: FakeOpenAIServer;
beforeEach(async () => {
  server = await startFakeOpenAI();
});
afterEach(async () => {
  await server.close();
});

function chat(extra: Partial<ChatExecutorOptions> = {}) {
  return createChatExecutor({ baseUrl: server.url, ...FAST, ...extra });
}

describe("http helpers", () => {
  it("parses Retry-After as seconds, HTTP date and retry-after-ms", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    const h = (o: Record<string, string>) => new Headers(o);
    expect(parseRetryAfter(h({ "retry-after": "2" }), now)).toBe(2000);
    expect(parseRetryAfter(h({ "retry-after": "1.5" }), now)).toBe(1500);
    expect(parseRetryAfter(h({ "retry-after": "Wed, 21 Oct 2015 07:28:03 GMT" }), now)).toBe(3000);
    expect(parseRetryAfter(h({ "retry-after": "Wed, 21 Oct 2015 07:27:00 GMT" }), now)).toBe(0);
    expect(parseRetryAfter(h({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(parseRetryAfter(h({ "retry-after": "soon" }), now)).toBeNull();
    expect(parseRetryAfter(h({}), now)).toBeNull();
  });

  it("retries 408, 409, 429 and 5xx unless x-should-retry says otherwise", () => {
    for (const s of [408, 409, 429, 500, 502, 503]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 422]) expect(isRetryableStatus(s)).toBe(false);
    expect(isRetryableStatus(400, new Headers({ "x-should-retry": "true" }))).toBe(true);
    expect(isRetryableStatus(503, new Headers({ "x-should-retry": "false" }))).toBe(false);
  });

  it("draws backoff uniformly under a doubling, capped ceiling", () => {
    expect([0, 1, 2, 3, 9].map((r) => backoffDelay(r, 500, 8000, () => 1))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(backoffDelay(3, 500, 8000, () => 0)).toBe(0);
    expect(backoffDelay(1, 500, 8000, () => 0.5)).toBe(500);
  });

  it("bounds concurrent holders of a semaphore", async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const task = () =>
      sem.run(async () => {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      });
    await Promise.all(Array.from({ length: 7 }, task));
    expect(peak).toBe(2);
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe("chat executor", () => {
  it("sends the Chat Completions wire request and maps the answer", async () => {
    server.chat(
      answer(scoreContent(0.5), {
        model: "gpt-4o-2024-08-06",
        usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 64 } },
      }),
    );
    const outcome = await chat().complete(REQUEST);
    expect(outcome).toEqual({
      kind: "ok",
      content: scoreContent(0.5),
      model: "gpt-4o-2024-08-06",
      usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, cached_tokens: 64 },
      finishReason: "stop",
    });
    const [req] = server.requests;
    expect(req.path).toBe("chat/completions");
    expect(req.headers.authorization).toBe("Bearer sk-test");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body).toEqual({
      model: "gpt-4o",
      messages: REQUEST.messages,
      seed: 7,
      temperature: 0,
      max_completion_tokens: 64,
      response_format: {
        type: "json_schema",
        json_schema: { name: "score_model_result", strict: true, schema: { type: "object", properties: {} } },
      },
    });
  });

  it("asks for free text when the request has no responseFormat, cached apart from structured requests", async () => {
    const cache = new ResponseCache({ dir: await mkdtemp(path.join(tmpdir(), "graderkit-freetext-")) });
    const ex = chat({ cache });
    const { responseFormat: _structured, ...freeText } = REQUEST;
    server.chat(answer("Paris"), answer(scoreContent(1)));
    expect(await ex.complete(freeText)).toMatchObject({ kind: "ok", content: "Paris", finishReason: "stop" });
    expect(server.requests[0]!.body).not.toHaveProperty("response_format");
    // Same messages and sampling with a schema: a different request, not the cached free text.
    expect(await ex.complete(REQUEST)).toMatchObject({ kind: "ok", content: scoreContent(1) });
    expect(await ex.complete(freeText)).toMatchObject({ kind: "ok", content: "Paris" });
    expect(server.requestsTo("chat/completions")).toHaveLength(2);
  });

  it("sends tools and maps a tool-calling answer (null content) to tool calls", async () => {
    const tools = [{ type: "function", function: { name: "capital", parameters: { type: "object", properties: { country: { type: "string" } } } } }];
    const call = { id: "call_1", type: "function", function: { name: "capital", arguments: '{"country":"France"}' } };
    server.chat(answer(null, { toolCalls: [call] }));
    const { responseFormat: _structured, ...freeText } = REQUEST;
    expect(await chat().complete({ ...freeText, tools })).toMatchObject({ kind: "ok", content: "", toolCalls: [call], finishReason: "tool_calls" });
    expect(server.requests[0]!.body.tools).toEqual(tools);
    // Without tools the field is not sent at all.
    server.chat(answer("x"));
    await chat().complete(freeText);
    expect(server.requests[1]!.body).not.toHaveProperty("tools");
  });

  it("maps a missing usage to null and computes a missing total", async () => {
    server.chat(answer("{}", { usage: null }), answer("{}", { usage: { prompt_tokens: 3, completion_tokens: 4 } as never }));
    const ex = chat();
    expect(await ex.complete(REQUEST)).toMatchObject({ kind: "ok", usage: null });
    expect(await ex.complete(REQUEST)).toMatchObject({
      kind: "ok",
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, cached_tokens: 0 },
    });
  });

  it("sends the key it is given as a bearer token, and none for an empty key", async () => {
    await createChatExecutor({ baseUrl: server.url, apiKey: "sk-given" }).complete(REQUEST);
    await createChatExecutor({ baseUrl: server.url, apiKey: "" }).complete(REQUEST);
    await createChatExecutor({ baseUrl: server.url }).complete(REQUEST);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer sk-given", undefined, undefined]);
  });

  it("reports a refusal with its usage", async () => {
    server.chat({ kind: "refusal", refusal: "I can't grade that." });
    expect(await chat().complete(REQUEST)).toEqual({
      kind: "refusal",
      refusal: "I can't grade that.",
      model: "fake-model-2025-01-01",
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cached_tokens: 0 },
    });
  });

  it("retries a 429 after the Retry-After seconds, and after retry-after-ms", async () => {
    server.chat(
      { kind: "status", status: 429, headers: { "retry-after": "1" } },
      { kind: "status", status: 429, headers: { "retry-after-ms": "250" } },
      answer(scoreContent(1)),
    );
    const ex = chat();
    const outcome = await ex.complete(REQUEST);
    expect(outcome.kind).toBe("ok");
    const [a, b, c] = server.requests.map((r) => r.at);
    expect(server.requests).toHaveLength(3);
    expect(b - a).toBeGreaterThanOrEqual(950);
    expect(b - a).toBeLessThan(1_800);
    expect(c - b).toBeGreaterThanOrEqual(230);
    expect(c - b).toBeLessThan(900);
    expect(ex.stats()).toMatchObject({ calls: 1, requests: 3, retries: 2, failures: 0 });
  });

  it("retries a 500 and succeeds", async () => {
    server.chat({ kind: "status", status: 500 }, answer(scoreContent(1)));
    expect((await chat().complete(REQUEST)).kind).toBe("ok");
    expect(server.requests).toHaveLength(2);
  });

  it("gives up after maxRetries with the status and a body excerpt", async () => {
    server.chat(...Array.from({ length: 3 }, () => ({ kind: "status" as const, status: 503, body: '{"error":{"message":"overloaded"}}' })));
    const ex = chat({ maxRetries: 2 });
    const outcome = await ex.complete(REQUEST);
    expect(outcome.kind).toBe("server_error");
    if (outcome.kind !== "server_error") return;
    expect(outcome.details).toContain("HTTP 503");
    expect(outcome.details).toContain("overloaded");
    expect(outcome.details).toContain("3 attempts");
    expect(server.requests).toHaveLength(3);
    expect(ex.stats()).toMatchObject({ requests: 3, retries: 2, failures: 1 });
  });

  it("does not retry a 400", async () => {
    server.chat({ kind: "status", status: 400, body: '{"error":{"message":"bad schema"}}' });
    const outcome = await chat().complete(REQUEST);
    expect(outcome).toMatchObject({ kind: "server_error" });
    expect(outcome.kind === "server_error" && outcome.details).toMatch(/HTTP 400 .*1 attempt: .*bad schema/);
    expect(server.requests).toHaveLength(1);
  });

  it("times out a slow answer, retries, then reports a server error", async () => {
    server.chat({ ...answer("{}"), delayMs: 500 }, { ...answer("{}"), delayMs: 500 });
    const started = performance.now();
    const outcome = await chat({ timeoutMs: 60, maxRetries: 1 }).complete(REQUEST);
    expect(outcome.kind === "server_error" && outcome.details).toMatch(/timed out after 60 ms \(2 attempts\)/);
    expect(server.requests).toHaveLength(2);
    // Two full 500 ms waits would take ≥ 1 s: each attempt was cut at 60 ms.
    expect(performance.now() - started).toBeLessThan(900);
  });

  it("reports a connection error after retrying", async () => {
    const outcome = await createChatExecutor({ baseUrl: await deadUrl(), ...FAST, maxRetries: 1 }).complete(REQUEST);
    expect(outcome.kind === "server_error" && outcome.details).toMatch(/connection error .*ECONNREFUSED.*2 attempts/);
  });

  it("reports a malformed 2xx body without retrying", async () => {
    server.chat({ kind: "malformed" });
    const outcome = await chat().complete(REQUEST);
    expect(outcome.kind === "server_error" && outcome.details).toMatch(/invalid JSON in HTTP 200/);
    expect(server.requests).toHaveLength(1);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    server.chat(...Array.from({ length: 6 }, () => ({ ...answer(scoreContent(1)), delayMs: 40 })));
    const ex = chat({ concurrency: 2 });
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => ex.complete(REQUEST)));
    expect(outcomes.every((o) => o.kind === "ok")).toBe(true);
    expect(server.maxInFlight).toBe(2);
  });

  it("routes a grader model to another endpoint, model and key", async () => {
    const other = await startFakeOpenAI({ model: "local-llm" });
    try {
      const ex = chat({
        routes: {
          "gpt-4o": { baseUrl: other.url, model: "local-llm", apiKey: "sk-local" },
          "gpt-4.1": { model: "gpt-4.1-mini" },
          "o3": { baseUrl: other.url },
        },
      });
      const routed = await ex.complete(REQUEST);
      await ex.complete({ ...REQUEST, model: "gpt-4.1" });
      await ex.complete({ ...REQUEST, model: "o3" });
      await ex.complete({ ...REQUEST, model: "unrouted" });
      expect(routed).toMatchObject({ kind: "ok", model: "local-llm" });
      expect(other.requests.map((r) => [r.body.model, r.headers.authorization])).toEqual([
        ["local-llm", "Bearer sk-local"],
        // Another host never receives the main key.
        ["o3", undefined],
      ]);
      expect(server.requests.map((r) => [r.body.model, r.headers.authorization])).toEqual([
        ["gpt-4.1-mini", "Bearer sk-test"],
        ["unrouted", "Bearer sk-test"],
      ]);
    } finally {
      await other.close();
    }
  });
});

describe("response cache", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "graderkit-cache-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function files(root: string): Promise<string[]> {
    return (await readdir(root, { recursive: true })).filter((f) => f.endsWith(".json") || f.endsWith(".tmp"));
  }

  it("answers an identical call from disk, across executors, with zero requests", async () => {
    const cacheDir = path.join(dir, "hit");
    const cache = new ResponseCache({ dir: cacheDir });
    server.chat(answer(scoreContent(0.25), { model: "m-1" }));
    const first = await chat({ cache }).complete(REQUEST);
    const ex = chat({ cache });
    const second = await ex.complete(structuredClone(REQUEST));
    expect(second).toEqual(first);
    expect(server.requests).toHaveLength(1);
    expect(ex.stats()).toMatchObject({ calls: 1, cache_hits: 1, cache_misses: 0, requests: 0 });
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, writes: 1, write_errors: 0 });

    // A fresh cache object on the same directory (the next run) hits too.
    const nextRun = new ResponseCache({ dir: cacheDir });
    expect(await chat({ cache: nextRun }).complete(REQUEST)).toEqual(first);
    expect(server.requests).toHaveLength(1);

    // Anything that decides the answer is part of the key.
    await chat({ cache }).complete({ ...REQUEST, sampling: { ...REQUEST.sampling, seed: 8 } });
    await chat({ cache }).complete({ ...REQUEST, model: "gpt-4.1" });
    expect(server.requests).toHaveLength(3);

    const stored = await files(cacheDir);
    expect(stored.filter((f) => f.endsWith(".json"))).toHaveLength(3);
    expect(stored.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("never stores errors", async () => {
    const cache = new ResponseCache({ dir: path.join(dir, "errors") });
    server.chat({ kind: "status", status: 500 }, { kind: "malformed" }, answer(scoreContent(1)));
    const ex = chat({ cache, maxRetries: 0 });
    expect((await ex.complete(REQUEST)).kind).toBe("server_error");
    expect((await ex.complete(REQUEST)).kind).toBe("server_error");
    expect((await ex.complete(REQUEST)).kind).toBe("ok");
    expect((await ex.complete(REQUEST)).kind).toBe("ok");
    expect(server.requests).toHaveLength(3);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 3, writes: 1 });
  });

  it("stores refusals (an answer) and skips the disk when disabled", async () => {
    const cache = new ResponseCache({ dir: path.join(dir, "refusal") });
    server.chat({ kind: "refusal", refusal: "no" });
    await chat({ cache }).complete(REQUEST);
    expect(await chat({ cache }).complete(REQUEST)).toMatchObject({ kind: "refusal", refusal: "no" });
    expect(server.requests).toHaveLength(1);

    const off = new ResponseCache({ dir: path.join(dir, "off"), enabled: false });
    await chat({ cache: off }).complete(REQUEST);
    await chat({ cache: off }).complete(REQUEST);
    expect(server.requests).toHaveLength(3);
    expect(off.stats()).toEqual({ hits: 0, misses: 0, writes: 0, write_errors: 0 });
    await expect(readdir(path.join(dir, "off"))).rejects.toThrow(/ENOENT/);
  });
});

describe("embedding executor", () => {
  const opts = () => ({ baseUrl: server.url, ...FAST });

  it("coalesces concurrent calls into one request and orders vectors by data[i].index", async () => {
    server.embeddings({ kind: "embeddings", reverse: true });
    const ex = createEmbeddingExecutor(opts());
    const [ab, c, de] = await Promise.all([ex.embed(["a", "b"]), ex.embed(["c"]), ex.embed(["d", "e"])]);
    expect(ab).toEqual([fakeEmbedding("a"), fakeEmbedding("b")]);
    expect(c).toEqual([fakeEmbedding("c")]);
    expect(de).toEqual([fakeEmbedding("d"), fakeEmbedding("e")]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].path).toBe("embeddings");
    expect(server.requests[0].body).toEqual({ model: "text-embedding-3-large", input: ["a", "b", "c", "d", "e"] });
    expect(server.requests[0].headers.authorization).toBe("Bearer sk-test");
    expect(ex.defaultModel).toBe("text-embedding-3-large");
  });

  it("splits batches at batchSize and shares identical texts in flight", async () => {
    const ex = createEmbeddingExecutor({ ...opts(), batchSize: 2, model: "embed-small" });
    const out = await Promise.all([ex.embed(["p", "q", "p"]), ex.embed(["r", "q", "s"])]);
    expect(out).toEqual([
      [fakeEmbedding("p"), fakeEmbedding("q"), fakeEmbedding("p")],
      [fakeEmbedding("r"), fakeEmbedding("q"), fakeEmbedding("s")],
    ]);
    expect(server.requests.map((r) => r.body.input)).toEqual([["p", "q"], ["r", "s"]]);
    expect(server.requests.every((r) => r.body.model === "embed-small")).toBe(true);
  });

  it("caches per text", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "graderkit-emb-"));
    try {
      const cache = new ResponseCache({ dir });
      const ex = createEmbeddingExecutor({ ...opts(), cache });
      await ex.embed(["a", "b"]);
      // Concurrent calls still share one request when the cache is on (lookups are batched too).
      const [bc, d] = await Promise.all([ex.embed(["b", "c"]), ex.embed(["d"])]);
      expect(bc).toEqual([fakeEmbedding("b"), fakeEmbedding("c")]);
      expect(d).toEqual([fakeEmbedding("d")]);
      expect(server.requests.map((r) => r.body.input)).toEqual([["a", "b"], ["c", "d"]]);
      expect(ex.stats()).toMatchObject({ calls: 5, cache_hits: 1, cache_misses: 4, requests: 2 });
      expect(cache.stats()).toMatchObject({ hits: 1, misses: 4, writes: 4 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects every waiting call when the request fails, and does not remember the failure", async () => {
    server.embeddings({ kind: "status", status: 500 }, { kind: "malformed" });
    const ex = createEmbeddingExecutor({ ...opts(), maxRetries: 0 });
    const failed = await Promise.allSettled([ex.embed(["a"]), ex.embed(["b"])]);
    expect(failed.map((f) => f.status)).toEqual(["rejected", "rejected"]);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(/embedding request failed: HTTP 500/);
    await expect(ex.embed(["a"])).rejects.toThrow(/invalid JSON/);
    expect(await ex.embed(["a"])).toEqual([fakeEmbedding("a")]);
    expect(server.requests).toHaveLength(3);
  });
});
