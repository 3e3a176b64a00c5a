// The engine as a library (issue 9, "Public API"): runFile's onRow sees every row it writes, in
// order, on every path; gradeRows grades in-memory rows through the same grading mechanism.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeRows, runFile, type GradedRow, type OutputRow, type PythonExecutor } from "graderkit";
import { parseRows, tempDir, writeLines } from "./helpers/cli.js";

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };
const python = { type: "python", name: "py", source: "def grade(sample, item):\n    return 1.0\n" };

let dir: string;
beforeAll(() => {
  dir = tempDir("graderkit-engine-api-");
});
// Leave nothing in the temp folder (engine inputs and outputs run to tens of MB).
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, any>;
const withoutTime = (res: Row): Row => ({ ...res, metadata: { ...res.metadata, execution_time: 0 } });

/** A fake python executor: reward = item.reward after item.delayMs; counts calls in flight. */
function fakePython() {
  const stats = { inFlight: 0, maxInFlight: 0, calls: 0 };
  const executor: PythonExecutor = {
    async grade(_source, _sample, item) {
      stats.calls++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      await new Promise((r) => setTimeout(r, Number(item.delayMs ?? 0)));
      stats.inFlight--;
      return { kind: "ok", reward: Number(item.reward) };
    },
    close: async () => {},
  };
  return { executor, stats };
}

const mixedRows = [
  { id: "a", item: { answer: "x" }, model_sample: "x" },
  "{ not json",
  "",
  { id: "b", item: { answer: "x" }, sample: { output_text: "y" } },
  { id: "c", item: { answer: "x" } },
];

describe("runFile onRow", () => {
  it("is called once per written row, in input order, with the row's line, id and response, on every path", async () => {
    const input = writeLines(dir, "on-row.jsonl", [...mixedRows, ...Array.from({ length: 3000 }, (_, i) => ({ id: i, item: { answer: "x" }, model_sample: i % 2 ? "x" : "z" }))]);
    for (const [workers, batchSize] of [[0, 1024], [2, 64]]) {
      const out = join(dir, `on-row-${workers}.jsonl`);
      const seen: OutputRow[] = [];
      await runFile({ grader: exact, input, output: out, workers, batchSize, onRow: (r) => seen.push(r) });
      const written = parseRows(readFileSync(out, "utf8"));
      // toEqual: an `id: undefined` equals a row without an id.
      expect(seen.map((r) => ({ line: r.line, id: r.id, ...r.response }))).toEqual(written);
      expect(seen.slice(0, 4).map((r) => [r.line, r.id, r.response.reward])).toEqual([[1, "a", 1], [2, undefined, 0], [4, "b", 0], [5, "c", 0]]);
    }
  });

  it("executor-backed graders: rows arrive in input order although they finish out of order; a resume reports only new rows", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ id: i, item: { reward: (i % 4) / 4, delayMs: (i * 7) % 13 }, model_sample: "s" }));
    const input = writeLines(dir, "on-row-async.jsonl", rows);
    const out = join(dir, "on-row-async-out.jsonl");
    const { executor } = fakePython();
    const seen: OutputRow[] = [];
    await runFile({ grader: python, input, output: out, executors: { python: executor }, concurrency: 8, onRow: (r) => seen.push(r) });
    expect(seen.map((r) => [r.line, r.id, r.response.reward])).toEqual(rows.map((r, i) => [i + 1, i, r.item.reward]));

    const again: OutputRow[] = [];
    const s = await runFile({ grader: python, input, output: out, resume: true, executors: { python: executor }, onRow: (r) => again.push(r) });
    expect(s.resumed_rows).toBe(60);
    expect(again).toEqual([]);
  });
});

describe("runFile onPoolStart", () => {
  it("is called once with the pool size when a pool grades, never on the main thread or for executor-backed graders", async () => {
    const input = writeLines(dir, "pool-start.jsonl", Array.from({ length: 500 }, (_, i) => ({ id: i, item: { answer: "x" }, model_sample: "x" })));
    const calls: Array<[string, number]> = [];
    for (const workers of [0, 1, 2]) {
      await runFile({ grader: exact, input, output: join(dir, `pool-start-${workers}.jsonl`), workers, batchSize: 64, onPoolStart: (n) => calls.push(["exact", n]) });
    }
    const { executor } = fakePython();
    await runFile({ grader: python, input, output: join(dir, "pool-start-py.jsonl"), workers: 2, executors: { python: executor }, onPoolStart: (n) => calls.push(["python", n]) });
    expect(calls).toEqual([["exact", 1], ["exact", 2]]);
  });
});

