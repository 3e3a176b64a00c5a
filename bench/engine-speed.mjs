// Bench: the engine's speed targets (issue 11) on 1M rows of ~30-word prose, rouge_l and bleu:
//   - --format compact --workers 0 end to end >= 50% of the metric's own single-thread pairs/s on
//     the same pairs (measured here, in this process, on the input's first 200k pairs);
//   - --format compact --workers 2 >= 1.7x --workers 0;
//   - --format full >= 1.5x the previous version's full rows, with --ref GITREF: that commit is
//     exported (git archive, no worktree), built with this checkout's node_modules, and run side
//     by side, interleaved with this version's runs.
// Beside them, what the machine allows, measured in the same rounds: two independent
// `--workers 0` compact runs on the input's two halves at the same time (no main process, no
// coordination: the most `--workers 2` could reach on these two cores), and the full-rows ratio
// an engine costing nothing would reach (the previous version's time against the metric's own).
// Every run is the real CLI writing to a file, timed by /usr/bin/time: wall and CPU (user +
// sys, worker processes included), and the run's peak_rss_mb (--summary-json); figures are
// medians over --repeat rounds, each round running every configuration once (so machine noise
// spreads over all of them alike).
//
//   node bench/engine-speed.mjs [--rows 1000000] [--repeat 3] [--ref 7c3818b] [--graders rouge_l,bleu]
//
// Needs a build first (npm run build).

import { execFileSync, spawn } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createInterface } from "node:readline";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { textSimilarity } from "../dist/metrics/text-similarity.js";
import { median } from "./measure.mjs";
import { makePairs, vocabulary } from "./metrics.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const DIR = join(tmpdir(), "graderkit-bench");
const METRIC_SAMPLE = 200_000;
/** The `workers` figure of the two independent half runs (timedHalves). */
const TWO_HALVES = "0 + 0 (two halves at once)";

export const SPEED_GRADERS = {
  rouge_l: { type: "text_similarity", name: "rl", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "rouge_l" },
  bleu: { type: "text_similarity", name: "bleu", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "bleu" },
};

/** `rows` rows of ~30-word prose pairs (bench/metrics' generator, a fresh seed per 10k rows), made once. */
export async function proseInput(rows) {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, `prose-${rows}.jsonl`);
  if (existsSync(path)) return path;
  const vocab = vocabulary();
  const out = createWriteStream(path + ".tmp");
  for (let chunk = 0; chunk < rows; chunk += 10_000) {
    const pairs = makePairs(vocab, Math.min(10_000, rows - chunk), 190, 1000 + chunk);
    let text = "";
    pairs.forEach(([candidate, reference], k) => (text += JSON.stringify({ id: chunk + k, item: { answer: reference }, model_sample: candidate }) + "\n"));
    if (!out.write(text)) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
  execFileSync("mv", [path + ".tmp", path]);
  return path;
}

/** The first `n` (candidate, reference) pairs of an input, as the graders see them. */
function pairsOf(path, n) {
  const pairs = [];
  const text = readFileSync(path, "utf8");
  let at = 0;
  while (pairs.length < n && at < text.length) {
    const nl = text.indexOf("\n", at);
    const row = JSON.parse(text.slice(at, nl));
    pairs.push([row.model_sample, row.item.answer]);
    at = nl + 1;
  }
  return pairs;
}

/** The metric alone, one thread: pairs per wall second and per CPU second, after a warm-up. */
function metricRate(metric, pairs) {
  for (const [a, b] of pairs.slice(0, 2000)) textSimilarity(metric, a, b);
  let sink = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (const [a, b] of pairs) sink += textSimilarity(metric, a, b).score;
  const used = process.cpuUsage(cpu);
  const s = (performance.now() - start) / 1000;
  if (Number.isNaN(sink)) throw new Error(`${metric} returned NaN`);
  return { wall: Math.round(pairs.length / s), cpu: Math.round(pairs.length / ((used.user + used.system) / 1e6)) };
}

/** Export GITREF's tree (no worktree), link this checkout's node_modules, build it; its CLI's path. */
export function buildRef(ref) {
  const sha = execFileSync("git", ["-C", ROOT, "rev-parse", "--short", ref], { encoding: "utf8" }).trim();
  const dir = join(DIR, `ref-${sha}`);
  const bin = join(dir, "bin/graderkit.js");
  if (existsSync(join(dir, "dist/cli/main.js"))) return { sha, bin };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync("sh", ["-c", `git -C '${ROOT}' archive '${sha}' | tar -x -C '${dir}'`]);
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  console.error(`  building ${ref} (${sha}) in ${dir}`);
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: dir, stdio: "inherit" });
  return { sha, bin };
}

