// Interrupted runs lose nothing and --resume never mixes work (issue 10, items 3, 4, 6): the scan
// of OUT works on bytes, OUT carries a fingerprint of what made it, and a signal writes every
// finished row before the run exits 130/143.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFile, RunInterruptedError, type PythonExecutor } from "graderkit";
import { BIN, cli, parseRows, tempDir, writeJson, writeLines } from "./helpers/cli.js";

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };
const ilike = { ...exact, name: "ilike", operation: "ilike" };

let dir: string;
let exactPath: string;
beforeAll(() => {
  dir = tempDir("graderkit-engine-resume-");
  exactPath = writeJson(dir, "exact.json", exact);
});
// Leave nothing in the temp folder (engine inputs and outputs run to tens of MB).
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, any>;
const strip = (rows: Row[]): Row[] => rows.map(({ metadata: { execution_time: _t, ...md }, ...rest }) => ({ ...rest, metadata: md }));
const rowsIn = (path: string) => parseRows(readFileSync(path, "utf8"));
const sidecar = (out: string) => out + ".graderkit.json";

/** A complete run's OUT, then the same file cut in the middle of a row, as kill -9 leaves it. */
async function partialOutput(name: string, grader: string, input: string, keepRows: number): Promise<{ out: string; full: string }> {
  const full = join(dir, `${name}-full.jsonl`);
  expect((await cli(["run", grader, input, "-o", full, "--quiet"])).code).toBe(0);
  const out = join(dir, `${name}-out.jsonl`);
  const lines = readFileSync(full, "utf8").split("\n");
  writeFileSync(out, lines.slice(0, keepRows).join("\n") + "\n" + lines[keepRows].slice(0, 40));
  copyFileSync(sidecar(full), sidecar(out));
  return { out, full };
}

