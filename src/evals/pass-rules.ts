// When a criterion, an item and a run pass: pure functions, so the rules are stated once and
// tested on their own. The hosted rules: string_check passes at reward 1; label_model when the
// chosen label is one of passing_labels; text_similarity, python and score_model when the score
// reaches pass_threshold (none given: 0.5, graderkit's stated default). A grading error is
// neither a pass nor a fail: it makes the item `error`.

import { DEFAULT_PASS_THRESHOLD } from "../core/pass-threshold.js";
import type { RunResponse } from "../core/response.js";
import type { CriterionType, EvalCriterion, OutputItemStatus, ResultCounts } from "./types.js";


const SCORE_BASED: ReadonlySet<CriterionType> = new Set(["text_similarity", "python", "score_model"]);

/** The threshold a criterion's score must reach, or null when its type has its own rule. */
export function passThresholdOf(type: CriterionType, passThreshold: number | undefined): number | null {
  if (!SCORE_BASED.has(type)) return null;
  return passThreshold ?? DEFAULT_PASS_THRESHOLD;
}

/** The pass rule of a criterion in words, for summaries: "score >= 0.5 (default threshold)". */
export function describePassRule(criterion: Pick<EvalCriterion, "grader" | "passThreshold">): string {
  const grader = criterion.grader;
  if (grader.type === "string_check") return "reward 1";
  if (grader.type === "label_model") return `label in ${grader.passing_labels.join(", ")}`;
  const explicit = (grader as { pass_threshold?: number }).pass_threshold !== undefined;
  return `score >= ${criterion.passThreshold ?? DEFAULT_PASS_THRESHOLD}${explicit ? "" : " (default threshold)"}`;
}

/** Whether one criterion's grading passed: true, false, or null when the grading errored. */
export function criterionPassed(criterion: Pick<EvalCriterion, "grader" | "passThreshold">, response: RunResponse): boolean | null {
  if (response.error) return null;
  const grader = criterion.grader;
  switch (grader.type) {
    case "string_check":
      return response.reward === 1;
    case "label_model": {
      const label = response.metadata.scores.result;
      return typeof label === "string" && grader.passing_labels.includes(label);
    }
    default:
      return response.reward >= (criterion.passThreshold ?? DEFAULT_PASS_THRESHOLD);
  }
}

/**
 * An item's status from its criteria's verdicts: `error` when any grading errored (or the row
 * could not be graded at all: no verdicts), `fail` when any criterion failed, else `pass`.
 */
export function itemStatus(verdicts: ReadonlyArray<boolean | null> | null): OutputItemStatus {
  if (verdicts === null || verdicts.some((v) => v === null)) return "error";
  return verdicts.every((v) => v === true) ? "pass" : "fail";
}

/** The run's pass rate: passed items over all items (errored ones count as not passed); null for an empty run. */
export function passRate(counts: ResultCounts): number | null {
  return counts.total === 0 ? null : counts.passed / counts.total;
}

/**
 * The --min-pass-rate gate: whether the run falls short. An empty run falls short of any gate
 * (nothing passed, and a gate must not pass vacuously).
 */
export function belowMinPassRate(counts: ResultCounts, minPassRate: number): boolean {
  const rate = passRate(counts);
  return rate === null || rate < minPassRate;
}
