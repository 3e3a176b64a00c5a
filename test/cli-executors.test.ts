// The executors through the command line: flags reach the python and model executors, the
// cache makes a second run free, and every failure stays inside its row.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, parseRows, tempDir, writeJson, writeLines } from "./helpers/cli.js";
import { answer, scoreContent, startFakeOpenAI, type FakeOpenAIServer } from "./helpers/fake-openai-server.js";

let dir: string;
let server: FakeOpenAIServer;

beforeAll(async () => {
  dir = tempDir("graderkit-cli-exec-");
  server = await startFakeOpenAI();
});
afterAll(async () => {
  await server?.close();
});

const python = (source: string) => ({ type: "python", name: "py", source });

describe("python graders from the CLI", () => {
  it("grade: a correct grader, and --python-timeout bounding a hung one", async () => {
    const ok = writeJson(dir, "ok.json", python("def grade(sample, item):\n    return 1.0 if sample['output_text'] == item['a'] else 0.25\n"));
    const r = await cli(["grade", ok, "--sample", "x", "--item", '{"a":"y"}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).reward).toBe(0.25);
    const hang = writeJson(dir, "hang.json", python("def grade(sample, item):\n    while True:\n        pass\n"));
    const t = Date.now();
    const h = await cli(["grade", hang, "--sample", "x", "--python-timeout", "1"]);
    expect(Date.now() - t).toBeLessThan(8000);
    const res = JSON.parse(h.stdout);
    expect(res.reward).toBe(0);
    expect(res.metadata.errors).toMatchObject({ python_grader_server_error: true, python_grader_server_error_type: "timeout" });
  });

  it("run: one row per input row when graders raise, hang or return garbage; the API key is not visible", async () => {
    const src = [
      "import os",
      "def grade(sample, item):",
      "    t = sample['output_text']",
      "    if t == 'raise': raise ValueError('bad sample')",
      "    if t == 'hang':",
      "        while True: pass",
      "    if t == 'str': return 'high'",
      "    if t == 'env': return 1.0 if 'OPENAI_API_KEY' in os.environ else 0.5",
      "    return 1.0",
    ].join("\n");
    const g = writeJson(dir, "mixed.json", python(src));
    const input = writeLines(dir, "mixed.jsonl", ["ok", "raise", "hang", "str", "env", "ok"].map((s, i) => ({ id: i, model_sample: s })));
    const r = await cli(["run", g, input, "--python-timeout", "1"], { env: { OPENAI_API_KEY: "sk-secret-test" } });
    expect(r.code).toBe(0);
    const rows = parseRows(r.stdout);
    expect(rows.map((x) => x.id)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.map((x) => x.reward)).toEqual([1, 0, 0, 0, 0.5, 1]);
    expect(rows[1].metadata.errors.python_grader_runtime_error).toBe(true);
    expect(rows[1].metadata.errors.python_grader_runtime_error_details).toContain("ValueError: bad sample");
    expect(rows[2].metadata.errors.python_grader_server_error_type).toBe("timeout");
    expect(rows[3].metadata.errors.python_grader_runtime_error).toBe(true);
    expect(r.stderr).toContain("python_grader_runtime_error 2");
  });

  it("a missing interpreter is python_grader_server_error 'unavailable', not a crash", async () => {
    const ok = writeJson(dir, "ok2.json", python("def grade(sample, item):\n    return 1.0\n"));
    const r = await cli(["grade", ok, "--sample", "x", "--python", "/nonexistent/python3"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).metadata.errors).toMatchObject({ python_grader_server_error: true, python_grader_server_error_type: "unavailable" });
  });

  it("doctor reports the interpreter and the hosted image's packages", async () => {
    const r = await cli(["doctor", "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.interpreter).toMatch(/python/);
    expect(report.packages.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["numpy", "rapidfuzz", "nltk", "rouge-score"]));
  });
});

describe("model graders from the CLI", () => {
  const judge = { type: "score_model", name: "judge", model: "gpt-4o-mini", input: [{ role: "user", content: "Rate {{ sample.output_text }} against {{ item.answer }}" }], range: [0, 10] };

  it("--model-base-url reaches the endpoint; the cache makes the second run free", async () => {
    const g = writeJson(dir, "judge.json", judge);
    const input = writeLines(dir, "judge.jsonl", [1, 2, 3].map((i) => ({ id: i, item: { answer: `a${i}` }, model_sample: `s${i}` })));
    // The fake answers in the order requests arrive: one request at a time, so row i gets answer i
    // (with rows in flight together, the third row's request could arrive second).
    server.chat(answer(scoreContent(7)), answer(scoreContent(12)), answer("not json"));
    const cacheDir = join(dir, "cache");
    const before = server.requestsTo("chat/completions").length;
    const first = await cli(["run", g, input, "--model-base-url", server.url, "--cache-dir", cacheDir, "--concurrency", "1"], { env: { GRADERKIT_API_KEY: "test-key" } });
    expect(first.code).toBe(0);
    const rows = parseRows(first.stdout);
    expect(rows.map((r) => r.reward)).toEqual([7, 10, 0]);
    expect(rows[2].metadata.errors.model_grader_parse_error).toBe(true);
    expect(rows[0].metadata.token_usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5 });
    const sent = server.requestsTo("chat/completions").slice(before);
    expect(sent).toHaveLength(3);
    expect(sent[0].headers.authorization).toBe("Bearer test-key");
    expect(sent.map((s) => s.body.messages[0].content).sort()).toEqual(["Rate s1 against a1", "Rate s2 against a2", "Rate s3 against a3"]);
    expect(first.stderr).toMatch(/cache: 0 hits, 3 misses/);

    // Second run: every answer the model gave (the unparsable one too: it is what the model
    // said for that request) comes from the cache; no request is made.
    const second = await cli(["run", g, input, "--model-base-url", server.url, "--cache-dir", cacheDir]);
    expect(parseRows(second.stdout).map((r) => r.reward)).toEqual([7, 10, 0]);
    expect(server.requestsTo("chat/completions").length - before).toBe(3);
    expect(second.stderr).toMatch(/cache: 3 hits, 0 misses/);

    // --no-cache asks again.
    server.chat(answer(scoreContent(1)), answer(scoreContent(2)), answer(scoreContent(3)));
    const fresh = await cli(["run", g, input, "--model-base-url", server.url, "--cache-dir", cacheDir, "--no-cache"]);
    expect(parseRows(fresh.stdout).map((r) => r.reward).sort()).toEqual([1, 2, 3]);
    expect(server.requestsTo("chat/completions").length - before).toBe(6);
  });

  it("without an endpoint, model graders report model_grader_server_error per row", async () => {
    const g = writeJson(dir, "judge2.json", judge);
    const r = await cli(["grade", g, "--sample", "x", "--item", '{"answer":"y"}'], { env: { OPENAI_BASE_URL: "" } });
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.metadata.errors.model_grader_server_error).toBe(true);
    expect(res.error.message).toContain("--model-base-url");
  });
});
