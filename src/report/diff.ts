// `graderkit diff`: two runs over the same samples (grader v1 and v2, say), row by row. Rows
// are joined by id when both runs have a unique id on every row, else by input line. The
// numbers: the means and their difference with a paired percentile-bootstrap interval, the
// rank correlations of the two rewards (scipy's), how many rows cross the pass threshold either
// way, and the rows that moved most. The page is html/diff-page.ts.

import type { LineSource } from "../util/read-lines.js";
import { bootstrapMeanCi, DEFAULT_RESAMPLES } from "./stats/bootstrap.js";
import { kendallTauB, spearman } from "./stats/correlation.js";
import { mean } from "./stats/sum.js";
import { joinOnKeys, type Joined } from "./join.js";
import { idKey, idsUsable, readRunColumns, type RunColumns } from "./run-columns.js";
import { runFileWarnings } from "./run-rows.js";
import { DEFAULT_PASS_THRESHOLD } from "../core/pass-threshold.js";


/** Rows listed in `largest`. */
export const LARGEST = 20;

export interface DiffOptions {
  a: LineSource;
  aName: string;
  b: LineSource;
  bName: string;
  /** A row passes when its reward >= threshold (default 0.5). */
  threshold?: number;
  /** Bootstrap resamples (default 10,000; 0: no interval) and seed (default 0). */
  resamples?: number;
  seed?: number;
  /** Called with the matched rows just before the bootstrap starts (it is the slow part). */
  onBootstrap?: (rows: number) => void;
}

export interface RowRef {
  line: number;
  id?: unknown;
}

export interface LargestChange {
  line: number;
  id: unknown;
  a: number;
  b: number;
  delta: number;
}

/** `graderkit diff --json`, key for key. */
export interface DiffResult {
  rows: number;
  unmatched: { a_only: RowRef[]; b_only: RowRef[] };
  mean_a: number | null;
  mean_b: number | null;
  mean_delta: number | null;
  mean_delta_ci95: [number, number] | null;
  spearman: number | null;
  kendall_tau_b: number | null;
  threshold: number;
  flips: { pass_to_fail: number; fail_to_pass: number };
  largest: LargestChange[];
}

/** The diff, and what its page and text output show besides. */
export interface DiffModel {
  result: DiffResult;
  joinedBy: "id" | "line";
  /** Why rows were joined by line when ids exist. */
  joinNote: string | null;
  a: RunColumns;
  b: RunColumns;
  /** The matched pairs: indexes into a and b, by a's line. */
  pairs: Joined;
  /** Per pair: b - a. */
  deltas: Float64Array;
  /** Matched rows that pass in a, in b. */
  passing: { a: number; b: number };
  resamples: number;
  seed: number;
  warnings: string[];
}

function ref(columns: RunColumns, i: number): RowRef {
  const id = columns.ids[i];
  return id === undefined ? { line: columns.lines[i]! } : { line: columns.lines[i]!, id };
}

/** Join by id when both runs allow it, else by line. */
function joinRuns(a: RunColumns, b: RunColumns): { joined: Joined; by: "id" | "line"; note: string | null } {
  const order = (i: number) => a.lines[i]!;
  const anyIds = a.withId > 0 || b.withId > 0;
  const usableA = idsUsable(a);
  const usableB = idsUsable(b);
  if (usableA === true && usableB === true && a.length > 0 && b.length > 0) {
    return { joined: joinOnKeys(a.ids.map(idKey), b.ids.map(idKey), order), by: "id", note: null };
  }
  const why = [usableA, usableB].filter((u): u is string => u !== true && anyIds);
  return { joined: joinOnKeys(Array.from(a.lines), Array.from(b.lines), order), by: "line", note: why.length ? `joined by line, not id: ${why.join("; ")}` : null };
}

/** The LARGEST pairs with the largest |delta| (delta 0 is not a change), ties by line. */
function largestChanges(model: Pick<DiffModel, "a" | "b" | "pairs" | "deltas">): LargestChange[] {
  const { a, b, pairs, deltas } = model;
  const changed: number[] = [];
  for (let k = 0; k < deltas.length; k++) if (deltas[k] !== 0) changed.push(k);
  changed.sort((p, q) => Math.abs(deltas[q]!) - Math.abs(deltas[p]!) || a.lines[pairs.left[p]!]! - a.lines[pairs.left[q]!]!);
  return changed.slice(0, LARGEST).map((k) => {
    const i = pairs.left[k]!;
    return { line: a.lines[i]!, id: a.ids[i] ?? null, a: a.rewards[i]!, b: b.rewards[pairs.right[k]!]!, delta: deltas[k]! };
  });
}

