// graderkit.config.json and createExecutors: the schema (pointers, unknown keys), relative
// paths, the environment read in one place, one HTTP client per endpoint (the documented
// in-flight bound is the real one), and the model executor's limits (issue 10 items 19, 20).
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkConfig,
  ConfigError,
  configSchema,
  createExecutors,
  loadConfig,
  type CacheConfig,
  type EmbeddingConfig,
  type ExecutorsConfig,
  type GraderkitConfig,
  type ModelConfig,
  type ModelRouteConfig,
  type PythonConfig,
} from "../src/config/index.js";
import type { ChatRequest } from "../src/core/executors.js";
import { createChatExecutor, createEmbeddingExecutor } from "../src/executors/openai/index.js";
import { cosineReward } from "../src/graders/cosine.js";
import { gradeSample } from "../src/graders/grade-sample.js";
import { cli, tempDir } from "./helpers/cli.js";
import { answer, scoreContent, startFakeOpenAI, type FakeOpenAIServer } from "./helpers/fake-openai-server.js";

const REQUEST: ChatRequest = {
  model: "judge",
  messages: [{ role: "user", content: "grade this" }],
  sampling: {},
  responseFormat: { name: "score_model_result", schema: { type: "object" } },
};

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(() => server.close());

describe("config schema", () => {
  // Required<…> literals list every key of each type (a missing or extra key does not compile).
  const python: Required<PythonConfig> = { path: "/usr/bin/python3", timeoutSeconds: 10, memoryMb: 512, workers: 2, sandbox: "bwrap" };
  const route: Required<ModelRouteConfig> = { baseUrl: "http://127.0.0.1:9/v1", model: "local", apiKey: "k2" };
  const model: Required<ModelConfig> = { baseUrl: "http://127.0.0.1:8000/v1", apiKey: "k", timeoutSeconds: 30, maxRetries: 1, concurrency: 4, maxResponseMb: 8, routes: { "gpt-4o": route } };
  const embedding: Required<EmbeddingConfig> = { baseUrl: "http://127.0.0.1:8001/v1", apiKey: "k3", model: "e", batchSize: 64 };
  const cache: Required<CacheConfig> = { enabled: false, dir: "cache" };
  const executors: Required<ExecutorsConfig> = { python, model, embedding, cache };
  const full: Required<GraderkitConfig> = { $schema: "https://graderkit.dev/schema/config.json", executors };

  it("accepts every documented key", () => {
    expect(checkConfig(structuredClone(full))).toEqual(full);
  });

  it("rejects unknown keys and bad values with a pointer each", () => {
    const bad = { executors: { python: { timeoutSecond: 3, memoryMb: 8 }, model: { baseUrl: "localhost:8000" } } };
    const err = (() => {
      try {
        checkConfig(bad, "g.json");
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("accepted");
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems.map((p) => p.pointer).sort()).toEqual(["/executors/model/baseUrl", "/executors/python/memoryMb", "/executors/python/timeoutSecond"]);
    expect(err.message).toContain("g.json: invalid config");
  });

  it("says where graderkit 0.1's top-level sections went", () => {
    expect(() => checkConfig({ model: { baseUrl: "http://x/v1" } })).toThrow(/executor settings live under "executors" \(e\.g\. \/executors\/model\)/);
  });

  it("lists exactly the keys of the types (schema ↔ types)", () => {
    const props = (schema: unknown) => Object.keys((schema as { properties: object }).properties).sort();
    const keys = (o: object) => Object.keys(o).sort();
    const ex = (configSchema as { properties: { executors: { properties: Record<string, unknown> } } }).properties.executors;
    expect(props(configSchema)).toEqual(keys(full));
    expect(props(ex)).toEqual(keys(executors));
    for (const [section, value] of Object.entries(executors)) expect(props(ex.properties[section]), section).toEqual(keys(value));
    const routes = (ex.properties.model as { properties: { routes: { additionalProperties: unknown } } }).properties.routes;
    expect(props(routes.additionalProperties)).toEqual(keys(route));
  });

  it("loadConfig ignores a BOM, reports line:column, and resolves relative paths against the file's folder", () => {
    const dir = tempDir("graderkit-config-");
    mkdirSync(join(dir, "conf"));
    const file = join(dir, "conf", "graderkit.config.json");
    writeFileSync(file, "\ufeff" + JSON.stringify({ executors: { cache: { dir: "../cache" }, python: { path: "venv/bin/python" } } }));
    const c = loadConfig(file);
    expect(c.executors?.cache?.dir).toBe(join(dir, "cache"));
    expect(c.executors?.python?.path).toBe(join(dir, "conf", "venv/bin/python"));
    writeFileSync(file, '{\n  "executors": {\n    "cache": {}\n  },\n}');
    expect(() => loadConfig(file)).toThrow(/line 5, column 1: trailing comma/);
  });

  it("the CLI reports config problems with the file and pointer (exit 2)", async () => {
    const dir = tempDir("graderkit-config-cli-");
    const file = join(dir, "c.json");
    writeFileSync(file, JSON.stringify({ executors: { python: { timeoutSecond: 3 } } }));
    const r = await cli(["grade", "graders/exact-answer.json", "--sample", "1", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: /executors/python/timeoutSecond: unknown field 'timeoutSecond'`);
  });
});

describe("createExecutors", () => {
  const keyOf = async (config: GraderkitConfig, env: NodeJS.ProcessEnv) => {
    const set = createExecutors({ executors: { ...config.executors, cache: { enabled: false } } }, env);
    const before = server.requests.length;
    server.chat(answer(scoreContent(1)));
    await set.executors.chat!.complete(REQUEST);
    await set.close();
    return server.requests.slice(before)[0]!.headers.authorization;
  };

  it("reads the key from the config, else $GRADERKIT_API_KEY, else $OPENAI_API_KEY; an empty one sends none", async () => {
    const model = { baseUrl: server.url };
    expect(await keyOf({ executors: { model: { ...model, apiKey: "sk-config" } } }, { GRADERKIT_API_KEY: "sk-g", OPENAI_API_KEY: "sk-o" })).toBe("Bearer sk-config");
    expect(await keyOf({ executors: { model } }, { GRADERKIT_API_KEY: "sk-g", OPENAI_API_KEY: "sk-o" })).toBe("Bearer sk-g");
    expect(await keyOf({ executors: { model } }, { OPENAI_API_KEY: "sk-o" })).toBe("Bearer sk-o");
    expect(await keyOf({ executors: { model } }, { GRADERKIT_API_KEY: "", OPENAI_API_KEY: "sk-o" })).toBeUndefined();
  });

  it("takes the endpoint from $OPENAI_BASE_URL; without any, model executors are absent", async () => {
    const set = createExecutors({ executors: { cache: { enabled: false } } }, { OPENAI_BASE_URL: server.url });
    expect(set.executors.chat).toBeDefined();
    expect(set.executors.embedding).toBeDefined();
    await set.close();
    const none = createExecutors({}, {});
    expect(none.executors.chat).toBeUndefined();
    expect(none.executors.embedding).toBeUndefined();
    expect(none.cacheStats()).toBeUndefined();
    await none.close();
  });

  it("chat and embeddings on one endpoint share one in-flight bound", async () => {
    const dir = tempDir("graderkit-shared-");
    const set = createExecutors({ executors: { model: { baseUrl: server.url, concurrency: 2 }, cache: { enabled: false, dir } } }, {});
    server.resetMaxInFlight();
    for (let i = 0; i < 6; i++) server.chat({ ...answer(scoreContent(1)), delayMs: 60 });
    for (let i = 0; i < 6; i++) server.embeddings({ kind: "embeddings", delayMs: 60 });
    await Promise.all([
      ...Array.from({ length: 6 }, () => set.executors.chat!.complete(REQUEST)),
      // Separate ticks: each embed() is its own request.
      ...Array.from({ length: 6 }, (_, i) => new Promise((r) => setTimeout(r, i)).then(() => set.executors.embedding!.embed([`t${i}`]))),
    ]);
    expect(server.maxInFlight).toBe(2);
    await set.close();
  });

  it("refuses a base URL with credentials in it, without sending anything", () => {
    const before = server.requests.length;
    const url = server.url.replace("http://", "http://user:sk-secret@");
    expect(() => createExecutors({ executors: { model: { baseUrl: url } } }, {})).toThrow(/must not contain credentials/);
    try {
      createExecutors({ executors: { model: { baseUrl: url } } }, {});
    } catch (e) {
      expect((e as Error).message).not.toContain("sk-secret");
    }
    expect(server.requests.length).toBe(before);
  });

  it("checks every endpoint and the embedding batch size at once, with the executors' own messages", () => {
    const direct = (make: () => unknown) => {
      try {
        make();
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error("expected a throw");
    };
    const cases: Array<[ExecutorsConfig, () => unknown]> = [
      [{ model: { baseUrl: "ftp://host/v1/" } }, () => createChatExecutor({ baseUrl: "ftp://host/v1/" })],
      [{ model: { routes: { judge: { baseUrl: "not a url" } } } }, () => createChatExecutor({ routes: { judge: { baseUrl: "not a url" } } })],
      [{ model: { baseUrl: server.url }, embedding: { batchSize: 0 } }, () => createEmbeddingExecutor({ baseUrl: server.url, batchSize: 0 })],
    ];
    for (const [executors, make] of cases) {
      const message = direct(make);
      expect(() => createExecutors({ executors }, {})).toThrow(message);
    }
  });

  it("creates the executors on first use: stats from zero before it, the embedding model known, a call after close answered as closed", async () => {
    const set = createExecutors({ executors: { model: { baseUrl: server.url }, embedding: { model: "emb-x" }, cache: { enabled: false } } }, {});
    expect(set.cacheStats()).toEqual({ hits: 0, misses: 0 });
    expect(set.executors.embedding!.defaultModel).toBe("emb-x");
    expect(set.warnings()).toEqual([]);
    await set.close();
    // Never started, so no interpreter runs: the pool made now answers as a closed one does.
    expect(await set.executors.python!.grade("def grade(sample, item):\n    return 1\n", {}, {})).toMatchObject({ kind: "server_error", type: "unavailable" });
  });

  it("a cosine grader gets its vectors through the embedding executor made on its first call", async () => {
    const set = createExecutors({ executors: { model: { baseUrl: server.url }, cache: { enabled: false } } }, {});
    const grader = { type: "text_similarity", name: "c", evaluation_metric: "cosine", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" };
    const res = await gradeSample(grader, { model_sample: "the cat sat", item: { answer: "a cat was sitting" } }, { executors: set.executors });
    await set.close();
    const direct = await cosineReward("the cat sat", "a cat was sitting", { embedding: createEmbeddingExecutor({ baseUrl: server.url }) });
    expect(res.error).toBeUndefined();
    expect(res.reward).toBe(direct.reward);
    expect(res.metadata.scores).toMatchObject({ signature: direct.signature, similarity: direct.similarity });
  });

  it("creates the cache directory and files owner-only", async () => {
    const dir = join(tempDir("graderkit-cache-modes-"), "cache");
    const set = createExecutors({ executors: { model: { baseUrl: server.url }, cache: { dir } } }, {});
    server.chat(answer(scoreContent(1)));
    await set.executors.chat!.complete({ ...REQUEST, model: "modes" });
    await set.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const shard = readdirSync(dir)[0]!;
    expect(statSync(join(dir, shard)).mode & 0o777).toBe(0o700);
    const entry = readdirSync(join(dir, shard))[0]!;
    expect(statSync(join(dir, shard, entry)).mode & 0o777).toBe(0o600);
  });
});

describe("model executor limits", () => {
  it("a response larger than maxResponseBytes fails once, without retry", async () => {
    const before = server.requests.length;
    server.chat({ kind: "status", status: 200, body: JSON.stringify({ choices: [{ message: { content: "x".repeat(200_000) } }] }) });
    const chat = createChatExecutor({ baseUrl: server.url, maxResponseBytes: 100_000, maxRetries: 2, backoffBaseMs: 1 });
    const out = await chat.complete(REQUEST);
    expect(out.kind).toBe("server_error");
    expect(out.kind === "server_error" && out.details).toMatch(/exceeds 100000 bytes \(maxResponseMb\); not retried/);
    expect(server.requests.length - before).toBe(1);
  });

  it("never echoes the API key back in an error message", async () => {
    server.chat({ kind: "status", status: 400, body: '{"error": {"message": "bad header Authorization: Bearer sk-very-secret-key"}}' });
    const out = await createChatExecutor({ baseUrl: server.url, apiKey: "sk-very-secret-key", maxRetries: 0 }).complete(REQUEST);
    expect(out.kind === "server_error" && out.details).toContain("Bearer [redacted]");
    expect(JSON.stringify(out)).not.toContain("sk-very-secret-key");
  });
});
