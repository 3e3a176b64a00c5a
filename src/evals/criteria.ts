// Grading an item against an eval's testing criteria: each criterion is a grader compiled once
// and run through the one grading path (graders/run.ts), all criteria of an item concurrently;
// each verdict is the pass rule applied to the graders/run response.

import type { Executors } from "../core/executors.js";
import type { RunResponse } from "../core/response.js";
import type { Item, Sample } from "../core/rows.js";
import { compileValidGrader } from "../graders/compile.js";
import { runGrader } from "../graders/run.js";
import type { CompiledGrader, CompileOptions } from "../graders/types.js";
import { criterionPassed } from "./pass-rules.js";
import type { EvalCriterion, OutputItemResult } from "./types.js";

export interface CompiledCriterion {
  criterion: EvalCriterion;
  grader: CompiledGrader;
}

export interface Verdict {
  criterion: EvalCriterion;
  response: RunResponse;
  /** null: the grading errored. */
  passed: boolean | null;
}

export function compileCriteria(criteria: readonly EvalCriterion[], options: CompileOptions = {}): CompiledCriterion[] {
  return criteria.map((criterion) => ({ criterion, grader: compileValidGrader(criterion.grader, options) }));
}

export async function gradeCriteria(criteria: readonly CompiledCriterion[], sample: Sample, item: Item, executors: Executors): Promise<Verdict[]> {
  const responses = await Promise.all(criteria.map((c) => runGrader(c.grader, { sample, item, executors })));
  return responses.map((response, i) => {
    const criterion = criteria[i]!.criterion;
    return { criterion, response, passed: criterionPassed(criterion, response) };
  });
}

/** A verdict as an output item's result; an errored grading scores 0, does not pass, and says why. */
export function resultOf(v: Verdict): OutputItemResult {
  const result: OutputItemResult = { name: v.criterion.resultName, type: v.criterion.grader.type, score: v.response.reward, passed: v.passed === true, sample: null };
  if (v.response.error) result.error = { code: v.response.error.flag, message: v.response.error.message };
  return result;
}
