// `graderkit test` end to end: reports, exit statuses, --filter, the reporters, a grader plus a
// JSONL cases file, and every way its input can be unusable (exit 2).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, cli, tempDir, writeJson, writeLines } from "./helpers/cli.js";
import { EXACT, EXACT_AND_CLOSE } from "./helpers/graders.js";

const exact = EXACT;
const multi = EXACT_AND_CLOSE;

let dir: string;
let failing: string;
let passing: string;
beforeAll(() => {
  dir = tempDir("graderkit-cli-test-");
  writeJson(dir, "exact.json", exact);
  writeJson(dir, "multi.json", multi);
  passing = writeJson(dir, "pass.suite.json", {
    grader: "exact.json",
    cases: [
      { name: "same", item: { answer: "a" }, model_sample: "a", expect: { reward: 1 } },
      { name: "missing field", item: {}, model_sample: "a", expect: { reward: 0, errors: ["invalid_variable_error"], error_message_includes: "item.answer" } },
    ],
  });
  // "paris" vs "Paris": exact 0; fuzzy_match 1 - 2/10 = 0.8 (InDel distance 2 over 10 characters).
  failing = writeJson(dir, "fail.suite.json", {
    name: "multi cases",
    grader: "multi.json",
    pass_threshold: 0.5,
    cases: [
      { name: "full marks", item: { answer: "Paris" }, model_sample: "Paris", expect: { reward: 1, sub_rewards: { exact: 1, close: 1 }, passed: true } },
      { name: "near miss expected too high", item: { answer: "Paris" }, model_sample: "paris", expect: { reward_min: 0.5, sub_rewards: { exact: 0, close: { min: 0.9 } }, passed: true } },
      { name: "a flag nobody expected", item: {}, model_sample: "Paris", expect: { reward: 0 } },
    ],
  });
});

