// Where rows go, and what refuses to lose them (issue 10, items 1, 2, 5, 26, 30): OUT is never
// the input, any unwritten byte is an I/O error (exit 2) naming the file, one run at a time
// writes an OUT, output paths are checked before grading, and progress never mixes with rows.
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statfsSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFile, RunInterruptedError } from "graderkit";
import { BIN, cli, parseRows, tempDir, writeJson, writeLines } from "./helpers/cli.js";

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };
const python = { type: "python", name: "py", source: "def grade(sample, item):\n    return 1.0\n" };

let dir: string;
let exactPath: string;
beforeAll(() => {
  dir = tempDir("graderkit-engine-output-");
  exactPath = writeJson(dir, "exact.json", exact);
});
// Leave nothing in the temp folder (engine inputs and outputs run to tens of MB).
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rowsOf = (n: number, pad = 0) => Array.from({ length: n }, (_, i) => ({ id: i, item: { answer: "x" }, model_sample: "x", pad: "p".repeat(pad) }));

/** Run the CLI with its stdin and stdout on given file descriptors (killed after 20 s). */
function runWithFds(args: string[], fds: { stdin?: number; stdout?: number }) {
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: [fds.stdin ?? "ignore", fds.stdout ?? "pipe", "pipe"], encoding: "utf8", timeout: 20_000 });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr };
}

describe("OUT is never the input", () => {
  it("refuses -o naming the input by its path, ./path, a symlink or a hard link (exit 2), and leaves it intact", async () => {
    const input = writeLines(dir, "same.jsonl", rowsOf(50));
    const original = readFileSync(input);
    symlinkSync(input, join(dir, "same-symlink.jsonl"));
    linkSync(input, join(dir, "same-hardlink.jsonl"));
    const cases: Array<[string, string[]]> = [
      [input, []],
      ["./same.jsonl", []],
      [join(dir, "same-symlink.jsonl"), []],
      [join(dir, "same-symlink.jsonl"), ["--resume"]],
      [join(dir, "same-hardlink.jsonl"), []],
    ];
    for (const [out, extra] of cases) {
      const r = await cli(["run", exactPath, input, "-o", out, ...extra], { cwd: dir });
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toContain(`${out} is the input file ${input}: refusing to overwrite the input`);
      expect(readFileSync(input).equals(original), out).toBe(true);
    }
  });

  it("refuses stdout appended to the input, and -o naming the file stdin is redirected from", () => {
    const input = writeLines(dir, "same-stdout.jsonl", rowsOf(50));
    const original = readFileSync(input);
    const appending = openSync(input, "a");
    const r = runWithFds(["run", exactPath, input], { stdout: appending });
    closeSync(appending);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`stdout is the input file ${input}`);
    expect(readFileSync(input).equals(original)).toBe(true);

    const reading = openSync(input, "r");
    const s = runWithFds(["run", exactPath, "-", "-o", input], { stdin: reading });
    closeSync(reading);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain(`${input} is the input file stdin`);
    expect(readFileSync(input).equals(original)).toBe(true);
  });
});

