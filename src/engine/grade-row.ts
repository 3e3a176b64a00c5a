// Grade one input row into `{line, id?, response}`: a JSONL line (runFile) or an already-parsed
// value (gradeRows). Whatever happens (bad JSON, invalid UTF-8, a missing sample, a grader
// bug), exactly one response comes out; graders/run's runGrader does the grading.

import type { Executors } from "../core/executors.js";
import { GradingFailure, type RunResponse } from "../core/response.js";
import { idOf, parseRow, rowFromValue, type RowInput } from "../core/rows.js";
import { failedResponse, runGrader } from "../graders/run.js";
import type { CompiledGrader } from "../graders/types.js";

export interface LineInput {
  /** 1-based physical line number in the input. */
  line: number;
  text: string;
  /** Why the line cannot be a row whatever its text says (invalid UTF-8, a stray byte order mark). */
  problem?: string;
}

export interface GradedLine {
  line: number;
  id: unknown;
  response: RunResponse;
}

function graded(grader: CompiledGrader, line: number, row: RowInput, executors: Executors): GradedLine | Promise<GradedLine> {
  const res = runGrader(grader, { sample: row.sample, item: row.item, executors });
  if (res instanceof Promise) return res.then((response) => ({ line, id: row.id, response }));
  return { line, id: row.id, response: res };
}

export function gradeLine(grader: CompiledGrader, input: LineInput, executors: Executors, file = "input"): GradedLine | Promise<GradedLine> {
  let row: RowInput;
  try {
    if (input.problem) throw new GradingFailure("sample_parse_error", `${file}:${input.line}: ${input.problem}`);
    row = parseRow(input.text, `${file}:${input.line}`);
  } catch (err) {
    return { line: input.line, id: idOf(input.text), response: failedResponse(grader.name, grader.type, err) };
  }
  return graded(grader, input.line, row, executors);
}

/** Grade an in-memory row; `index` is 0-based and names the row in messages (`row 3`). */
export function gradeValue(grader: CompiledGrader, value: unknown, index: number, executors: Executors): GradedLine | Promise<GradedLine> {
  let row: RowInput;
  try {
    row = rowFromValue(value, `row ${index}`);
  } catch (err) {
    const id = typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined;
    return { line: index, id, response: failedResponse(grader.name, grader.type, err) };
  }
  return graded(grader, index, row, executors);
}
