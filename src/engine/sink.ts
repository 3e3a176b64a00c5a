// The ordered sink of runFile: finished pieces (a block of rows from the pool or the main
// thread, or one row of an executor-backed grader) arrive in any order and are written in input
// order, whole lines only, as soon as every earlier piece is written; the summary and onRow see
// them in the same order. An interrupted run seals the sink: what is written stays, pieces that
// finish later are dropped (--resume grades them again).

import type { RunResponse } from "../core/response.js";
import type { BatchResult } from "./batch.js";
import type { Output } from "./output.js";
import { Reorder } from "./reorder.js";
import type { SummaryBuilder } from "./summary.js";

/** One output row, as runFile's onRow sees it. */
export interface OutputRow {
  /** The input line number (the row's `line`). */
  line: number;
  id: unknown;
  response: RunResponse;
}

export type RowCallback = (row: OutputRow) => void;

export class OrderedSink {
  private readonly order: Reorder<BatchResult>;
  private sealed = false;
  /** Rows written by this run, and how many of them have an error flag. */
  rows = 0;
  errorRows = 0;

  constructor(
    private readonly output: Output,
    private readonly summary: SummaryBuilder,
    private readonly onRow?: RowCallback,
  ) {
    this.order = new Reorder((r) => this.write(r));
  }

  /** Piece `seq` (numbered 0, 1, 2, ... as dispatched) is graded. */
  put(seq: number, piece: BatchResult): void {
    if (!this.sealed) this.order.put(seq, piece);
  }

  /** Pieces written so far (all of 0 .. written-1). */
  get written(): number {
    return this.order.released;
  }

  /** Accept no more pieces. */
  seal(): void {
    this.sealed = true;
  }

  get failure() {
    return this.output.failure;
  }

  /** Backpressure from the output: a promise to wait for, or null. */
  ready(): Promise<void> | null {
    return this.output.ready();
  }

  close(): Promise<void> {
    return this.output.close();
  }

  private write(piece: BatchResult): void {
    for (const text of piece.text) if (text.length > 0) this.output.write(text);
    for (let i = 0; i < piece.rewards.length; i++) this.summary.addReward(piece.rewards[i]);
    this.summary.addFlags(piece.flags, piece.errorRows, piece.firstErrors);
    this.rows += piece.rewards.length;
    this.errorRows += piece.errorRows;
    if (this.onRow && piece.rows) for (const row of piece.rows) this.onRow(row);
  }
}
