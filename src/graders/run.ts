// The one grading mechanism every grader type goes through: time the call, turn a
// GradingFailure (or any unexpected exception) into reward 0 with the matching flag, and shape
// the graders/run response. Synchronous graders stay synchronous (no promise per row).

import {
  emptyResponse,
  GradingFailure,
  type RunResponse,
} from "../core/response.js";
import type { CompiledGrader, GradeContext, GradeOutput } from "./types.js";

// performance.now() is a plain double: cheaper per row than hrtime.bigint().
function seconds(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

function succeeded(grader: CompiledGrader, out: GradeOutput, startMs: number): RunResponse {
  const res = emptyResponse(grader.name, grader.type);
  res.reward = out.reward;
  const md = res.metadata;
  if (out.scores) md.scores = out.scores;
  if (out.token_usage !== undefined) md.token_usage = out.token_usage;
  if (out.sampled_model_name !== undefined) md.sampled_model_name = out.sampled_model_name;
  if (out.usage_per_model) res.model_grader_token_usage_per_model = out.usage_per_model;
  if (out.sub_rewards) res.sub_rewards = out.sub_rewards;
  if (out.errors) Object.assign(md.errors, out.errors);
  if (out.error) res.error = out.error;
  md.execution_time = seconds(startMs);
  return res;
}

/** The response for a grading that failed: reward 0, the flag set, error details. */
export function failedResponse(name: string, type: string, err: unknown, startMs?: number): RunResponse {
  const res = emptyResponse(name, type);
  const md = res.metadata;
  if (err instanceof GradingFailure) {
    md.errors[err.flag] = true;
    Object.assign(md.errors, err.extra);
    const p = err.partial;
    if (p.scores) md.scores = p.scores;
    if (p.token_usage !== undefined) md.token_usage = p.token_usage;
    if (p.sampled_model_name !== undefined) md.sampled_model_name = p.sampled_model_name;
    if (p.usage_per_model) res.model_grader_token_usage_per_model = p.usage_per_model;
    res.error = { flag: err.flag, message: err.message, ...(err.path !== undefined ? { path: err.path } : {}) };
  } else {
    // A bug or an unexpected input: contained to this row as other_error.
    md.errors.other_error = true;
    const message = err instanceof Error ? err.message : String(err);
    res.error = { flag: "other_error", message };
  }
  if (startMs !== undefined) md.execution_time = seconds(startMs);
  return res;
}

/** Grade one sample. Returns synchronously when the grader is synchronous. */
export function runGrader(grader: CompiledGrader, ctx: GradeContext): RunResponse | Promise<RunResponse> {
  const start = performance.now();
  let out: GradeOutput | Promise<GradeOutput>;
  try {
    out = grader.grade(ctx);
  } catch (err) {
    return failedResponse(grader.name, grader.type, err, start);
  }
  if (out instanceof Promise) {
    return out.then(
      (o) => succeeded(grader, o, start),
      (err) => failedResponse(grader.name, grader.type, err, start),
    );
  }
  return succeeded(grader, out, start);
}
