// `graderkit run` in CI: the first message of each error flag in the summary (every engine
// path), the gates (exit 1 and by how much), --pass-threshold, and the Markdown summary.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir, writeJson, writeLines } from "./helpers/cli.js";
import { EXACT } from "./helpers/graders.js";

const exact = EXACT;

let dir: string;
let grader: string;
let input: string;
// 10 rows: 6 right, 2 wrong, 1 without item.answer (line 4), 1 that is not JSON (line 9).
// mean 6/10 = 0.6; error rows 2/10.
const rows = [
  { item: { answer: "a" }, model_sample: "a" },
  { item: { answer: "a" }, model_sample: "a" },
  { item: { answer: "a" }, model_sample: "b" },
  { item: { question: "q" }, model_sample: "a" },
  { item: { answer: "a" }, model_sample: "a" },
  { item: { answer: "a" }, model_sample: "a" },
  { item: { answer: "a" }, model_sample: "b" },
  { item: { answer: "a" }, model_sample: "a" },
  "{not json",
  { item: { answer: "a" }, model_sample: "a" },
];

beforeAll(() => {
  dir = tempDir("graderkit-gates-");
  grader = writeJson(dir, "exact.json", exact);
  input = writeLines(dir, "rows.jsonl", rows);
});

describe("the run summary names the first message of each flag", () => {
  it("on stderr and in --summary-json, on the main thread and on a worker pool", async () => {
    const main = join(dir, "main.json");
    const r = await cli(["run", grader, input, "-o", join(dir, "out.jsonl"), "--summary-json", main]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("errors: 2 rows with a flag\n");
    expect(r.stderr).toMatch(/^ {2}invalid_variable_error 1 {2}first at line 4: template variable \{\{ item\.answer \}\} not found/m);
    expect(r.stderr).toMatch(new RegExp(`^ {2}sample_parse_error 1 {6}first at line 9: ${input.replace(/[.]/g, "\\.")}:9: not valid JSON`, "m"));
    const s = JSON.parse(readFileSync(main, "utf8"));
    expect(s.first_errors.invalid_variable_error.line).toBe(4);
    expect(s.first_errors.sample_parse_error).toMatchObject({ line: 9 });
    expect(s.gates).toBeUndefined();
    const pooled = join(dir, "pool.json");
    await cli(["run", grader, input, "-o", join(dir, "out2.jsonl"), "--workers", "2", "--batch-size", "3", "--quiet", "--summary-json", pooled]);
    expect(JSON.parse(readFileSync(pooled, "utf8")).first_errors).toEqual(s.first_errors);
  });

  it("--resume keeps the first messages of the rows graded before", async () => {
    // An interrupted run: the first 5 rows of a complete one, with its fingerprint.
    const out = join(dir, "resumed.jsonl");
    const full = readFileSync(join(dir, "out.jsonl"), "utf8").split("\n");
    writeFileSync(out, full.slice(0, 5).join("\n") + "\n"); // lines 1-5 done, line 4 among them
    copyFileSync(join(dir, "out.jsonl.graderkit.json"), `${out}.graderkit.json`);
    const summary = join(dir, "resumed.json");
    const r = await cli(["run", grader, input, "-o", out, "--resume", "--quiet", "--summary-json", summary]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(summary, "utf8"));
    expect(s.resumed_rows).toBe(5);
    expect(s.first_errors.invalid_variable_error.line).toBe(4);
    expect(s.first_errors.sample_parse_error.line).toBe(9);
  });
});

describe("gates on graderkit run", () => {
  it("without gates the exit status stays 0 whatever the rows", async () => {
    expect((await cli(["run", grader, input, "--quiet"])).code).toBe(0);
  });

  it("a failed gate is exit 1 and the summary says which and by how much; passing gates are listed too", async () => {
    const r = await cli(["run", grader, input, "-o", join(dir, "g.jsonl"), "--fail-under", "0.7", "--max-error-rate", "0.25"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("gates: 1 of 2 failed\n");
    expect(r.stderr).toContain("  ✗ --fail-under 0.7: FAILED: mean reward 0.6 is below 0.7 by 0.1\n");
    expect(r.stderr).toContain("  ✓ --max-error-rate 0.25: error rate 20% (2 of 10 rows raised a flag) ≤ 25%\n");
    const ok = await cli(["run", grader, input, "-o", join(dir, "g.jsonl"), "--fail-under", "0.6", "--max-error-rate", "0.2"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain("gates: all 2 passed");
  });

  it("--min-pass-rate uses --pass-threshold (or the grader's pass_threshold); without one it is a usage error", async () => {
    const none = await cli(["run", grader, input, "--min-pass-rate", "0.5"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--min-pass-rate needs a pass threshold: the string_check grader has no pass_threshold; give --pass-threshold T");
    const summary = join(dir, "pass.json");
    const r = await cli(["run", grader, input, "-o", join(dir, "p.jsonl"), "--pass-threshold", "1", "--min-pass-rate", "0.8", "--summary-json", summary]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("passed: 60.0% (reward >= 1)");
    expect(r.stderr).toContain("✗ --min-pass-rate 0.8: FAILED: pass rate 60% (6 of 10 rows with reward ≥ 1) is below 80% by 20 percentage points");
    const s = JSON.parse(readFileSync(summary, "utf8"));
    expect(s.pass_threshold).toBe(1);
    expect(s.gates).toEqual([
      expect.objectContaining({ gate: "min_pass_rate", threshold: 0.8, actual: 0.6, passed: false }),
    ]);
    const fuzzy = writeJson(dir, "fuzzy.json", { type: "text_similarity", name: "f", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "fuzzy_match", pass_threshold: 0.5 });
    // "a" vs "b" scores 0, "a" vs "a" 1: 6 of 10 rows pass 0.5.
    const own = await cli(["run", fuzzy, input, "--quiet", "--min-pass-rate", "0.6"]);
    expect(own.code, own.stderr).toBe(0);
  });

  it("with --quiet only a failed gate is printed (the CI log says why the step failed)", async () => {
    const r = await cli(["run", grader, input, "-o", join(dir, "q.jsonl"), "--quiet", "--fail-under", "0.9", "--max-error-rate", "0.5"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("gates: 1 of 2 failed\n  ✗ --fail-under 0.9: FAILED: mean reward 0.6 is below 0.9 by 0.3\n");
  });

  it("--summary-md appends a Markdown summary: rows, percentiles, errors with their first messages, gates", async () => {
    const md = join(dir, "step-summary.md");
    writeFileSync(md, "# earlier step\n");
    const r = await cli(["run", grader, input, "-o", join(dir, "m.jsonl"), "--quiet", "--fail-under", "0.5", "--summary-md", md]);
    expect(r.code).toBe(0);
    const text = readFileSync(md, "utf8");
    expect(text.startsWith("# earlier step\n### graderkit run `")).toBe(true);
    expect(text).toContain(" — ✅ gates passed\n");
    expect(text).toContain("| 10 | 0.6 | 0 | 1 | 1 | 1 | 1 | – | 2 (20%) |");
    expect(text).toMatch(/\| `invalid_variable_error` \| 1 \| line 4: template variable \{\{ item\.answer \}\} not found/);
    expect(text).toContain("| `--fail-under` | 0.5 | 0.6 | ✅ passed: mean reward 0.6 ≥ 0.5 |");
    const bad = await cli(["run", grader, input, "--quiet", "--summary-md", join(dir, "no/such/dir.md")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("no/such/dir.md: cannot write (ENOENT)");
  });

  it("gate values are range-checked like every option", async () => {
    const r = await cli(["run", grader, input, "--max-error-rate", "1.5"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--max-error-rate must be a number >= 0 and <= 1, got '1.5'");
  });
});