describe("--resume works on bytes", () => {
  it("a torn last line (kill -9 in the middle of a write) is cut off and graded again", async () => {
    const input = writeLines(dir, "torn.jsonl", Array.from({ length: 30 }, (_, i) => ({ id: i, item: { answer: "a" }, model_sample: "a" })));
    const out = join(dir, "torn-out.jsonl");
    expect((await cli(["run", exactPath, input, "-o", out, "--quiet"])).code).toBe(0);
    const full = rowsIn(out);
    const bytes = readFileSync(out);
    let cut = 0;
    for (let i = 0; i < 12; i++) cut = bytes.indexOf(10, cut) + 1;
    truncateSync(out, cut + 25);
    const r = await cli(["run", exactPath, input, "-o", out, "--resume"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("rows: 30 (12 from a previous run, 18 graded now)");
    expect(strip(rowsIn(out))).toEqual(strip(full));
  });

  it("a multi-byte character across the old 1 MiB read boundary does not move the cut", async () => {
    const MiB = 1024 * 1024;
    const ids = Array.from({ length: 150 }, (_, i) => `${i}:` + "€".repeat(3000)); // 9 KB of 3-byte characters per row
    const input = writeLines(dir, "euro.jsonl", ids.map((id) => ({ id, item: { answer: "x" }, model_sample: "x" })));
    const full = join(dir, "euro-full.jsonl");
    expect((await cli(["run", exactPath, input, "-o", full, "--quiet"])).code).toBe(0);
    // Fix the timings so byte positions are known, then shift everything after row 1 (by
    // lengthening its id) until byte 1 MiB is inside a character, not at its start.
    const rows: Row[] = rowsIn(full).map((r) => ({ ...r, metadata: { ...r.metadata, execution_time: 0 } }));
    const text = (rs: Row[]) => Buffer.from(rs.map((r) => JSON.stringify(r) + "\n").join(""));
    const plain = text(rows);
    const firstRowEnd = plain.indexOf(10) + 1;
    let shift = 0;
    while ((plain[MiB - shift] & 0xc0) !== 0x80) shift++;
    expect(MiB - shift).toBeGreaterThan(firstRowEnd);
    rows[0].id = "a".repeat(shift) + rows[0].id;
    const shifted = text(rows);
    expect(shifted[MiB] & 0xc0).toBe(0x80); // a continuation byte: the character straddles the boundary

    // OUT as a kill leaves it: the rows up to a bit past 1 MiB, then half a row.
    const keep = rows.findIndex((_, i) => text(rows.slice(0, i + 1)).length > MiB + 20_000);
    const out = join(dir, "euro.jsonl.out");
    const prefix = text(rows.slice(0, keep));
    writeFileSync(out, Buffer.concat([prefix, Buffer.from(JSON.stringify(rows[keep]).slice(0, 100))]));
    copyFileSync(sidecar(full), sidecar(out));

    const r = await cli(["run", exactPath, input, "-o", out, "--resume"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`rows: 150 (${keep} from a previous run, ${150 - keep} graded now)`);
    const after = readFileSync(out);
    expect(after.subarray(0, prefix.length).equals(prefix)).toBe(true);
    expect(strip(parseRows(after.toString("utf8")))).toEqual(strip([...rows.slice(0, keep), ...rowsIn(full).slice(keep)]));
  });
});

describe("--resume continues only the same work", () => {
  it("refuses another grader or input, saying what differs; OUT is left as it was", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: i, item: { answer: "A" }, model_sample: i % 2 ? "a" : "A" }));
    const input = writeLines(dir, "fp.jsonl", rows);
    const { out } = await partialOutput("fp", exactPath, input, 10);
    const before = readFileSync(out);
    const refused = async (args: string[], message: string) => {
      const r = await cli(["run", ...args, "-o", out, "--resume"]);
      expect(r.code, message).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(readFileSync(out).equals(before)).toBe(true);
    };
    const other = writeJson(dir, "ilike.json", ilike);
    await refused([other, input], `${out}: cannot resume: the grader differs (or its metric options do) (delete ${out} to start over)`);

    const longer = writeLines(dir, "fp-longer.jsonl", [...rows, rows[0]]);
    const size = (p: string) => readFileSync(p).length;
    await refused([exactPath, longer], `cannot resume: the input differs: ${input} (${size(input)} bytes) then, ${longer} (${size(longer)} bytes) now`);

    const edited = join(dir, "fp-edited.jsonl");
    writeFileSync(edited, readFileSync(input, "utf8").replace('"model_sample":"a"', '"model_sample":"b"'));
    await refused([exactPath, edited], `the input differs: ${edited} has the same size as ${input} but other content`);

    await refused([other, longer], "cannot resume: the grader differs (or its metric options do); the input differs: ");

    // OUT made in another output format (the sidecar edited to stand for one).
    const stored = readFileSync(sidecar(out), "utf8");
    writeFileSync(sidecar(out), stored.replace('"format": "full"', '"format": "compact"'));
    await refused([exactPath, input], `${out}: cannot resume: the output format differs: compact then, full now`);
    writeFileSync(sidecar(out), stored);

    // The same grader and input, copied elsewhere, still match.
    const copy = join(dir, "fp-copy.jsonl");
    copyFileSync(input, copy);
    const ok = await cli(["run", exactPath, copy, "-o", out, "--resume"]);
    expect(ok.code).toBe(0);
    expect(rowsIn(out).map((r) => r.line)).toEqual(rows.map((_, i) => i + 1));
  });

  it("refuses OUT without its fingerprint, OUT that is not graderkit output, and a corrupt middle line (exit 2, no stack trace)", async () => {
    const input = writeLines(dir, "corrupt.jsonl", Array.from({ length: 20 }, (_, i) => ({ id: i, item: { answer: "a" }, model_sample: "a" })));
    const refused = async (out: string, message: string) => {
      const before = readFileSync(out);
      const r = await cli(["run", exactPath, input, "-o", out, "--resume"]);
      expect(r.code, message).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(readFileSync(out).equals(before)).toBe(true);
    };

    const { out: made } = await partialOutput("made", exactPath, input, 8);
    /** A copy of the partial OUT (and its fingerprint) with its complete lines changed by `edit`. */
    const variant = (name: string, edit: (lines: string[]) => string[]) => {
      const out = join(dir, `${name}-out.jsonl`);
      writeFileSync(out, edit(readFileSync(made, "utf8").split("\n")).join("\n"));
      copyFileSync(sidecar(made), sidecar(out));
      return out;
    };

    const bare = variant("bare", (lines) => lines);
    rmSync(sidecar(bare));
    await refused(bare, `${bare}: cannot resume: ${sidecar(bare)} is missing, so nothing says which grader and input made ${bare}`);

    const notOurs = variant("not-ours", () => ["hello", "world", ""]);
    await refused(notOurs, `${notOurs}: cannot resume: line 1 (byte 0) is not JSON; it is not output of an interrupted graderkit run`);
    const noMetadata = variant("no-metadata", () => ['{"line": 1, "reward": 1}', ""]);
    await refused(noMetadata, "line 1 (byte 0) is not a graderkit row (no 'line' or 'metadata.errors')");

    let at = 0;
    const corrupt = variant("corrupt", (lines) => {
      at = Buffer.byteLength(lines[0]) + Buffer.byteLength(lines[1]) + 2;
      return [lines[0], lines[1], lines[2].slice(0, 30), ...lines.slice(3)]; // a torn row in the middle: not something a kill leaves
    });
    await refused(corrupt, `${corrupt}: cannot resume: line 3 (byte ${at}) is not JSON`);

    const repeated = variant("repeated", (lines) => [lines[0], lines[1], lines[1], ...lines.slice(2)]);
    await refused(repeated, `${repeated}: cannot resume: line 3 (byte ${at}) is the row of input line 2, after line 2`);
  });
});

