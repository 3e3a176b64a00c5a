// graders/tests holds a suite for every example grader, run here through the CLI as a user
// would: python graders on real python3, model graders against a scripted judge on a fake
// OpenAI-compatible server (test/helpers/scripted-judge.ts), whose answers the cache then
// replays: a second run makes no model call.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT, tempDir } from "./helpers/cli.js";
import { startFakeOpenAI, type FakeOpenAIServer } from "./helpers/fake-openai-server.js";
import { scriptedJudge } from "./helpers/scripted-judge.js";

const GRADERS = join(ROOT, "graders");
const SUITES = join(GRADERS, "tests");
const suiteFiles = readdirSync(SUITES).filter((f) => f.endsWith(".suite.json")).sort();
const graderOf = (suite: string) => JSON.parse(readFileSync(join(SUITES, suite), "utf8")).grader as string;
const needsModel = (suite: string) => {
  const text = readFileSync(join(GRADERS, basename(graderOf(suite))), "utf8");
  return /"(score_model|label_model|cosine)"/.test(text);
};

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAI({ chatFor: scriptedJudge });
});
afterAll(async () => {
  await server.close();
});

describe("the example graders' suites", () => {
  it("every example grader has a suite in graders/tests that tests it", () => {
    const graders = readdirSync(GRADERS).filter((f) => f.endsWith(".json")).sort();
    expect(suiteFiles.map((s) => basename(graderOf(s)))).toEqual(expect.arrayContaining(graders));
    for (const g of graders) expect(suiteFiles, g).toContain(g.replace(/\.json$/, ".suite.json"));
  });

  it("the suites of graders that need no endpoint pass (python on real python3)", async () => {
    const local = suiteFiles.filter((s) => !needsModel(s)).map((s) => `graders/tests/${s}`);
    const r = await cli(["test", ...local, "--reporter", "json", "--no-cache"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.counts.suites).toBe(local.length);
    expect(report.counts.failed).toBe(0);
    expect(report.counts.passed).toBeGreaterThanOrEqual(4 * local.length);
  }, 120_000);

  it("the model-graded suites pass against the scripted judge, and re-run from the cache without a model call", async () => {
    const remote = suiteFiles.filter(needsModel).map((s) => `graders/tests/${s}`);
    expect(remote.length).toBe(4);
    const cache = tempDir("graderkit-suites-cache-");
    const args = ["test", ...remote, "--model-base-url", server.url, "--cache-dir", cache];
    const first = await cli(args, { env: { GRADERKIT_API_KEY: "sk-test" } });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const calls = server.requests.length;
    expect(calls).toBeGreaterThan(0);
    expect(first.stdout).toMatch(/Cache {3}\d+ hits, [1-9]\d* misses/);
    const again = await cli(args, { env: { GRADERKIT_API_KEY: "sk-test" } });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(server.requests.length).toBe(calls);
    expect(again.stdout).toMatch(/Cache {3}\d+ hits, 0 misses/);
    // The same cases, the same rewards.
    const rewards = (out: string) => out.split("\n").filter((l) => /^ {2}[✓✗]/.test(l));
    expect(rewards(again.stdout)).toEqual(rewards(first.stdout));
  }, 120_000);
});