/** The input's first and second halves (by rows), as two files made once. */
async function halvesOf(input, rows) {
  const paths = [1, 2].map((k) => input.replace(/\.jsonl$/, `.half${k}.jsonl`));
  if (paths.every((p) => existsSync(p))) return paths;
  const outs = paths.map((p) => createWriteStream(p + ".tmp"));
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(input) })) {
    const out = outs[n++ < rows / 2 ? 0 : 1];
    if (!out.write(line + "\n")) await new Promise((r) => out.once("drain", r));
  }
  await Promise.all(outs.map((o) => new Promise((r) => o.end(r))));
  for (const p of paths) execFileSync("mv", [p + ".tmp", p]);
  return paths;
}

/** The arguments of one `graderkit run` under /usr/bin/time, writing beside `tag`'s files. */
function runArgs(bin, graderPath, input, format, workers, tag) {
  const files = { time: join(DIR, `time${tag}.txt`), out: join(DIR, `speed-out${tag}.jsonl`), summary: join(DIR, `speed-summary${tag}.json`) };
  const args = [bin, "run", graderPath, input, "-o", files.out, "--quiet", "--workers", String(workers), "--summary-json", files.summary];
  if (format !== "full") args.push("--format", format);
  return { argv: ["-o", files.time, "-f", "%e %U %S", process.execPath, ...args], files };
}

/** What a finished run measured: wall and CPU seconds (/usr/bin/time), and its own peak_rss_mb. */
function measured(files) {
  rmSync(files.out, { force: true });
  rmSync(files.out + ".graderkit.json", { force: true });
  const [wall, user, sys] = readFileSync(files.time, "utf8").trim().split(/\s+/).map(Number);
  // The run's own peak_rss_mb: the main process's peak plus its worker processes' (a pool of
  // processes), where /usr/bin/time gives only the largest single process.
  const { peak_rss_mb } = JSON.parse(readFileSync(files.summary, "utf8"));
  return { wall_s: wall, cpu_s: user + sys, peak_rss_mb };
}

/** One `graderkit run` under /usr/bin/time. */
function timedRun(bin, graderPath, input, format, workers) {
  const { argv, files } = runArgs(bin, graderPath, input, format, workers, "");
  execFileSync("/usr/bin/time", argv, { stdio: ["ignore", "ignore", "inherit"] });
  return measured(files);
}

/**
 * Two `--workers 0` compact runs, one per half of the input, started together: wall from the
 * start to the later one's end, CPU and peak RSS of both added up.
 */
async function timedHalves(bin, graderPath, halves) {
  const started = performance.now();
  const runs = await Promise.all(
    halves.map((half, k) => {
      const { argv, files } = runArgs(bin, graderPath, half, "compact", 0, `-half${k + 1}`);
      const child = spawn("/usr/bin/time", argv, { stdio: ["ignore", "ignore", "inherit"] });
      return new Promise((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve(measured(files)) : reject(new Error(`a half's run exited ${code}`)))));
    }),
  );
  const wall = Math.round((performance.now() - started) / 10) / 100;
  return { wall_s: wall, cpu_s: runs[0].cpu_s + runs[1].cpu_s, peak_rss_mb: runs[0].peak_rss_mb + runs[1].peak_rss_mb };
}

