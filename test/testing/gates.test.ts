// CI gates and the Markdown summary, as pure functions of a run summary written out by hand.
import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/engine/summary.js";
import { evaluateGates, formatGatesText } from "../../src/testing/gates.js";
import { markdownCell, runSummaryMarkdown } from "../../src/testing/summary-markdown.js";

function summary(extra: Partial<RunSummary> = {}): RunSummary {
  return {
    rows: 20,
    graded_now: 20,
    resumed_rows: 0,
    reward: { mean: 0.6, min: 0, max: 1, p50: 0.5, p90: 1, p99: 1 },
    percentiles_exact: true,
    pass_threshold: 0.7,
    pass_rate: 0.85,
    error_rows: 5,
    errors: { invalid_variable_error: 4, python_grader_runtime_error: 1 },
    first_errors: {
      invalid_variable_error: { line: 3, message: "template variable {{ item.answer }} not found | <b>bold</b>" },
      python_grader_runtime_error: { line: 9, message: "python grader raised: KeyError: 'answer'" },
    },
    rows_per_s: 100,
    wall_time_s: 0.2,
    workers: 0,
    pool: null,
    peak_rss_mb: 100,
    ...extra,
  };
}

describe("evaluateGates", () => {
  it("says which gate failed and by how much", () => {
    const [mean, pass, errors] = evaluateGates(summary(), { failUnder: 0.7, minPassRate: 0.9, maxErrorRate: 0.2 });
    expect(mean).toMatchObject({ gate: "fail_under", flag: "--fail-under", threshold: 0.7, actual: 0.6, passed: false, message: "mean reward 0.6 is below 0.7 by 0.1" });
    expect(mean!.shortfall).toBeCloseTo(0.1, 12);
    expect(pass).toMatchObject({ passed: false, actual: 0.85, message: "pass rate 85% (17 of 20 rows with reward ≥ 0.7) is below 90% by 5 percentage points" });
    expect(errors).toMatchObject({ passed: false, actual: 0.25, message: "error rate 25% (5 of 20 rows raised a flag) is above 20% by 5 percentage points" });
  });
  it("passes at the threshold itself, also when floating point lands a hair below it", () => {
    const s = summary({ reward: { ...summary().reward, mean: 0.7 - 1e-15 }, pass_rate: 0.9, error_rows: 4 });
    const results = evaluateGates(s, { failUnder: 0.7, minPassRate: 0.9, maxErrorRate: 0.2 });
    expect(results.map((g) => [g.passed, g.shortfall])).toEqual([[true, 0], [true, 0], [true, 0]]);
    expect(results[0]!.message).toBe("mean reward 0.7 ≥ 0.7");
    expect(evaluateGates(summary(), { failUnder: 0.6000001 })[0]!.passed).toBe(false);
  });
  it("fails every gate when no row was graded; only the gates that are set are checked", () => {
    const empty = summary({ rows: 0, reward: { mean: null, min: null, max: null, p50: null, p90: null, p99: null }, pass_rate: null, error_rows: 0 });
    expect(evaluateGates(empty, { failUnder: 0, minPassRate: 0, maxErrorRate: 1 }).map((g) => [g.passed, g.message])).toEqual([
      [false, "no rows were graded"],
      [false, "no rows were graded"],
      [false, "no rows were graded"],
    ]);
    expect(evaluateGates(summary(), {})).toEqual([]);
    expect(evaluateGates(summary(), { maxErrorRate: 0.5 }).map((g) => g.gate)).toEqual(["max_error_rate"]);
  });
  it("the text lines: every gate, or only the failed ones (--quiet)", () => {
    const results = evaluateGates(summary(), { failUnder: 0.5, maxErrorRate: 0.2 });
    expect(formatGatesText(results)).toBe(
      "gates: 1 of 2 failed\n  ✓ --fail-under 0.5: mean reward 0.6 ≥ 0.5\n  ✗ --max-error-rate 0.2: FAILED: error rate 25% (5 of 20 rows raised a flag) is above 20% by 5 percentage points\n",
    );
    expect(formatGatesText(results, true)).toBe("gates: 1 of 2 failed\n  ✗ --max-error-rate 0.2: FAILED: error rate 25% (5 of 20 rows raised a flag) is above 20% by 5 percentage points\n");
    expect(formatGatesText(evaluateGates(summary(), { failUnder: 0.5 }), true)).toBe("");
  });
});

describe("the Markdown summary", () => {
  it("rows, mean and percentiles, pass rate, errors by flag with the first message of each, gates", () => {
    const gates = evaluateGates(summary(), { failUnder: 0.7, maxErrorRate: 0.3 });
    const md = runSummaryMarkdown(summary(), { grader: "graders/a.json", input: "data/b.jsonl", gates });
    expect(md).toBe(
      [
        "### graderkit run `graders/a.json` on `data/b.jsonl` — ❌ 1 of 2 gates failed",
        "",
        "| rows | mean | min | p50 | p90 | p99 | max | pass rate | rows with errors |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| 20 | 0.6 | 0 | 0.5 | 1 | 1 | 1 | 85% (reward ≥ 0.7) | 5 (25%) |",
        "",
        "#### Errors",
        "",
        "| flag | rows | first message |",
        "|---|---:|---|",
        "| `invalid_variable_error` | 4 | line 3: template variable {{ item.answer }} not found \\| &lt;b&gt;bold&lt;/b&gt; |",
        "| `python_grader_runtime_error` | 1 | line 9: python grader raised: KeyError: 'answer' |",
        "",
        "#### Gates",
        "",
        "| gate | threshold | actual | result |",
        "|---|---:|---:|---|",
        "| `--fail-under` | 0.7 | 0.6 | ❌ failed: mean reward 0.6 is below 0.7 by 0.1 |",
        "| `--max-error-rate` | 30% | 25% | ✅ passed: error rate 25% (5 of 20 rows raised a flag) ≤ 30% |",
        "",
      ].join("\n"),
    );
  });
  it("without gates, errors or a pass threshold, those parts are left out", () => {
    const md = runSummaryMarkdown(summary({ errors: {}, first_errors: {}, error_rows: 0, pass_rate: null, pass_threshold: null }));
    expect(md).toContain("| 20 | 0.6 | 0 | 0.5 | 1 | 1 | 1 | – | 0 (0%) |");
    expect(md).not.toContain("Errors");
    expect(md).not.toContain("Gates");
    expect(md.startsWith("### graderkit run\n")).toBe(true);
  });
  it("a table cell holds one line of plain text whatever the message", () => {
    expect(markdownCell("a|b\nc *d* _e_ `f` [g](h) <script>")).toBe("a\\|b c \\*d\\* \\_e\\_ \\`f\\` \\[g\\](h) &lt;script&gt;");
    expect(markdownCell("x".repeat(400))).toHaveLength(300);
  });
});
