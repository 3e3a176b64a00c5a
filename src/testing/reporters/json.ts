// The machine-readable report of `graderkit test --reporter json`: every suite and case with
// its status, checks (expected vs actual, as data) and the full graders/run response.

import type { RunResponse } from "../../core/response.js";
import { caseLocation } from "../describe-result.js";
import type { CaseCounts, CaseStatus, Check, SuiteResult } from "../types.js";
import { totalCounts } from "./default.js";

export interface CaseReport {
  name: string;
  /** FILE:LINE (JSONL) or FILE#/cases/N. */
  location: string;
  status: CaseStatus;
  duration_s: number;
  reward: number | null;
  /** The checks that did not hold. */
  failures: Check[];
  checks: Check[];
  response: RunResponse | null;
}

export interface SuiteReport {
  file: string;
  name: string;
  grader: { name: string; type: string; file: string | null };
  pass_threshold: number | null;
  counts: CaseCounts;
  duration_s: number;
  cases: CaseReport[];
}

export interface TestReport {
  ok: boolean;
  counts: CaseCounts & { suites: number; failed_suites: number };
  duration_s: number;
  cache: { hits: number; misses: number } | null;
  suites: SuiteReport[];
}

export function testReport(results: readonly SuiteResult[], extra: { durationS: number; cache?: { hits: number; misses: number } }): TestReport {
  const counts = totalCounts(results);
  return {
    ok: counts.failed === 0,
    counts: { ...counts, suites: results.length, failed_suites: results.filter((r) => r.counts.failed > 0).length },
    duration_s: extra.durationS,
    cache: extra.cache ?? null,
    suites: results.map((r) => ({
      file: r.suite.file,
      name: r.suite.name,
      grader: { name: r.suite.grader.name, type: r.suite.grader.type, file: r.suite.graderFile ?? null },
      pass_threshold: r.suite.passThreshold,
      counts: r.counts,
      duration_s: r.durationS,
      cases: r.cases.map((c) => ({
        name: c.name,
        location: caseLocation(c),
        status: c.status,
        duration_s: c.durationS,
        reward: c.response?.reward ?? null,
        failures: c.checks.filter((k) => !k.ok),
        checks: c.checks,
        response: c.response ?? null,
      })),
    })),
  };
}