export async function diffRuns(options: DiffOptions): Promise<DiffModel> {
  const threshold = options.threshold ?? DEFAULT_PASS_THRESHOLD;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? 0;
  const a = await readRunColumns(options.a, options.aName);
  const b = await readRunColumns(options.b, options.bName);
  const { joined: pairs, by, note } = joinRuns(a, b);
  const n = pairs.left.length;
  const ra = Float64Array.from(pairs.left, (i) => a.rewards[i]!);
  const rb = Float64Array.from(pairs.right, (j) => b.rewards[j]!);
  const deltas = new Float64Array(n);
  let passToFail = 0;
  let failToPass = 0;
  const passing = { a: 0, b: 0 };
  for (let k = 0; k < n; k++) {
    deltas[k] = rb[k]! - ra[k]!;
    const passA = ra[k]! >= threshold;
    const passB = rb[k]! >= threshold;
    if (passA) passing.a++;
    if (passB) passing.b++;
    if (passA && !passB) passToFail++;
    else if (!passA && passB) failToPass++;
  }
  if (resamples > 0 && n > 0) options.onBootstrap?.(n);
  const meanA = mean(ra);
  const meanB = mean(rb);
  const byLine = (cols: RunColumns) => (p: number, q: number) => cols.lines[p]! - cols.lines[q]!;
  const result: DiffResult = {
    rows: n,
    unmatched: { a_only: [...pairs.leftOnly].sort(byLine(a)).map((i) => ref(a, i)), b_only: [...pairs.rightOnly].sort(byLine(b)).map((j) => ref(b, j)) },
    mean_a: meanA,
    mean_b: meanB,
    mean_delta: meanA === null || meanB === null ? null : meanB - meanA,
    mean_delta_ci95: bootstrapMeanCi(deltas, { resamples, seed }),
    spearman: spearman(ra, rb),
    kendall_tau_b: kendallTauB(ra, rb),
    threshold,
    flips: { pass_to_fail: passToFail, fail_to_pass: failToPass },
    largest: largestChanges({ a, b, pairs, deltas }),
  };
  const warnings = [...runFileWarnings(a.info), ...runFileWarnings(b.info)];
  if (note) warnings.push(note);
  if (n > 1 && result.spearman === null) warnings.push("spearman and kendall_tau_b are not defined: one run's rewards are constant over the matched rows");
  return { result, joinedBy: by, joinNote: note, a, b, pairs, deltas, passing, resamples, seed, warnings };
}

const signed = (x: number | null, digits = 4) => (x === null ? "-" : `${x > 0 ? "+" : ""}${x.toFixed(digits)}`);
const plain = (x: number | null, digits = 4) => (x === null ? "-" : x.toFixed(digits));
const percent = (n: number, of: number) => (of === 0 ? "-" : `${((100 * n) / of).toFixed(1)}%`);

function refText(r: RowRef): string {
  return r.id === undefined ? `line ${r.line}` : `line ${r.line} (id ${JSON.stringify(r.id)})`;
}

/** Refs as one line of text, the first `limit` of them. */
function refsText(refs: readonly RowRef[], limit = 10): string {
  const shown = refs.slice(0, limit).map(refText).join(", ");
  return refs.length > limit ? `${shown}, … (${refs.length} in all)` : shown;
}

/** The diff as a summary for people (what `graderkit diff` prints without --json). */
export function formatDiffText(model: DiffModel): string {
  const r = model.result;
  const lines = [
    `A: ${model.a.info.name} (${model.a.length} rows)`,
    `B: ${model.b.info.name} (${model.b.length} rows)`,
    `matched: ${r.rows} rows by ${model.joinedBy}; ${r.unmatched.a_only.length} only in A, ${r.unmatched.b_only.length} only in B`,
    `mean: A ${plain(r.mean_a)}  B ${plain(r.mean_b)}  B - A ${signed(r.mean_delta)}` +
      (r.mean_delta_ci95 ? `  95% CI [${signed(r.mean_delta_ci95[0])}, ${signed(r.mean_delta_ci95[1])}] (paired bootstrap, ${model.resamples} resamples, seed ${model.seed})` : ""),
    `rank correlation: spearman ${plain(r.spearman)}  kendall tau-b ${plain(r.kendall_tau_b)}`,
    `pass (reward >= ${r.threshold}): A ${percent(model.passing.a, r.rows)}  B ${percent(model.passing.b, r.rows)}; ${r.flips.pass_to_fail} pass -> fail, ${r.flips.fail_to_pass} fail -> pass`,
  ];
  if (r.largest.length > 0) {
    const ids = r.largest.map((c) => (c.id === null ? "" : typeof c.id === "string" ? c.id : JSON.stringify(c.id)));
    const idWidth = Math.min(24, Math.max(2, ...ids.map((s) => s.length)));
    lines.push(`largest changes (${r.largest.length}):`, `  ${"line".padStart(7)}  ${"id".padEnd(idWidth)}  ${"A".padStart(7)}  ${"B".padStart(7)}  ${"B - A".padStart(8)}`);
    r.largest.forEach((c, k) => {
      const id = ids[k]!.length > idWidth ? `${ids[k]!.slice(0, idWidth - 1)}…` : ids[k]!;
      lines.push(`  ${String(c.line).padStart(7)}  ${id.padEnd(idWidth)}  ${plain(c.a).padStart(7)}  ${plain(c.b).padStart(7)}  ${signed(c.delta).padStart(8)}`);
    });
  } else if (r.rows > 0) lines.push("no row changed");
  if (r.unmatched.a_only.length) lines.push(`only in A: ${refsText(r.unmatched.a_only)}`);
  if (r.unmatched.b_only.length) lines.push(`only in B: ${refsText(r.unmatched.b_only)}`);
  return lines.join("\n") + "\n";
}
