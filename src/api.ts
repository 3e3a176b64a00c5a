// The library API the CLI stands on: validate a grader, grade one sample, run a file.

import { rowFromValue } from "./engine/rows.js";
import type { Executors, Item, Sample } from "./executors/types.js";
import { compileGrader } from "./graders/compile.js";
import { failedResponse, runGrader } from "./graders/run.js";
import type { CompiledGrader, CompileOptions } from "./graders/types.js";
import type { RunResponse } from "./result/response.js";
import type { Grader } from "./schema/types.js";

export type SampleInput = { sample: Sample; item?: Item } | { model_sample: string; item?: Item };

export interface GradeOptions {
  executors?: Executors;
  compileOptions?: CompileOptions;
}

/**
 * Grade one sample (the graders/run endpoint, locally). Pass a grader JSON or a CompiledGrader
 * (compile once with `compileGrader` when grading many samples). Never rejects for grading
 * problems: they are flags in the response.
 */
export async function gradeSample(grader: Grader | CompiledGrader, input: SampleInput, options: GradeOptions = {}): Promise<RunResponse> {
  const compiled = "grade" in grader ? grader : compileGrader(grader, options.compileOptions);
  let row;
  try {
    row = rowFromValue(input, "sample");
  } catch (err) {
    return failedResponse(compiled.name, compiled.type, err);
  }
  return runGrader(compiled, { sample: row.sample, item: row.item, executors: options.executors ?? {} });
}
