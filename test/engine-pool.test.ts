// The pool of worker processes (src/engine/process-pool.ts): what processes add to what worker
// threads do. Blocks of a file are read by the processes from the main process's own
// descriptor; a Ctrl-C reaches the whole process group; a main process killed with -9 leaves no
// process behind; a run's peak memory counts the processes. The row-level guarantees (order,
// same bytes as --workers 0, a crash contained to its row) are in engine.test.ts, for both kinds.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { choosePoolKind, processesWriteOut } from "../src/engine/defaults.js";
import { exitReason, leastLoaded } from "../src/engine/process-pool.js";
import { BIN, cli, parseRows, tempDir, writeJson } from "./helpers/cli.js";

const dir = tempDir("graderkit-pool-");
const exact = { type: "string_check", name: "exact", operation: "eq", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" };
const grader = writeJson(dir, "exact.json", exact);

/** `n` rows whose reward is 1 exactly when `i % 7 === i % 10` (answers and samples from i). */
function bigInput(name: string, n: number, sample: (i: number) => string = (i) => `a${i % 7}`): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`{"id":${i},"item":{"answer":"a${i % 10}"},"model_sample":"${sample(i)}"}`);
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

const rowsOf = (path: string) => parseRows(readFileSync(path, "utf8"));
const idRewards = (rows: Array<Record<string, any>>) => rows.map((r) => [r.line, r.id, r.reward]);

