// graderkit/vitest: reward logic tested in vitest. `graderMatchers` for expect.extend, with the
// TypeScript declarations that add them to vitest's Assertion (so they autocomplete), and
// `describeSuite`, which turns a suite file into a describe block with one test per case.
// vitest is an optional peer dependency: only this entry point imports it.

import { fileURLToPath } from "node:url";
import { afterAll, describe, it } from "vitest";
import type { Executors } from "../core/executors.js";
import { compileGrader } from "../graders/compile.js";
import { gradeSample } from "../graders/grade-sample.js";
import { findConfig } from "../config/find.js";
import { loadConfig } from "../config/load.js";
import { createExecutors, type ExecutorSet } from "../config/create-executors.js";
import type { GraderkitConfig } from "../config/types.js";
import { caseLocation, failureSummary, formatCaseDetails } from "./describe-result.js";
import { loadSuite } from "./load-suite.js";
import { graderMatchers, type GraderMatchers } from "./matchers.js";
import { evaluateCase, matchesFilter } from "./run-suite.js";
import type { CaseResult } from "./types.js";

export { graderMatchers, type GraderMatchers };

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends GraderMatchers<T> {}
  interface AsymmetricMatchersContaining extends GraderMatchers {}
}

/** A case that did not meet its expectations: the message says what was expected and what came back. */
export class GraderCaseError extends Error {
  constructor(readonly result: CaseResult) {
    super(`${failureSummary(result)}\n\n${formatCaseDetails(result)}\n\nat ${caseLocation(result)}`);
    this.name = "GraderCaseError";
  }
}

export interface DescribeSuiteOptions {
  /** Executors to grade with; default: built from `config` and the environment, closed after the suite. */
  executors?: Executors;
  /** A config (object or file) for those executors; default ./graderkit.config.json when present. */
  config?: GraderkitConfig | string;
  /** What `expect.passed` is checked against, over the suite's and the grader's pass_threshold. */
  passThreshold?: number;
  /** Only the cases whose name contains this; the others are declared skipped. */
  filter?: string;
  /** Per-case timeout in ms (python and model graders can be slow); default vitest's. */
  timeout?: number;
}

function configOf(option: DescribeSuiteOptions["config"]): GraderkitConfig {
  if (typeof option === "object") return option;
  const file = option ?? findConfig(process.cwd());
  return file ? loadConfig(file) : {};
}

/**
 * One vitest `describe` (named after the suite) with one `it` per case. `path` is a suite file:
 * a string relative to the working directory, or a URL (`new URL("./x.suite.json",
 * import.meta.url)` for a path relative to the test file). The suite is loaded and checked
 * when the test file is collected, so an invalid suite fails the file with every problem.
 */
export function describeSuite(path: string | URL, options: DescribeSuiteOptions = {}): void {
  const file = path instanceof URL ? fileURLToPath(path) : path;
  const suite = loadSuite(file, { passThreshold: options.passThreshold });
  const compiled = compileGrader(suite.grader);
  describe(suite.name, () => {
    let owned: ExecutorSet | undefined;
    const executors = (): Executors => options.executors ?? (owned ??= createExecutors(configOf(options.config), process.env)).executors;
    afterAll(async () => {
      await owned?.close();
    });
    for (const c of suite.cases) {
      const test = matchesFilter(c, options.filter) ? it : it.skip;
      test(
        c.name,
        async () => {
          const response = await gradeSample(compiled, c.input, { executors: executors() });
          const result = evaluateCase(c, response, suite.passThreshold);
          if (result.status === "failed") throw new GraderCaseError(result);
        },
        options.timeout,
      );
    }
  });
}
