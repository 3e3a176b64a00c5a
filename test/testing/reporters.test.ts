// The reports of `graderkit test`: the JUnit XML is parsed by an independent, strict XML parser
// (Python's expat via xml.etree) and its structure checked as CI parsers read it; hostile text
// (markup, quotes, control characters, lone surrogates, newlines in attributes) must survive.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { emptyResponse, type RunResponse } from "../../src/core/response.js";
import { formatSuiteText, formatTotalsText } from "../../src/testing/reporters/default.js";
import { testReport } from "../../src/testing/reporters/json.js";
import { junitXml } from "../../src/testing/reporters/junit.js";
import { countCases, evaluateCase } from "../../src/testing/run-suite.js";
import type { CaseResult, SuiteResult, TestCase, TestSuite } from "../../src/testing/types.js";

const NASTY = `a <b> & "c" 'd' \u0000 \u001b[31m \ud800 ]]> end\nsecond\tline`;

const multiGrader = {
  type: "multi",
  name: "m <&>",
  graders: {
    exact: { type: "string_check", name: "exact", input: "x", reference: "y", operation: "eq" },
    close: { type: "string_check", name: "close", input: "x", reference: "y", operation: "eq" },
  },
  calculate_output: "exact",
} as TestSuite["grader"];

function responseOf(reward: number, sub: Record<string, number> = {}, error?: string): RunResponse {
  const r = emptyResponse("m", "multi");
  r.reward = reward;
  r.sub_rewards = sub;
  if (error) {
    r.metadata.errors.invalid_variable_error = true;
    r.error = { flag: "invalid_variable_error", message: error, path: "/graders/exact/reference" };
  }
  return r;
}

function caseOf(name: string, expect: TestCase["expect"], line?: number): TestCase {
  return { name, where: line ? { file: "c.jsonl", line, pointer: "" } : { file: "s.json", pointer: "/cases/0" }, input: { model_sample: "x" }, expect };
}

function suiteResult(file: string, results: CaseResult[]): SuiteResult {
  const suite: TestSuite = { file, name: file, grader: multiGrader, graderFile: "m.json", passThreshold: 0.5, cases: [] };
  return { suite, cases: results, counts: countCases(results), durationS: 0.25 };
}

const passing = evaluateCase(caseOf("passes", { reward: 1 }), responseOf(1, { exact: 1, close: 1 }), 0.5, 0.001);
const failing = evaluateCase(caseOf(NASTY, { reward: 1, sub_rewards: { exact: 1 }, passed: true }, 3), responseOf(0, { exact: 0, close: 0.5 }, NASTY), 0.5, 0.002);
const skipped: CaseResult = { name: "filtered", where: { file: "s.json", pointer: "/cases/2" }, status: "skipped", checks: [], durationS: 0 };
const results = [suiteResult("a.suite.json", [passing, failing, skipped]), suiteResult("b & c.suite.json", [passing])];

/** Parse with expat and return the tree as plain JSON. */
function parseXml(xml: string): any {
  const script = `
import json, sys, xml.etree.ElementTree as ET
def tree(e):
    return {"tag": e.tag, "attrib": e.attrib, "text": e.text or "", "children": [tree(c) for c in e]}
print(json.dumps(tree(ET.fromstring(sys.stdin.buffer.read()))))
`;
  return JSON.parse(execFileSync("python3", ["-c", script], { input: Buffer.from(xml, "utf8") }).toString("utf8"));
}

