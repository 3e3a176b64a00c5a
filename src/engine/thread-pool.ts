// The worker-thread pool of runFile (piscina): a block's buffer is transferred to a worker and
// its rows' bytes transferred back, without copies. piscina replaces a worker that dies; only
// the task it was running fails.

import { createRequire } from "node:module";
import type { Piscina } from "piscina";
import type { BatchResult } from "./batch.js";
import type { Block } from "./lines.js";
import { BlockPool, type BlockPoolOptions } from "./pool.js";
import type { BlockTask } from "./pool-worker.js";

// A sibling module: piscina loads it in worker threads, so it must be compiled JavaScript. Code
// that runs the pool from the TypeScript sources (tests) imports the built package instead.
const POOL_WORKER = new URL("./pool-worker.js", import.meta.url);

export class ThreadPool extends BlockPool {
  readonly kind = "threads";
  private readonly piscina: Piscina<BlockTask, BatchResult>;

  constructor(options: BlockPoolOptions) {
    super(options);
    const n = options.workers;
    // piscina (~100 CommonJS modules) is loaded when a pool starts, not with the engine: a small
    // run on the main thread never pays for it (README "Start-up").
    const { Piscina: Pool } = createRequire(import.meta.url)("piscina") as typeof import("piscina");
    // A bounded young generation keeps peak memory flat whatever the input size (measured: +65 MB
    // from a 12 MB to a 1.2 GB input, vs +154 MB unbounded); 16 MB costs little speed (8 MB ~10%).
    this.piscina = new Pool({ filename: POOL_WORKER.href, minThreads: n, maxThreads: n, idleTimeout: 1000, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
  }

  /** Worker threads are in this process's own peak. */
  get outsidePeakRssKb(): number {
    return 0;
  }

  destroy(): Promise<void> {
    this.stopped = true;
    return this.piscina.destroy();
  }

  protected first(block: Block): Promise<BatchResult> {
    return this.run(block, this.transfers(block));
  }

  /** A block's buffer goes to its worker (transferred, or copied): never reused here. A transferred block's view is empty, so a rescue reads it again. */
  doneWithBytes(): boolean {
    return false;
  }

  protected line(block: Block): Promise<BatchResult> {
    return this.run(block, false);
  }

  /** A dying thread fails only its own task, so the pool itself is alone enough. */
  protected isolated(block: Block): Promise<BatchResult> {
    return this.run(block, false);
  }

  /** Whether the block's buffer goes to the worker (it can be read again from the file). */
  private transfers(block: Block): boolean {
    return this.options.reread !== null && block.offset !== undefined;
  }

  private run(block: Block, transfer: boolean): Promise<BatchResult> {
    const { grader, graderKey, compileOptions, file, output } = this.options;
    const task: BlockTask = { graderKey, grader, compileOptions, file, block, output };
    return transfer ? this.piscina.run(task, { transferList: [block.bytes.buffer as ArrayBuffer] }) : this.piscina.run(task);
  }
}
