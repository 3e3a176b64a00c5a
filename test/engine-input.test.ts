// What the engine accepts as input, identically on every path (main thread, pool, any
// --batch-size, a file or stdin): UTF-8 only, a byte order mark only at the very start, lines of
// any length in linear time, and "-" for stdin (issue 10, items 7, 8, 22, 25).
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The built package: the pool runs compiled workers.
import { runFile } from "graderkit";
import { BIN, cli, parseRows, tempDir, writeJson, writeLines } from "./helpers/cli.js";

const exact = { type: "string_check" as const, name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" as const };

let dir: string;
let exactPath: string;
beforeAll(() => {
  dir = tempDir("graderkit-engine-input-");
  exactPath = writeJson(dir, "exact.json", exact);
});
// Leave nothing in the temp folder (engine inputs and outputs run to tens of MB).
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (id: string, answer: string, sample: string) => JSON.stringify({ id, item: { answer }, model_sample: sample });
const bytes = (...parts: Array<string | number[] | Buffer>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

/** Rows of `input` graded with every combination of path (main thread, threads, processes) and block size, without timings. */
async function gradedEveryWay(input: string): Promise<Array<Array<Record<string, any>>>> {
  const results = [];
  for (const [workers, pool] of [[0, undefined], [2, "threads"], [2, "processes"]] as const) {
    for (const batchSize of [1, 2, 1024]) {
      const out = join(dir, `every-way-${workers}-${pool}-${batchSize}.jsonl`);
      await runFile({ grader: exact, input, output: out, workers, pool, batchSize });
      results.push(parseRows(readFileSync(out, "utf8")).map(({ metadata: { execution_time: _t, ...md }, ...rest }) => ({ ...rest, metadata: md })));
    }
  }
  return results;
}

describe("input bytes", () => {
  it("a line with invalid UTF-8 gets sample_parse_error naming the byte; other lines are graded; every path agrees", async () => {
    // Two different invalid bytes would both decode to U+FFFD and grade equal to an answer of U+FFFD.
    const line1 = row("ok1", "a", "a");
    const line2 = bytes('{"id":"bad1","item":{"answer":"\uFFFD"},"model_sample":"', [0xff], '"}');
    const line3 = bytes('{"id":"bad2","item":{"answer":"\uFFFD"},"model_sample":"x', [0xc3, 0x28], '"}'); // a lead byte without its continuation
    const line4 = row("ok2", "é", "é");
    const file = bytes(line1, "\n", line2, "\n", line3, "\n", line4, "\n");
    const input = join(dir, "invalid-utf8.jsonl");
    writeFileSync(input, file);
    const at2 = Buffer.byteLength(line1) + 1;
    const at3 = at2 + line2.length + 1;
    const byteInLine2 = line2.indexOf(0xff);
    const byteInLine3 = line3.indexOf(0xc3);

    const ways = await gradedEveryWay(input);
    for (const rows of ways) expect(rows).toEqual(ways[0]);
    const rows = ways[0];
    expect(rows.map((r) => [r.line, r.id, r.reward])).toEqual([[1, "ok1", 1], [2, "bad1", 0], [3, "bad2", 0], [4, "ok2", 1]]);
    expect(rows[1].metadata.errors.sample_parse_error).toBe(true);
    expect(rows[1].error.message).toBe(`${input}:2: invalid UTF-8 at byte ${byteInLine2} of the line (byte ${at2 + byteInLine2} of the input)`);
    expect(rows[2].error.message).toBe(`${input}:3: invalid UTF-8 at byte ${byteInLine3} of the line (byte ${at3 + byteInLine3} of the input)`);
    expect(rows[3].metadata.errors.sample_parse_error).toBe(false);
  });

  it("only a byte order mark at the start of the input is dropped; one starting a later line is that line's error, at every --batch-size", async () => {
    const BOM = "\uFEFF";
    const text = BOM + row("first", "a", "a") + "\n" + row("second", "b", "b") + "\n" + BOM + row("third", "c", "c") + "\n" + row("fourth", "d", "d") + "\n" + BOM + "\n" + row("sixth", "f", "f") + "\n";
    const input = join(dir, "bom.jsonl");
    writeFileSync(input, text);
    const ways = await gradedEveryWay(input);
    for (const rows of ways) expect(rows).toEqual(ways[0]);
    const rows = ways[0];
    expect(rows.map((r) => [r.line, r.reward, r.metadata.errors.sample_parse_error])).toEqual([
      [1, 1, false],
      [2, 1, false],
      [3, 0, true],
      [4, 1, false],
      [5, 0, true],
      [6, 1, false],
    ]);
    expect(rows[2].error.message).toBe(`${input}:3: a byte order mark (U+FEFF) starts the line; only the start of the input may have one`);
  });

  it("stdin: a byte order mark split across reads is still the start of the input", async () => {
    const out = join(dir, "bom-stdin.jsonl");
    const body = bytes([0xef], [0xbb, 0xbf], row("first", "a", "a") + "\n");
    // Readable.from yields each Buffer as one chunk: the mark arrives in two reads.
    const stdin = Readable.from([body.subarray(0, 1), body.subarray(1, 2), body.subarray(2)]);
    await runFile({ grader: exact, input: "-", stdin, output: out });
    expect(parseRows(readFileSync(out, "utf8")).map((r) => [r.line, r.id, r.reward])).toEqual([[1, "first", 1]]);
  });

  it("a single long line takes linear time (64 MB vs 8 MB)", async () => {
    // CPU time of this process (vitest runs each test file in its own): other processes on a
    // busy machine do not count, as they would in wall time.
    for (const mb of [8, 64]) writeFileSync(join(dir, `long-${mb}.jsonl`), row("long", "x", "x".repeat(mb * 1024 * 1024)) + "\n");
    const cpuSeconds = async (mb: number) => {
      const input = join(dir, `long-${mb}.jsonl`);
      const before = process.cpuUsage();
      await runFile({ grader: exact, input, output: join(dir, `long-${mb}-out.jsonl`), workers: 0 });
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1e6;
    };
    const small = Math.min(await cpuSeconds(8), await cpuSeconds(8), await cpuSeconds(8));
    const big = Math.min(await cpuSeconds(64), await cpuSeconds(64));
    // Linear is ~8x (measured 5-9x; garbage collection of the big strings varies with what else
    // runs); re-copying the carried line on every 256 KB read made it ~150x here, and any
    // quadratic cost is >= 64x: twice linear separates them with room for that variation.
    expect(big / small).toBeLessThan(16);
  });
});

describe("'-' as SAMPLES reads stdin", () => {
  const rows = [row("a", "Paris", "Paris"), "{ not json", row("b", "Rome", "Milan")];

  it("rows come out as for a file; messages name stdin", async () => {
    const r = await cli(["run", exactPath, "-"], { input: rows.join("\n") + "\n" });
    expect(r.code).toBe(0);
    const out = parseRows(r.stdout);
    expect(out.map((o) => [o.line, o.id, o.reward])).toEqual([[1, "a", 1], [2, undefined, 0], [3, "b", 0]]);
    expect(out[1].error.message).toContain("stdin:2: not valid JSON");
  });

  it("rows stream: each is written before stdin ends", async () => {
    const child = spawn(process.execPath, [BIN, "run", exactPath, "-", "--quiet"]);
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    const rowsOut = () => stdout.split("\n").filter(Boolean).length;
    const waitFor = async (n: number) => {
      const deadline = Date.now() + 10_000;
      while (rowsOut() < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return rowsOut();
    };
    child.stdin.write(rows[0] + "\n");
    expect(await waitFor(1)).toBe(1);
    child.stdin.write(rows[2] + "\n");
    expect(await waitFor(2)).toBe(2);
    child.stdin.end();
    const code = await new Promise((r) => child.on("close", r));
    expect(code).toBe(0);
    expect(parseRows(stdout).map((o) => o.id)).toEqual(["a", "b"]);
  });

  it("--resume from stdin is refused once OUT has rows (nothing can check stdin is the same input)", async () => {
    const out = join(dir, "stdin-resume.jsonl");
    expect((await cli(["run", exactPath, "-", "-o", out, "--quiet"], { input: rows.join("\n") + "\n" })).code).toBe(0);
    const before = readFileSync(out, "utf8");
    const r = await cli(["run", exactPath, "-", "-o", out, "--resume"], { input: rows.join("\n") + "\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--resume needs SAMPLES to be a file: stdin cannot be checked against the earlier run");
    expect(readFileSync(out, "utf8")).toBe(before);
    // An empty OUT has nothing to continue: that is a fresh run.
    const fresh = writeLines(dir, "stdin-empty-out.jsonl", []);
    writeFileSync(fresh, "");
    expect((await cli(["run", exactPath, "-", "-o", fresh, "--resume", "--quiet"], { input: rows.join("\n") + "\n" })).code).toBe(0);
    expect(parseRows(readFileSync(fresh, "utf8"))).toHaveLength(3);
  });
});
