// The dispatcher of runFile: decides where each piece of work is graded and how much is in
// flight, and hands finished pieces to a sink in dispatch order numbers (0, 1, 2, ...), which
// the sink re-orders. Two kinds, as piscina separates its queue from its balancer:
// - BlockDispatcher, CPU-bound graders: a block is graded on the main thread at once, or on the
//   pool with a bounded number of blocks in flight;
// - RowDispatcher, executor-backed graders (python, models): one row at a time on the main
//   thread, at most `concurrency` in flight, each row written as soon as the rows before it are.
// The limits are pure functions below.

import type { Executors } from "../core/executors.js";
import type { CompiledGrader } from "../graders/types.js";
import { collect, gradeLinesSync, type BatchResult, type RowOutput } from "./batch.js";
import type { PoolKind } from "./defaults.js";
import { gradeLine } from "./grade-row.js";
import { blockLines, type Block } from "./lines.js";
import type { BlockPool } from "./pool.js";

/** Blocks in flight on a pool: enough that no worker waits while results are written. */
export function poolBlocksInFlight(workers: number): number {
  return workers * 3;
}

/**
 * Rows handed out but not yet written, for executor-backed graders: rows that finish behind a
 * slow one wait in memory, at most this many (then dispatching pauses until it is done).
 */
export function rowWindow(concurrency: number, batchSize: number): number {
  return Math.max(2 * batchSize, 4 * concurrency);
}

/** Wakes the one waiting loop (the reader's) whenever a piece finishes or the run stops. */
class Wakeup {
  private waiter: (() => void) | null = null;
  wait(): Promise<void> {
    return new Promise((resolve) => (this.waiter = resolve));
  }
  notify(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }
}

/** Where finished pieces go: `seq` is the dispatch order number. */
export type Deliver<T> = (seq: number, value: T) => void;

abstract class Dispatcher {
  protected inFlight = 0;
  protected seq = 0;
  protected stopped = false;
  protected failure: unknown = null;
  protected readonly wake = new Wakeup();

  /** Finish handler for a piece in flight. */
  protected settle<T>(seq: number, deliver: Deliver<T>): [(value: T) => void, (err: unknown) => void] {
    return [
      (value) => {
        this.inFlight--;
        try {
          if (!this.stopped) deliver(seq, value);
        } catch (err) {
          // A failed write or an onRow that threw: the run ends with it.
          this.failure ??= err;
        }
        this.wake.notify();
      },
      (err) => {
        this.inFlight--;
        this.failure ??= err;
        this.wake.notify();
      },
    ];
  }

  /** Wait while `busy` says so; throws the first failure of a piece. */
  protected async waitWhile(busy: () => boolean): Promise<void> {
    while (busy() && !this.stopped && this.failure === null) await this.wake.wait();
    if (this.failure !== null) throw this.failure;
  }

  /** Wait for every piece in flight. */
  drain(): Promise<void> {
    return this.waitWhile(() => this.inFlight > 0);
  }

  /** Dispatch nothing more; pieces that finish from now on are dropped. */
  stop(): void {
    this.stopped = true;
    this.wake.notify();
  }
}

/** What runFile drives: blocks in, finished pieces out to the sink. */
export interface BlockDispatch {
  /**
   * Grade a block; resolves once there is room for the next one. `release` is called once
   * nothing reads the block's bytes any more (read-blocks' RawBlock.release), if that is known.
   */
  submitBlock(block: Block, bytesRead: number, release?: () => void): Promise<void>;
  drain(): Promise<void>;
  stop(): void;
  /** Stop and release the workers. */
  close(): Promise<void>;
  /** Workers used (0: the main thread only). */
  readonly workers: number;
  /** Worker processes' peak resident sets added up, in KiB, once closed (0: none, or threads). */
  readonly poolPeakRssKb: number;
  /** What the workers are (null: the main thread only). */
  readonly poolKind: PoolKind | null;
}

export interface BlockDispatcherOptions {
  grader: CompiledGrader;
  file: string;
  output: RowOutput;
  deliver: Deliver<BatchResult>;
  /** The pool, started on first use; null: everything on the main thread. */
  pool: (() => BlockPool) | null;
  /** Blocks go to the pool once this many input bytes are read (0: from the start). */
  poolFromBytes: number;
}

