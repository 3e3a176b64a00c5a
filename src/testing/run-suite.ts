// Running a suite: grade every case through gradeSample (the one grading path, so python and
// model graders work with whatever executors are given) and check its expectations.

import type { Executors } from "../core/executors.js";
import type { RunResponse } from "../core/response.js";
import { compileGrader } from "../graders/compile.js";
import { gradeSample } from "../graders/grade-sample.js";
import type { CompileOptions } from "../graders/types.js";
import { Semaphore } from "../util/semaphore.js";
import { checkCase } from "./expectations.js";
import type { CaseCounts, CaseResult, SuiteResult, TestCase, TestSuite } from "./types.js";

/** Cases graded at once: python workers and model endpoints work in parallel; order is kept. */
export const DEFAULT_CASE_CONCURRENCY = 8;

export interface RunSuiteOptions {
  executors?: Executors;
  /** Run only the cases whose name contains this (case-sensitive); the others are skipped. */
  filter?: string;
  concurrency?: number;
  compileOptions?: CompileOptions;
}

/** Whether a case runs under a --filter. */
export function matchesFilter(testCase: TestCase, filter: string | undefined): boolean {
  return filter === undefined || testCase.name.includes(filter);
}

/** A case's result from its response: pure. */
export function evaluateCase(testCase: TestCase, response: RunResponse, passThreshold: number | null, durationS = 0): CaseResult {
  const checks = checkCase(testCase.expect, response, passThreshold);
  return { name: testCase.name, where: testCase.where, status: checks.every((c) => c.ok) ? "passed" : "failed", response, checks, durationS };
}

export function countCases(results: readonly CaseResult[]): CaseCounts {
  const counts: CaseCounts = { total: results.length, passed: 0, failed: 0, skipped: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** Grade and check every case of a suite (filtered ones are reported as skipped), in case order. */
export async function runSuite(suite: TestSuite, options: RunSuiteOptions = {}): Promise<SuiteResult> {
  const started = performance.now();
  const compiled = compileGrader(suite.grader, options.compileOptions);
  const limiter = new Semaphore(options.concurrency ?? DEFAULT_CASE_CONCURRENCY);
  const results = await Promise.all(
    suite.cases.map((c): Promise<CaseResult> => {
      if (!matchesFilter(c, options.filter)) return Promise.resolve({ name: c.name, where: c.where, status: "skipped", checks: [], durationS: 0 });
      return limiter.run(async () => {
        const t = performance.now();
        const response = await gradeSample(compiled, c.input, { executors: options.executors });
        return evaluateCase(c, response, suite.passThreshold, (performance.now() - t) / 1000);
      });
    }),
  );
  return { suite, cases: results, counts: countCases(results), durationS: (performance.now() - started) / 1000 };
}
