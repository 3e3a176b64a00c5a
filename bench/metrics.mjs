// Bench: text_similarity metrics, pairs/s on one thread, tokenization included (each pair's
// texts are new to the metric's per-row token memo, as in a real run). Four sets: 2,000 pairs of
// ~30 words, short (~20 characters) and long (~2,000 characters) texts, and `open`: the 2,000
// sentence pairs with every word given a fresh random suffix per pair and per pass, so no
// tokenizer, stemmer or WordNet memo ever hits (an open vocabulary: names, numbers, typos, code).
// `nltk_tokenize` is the tokenizer alone, both texts of a pair.
//
//   node bench/metrics.mjs [--metrics bleu,rouge_l] [--sets open,sentences] [--seconds 1] [--dist DIR]
//
// --dist measures another build (e.g. a checkout of an older version: --dist ../old/dist).

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const METRICS = ["nltk_tokenize", "fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5", "rouge_l"];

/** Targets on the 2-core machine, Node 20, per set (issues: text_similarity with the service's numbers; 11: open vocabulary). */
export const TARGETS = {
  sentences: { fuzzy_match: 400_000, bleu: 60_000, gleu: 60_000, meteor: 30_000, rouge_1: 300_000, rouge_l: 100_000 },
  // 10× nltk 3.9.1 on the same pairs, single core, tokenization included (nltk_tokenize ≈ 7,700,
  // sentence_bleu ≈ 11,600, meteor_score ≈ 5,400 pairs/s).
  open: { nltk_tokenize: 80_000, bleu: 46_000, gleu: 60_000, meteor: 30_000 },
};

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

/**
 * The pairs with every word of a pair renamed: the word's first run of letters or digits gets a
 * random suffix of 3–6 lower-case letters, the same for the same run on both sides of the pair (so
 * the pair still shares words), drawn afresh for every pair. The word's punctuation (commas,
 * quotes, periods, clitics after the run) stays where it was.
 */
export function openVocabulary(pairs, seed) {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return pairs.map((pair) => {
    const renamed = new Map();
    const rename = (run) => {
      let out = renamed.get(run);
      if (out === undefined) {
        out = run;
        for (let k = 3 + Math.floor(rand() * 4); k > 0; k--) out += letters[Math.floor(rand() * 26)];
        renamed.set(run, out);
      }
      return out;
    };
    return pair.map((text) => text.split(" ").map((word) => word.replace(/[\p{L}\p{N}]+/u, rename)).join(" "));
  });
}

export const SETS = {
  sentences: { count: 2000, chars: 190 }, // ~30 words
  short: { count: 2000, chars: 20 },
  long: { count: 200, chars: 2000 },
  open: { count: 2000, chars: 190, open: true }, // the sentence pairs, open vocabulary
};

/** The pairs of a set (before renaming, for the open vocabulary). */
export function pairsOf(set, vocab = vocabulary()) {
  const spec = SETS[set];
  return makePairs(vocab, spec.count, spec.chars, 42 + spec.chars);
}

/** Scores of one pair: the metric, or for nltk_tokenize the tokenizer on both texts. */
function scorer(lib, metric) {
  if (metric === "nltk_tokenize") return (a, b) => lib.nltkTokenize(a).length + lib.nltkTokenize(b).length;
  return (a, b) => lib.textSimilarity(metric, a, b).score;
}

/**
 * pairs/s of whole passes until `seconds` are up. `passes(k)` gives the pairs of pass k (a fresh
 * set per pass for the open vocabulary: making it is not timed); the first pass over 200 pairs
 * is a warm-up (JIT, lazy tables such as WordNet).
 */
function measure(score, passes, seconds) {
  for (const [a, b] of passes(-1).slice(0, 200)) score(a, b);
  let n = 0;
  let sink = 0;
  let elapsed = 0;
  let cpuMicros = 0;
  for (let k = 0; elapsed < seconds * 1000; k++) {
    const pairs = passes(k);
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (const [a, b] of pairs) sink += score(a, b);
    const used = process.cpuUsage(cpu);
    elapsed += performance.now() - start;
    cpuMicros += used.user + used.system;
    n += pairs.length;
  }
  if (Number.isNaN(sink)) throw new Error("a metric returned NaN");
  // CPU time too: on a shared machine wall time also counts the time other processes had the core.
  return { pairs_per_s: Math.round((n * 1000) / elapsed), cpu_pairs_per_s: Math.round((n * 1e6) / cpuMicros) };
}

export async function run({ metrics = METRICS, sets = Object.keys(SETS), seconds = 1, dist = new URL("../dist/", import.meta.url) } = {}) {
  const distUrl = dist instanceof URL ? dist : pathToFileURL(dist.endsWith("/") ? dist : `${dist}/`);
  const lib = {
    ...(await import(new URL("metrics/text-similarity.js", distUrl).href)),
    ...(await import(new URL("metrics/tokenize/index.js", distUrl).href)),
  };
  const vocab = vocabulary();
  const results = [];
  for (const set of sets) {
    const spec = SETS[set];
    const pairs = pairsOf(set, vocab);
    for (const metric of metrics) {
      // Open vocabulary: pass k of a metric is renamed with its own seed (the same in every build;
      // never one another metric's pass used, whose words the memos would have seen).
      const m = METRICS.indexOf(metric) + 1;
      const passes = spec.open ? (k) => openVocabulary(pairs, 7919 * (k + 2) + 104_729 * m) : () => pairs;
      const { pairs_per_s, cpu_pairs_per_s } = measure(scorer(lib, metric), passes, seconds);
      const target = TARGETS[set]?.[metric] ?? null;
      results.push({ name: `metric_${metric}_${set}`, metric, set, pairs_per_s, cpu_pairs_per_s, target, meets_target: target === null ? null : pairs_per_s >= target });
      console.error(`  ${metric.padEnd(13)} ${set.padEnd(9)} ${pairs_per_s.toLocaleString("en-US").padStart(10)} pairs/s (${cpu_pairs_per_s.toLocaleString("en-US")} per CPU second)${target ? `  (target ${target.toLocaleString("en-US")}: ${pairs_per_s >= target ? "met" : "MISSED"})` : ""}`);
    }
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const results = await run({
    metrics: arg("--metrics")?.split(",") ?? METRICS,
    sets: arg("--sets")?.split(",") ?? Object.keys(SETS),
    seconds: Number(arg("--seconds") ?? 1),
    ...(arg("--dist") ? { dist: arg("--dist") } : {}),
  });
  console.log(JSON.stringify(results, null, 2));
}
