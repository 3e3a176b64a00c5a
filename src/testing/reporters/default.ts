// The human report of `graderkit test`: a heading per suite, one line per case (✓/✗, name, the
// reward it got), the details of each failure, and totals as vitest prints them.

import { caseLocation, formatCaseDetails, formatNumber, printable } from "../describe-result.js";
import type { CaseCounts, CaseResult, SuiteResult } from "../types.js";

export interface TextReportOptions {
  /** ANSI colours (a terminal that wants them). */
  color?: boolean;
}

const ANSI = { green: 32, red: 31, dim: 2, bold: 1, yellow: 33 } as const;

function painter(enabled: boolean) {
  return (style: keyof typeof ANSI, text: string) => (enabled ? `\x1b[${ANSI[style]}m${text}\x1b[0m` : text);
}

const NAME_WIDTH_LIMIT = 60;

function caseLine(r: CaseResult, nameWidth: number, paint: ReturnType<typeof painter>): string {
  const mark = r.status === "passed" ? paint("green", "✓") : paint("red", "✗");
  const reward = r.response ? `reward ${formatNumber(r.response.reward)}` : "";
  return `  ${mark} ${printable(r.name).padEnd(nameWidth)}  ${reward}`.trimEnd();
}

/** One suite: its heading, a line per case that ran, and each failure's details. */
export function formatSuiteText(result: SuiteResult, options: TextReportOptions = {}): string {
  const paint = painter(options.color ?? false);
  const { suite } = result;
  const ran = result.cases.filter((c) => c.status !== "skipped");
  const title = suite.name === suite.file ? suite.file : `${suite.name} (${suite.file})`;
  const grader = `grader ${suite.grader.name}: ${suite.grader.type}${suite.graderFile ? ` from ${suite.graderFile}` : ""}`;
  const heading = `${paint("bold", title)}  ${paint("dim", grader)}`;
  const nameWidth = Math.min(NAME_WIDTH_LIMIT, Math.max(0, ...ran.map((c) => printable(c.name).length)));
  const lines = [heading];
  for (const r of ran) {
    lines.push(caseLine(r, nameWidth, paint));
    if (r.status === "failed") {
      lines.push(formatCaseDetails(r, "      "));
      lines.push(paint("dim", `        at ${caseLocation(r)}`));
    }
  }
  const skipped = result.counts.skipped;
  if (skipped) lines.push(paint("dim", `  (${skipped} ${skipped === 1 ? "case" : "cases"} skipped by --filter)`));
  return lines.join("\n") + "\n";
}

function countsText(counts: { failed: number; passed: number; skipped?: number; total: number }, paint: ReturnType<typeof painter>): string {
  const parts: string[] = [];
  if (counts.failed) parts.push(paint("red", `${counts.failed} failed`));
  if (counts.passed) parts.push(paint("green", `${counts.passed} passed`));
  if (counts.skipped) parts.push(paint("yellow", `${counts.skipped} skipped`));
  return `${parts.join(" | ") || "none"} (${counts.total})`;
}

export function totalCounts(results: readonly SuiteResult[]): CaseCounts {
  const total: CaseCounts = { total: 0, passed: 0, failed: 0, skipped: 0 };
  for (const r of results) for (const k of Object.keys(total) as Array<keyof CaseCounts>) total[k] += r.counts[k];
  return total;
}

/** The closing lines: suites and cases passed/failed, cache use, time. */
export function formatTotalsText(
  results: readonly SuiteResult[],
  extra: { durationS: number; cache?: { hits: number; misses: number } },
  options: TextReportOptions = {},
): string {
  const paint = painter(options.color ?? false);
  const cases = totalCounts(results);
  const failedSuites = results.filter((r) => r.counts.failed > 0).length;
  const suites = { failed: failedSuites, passed: results.length - failedSuites, total: results.length };
  const lines = [`Suites  ${countsText(suites, paint)}`, `Cases   ${countsText(cases, paint)}`];
  if (extra.cache) lines.push(`Cache   ${extra.cache.hits} hits, ${extra.cache.misses} misses`);
  lines.push(`Time    ${extra.durationS.toFixed(2)} s`);
  return lines.join("\n") + "\n";
}
