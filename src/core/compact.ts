// The compact form of a graders/run response (issue 11): what a trainer or a pipeline needs,
// without the constant parts (the all-false error block is half of a full row). Used by
// `run --format compact`, the reward server's rows and the report's reader.
//
//   {"reward": R, "sub_rewards"?: {...}, "errors"?: {only flags that are true or non-null}, "error"?: {flag, message, path}}
//
// sub_rewards only for multi; errors and error only when something went wrong.

import type { GraderErrors, RunError, RunResponse } from "./response.js";

export interface CompactResponse {
  reward: number;
  sub_rewards?: Record<string, number>;
  errors?: Partial<GraderErrors>;
  error?: RunError;
}

/** The flags that are set (true) and the details / types that are non-null. */
export function raisedErrors(errors: GraderErrors): Partial<GraderErrors> | undefined {
  let out: Partial<GraderErrors> | undefined;
  for (const key of Object.keys(errors) as Array<keyof GraderErrors>) {
    const v = errors[key];
    if (v === false || v === null) continue;
    (out ??= {})[key] = v as never;
  }
  return out;
}

export function compactResponse(res: RunResponse): CompactResponse {
  const out: CompactResponse = { reward: res.reward };
  if (res.metadata.type === "multi") out.sub_rewards = res.sub_rewards;
  const errors = raisedErrors(res.metadata.errors);
  if (errors) out.errors = errors;
  if (res.error) out.error = res.error;
  return out;
}