export async function speed({ rows = 1_000_000, repeat = 3, ref = null, graders = Object.keys(SPEED_GRADERS) } = {}) {
  const input = await proseInput(rows);
  const previous = ref ? buildRef(ref) : null;
  const versions = [{ name: "this", bin: join(ROOT, "bin/graderkit.js"), formats: ["compact", "full"] }];
  if (previous) versions.push({ name: previous.sha, bin: previous.bin, formats: ["full"] });
  const halves = await halvesOf(input, rows);
  const pairs = pairsOf(input, Math.min(rows, METRIC_SAMPLE));
  const results = [];
  for (const grader of graders) {
    const graderPath = join(DIR, `speed-${grader}.json`);
    execFileSync("sh", ["-c", `cat > '${graderPath}'`], { input: JSON.stringify(SPEED_GRADERS[grader]) });
    const metric = SPEED_GRADERS[grader].evaluation_metric;
    const configs = [];
    for (const workers of [0, 2]) for (const v of versions) for (const format of v.formats) configs.push({ version: v.name, bin: v.bin, format, workers, runs: [] });
    const halvesRuns = [];
    const metricRates = [];
    for (let round = 0; round < repeat; round++) {
      metricRates.push(metricRate(metric, pairs));
      for (const c of configs) {
        const r = timedRun(c.bin, graderPath, input, c.format, c.workers);
        c.runs.push(r);
        console.error(`  ${grader} round ${round + 1}: ${c.version} --format ${c.format} --workers ${c.workers}: ${Math.round(rows / r.wall_s).toLocaleString("en-US")} rows/s (${r.wall_s} s wall, ${r.cpu_s.toFixed(2)} s CPU, ${r.peak_rss_mb} MB)`);
      }
      const h = await timedHalves(versions[0].bin, graderPath, halves);
      halvesRuns.push(h);
      console.error(`  ${grader} round ${round + 1}: two --workers 0 compact runs on the halves at once: ${Math.round(rows / h.wall_s).toLocaleString("en-US")} rows/s (${h.wall_s} s wall, ${h.cpu_s.toFixed(2)} s CPU)`);
    }
    const metric_pairs_per_s = median(metricRates.map((m) => m.wall));
    const metric_pairs_per_cpu_s = median(metricRates.map((m) => m.cpu));
    const figure = (c) => ({
      version: c.version,
      format: c.format,
      workers: c.workers,
      rows_per_s: Math.round(rows / median(c.runs.map((r) => r.wall_s))),
      wall_s: median(c.runs.map((r) => r.wall_s)),
      cpu_s: Math.round(median(c.runs.map((r) => r.cpu_s)) * 100) / 100,
      rows_per_cpu_s: Math.round(rows / median(c.runs.map((r) => r.cpu_s))),
      peak_rss_mb: median(c.runs.map((r) => r.peak_rss_mb)),
    });
    const figures = configs.map(figure);
    figures.push(figure({ version: "this", format: "compact", workers: TWO_HALVES, runs: halvesRuns }));
    const find = (version, format, workers) => figures.find((f) => f.version === version && f.format === format && f.workers === workers);
    const ratio = (a, b) => (a && b ? Math.round((a.rows_per_s / b.rows_per_s) * 100) / 100 : null);
    const ratios = {
      compact_w0_vs_metric: Math.round((find("this", "compact", 0).rows_per_s / metric_pairs_per_s) * 100) / 100,
      // The same on CPU seconds: what a loaded machine's wall clock hides (w0 is one thread, plus GC).
      compact_w0_vs_metric_cpu: Math.round((find("this", "compact", 0).rows_per_cpu_s / metric_pairs_per_cpu_s) * 100) / 100,
      compact_w2_vs_w0: ratio(find("this", "compact", 2), find("this", "compact", 0)),
      // The machine's own limit for the last: two runs that share nothing, against one.
      compact_two_halves_vs_w0: ratio(find("this", "compact", TWO_HALVES), find("this", "compact", 0)),
      compact_w2_vs_two_halves: ratio(find("this", "compact", 2), find("this", "compact", TWO_HALVES)),
    };
    if (previous) {
      for (const w of [0, 2]) ratios[`full_w${w}_vs_${previous.sha}`] = ratio(find("this", "full", w), find(previous.sha, "full", w));
      const cpuRatio = (a, b) => Math.round((a.rows_per_cpu_s / b.rows_per_cpu_s) * 100) / 100;
      ratios[`full_w0_vs_${previous.sha}_cpu`] = cpuRatio(find("this", "full", 0), find(previous.sha, "full", 0));
      // An engine that cost nothing: the metric's own time for the rows, against the previous version's.
      ratios[`full_w0_vs_${previous.sha}_if_the_engine_cost_nothing`] = Math.round(((find(previous.sha, "full", 0).wall_s * metric_pairs_per_s) / rows) * 100) / 100;
    }
    results.push({ name: `engine_speed_${grader}_${rows}`, grader, rows, metric_pairs_per_s, metric_pairs_per_cpu_s, runs: figures, ratios });
  }
  return { machine: `${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}`, repeat, results };
}

/** The Markdown table of a speed() result. */
export function speedTable({ results }) {
  const n = (x) => x.toLocaleString("en-US");
  const lines = ["| grader | version | format | workers | rows/s | rows/CPU-s | wall s | CPU s | peak RSS |", "|---|---|---|---:|---:|---:|---:|---:|---:|"];
  for (const r of results) {
    lines.push(`| ${r.grader} | metric alone | | 1 thread | ${n(r.metric_pairs_per_s)} | ${n(r.metric_pairs_per_cpu_s)} | | | |`);
    for (const f of r.runs) lines.push(`| ${r.grader} | ${f.version} | ${f.format} | ${f.workers} | ${n(f.rows_per_s)} | ${n(f.rows_per_cpu_s)} | ${f.wall_s} | ${f.cpu_s} | ${f.peak_rss_mb} MB |`);
  }
  lines.push("", "| grader | ratio | value |", "|---|---|---:|");
  for (const r of results) for (const [k, v] of Object.entries(r.ratios)) lines.push(`| ${r.grader} | ${k} | ${v} |`);
  return lines.join("\n");
}

/** The command line of this bench (also `node bench/engine.mjs --speed ...`). */
export async function speedMain(argv) {
  const value = (flag) => (argv.indexOf(flag) >= 0 ? argv[argv.indexOf(flag) + 1] : undefined);
  const result = await speed({ rows: Number(value("--rows") ?? 1_000_000), repeat: Number(value("--repeat") ?? 3), ref: value("--ref") ?? null, graders: value("--graders")?.split(",") });
  console.log(speedTable(result));
  console.log(JSON.stringify(result, null, 2));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await speedMain(process.argv.slice(2));
