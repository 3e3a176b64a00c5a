// Grade a batch of lines into serialized output rows plus the numbers the summary needs. Used
// as-is by the pool workers and by the main thread (--workers 0), so both paths give the same
// bytes.

import type { Executors } from "../executors/types.js";
import type { CompiledGrader } from "../graders/types.js";
import { ERROR_FLAGS, type ErrorFlag } from "../result/response.js";
import { gradeLine, type LineInput, type OutputRow } from "./grade-row.js";

export interface BatchResult {
  /** Serialized rows, each ending in "\n", in the batch's order. */
  text: string;
  lines: number[];
  rewards: number[];
  /** Per flag, how many rows raised it. */
  flags: Partial<Record<ErrorFlag, number>>;
  /** Rows that raised at least one flag. */
  errorRows: number;
}

export function emptyBatchResult(): BatchResult {
  return { text: "", lines: [], rewards: [], flags: {}, errorRows: 0 };
}

export function addRow(acc: BatchResult, row: OutputRow): void {
  acc.text += JSON.stringify(row) + "\n";
  acc.lines.push(row.line);
  acc.rewards.push(row.reward);
  const errors = row.metadata.errors;
  let any = false;
  for (const flag of ERROR_FLAGS) {
    if (errors[flag]) {
      acc.flags[flag] = (acc.flags[flag] ?? 0) + 1;
      any = true;
    }
  }
  if (any) acc.errorRows++;
}

/** A counting semaphore: bounds how many executor-backed gradings are in flight. */
export class Semaphore {
  private waiting: Array<() => void> = [];
  private free: number;
  constructor(size: number) {
    this.free = Math.max(1, size);
  }
  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

export function gradeBatch(
  grader: CompiledGrader,
  lines: readonly LineInput[],
  executors: Executors,
  file: string,
  limiter?: Semaphore,
): BatchResult | Promise<BatchResult> {
  if (!grader.async) {
    const acc = emptyBatchResult();
    for (const l of lines) addRow(acc, gradeLine(grader, l, executors, file) as OutputRow);
    return acc;
  }
  const run = (l: LineInput) => Promise.resolve(gradeLine(grader, l, executors, file));
  const pending = lines.map((l) => (limiter ? limiter.use(() => run(l)) : run(l)));
  return Promise.all(pending).then((rows) => {
    const acc = emptyBatchResult();
    for (const r of rows) addRow(acc, r);
    return acc;
  });
}
