// Reading run files (full and compact rows, resumed runs) and choosing the rows a large run's
// table keeps. Expected values are computed here from the rows the tests write.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { RowKeeper, fitKept, type KeepGroup } from "../src/report/keep.js";
import { buildReportModel, TABLE_LIMITS } from "../src/report/report.js";
import { scanRun, type RunRow } from "../src/report/run-rows.js";
import { FileLineError } from "../src/report/file-error.js";
import { tempDir, writeLines } from "./helpers/cli.js";
import { mulberry32 } from "./helpers/random.js";

let dir: string;
beforeAll(() => {
  dir = tempDir("graderkit-report-read-");
});

const fullErrors = (set: Record<string, unknown> = {}) => ({
  formula_parse_error: false, sample_parse_error: false, truncated_observation_error: false, unresponsive_reward_error: false,
  invalid_variable_error: false, other_error: false, python_grader_server_error: false, python_grader_server_error_type: null,
  python_grader_runtime_error: false, python_grader_runtime_error_details: null, model_grader_server_error: false,
  model_grader_refusal_error: false, model_grader_parse_error: false, model_grader_server_error_details: null, ...set,
});
const full = (line: number, reward: number, extra: Record<string, unknown> = {}, errors: Record<string, unknown> = {}) => ({
  line, reward, metadata: { name: "m", type: "multi", errors: fullErrors(errors), execution_time: 0, scores: {}, token_usage: null, sampled_model_name: null },
  sub_rewards: {}, model_grader_token_usage_per_model: {}, ...extra,
});

async function rowsOf(source: string | Readable): Promise<{ rows: RunRow[]; info: Awaited<ReturnType<typeof scanRun>> }> {
  const rows: RunRow[] = [];
  const info = await scanRun(source, "run.jsonl", (r) => rows.push(r));
  return { rows, info };
}

