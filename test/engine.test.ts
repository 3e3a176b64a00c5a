import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
// The built package (self-reference through package.json "exports"): the pool runs compiled workers.
import { runFile } from "graderkit";
import { BIN, cli, parseRows, tempDir, writeJson, writeLines } from "./helpers/cli.js";

const exact = { type: "string_check" as const, name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" as const };
const rougeL = { type: "text_similarity" as const, name: "rl", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "rouge_l" as const };

let dir: string;
beforeAll(() => {
  dir = tempDir("graderkit-engine-");
});

/** Rows whose grading cost varies by orders of magnitude, with malformed lines mixed in. */
function unevenRows(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 97 === 13) out.push("{ broken " + i);
    else if (i % 101 === 7) out.push("");
    else {
      const words = i % 50 === 0 ? 3000 : 1 + (i % 7);
      const text = Array.from({ length: words }, (_, k) => `w${(k * 31 + i) % 997}`).join(" ");
      out.push(JSON.stringify({ id: i, item: { answer: text }, model_sample: i % 3 === 0 ? text : text + " extra" }));
    }
  }
  return out;
}

const strip = (rows: Array<Record<string, any>>): Array<Record<string, any>> =>
  rows.map(({ metadata: { execution_time: _t, ...md }, ...rest }) => ({ ...rest, metadata: md }));

