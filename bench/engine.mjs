// Bench: end-to-end `graderkit run` rows/s (the real CLI in a child process, output to a file)
// for a string_check and a text_similarity rouge_l grader, on generated inputs, at
// --workers 0, 1 and 2. Also peak RSS, from the run's --summary-json.
//
//   node bench/engine.mjs [--sizes 100000,1000000] [--workers 0,1,2]
//   node bench/engine.mjs --memory        the 10 MB / 1 GB flat-memory check (workers 0 and 2, full and compact)
//   node bench/engine.mjs --speed [--ref GITREF] [--rows N] [--repeat R] [--graders rouge_l,bleu]
//                                         the speed targets on 1M prose rows, compact and full, and
//                                         GITREF built and run side by side (bench/engine-speed.mjs)
//
// Needs a build first (npm run bench does it).

import { execFileSync, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = new URL("..", import.meta.url).pathname;
const BIN = join(ROOT, "bin/graderkit.js");
const WORDS = "the a of to and in is was for on that with as by at from it this be are an or which his her their model answer city river number report data".split(" ");

export const GRADERS = {
  string_check: { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" },
  rouge_l: { type: "text_similarity", name: "rl", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "rouge_l" },
};

export const PYTHON_TRIVIAL = {
  type: "python",
  name: "trivial",
  source: 'def grade(sample, item):\n    return 1.0 if sample["output_text"] == item["answer"] else 0.0\n',
};

function sentence(rand, words) {
  let s = "";
  for (let i = 0; i < words; i++) s += (i ? " " : "") + WORDS[Math.floor(rand() * WORDS.length)];
  return s;
}

/** A JSONL of `rows` rows (~30-word texts), written once and reused. */
export async function makeInput(dir, rows) {
  const path = join(dir, `rows-${rows}.jsonl`);
  if (existsSync(path)) return path;
  let seed = rows;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const out = createWriteStream(path);
  for (let i = 0; i < rows; i++) {
    const answer = sentence(rand, 30);
    const sample = rand() < 0.3 ? answer : sentence(rand, 30);
    const line = JSON.stringify({ id: i, item: { answer }, model_sample: sample }) + "\n";
    if (!out.write(line)) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
  return path;
}

export function runOnce(graderPath, input, workers, dir, format = "full") {
  const summaryPath = join(dir, "summary.json");
  const outPath = join(dir, "out.jsonl");
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, [BIN, "run", graderPath, input, "-o", outPath, "--quiet", "--workers", String(workers), "--format", format, "--summary-json", summaryPath], { stdio: "inherit" });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = JSON.parse(readFileSync(summaryPath, "utf8"));
  rmSync(outPath);
  return { rows: summary.rows, rows_per_s: Math.round(summary.rows / wall), engine_rows_per_s: Math.round(summary.rows_per_s), wall_s: Math.round(wall * 100) / 100, peak_rss_mb: summary.peak_rss_mb };
}

/** VmRSS of a process plus its child processes' (the run's pool), in MB; null once it has exited. */
function treeRssMb(pid) {
  const rssKb = (p) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
  let total;
  try {
    total = rssKb(pid);
  } catch {
    return null; // the process has just exited
  }
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) total += rssKb(entry);
    } catch {
      // it ended while we looked
    }
  }
  return total / 1024;
}

/**
 * runOnce, asynchronously, also sampling the resident size of the run and its pool processes every
 * 250 ms from /proc (Linux): the peak of each half of the run shows whether memory still grows
 * late in a long run or has levelled off.
 */
export async function runSampled(graderPath, input, workers, dir, format = "full") {
  const summaryPath = join(dir, "summary.json");
  const outPath = join(dir, "out.jsonl");
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [BIN, "run", graderPath, input, "-o", outPath, "--quiet", "--workers", String(workers), "--format", format, "--summary-json", summaryPath], { stdio: "inherit" });
  const samples = [];
  const timer = setInterval(() => {
    const mb = treeRssMb(child.pid);
    if (mb !== null) samples.push(mb);
  }, 250);
  const code = await new Promise((resolve) => child.on("exit", resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`graderkit run exited ${code}`);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = JSON.parse(readFileSync(summaryPath, "utf8"));
  rmSync(outPath);
  const half = Math.floor(samples.length / 2);
  const peak = (xs) => (xs.length === 0 ? null : Math.round(Math.max(...xs)));
  return {
    rows: summary.rows,
    rows_per_s: Math.round(summary.rows / wall),
    wall_s: Math.round(wall * 100) / 100,
    peak_rss_mb: summary.peak_rss_mb,
    rss_peak_first_half_mb: peak(samples.slice(0, half)),
    rss_peak_second_half_mb: peak(samples.slice(half)),
  };
}

