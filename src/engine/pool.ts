// The pools of runFile: `--workers N` grade blocks of lines in worker threads (thread-pool.ts,
// piscina) or in worker processes (process-pool.ts). Which one is a policy (defaults.ts,
// choosePoolKind), as measured on two cores each wins where the other loses:
// - processes avoid what two busy threads of one process cost each other (~15% more CPU on the
//   same blocks): rouge_l compact rows, 1M rows, 3.32 s against 4.13 s with threads;
// - threads hand a block's rows to the main thread without a copy, where processes send them
//   through a pipe: string_check full rows (~1 KB each), 4M rows, 5.2 s against 7.7 s.
// Both contain a worker that dies mid-block (a native crash, an OOM kill) to its block, here:
// the block's lines are graded again one by one, and a line that fails again is graded alone,
// so only the culprit row gets an other_error row.

import { idOf } from "../core/rows.js";
import { failedResponse } from "../graders/run.js";
import type { CompileOptions } from "../graders/types.js";
import type { Grader } from "../schema/types.js";
import { Semaphore } from "../util/semaphore.js";
import { collect, concatResults, type BatchResult, type HeldRows, type RowOutput } from "./batch.js";
import type { PoolKind } from "./defaults.js";
import { blockLines, lineBlocks, type Block } from "./lines.js";

export interface BlockPoolOptions {
  workers: number;
  /** The validated grader, and a key that identifies it (a worker compiles it once per key). */
  grader: Grader;
  graderKey: string;
  /** The compiled grader's name and type, for the rows of crashed lines. */
  name: string;
  type: string;
  compileOptions: CompileOptions;
  /** The input's name in messages. */
  file: string;
  output: RowOutput;
  /** The input's descriptor when it is a regular file (processes read their blocks from it), else null. */
  inputFd: number | null;
  /** OUT's descriptor when it is a file (processes may write their blocks' rows to it), else null. */
  outputFd: number | null;
  /**
   * Read `length` bytes of the input at `offset` again (a regular file), else null. With it, a
   * thread pool transfers a block's buffer to its worker (no copy) and reads it back if the
   * worker dies; without it, the worker gets a copy.
   */
  reread: ((offset: number, length: number) => Promise<Uint8Array>) | null;
}

const NO_BYTES = new Uint8Array(0);

/** A held block's worker ended before writing it (the block is graded again). */
export class HolderGoneError extends Error {}

export abstract class BlockPool {
  protected stopped = false;
  /** Suspect lines are graded one at a time (see rescue). */
  private readonly oneAtATime = new Semaphore(1);

  constructor(protected readonly options: BlockPoolOptions) {}

  get workers(): number {
    return this.options.workers;
  }

  /** What the workers are. */
  abstract readonly kind: PoolKind;

  /** Memory outside this process's own peak, in KiB: the worker processes' peaks added up, once destroyed. */
  abstract get outsidePeakRssKb(): number;

  grade(block: Block): Promise<BatchResult> {
    // Read before the first grading, which may transfer the buffer away.
    const length = block.bytes.byteLength;
    const kept = this.keptForRescue(block);
    const again = async (err: unknown) => {
      if (this.stopped) return concatResults([]);
      return this.rescue(await this.bytesAgain(kept, length), err);
    };
    return this.first(block).then((result) => (result.held ? { ...result, held: rescuedIfGone(result.held, again) } : result), again);
  }

  /** Results after this are not wanted (an interrupted run): no rescues. */
  stop(): void {
    this.stopped = true;
  }

  abstract destroy(): Promise<void>;

  /** A block's first grading (rejects when its worker dies). */
  protected abstract first(block: Block): Promise<BatchResult>;
  /** Whether nothing reads a block's bytes once `grade` has returned (a worker reads its own copy, and a rescue reads them again). */
  abstract doneWithBytes(block: Block): boolean;
  /** Grade a one-line block on the pool (rejects when its worker dies). */
  protected abstract line(block: Block): Promise<BatchResult>;
  /** Grade a one-line block with nothing else beside it that could take its worker down. */
  protected abstract isolated(block: Block): Promise<BatchResult>;

  /** What of a block to keep until its rows are written, for a rescue: all of it, or without its bytes (doneWithBytes). */
  private keptForRescue(block: Block): Block {
    return this.doneWithBytes(block) ? { ...block, bytes: NO_BYTES } : block;
  }

  /**
   * The kept block, `length` bytes, for a rescue: read again from the file where its bytes are not
   * all here (left out by keptForRescue, or transferred to a worker thread, which empties the view).
   */
  private async bytesAgain(block: Block, length: number): Promise<Block> {
    const { reread } = this.options;
    return block.bytes.byteLength === length || !reread ? block : { ...block, bytes: await reread(block.offset!, length) };
  }

  /**
   * A block whose worker died: its lines again, one block each, on the pool; a line that fails
   * there too (its worker may have died of another line in flight beside it) is graded alone,
   * and only a line that fails alone gets an other_error row.
   */
  private async rescue(block: Block, err: unknown): Promise<BatchResult> {
    const singles = lineBlocks(block);
    if (singles.length === 0) return this.crashed(block, err);
    const parts = await Promise.all(singles.map((b) => this.line(b).catch(() => null)));
    for (let i = 0; i < singles.length; i++) parts[i] ??= await this.alone(singles[i]!);
    return concatResults(parts as BatchResult[]);
  }

  private alone(block: Block): Promise<BatchResult> {
    return this.oneAtATime.run(() => this.isolated(block).catch((err) => this.crashed(block, err)));
  }

  /** The row of a one-line block whose worker died (none for a blank line). */
  private crashed(block: Block, err: unknown): BatchResult {
    const { name, type, file, output } = this.options;
    const reason = err instanceof Error ? err.message : String(err);
    const rows = blockLines(block).map((l) => ({
      line: l.line,
      id: idOf(l.text),
      response: failedResponse(name, type, new Error(`worker crashed while grading ${file}:${l.line}: ${reason}`)),
    }));
    return collect(rows, output);
  }
}

/** Held rows whose worker, if it dies before writing them, has them graded again instead. */
function rescuedIfGone(held: HeldRows, again: (err: unknown) => Promise<BatchResult>): HeldRows {
  return {
    byteLength: held.byteLength,
    holder: held.holder,
    write: () =>
      held.write().catch((err) => {
        if (err instanceof HolderGoneError) return again(err);
        throw err;
      }),
  };
}