describe("engine", () => {
  it.each(["threads", "processes"] as const)("the pool (%s) keeps input order with uneven row costs and malformed lines, same bytes as the main thread", async (pool) => {
    const lines = unevenRows(3000);
    const input = writeLines(dir, `uneven-${pool}.jsonl`, lines);
    const pooled = join(dir, `pooled-${pool}.jsonl`);
    const single = join(dir, `single-${pool}.jsonl`);
    const s1 = await runFile({ grader: rougeL, input, output: pooled, workers: 2, pool, batchSize: 16 });
    const s0 = await runFile({ grader: rougeL, input, output: single, workers: 0 });
    expect(s1.workers).toBe(2);
    expect(s1.pool).toBe(pool);
    expect(s0.pool).toBeNull();
    const nonBlank = lines.map((l, i) => [l, i + 1] as const).filter(([l]) => l.trim() !== "").map(([, n]) => n);
    const a = parseRows(readFileSync(pooled, "utf8"));
    const b = parseRows(readFileSync(single, "utf8"));
    expect(a.map((r) => r.line)).toEqual(nonBlank);
    expect(strip(a)).toEqual(strip(b));
    expect(a.filter((r) => r.metadata.errors.sample_parse_error).length).toBe(lines.filter((l) => l.startsWith("{ broken")).length);
    expect(s1.rows).toBe(nonBlank.length);
    expect(s1.errors.sample_parse_error).toBe(s0.errors.sample_parse_error);
    expect(s1.reward.mean).toBeCloseTo(s0.reward.mean!, 12);
  });

  // To a file, the processes hold the rows of the blocks around the crash and write them to OUT
  // themselves, in turn with the crashed block's rows, which the main process writes.
  it.each([
    ["threads", "stdout"],
    ["processes", "stdout"],
    ["processes", "a file"],
  ] as const)("a worker crash (%s, rows to %s) is contained to its row; the pool replaces the worker", async (pool, to) => {
    const marker = "CRASH-" + Date.now();
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: i, item: { answer: "a" }, model_sample: i === 17 ? marker : "a" }));
    const input = writeLines(dir, `crash-${pool}.jsonl`, rows);
    const grader = writeJson(dir, "exact.json", exact);
    const outPath = join(dir, `crash-${pool}-out.jsonl`);
    const r = await cli(["run", grader, input, "--workers", "2", "--pool", pool, "--batch-size", "8", ...(to === "a file" ? ["-o", outPath] : [])], { env: { GRADERKIT_TEST_CRASH_MARKER: marker } });
    expect(r.code).toBe(0);
    const out = parseRows(to === "a file" ? readFileSync(outPath, "utf8") : r.stdout);
    expect(out.map((o) => o.line)).toEqual(rows.map((_, i) => i + 1));
    const crashed = out.filter((o) => o.metadata.errors.other_error);
    expect(crashed.map((o) => o.line)).toEqual([18]);
    expect(crashed[0].error.message).toContain("worker crashed");
    expect(out.filter((o) => o.reward === 1)).toHaveLength(39);
  });

  it("--resume after kill -9 gives exactly the rows of an uninterrupted run", async () => {
    const n = 300_000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(`{"id":${i},"item":{"answer":"a${i % 10}"},"model_sample":"a${i % 7}"}`);
    const input = join(dir, "big.jsonl");
    writeFileSync(input, lines.join("\n") + "\n");
    const grader = writeJson(dir, "exact2.json", exact);
    const full = join(dir, "full.jsonl");
    const partial = join(dir, "partial.jsonl");
    expect((await cli(["run", grader, input, "-o", full, "--quiet", "--workers", "0"])).code).toBe(0);

    // Start a run and kill it hard once some output exists.
    const child = spawn(process.execPath, [BIN, "run", grader, input, "-o", partial, "--quiet", "--workers", "0", "--batch-size", "64"]);
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (existsSync(partial) && statSync(partial).size > 200_000) {
          clearInterval(t);
          child.kill("SIGKILL");
          resolve();
        }
      }, 5);
      child.on("exit", () => {
        clearInterval(t);
        reject(new Error("the run finished before it could be killed; make the input larger"));
      });
    });
    await new Promise((r) => child.on("close", r));
    const before = readFileSync(partial, "utf8").split("\n").filter(Boolean).length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(n);

    const resumed = await cli(["run", grader, input, "-o", partial, "--resume", "--workers", "0"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`rows: ${n}`);
    const a = strip(parseRows(readFileSync(full, "utf8")));
    const b = strip(parseRows(readFileSync(partial, "utf8"))).sort((x, y) => x.line - y.line);
    expect(b.length).toBe(n);
    expect(b).toEqual(a);
    // Three runs over 300k rows: seconds on an idle machine, but CI machines are shared.
  }, 180_000);

  it("CRLF line ends, a UTF-8 BOM, no final newline and lines longer than a read chunk", async () => {
    const long = "x".repeat(700_000); // longer than two 256 KB reads
    const text =
      "\ufeff" + JSON.stringify({ id: "bom", item: { answer: "a" }, model_sample: "a" }) + "\r\n" +
      JSON.stringify({ id: "long", item: { answer: long }, model_sample: long }) + "\r\n" +
      "\r\n" +
      JSON.stringify({ id: "last", item: { answer: "b" }, model_sample: "c" });
    const input = join(dir, "crlf.jsonl");
    writeFileSync(input, text);
    for (const [workers, pool] of [[0, undefined], [2, "threads"], [2, "processes"]] as const) {
      const out = join(dir, `crlf-out-${workers}-${pool}.jsonl`);
      await runFile({ grader: exact, input, output: out, workers, pool });
      const rows = parseRows(readFileSync(out, "utf8"));
      expect(rows.map((r) => [r.line, r.id, r.reward])).toEqual([[1, "bom", 1], [2, "long", 1], [4, "last", 0]]);
    }
  });

  it("executor-backed graders run on the main thread with bounded concurrency", async () => {
    let inFlight = 0;
    let max = 0;
    const chat = {
      async complete() {
        inFlight++;
        max = Math.max(max, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return { kind: "ok" as const, content: '{"result": 1, "steps": []}', usage: null, model: "m" };
      },
    };
    const rows = Array.from({ length: 200 }, (_, i) => ({ id: i, model_sample: `s${i}` }));
    const input = writeLines(dir, "model.jsonl", rows);
    const out = join(dir, "model-out.jsonl");
    const grader = { type: "score_model" as const, name: "j", model: "m", input: [{ role: "user" as const, content: "{{ sample.output_text }}" }] };
    const s = await runFile({ grader, input, output: out, executors: { chat }, concurrency: 7, batchSize: 16 });
    expect(s.workers).toBe(0);
    expect(max).toBe(7);
    expect(parseRows(readFileSync(out, "utf8")).map((r) => r.id)).toEqual(rows.map((r) => r.id));
  });
});
