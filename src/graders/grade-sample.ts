// Grading one sample: the graders/run endpoint as a library function.

import { rowFromValue } from "../core/rows.js";
import type { Executors } from "../core/executors.js";
import type { Item, Sample } from "../core/rows.js";
import { compileGrader } from "./compile.js";
import { failedResponse, runGrader } from "./run.js";
import type { CompiledGrader, CompileOptions } from "./types.js";
import type { RunResponse } from "../core/response.js";

export type SampleInput = { sample: Sample; item?: Item } | { model_sample: string; item?: Item };

export interface GradeOptions {
  executors?: Executors;
  compileOptions?: CompileOptions;
}

function isCompiled(grader: unknown): grader is CompiledGrader {
  return typeof (grader as Partial<CompiledGrader> | null)?.grade === "function";
}

/**
 * Grade one sample (the graders/run endpoint, locally): the public way to grade. Pass grader
 * JSON (validated and normalised: GraderValidationError when invalid) or a CompiledGrader
 * (compile once with `compileGrader` when grading many samples). Never rejects for grading
 * problems: they are flags in the response.
 */
export async function gradeSample(grader: unknown, input: SampleInput, options: GradeOptions = {}): Promise<RunResponse> {
  const compiled = isCompiled(grader) ? grader : compileGrader(grader, options.compileOptions);
  let row;
  try {
    row = rowFromValue(input, "sample");
  } catch (err) {
    return failedResponse(compiled.name, compiled.type, err);
  }
  return runGrader(compiled, { sample: row.sample, item: row.item, executors: options.executors ?? {} });
}
