// Start-up: a small `graderkit run` loads only what it uses (README "Start-up"). Checked by the
// modules a real process loads (test/helpers/load-trace.mjs), not by wall time, which a loaded
// machine makes meaningless; bench/startup.mjs measures the time.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, tempDir, writeJson, writeLines } from "./helpers/cli.js";

const dir = tempDir("graderkit-startup-");
const graders = {
  string_check: writeJson(dir, "exact.json", { type: "string_check", name: "exact", operation: "eq", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" }),
  text_similarity: writeJson(dir, "fuzzy.json", { type: "text_similarity", name: "fuzzy", evaluation_metric: "fuzzy_match", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" }),
};
const one = writeLines(dir, "one.jsonl", [{ item: { answer: "144" }, model_sample: "144" }]);

/** The modules `graderkit ARGS` loads: packages by name, graderkit's own as dist/ paths. */
function loaded(args: string[]): { packages: Set<string>; own: string[] } {
  const trace = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const res = spawnSync(process.execPath, ["--import", join(ROOT, "test/helpers/load-trace.mjs"), BIN, ...args], {
    cwd: dir,
    env: { ...process.env, GRADERKIT_LOAD_TRACE: trace },
    encoding: "utf8",
  });
  expect(res.status, res.stderr).toBe(0);
  const paths = readFileSync(trace, "utf8").trim().split("\n").map((l) => decodeURIComponent(l.replace(/^(esm|cjs) (file:\/\/)?/, "")));
  const packages = new Set<string>();
  for (const p of paths) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(p);
    if (m) packages.add(m[1] === "ajv" && m[2]!.startsWith("dist/runtime/") ? "ajv/dist/runtime" : m[1]!);
  }
  const own = paths.filter((p) => p.startsWith(join(ROOT, "dist/"))).map((p) => p.slice(join(ROOT, "dist/").length));
  return { packages, own };
}

const HEAVY = ["ajv", "piscina", "openai", "vega", "vega-lite", "gpt-tokenizer", "puppeteer-core", "tiktoken"];
const OTHER_APPLICATIONS = /^(report|clients|evals|server|export|datasets|bench)\//;

describe("start-up loads only what the command uses", () => {
  it.each(Object.entries(graders))("a 1-row run of a %s grader: no ajv compiler, pool, HTTP client or charts; no other command", (_type, grader) => {
    const { packages, own } = loaded(["run", grader, one, "-o", join(dir, "out.jsonl"), "--quiet"]);
    for (const name of HEAVY) expect(packages, name).not.toContain(name);
    expect(own.filter((p) => p.startsWith("cli/commands/"))).toEqual(["cli/commands/run.js"]);
    expect(own.filter((p) => OTHER_APPLICATIONS.test(p))).toEqual([]);
    expect(own).toContain("schema/generated/grader-validator.js");
  });

  it("the trace sees a pool start when there is one (--workers 1 loads piscina)", () => {
    const { packages } = loaded(["run", graders.string_check, one, "-o", join(dir, "out-w1.jsonl"), "--quiet", "--workers", "1"]);
    expect(packages).toContain("piscina");
  });

  it("graderkit --help lists every command without loading one", () => {
    const { own } = loaded(["--help"]);
    expect(own.filter((p) => p.startsWith("cli/commands/"))).toEqual([]);
  });
});
