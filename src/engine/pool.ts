// The piscina pool of runFile: grades blocks of lines in worker threads, and contains a worker
// that dies mid-block (a native crash, an OOM kill) to its block: the block's lines are graded
// again one by one, so only the culprit row gets an other_error row; piscina replaces the worker.

import { createRequire } from "node:module";
import type { Piscina } from "piscina";
import { idOf } from "../core/rows.js";
import { failedResponse } from "../graders/run.js";
import type { CompileOptions } from "../graders/types.js";
import type { Grader } from "../schema/types.js";
import { collect, concatResults, type BatchResult, type RowOutput } from "./batch.js";
import { blockLines, lineBlocks, type Block } from "./lines.js";
import type { BlockTask } from "./pool-worker.js";

// A sibling module: piscina loads it in worker threads, so it must be compiled JavaScript. Code
// that runs the pool from the TypeScript sources (tests) imports the built package instead.
const POOL_WORKER = new URL("./pool-worker.js", import.meta.url);

export interface BlockPoolOptions {
  workers: number;
  /** The validated grader, and a key that identifies it (workers compile it once per key). */
  grader: Grader;
  graderKey: string;
  /** The compiled grader's name and type, for the rows of crashed lines. */
  name: string;
  type: string;
  compileOptions: CompileOptions;
  /** The input's name in messages. */
  file: string;
  output: RowOutput;
  /**
   * Read `length` bytes of the input at `offset` again. With it, a block's buffer is transferred
   * to the worker (no copy) and read back if the worker dies; without it (a stream), the worker
   * gets a copy and the main thread keeps the bytes.
   */
  reread: ((offset: number, length: number) => Promise<Uint8Array>) | null;
}

export class BlockPool {
  private readonly piscina: Piscina<BlockTask, BatchResult>;
  private stopped = false;

  constructor(private readonly options: BlockPoolOptions) {
    const n = options.workers;
    // piscina (~100 CommonJS modules) is loaded when a pool starts, not with the engine: a small
    // run on the main thread never pays for it (README "Start-up").
    const { Piscina: Pool } = createRequire(import.meta.url)("piscina") as typeof import("piscina");
    // A bounded young generation keeps peak memory flat whatever the input size (measured: +65 MB
    // from a 12 MB to a 1.2 GB input, vs +154 MB unbounded); 16 MB costs little speed (8 MB ~10%).
    this.piscina = new Pool({ filename: POOL_WORKER.href, minThreads: n, maxThreads: n, idleTimeout: 1000, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
  }

  get workers(): number {
    return this.options.workers;
  }

  grade(block: Block): Promise<BatchResult> {
    const { reread } = this.options;
    const length = block.bytes.byteLength;
    const offset = block.offset;
    const transfer = reread !== null && offset !== undefined;
    return this.run(block, transfer).catch(async (err) => {
      if (this.stopped) return concatResults([]);
      const bytes = transfer ? await reread(offset, length) : block.bytes;
      return this.rescue({ ...block, bytes }, err);
    });
  }

  /** Results after this are not wanted (an interrupted run): no rescues. */
  stop(): void {
    this.stopped = true;
  }

  destroy(): Promise<void> {
    this.stopped = true;
    return this.piscina.destroy();
  }

  private run(block: Block, transfer: boolean): Promise<BatchResult> {
    const { grader, graderKey, compileOptions, file, output } = this.options;
    const task: BlockTask = { graderKey, grader, compileOptions, file, block, output };
    return transfer ? this.piscina.run(task, { transferList: [block.bytes.buffer as ArrayBuffer] }) : this.piscina.run(task);
  }

  private async rescue(block: Block, err: unknown): Promise<BatchResult> {
    const singles = lineBlocks(block);
    if (singles.length <= 1) return this.crashed(singles[0] ?? block, err);
    const parts = await Promise.all(singles.map((b) => this.run(b, false).catch((e) => this.crashed(b, e))));
    return concatResults(parts);
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
