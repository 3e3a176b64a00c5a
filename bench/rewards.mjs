// Bench: the reward server (`graderkit serve`, issue 16), the real CLI in child processes.
//
//  1. Throughput: POST /v1/rewards with batches of 256 rouge_l rows from 8 concurrent clients,
//     at --workers 1 and --workers 2, against `graderkit run` on the same rows (with
//     `--format compact` when the installed run has it, else its full rows: said in the output).
//     Targets: w2/w1 >= 1.6, server w2 >= 50% of run's rows/s at --workers 2. The same for
//     METEOR rows of 120 words (about a millisecond a row), where grading rather than HTTP and
//     JSON dominates the CPU.
//  2. Latency: single-row string_check requests, one after another, alone and while a 5,000-row
//     METEOR batch (120-word texts) is being graded, at --workers 1 and 2. Target: p99 <= 50 ms
//     with the batch.
//
// Rounds are interleaved (w1, w2, run, w1, w2, run, ...) and medians reported, so a neighbour's
// load hits every configuration alike; CPU seconds (the server's, from /proc, worker threads
// included; run's, from the kernel's child accounting) are reported beside wall time, as the
// machine may be shared.
//
//   node bench/rewards.mjs [--rows 100000] [--rounds 3]
//
// Needs a build first (npm run build).

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { GRADERS, makeInput } from "./engine.mjs";
import { childrenCpuSeconds, median, processCpuSeconds } from "./measure.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const BIN = join(ROOT, "bin/graderkit.js");
const METEOR = { type: "text_similarity", name: "m", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "meteor" };

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function startServer(args) {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  const base = await new Promise((resolve, reject) => {
    child.stderr.on("data", (d) => {
      stderr += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/v1\n/.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on("close", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  // Anything the server says later (a crash, a warning) is the bench's to show.
  child.stderr.on("data", (d) => {
    if (!/stopping\n$/.test(d)) process.stderr.write(`[serve ${args.join(" ")}] ${d}`);
  });
  child.on("close", (code, signal) => {
    if (code !== 0) process.stderr.write(`[serve ${args.join(" ")}] exited ${code ?? signal}\n`);
  });
  return {
    base,
    pid: child.pid,
    stop: () => new Promise((resolve) => {
      child.removeAllListeners("close");
      child.on("close", resolve);
      child.kill("SIGTERM");
    }),
  };
}

/** Requests that met a closed connection and were sent again (as any client retries one). */
export const socketRetries = { count: 0 };

async function post(url, body) {
  let res;
  try {
    res = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
  } catch (err) {
    if (err?.cause?.code !== "UND_ERR_SOCKET") throw err;
    socketRetries.count++;
    res = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
  }
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
  return text;
}

/** 8 clients taking the next batch from a shared list until none is left: rows/s and the server's CPU. */
async function serverRound(server, bodies, rows, clients = 8) {
  let next = 0;
  const cpu0 = processCpuSeconds(server.pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < bodies.length) await post(`${server.base}/v1/rewards`, bodies[next++]);
  }));
  const wall = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  return { rows_per_s: rows / wall, wall_s: wall, cpu_s: processCpuSeconds(server.pid) - cpu0, client_cpu_s: (client.user + client.system) / 1e6 };
}

function runRound(graderPath, input, rows, workers, formatArgs, dir) {
  const out = join(dir, "rewards-run-out.jsonl");
  const cpu0 = childrenCpuSeconds();
  const t0 = performance.now();
  execFileSync(process.execPath, [BIN, "run", graderPath, input, "-o", out, "--quiet", "--workers", String(workers), ...formatArgs], { stdio: "inherit" });
  const wall = (performance.now() - t0) / 1000;
  rmSync(out, { force: true });
  return { rows_per_s: rows / wall, wall_s: wall, cpu_s: childrenCpuSeconds() - cpu0 };
}

/** `run --format compact` when this build has it (another change adds it), else run's full rows. */
function runFormatArgs() {
  const help = execFileSync(process.execPath, [BIN, "run", "--help"], { encoding: "utf8" });
  return /--format\b[\s\S]*compact/.test(help) ? ["--format", "compact"] : [];
}

const THROUGHPUT_GRADERS = { rouge_l: GRADERS.rouge_l, meteor: METEOR };

/** 256-row batches of `metric` rows from 8 clients at --workers 1 and 2, and `run --workers 2` on the same rows. */
export async function throughput({ metric = "rouge_l", rows = 100_000, rounds = 3 } = {}) {
  const dir = join(tmpdir(), "graderkit-bench");
  mkdirSync(dir, { recursive: true });
  const graderPath = join(dir, `rewards-${metric}.json`);
  writeFileSync(graderPath, JSON.stringify(THROUGHPUT_GRADERS[metric]));
  let input;
  if (metric === "meteor") {
    input = join(dir, `rewards-meteor-rows-${rows}.jsonl`);
    writeFileSync(input, meteorRows(rows, 120).join("\n") + "\n");
  } else input = await makeInput(dir, rows);
  const lines = readFileSync(input, "utf8").split("\n").filter(Boolean);
  // Request bodies made once, before any clock runs: the clients only send.
  const bodies = [];
  for (let i = 0; i < lines.length; i += 256) bodies.push(`{"grader":"rl","rows":[${lines.slice(i, i + 256).join(",")}]}`);
  const formatArgs = runFormatArgs();
  const servers = { w1: await startServer(["--workers", "1", "--grader", `rl=${graderPath}`]), w2: await startServer(["--workers", "2", "--grader", `rl=${graderPath}`]) };
  const samples = { w1: [], w2: [], run: [] };
  try {
    // Warm-up: compile, JIT, worker threads.
    for (const s of Object.values(servers)) await serverRound(s, bodies.slice(0, 16), 16 * 256);
    for (let r = 0; r < rounds; r++) {
      samples.w1.push(await serverRound(servers.w1, bodies, lines.length));
      samples.w2.push(await serverRound(servers.w2, bodies, lines.length));
      samples.run.push(runRound(graderPath, input, lines.length, 2, formatArgs, dir));
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
  const summary = (xs) => ({ rows_per_s: Math.round(median(xs.map((x) => x.rows_per_s))), wall_s: round(median(xs.map((x) => x.wall_s))), cpu_s: round(median(xs.map((x) => x.cpu_s))), rows_per_cpu_s: Math.round(median(xs.map((x) => lines.length / x.cpu_s))), ...(xs[0].client_cpu_s !== undefined ? { client_cpu_s: round(median(xs.map((x) => x.client_cpu_s))) } : {}) });
  const w1 = summary(samples.w1);
  const w2 = summary(samples.w2);
  const run = summary(samples.run);
  return {
    name: `serve_rewards_${metric}_256x8`,
    rows: lines.length,
    rounds,
    cpus: availableParallelism(),
    run_format: formatArgs.length ? "compact" : "full (run --format compact not in this build)",
    w1,
    w2,
    run_w2: run,
    scaling_w2_over_w1: round(w2.rows_per_s / w1.rows_per_s),
    server_w2_over_run_w2: round(w2.rows_per_s / run.rows_per_s),
    rows_per_s: w2.rows_per_s,
  };
}

/** POST a file's JSON from a child process; resolves when its answer (a 200) has arrived. */
function postFromChild(url, path) {
  const script = `const r = await fetch(${JSON.stringify(url)}, { method: "POST", body: (await import("node:fs")).readFileSync(${JSON.stringify(path)}), headers: { "content-type": "application/json" } }); await r.text(); process.exit(r.status === 200 ? 0 : 1);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "inherit" });
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`the batch request failed (${code})`))));
  });
}

/**
 * `n` rows of `words`-word answers and samples sharing most of their words: METEOR's alignment
 * has work to do (about a millisecond a row), so the batch lasts long enough to measure under.
 */
function meteorRows(n, words) {
  const vocabulary = "the a of to and in is was for on that with as by at from it this be are an or which his her their model answer city river number report data".split(" ");
  let seed = 16;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  return Array.from({ length: n }, (_, id) => {
    const answer = Array.from({ length: words }, () => vocabulary[Math.floor(rand() * vocabulary.length)]);
    const sample = answer.map((w) => (rand() < 0.3 ? vocabulary[Math.floor(rand() * vocabulary.length)] : w));
    return JSON.stringify({ id, item: { answer: answer.join(" ") }, model_sample: sample.join(" ") });
  });
}

/** Single-row requests one after another for `ms` (or until `until` settles): their latencies. */
async function singles(base, body, { ms = Infinity, until } = {}) {
  const out = [];
  let done = false;
  until?.then(() => (done = true), () => (done = true));
  const t0 = performance.now();
  while (!done && performance.now() - t0 < ms) {
    const s = performance.now();
    await post(`${base}/v1/rewards`, body);
    out.push(performance.now() - s);
  }
  return out;
}

export async function latency({ rounds = 3, workers = 2 } = {}) {
  const dir = join(tmpdir(), "graderkit-bench");
  mkdirSync(dir, { recursive: true });
  const exactPath = join(dir, "rewards-exact.json");
  const meteorPath = join(dir, "rewards-meteor.json");
  writeFileSync(exactPath, JSON.stringify(GRADERS.string_check));
  writeFileSync(meteorPath, JSON.stringify(METEOR));
  const lines = meteorRows(5_000, 120);
  // Sent by another process, as another trainer would: sending 7 MB from this one would stall
  // its own single-row requests, and the client's stall is not the server's latency.
  const heavyPath = join(dir, "rewards-meteor-5000.json");
  writeFileSync(heavyPath, `{"grader":"meteor","rows":[${lines.join(",")}]}`);
  const single = JSON.stringify({ grader: "exact", rows: [{ model_sample: "144", item: { answer: "144" } }] });
  const server = await startServer(["--workers", String(workers), "--grader", `exact=${exactPath}`, "--grader", `meteor=${meteorPath}`]);
  const alone = [];
  const loaded = [];
  const batches = [];
  try {
    // Warm-up: WordNet in every worker, the JIT.
    await Promise.all(Array.from({ length: 2 * workers }, () => post(`${server.base}/v1/rewards`, `{"grader":"meteor","rows":[${lines.slice(0, 64).join(",")}]}`)));
    await singles(server.base, single, { ms: 500 });
    for (let r = 0; r < rounds; r++) {
      alone.push(...(await singles(server.base, single, { ms: 2_000 })));
      const t0 = performance.now();
      const batch = postFromChild(`${server.base}/v1/rewards`, heavyPath).then(() => batches.push((performance.now() - t0) / 1000));
      loaded.push(...(await singles(server.base, single, { until: batch })));
      await batch;
    }
  } finally {
    await server.stop();
  }
  const stats = (xs) => ({ requests: xs.length, p50_ms: round(percentile(xs, 50)), p99_ms: round(percentile(xs, 99)), max_ms: round(Math.max(...xs)) });
  return { name: `serve_single_latency_meteor5000_w${workers}`, workers, alone: stats(alone), with_meteor_batch: stats(loaded), meteor_batch_s: round(median(batches)) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (flag, fallback) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const rounds = arg("--rounds", 3);
  const results = [await throughput({ metric: "rouge_l", rows: arg("--rows", 100_000), rounds })];
  // METEOR costs a worker several times what rouge_l does: the grading, not the HTTP around it, dominates.
  results.push(await throughput({ metric: "meteor", rows: Math.round(arg("--rows", 100_000) / 5), rounds }));
  for (const workers of [1, 2]) results.push(await latency({ rounds, workers }));
  results.push({ name: "serve_socket_retries", count: socketRetries.count });
  console.log(JSON.stringify(results, null, 2));
}
