// The ordered sink of runFile: finished pieces (a block of rows from the pool or the main
// thread, or one row of an executor-backed grader) arrive in any order and are written in input
// order, whole lines only, as soon as every earlier piece is written; the summary and onRow see
// them in the same order. A piece whose rows a worker process holds (HeldRows) is written by
// that process, one at a time, once OUT has everything before it; pieces behind it wait in turn.
// An interrupted run seals the sink: what is written stays, pieces that finish later are dropped
// (--resume grades them again).

import type { RunResponse } from "../core/response.js";
import type { BatchResult, HeldRows } from "./batch.js";
import { ioError, type RunFileError } from "./errors.js";
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

/**
 * Pieces in order that may wait behind held rows being written before the run waits too (each
 * held piece is a block a worker process keeps in memory). `bench/engine.mjs --memory`, full rows
 * on 2 processes: +70 MB from a 12 MB to a 1.2 GB input with 4, +103 to +124 MB with 8; 1M rouge_l
 * rows and 4M string_check rows as fast with 4 (5.24 / 6.08 s against 5.38 / 6.13 s).
 */
const WAITING_PIECES = 4;

export class OrderedSink {
  private readonly order: Reorder<BatchResult>;
  private sealed = false;
  /** Pieces in order, not yet written, behind held rows (see writeInTurn). */
  private readonly waiting: BatchResult[] = [];
  private writing: Promise<void> | null = null;
  private writeFailure: RunFileError | null = null;
  private roomWaiters: Array<() => void> = [];
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

  /** Accept no more pieces (a held write under way still ends; nothing after it starts). */
  seal(): void {
    this.sealed = true;
  }

  get failure(): RunFileError | null {
    return this.output.failure ?? this.writeFailure;
  }

  /** Backpressure from the output, or from pieces waiting behind held rows: a promise to wait for, or null. */
  ready(): Promise<void> | null {
    if (this.waiting.length >= WAITING_PIECES && !this.failure) return new Promise((resolve) => this.roomWaiters.push(resolve));
    return this.output.ready();
  }

  async close(): Promise<void> {
    if (this.writing) await this.writing;
    await this.output.close();
    if (this.writeFailure) throw this.writeFailure;
  }

  private write(piece: BatchResult): void {
    if (!this.writing && !piece.held) return this.account(piece);
    this.waiting.push(piece);
    this.writing ??= this.writeInTurn();
  }

  /** Write the waiting pieces in order: text through the output, held rows by their process. */
  private async writeInTurn(): Promise<void> {
    try {
      while (this.waiting.length > 0 && !this.sealed && !this.failure) {
        const piece = this.waiting.shift()!;
        this.wakeRoomWaiters();
        await this.writePiece(piece);
      }
    } catch (err) {
      this.writeFailure ??= ioError(this.output.name, "write", err);
    } finally {
      this.waiting.length = 0;
      this.writing = null;
      this.wakeRoomWaiters();
    }
  }

  private async writePiece(piece: BatchResult): Promise<void> {
    if (!piece.held) return this.account(piece);
    // The pieces right behind it that the same process holds are written in the same turn.
    const run = [piece];
    while (this.waiting.length > 0 && this.waiting[0]!.held?.holder === piece.held.holder) run.push(this.waiting.shift()!);
    this.wakeRoomWaiters();
    await this.output.settled();
    if (this.output.failure) return;
    await this.writeHeld(run);
  }

  /**
   * Held rows, written by their process, in order. Where it died before it had written them all
   * (or inside a write), OUT is cut back to the end of what it did write and the rest are
   * written as graded again.
   */
  private async writeHeld(run: BatchResult[]): Promise<void> {
    let end = this.output.size();
    const outcomes = await Promise.all(run.map((p) => (p.held as HeldRows).write()));
    let i = 0;
    for (; i < run.length && outcomes[i] === null; i++) {
      end += run[i]!.held!.byteLength;
      this.output.wroteDirectly(run[i]!.held!.byteLength);
      this.account(run[i]!);
    }
    if (i === run.length) return;
    this.output.truncate(end);
    for (; i < run.length; i++) {
      const replacement = outcomes[i];
      // A process writes in the order asked and answers nothing once it is gone.
      if (!replacement) throw new Error(`internal: rows written after rows their process did not write (${this.output.name})`);
      await this.writePiece(replacement);
    }
  }

  private wakeRoomWaiters(): void {
    if (this.waiting.length >= WAITING_PIECES && !this.sealed) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  /** Write a piece's text (if any) and count its rows, in order. */
  private account(piece: BatchResult): void {
    const { text, written } = piece;
    for (let i = 0; i < text.length; i++) if (text[i]!.length > 0) this.output.write(text[i]!, i === text.length - 1 ? written : undefined);
    for (let i = 0; i < piece.rewards.length; i++) this.summary.addReward(piece.rewards[i]);
    this.summary.addFlags(piece.flags, piece.errorRows, piece.firstErrors);
    this.rows += piece.rewards.length;
    this.errorRows += piece.errorRows;
    if (this.onRow && piece.rows) for (const row of piece.rows) this.onRow(row);
  }
}
