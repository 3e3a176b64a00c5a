// Start-up of the CLI: `graderkit run G.json one.jsonl -o out.jsonl` on a 1-row file, for a
// string_check and a text_similarity grader, next to `node -e 0` (what any Node CLI pays) and,
// with --against DIR, another built checkout (e.g. the previous version), interleaved run by run
// so a noisy machine hurts every command alike.
//
//   node bench/startup.mjs [--runs 20] [--against /path/to/other/checkout] [--json]
//
// Reports per command the median wall time and the mean user+sys CPU time per run. CPU time is
// what the process itself spent, so it barely moves when other work shares the machine; it comes
// from the kernel's accounting of waited-for children (/proc/self/stat cutime + cstime, Linux; in
// clock ticks, so it is summed over all runs and divided).

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { childrenCpuSeconds, median } from "./measure.mjs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "20" }, against: { type: "string" }, json: { type: "boolean", default: false } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be an integer >= 1, got '${values.runs}'`);

const here = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "graderkit-startup-"));
const graders = {
  string_check: { type: "string_check", name: "exact", operation: "eq", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" },
  text_similarity: { type: "text_similarity", name: "fuzzy", evaluation_metric: "fuzzy_match", input: "{{ sample.output_text }}", reference: "{{ item.answer }}" },
};
for (const [type, grader] of Object.entries(graders)) writeFileSync(join(dir, `${type}.json`), JSON.stringify(grader));
writeFileSync(join(dir, "one.jsonl"), '{"item": {"answer": "144"}, "model_sample": "144"}\n');

const builds = [["this", here], ...(values.against ? [["against", values.against]] : [])];
const commands = [{ name: "node -e 0", args: ["-e", "0"] }];
for (const [label, root] of builds) {
  for (const type of Object.keys(graders)) {
    const bin = join(root, "bin/graderkit.js");
    commands.push({ name: `${label}: run ${type}`, args: [bin, "run", join(dir, `${type}.json`), join(dir, "one.jsonl"), "-o", join(dir, `out-${label}.jsonl`), "--quiet"] });
  }
}

/** The CPU seconds of this process's finished children; null where /proc cannot be read. */
function childrenCpu() {
  try {
    return childrenCpuSeconds();
  } catch {
    return null;
  }
}

const wall = new Map(commands.map((c) => [c.name, []]));
const cpuSeconds = new Map(commands.map((c) => [c.name, 0]));
for (let i = 0; i < runs + 1; i++) {
  for (const c of commands) {
    const before = childrenCpu();
    const start = performance.now();
    const res = spawnSync(process.execPath, c.args, { stdio: ["ignore", "ignore", "pipe"] });
    const ms = performance.now() - start;
    if (res.status !== 0) throw new Error(`${c.name}: exit ${res.status}: ${res.stderr}`);
    if (i === 0) continue; // a warm-up round: the file cache, not graderkit
    wall.get(c.name).push(ms);
    const after = childrenCpu();
    if (before !== null && after !== null) cpuSeconds.set(c.name, cpuSeconds.get(c.name) + after - before);
  }
}
rmSync(dir, { recursive: true, force: true });

const results = commands.map((c) => ({
  command: c.name,
  median_wall_ms: median(wall.get(c.name)),
  mean_cpu_ms: childrenCpu() === null ? null : (cpuSeconds.get(c.name) * 1000) / runs,
}));
if (values.json) {
  console.log(JSON.stringify({ runs, node: process.version, results }, null, 2));
} else {
  console.log(`${runs} runs each, interleaved (node ${process.version})\n`);
  console.log("| command | median wall ms | mean user+sys CPU ms |\n|---|---:|---:|");
  for (const r of results) console.log(`| ${r.command} | ${r.median_wall_ms.toFixed(0)} | ${r.mean_cpu_ms === null ? "-" : r.mean_cpu_ms.toFixed(0)} |`);
}