describe("graderkit test", () => {
  it("exit 0 when every case passes: one line per case with its reward, then totals", async () => {
    const r = await cli(["test", passing]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}✓ same {11}reward 1$/m);
    expect(r.stdout).toMatch(/^ {2}✓ missing field {2}reward 0$/m);
    expect(r.stdout).toMatch(/^Suites {2}1 passed \(1\)$/m);
    expect(r.stdout).toMatch(/^Cases {3}2 passed \(2\)$/m);
  });

  it("exit 1 when a case fails, with expected vs got for reward, flags, error.message, passed and the sub-reward table", async () => {
    const r = await cli(["test", failing, passing]);
    expect(r.code, r.stderr).toBe(1);
    const out = r.stdout;
    expect(out).toContain(`multi cases (${failing})  grader mix: multi from ${join(dir, "multi.json")}`);
    expect(out).toMatch(/^ {2}✓ full marks\s+reward 1$/m);
    expect(out).toMatch(/^ {2}✗ near miss expected too high\s+reward 0\.4$/m);
    expect(out).toContain("✗ reward:  expected reward ≥ 0.5, got 0.4");
    expect(out).toContain("  flags:   expected none, got none");
    expect(out).toContain("✗ passed:  expected true, got false (reward 0.4 < pass threshold 0.5)");
    expect(out).toMatch(/✗ sub_rewards:\n\s+key\s+expected\s+got\n\s+exact\s+0 ± 1e-9\s+0\n\s+✗\s+close\s+≥ 0\.9\s+0\.8\n/);
    expect(out).toContain(`at ${failing}#/cases/1`);
    expect(out).toMatch(/^ {2}✗ a flag nobody expected\s+reward 0$/m);
    expect(out).toContain("✗ flags:   expected none, got invalid_variable_error (unexpected: invalid_variable_error)");
    expect(out).toMatch(/error: {3}invalid_variable_error \(at \/graders\/exact\/reference\): template variable \{\{ item\.answer \}\}/);
    expect(out).toMatch(/^Suites {2}1 failed \| 1 passed \(2\)$/m);
    expect(out).toMatch(/^Cases {3}2 failed \| 3 passed \(5\)$/m);
  });

  // util-linux `script` gives the command a real terminal.
  it.skipIf(!existsSync("/usr/bin/script"))("colours on a terminal, none with $NO_COLOR", () => {
    const command = [process.execPath, BIN, "test", passing].map((a) => `'${a}'`).join(" ");
    const tty = spawnSync("/usr/bin/script", ["-qec", command, "/dev/null"], { encoding: "utf8" });
    expect(tty.stdout).toContain("\x1b[32m✓\x1b[0m same");
    const plain = spawnSync("/usr/bin/script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(plain.stdout).toContain("✓ same");
    expect(plain.stdout).not.toContain("\x1b[");
  });

  it("--filter runs the cases whose name contains the text; one that matches nothing is exit 2", async () => {
    const r = await cli(["test", failing, "--filter", "full"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("✓ full marks");
    expect(r.stdout).not.toContain("near miss");
    expect(r.stdout).toContain("(2 cases skipped by --filter)");
    expect(r.stdout).toMatch(/^Cases {3}1 passed \| 2 skipped \(3\)$/m);
    const none = await cli(["test", failing, "-t", "zzz"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--filter 'zzz' matches no case");
  });

  it("--pass-threshold overrides the suite's and the grader's threshold", async () => {
    const r = await cli(["test", failing, "--filter", "near miss", "--pass-threshold", "0.4", "--reporter", "json"]);
    const report = JSON.parse(r.stdout);
    const c = report.suites[0].cases.find((x: any) => x.status !== "skipped");
    expect(c.checks.find((k: any) => k.kind === "passed")).toEqual({ kind: "passed", ok: true, expected: true, actual: true, threshold: 0.4, reward: 0.4 });
    expect(report.suites[0].pass_threshold).toBe(0.4);
  });

  it("--reporter json and junit print machine-readable reports; --junit FILE writes one beside the default report", async () => {
    const json = await cli(["test", failing, "--reporter", "json"]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.suites[0].cases.map((c: any) => c.status)).toEqual(["passed", "failed", "failed"]);
    const junitFile = join(dir, "report.xml");
    const both = await cli(["test", failing, passing, "--junit", junitFile]);
    expect(both.code).toBe(1);
    expect(both.stdout).toContain("✗ near miss");
    const xml = readFileSync(junitFile, "utf8");
    const printed = await cli(["test", failing, passing, "--reporter", "junit"]);
    const timeless = (x: string) => x.replace(/time="[^"]*"|timestamp="[^"]*"|"execution_time": [\d.e-]+/g, "");
    expect(timeless(printed.stdout)).toBe(timeless(xml));
    // Counted by an independent XML parser.
    const counts = execFileSync(
      "python3",
      ["-c", "import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); print([(s.get('name'), len(s.findall('testcase')), len(s.findall('testcase/failure'))) for s in r])", junitFile],
      { encoding: "utf8" },
    );
    expect(counts.trim()).toBe(`[('multi cases', 3, 2), ('${passing}', 2, 0)]`);
  });

  it("GRADER.json CASES.jsonl: the cases file's lines name the cases' places", async () => {
    const cases = writeLines(dir, "cases.jsonl", [
      { name: "same", item: { answer: "a" }, model_sample: "a", expect: { reward: 1 } },
      "",
      { item: { answer: "a" }, model_sample: "b", expect: { reward: 1 } },
    ]);
    const r = await cli(["test", join(dir, "exact.json"), cases]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}✗ line 3\s+reward 0$/m);
    expect(r.stdout).toContain(`at ${cases}:3`);
  });

  it("exit 2 for an invalid suite, an unreadable file, a grader without cases, a cases file without a grader", async () => {
    const bad = writeLines(dir, "bad.jsonl", [{ model_sample: "a", expect: { errors: ["invalid_variable"] } }, "{nope"]);
    const invalid = await cli(["test", join(dir, "exact.json"), bad, passing]);
    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toBe(""); // nothing is graded when any suite is invalid
    expect(invalid.stderr).toBe(
      `${bad}:1: /expect/errors/0: unknown error flag 'invalid_variable' (did you mean 'invalid_variable_error'?)\n${bad}:2:2: /: not valid JSON: unexpected 'n': expected a property name in double quotes\n`,
    );
    const missing = await cli(["test", join(dir, "nope.suite.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`${join(dir, "nope.suite.json")}: /: cannot read (ENOENT)\n`);
    const grader = await cli(["test", join(dir, "exact.json")]);
    expect(grader.code).toBe(2);
    expect(grader.stderr).toContain("this is a grader (type 'string_check'), not a suite: give its cases file after it (graderkit test GRADER.json CASES.jsonl)");
    const orphan = await cli(["test", bad]);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toContain("a cases file must follow the grader file it tests");
  });

  it("exit 2 when a model grader has no endpoint, naming the flag", async () => {
    const judge = writeJson(dir, "judge.suite.json", {
      grader: { type: "score_model", name: "judge", model: "m", input: [{ role: "user", content: "{{ sample.output_text }}" }] },
      cases: [{ model_sample: "a", expect: { errors: ["model_grader_server_error"] } }],
    });
    const r = await cli(["test", judge], { env: { OPENAI_BASE_URL: "", GRADERKIT_API_KEY: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${judge}: the score_model grader 'judge' needs a model endpoint (executors.model.baseUrl / --model-base-url, or $OPENAI_BASE_URL)`);
  });
});
