// Bench: `graderkit report` and `graderkit diff` on large runs, end to end (the real CLI in a
// child process, timed by /usr/bin/time): wall and CPU seconds, peak RSS, and the size of the
// page. Targets (issue 14): a 1M-row run reports in under 30 s, into under 20 MB of HTML.
//
//   node bench/report.mjs [--rows 1000000] [--diff-resamples 1000]
//
// The run is made once by `graderkit run` (a rouge_l grader on ~30-word rows, full rows), and a
// compact copy of it is derived, so both formats are measured. Needs a build first.

import { execFileSync } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { GRADERS, makeInput } from "./engine.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const BIN = join(ROOT, "bin/graderkit.js");

/** Run the CLI under /usr/bin/time: { wall_s, cpu_s, peak_rss_mb }. */
function timed(args) {
  const timeFile = join(tmpdir(), `graderkit-bench-time-${process.pid}.txt`);
  execFileSync("/usr/bin/time", ["-o", timeFile, "-f", "%e %U %S %M", process.execPath, BIN, ...args], { stdio: ["ignore", "ignore", "inherit"] });
  const [wall, user, sys, rssKb] = readFileSync(timeFile, "utf8").trim().split(/\s+/).map(Number);
  return { wall_s: wall, cpu_s: Math.round((user + sys) * 100) / 100, peak_rss_mb: Math.round(rssKb / 1024) };
}

/** The run as compact rows: what `run --format compact` writes, derived from the full rows. */
async function compactCopy(full, out) {
  if (existsSync(out)) return out;
  const w = createWriteStream(out);
  for await (const line of createInterface({ input: createReadStream(full) })) {
    if (!line) continue;
    const r = JSON.parse(line);
    const set = Object.entries(r.metadata.errors).filter(([, v]) => v === true || (v !== false && v !== null));
    const row = { line: r.line, ...(r.id !== undefined ? { id: r.id } : {}), reward: r.reward };
    if (Object.keys(r.sub_rewards).length) row.sub_rewards = r.sub_rewards;
    if (set.length) row.errors = Object.fromEntries(set);
    if (r.error) row.error = r.error;
    if (!w.write(JSON.stringify(row) + "\n")) await new Promise((res) => w.once("drain", res));
  }
  await new Promise((res) => w.end(res));
  return out;
}

export async function run({ rows = 1_000_000, diffResamples = 1_000 } = {}) {
  // A folder of its own: other benches clean theirs.
  const dir = join(tmpdir(), "graderkit-bench-report");
  mkdirSync(dir, { recursive: true });
  const input = await makeInput(dir, rows);
  const runs = {};
  for (const name of ["rouge_l", "string_check"]) {
    const graderPath = join(dir, `${name}.json`);
    execFileSync("sh", ["-c", `cat > '${graderPath}'`], { input: JSON.stringify(GRADERS[name]) });
    const out = join(dir, `run-${name}-${rows}.jsonl`);
    if (!existsSync(out)) execFileSync(process.execPath, [BIN, "run", graderPath, input, "-o", out, "--quiet", "--workers", "2"], { stdio: "inherit" });
    runs[name] = out;
  }
  const compact = await compactCopy(runs.rouge_l, join(dir, `run-rouge_l-${rows}.compact.jsonl`));
  const results = [];
  const html = join(dir, "report.html");
  for (const [label, file, extra] of [
    ["full rows", runs.rouge_l, []],
    ["compact rows", compact, []],
    ["full rows, --input", runs.rouge_l, ["--input", input]],
  ]) {
    const t = timed(["report", file, "-o", html, "--quiet", ...extra]);
    const r = { name: `report_${rows}_${label.replace(/[^a-z]+/g, "_")}`, rows, run_mb: Math.round(statSync(file).size / 1e6), html_mb: Math.round((statSync(html).size / 1e6) * 10) / 10, rows_per_s: Math.round(rows / t.wall_s), ...t };
    results.push(r);
    console.error(`  report, ${label.padEnd(20)} ${rows} rows (${r.run_mb} MB): ${t.wall_s} s wall, ${t.cpu_s} s CPU, peak RSS ${t.peak_rss_mb} MB, HTML ${r.html_mb} MB`);
  }
  for (const resamples of [0, diffResamples]) {
    const t = timed(["diff", runs.string_check, runs.rouge_l, "--json", "--resamples", String(resamples)]);
    results.push({ name: `diff_${rows}_resamples_${resamples}`, rows, resamples, rows_per_s: Math.round(rows / t.wall_s), ...t });
    console.error(`  diff, --resamples ${String(resamples).padEnd(6)} ${rows} rows: ${t.wall_s} s wall, ${t.cpu_s} s CPU, peak RSS ${t.peak_rss_mb} MB`);
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (flag, fallback) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  console.log(JSON.stringify(await run({ rows: arg("--rows", undefined), diffResamples: arg("--diff-resamples", undefined) }), null, 2));
}
