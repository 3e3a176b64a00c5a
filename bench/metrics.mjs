// Bench: text_similarity metrics, pairs/s on one thread, tokenization included (each pair's
// texts are new to the metric's token memo, as in a real run). Three sets: 2,000 pairs of ~30
// words, short (~20 characters) and long (~2,000 characters) texts.
//
//   node bench/metrics.mjs [--metrics bleu,rouge_l] [--seconds 1]

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { textSimilarity } from "../dist/metrics/text-similarity.js";

export const METRICS = ["fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5", "rouge_l"];

/** Targets on the 2-core machine, Node 20 (issue: text_similarity with the service's numbers). */
export const TARGETS = { fuzzy_match: 400_000, bleu: 60_000, gleu: 60_000, meteor: 30_000, rouge_1: 300_000, rouge_l: 100_000 };

export function vocabulary() {
  // Real words and punctuation from the conformance texts, so tokenizers see realistic input.
  const text = readFileSync(new URL("../test/fixtures/text_similarity.jsonl", import.meta.url), "utf8");
  const words = new Set();
  for (const line of text.split("\n")) {
    if (!line) continue;
    const row = JSON.parse(line);
    for (const w of `${row.input} ${row.reference}`.split(/\s+/)) if (w && /^[\x20-\x7e]+$/.test(w)) words.add(w);
  }
  return [...words].sort();
}

export function makePairs(vocab, count, chars, seed) {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const pick = () => vocab[Math.floor(rand() * vocab.length)];
  // Prose-like text: sentences of 6–16 words, capitalized, ending in ". ", "? " or "! ", with
  // the fixture's words (their own commas, quotes, numbers and contractions kept).
  const text = () => {
    let t = "";
    let left = 0;
    while (t.length < chars) {
      if (left === 0) left = 6 + Math.floor(rand() * 11);
      let w = pick().replace(/[.!?]+$/, "");
      if (!w) continue;
      const starts = t === "" || /[.!?]$/.test(t);
      if (starts) w = w[0].toUpperCase() + w.slice(1);
      left--;
      if (left === 0) w += rand() < 0.8 ? "." : rand() < 0.5 ? "?" : "!";
      t += (t ? " " : "") + w;
    }
    return t;
  };
  const pairs = [];
  for (let i = 0; i < count; i++) {
    const reference = text();
    // Candidates share part of the reference, as model outputs do.
    const words = reference.split(" ");
    const candidate = words.map((w) => (rand() < 0.35 ? pick() : w)).join(" ");
    pairs.push([candidate, reference]);
  }
  return pairs;
}

export const SETS = {
  sentences: { count: 2000, chars: 190 }, // ~30 words
  short: { count: 2000, chars: 20 },
  long: { count: 200, chars: 2000 },
};

function measure(metric, pairs, seconds) {
  // Warm-up (JIT, lazy tables such as WordNet), then whole passes until the time is up.
  for (const [a, b] of pairs.slice(0, 200)) textSimilarity(metric, a, b);
  let n = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < seconds * 1000) {
    for (const [a, b] of pairs) sink += textSimilarity(metric, a, b).score;
    n += pairs.length;
    now = performance.now();
  }
  if (Number.isNaN(sink)) throw new Error("a metric returned NaN");
  return Math.round((n * 1000) / (now - start));
}

export async function run({ metrics = METRICS, seconds = 1 } = {}) {
  const vocab = vocabulary();
  const results = [];
  for (const [set, spec] of Object.entries(SETS)) {
    const pairs = makePairs(vocab, spec.count, spec.chars, 42 + spec.chars);
    for (const metric of metrics) {
      const pairs_per_s = measure(metric, pairs, seconds);
      const target = set === "sentences" ? TARGETS[metric] ?? null : null;
      results.push({ name: `metric_${metric}_${set}`, metric, set, pairs_per_s, target, meets_target: target === null ? null : pairs_per_s >= target });
      console.error(`  ${metric.padEnd(12)} ${set.padEnd(9)} ${pairs_per_s.toLocaleString("en-US").padStart(10)} pairs/s${target ? `  (target ${target.toLocaleString("en-US")}: ${pairs_per_s >= target ? "met" : "MISSED"})` : ""}`);
    }
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const i = process.argv.indexOf("--metrics");
  const j = process.argv.indexOf("--seconds");
  const results = await run({ metrics: i > 0 ? process.argv[i + 1].split(",") : METRICS, seconds: j > 0 ? Number(process.argv[j + 1]) : 1 });
  console.log(JSON.stringify(results, null, 2));
}
