// What a case expects, checked against a graders/run response: pure functions, shared by
// `graderkit test`, describeSuite and the vitest matchers.

import { ERROR_FLAGS, type ErrorFlag, type RunResponse } from "../core/response.js";
import type { Bounds, CaseExpectation, Check } from "./types.js";

/** `expect.reward` and numeric `expect.sub_rewards` are equal within this unless `tolerance` says otherwise. */
export const DEFAULT_TOLERANCE = 1e-9;

/** The boolean flags a response raised, in ERROR_FLAGS order (the *_type / *_details companions are not flags). */
export function raisedFlags(res: RunResponse): ErrorFlag[] {
  return ERROR_FLAGS.filter((f) => res.metadata.errors[f] === true);
}

export function withinTolerance(actual: number, expected: number, tolerance: number): boolean {
  return Math.abs(actual - expected) <= tolerance;
}

export function withinBounds(actual: number, bounds: Bounds): boolean {
  return (bounds.min === undefined || actual >= bounds.min) && (bounds.max === undefined || actual <= bounds.max);
}

function subRewardCheck(key: string, expected: number | Bounds, tolerance: number, res: RunResponse): Check {
  const actual = Object.hasOwn(res.sub_rewards, key) ? res.sub_rewards[key]! : null;
  const ok = actual !== null && (typeof expected === "number" ? withinTolerance(actual, expected, tolerance) : withinBounds(actual, expected));
  return { kind: "sub_reward", ok, key, expected, tolerance, actual };
}

/**
 * Every expectation of a case, checked. The flags are always checked: listed flags must be set
 * and every other one unset, so a case without `errors` fails when any flag is raised.
 */
export function checkCase(expectation: CaseExpectation, res: RunResponse, passThreshold: number | null): Check[] {
  const checks: Check[] = [];
  const tolerance = expectation.tolerance ?? DEFAULT_TOLERANCE;
  if (expectation.reward !== undefined) {
    checks.push({ kind: "reward", ok: withinTolerance(res.reward, expectation.reward, tolerance), expected: expectation.reward, tolerance, actual: res.reward });
  }
  if (expectation.reward_min !== undefined || expectation.reward_max !== undefined) {
    const bounds: Bounds = {};
    if (expectation.reward_min !== undefined) bounds.min = expectation.reward_min;
    if (expectation.reward_max !== undefined) bounds.max = expectation.reward_max;
    checks.push({ kind: "reward_range", ok: withinBounds(res.reward, bounds), ...bounds, actual: res.reward });
  }
  for (const [key, expected] of Object.entries(expectation.sub_rewards ?? {})) checks.push(subRewardCheck(key, expected, tolerance, res));
  const expectedFlags = expectation.errors ?? [];
  const actual = raisedFlags(res);
  const missing = expectedFlags.filter((f) => !actual.includes(f));
  const unexpected = actual.filter((f) => !expectedFlags.includes(f));
  checks.push({ kind: "errors", ok: missing.length === 0 && unexpected.length === 0, expected: [...expectedFlags], actual, missing, unexpected });
  if (expectation.error_message_includes !== undefined) {
    const message = res.error?.message ?? null;
    checks.push({ kind: "error_message", ok: message !== null && message.includes(expectation.error_message_includes), includes: expectation.error_message_includes, actual: message });
  }
  if (expectation.passed !== undefined) {
    if (passThreshold === null) throw new Error("expect.passed needs a pass threshold (the suite loader checks this)");
    const passed = res.reward >= passThreshold;
    checks.push({ kind: "passed", ok: passed === expectation.passed, expected: expectation.passed, actual: passed, threshold: passThreshold, reward: res.reward });
  }
  return checks;
}