describe("JUnit XML", () => {
  const xml = junitXml(results, { durationS: 1.5, timestamp: "2025-01-02T03:04:05", hostname: "ci" });
  const root = parseXml(xml);

  it("is well-formed XML with one testsuite per suite file and one testcase per case", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(root.tag).toBe("testsuites");
    expect(root.attrib).toEqual({ name: "graderkit test", tests: "4", failures: "1", errors: "0", skipped: "1", time: "1.500" });
    const suites = root.children;
    expect(suites.map((s: any) => s.tag)).toEqual(["testsuite", "testsuite"]);
    expect(suites[0].attrib).toEqual({ name: "a.suite.json", tests: "3", failures: "1", errors: "0", skipped: "1", time: "0.250", timestamp: "2025-01-02T03:04:05", hostname: "ci", file: "a.suite.json" });
    expect(suites[1].attrib.name).toBe("b & c.suite.json");
    const [props, ...cases] = suites[0].children;
    expect(props.children.map((p: any) => [p.attrib.name, p.attrib.value])).toEqual([["grader", "m <&>"], ["grader_type", "multi"], ["grader_file", "m.json"], ["pass_threshold", "0.5"]]);
    expect(cases.map((c: any) => c.tag)).toEqual(["testcase", "testcase", "testcase"]);
    expect(cases[0].attrib).toEqual({ name: "passes", classname: "a.suite.json", file: "s.json", time: "0.001" });
    expect(cases[0].children).toEqual([]);
    expect(cases[2].children.map((c: any) => c.tag)).toEqual(["skipped"]);
  });

  it("a failure carries the expected/actual summary as its message and the details as its text", () => {
    const failed = root.children[0].children[2];
    expect(failed.attrib.line).toBe("3");
    const [failure, out] = failed.children;
    expect(failure.tag).toBe("failure");
    expect(failure.attrib.type).toBe("AssertionError");
    expect(failure.attrib.message).toBe("reward: expected 1 ± 1e-9, got 0; sub_rewards.exact: expected 1 ± 1e-9, got 0; flags: expected none, got invalid_variable_error (unexpected: invalid_variable_error); passed: expected true, got false (reward 0 < pass threshold 0.5)");
    expect(failure.text).toContain("✗ reward:  expected 1 ± 1e-9, got 0");
    expect(failure.text).toContain("✗ flags:   expected none, got invalid_variable_error");
    expect(failure.text).toMatch(/key\s+expected\s+got/);
    expect(failure.text).toMatch(/✗\s+exact\s+1 ± 1e-9\s+0/);
    expect(JSON.parse(out.text).reward).toBe(0);
  });

  it("hostile text survives: markup and quotes escaped, newlines and tabs in attributes kept, characters XML cannot hold made visible", () => {
    const failed = root.children[0].children[2];
    // What a parser reads back is the original text, except the characters XML 1.0 forbids.
    const readable = NASTY.replace("\u0000", "\\u0000").replace("\u001b", "\\u001b").replace("\ud800", "\\ud800");
    expect(failed.attrib.name).toBe(readable);
    expect(failed.children[0].text).toContain(readable.replace(/\n/g, "\n           "));
    expect(xml).not.toMatch(/[\u0000\u001b]/);
  });
});

describe("the JSON report", () => {
  it("has totals, and per case its status, location, reward, failed checks and response", () => {
    const report = testReport(results, { durationS: 1.5, cache: { hits: 2, misses: 1 } });
    expect(report.ok).toBe(false);
    expect(report.counts).toEqual({ total: 4, passed: 2, failed: 1, skipped: 1, suites: 2, failed_suites: 1 });
    expect(report.cache).toEqual({ hits: 2, misses: 1 });
    const [a] = report.suites;
    expect(a!.grader).toEqual({ name: "m <&>", type: "multi", file: "m.json" });
    expect(a!.cases.map((c) => [c.status, c.location, c.reward])).toEqual([["passed", "s.json#/cases/0", 1], ["failed", "c.jsonl:3", 0], ["skipped", "s.json#/cases/2", null]]);
    expect(a!.cases[1]!.failures.map((f) => f.kind)).toEqual(["reward", "sub_reward", "errors", "passed"]);
    expect(a!.cases[1]!.response?.error?.flag).toBe("invalid_variable_error");
  });
});

describe("the default text report", () => {
  it("one line per case with its reward; for a failure, expected vs got for reward, flags, error, passed and the sub-reward table", () => {
    const text = formatSuiteText(results[0]!);
    const lines = text.split("\n");
    expect(lines[0]).toBe("a.suite.json  grader m <&>: multi from m.json");
    expect(lines[1]).toMatch(/^ {2}✓ passes\s+reward 1$/);
    // Control characters are shown, not sent to the terminal; the name stays on one line.
    expect(lines[2]).toMatch(/^ {2}✗ a <b> & "c" 'd' \\u0000 \\u001b\[31m .* end\\nsecond\\u0009line\s+reward 0$/);
    expect(text).toContain("✗ reward:  expected 1 ± 1e-9, got 0");
    expect(text).toContain(`error:   invalid_variable_error (at /graders/exact/reference): a <b> & "c" 'd' \\u0000 \\u001b[31m \ud800 ]]> end\n`);
    expect(text).not.toMatch(/[\u0000\u001b]/);
    expect(text).toContain("✗ passed:  expected true, got false (reward 0 < pass threshold 0.5)");
    expect(text).toMatch(/ {8}close\s+-\s+0\.5\n/);
    expect(text).toContain("at c.jsonl:3");
    expect(text).toContain("(1 case skipped by --filter)");
    expect(text).not.toContain("\x1b[32m");
    expect(formatSuiteText(results[0]!, { color: true })).toContain("\x1b[32m✓\x1b[0m");
    expect(formatTotalsText(results, { durationS: 1.5, cache: { hits: 2, misses: 1 } })).toBe(
      "Suites  1 failed | 1 passed (2)\nCases   1 failed | 2 passed | 1 skipped (4)\nCache   2 hits, 1 misses\nTime    1.50 s\n",
    );
  });
});