export class BlockDispatcher extends Dispatcher implements BlockDispatch {
  private pool: BlockPool | null = null;

  constructor(private readonly options: BlockDispatcherOptions) {
    super();
    // Start the workers now when they are used from the first block: they boot while the
    // first chunk is read.
    if (options.pool && options.poolFromBytes <= 0) this.pool = options.pool();
  }

  get workers(): number {
    return this.pool?.workers ?? 0;
  }

  get poolPeakRssKb(): number {
    return this.pool?.outsidePeakRssKb ?? 0;
  }

  get poolKind(): PoolKind | null {
    return this.pool?.kind ?? null;
  }

  async submitBlock(block: Block, bytesRead: number, release?: () => void): Promise<void> {
    if (this.stopped) return;
    const { grader, file, output, deliver } = this.options;
    const seq = this.seq++;
    if (!this.pool && this.options.pool && bytesRead >= this.options.poolFromBytes) this.pool = this.options.pool();
    if (!this.pool) {
      // The rows hold decoded strings, not the bytes.
      deliver(seq, gradeLinesSync(grader, blockLines(block), file, output));
      release?.();
      return;
    }
    this.inFlight++;
    const [done, fail] = this.settle(seq, deliver);
    this.pool.grade(block).then(done, fail);
    if (this.pool.doneWithBytes(block)) release?.();
    const limit = poolBlocksInFlight(this.pool.workers);
    await this.waitWhile(() => this.inFlight >= limit);
  }

  override stop(): void {
    this.pool?.stop();
    super.stop();
  }

  /** Stop, and end the pool's workers. */
  async close(): Promise<void> {
    this.stop();
    await this.pool?.destroy();
  }
}

export interface RowDispatcherOptions<T> {
  /** Rows in flight at once. */
  concurrency: number;
  /** Rows dispatched but not yet delivered onwards (see rowWindow). */
  window: number;
  deliver: Deliver<T>;
  /** How many pieces the consumer has taken so far (its progress bounds the window). */
  delivered: () => number;
}

export class RowDispatcher<T> extends Dispatcher {
  constructor(private readonly options: RowDispatcherOptions<T>) {
    super();
  }

  /** Start grading one row once there is room; `grade` may finish at once or later. */
  async submit(grade: () => T | Promise<T>): Promise<void> {
    const { concurrency, window, delivered, deliver } = this.options;
    await this.waitWhile(() => this.inFlight >= concurrency || this.seq - delivered() >= window);
    if (this.stopped) return;
    const seq = this.seq++;
    const value = grade();
    if (!(value instanceof Promise)) {
      deliver(seq, value);
      return;
    }
    this.inFlight++;
    const [done, fail] = this.settle<T>(seq, deliver);
    value.then(done, fail);
  }

  /** Resolves when a row in flight finishes (at once when none is). */
  async progress(): Promise<void> {
    if (this.inFlight > 0 && !this.stopped) await this.wake.wait();
    if (this.failure !== null) throw this.failure;
  }
}

/** Executor-backed graders in runFile: each line of a block is a row of a RowDispatcher. */
export class LineDispatcher implements BlockDispatch {
  readonly workers = 0;
  readonly poolPeakRssKb = 0;
  readonly poolKind = null;
  private readonly rows: RowDispatcher<BatchResult>;

  constructor(
    private readonly options: { grader: CompiledGrader; executors: Executors; file: string; output: RowOutput } & RowDispatcherOptions<BatchResult>,
  ) {
    this.rows = new RowDispatcher(options);
  }

  async submitBlock(block: Block): Promise<void> {
    const { grader, executors, file, output } = this.options;
    for (const line of blockLines(block)) {
      await this.rows.submit(() => {
        const graded = gradeLine(grader, line, executors, file);
        return graded instanceof Promise ? graded.then((g) => collect([g], output)) : collect([graded], output);
      });
    }
  }

  drain(): Promise<void> {
    return this.rows.drain();
  }

  stop(): void {
    this.rows.stop();
  }

  async close(): Promise<void> {
    this.rows.stop();
  }
}
