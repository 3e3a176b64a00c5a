// Matchers for graders/run responses, for vitest's expect.extend (jest-compatible: they use only
// `this.isNot`, `this.promise` and `this.utils`). Failure messages read like vitest's own: a
// matcher hint, then Expected / Received in vitest's colours, then what else the response says
// (its flags and error message), since a wrong reward is usually explained there.

import type { MatcherState } from "vitest";
import { ERROR_FLAGS, type ErrorFlag, type RunResponse } from "../core/response.js";
import { nearestMatch } from "../metrics/nearest.js";
import { formatNumber } from "./describe-result.js";
import { DEFAULT_TOLERANCE, raisedFlags, withinBounds, withinTolerance } from "./expectations.js";

export interface GraderMatchers<R = unknown> {
  /** The reward equals `reward` within `tolerance` (default 1e-9). */
  toHaveReward(reward: number, tolerance?: number): R;
  /** min ≤ reward ≤ max. */
  toHaveRewardBetween(min: number, max: number): R;
  /** The error flag is set (metadata.errors[flag] === true). */
  toHaveErrorFlag(flag: ErrorFlag): R;
  /** A multi child's reward (sub_rewards[key]) equals `reward` within `tolerance` (default 1e-9). */
  toHaveSubReward(key: string, reward: number, tolerance?: number): R;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function isResponse(v: unknown): v is RunResponse {
  const r = v as Partial<RunResponse> | null;
  return typeof r === "object" && r !== null && typeof r.reward === "number" && typeof r.metadata?.errors === "object" && typeof r.sub_rewards === "object";
}

function responseOf(state: MatcherState, received: unknown, matcher: string): RunResponse {
  if (isResponse(received)) return received;
  throw new TypeError(
    `${hint(state, matcher)}\n\nThe received value must be a graders/run response ({reward, metadata: {errors}, sub_rewards}, what gradeSample returns).\nReceived: ${state.utils.printReceived(received)}`,
  );
}

function hint(state: MatcherState, matcher: string, expected = "expected"): string {
  return state.utils.matcherHint(`.${matcher}`, "response", expected, { isNot: state.isNot, promise: state.promise });
}

/** The flags and error of a response, for the end of a message. */
function context(state: MatcherState, res: RunResponse): string {
  const flags = raisedFlags(res);
  const lines = [`Raised flags: ${flags.length ? flags.map((f) => state.utils.printReceived(f)).join(", ") : "none"}`];
  if (res.error) lines.push(`Error: ${res.error.flag}${res.error.path ? ` at ${res.error.path}` : ""}: ${res.error.message}`);
  return lines.join("\n");
}

const not = (state: MatcherState) => (state.isNot ? "not " : "");

function checkNumber(name: string, value: unknown): void {
  if (typeof value !== "number" || Number.isNaN(value)) throw new TypeError(`${name} must be a number, got ${String(value)}`);
}

export const graderMatchers = {
  toHaveReward(this: MatcherState, received: unknown, reward: number, tolerance: number = DEFAULT_TOLERANCE): MatcherResult {
    checkNumber("toHaveReward: reward", reward);
    checkNumber("toHaveReward: tolerance", tolerance);
    const res = responseOf(this, received, "toHaveReward");
    const pass = withinTolerance(res.reward, reward, tolerance);
    return {
      pass,
      message: () =>
        `${hint(this, "toHaveReward", "reward")}\n\nExpected reward: ${not(this)}${this.utils.printExpected(reward)} (± ${formatNumber(tolerance)})\nReceived reward: ${this.utils.printReceived(res.reward)}\n\n${context(this, res)}`,
    };
  },

  toHaveRewardBetween(this: MatcherState, received: unknown, min: number, max: number): MatcherResult {
    checkNumber("toHaveRewardBetween: min", min);
    checkNumber("toHaveRewardBetween: max", max);
    if (min > max) throw new RangeError(`toHaveRewardBetween: min ${min} is above max ${max}`);
    const res = responseOf(this, received, "toHaveRewardBetween");
    const pass = withinBounds(res.reward, { min, max });
    return {
      pass,
      message: () =>
        `${hint(this, "toHaveRewardBetween", "min, max")}\n\nExpected reward: ${not(this)}between ${this.utils.printExpected(min)} and ${this.utils.printExpected(max)} (inclusive)\nReceived reward: ${this.utils.printReceived(res.reward)}\n\n${context(this, res)}`,
    };
  },

  toHaveErrorFlag(this: MatcherState, received: unknown, flag: ErrorFlag): MatcherResult {
    if (!(ERROR_FLAGS as readonly string[]).includes(flag)) {
      const near = typeof flag === "string" ? nearestMatch(flag, ERROR_FLAGS) : undefined;
      throw new TypeError(`toHaveErrorFlag: unknown error flag ${JSON.stringify(flag)}${near ? ` (did you mean '${near}'?)` : ""}; the flags are ${ERROR_FLAGS.join(", ")}`);
    }
    const res = responseOf(this, received, "toHaveErrorFlag");
    const pass = res.metadata.errors[flag] === true;
    return {
      pass,
      message: () => `${hint(this, "toHaveErrorFlag", "flag")}\n\nExpected flag: ${not(this)}${this.utils.printExpected(flag)}\n${context(this, res)}\nReward: ${formatNumber(res.reward)}`,
    };
  },

  toHaveSubReward(this: MatcherState, received: unknown, key: string, reward: number, tolerance: number = DEFAULT_TOLERANCE): MatcherResult {
    checkNumber("toHaveSubReward: reward", reward);
    checkNumber("toHaveSubReward: tolerance", tolerance);
    const res = responseOf(this, received, "toHaveSubReward");
    const has = Object.hasOwn(res.sub_rewards, key);
    const actual = has ? res.sub_rewards[key]! : undefined;
    const pass = actual !== undefined && withinTolerance(actual, reward, tolerance);
    const keys = Object.keys(res.sub_rewards);
    return {
      pass,
      message: () => {
        const head = `${hint(this, "toHaveSubReward", "key, reward")}\n\nExpected sub_rewards[${JSON.stringify(key)}]: ${not(this)}${this.utils.printExpected(reward)} (± ${formatNumber(tolerance)})\n`;
        const got = has
          ? `Received sub_rewards[${JSON.stringify(key)}]: ${this.utils.printReceived(actual)}`
          : `Received: no sub-reward ${JSON.stringify(key)}; the response has ${keys.length ? keys.map((k) => JSON.stringify(k)).join(", ") : "none (only multi graders have sub_rewards)"}`;
        return `${head}${got}\n\n${context(this, res)}`;
      },
    };
  },
};