describe("every unwritten byte is an error", () => {
  it("stdout on a full device: exit 2 with a message, no stack trace", () => {
    const full = openSync("/dev/full", "w");
    const input = writeLines(dir, "to-full.jsonl", rowsOf(20));
    const r = runWithFds(["run", exactPath, input, "--quiet"], { stdout: full });
    closeSync(full);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("stdout: cannot write (ENOSPC)");
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  // A small tmpfs, filled up, stands for a full disk. Needs root (mount); skipped elsewhere.
  const canMount = process.getuid?.() === 0 && spawnSync("mount", ["--version"]).status === 0;
  describe.skipIf(!canMount)("on a full filesystem", () => {
    let mnt: string;
    beforeAll(() => {
      mnt = join(dir, "tmpfs");
      mkdirSync(mnt);
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt]);
    });
    afterAll(() => {
      if (mnt) spawnSync("umount", [mnt]);
    });

    it("rows that fit in the stream's buffer but not on the disk: exit 2 naming OUT, not 'errors: none'", async () => {
      // Leave room for the lock and the fingerprint (a 4 KB block each) and one more block.
      const filler = join(mnt, "filler");
      const { bsize, bavail } = statfsSync(mnt);
      writeFileSync(filler, Buffer.alloc((bavail - 3) * bsize));
      const input = writeLines(dir, "for-full-disk.jsonl", rowsOf(10, 500)); // ~9 KB of rows
      const out = join(mnt, "out.jsonl");
      const r = await cli(["run", exactPath, input, "-o", out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${out}: cannot write (ENOSPC)`);
      expect(r.stderr).not.toContain("errors: none");
      expect(existsSync(out + ".graderkit.lock")).toBe(false);
    });
  });
});

describe("one run at a time per OUT", () => {
  it("a second run on an OUT being written is refused (exit 2); the first is unharmed", async () => {
    const input = writeLines(dir, "locked.jsonl", rowsOf(30));
    const out = join(dir, "locked-out.jsonl");
    // The first run holds OUT while its python grading hangs until it is aborted.
    const never = { grade: () => new Promise<never>(() => {}), close: async () => {} };
    const controller = new AbortController();
    const first = runFile({ grader: python, input, output: out, executors: { python: never }, signal: controller.signal });
    first.catch(() => {});
    const deadline = Date.now() + 5000;
    while (!existsSync(out + ".graderkit.lock") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));

    const second = await cli(["run", exactPath, input, "-o", out]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`${out}: another graderkit run is writing it (pid ${process.pid} on `);
    const resumed = await cli(["run", exactPath, input, "-o", out, "--resume"]);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain("another graderkit run is writing it");

    controller.abort("test");
    await expect(first).rejects.toBeInstanceOf(RunInterruptedError);
    expect(existsSync(out + ".graderkit.lock")).toBe(false);
    // Nothing was finished, nothing written: the refused runs did not write either.
    expect(readFileSync(out, "utf8")).toBe("");
  });

  it("a lock left by a process that died (kill -9) is stale and taken over", async () => {
    const input = writeLines(dir, "stale.jsonl", rowsOf(5));
    const out = join(dir, "stale-out.jsonl");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const host = (await import("node:os")).hostname();
    writeFileSync(out + ".graderkit.lock", JSON.stringify({ pid: Number(dead.stdout), host, started: "2020-01-01T00:00:00.000Z" }) + "\n");
    const r = await cli(["run", exactPath, input, "-o", out, "--quiet"]);
    expect(r.code).toBe(0);
    expect(parseRows(readFileSync(out, "utf8"))).toHaveLength(5);
    expect(existsSync(out + ".graderkit.lock")).toBe(false);
  });
});

describe("output paths are checked before grading starts", () => {
  it("--summary-json or -o in a missing folder: exit 2 at once, no row graded", async () => {
    const input = writeLines(dir, "paths.jsonl", rowsOf(5));
    const summary = join(dir, "no/such/dir/summary.json");
    const r = await cli(["run", exactPath, input, "--summary-json", summary]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${summary}: cannot write (ENOENT)`);
    expect(r.stdout).toBe("");
    const out = join(dir, "no/such/dir/out.jsonl");
    const o = await cli(["run", exactPath, input, "-o", out]);
    expect(o.code).toBe(2);
    expect(o.stderr).toContain(`${out}: cannot write (ENOENT)`);
    const isDir = await cli(["run", exactPath, input, "--summary-json", dir]);
    expect(isDir.code).toBe(2);
    expect(isDir.stderr).toContain(`${dir}: cannot write (EISDIR)`);
    expect(isDir.stdout).toBe("");
  });
});

// util-linux `script` gives the command a real terminal (stdout and stderr the same one).
describe.skipIf(!existsSync("/usr/bin/script"))("progress and rows on one terminal", () => {
  const onTerminal = (args: string[]) => {
    const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(" ");
    const r = spawnSync("/usr/bin/script", ["-qec", command, "/dev/null"], { encoding: "utf8" });
    return { code: r.status, lines: r.stdout.split(/\r?\n/) };
  };
  const progressLine = /\d+ rows {2}\d+ rows\/s {2}\d+ with errors/;

  it("rows to the terminal: no progress by default, every row on a line of its own", () => {
    const input = writeLines(dir, "tty-rows.jsonl", rowsOf(3));
    const r = onTerminal(["run", exactPath, input]);
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => progressLine.test(l))).toEqual([]);
    expect(r.lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l).line)).toEqual([1, 2, 3]);
  });

  it("--progress with rows to the terminal: progress lines stand alone, never glued to a row", () => {
    const input = writeLines(dir, "tty-progress.jsonl", rowsOf(3));
    const r = onTerminal(["run", exactPath, input, "--progress"]);
    expect(r.code).toBe(0);
    const progress = r.lines.filter((l) => progressLine.test(l));
    expect(progress.length).toBeGreaterThan(0);
    for (const l of progress) expect(l).toMatch(/^\d+ rows {2}\d+ rows\/s {2}\d+ with errors$/);
    expect(r.lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l).line)).toEqual([1, 2, 3]);
  });
});