describe("scanRun", () => {
  it("reads full and compact rows alike, flags, details, sub-rewards and errors", async () => {
    const file = writeLines(dir, "mixed.jsonl", [
      full(1, 0.5, { id: "a", sub_rewards: { x: 1, y: 0 } }),
      full(2, 0, { error: { flag: "python_grader_server_error", message: "timed out", path: "/graders/y" } }, { python_grader_server_error: true, python_grader_server_error_type: "timeout" }),
      { line: 3, id: 7, reward: 1, sub_rewards: { x: 1, y: 1 } },
      { line: 4, reward: 0, errors: { python_grader_runtime_error: true, python_grader_runtime_error_details: "Traceback ..." }, error: { flag: "python_grader_runtime_error", message: "boom" } },
    ]);
    const { rows, info } = await rowsOf(file);
    expect(info).toMatchObject({ rows: 4, formats: ["full", "compact"], grader: { name: "m", type: "multi" }, duplicates: 0, tornLastLine: false, outOfOrder: false });
    expect(rows[0]).toEqual({ line: 1, id: "a", reward: 0.5, subRewards: { x: 1, y: 0 }, flags: [], details: {}, error: null });
    expect(rows[1]).toMatchObject({ flags: ["python_grader_server_error"], details: { python_grader_server_error_type: "timeout" }, error: { flag: "python_grader_server_error", message: "timed out", path: "/graders/y" }, subRewards: null });
    expect(rows[2]).toEqual({ line: 3, id: 7, reward: 1, subRewards: { x: 1, y: 1 }, flags: [], details: {}, error: null });
    expect(rows[3]).toMatchObject({ flags: ["python_grader_runtime_error"], details: { python_grader_runtime_error_details: "Traceback ..." } });
    expect("id" in rows[3]!).toBe(false);
  });

  it("tolerates a resumed run: rows out of order, a line twice (the first counts), a torn last line, CRLF and a BOM", async () => {
    const file = join(dir, "resumed.jsonl");
    const lines = [JSON.stringify({ line: 1, reward: 0.1 }), JSON.stringify({ line: 3, reward: 0.3 }), JSON.stringify({ line: 2, reward: 0.2 }), JSON.stringify({ line: 3, reward: 0.9 }), "", '{"line": 4, "rew'];
    writeFileSync(file, "\ufeff" + lines.join("\r\n"));
    const { rows, info } = await rowsOf(file);
    expect(rows.map((r) => [r.line, r.reward])).toEqual([[1, 0.1], [3, 0.3], [2, 0.2]]);
    expect(info).toMatchObject({ rows: 3, duplicates: 1, tornLastLine: true, outOfOrder: true });
  });

  it("reads a stream (stdin) the same as a file", async () => {
    const { rows } = await rowsOf(Readable.from([Buffer.from('{"line":1,"rew'), Buffer.from('ard":1}\n{"line":2,"reward":0}\n')]));
    expect(rows.map((r) => r.reward)).toEqual([1, 0]);
  });

  it("a line that is not a run row is an error naming FILE:LINE; the input of a run gets a hint", async () => {
    const bad = writeLines(dir, "bad.jsonl", [{ line: 1, reward: 1 }, "{oops", { line: 3, reward: 0 }]);
    await expect(rowsOf(bad)).rejects.toThrow(/^run\.jsonl:2: not JSON \(/);
    await expect(rowsOf(bad)).rejects.toBeInstanceOf(FileLineError);
    const samples = writeLines(dir, "samples.jsonl", [{ id: 1, item: {}, model_sample: "x" }]);
    await expect(rowsOf(samples)).rejects.toThrow(/run.jsonl:1: .*input of `graderkit run` rather than its output/);
    const noLine = writeLines(dir, "noline.jsonl", [{ reward: 1 }]);
    await expect(rowsOf(noLine)).rejects.toThrow("run.jsonl:1: not a run row: 'line' must be a positive integer");
  });
});

describe("the rows a large run's table keeps", () => {
  it("RowKeeper: the lowest keys exactly (ties by line), a uniform sample, each row once, in priority order", () => {
    const random = mulberry32(5);
    const rows = Array.from({ length: 5000 }, (_, i) => ({ line: i + 1, v: Math.floor(random() * 50), flagged: random() < 0.05 }));
    const groups: KeepGroup<(typeof rows)[number]>[] = [
      { name: "low", size: 100, kind: "lowest", key: (r) => r.v, describe: (c) => `${c.shown} low` },
      { name: "flagged", size: 80, kind: "sample", accepts: (r) => r.flagged, describe: (c) => `${c.shown} of ${c.candidates} flagged` },
      { name: "all", size: 1000, kind: "sample", accepts: () => true, describe: (c) => `${c.added} sampled` },
    ];
    const keeper = new RowKeeper(groups, (r) => r.line, 1000, 3);
    for (const r of rows) keeper.add(r);
    const kept = keeper.result();
    const expectedLow = [...rows].sort((a, b) => a.v - b.v || a.line - b.line).slice(0, 100);
    expect(kept.groups[0]!.rows).toEqual(expectedLow);
    expect(kept.groups[1]!.candidates).toBe(rows.filter((r) => r.flagged).length);
    expect(kept.groups[1]!.rows.every((r) => r.flagged)).toBe(true);
    expect(kept.rows).toHaveLength(1000);
    expect(new Set(kept.rows).size).toBe(1000);
    expect(kept.rows.slice(0, 100)).toEqual(expectedLow);
    // A uniform sample: about a fifth of the rows from each fifth of the file (loose bounds).
    const sampled = kept.groups[2]!.rows;
    for (let q = 0; q < 5; q++) {
      const share = sampled.filter((r) => r.line > q * 1000 && r.line <= (q + 1) * 1000).length / sampled.length;
      expect(share).toBeGreaterThan(0.14);
      expect(share).toBeLessThan(0.26);
    }
    // The same seed, the same rows.
    const again = new RowKeeper(groups, (r) => r.line, 1000, 3);
    for (const r of rows) again.add(r);
    expect(again.result().rows).toEqual(kept.rows);
    // A byte budget cuts from the lowest priority and says so.
    const fit = fitKept(kept, groups, () => 10, 10 * 300);
    expect(fit.rows).toHaveLength(300);
    expect(fit.rows.slice(0, 100)).toEqual(expectedLow);
    expect(fit.note).toMatch(/^300 of 5000 rows \(fewer than the table holds.*\): 100 low, \d+ of \d+ flagged, \d+ sampled\./);
  });

  it("a run larger than the table: the worst, errored and best rows are all there, and the page says so", async () => {
    const n = 25_000;
    const random = mulberry32(9);
    const rows: Array<{ line: number; reward: number; message?: string }> = Array.from({ length: n }, (_, i) =>
      random() < 0.02 ? { line: i + 1, reward: 0, message: `e${i % 4}` } : { line: i + 1, reward: Math.round(random() * 1e4) / 1e4 },
    );
    const asRunRow = (r: (typeof rows)[number]) => (r.message ? { line: r.line, reward: 0, errors: { other_error: true }, error: { flag: "other_error", message: r.message } } : r);
    const file = writeLines(dir, "large.jsonl", rows.map(asRunRow));
    const model = await buildReportModel({ run: file, runName: "large.jsonl" });
    expect(model.rewards.rows).toBe(n);
    expect(model.table.rows).toHaveLength(TABLE_LIMITS.rows);
    const shown = new Set(model.table.rows.map((r) => r.line));
    const byReward = [...rows].sort((a, b) => a.reward - b.reward || a.line - b.line);
    for (const r of byReward.slice(0, TABLE_LIMITS.worst)) expect(shown.has(r.line)).toBe(true);
    const byRewardDesc = [...rows].sort((a, b) => b.reward - a.reward || a.line - b.line);
    for (const r of byRewardDesc.slice(0, TABLE_LIMITS.best)) expect(shown.has(r.line)).toBe(true);
    const errored = rows.filter((r) => r.message !== undefined);
    expect(errored.length).toBeLessThan(TABLE_LIMITS.errored);
    for (const r of errored) expect(shown.has(r.line)).toBe(true);
    expect(model.table.note).toMatch(new RegExp(`^10000 of ${n} rows: the 1000 lowest rewards, all ${errored.length} rows with errors, the 500 highest rewards, \\d+ more rows sampled uniformly at random \\(seed 0\\)\\. Every number above is over all ${n} rows\\.$`));
    const firstMessages = [...new Set(errored.map((r) => r.message))].slice(0, 3);
    expect(model.errors).toEqual([{ flag: "other_error", rows: errored.length, messages: firstMessages }]);
    expect(model.worst.map((r) => r.line)).toEqual(byReward.slice(0, 20).map((r) => r.line));
  });
});