/** The live (not zombie) processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) === pid && state !== "Z") found.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Start `graderkit run` writing OUT, and resolve once OUT holds more than `bytes` bytes (with the pool's process ids). */
async function startedRun(args: string[], out: string, bytes: number, options: { detached?: boolean } = {}): Promise<{ child: ChildProcess; pool: number[]; closed: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, "run", ...args, "-o", out, "--quiet"], { detached: options.detached, stdio: "ignore" });
  const closed = new Promise<number | null>((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  let finished = false;
  void closed.then(() => (finished = true));
  let pool: number[] = [];
  await until("the pool processes and the first rows", () => {
    if (finished) throw new Error("the run finished before the test could act; make the input larger");
    if (pool.length < 2) pool = childrenOf(child.pid!);
    return pool.length >= 2 && existsSync(out) && statSync(out).size > bytes;
  });
  return { child, pool, closed };
}

describe("the pool's policies", () => {
  it("leastLoaded: the fewest blocks in flight, the first of equals", () => {
    expect(leastLoaded([0])).toBe(0);
    expect(leastLoaded([2, 1])).toBe(1);
    expect(leastLoaded([1, 1, 0, 0])).toBe(2);
    expect(leastLoaded([3, 3, 3])).toBe(0);
  });

  it("choosePoolKind: processes, except full rows to a stream (threads); the summary says which ran", async () => {
    expect(choosePoolKind("compact", false)).toBe("processes");
    expect(choosePoolKind("compact", true)).toBe("processes");
    expect(choosePoolKind("full", true)).toBe("processes");
    expect(choosePoolKind("full", false)).toBe("threads");
    const small = bigInput("kinds.jsonl", 3000);
    for (const [format, out, kind] of [["compact", "file", "processes"], ["full", "file", "processes"], ["full", "stdout", "threads"]] as const) {
      const to = out === "file" ? ["-o", join(dir, `kinds-${format}.jsonl`)] : [];
      const r = await cli(["run", grader, small, ...to, "--workers", "2", "--format", format]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`rows/s, 2 worker ${kind}`);
    }
  });

  it("processesWriteOut: processes write full rows to OUT themselves, and send compact rows back", () => {
    expect(processesWriteOut("full")).toBe(true);
    expect(processesWriteOut("compact")).toBe(false);
  });

  it("exitReason names the signal or the exit code", () => {
    expect(exitReason(70, null)).toBe("the pool process exited with code 70");
    expect(exitReason(null, "SIGKILL")).toBe("the pool process was killed by SIGKILL");
  });
});

describe("a pool of worker processes", () => {
  const n = 400_000;
  const input = bigInput("big.jsonl", n);
  const full = join(dir, "full.jsonl");

  it("grades the file it opened, even when another file is renamed over its path mid-run", async () => {
    expect((await cli(["run", grader, input, "-o", full, "--quiet", "--workers", "0"])).code).toBe(0);
    const moving = bigInput("moving.jsonl", n);
    // The same size, every reward different: a process reading the path would grade these.
    const other = bigInput("other.jsonl", n, (i) => `a${i % 10 === i % 7 ? (i + 1) % 10 : i % 10}`);
    expect(statSync(other).size).toBe(statSync(moving).size);
    const out = join(dir, "moved.jsonl");
    const run = await startedRun([grader, moving, "--workers", "2", "--pool", "processes", "--batch-size", "256"], out, 100_000);
    renameSync(other, moving);
    const sizeAtRename = statSync(out).size;
    expect(await run.closed).toBe(0);
    expect(sizeAtRename).toBeLessThan(statSync(out).size);
    expect(idRewards(rowsOf(out))).toEqual(idRewards(rowsOf(full)));
  }, 120_000);

  it("a main process killed with -9 leaves no pool process behind, and --resume completes the rows", async () => {
    const out = join(dir, "killed.jsonl");
    const run = await startedRun([grader, input, "--workers", "2", "--pool", "processes", "--batch-size", "256"], out, 200_000);
    run.child.kill("SIGKILL");
    await run.closed;
    await until("the pool processes to end", () => run.pool.every((pid) => !alive(pid)), 10_000);
    const resumed = await cli(["run", grader, input, "-o", out, "--resume", "--quiet", "--workers", "2", "--pool", "processes"]);
    expect(resumed.code).toBe(0);
    expect(idRewards(rowsOf(out))).toEqual(idRewards(rowsOf(full)));
  }, 120_000);

  it("a Ctrl-C to the whole process group: exit 130, the finished rows in order, no process left; --resume completes", async () => {
    const out = join(dir, "interrupted.jsonl");
    const run = await startedRun([grader, input, "--workers", "2", "--pool", "processes", "--batch-size", "256"], out, 200_000, { detached: true });
    process.kill(-run.child.pid!, "SIGINT");
    expect(await run.closed).toBe(130);
    await until("the pool processes to end", () => run.pool.every((pid) => !alive(pid)), 10_000);
    const written = rowsOf(out);
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(n);
    expect(idRewards(written)).toEqual(idRewards(rowsOf(full)).slice(0, written.length));
    const resumed = await cli(["run", grader, input, "-o", out, "--resume", "--quiet", "--workers", "2", "--pool", "processes"]);
    expect(resumed.code).toBe(0);
    expect(idRewards(rowsOf(out))).toEqual(idRewards(rowsOf(full)));
  }, 120_000);

  it.each(["before", "midway"] as const)("a process that dies holding rows it was told to write (%s writing them): the rows are graded again, each row once, in order", async (when) => {
    const marker = `DOOMED-${when}-${Date.now()}`;
    const rows = 20_000;
    const doomed = bigInput(`doomed-${when}.jsonl`, rows, (i) => (i === 7_000 ? `a${i % 7} ${marker}` : `a${i % 7}`));
    const single = join(dir, `doomed-${when}-w0.jsonl`);
    const pooled = join(dir, `doomed-${when}-w2.jsonl`);
    expect((await cli(["run", grader, doomed, "-o", single, "--quiet", "--workers", "0"])).code).toBe(0);
    const env = { [when === "before" ? "GRADERKIT_TEST_DIE_BEFORE_WRITE_MARKER" : "GRADERKIT_TEST_DIE_MIDWAY_WRITE_MARKER"]: marker };
    const r = await cli(["run", grader, doomed, "-o", pooled, "--workers", "2", "--pool", "processes", "--batch-size", "64"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`rows: ${rows}`);
    const strip = (path: string): Array<Record<string, any>> => rowsOf(path).map(({ metadata: { execution_time: _t, ...md }, ...rest }) => ({ ...rest, metadata: md }));
    const got = strip(pooled);
    expect(got.map((row) => row.line)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
    expect(got).toEqual(strip(single));
  }, 60_000);

  it("stdin: blocks are sent to the processes, the same rows as from the file", async () => {
    const text = readFileSync(input, "utf8").split("\n").slice(0, 50_000).join("\n") + "\n";
    const piped = await cli(["run", grader, "-", "--workers", "2", "--pool", "processes", "--format", "compact", "--quiet"], { input: text });
    expect(piped.code).toBe(0);
    const rows = parseRows(piped.stdout);
    expect(rows.map((r) => [r.line, r.id, r.reward])).toEqual(idRewards(rowsOf(full)).slice(0, 50_000));
  }, 60_000);

  it("the summary's peak_rss_mb adds the pool processes' peaks to the main process's", async () => {
    const small = bigInput("small.jsonl", 2000);
    const peak = async (workers: number) => {
      const summary = join(dir, `summary-${workers}.json`);
      const r = await cli(["run", grader, small, "-o", join(dir, `small-${workers}.jsonl`), "--quiet", "--workers", String(workers), "--pool", "processes", "--summary-json", summary]);
      expect(r.code).toBe(0);
      const { peak_rss_mb, pool } = JSON.parse(readFileSync(summary, "utf8"));
      expect(pool).toBe(workers ? "processes" : null);
      return peak_rss_mb as number;
    };
    const [w0, w2] = [await peak(0), await peak(2)];
    // Each process is a whole Node runtime: `node -e 0` alone is ~40 MB resident.
    expect(w2).toBeGreaterThan(w0 + 2 * 25);
  }, 60_000);
});