describe("an interrupted run keeps every finished row", () => {
  const python = { type: "python", name: "py", source: "def grade(sample, item):\n    return 1.0\n" };
  const ok = { kind: "ok" as const, reward: 1 };

  it("executor-backed rows are written as soon as the rows before them are; after an abort, --resume continues exactly", async () => {
    // Rows 31-40 hang until released; one block (1,024 lines) holds them all.
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: i, item: { hang: i >= 30 }, model_sample: "x" }));
    const input = writeLines(dir, "hang.jsonl", rows);
    const out = join(dir, "hang-out.jsonl");
    const release: Array<() => void> = [];
    const hanging: PythonExecutor = {
      grade: (_source, _sample, item) => (item.hang ? new Promise((resolve) => release.push(() => resolve({ kind: "ok", reward: 0.5 }))) : Promise.resolve(ok)),
      close: async () => {},
    };
    const controller = new AbortController();
    const run = runFile({ grader: python, input, output: out, executors: { python: hanging }, concurrency: 4, signal: controller.signal });
    run.catch(() => {});
    const deadline = Date.now() + 10_000;
    while ((!existsSync(out) || rowsIn(out).length < 30) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(rowsIn(out).map((r) => r.line)).toEqual(rows.slice(0, 30).map((_, i) => i + 1));
    expect(existsSync(sidecar(out))).toBe(true);

    controller.abort("SIGTERM");
    const err = await run.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RunInterruptedError);
    expect((err as RunInterruptedError).reason).toBe("SIGTERM");
    expect((err as RunInterruptedError).summary.rows).toBe(30);
    // Gradings that finish after the abort are not written: --resume grades them again.
    for (const r of release) r();
    await new Promise((r) => setTimeout(r, 50));
    expect(rowsIn(out)).toHaveLength(30);

    const fast: PythonExecutor = { grade: () => Promise.resolve(ok), close: async () => {} };
    const s = await runFile({ grader: python, input, output: out, resume: true, executors: { python: fast } });
    expect([s.rows, s.resumed_rows, s.graded_now]).toEqual([40, 30, 10]);
    expect(rowsIn(out).map((r) => [r.line, r.reward])).toEqual(rows.map((_, i) => [i + 1, 1]));
  });

  it("on the pool: an abort writes only whole blocks in order; --resume gives the rows of an uninterrupted run", async () => {
    // Far more rows than can be in flight when the abort lands at row 2,000 (once, at 8,000, the
    // pool had finished them all first on a loaded machine).
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ id: i, item: { answer: `a${i % 5}` }, model_sample: `a${i % 3}` }));
    const input = writeLines(dir, "pool-abort.jsonl", rows);
    const full = join(dir, "pool-abort-full.jsonl");
    await runFile({ grader: exact, input, output: full, workers: 2 });
    const out = join(dir, "pool-abort-out.jsonl");
    const controller = new AbortController();
    let seen = 0;
    const onRow = () => {
      if (++seen === 2000) controller.abort("SIGINT");
    };
    await expect(runFile({ grader: exact, input, output: out, workers: 2, batchSize: 256, onRow, signal: controller.signal })).rejects.toBeInstanceOf(RunInterruptedError);
    const written = rowsIn(out);
    expect(written.length).toBeGreaterThanOrEqual(2000);
    expect(written.length).toBeLessThan(rows.length);
    expect(written.map((r) => r.line)).toEqual(written.map((_, i) => i + 1));
    await runFile({ grader: exact, input, output: out, workers: 2, resume: true });
    expect(strip(rowsIn(out))).toEqual(strip(rowsIn(full)));
  });

  it("graderkit run: SIGTERM exits 143 and SIGINT 130 with the finished python rows written; --resume continues", async () => {
    const source = "import time\ndef grade(sample, item):\n    time.sleep(item['delay'])\n    return 1.0\n";
    const grader = writeJson(dir, "sleepy.json", { type: "python", name: "sleepy", source });
    const input = writeLines(dir, "sleepy.jsonl", Array.from({ length: 25 }, (_, i) => ({ id: i, item: { delay: i < 20 ? 0 : 30 }, model_sample: "x" })));
    const interrupted = async (signal: NodeJS.Signals, out: string) => {
      const child = spawn(process.execPath, [BIN, "run", grader, input, "-o", out, "--python-timeout", "60"]);
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
      const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
      const deadline = Date.now() + 20_000;
      while ((!existsSync(out) || rowsIn(out).length < 20) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const killedAt = Date.now();
      child.kill(signal);
      const code = await closed;
      return { code, stderr, exitS: (Date.now() - killedAt) / 1000 };
    };

    const out = join(dir, "sleepy-term.jsonl");
    const term = await interrupted("SIGTERM", out);
    expect(term.code).toBe(143);
    expect(term.exitS).toBeLessThan(5); // it does not wait for the sleeping rows
    expect(term.stderr).toContain("graderkit run: interrupted by SIGTERM: every row finished in order is written; run again with --resume to continue");
    expect(rowsIn(out).map((r) => r.line)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(existsSync(out + ".graderkit.lock")).toBe(false);
    // Resume with a short timeout: the sleeping rows become timeout rows, the rest is kept.
    const resumed = await cli(["run", grader, input, "-o", out, "--resume", "--python-timeout", "0.2"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain("rows: 25 (20 from a previous run, 5 graded now)");
    expect(rowsIn(out).map((r) => [r.line, r.metadata.errors.python_grader_server_error_type])).toEqual(
      Array.from({ length: 25 }, (_, i) => [i + 1, i < 20 ? null : "timeout"]),
    );

    const int = await interrupted("SIGINT", join(dir, "sleepy-int.jsonl"));
    expect(int.code).toBe(130);
    expect(rowsIn(join(dir, "sleepy-int.jsonl"))).toHaveLength(20);
  });
});
