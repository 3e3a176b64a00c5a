// graderkit report, diff and calibrate as a user runs them (the built CLI). Expected numbers come
// from the scipy / scikit-learn fixture (test/fixtures/report/statistics.json) or are computed
// here from the rows the test writes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir, writeLines } from "./helpers/cli.js";

const fixtures = JSON.parse(readFileSync(new URL("./fixtures/report/statistics.json", import.meta.url), "utf8"));
const fixture = (group: string, name: string) => fixtures[group].find((c: { name: string }) => c.name === name);

let dir: string;
beforeAll(() => {
  dir = tempDir("graderkit-report-cli-");
});

/** Compare nested numbers to 1e-12 (the fixture's tolerance); everything else exactly. */
function expectClose(actual: unknown, expected: unknown, path = "$"): void {
  if (typeof expected === "number") {
    expect(typeof actual, path).toBe("number");
    expect(Math.abs((actual as number) - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12);
  } else if (expected !== null && typeof expected === "object") {
    expect(Object.keys(actual as object), path).toEqual(Object.keys(expected));
    for (const [k, v] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else expect(actual, path).toEqual(expected);
}

describe("graderkit report", () => {
  it("writes a self-contained page and says what it wrote; the run's own summary numbers", async () => {
    const run = writeLines(dir, "r.jsonl", [{ line: 1, reward: 1 }, { line: 2, reward: 0.25 }, { line: 3, reward: 0, errors: { other_error: true }, error: { flag: "other_error", message: "nope" } }]);
    const out = join(dir, "r.html");
    // graders/answer-fuzzy.json has pass_threshold 0.8.
    const r = await cli(["report", run, "-o", out, "--grader", "graders/answer-fuzzy.json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/r\.html: \d+ KB, 3 rows \(3 in the table\), mean reward 0\.4167, 1 with errors/);
    const html = readFileSync(out, "utf8");
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*script-src 'sha256-[A-Za-z0-9+/=]+'/);
    // Nothing to load: no src or href to any address, no external stylesheet or script.
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<link|<script src|@import|url\(http/);
    expect(html).toContain("pass rate (reward ≥ 0.8)");
    expect(html).toContain("33.3%");
  });

  it("'-o -' writes the page to stdout, and '-' reads the run from stdin", async () => {
    const r = await cli(["report", "-", "-o", "-"], { input: '{"line":1,"reward":0.5}\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith("<!doctype html>")).toBe(true);
  });

  it("warns about a resumed run's leftovers and still reports", async () => {
    const out = join(dir, "resumed.html");
    const r = await cli(["report", "-", "-o", out], { input: '{"line":2,"reward":1}\n{"line":1,"reward":0}\n{"line":2,"reward":0.5}\n{"line":3,"rew' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("warning: stdin: the last line is incomplete");
    expect(r.stderr).toContain("1 row repeats an input line already seen");
    expect(r.stderr).toContain("2 rows (2 in the table), mean reward 0.5000");
  });

  it("--input joins texts by line, and warns when the ids say it is not the input that was graded", async () => {
    const run = writeLines(dir, "joined.jsonl", [{ line: 1, id: "q1", reward: 1 }, { line: 2, id: "zz", reward: 0 }]);
    const out = join(dir, "joined.html");
    const r = await cli(["report", run, "--input", "datasets/qa.jsonl", "-o", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("warning: datasets/qa.jsonl: 1 row has another id than the run row of the same line");
    // The sample of line 1 ({"answer": "Paris"}), escaped, in the worst-rows table.
    expect(readFileSync(out, "utf8")).toContain("{&quot;answer&quot;: &quot;Paris&quot;}");
  });

  it("exit 2 for a missing file, a row that is not a run row, or the samples given as the run", async () => {
    const missing = await cli(["report", join(dir, "nope.jsonl")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.jsonl: cannot open the run (ENOENT)");
    const bad = writeLines(dir, "bad.jsonl", [{ line: 1, reward: 1 }, { line: 2 }]);
    const r = await cli(["report", bad, "-o", join(dir, "x.html")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: not a run row: 'reward' must be a number`);
    const s = await cli(["report", "datasets/qa.jsonl", "-o", join(dir, "x.html")]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain("is this the input of `graderkit run` rather than its output?");
  });
});

/** Two runs whose rewards are the fixture's x and y, ids in a shuffled order in B. */
function pairRuns(name: string, x: number[], y: number[], options: { shuffleB?: boolean } = {}) {
  const a = x.map((reward, i) => ({ line: i + 1, id: `s${i}`, reward }));
  const b = y.map((reward, i) => ({ line: i + 1, id: `s${i}`, reward }));
  if (options.shuffleB) b.reverse();
  return { a: writeLines(dir, `${name}-a.jsonl`, a), b: writeLines(dir, `${name}-b.jsonl`, b) };
}

describe("graderkit diff", () => {
  it("--json: exactly the documented keys, scipy's correlations, flips and largest changes computed here", async () => {
    const c = fixture("correlation", "heavy ties n=300");
    const { a, b } = pairRuns("ties", c.x, c.y, { shuffleB: true });
    const r = await cli(["diff", a, b, "--json", "--resamples", "500", "--threshold", "0.5"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["rows", "unmatched", "mean_a", "mean_b", "mean_delta", "mean_delta_ci95", "spearman", "kendall_tau_b", "threshold", "flips", "largest"]);
    expect(out.rows).toBe(300);
    expect(out.unmatched).toEqual({ a_only: [], b_only: [] });
    const meanA = c.x.reduce((s: number, v: number) => s + v, 0) / 300;
    const meanB = c.y.reduce((s: number, v: number) => s + v, 0) / 300;
    expect(out.mean_a).toBeCloseTo(meanA, 12);
    expect(out.mean_b).toBeCloseTo(meanB, 12);
    expect(out.mean_delta).toBeCloseTo(meanB - meanA, 12);
    expect(out.mean_delta_ci95[0]).toBeLessThan(out.mean_delta);
    expect(out.mean_delta_ci95[1]).toBeGreaterThan(out.mean_delta);
    expectClose(out.spearman, c.spearman);
    expectClose(out.kendall_tau_b, c.kendall_tau_b);
    expect(out.threshold).toBe(0.5);
    const pairs = c.x.map((x: number, i: number) => ({ line: i + 1, id: `s${i}`, a: x, b: c.y[i], delta: c.y[i] - x }));
    expect(out.flips).toEqual({ pass_to_fail: pairs.filter((p: any) => p.a >= 0.5 && p.b < 0.5).length, fail_to_pass: pairs.filter((p: any) => p.a < 0.5 && p.b >= 0.5).length });
    const largest = pairs.filter((p: any) => p.delta !== 0).sort((p: any, q: any) => Math.abs(q.delta) - Math.abs(p.delta) || p.line - q.line).slice(0, 20);
    expect(out.largest).toEqual(largest);
  });

  it("the interval is the paired percentile bootstrap of the fixture (an independent implementation)", async () => {
    const boot = fixtures.random.bootstrap.find((b: { name: string }) => b.name === "continuous n=150, seed 7");
    const x = boot.deltas.map(() => 0.5);
    const { a, b } = pairRuns("boot", x, boot.deltas.map((d: number) => 0.5 + d));
    const r = await cli(["diff", a, b, "--json", "--seed", "7"]);
    expect(r.code, r.stderr).toBe(0);
    const [lo, hi] = JSON.parse(r.stdout).mean_delta_ci95;
    // b - a is the fixture's delta up to one rounding of 0.5 + d - 0.5.
    expect(Math.abs(lo - boot.ci[0])).toBeLessThan(1e-12);
    expect(Math.abs(hi - boot.ci[1])).toBeLessThan(1e-12);
  });

  it("joins by line without ids, lists unmatched rows, null correlations for a constant side, readable text", async () => {
    const a = writeLines(dir, "la.jsonl", [1, 2, 3, 4].map((line) => ({ line, reward: 1 })));
    const b = writeLines(dir, "lb.jsonl", [2, 3, 4, 5].map((line) => ({ line, reward: line === 3 ? 0 : 1 })));
    const json = JSON.parse((await cli(["diff", a, b, "--json", "--resamples", "0"])).stdout);
    expect(json).toMatchObject({ rows: 3, unmatched: { a_only: [{ line: 1 }], b_only: [{ line: 5 }] }, mean_delta_ci95: null, spearman: null, kendall_tau_b: null, flips: { pass_to_fail: 1, fail_to_pass: 0 } });
    expect(json.largest).toEqual([{ line: 3, id: null, a: 1, b: 0, delta: -1 }]);
    const text = await cli(["diff", a, b]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("matched: 3 rows by line; 1 only in A, 1 only in B");
    expect(text.stdout).toContain("1 pass -> fail, 0 fail -> pass");
    expect(text.stdout).toMatch(/largest changes \(1\):\n.*line.*\n\s+3\s+0?\s*1\.0000\s+0\.0000\s+-1\.0000/);
    expect(text.stdout).toContain("only in A: line 1");
    expect(text.stderr).toContain("spearman and kendall_tau_b are not defined");
  });

  it("the threshold comes from --grader's pass_threshold; no row in common is exit 2", async () => {
    const a = writeLines(dir, "ta.jsonl", [{ line: 1, reward: 0.9 }, { line: 2, reward: 0.7 }]);
    const b = writeLines(dir, "tb.jsonl", [{ line: 1, reward: 0.1 }, { line: 2, reward: 0.85 }]);
    const json = JSON.parse((await cli(["diff", a, b, "--json", "--grader", "graders/answer-fuzzy.json", "--resamples", "0"])).stdout);
    expect(json.threshold).toBe(0.8);
    expect(json.flips).toEqual({ pass_to_fail: 1, fail_to_pass: 1 });
    const byDefault = JSON.parse((await cli(["diff", a, b, "--json", "--resamples", "0"])).stdout);
    expect(byDefault.threshold).toBe(0.5);
    expect(byDefault.flips).toEqual({ pass_to_fail: 1, fail_to_pass: 0 });
    const c = writeLines(dir, "tc.jsonl", [{ line: 9, reward: 0.1 }]);
    const none = await cli(["diff", a, c]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no row of");
  });
});

describe("graderkit calibrate", () => {
  it("binary labels by id: every number is scikit-learn's (fixture)", async () => {
    const c = fixture("classification", "discrete scores n=400");
    const run = writeLines(dir, "cal-run.jsonl", c.scores.map((reward: number, i: number) => ({ line: i + 1, id: `q${i}`, reward })));
    // Labels in another order, joined by id; booleans count as 1 / 0.
    const labels = writeLines(dir, "cal-labels.jsonl", c.labels.map((label: number, i: number) => ({ id: `q${i}`, label: i % 2 ? label === 1 : label })).reverse());
    const r = await cli(["calibrate", run, "--labels", labels, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expectClose(JSON.parse(r.stdout), {
      rows: 400,
      positives: c.positives,
      roc_auc: c.roc_auc,
      average_precision: c.average_precision,
      best_f1: c.best_f1,
      best_youden: c.best_youden,
      at_threshold: c.at_threshold,
    });
    const text = await cli(["calibrate", run, "--labels", labels]);
    expect(text.stdout).toContain(`rows: 400 (binary labels, ${c.positives} positive, joined by id)`);
    expect(text.stdout).toMatch(/best F1: threshold 0\.4 /);
  });

  it("--threshold sets at_threshold; all one class: roc_auc null with a note", async () => {
    const c = fixture("classification", "at a given threshold");
    const run = writeLines(dir, "th-run.jsonl", c.scores.map((reward: number, i: number) => ({ line: i + 1, reward })));
    const labels = writeLines(dir, "th-labels.jsonl", c.labels.map((label: number, i: number) => ({ line: i + 1, label })));
    const out = JSON.parse((await cli(["calibrate", run, "--labels", labels, "--json", "--threshold", "0.5"])).stdout);
    expectClose(out.at_threshold, c.at_threshold);
    const one = fixture("classification", "all negative");
    const run1 = writeLines(dir, "one-run.jsonl", one.scores.map((reward: number, i: number) => ({ line: i + 1, reward })));
    const labels1 = writeLines(dir, "one-labels.jsonl", one.labels.map((label: number, i: number) => ({ line: i + 1, label })));
    const r = await cli(["calibrate", run1, "--labels", labels1, "--json", "--threshold", "0.5"]);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.roc_auc).toBeNull();
    expect(body.best_f1).toBeNull();
    expect(body.best_youden).toBeNull();
    expectClose(body.average_precision, one.average_precision);
    expect(r.stderr).toContain("note: every label is negative (0): roc_auc and best_youden are not defined");
  });

  it("numeric labels from the input's items (--label-field): scipy's correlations and the MAE; failed rows left out", async () => {
    const c = fixture("correlation", "correlated n=200");
    const input = writeLines(dir, "num-input.jsonl", c.y.map((y: number) => ({ item: { human: { score: y } }, model_sample: "…" })));
    const run = writeLines(dir, "num-run.jsonl", c.x.map((reward: number, i: number) => ({ line: i + 1, reward })));
    const r = await cli(["calibrate", run, "--input", input, "--label-field", "item.human.score", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expectClose(JSON.parse(r.stdout), { rows: 200, pearson: c.pearson, spearman: c.spearman, kendall_tau_b: c.kendall_tau_b, mae: c.mae });

    // Row 8 failed to grade: left out by default, kept with --include-errors.
    const failed = c.x.map((reward: number, i: number) => (i === 7 ? { line: 8, reward: 0, errors: { other_error: true }, error: { flag: "other_error", message: "x" } } : { line: i + 1, reward }));
    const runFailed = writeLines(dir, "num-run-failed.jsonl", failed);
    const left = await cli(["calibrate", runFailed, "--input", input, "--label-field", "item.human.score", "--json"]);
    expect(left.stderr).toContain("note: 1 labelled row left out because grading failed");
    expect(JSON.parse(left.stdout).rows).toBe(199);
    const kept = JSON.parse((await cli(["calibrate", runFailed, "--input", input, "--label-field", "item.human.score", "--json", "--include-errors"])).stdout);
    const mae = failed.reduce((sum: number, row: { reward: number }, i: number) => sum + Math.abs(row.reward - c.y[i]), 0) / 200;
    expect(kept.rows).toBe(200);
    expect(kept.mae).toBeCloseTo(mae, 12);
  });

  it("exit 2 for a bad label, a missing way to get labels, or no labelled row", async () => {
    const run = writeLines(dir, "e-run.jsonl", [{ line: 1, reward: 1 }]);
    const bad = writeLines(dir, "e-labels.jsonl", [{ line: 1, label: "yes" }]);
    const r = await cli(["calibrate", run, "--labels", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:1: a label must be a number or a boolean, got "yes"`);
    expect((await cli(["calibrate", run])).code).toBe(2);
    const other = writeLines(dir, "e-other.jsonl", [{ line: 5, label: 1 }]);
    const none = await cli(["calibrate", run, "--labels", other]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no run row has a label");
  });
});
