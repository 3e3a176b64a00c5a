// gradeRows: grade in-memory rows (an array, or any iterable or async iterable of
// `{id?, item?, sample? | model_sample?}` objects) and yield the responses in input order.
// The grader is validated and compiled once; each row goes through core/rows and
// graders/run's runGrader like a line of runFile, synchronous graders at once and
// executor-backed ones with at most `concurrency` in flight (runFile's RowDispatcher).

import type { Executors } from "../core/executors.js";
import type { RunResponse } from "../core/response.js";
import { compileValidGrader } from "../graders/compile.js";
import type { CompiledGrader, CompileOptions } from "../graders/types.js";
import { checkedGrader } from "../schema/load.js";
import { RowDispatcher, rowWindow } from "./dispatch.js";
import { gradeValue, type GradedLine } from "./grade-row.js";
import { Reorder } from "./reorder.js";
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY } from "./defaults.js";

export interface GradeRowsOptions {
  executors?: Executors;
  /** Executor-backed gradings in flight at once (default DEFAULT_CONCURRENCY). */
  concurrency?: number;
  compileOptions?: CompileOptions;
}

export interface GradedRow {
  /** The row's 0-based position in the input. */
  index: number;
  /** The row's `id`, when it has one. */
  id: unknown;
  response: RunResponse;
}

/**
 * Grade rows in order. Throws GraderValidationError at once for an invalid grader; a row that
 * is not a valid row gets a sample_parse_error response naming `row N`, like a bad JSONL line.
 */
export function gradeRows(grader: unknown, rows: Iterable<unknown> | AsyncIterable<unknown>, options: GradeRowsOptions = {}): AsyncGenerator<GradedRow, void, undefined> {
  const compileOptions = options.compileOptions ?? {};
  const compiled = compileValidGrader(checkedGrader(grader), compileOptions);
  return gradeCompiled(compiled, rows, options.executors ?? {}, options.concurrency ?? DEFAULT_CONCURRENCY);
}

async function* gradeCompiled(grader: CompiledGrader, rows: Iterable<unknown> | AsyncIterable<unknown>, executors: Executors, concurrency: number): AsyncGenerator<GradedRow, void, undefined> {
  const ready: GradedRow[] = [];
  const order = new Reorder<GradedLine>((g) => ready.push({ index: g.line, id: g.id, response: g.response }));
  const dispatcher = new RowDispatcher<GradedLine>({
    concurrency,
    window: rowWindow(concurrency, DEFAULT_BATCH_SIZE),
    deliver: (seq, graded) => order.put(seq, graded),
    delivered: () => order.released,
  });
  let index = 0;
  let yielded = 0;
  try {
    for await (const value of rows) {
      const i = index++;
      await dispatcher.submit(() => gradeValue(grader, value, i, executors));
      while (ready.length > 0) {
        yield ready.shift()!;
        yielded++;
      }
    }
    while (yielded < index) {
      if (ready.length === 0) await dispatcher.progress();
      while (ready.length > 0) {
        yield ready.shift()!;
        yielded++;
      }
    }
  } finally {
    // The caller stopped early (break): grade nothing more.
    dispatcher.stop();
  }
}
