// Grade one JSONL line into one output row `{line, id?, ...graders/run response}`. Whatever
// happens (bad JSON, a missing sample, a grader bug), exactly one row comes out.

import type { Executors } from "../executors/types.js";
import { failedResponse, runGrader } from "../graders/run.js";
import type { CompiledGrader } from "../graders/types.js";
import type { RunResponse } from "../result/response.js";
import { idOf, parseRow, type RowInput } from "./rows.js";

export type OutputRow = { line: number; id?: unknown } & RunResponse;

export interface LineInput {
  /** 1-based physical line number in the input file. */
  line: number;
  text: string;
}

function withLine(line: number, id: unknown, res: RunResponse): OutputRow {
  return id === undefined ? { line, ...res } : { line, id, ...res };
}

export function gradeLine(
  grader: CompiledGrader,
  input: LineInput,
  executors: Executors,
  file = "input",
): OutputRow | Promise<OutputRow> {
  let row: RowInput;
  try {
    row = parseRow(input.text, `${file}:${input.line}`);
  } catch (err) {
    return withLine(input.line, idOf(input.text), failedResponse(grader.name, grader.type, err));
  }
  const res = runGrader(grader, { sample: row.sample, item: row.item, executors });
  if (res instanceof Promise) return res.then((r) => withLine(input.line, row.id, r));
  return withLine(input.line, row.id, res);
}