export async function run({ sizes = [100_000, 1_000_000], workers = [0, 1, 2] } = {}) {
  const dir = join(tmpdir(), "graderkit-bench");
  mkdirSync(dir, { recursive: true });
  const results = [];
  for (const [name, grader] of Object.entries(GRADERS)) {
    const graderPath = join(dir, `${name}.json`);
    execFileSync("sh", ["-c", `cat > '${graderPath}'`], { input: JSON.stringify(grader) });
    for (const size of sizes) {
      const input = await makeInput(dir, size);
      for (const w of workers) {
        const r = runOnce(graderPath, input, w, dir);
        results.push({ name: `engine_${name}_${size}_w${w}`, grader: name, input_rows: size, input_mb: Math.round(statSync(input).size / 1e6), workers: w, ...r });
        console.error(`  ${name.padEnd(12)} ${String(size).padStart(8)} rows  --workers ${w}: ${r.rows_per_s.toLocaleString("en-US")} rows/s (${r.wall_s} s, peak RSS ${r.peak_rss_mb} MB)`);
      }
    }
  }
  // A trivial python grader through the python executor (always on the main thread, with
  // --concurrency gradings in flight); target >= 3,000 rows/s.
  const pyPath = join(dir, "python_trivial.json");
  execFileSync("sh", ["-c", `cat > '${pyPath}'`], { input: JSON.stringify(PYTHON_TRIVIAL) });
  const pyInput = await makeInput(dir, 20_000);
  const py = runOnce(pyPath, pyInput, 0, dir);
  results.push({ name: "engine_python_trivial_20000", grader: "python", input_rows: 20_000, workers: 0, ...py });
  console.error(`  python       ${String(20_000).padStart(8)} rows  (executor pool): ${py.rows_per_s.toLocaleString("en-US")} rows/s (${py.wall_s} s, peak RSS ${py.peak_rss_mb} MB)`);
  return results;
}

/**
 * Flat memory: peak RSS of `graderkit run` (string_check) on a ~10 MB and a ~1 GB input, for
 * --workers 0 and 2 and both row formats. The engine streams, so the target (issue 11) is the
 * 1 GB run within 100 MB of the 10 MB run's peak, per configuration.
 */
export const MEMORY_TARGET_MB = 100;

export async function memory() {
  const dir = join(tmpdir(), "graderkit-bench");
  mkdirSync(dir, { recursive: true });
  const graderPath = join(dir, "string_check.json");
  execFileSync("sh", ["-c", `cat > '${graderPath}'`], { input: JSON.stringify(GRADERS.string_check) });
  const inputs = [];
  for (const rows of [40_000, 4_000_000]) inputs.push(await makeInput(dir, rows));
  const out = [];
  for (const [workers, format] of [[2, "full"], [0, "full"], [2, "compact"], [0, "compact"]]) {
    // The first configuration keeps the names the baseline has (engine_memory_<MB>MB).
    const suffix = workers === 2 && format === "full" ? "" : `_w${workers}_${format}`;
    const peaks = [];
    for (const input of inputs) {
      const r = await runSampled(graderPath, input, workers, dir, format);
      const mb = Math.round(statSync(input).size / 1e6);
      peaks.push(r.peak_rss_mb);
      out.push({ name: `engine_memory_${mb}MB${suffix}`, input_mb: mb, workers, format, ...r });
      const halves = r.rss_peak_second_half_mb === null ? "" : `; sampled peaks, first half ${r.rss_peak_first_half_mb} MB, second half ${r.rss_peak_second_half_mb} MB`;
      console.error(`  memory: --workers ${workers} --format ${format}: ${mb} MB input -> peak RSS ${r.peak_rss_mb} MB (${r.rows_per_s.toLocaleString("en-US")} rows/s${halves})`);
    }
    const growth = peaks[1] - peaks[0];
    console.error(`  memory: --workers ${workers} --format ${format}: +${growth} MB from 10 MB to 1 GB (target <= ${MEMORY_TARGET_MB}: ${growth <= MEMORY_TARGET_MB ? "met" : "missed"})`);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (flag, fallback) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? process.argv[i + 1].split(",").map(Number) : fallback;
  };
  if (process.argv.includes("--speed")) {
    await (await import("./engine-speed.mjs")).speedMain(process.argv.slice(2));
  } else {
    const results = process.argv.includes("--memory") ? await memory() : await run({ sizes: arg("--sizes", undefined), workers: arg("--workers", undefined) });
    console.log(JSON.stringify(results, null, 2));
  }
}