describe("runFile to a stream the caller owns", () => {
  it("writes the rows and leaves no listener behind (the stream outlives the run)", async () => {
    const input = writeLines(dir, "to-stream.jsonl", mixedRows);
    const stream = new PassThrough();
    let text = "";
    stream.setEncoding("utf8").on("data", (d: string) => (text += d));
    const before = [stream.listenerCount("error"), stream.listenerCount("drain")];
    for (let i = 0; i < 3; i++) await runFile({ grader: exact, input, stdout: stream });
    expect([stream.listenerCount("error"), stream.listenerCount("drain")]).toEqual(before);
    expect(parseRows(text).map((r) => r.line)).toEqual([1, 2, 4, 5, 1, 2, 4, 5, 1, 2, 4, 5]);
  });
});

describe("gradeRows", () => {
  const rows = [
    { id: "a", item: { answer: "Paris" }, model_sample: "Paris" },
    { id: "b", item: { answer: "Rome" }, sample: { output_text: "Milan" } },
    "not an object",
    { id: "d", item: { answer: "x" } },
    { item: { answer: "Oslo" }, model_sample: "Oslo" },
  ];

  it("an array: one response per row, in order, the same as runFile gives the same rows", async () => {
    const graded: GradedRow[] = [];
    for await (const r of gradeRows(exact, rows)) graded.push(r);
    expect(graded.map((g) => [g.index, g.id, g.response.reward])).toEqual([[0, "a", 1], [1, "b", 0], [2, undefined, 0], [3, "d", 0], [4, undefined, 1]]);
    expect(graded[2].response.error?.message).toBe("row 2: a row must be a JSON object");
    expect(graded[3].response.metadata.errors.sample_parse_error).toBe(true);

    const input = writeLines(dir, "grade-rows.jsonl", rows.map((r) => JSON.stringify(r)));
    const out = join(dir, "grade-rows-out.jsonl");
    await runFile({ grader: exact, input, output: out });
    const fromFile = parseRows(readFileSync(out, "utf8"));
    // Same responses, apart from the messages that name the row (row 2 vs FILE:3).
    const comparable = (res: Row) => withoutTime({ ...res, error: res.error ? { flag: res.error.flag } : undefined });
    expect(graded.map((g) => comparable(g.response))).toEqual(fromFile.map(({ line: _l, id: _i, ...res }) => comparable(res)));
  });

  it("an async iterable with an executor-backed grader: in order, at most `concurrency` in flight", async () => {
    const { executor, stats } = fakePython();
    async function* generate() {
      for (let i = 0; i < 50; i++) yield { id: i, item: { reward: (i % 5) / 5, delayMs: (i * 11) % 9 }, model_sample: "s" };
    }
    const graded: GradedRow[] = [];
    for await (const r of gradeRows(python, generate(), { executors: { python: executor }, concurrency: 6 })) graded.push(r);
    expect(graded.map((g) => [g.index, g.id, g.response.reward])).toEqual(Array.from({ length: 50 }, (_, i) => [i, i, (i % 5) / 5]));
    expect(stats.maxInFlight).toBe(6);
  });

  it("stops grading when the caller stops reading", async () => {
    const { executor, stats } = fakePython();
    const many = Array.from({ length: 1000 }, (_, i) => ({ id: i, item: { reward: 1, delayMs: 1 }, model_sample: "s" }));
    let taken = 0;
    for await (const _ of gradeRows(python, many, { executors: { python: executor }, concurrency: 4 })) {
      if (++taken === 10) break;
    }
    await new Promise((r) => setTimeout(r, 30));
    expect(stats.calls).toBeLessThan(20);
  });

  it("an invalid grader throws GraderValidationError at the call, before any row", () => {
    expect(() => gradeRows({ ...exact, operation: "nope" }, rows)).toThrow(expect.objectContaining({ name: "GraderValidationError", message: expect.stringContaining("/operation") }));
  });
});
