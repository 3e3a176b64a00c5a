// The line-in/line-out contract of distributed runners (issue 11; AROUND-GRADERS §5): with "-" as
// SAMPLES, a row reaches stdout as soon as the rows before it are graded (not at EOF), stdout
// carries nothing but rows, a last line without a newline is graded, and the process exits 0
// after EOF. Then GNU parallel --pipe -k over 50k rows gives the (id, reward) sequence of a
// single run.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cli, parseRows, tempDir, writeJson, writeLines } from "./helpers/cli.js";

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };
const fuzzy = { type: "text_similarity", name: "fz", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "fuzzy_match" };

let dir: string;
beforeAll(() => {
  dir = tempDir("graderkit-engine-stream-");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (i: number) => JSON.stringify({ id: `r${i}`, item: { answer: "yes" }, model_sample: i % 2 ? "yes" : "no" });

describe("stdin to stdout", () => {
  for (const workers of [[], ["--workers", "2"]]) {
    it(`writes each row before the next line arrives, grades a last line without a newline, exits 0 at EOF ${workers.join(" ")}`, async () => {
      const graderPath = writeJson(dir, "exact.json", exact);
      const child = spawn(process.execPath, [BIN, "run", graderPath, "-", "--format", "compact", ...workers]);
      let stdout = "";
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
      const rowsSeen = (n: number) =>
        new Promise<void>((resolve) => {
          const check = () => (stdout.split("\n").length > n ? resolve() : undefined);
          child.stdout.on("data", check);
          check();
        });
      child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));

      child.stdin.write(row(1) + "\n");
      await rowsSeen(1); // the first row is out while stdin is still open
      expect(parseRows(stdout)).toEqual([{ line: 1, id: "r1", reward: 1 }]);
      child.stdin.write(row(2) + "\n\n" + row(3)); // a blank line, then a last line without "\n"
      await rowsSeen(2);
      child.stdin.end();
      expect(await exited).toBe(0);
      expect(stdout.endsWith("\n")).toBe(true);
      expect(parseRows(stdout)).toEqual([
        { line: 1, id: "r1", reward: 1 },
        { line: 2, id: "r2", reward: 0 },
        { line: 4, id: "r3", reward: 1 },
      ]);
      // Progress and the summary go to stderr only.
      expect(stderr).toContain("rows: 3");
    });
  }

  it("--limit on stdin stops reading at N rows without waiting for EOF", async () => {
    const graderPath = writeJson(dir, "exact.json", exact);
    const child = spawn(process.execPath, [BIN, "run", graderPath, "-", "--format", "compact", "--limit", "2", "--quiet"]);
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.on("error", () => {}); // the run may close stdin before the last write lands
    child.stdin.write(row(1) + "\n" + row(2) + "\n" + row(3) + "\n");
    expect(await exited).toBe(0); // stdin is still open
    child.stdin.destroy();
    expect(parseRows(stdout).map((r) => r.id)).toEqual(["r1", "r2"]);
  });

  it("-o - is stdout, as without -o: no file named '-' (--resume refuses it); ./- names such a file", async () => {
    const graderPath = writeJson(dir, "exact.json", exact);
    const input = [row(1), row(2)].join("\n") + "\n";
    const plain = await cli(["run", graderPath, "-", "--format", "compact", "--quiet"], { input });
    const dashed = await cli(["run", graderPath, "-", "-o", "-", "--format", "compact", "--quiet"], { input, cwd: dir });
    expect(dashed.code).toBe(0);
    // row(i) answers "yes" for odd i, and the reference is "yes".
    expect(parseRows(dashed.stdout).map((r) => [r.id, r.reward])).toEqual([["r1", 1], ["r2", 0]]);
    expect(dashed.stdout).toBe(plain.stdout);
    expect(existsSync(join(dir, "-"))).toBe(false);
    const resumed = await cli(["run", graderPath, "-", "-o", "-", "--resume"], { input, cwd: dir });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain("--resume needs -o OUT.jsonl");
    const file = await cli(["run", graderPath, "-", "-o", "./-", "--format", "compact", "--quiet"], { input, cwd: dir });
    expect(file.code).toBe(0);
    expect(file.stdout).toBe("");
    expect(readFileSync(join(dir, "-"), "utf8")).toBe(plain.stdout);
  });
});

/** GNU parallel with `args` before the command, over the file at `input`: its exit status and output. */
async function parallel(args: string[], graderPath: string, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const fd = openSync(input, "r");
  const command = [process.execPath, BIN, "run", graderPath, "-", "--format", "compact", "--quiet"];
  const child = spawn("parallel", ["--will-cite", "--pipe", "-k", ...args, ...command], { stdio: [fd, "pipe", "pipe"] });
  closeSync(fd);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout, stderr };
}

const pairs = (text: string) => parseRows(text).map((r) => [r.id, r.reward]);

describe("GNU parallel --pipe -k", () => {
  let graderPath: string;
  let input: string;
  let single: string;
  beforeAll(async () => {
    expect(spawnSync("parallel", ["--version"]).status, "GNU parallel is needed (Debian package parallel; .ci/run installs it)").toBe(0);
    graderPath = writeJson(dir, "fuzzy.json", fuzzy);
    const words = ["a", "b", "c", "d"]; // short rows: fewer blocks, fewer process start-ups
    input = writeLines(
      dir,
      "rows.jsonl",
      Array.from({ length: 50_000 }, (_, i) => ({ id: i, item: { answer: `${words[i % 4]} ${words[(i >> 2) % 4]}` }, model_sample: `${words[(i * 7) % 4]} ${words[i % 3]}` })),
    );
    const r = await cli(["run", graderPath, input, "--format", "compact", "--quiet"]);
    expect(r.code).toBe(0);
    single = r.stdout;
  });

  it("-j 2 --block 256k over 50k rows with ids gives the (id, reward) sequence of a single run", async () => {
    const r = await parallel(["-j", "2", "--block", "256k"], graderPath, input);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = parseRows(r.stdout);
    expect(rows).toHaveLength(50_000);
    expect(pairs(r.stdout)).toEqual(pairs(single));
    // `line` restarts in every block, so only `id` joins rows back to the input.
    expect(rows.filter((row) => row.line === 1).length).toBeGreaterThan(1);
  }, 120_000);

  it("--sshlogin (the README's recipe, with this machine ':' as the login) gives the same sequence", async () => {
    const r = await parallel(["--sshlogin", "2/:", "--block", "1M"], graderPath, input);
    expect(r.code).toBe(0);
    expect(pairs(r.stdout)).toEqual(pairs(single));
  }, 120_000);
});
