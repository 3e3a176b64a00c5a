// `npm run bench`: every benchmark, one table, bench/results/latest.json, and a comparison with
// the previous version's numbers (bench/results/baseline.json, committed with each release).
//
//   npm run bench                 metrics, formula, python, engine at 100k rows
//   npm run bench -- --full       also the engine at 1M rows, its speed targets on 1M prose rows
//                                 (bench/engine-speed.mjs; --ref GITREF there for the side-by-side
//                                 comparison with a previous version) and the 10 MB / 1 GB memory check
//   npm run bench -- --save-baseline   make this run the baseline for the next version

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import * as engine from "./engine.mjs";
import { speed } from "./engine-speed.mjs";
import * as formula from "./formula.mjs";
import * as metrics from "./metrics.mjs";
import * as python from "./python.mjs";

const full = process.argv.includes("--full");
const dir = new URL("./results/", import.meta.url);
mkdirSync(dir, { recursive: true });
const version = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;

console.error("metrics (pairs/s, one thread, tokenization included):");
const all = [...(await metrics.run())];
console.error("formula:");
all.push(await formula.run());
console.error("python executor:");
all.push(await python.run());
console.error("engine (graderkit run, end to end):");
all.push(...(await engine.run({ sizes: full ? [100_000, 1_000_000] : [100_000] })));
if (full) {
  for (const r of (await speed({ rows: 1_000_000, repeat: 1 })).results) {
    for (const f of r.runs) all.push({ name: `engine_prose_${r.grader}_${f.format}_w${f.workers}`, grader: r.grader, metric_pairs_per_s: r.metric_pairs_per_s, ...f });
  }
  all.push(...(await engine.memory()));
}

const rate = (r) => r.pairs_per_s ?? r.rows_per_s;
const latest = { version, date: new Date().toISOString(), node: process.version, cpus: availableParallelism(), cpu: cpus()[0]?.model ?? "", results: all };
writeFileSync(new URL("latest.json", dir), JSON.stringify(latest, null, 2) + "\n");

const baselinePath = new URL("baseline.json", dir);
const baseline = existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, "utf8")) : null;
const before = new Map((baseline?.results ?? []).map((r) => [r.name, rate(r)]));
console.log(`\n| benchmark | per second | ${baseline ? `baseline (${baseline.version}) | change |` : ""}`);
console.log(`|---|---:|${baseline ? "---:|---:|" : ""}`);
for (const r of all) {
  const b = before.get(r.name);
  const cells = [r.name, rate(r).toLocaleString("en-US")];
  if (baseline) cells.push(b ? b.toLocaleString("en-US") : "-", b ? `${((rate(r) / b - 1) * 100).toFixed(0)}%` : "-");
  console.log(`| ${cells.join(" | ")} |`);
}
if (process.argv.includes("--save-baseline")) {
  copyFileSync(new URL("latest.json", dir), baselinePath);
  console.error("saved as bench/results/baseline.json");
}
