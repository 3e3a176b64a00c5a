// Start-up: a small `graderkit run` loads only what it uses (README "Start-up"). Checked by the
// modules a real process loads (test/helpers/load-trace.mjs), not by wall time, which a loaded
// machine makes meaningless; bench/startup.mjs measures the time.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, cli, ROOT, tempDir, writeJson, writeLines } from "./helpers/cli.js";

const dir = tempDir("graderkit-startup-");
const graders = {
  string_check: writeJson(dir, "exact.json", { type: "string_check", name: "exact", operation: "eq", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" }),
  text_similarity: writeJson(dir, "fuzzy.json", { type: "text_similarity", name: "fuzzy", evaluation_metric: "fuzzy_match", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" }),
};
const one = writeLines(dir, "one.jsonl", [{ item: { answer: "144" }, model_sample: "144" }]);

/** The modules `graderkit ARGS` loads: packages by name, graderkit's own as dist/ paths. */
function loaded(args: string[], env: NodeJS.ProcessEnv = {}): { packages: Set<string>; own: string[] } {
  const trace = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const res = spawnSync(process.execPath, ["--import", join(ROOT, "test/helpers/load-trace.mjs"), BIN, ...args], {
    cwd: dir,
    env: { ...process.env, ...env, GRADERKIT_LOAD_TRACE: trace },
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
/** The own modules of `own` under `folder`, sorted. */
const under = (own: string[], folder: string) => own.filter((p) => p.startsWith(folder)).sort();
// What every command loads from metrics/: the "did you mean" of the CLI's parser and the grader
// schema's problems (metrics/nearest, on the Levenshtein distance; its package comes on first use).
const SUGGESTIONS = ["metrics/code-points.js", "metrics/levenshtein.js", "metrics/nearest.js"];
// What fuzzy_match adds: its scorer, the LCS core of its ratio and the score's signature.
const FUZZY_MATCH = ["metrics/fuzzy-match.js", "metrics/lcs.js", "metrics/signature.js"];
// The executors' defaults (for --help) and endpoint checks; the executors come on a grader's first call.
const EXECUTOR_SETTINGS = ["executors/openai/settings.js", "executors/python/defaults.js"];
// How every grader is compiled on the run path (graders/compile-on-demand.ts).
const COMPILING = ["graders/compile-on-demand.js", "graders/compile-with.js", "graders/run.js", "graders/templated-pair.js"];

describe("start-up loads only what the command uses", () => {
  it.each(Object.entries(graders))("a 1-row run of a %s grader: no ajv compiler, pool, HTTP client or charts; no other command", (_type, grader) => {
    const { packages, own } = loaded(["run", grader, one, "-o", join(dir, "out.jsonl"), "--quiet"]);
    for (const name of HEAVY) expect(packages, name).not.toContain(name);
    expect(own).not.toContain("engine/pool.js");
    expect(own.filter((p) => p.startsWith("cli/commands/"))).toEqual(["cli/commands/run.js"]);
    expect(own.filter((p) => OTHER_APPLICATIONS.test(p))).toEqual([]);
    expect(own).toContain("schema/generated/grader-validator.js");
  });

  // An endpoint in the environment configures the model executors: they must still not load.
  const endpoint = { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };

  it("a 1-row string_check run loads its grader type only: no metric, tokenizer, executor, gate or config-file code", () => {
    const { own, packages } = loaded(["run", graders.string_check, one, "-o", join(dir, "out-sc.jsonl"), "--quiet"], endpoint);
    expect(under(own, "metrics/")).toEqual(SUGGESTIONS);
    expect(packages).not.toContain("fastest-levenshtein");
    // Validating checks a multi's formula with the parser alone; a leaf grader loads none of it.
    expect(under(own, "formula/")).toEqual(["formula/errors.js", "formula/lexer.js", "formula/parser.js"]);
    expect(under(own, "executors/")).toEqual(EXECUTOR_SETTINGS);
    expect(under(own, "graders/")).toEqual([...COMPILING, "graders/string-check.js"].sort());
    for (const unused of ["testing/", "config/load.js", "config/schema.js", "schema/fine-tuning.js", "engine/resume.js"]) {
      expect(own.filter((p) => p.startsWith(unused)), unused).toEqual([]);
    }
  });

  it("a 1-row fuzzy_match run loads fuzzy_match's own module: no tokenizer, other metric or executor", () => {
    const { own } = loaded(["run", graders.text_similarity, one, "-o", join(dir, "out-fz.jsonl"), "--quiet"], endpoint);
    expect(under(own, "metrics/")).toEqual([...SUGGESTIONS, ...FUZZY_MATCH].sort());
    expect(under(own, "executors/")).toEqual(EXECUTOR_SETTINGS);
    expect(under(own, "graders/")).toEqual([...COMPILING, "graders/text-similarity.js"].sort());
  });

  it("a run that needs the tokenizers loads them (rouge_l through metrics/text-similarity)", () => {
    const rouge = writeJson(dir, "rouge.json", { type: "text_similarity", name: "rouge", evaluation_metric: "rouge_l", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" });
    const { own } = loaded(["run", rouge, one, "-o", join(dir, "out-rouge.jsonl"), "--quiet"]);
    expect(own).toContain("metrics/text-similarity.js");
    expect(own).toContain("metrics/tokenize/rouge.js");
    expect(under(own, "executors/")).toEqual(EXECUTOR_SETTINGS);
  });

  it("a bad endpoint still fails the run at start, exit 2 with the same message, before OUT is touched", async () => {
    const out = join(dir, "out-bad-endpoint.jsonl");
    const res = await cli(["run", graders.string_check, one, "-o", out, "--model-base-url", "ftp://host/v1/"], { cwd: dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('graderkit run: base URL "ftp://host/v1" must be http:// or https://');
    expect(existsSync(out)).toBe(false);
  });

  it("the trace sees a pool start when there is one (--workers 1 loads the pool's module)", () => {
    const { own } = loaded(["run", graders.string_check, one, "-o", join(dir, "out-w1.jsonl"), "--quiet", "--workers", "1"]);
    expect(own).toContain("engine/pool.js");
  });

  it("graderkit --help lists every command without loading one", () => {
    const { own } = loaded(["--help"]);
    expect(own.filter((p) => p.startsWith("cli/commands/"))).toEqual([]);
  });
});
