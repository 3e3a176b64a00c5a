// The types of a test suite (a grader and the cases that pin its behaviour down) and of what
// running one gives. Suites come from a suite file (JSON) or a grader plus a JSONL of cases.

import type { ErrorFlag, RunResponse } from "../core/response.js";
import type { SampleInput } from "../graders/grade-sample.js";
import type { Grader } from "../schema/types.js";

/** Inclusive bounds; either may be left out. */
export interface Bounds {
  min?: number;
  max?: number;
}

/** What a case expects of the graders/run response. Every key given is checked. */
export interface CaseExpectation {
  /** The reward, equal within `tolerance`. */
  reward?: number;
  /** For `reward` and the numbers of `sub_rewards`. Default DEFAULT_TOLERANCE. */
  tolerance?: number;
  reward_min?: number;
  reward_max?: number;
  /** multi children: a reward (within `tolerance`) or bounds. */
  sub_rewards?: Record<string, number | Bounds>;
  /** Flags that must be set; every other flag must be unset. Absent: no flag may be set. */
  errors?: ErrorFlag[];
  /** A substring of `error.message`. */
  error_message_includes?: string;
  /** reward >= the pass threshold. */
  passed?: boolean;
}

/** Where a case was written: a pointer into a suite file, or a line of a JSONL cases file. */
export interface CaseLocation {
  file: string;
  /** The JSONL line (1-based). */
  line?: number;
  /** JSON pointer of the case in its file (its line's document for JSONL). */
  pointer: string;
}

export interface TestCase {
  name: string;
  where: CaseLocation;
  input: SampleInput;
  expect: CaseExpectation;
}

export interface TestSuite {
  /** The suite file, or the JSONL cases file. */
  file: string;
  /** The suite's `name`, else its file. */
  name: string;
  /** Validated and normalised. */
  grader: Grader;
  /** Where the grader came from, when not inline. */
  graderFile?: string;
  /** The threshold `expect.passed` is checked against; null when no case needs one. */
  passThreshold: number | null;
  cases: TestCase[];
}

/** One checked expectation. `ok` says whether it held. */
export type Check =
  | { kind: "reward"; ok: boolean; expected: number; tolerance: number; actual: number }
  | { kind: "reward_range"; ok: boolean; min?: number; max?: number; actual: number }
  | { kind: "sub_reward"; ok: boolean; key: string; expected: number | Bounds; tolerance: number; actual: number | null }
  | { kind: "errors"; ok: boolean; expected: ErrorFlag[]; actual: ErrorFlag[]; missing: ErrorFlag[]; unexpected: ErrorFlag[] }
  | { kind: "error_message"; ok: boolean; includes: string; actual: string | null }
  | { kind: "passed"; ok: boolean; expected: boolean; actual: boolean; threshold: number; reward: number };

export type CaseStatus = "passed" | "failed" | "skipped";

export interface CaseResult {
  name: string;
  where: CaseLocation;
  status: CaseStatus;
  /** Absent for skipped cases. */
  response?: RunResponse;
  checks: Check[];
  durationS: number;
}

export interface CaseCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

export interface SuiteResult {
  suite: TestSuite;
  cases: CaseResult[];
  counts: CaseCounts;
  durationS: number;
}
