// run --format compact and --limit (issue 11): compact rows carry the same rewards and errors as
// full rows (derived here from the full rows, independently of the engine's serializer), on the
// main thread and on the pool alike; the summary, gates and --resume work with both formats and
// --resume refuses to mix them; --limit grades the first N non-blank lines.
import { readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { runFile, type OutputRow } from "graderkit";
import { cli, parseRows, tempDir, writeJson, writeLines } from "./helpers/cli.js";

type Row = Record<string, any>;
const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };
const multi = {
  type: "multi",
  name: "combo",
  graders: {
    exact,
    sim: { type: "text_similarity", name: "sim", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "fuzzy_match" },
  },
  calculate_output: "0.5 * exact + 0.5 * sim",
};

let dir: string;
let multiPath: string;
let input: string;
const N = 3000;
beforeAll(() => {
  dir = tempDir("graderkit-engine-compact-");
  multiPath = writeJson(dir, "multi.json", multi);
  const lines: Array<string | object> = [];
  for (let i = 0; i < N; i++) {
    if (i % 500 === 7) lines.push("{not json");
    else if (i % 700 === 3) lines.push({ id: `r${i}`, item: {}, model_sample: "x" }); // item.answer missing
    else lines.push({ id: `r${i}`, item: { answer: `a ${i % 3}` }, model_sample: i % 4 === 0 ? `a ${i % 3}` : `a ${i % 5}` });
    if (i % 900 === 5) lines.push("");
  }
  input = writeLines(dir, "in.jsonl", lines);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The compact row of a full row, by the definition. */
function compactOf(full: Row): Row {
  const out: Row = { line: full.line };
  if ("id" in full) out.id = full.id;
  out.reward = full.reward;
  if (full.metadata.type === "multi") out.sub_rewards = full.sub_rewards;
  const raised = Object.fromEntries(Object.entries(full.metadata.errors).filter(([, v]) => v !== false && v !== null));
  if (Object.keys(raised).length > 0) out.errors = raised;
  if (full.error) out.error = full.error;
  return out;
}

const summaryOf = (path: string) => {
  const { wall_time_s: _w, rows_per_s: _r, peak_rss_mb: _m, cpu_time_s: _c, workers: _k, ...rest } = JSON.parse(readFileSync(path, "utf8"));
  return rest;
};

async function run(args: string[]) {
  const r = await cli(["run", ...args]);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  return r;
}

describe("--format compact", () => {
  it("rows are the full rows' compact form, the same on the main thread and on the pool (150 frames through reused buffers)", async () => {
    const full = join(dir, "full.jsonl");
    expect((await run([multiPath, input, "-o", full, "--quiet", "--workers", "0"])).code).toBe(0);
    const fullRows = parseRows(readFileSync(full, "utf8"));
    expect(fullRows.some((r) => r.errors === undefined && r.metadata.errors.sample_parse_error)).toBe(true);
    expect(fullRows.some((r) => r.metadata.errors.invalid_variable_error)).toBe(true);
    const outs: string[] = [];
    for (const workers of ["0", "2"]) {
      const out = join(dir, `compact-w${workers}.jsonl`);
      expect((await run([multiPath, input, "-o", out, "--quiet", "--format", "compact", "--workers", workers, "--batch-size", "20"])).code).toBe(0);
      outs.push(readFileSync(out, "utf8"));
    }
    expect(outs[1]).toBe(outs[0]);
    expect(parseRows(outs[0])).toEqual(fullRows.map(compactOf));
    expect(JSON.parse(readFileSync(join(dir, "compact-w0.jsonl.graderkit.json"), "utf8")).format).toBe("compact");
  });

  it("gives the same summary and gate verdicts as full rows", async () => {
    const verdicts: string[] = [];
    for (const format of ["full", "compact"]) {
      const summary = join(dir, `summary-${format}.json`);
      const r = await run([multiPath, input, "-o", join(dir, `gated-${format}.jsonl`), "--format", format, "--summary-json", summary, "--max-error-rate", "0.001", "--fail-under", "0.1"]);
      expect(r.code).toBe(1); // the error rate is over 0.001
      verdicts.push(JSON.stringify(JSON.parse(readFileSync(summary, "utf8")).gates));
    }
    expect(verdicts[1]).toBe(verdicts[0]);
    expect(summaryOf(join(dir, "summary-compact.json"))).toEqual(summaryOf(join(dir, "summary-full.json")));
  });

  it("--resume continues compact output (counting its errors) and refuses to mix formats", async () => {
    const whole = join(dir, "resume-whole.jsonl");
    const wholeSummary = join(dir, "resume-whole.json");
    expect((await run([multiPath, input, "-o", whole, "--quiet", "--format", "compact", "--summary-json", wholeSummary])).code).toBe(0);
    const out = join(dir, "resume.jsonl");
    writeFileSync(out, readFileSync(whole));
    writeFileSync(out + ".graderkit.json", readFileSync(whole + ".graderkit.json"));
    const bytes = readFileSync(out);
    let cut = 0;
    for (let i = 0; i < 1200; i++) cut = bytes.indexOf(10, cut) + 1;
    truncateSync(out, cut + 9); // a torn row after 1,200 whole ones

    const mixed = await run([multiPath, input, "-o", out, "--resume", "--quiet"]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`${out}: cannot resume: the output format differs: compact then, full now`);

    const resumedSummary = join(dir, "resume.json");
    const r = await run([multiPath, input, "-o", out, "--resume", "--format", "compact", "--summary-json", resumedSummary]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("1200 from a previous run");
    expect(readFileSync(out, "utf8")).toBe(readFileSync(whole, "utf8"));
    const { resumed_rows: _a, graded_now: _b, ...resumed } = summaryOf(resumedSummary);
    const { resumed_rows: _c, graded_now: _d, ...once } = summaryOf(wholeSummary);
    expect(resumed).toEqual(once);
  });

  it("graderkit diff reads a full and a compact run of the same grader as the same rewards", async () => {
    const r = await cli(["diff", join(dir, "full.jsonl"), join(dir, "compact-w0.jsonl"), "--json"]);
    expect(r.code).toBe(0);
    const diff = JSON.parse(r.stdout);
    expect(diff).toMatchObject({ rows: N, unmatched: { a_only: [], b_only: [] }, mean_delta: 0, flips: { pass_to_fail: 0, fail_to_pass: 0 }, largest: [] });
    expect(diff.mean_b).toBe(diff.mean_a);
  });

  it("--resume refuses full rows in OUT whose sidecar says compact", async () => {
    const out = join(dir, "liar.jsonl");
    expect((await run([multiPath, input, "-o", out, "--quiet", "--limit", "10"])).code).toBe(0);
    const sidecar = out + ".graderkit.json";
    writeFileSync(sidecar, readFileSync(sidecar, "utf8").replace('"format": "full"', '"format": "compact"'));
    const r = await run([multiPath, input, "-o", out, "--resume", "--format", "compact", "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot resume: line 1 (byte 0) is a full row, but the run writes compact rows");
  });
});

describe("--limit N", () => {
  const ids = (text: string) => parseRows(text).map((r) => r.id ?? `line ${r.line}`);
  const nonBlank = () => readFileSync(input, "utf8").split("\n").filter((l) => l.trim() !== "");

  it("grades the first N non-blank lines, blank lines not counted, at any block size", async () => {
    const expected = nonBlank().slice(0, 910).map((l, i) => (l.startsWith("{not") ? null : JSON.parse(l).id ?? i));
    for (const args of [["--workers", "0"], ["--workers", "2", "--batch-size", "64"]]) {
      const r = await run([multiPath, input, "--limit", "910", "--format", "compact", "--quiet", ...args]);
      expect(r.code).toBe(0);
      const rows = parseRows(r.stdout);
      expect(rows).toHaveLength(910);
      expect(rows.map((row) => (row.error?.flag === "sample_parse_error" ? null : row.id))).toEqual(expected);
    }
    // The 910th row's line number counts the blank lines before it.
    const physical = readFileSync(input, "utf8").split("\n");
    let seen = 0;
    const lastLine = physical.findIndex((l) => l.trim() !== "" && ++seen === 910) + 1;
    expect(lastLine).toBe(912);
    expect(parseRows((await run([multiPath, input, "--limit", "910", "--format", "compact", "--quiet"])).stdout).at(-1)!.line).toBe(lastLine);
  });

  it("0 grades nothing; more than the input grades everything", async () => {
    expect((await run([multiPath, input, "--limit", "0", "--quiet"])).stdout).toBe("");
    const all = await run([multiPath, input, "--limit", "100000", "--format", "compact", "--quiet"]);
    expect(ids(all.stdout)).toHaveLength(nonBlank().length);
  });

  it("counts from the start of the input on --resume", async () => {
    const out = join(dir, "limit-resume.jsonl");
    expect((await run([multiPath, input, "-o", out, "--limit", "100", "--format", "compact", "--quiet"])).code).toBe(0);
    const r = await run([multiPath, input, "-o", out, "--resume", "--limit", "250", "--format", "compact"]);
    expect(r.stderr).toContain("rows: 250 (100 from a previous run, 150 graded now)");
    const once = await run([multiPath, input, "--limit", "250", "--format", "compact", "--quiet"]);
    expect(readFileSync(out, "utf8")).toBe(once.stdout);
  });

  it("rejects a negative N (exit 2)", async () => {
    const r = await run([multiPath, input, "--limit", "-1"]);
    expect(r.code).toBe(2);
  });
});

describe("runFile({format, limit})", () => {
  it("writes compact rows while onRow still gets the whole response", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let written = "";
    stdout.setEncoding("utf8").on("data", (d) => (written += d));
    const seen: OutputRow[] = [];
    stdin.end(['{"id":"a","item":{"answer":"x"},"model_sample":"x"}', "", '{"id":"b","item":{"answer":"x"},"model_sample":"y"}', '{"id":"c"}'].join("\n"));
    const summary = await runFile({ grader: exact, input: "-", stdin, stdout, format: "compact", limit: 2, onRow: (r) => seen.push(r) });
    expect(summary.rows).toBe(2);
    expect(parseRows(written)).toEqual([
      { line: 1, id: "a", reward: 1 },
      { line: 3, id: "b", reward: 0 },
    ]);
    expect(seen.map((r) => [r.id, r.response.metadata.type])).toEqual([
      ["a", "string_check"],
      ["b", "string_check"],
    ]);
  });

  it("rejects an unknown format and a limit that is not a non-negative integer, before reading", async () => {
    await expect(runFile({ grader: exact, input: "/nonexistent", format: "tiny" as never })).rejects.toThrow(TypeError);
    for (const limit of [-1, 2.5, NaN]) await expect(runFile({ grader: exact, input: "/nonexistent", limit })).rejects.toThrow(RangeError);
  });
});
