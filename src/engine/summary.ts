// Run summary: counts, reward statistics and error counts, in constant memory. Percentiles come
// from a fixed-size reservoir sample, exact up to RESERVOIR rows and approximate beyond.

import type { ErrorFlag } from "../core/response.js";
import type { PoolKind } from "./defaults.js";
import { mergeFirstErrors, type FirstErrors } from "./first-errors.js";

export const RESERVOIR = 65_536;

export interface RunSummary {
  rows: number;
  /** Rows graded in this invocation (fewer than rows after --resume). */
  graded_now: number;
  resumed_rows: number;
  reward: { mean: number | null; min: number | null; max: number | null; p50: number | null; p90: number | null; p99: number | null };
  percentiles_exact: boolean;
  pass_threshold: number | null;
  pass_rate: number | null;
  error_rows: number;
  errors: Partial<Record<ErrorFlag, number>>;
  /** Per flag, the first row that raised it and its message. */
  first_errors: FirstErrors;
  rows_per_s: number;
  wall_time_s: number;
  workers: number;
  /** What the workers were: "threads" or "processes" (null: the main thread only). */
  pool: PoolKind | null;
  /** Peak resident set size of the process so far, plus each worker process's peak when there was a pool, in MB. */
  peak_rss_mb: number;
  cache?: { hits: number; misses: number };
}

export class SummaryBuilder {
  private rows = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private passed = 0;
  private errorRows = 0;
  private errors: Partial<Record<ErrorFlag, number>> = {};
  private firstErrors: FirstErrors = {};
  private sample = new Float64Array(RESERVOIR);
  private seen = 0;
  // A small deterministic PRNG (mulberry32) so summaries are reproducible.
  private seed = 0x9e3779b9;

  constructor(readonly passThreshold: number | null) {}

  private random(): number {
    let t = (this.seed = (this.seed + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  addReward(reward: number): void {
    this.rows++;
    this.sum += reward;
    if (reward < this.min) this.min = reward;
    if (reward > this.max) this.max = reward;
    if (this.passThreshold !== null && reward >= this.passThreshold) this.passed++;
    if (this.seen < RESERVOIR) this.sample[this.seen] = reward;
    else {
      const j = Math.floor(this.random() * (this.seen + 1));
      if (j < RESERVOIR) this.sample[j] = reward;
    }
    this.seen++;
  }

  /** Flag counts of rows in input order; `firstErrors` of earlier calls win. */
  addFlags(flags: Partial<Record<ErrorFlag, number>>, errorRows: number, firstErrors?: FirstErrors): void {
    this.errorRows += errorRows;
    mergeFirstErrors(this.firstErrors, firstErrors);
    for (const [flag, n] of Object.entries(flags) as Array<[ErrorFlag, number]>) this.errors[flag] = (this.errors[flag] ?? 0) + n;
  }

  /** poolPeakRssKb: the pool processes' peaks added up (0 without a pool). */
  build(extra: { gradedNow: number; resumedRows: number; wallTimeS: number; workers: number; pool?: PoolKind | null; poolPeakRssKb?: number; cache?: { hits: number; misses: number } }): RunSummary {
    const n = Math.min(this.seen, RESERVOIR);
    const sorted = this.sample.slice(0, n).sort();
    const pct = (p: number) => (n === 0 ? null : sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]);
    const summary: RunSummary = {
      rows: this.rows,
      graded_now: extra.gradedNow,
      resumed_rows: extra.resumedRows,
      reward: {
        mean: this.rows ? this.sum / this.rows : null,
        min: this.rows ? this.min : null,
        max: this.rows ? this.max : null,
        p50: pct(50),
        p90: pct(90),
        p99: pct(99),
      },
      percentiles_exact: this.seen <= RESERVOIR,
      pass_threshold: this.passThreshold,
      pass_rate: this.passThreshold !== null && this.rows ? this.passed / this.rows : null,
      error_rows: this.errorRows,
      errors: this.errors,
      first_errors: this.firstErrors,
      rows_per_s: extra.wallTimeS > 0 ? extra.gradedNow / extra.wallTimeS : 0,
      wall_time_s: extra.wallTimeS,
      workers: extra.workers,
      pool: extra.pool ?? null,
      peak_rss_mb: Math.round((process.resourceUsage().maxRSS + (extra.poolPeakRssKb ?? 0)) / 1024),
    };
    if (extra.cache) summary.cache = extra.cache;
    return summary;
  }
}

const fmt = (x: number | null, digits = 4) => (x === null ? "-" : Number.isInteger(x) ? String(x) : x.toFixed(digits));

const MESSAGE_WIDTH = 160;

/** A message on one line of a terminal: its first line, cut to MESSAGE_WIDTH characters. */
export function oneLine(message: string, width = MESSAGE_WIDTH): string {
  const first = message.trim().split("\n", 1)[0]!.trimEnd();
  const more = first.length < message.trim().length;
  if (first.length > width) return `${first.slice(0, width - 1)}…`;
  return more ? `${first} …` : first;
}

/** The errors part of the summary: one line per flag with its count and its first message. */
function formatErrorCounts(s: RunSummary): string[] {
  const flags = Object.entries(s.errors) as Array<[ErrorFlag, number]>;
  if (flags.length === 0) return ["errors: none"];
  const width = Math.max(...flags.map(([f, n]) => `${f} ${n}`.length));
  const lines = [`errors: ${s.error_rows} ${s.error_rows === 1 ? "row" : "rows"} with a flag`];
  for (const [flag, n] of flags) {
    const first = s.first_errors?.[flag];
    const label = `${flag} ${n}`;
    lines.push(first ? `  ${label.padEnd(width)}  first at line ${first.line}: ${oneLine(first.message)}` : `  ${label}`);
  }
  return lines;
}

/** The human summary printed to stderr. */
export function formatSummary(s: RunSummary): string {
  const lines = [
    `rows: ${s.rows}${s.resumed_rows ? ` (${s.resumed_rows} from a previous run, ${s.graded_now} graded now)` : ""}`,
    `reward: mean ${fmt(s.reward.mean)}  min ${fmt(s.reward.min)}  max ${fmt(s.reward.max)}  p50 ${fmt(s.reward.p50)}  p90 ${fmt(s.reward.p90)}`,
  ];
  if (s.pass_rate !== null) lines.push(`passed: ${(s.pass_rate * 100).toFixed(1)}% (reward >= ${s.pass_threshold})`);
  lines.push(...formatErrorCounts(s));
  if (s.cache) lines.push(`cache: ${s.cache.hits} hits, ${s.cache.misses} misses`);
  lines.push(`time: ${s.wall_time_s.toFixed(2)} s, ${Math.round(s.rows_per_s)} rows/s, ${s.workers === 0 ? "main thread" : `${s.workers} worker ${s.pool ?? "threads"}`}`);
  return lines.join("\n") + "\n";
}
