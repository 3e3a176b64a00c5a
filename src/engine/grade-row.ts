// Grade one JSONL line into one serialized output row `{line, id?, ...graders/run response}`.
// Whatever happens (bad JSON, a missing sample, a grader bug), exactly one row comes out.

import type { Executors } from "../core/executors.js";
import { failedResponse, runGrader } from "../graders/run.js";
import type { CompiledGrader } from "../graders/types.js";
import type { RunResponse } from "../core/response.js";
import { idOf, parseRow, type RowInput } from "../core/rows.js";

export interface LineInput {
  /** 1-based physical line number in the input file. */
  line: number;
  text: string;
}

export interface GradedLine {
  line: number;
  id: unknown;
  response: RunResponse;
}

export function gradeLine(grader: CompiledGrader, input: LineInput, executors: Executors, file = "input"): GradedLine | Promise<GradedLine> {
  let row: RowInput;
  try {
    row = parseRow(input.text, `${file}:${input.line}`);
  } catch (err) {
    return { line: input.line, id: idOf(input.text), response: failedResponse(grader.name, grader.type, err) };
  }
  const res = runGrader(grader, { sample: row.sample, item: row.item, executors });
  if (res instanceof Promise) return res.then((response) => ({ line: input.line, id: row.id, response }));
  return { line: input.line, id: row.id, response: res };
}
