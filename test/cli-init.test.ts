// `graderkit init`: for every type, the starter grader validates, its suite passes and the
// dataset runs; existing files are never overwritten.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir } from "./helpers/cli.js";
import { startFakeOpenAI, type FakeOpenAIServer } from "./helpers/fake-openai-server.js";
import { scriptedJudge } from "./helpers/scripted-judge.js";

const TYPES = ["string_check", "text_similarity", "python", "score_model", "multi"];

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAI({ chatFor: scriptedJudge });
});
afterAll(async () => {
  await server.close();
});

describe("graderkit init", () => {
  it("writes, for every type, a grader that validates, a suite that passes and a dataset that runs", async () => {
    const dir = tempDir("graderkit-init-");
    for (const type of TYPES) {
      const r = await cli(["init", `my-${type}`, "--type", type, "--dir", dir]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`wrote ${join(dir, `my-${type}.json`)} (${type} grader), ${join(dir, `my-${type}.suite.json`)} (`);
      expect(r.stdout).toContain(`graderkit test ${join(dir, `my-${type}.suite.json`)}${type === "score_model" ? " --model-base-url URL" : ""}\n`);
    }
    const graders = TYPES.map((t) => join(dir, `my-${t}.json`));
    const validate = await cli(["validate", ...graders]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    const endpoint = ["--model-base-url", server.url, "--no-cache"];
    const test = await cli(["test", ...TYPES.map((t) => join(dir, `my-${t}.suite.json`)), ...endpoint, "--reporter", "json"], { env: { GRADERKIT_API_KEY: "k" } });
    expect(test.code, test.stdout + test.stderr).toBe(0);
    const report = JSON.parse(test.stdout);
    expect(report.suites.map((s: any) => [s.grader.type, s.counts.failed, s.counts.passed >= 3])).toEqual(TYPES.map((t) => [t, 0, true]));
    for (const type of TYPES) {
      const run = await cli(["run", join(dir, `my-${type}.json`), join(dir, `my-${type}.jsonl`), "--quiet", ...endpoint], { env: { GRADERKIT_API_KEY: "k" } });
      expect(run.code, `${type}: ${run.stderr}`).toBe(0);
      const rows = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
      expect(rows.length, type).toBe(4);
      expect(rows.every((row) => Object.values(row.metadata.errors).every((v) => v === false || v === null)), type).toBe(true);
    }
  }, 180_000);

  it("refuses to overwrite: exit 2 naming the files that exist, and nothing is written", async () => {
    const dir = tempDir("graderkit-init-");
    expect((await cli(["init", "r", "--dir", dir])).code).toBe(0);
    writeFileSync(join(dir, "r.json"), "mine");
    const again = await cli(["init", "r", "--dir", dir, "--type", "python"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`will not overwrite ${join(dir, "r.json")}, ${join(dir, "r.suite.json")}, ${join(dir, "r.jsonl")}`);
    expect(readFileSync(join(dir, "r.json"), "utf8")).toBe("mine");
    expect(JSON.parse(readFileSync(join(dir, "r.suite.json"), "utf8")).grader).toBe("r.json");
  });

  it("NAME is a file-name stem; the type is one of the five", async () => {
    for (const name of ["a/b", "../x", "x.json", "-x"]) {
      const r = await cli(["init", name, "--dir", tempDir("graderkit-init-")]);
      expect(r.code, name).toBe(2);
    }
    const bad = await cli(["init", "x", "--type", "label_model"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--type must be one of string_check, text_similarity, python, score_model, multi, got 'label_model'");
  });
});
