// graderkit bench: the measuring parts against independent computations, the --json shape and
// its sanity on a real run (built CLI, a worker pool), the human table, and usage errors.

import { describe, expect, it } from "vitest";
import { childShares, repeatedLines } from "../src/bench/measure.js";
import { formatBenchReport, parseWorkerList } from "../src/cli/commands/bench.js";
import { cli, tempDir, writeJson, writeLines } from "./helpers/cli.js";
import { runMain } from "./helpers/run-main.js";

const dir = tempDir("graderkit-bench-");
const exact = writeJson(dir, "exact.json", { type: "string_check", name: "exact", operation: "eq", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" });
const mixed = writeJson(dir, "mixed.json", {
  type: "multi",
  name: "mixed",
  graders: {
    same: { type: "string_check", name: "same", operation: "eq", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" },
    meteor: { type: "text_similarity", name: "meteor", evaluation_metric: "meteor", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" },
  },
  calculate_output: "0.5 * same + 0.5 * meteor",
});
const sentence = (i: number) => `the quick brown fox number ${i} jumps over the lazy dogs while the cat sleeps on a warm mat`;
const samples = writeLines(
  dir,
  "samples.jsonl",
  Array.from({ length: 40 }, (_, i) => ({ id: i, item: { answer: sentence(i) }, model_sample: sentence(i + (i % 3)) })),
);

describe("bench's measuring parts", () => {
  it("repeats the lines in order, cut at the row count, every line newline-terminated", () => {
    const text = Buffer.concat([...repeatedLines(["a", "bb", "ccc"], 7)]).toString("utf8");
    expect(text).toBe("a\nbb\nccc\na\nbb\nccc\na\n");
    const long = [...repeatedLines(["x".repeat(1000)], 1000)];
    expect(long.length).toBeGreaterThan(1); // chunks of ~256 KB, not one buffer
    expect(Buffer.concat(long).length).toBe(1001 * 1000);
  });

  it("gives each child its share of the summed times", () => {
    const shares = childShares([
      { a: 1, b: 3 },
      { a: 1, b: 5 },
    ]);
    expect(shares.a).toBeCloseTo(2 / 10, 12);
    expect(shares.b).toBeCloseTo(8 / 10, 12);
    expect(childShares([{ a: 0, b: 0 }])).toEqual({ a: 0.5, b: 0.5 });
    expect(Object.keys(childShares([{ ["__proto__"]: 1, x: 1 }]))).toEqual(["__proto__", "x"]);
  });

  it("parses --workers lists, keeping the order and dropping repeats", () => {
    expect(parseWorkerList("0,1,2")).toEqual([0, 1, 2]);
    expect(parseWorkerList("2, 0,2")).toEqual([2, 0]);
    for (const bad of ["", "1,", "-1", "1.5", "two"]) expect(() => parseWorkerList(bad), bad).toThrow(/comma-separated list of integers >= 0/);
  });

  it("prints a table with one row per run and the children's shares, largest first", () => {
    const text = formatBenchReport(
      { grader: "mixed", rows: 20000, runs: [{ workers: 0, rows_per_s: 12345.6, p50_ms: 0.0123456, p99_ms: 1.5, peak_rss_mb: 99.6 }], children: { same: 0.25, meteor: 0.75 } },
      40,
    );
    expect(text).toBe(
      [
        "bench mixed: 20,000 rows per run (40 sample rows, repeated)",
        "",
        "workers  rows/s  p50 ms  p99 ms  peak RSS MB",
        "      0  12,346  0.0123    1.50          100",
        "",
        "share of the children's grading time:",
        "  meteor   75.0%",
        "  same     25.0%",
        "",
      ].join("\n"),
    );
  });
});

describe("graderkit bench", () => {
  it("--json: the documented keys, sane numbers, and the METEOR child dominating a multi", async () => {
    const res = await cli(["bench", mixed, samples, "--workers", "0,1", "--rows", "1500", "--json"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(Object.keys(report)).toEqual(["grader", "rows", "runs", "children"]);
    expect(report.grader).toBe("mixed");
    expect(report.rows).toBe(1500);
    expect(report.runs.map((r: { workers: number }) => r.workers)).toEqual([0, 1]);
    for (const run of report.runs) {
      expect(Object.keys(run)).toEqual(["workers", "rows_per_s", "p50_ms", "p99_ms", "peak_rss_mb"]);
      expect(run.rows_per_s).toBeGreaterThan(0);
      expect(run.p50_ms).toBeGreaterThan(0);
      expect(run.p50_ms).toBeLessThanOrEqual(run.p99_ms);
      expect(run.peak_rss_mb).toBeGreaterThan(20);
      expect(run.peak_rss_mb).toBeLessThan(4096);
    }
    const shares = report.children as Record<string, number>;
    expect(Object.keys(shares).sort()).toEqual(["meteor", "same"]);
    expect(shares.meteor! + shares.same!).toBeCloseTo(1, 9);
    // METEOR (tokenize, stem, WordNet, align) costs far more than an equality test.
    expect(shares.meteor).toBeGreaterThan(0.7);
  });

  it("counts the sample rows that raise an error, warns on stderr, and says when no child was graded", async () => {
    // 10 rows: 4 without a sample (sample_parse_error), 6 graded; the grader reads
    // {{ item.missing }} on every row, so the graded ones raise invalid_variable_error in a child.
    const broken = writeJson(dir, "broken.json", {
      type: "multi",
      name: "broken",
      graders: { gone: { type: "string_check", name: "gone", operation: "eq", input: "{{ item.missing }}", reference: "x" } },
      calculate_output: "gone",
    });
    const rows = writeLines(dir, "broken.jsonl", Array.from({ length: 10 }, (_, i) => (i % 5 < 2 ? { item: { answer: "a" } } : { item: { answer: "a" }, model_sample: "a" })));
    const res = await cli(["bench", broken, rows, "--workers", "0", "--rows", "300", "--json"]);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report.errors).toEqual({
      checked: 10,
      rows: 10,
      flags: { sample_parse_error: 4, invalid_variable_error: 6 },
      first: expect.stringMatching(/^line 1: .*neither 'sample' nor 'model_sample'/),
    });
    expect(res.stderr).toMatch(/^warning: 10 of 10 sample rows raise an error \(sample_parse_error 4, invalid_variable_error 6\); the figures include that error path \(first: line 1: /);
    expect(report.children).toEqual({ gone: 1 });
    // Rows that fail before the multi's children run leave no child time to share.
    const unparsable = writeLines(dir, "no-samples.jsonl", [{ item: { answer: "a" } }, { item: { answer: "b" } }]);
    const human = await cli(["bench", broken, unparsable, "--workers", "0", "--rows", "300"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("share of the children's grading time: none graded (every row failed before its children ran)");
    expect(human.stderr).toContain("warning: 2 of 2 sample rows raise an error (sample_parse_error 2)");
  });

  it("prints the table for a leaf grader, without children", async () => {
    const res = await cli(["bench", exact, samples, "--workers", "0", "--rows", "500"]);
    expect(res.code).toBe(0);
    const lines = res.stdout.split("\n");
    expect(lines[0]).toBe("bench exact: 500 rows per run (40 sample rows, repeated)");
    expect(lines[2]).toMatch(/^workers\s+rows\/s\s+p50 ms\s+p99 ms\s+peak RSS MB$/);
    expect(lines[3]).toMatch(/^\s+0\s+[\d,]+\s+[\d.]+\s+[\d.]+\s+\d+$/);
    expect(res.stdout).not.toContain("share");
  });

  it("measures an executor-backed grader once, on the main thread, saying that --workers does not apply", async () => {
    const res = await cli(["bench", "graders/numeric-answer.python.json", "datasets/qa.jsonl", "--workers", "0,2", "--rows", "100", "--json"]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("note: numeric_answer is executor-backed and grades on the main thread");
    const report = JSON.parse(res.stdout);
    expect(report.runs.map((r: { workers: number }) => r.workers)).toEqual([0]);
    expect(report.runs[0].rows_per_s).toBeGreaterThan(0);
    expect(report.children).toBeUndefined();
  });

  it("usage errors exit 2: a bad --workers list, --rows 0, empty samples, a missing file, an invalid grader", async () => {
    const empty = writeLines(dir, "empty.jsonl", []);
    const invalid = writeJson(dir, "invalid.json", { type: "string_check", operation: "equals" });
    const cases: Array<[string[], RegExp]> = [
      [["bench", exact, samples, "--workers", "0,x"], /--workers must be a comma-separated list of integers >= 0, got '0,x'/],
      [["bench", exact, samples, "--rows", "0"], /--rows must be an integer >= 1, got '0'/],
      [["bench", exact, empty], /empty\.jsonl: no rows to grade/],
      [["bench", exact, `${dir}/missing.jsonl`], /missing\.jsonl: cannot read \(ENOENT\)/],
      [["bench", invalid, samples], /invalid\.json: \/operation: must be one of/],
      [["bench", exact], /bench needs GRADER\.json SAMPLES\.jsonl/],
    ];
    for (const [argv, message] of cases) {
      const res = await runMain(argv);
      expect(res.code, argv.join(" ")).toBe(2);
      expect(res.stderr, argv.join(" ")).toMatch(message);
      expect(res.stdout, argv.join(" ")).toBe("");
    }
  });
});
