import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { validateFineTuningJob } from "../src/schema/validate-job.js";
import { BIN, cli, parseRows, tempDir, writeJson, writeLines } from "./helpers/cli.js";
import { runMain } from "./helpers/run-main.js";

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };
let dir: string;
let exactPath: string;

beforeAll(() => {
  dir = tempDir();
  exactPath = writeJson(dir, "exact.json", exact);
});

describe("graderkit (top level)", () => {
  it("--help lists the commands", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["validate", "grade", "run", "serve", "export", "doctor"]) expect(r.stdout).toContain(c);
  });
  it("every command has --help", async () => {
    for (const c of ["validate", "grade", "run", "serve", "export", "doctor"]) {
      const r = await cli([c, "--help"]);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toContain(`Usage: graderkit ${c}`);
    }
  });
  it("unknown commands and unknown flags exit 2", async () => {
    expect((await cli(["grades"])).code).toBe(2);
    for (const c of ["validate", "grade", "run", "serve", "export", "doctor"]) {
      const r = await cli([c, "--definitely-not-a-flag"]);
      expect(r.code, c).toBe(2);
      expect(r.stderr).toContain("--definitely-not-a-flag");
    }
  });
});

describe("graderkit validate", () => {
  it("exit 0 for valid files", async () => {
    const r = await cli(["validate", exactPath, "graders/answer-quality.multi.json"]);
    expect(r.code).toBe(0);
  });
  it("one line per problem, FILE: /pointer: message, exit 1", async () => {
    const bad = writeJson(dir, "bad.json", { type: "string_check", name: "b", input: "{{ itm.x }}", operation: "contains" });
    const r = await cli(["validate", bad]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n").sort();
    expect(lines).toEqual([
      `${bad}: /input: unknown namespace 'itm' in {{ itm.x }}: only 'item' and 'sample' exist`,
      `${bad}: /operation: must be one of "eq", "ne", "like", "ilike"`,
      `${bad}: /reference: missing required field 'reference'`,
    ]);
  });
  it("--json prints the /validate response shape", async () => {
    const ok = await cli(["validate", "--json", exactPath]);
    expect(JSON.parse(ok.stdout)).toEqual({ grader: exact });
    const bad = writeJson(dir, "bad2.json", { ...exact, operation: "like%" });
    const r = await cli(["validate", "--json", bad]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ error: { message: 'must be one of "eq", "ne", "like", "ilike"', type: "invalid_request_error", param: "/operation", code: "invalid_enum_value" } });
  });
  it("--target rft refuses label_model at top level", async () => {
    expect((await cli(["validate", "graders/tone.label-model.json"])).code).toBe(0);
    const r = await cli(["validate", "--target", "rft", "graders/tone.label-model.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("/type: label_model is only allowed inside a multi grader");
  });
  it("invalid JSON is an invalid grader (1); an unreadable file or bad --target is a usage error (2)", async () => {
    const broken = join(dir, "broken.json");
    writeLines(dir, "broken.json", ["{ not json"]);
    expect((await cli(["validate", broken])).code).toBe(1);
    expect((await cli(["validate", join(dir, "missing.json")])).code).toBe(2);
    expect((await cli(["validate", "--target", "prod", exactPath])).code).toBe(2);
    expect((await cli(["validate"])).code).toBe(2);
  });
  it("a grader with a BOM is valid; a syntax error names line and column (issue 10 item 21)", async () => {
    const bom = join(dir, "bom.json");
    writeLines(dir, "bom.json", ["\ufeff" + JSON.stringify(exact)]);
    expect((await cli(["validate", bom])).code).toBe(0);
    writeLines(dir, "syntax.json", ["{", '  "type": "string_check",', '  "name": "x"', '  "input": "a"', "}"]);
    const r = await cli(["validate", join(dir, "syntax.json")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${join(dir, "syntax.json")}:4:3: /: not valid JSON: line 4, column 3: unexpected '"': expected ',' or '}' after a property value\n`);
  });
  it("compiles python sources: a syntax error is a problem at /source, also inside multi (item 23)", async () => {
    const source = "def grade(sample, item):\n    return (1\n";
    const py = writeJson(dir, "py-syntax.json", { type: "python", name: "p", source });
    const r = await cli(["validate", py]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${py}: /source: SyntaxError: '(' was never closed (line 2, column 12 of the source)\n`);
    const multi = writeJson(dir, "multi-syntax.json", { type: "multi", name: "m", graders: { fmt: { type: "python", name: "fmt", source } }, calculate_output: "fmt" });
    expect((await cli(["validate", multi])).stdout).toContain(`${multi}: /graders/fmt/source: SyntaxError`);
    const noPython = await cli(["validate", py, "--python", "/nonexistent/python3"]);
    expect(noPython.code).toBe(0);
    expect(noPython.stderr).toContain(`warning: ${py}: /source: python source not compiled: python interpreter "/nonexistent/python3" not usable`);
  });
  it("'-' reads the grader from stdin (item 25)", async () => {
    const r = await cli(["validate", "-"], { input: JSON.stringify(exact) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("stdin: ok\n");
    const bad = await cli(["validate", "--json", "-"], { input: JSON.stringify({ ...exact, operation: "x" }) });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.param).toBe("/operation");
  });
  it("--json on several files: an array with file, grader or error, every problem and warning; a missing file does not stop the others (item 27)", async () => {
    const { name: _n, ...unnamed } = exact;
    const warned = writeJson(dir, "unnamed.json", unnamed);
    const bad = writeJson(dir, "bad3.json", { ...exact, operation: "x", refrence: "y" });
    const missing = join(dir, "missing-too.json");
    const r = await cli(["validate", "--json", missing, warned, bad]);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.map((e: { file: string }) => e.file)).toEqual([missing, warned, bad]);
    expect(out[0]).toMatchObject({ error: { type: "io_error", code: "ENOENT" }, problems: [], warnings: [] });
    expect(out[1]).toMatchObject({ grader: { name: "string_check" }, problems: [], warnings: [{ pointer: "/name", code: "missing_name" }] });
    expect(out[2].error.param).toBeDefined();
    expect(out[2].problems.map((p: { pointer: string }) => p.pointer).sort()).toEqual(["/operation", "/refrence"]);
    const text = await cli(["validate", missing, exactPath]);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe(`${exactPath}: ok\n`);
    expect(text.stderr).toContain(`${missing}: cannot read (ENOENT)`);
  });
});

describe("graderkit grade", () => {
  it("--sample fills output_text (and output_json when it parses)", async () => {
    const r = await cli(["grade", exactPath, "--sample", "Paris", "--item", '{"answer":"Paris"}']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.reward).toBe(1);
    expect(Object.keys(res.metadata.errors)).toHaveLength(14);
    const j = writeJson(dir, "json-answer.json", { ...exact, input: "{{ sample.output_json.answer }}" });
    const r2 = await cli(["grade", j, "--sample", '{"answer": "Paris"}', "--item", '{"answer":"Paris"}']);
    expect(JSON.parse(r2.stdout).reward).toBe(1);
  });
  it("--sample-json takes a full sample object", async () => {
    const r = await cli(["grade", "graders/tool-call-name.json", "--sample-json", JSON.stringify({ output_text: "", output_tools: [{ id: "1", type: "function", function: { name: "get_weather", arguments: "{}" } }] }), "--item", '{"expected_tool":"get_weather"}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).reward).toBe(1);
  });
  it("grading errors live in the response (exit 0)", async () => {
    const r = await cli(["grade", exactPath, "--sample", "Paris"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).metadata.errors.invalid_variable_error).toBe(true);
  });
  it("exit 2 for an invalid grader or wrong arguments", async () => {
    const bad = writeJson(dir, "bad3.json", { ...exact, operation: "nope" });
    const invalid = await cli(["grade", bad, "--sample", "x"]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("/operation");
    expect((await cli(["grade", exactPath])).code).toBe(2);
    expect((await cli(["grade", exactPath, "--sample", "x", "--sample-json", "{}"])).code).toBe(2);
    expect((await cli(["grade", exactPath, "--sample", "x", "--item", "[1]"])).code).toBe(2);
    expect((await cli(["grade", exactPath, "--sample-json", "{oops"])).code).toBe(2);
  });
});

describe("graderkit run", () => {
  const rows = [
    { id: "a", item: { answer: "Paris" }, model_sample: "Paris" },
    "{ this is not json",
    "",
    { id: "b", item: { answer: "Rome" }, sample: { output_text: "Milan" } },
    { id: "c", item: { answer: "x" } },
    "   ",
    { item: { answer: "Oslo" }, model_sample: "Oslo" },
    "[1,2,3]",
  ];
  it("one output row per non-blank input line, in order, malformed lines included", async () => {
    const input = writeLines(dir, "mixed.jsonl", rows);
    const r = await cli(["run", exactPath, input]);
    expect(r.code).toBe(0);
    const out = parseRows(r.stdout);
    expect(out.map((o) => o.line)).toEqual([1, 2, 4, 5, 7, 8]);
    expect(out.map((o) => o.reward)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(out.map((o) => o.id)).toEqual(["a", undefined, "b", "c", undefined, undefined]);
    expect(out[1].metadata.errors.sample_parse_error).toBe(true);
    expect(out[1].error.message).toContain(`${input}:2`);
    expect(out[3].metadata.errors.sample_parse_error).toBe(true);
    expect(out[3].error.message).toContain("neither 'sample' nor 'model_sample'");
    expect(out[5].error.message).toContain(`${input}:8`);
    expect(r.stderr).toContain("rows: 6");
    expect(r.stderr).toContain("sample_parse_error 3");
  });
  it("-o writes the rows to a file; --quiet silences the summary; --summary-json writes it", async () => {
    const input = writeLines(dir, "mixed2.jsonl", rows);
    const out = join(dir, "out.jsonl");
    const summary = join(dir, "summary.json");
    const r = await cli(["run", exactPath, input, "-o", out, "--quiet", "--summary-json", summary]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("");
    expect(parseRows(readFileSync(out, "utf8"))).toHaveLength(6);
    const s = JSON.parse(readFileSync(summary, "utf8"));
    expect(s).toMatchObject({ rows: 6, error_rows: 3, errors: { sample_parse_error: 3 }, reward: { min: 0, max: 1 } });
    expect(s.reward.mean).toBeCloseTo(2 / 6, 12);
  });
  it("--progress reports progress on a non-TTY stderr; without it, only the summary", async () => {
    const input = writeLines(dir, "progress.jsonl", rows);
    const withProgress = await cli(["run", exactPath, input, "--progress"]);
    expect(withProgress.stderr).toMatch(/^6 rows {2}\d+ rows\/s {2}3 with errors$/m);
    const plain = await cli(["run", exactPath, input]);
    expect(plain.stderr).not.toMatch(/rows\/s {2}\d+ with errors/);
    const quiet = await cli(["run", exactPath, input, "--progress", "--quiet"]);
    expect(quiet.stderr).toBe("");
  });
  // util-linux `script` gives the command a real terminal; Debian images always have it.
  it.skipIf(!existsSync("/usr/bin/script"))("on a terminal, a progress line is redrawn in place", async () => {
    const input = writeLines(dir, "tty.jsonl", rows);
    const out = join(dir, "tty-out.jsonl");
    const command = [process.execPath, BIN, "run", exactPath, input, "-o", out].map((a) => `'${a}'`).join(" ");
    const r = spawnSync("/usr/bin/script", ["-qec", command, "/dev/null"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\r\x1b\[2K6 rows {2}\d+ rows\/s {2}3 with errors/);
    expect(r.stdout).toContain("rows: 6");
  });
  it("--workers: automatic main thread for small inputs, a pool when asked", async () => {
    const input = writeLines(dir, "workers.jsonl", rows);
    const auto = join(dir, "auto.json");
    await cli(["run", exactPath, input, "--quiet", "--summary-json", auto]);
    expect(JSON.parse(readFileSync(auto, "utf8")).workers).toBe(0);
    const two = join(dir, "two.json");
    const r = await cli(["run", exactPath, input, "--quiet", "--workers", "2", "--summary-json", two]);
    expect(JSON.parse(readFileSync(two, "utf8")).workers).toBe(2);
    expect(parseRows(r.stdout).map((o) => o.line)).toEqual([1, 2, 4, 5, 7, 8]);
  });
  it("exit 2 for an invalid grader or an unreadable file", async () => {
    const input = writeLines(dir, "one.jsonl", [rows[0]]);
    expect((await cli(["run", join(dir, "nope.json"), input])).code).toBe(2);
    const r = await cli(["run", exactPath, join(dir, "nope.jsonl")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nope.jsonl");
    const bad = writeJson(dir, "bad4.json", { ...exact, input: "{{ nope }}" });
    expect((await cli(["run", bad, input])).code).toBe(2);
    expect((await cli(["run", exactPath, input, "--workers", "two"])).code).toBe(2);
    expect((await cli(["run", exactPath, input, "--resume"])).code).toBe(2);
    const noDir = await cli(["run", exactPath, input, "-o", join(dir, "no/such/dir/out.jsonl")]);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain("ENOENT");
  });
  it("a full disk is an I/O error (exit 2) naming the output, not a crash", async () => {
    const big = writeLines(dir, "many.jsonl", Array.from({ length: 2000 }, (_, i) => ({ id: i, item: { answer: "x" }, model_sample: "x" })));
    const r = await cli(["run", exactPath, big, "-o", "/dev/full", "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("/dev/full: cannot write (ENOSPC)");
  });
});

describe("graderkit export", () => {
  it("prints a valid reinforcement fine-tuning job body", async () => {
    const r = await cli(["export", "graders/answer-quality.multi.json", "--model", "o4-mini-2025-04-16", "--training-file", "file-train", "--validation-file", "file-val", "--suffix", "qa", "--seed", "7", "--hp", "n_epochs=2", "--hp", "batch_size=auto", "--hp", "compute_multiplier=1.5", "--hp", "reasoning_effort=medium", "--metadata", "team=search"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(validateFineTuningJob(body)).toEqual([]);
    expect(body).toMatchObject({
      model: "o4-mini-2025-04-16",
      training_file: "file-train",
      validation_file: "file-val",
      suffix: "qa",
      seed: 7,
      metadata: { team: "search" },
      method: { type: "reinforcement", reinforcement: { hyperparameters: { n_epochs: 2, batch_size: "auto", compute_multiplier: 1.5, reasoning_effort: "medium" } } },
    });
    expect(body.method.reinforcement.grader).toEqual(JSON.parse(readFileSync("graders/answer-quality.multi.json", "utf8")));
  });
  it("refuses out-of-domain or unknown hyperparameters (exit 1)", async () => {
    for (const hp of ["batch_size=0", "n_epochs=51", "n_epochs=1.5", "compute_multiplier=11", "learning_rate_multiplier=0", "reasoning_effort=max", "beta=0.5", "eval_samples=lots"]) {
      const r = await runMain(["export", exactPath, "--model", "m", "--training-file", "f", "--hp", hp]);
      expect(r.code, hp).toBe(1);
      expect(r.stderr, hp).toContain(hp.split("=")[0]);
    }
  });
  it("refuses a grader invalid for RFT with a clear message (exit 1)", async () => {
    const cos = await cli(["export", "graders/answer-cosine.json", "--model", "m", "--training-file", "f"]);
    expect(cos.code).toBe(1);
    expect(cos.stderr).toContain("/evaluation_metric: 'cosine' is evals-only");
    const label = await cli(["export", "graders/tone.label-model.json", "--model", "m", "--training-file", "f"]);
    expect(label.code).toBe(1);
    expect(label.stderr).toContain("label_model is only allowed inside a multi grader");
  });
  it("usage errors exit 2", async () => {
    expect((await cli(["export", exactPath, "--training-file", "f"])).code).toBe(2);
    expect((await cli(["export", exactPath, "--model", "m"])).code).toBe(2);
    expect((await cli(["export", exactPath, "--model", "m", "--training-file", "f", "--hp", "novalue"])).code).toBe(2);
  });
});
