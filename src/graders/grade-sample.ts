// The library API the CLI stands on: validate a grader, grade one sample, run a file.

import { rowFromValue } from "../core/rows.js";
import type { Executors } from "../core/executors.js";
import type { Item, Sample } from "../core/rows.js";
import { compileGrader } from "./compile.js";
import { failedResponse, runGrader } from "./run.js";
import type { CompiledGrader, CompileOptions } from "./types.js";
import type { RunResponse } from "../core/response.js";
import type { Grader } from "../schema/types.js";

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
