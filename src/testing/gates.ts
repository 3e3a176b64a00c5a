// CI gates on a run's summary: pure functions from a RunSummary to verdicts that say which gate
// failed and by how much. `graderkit run --fail-under / --min-pass-rate / --max-error-rate`
// exits 1 when one fails.

import type { RunSummary } from "../engine/summary.js";

export interface RunGates {
  /** The mean reward must be at least this. */
  failUnder?: number;
  /** The share of rows with reward ≥ the pass threshold must be at least this (0..1). */
  minPassRate?: number;
  /** The share of rows that raised any flag must be at most this (0..1). */
  maxErrorRate?: number;
}

export type GateName = "fail_under" | "min_pass_rate" | "max_error_rate";

export interface GateResult {
  gate: GateName;
  /** The command-line flag that sets it. */
  flag: string;
  threshold: number;
  /** The measured value; null when there was nothing to measure (no rows, no pass threshold). */
  actual: number | null;
  passed: boolean;
  /** How far the value is on the wrong side of the threshold; 0 when the gate passed. */
  shortfall: number;
  /** The verdict in words, e.g. "mean reward 0.61 is below 0.7 by 0.09". */
  message: string;
}

/**
 * A value this close to its threshold meets it: a mean of rewards that are all 0.7 may come out
 * as 0.6999999999999998 in floating point.
 */
export const GATE_TOLERANCE = 1e-9;

export const GATE_FLAGS: Record<GateName, string> = {
  fail_under: "--fail-under",
  min_pass_rate: "--min-pass-rate",
  max_error_rate: "--max-error-rate",
};

/** Six significant digits: enough to show a small shortfall, short enough to read. */
export function formatMeasure(x: number): string {
  return String(Number(x.toPrecision(6)));
}

const percent = (rate: number) => `${formatMeasure(rate * 100)}%`;
const points = (rate: number) => `${formatMeasure(rate * 100)} percentage points`;

function verdict(gate: GateName, threshold: number, actual: number | null, atLeast: boolean, describe: (actual: number, shortfall: number, passed: boolean) => string, missing: string): GateResult {
  const flag = GATE_FLAGS[gate];
  if (actual === null) return { gate, flag, threshold, actual, passed: false, shortfall: 0, message: missing };
  const passed = atLeast ? actual >= threshold - GATE_TOLERANCE : actual <= threshold + GATE_TOLERANCE;
  const shortfall = passed ? 0 : Math.abs(actual - threshold);
  return { gate, flag, threshold, actual, passed, shortfall, message: describe(actual, shortfall, passed) };
}

/** Each gate that is set, checked against the summary, in the order fail_under, min_pass_rate, max_error_rate. */
export function evaluateGates(summary: RunSummary, gates: RunGates): GateResult[] {
  const out: GateResult[] = [];
  const noRows = "no rows were graded";
  if (gates.failUnder !== undefined) {
    const t = gates.failUnder;
    out.push(
      verdict("fail_under", t, summary.rows ? summary.reward.mean : null, true, (mean, by, ok) =>
        ok ? `mean reward ${formatMeasure(mean)} ≥ ${formatMeasure(t)}` : `mean reward ${formatMeasure(mean)} is below ${formatMeasure(t)} by ${formatMeasure(by)}`, noRows),
    );
  }
  if (gates.minPassRate !== undefined) {
    const t = gates.minPassRate;
    const passedRows = summary.pass_rate !== null ? Math.round(summary.pass_rate * summary.rows) : 0;
    const what = `(${passedRows} of ${summary.rows} rows with reward ≥ ${summary.pass_threshold === null ? "?" : formatMeasure(summary.pass_threshold)})`;
    const missing = summary.rows === 0 ? noRows : "no pass threshold: the grader has no pass_threshold; give --pass-threshold";
    out.push(
      verdict("min_pass_rate", t, summary.rows ? summary.pass_rate : null, true, (rate, by, ok) =>
        ok ? `pass rate ${percent(rate)} ${what} ≥ ${percent(t)}` : `pass rate ${percent(rate)} ${what} is below ${percent(t)} by ${points(by)}`, missing),
    );
  }
  if (gates.maxErrorRate !== undefined) {
    const t = gates.maxErrorRate;
    const rate = summary.rows ? summary.error_rows / summary.rows : null;
    const what = `(${summary.error_rows} of ${summary.rows} rows raised a flag)`;
    out.push(
      verdict("max_error_rate", t, rate, false, (r, by, ok) =>
        ok ? `error rate ${percent(r)} ${what} ≤ ${percent(t)}` : `error rate ${percent(r)} ${what} is above ${percent(t)} by ${points(by)}`, noRows),
    );
  }
  return out;
}

/** The gates part of the stderr summary: one line per gate, failed ones marked. */
export function formatGatesText(results: readonly GateResult[], onlyFailed = false): string {
  const shown = onlyFailed ? results.filter((g) => !g.passed) : results;
  if (shown.length === 0) return "";
  const lines = shown.map((g) => `  ${g.passed ? "✓" : "✗"} ${g.flag} ${formatMeasure(g.threshold)}: ${g.passed ? "" : "FAILED: "}${g.message}`);
  const failed = results.filter((g) => !g.passed).length;
  const head = failed ? `gates: ${failed} of ${results.length} failed` : `gates: all ${results.length} passed`;
  return [head, ...lines].join("\n") + "\n";
}
