// The worker-process pool of runFile: each worker is a Node process (pool-process.ts) that reads
// its blocks itself from the input file, at their offsets, from the main process's own open
// descriptor (a stream's blocks come over the IPC channel). When OUT is a file, a process holds
// each block's rows and writes them to OUT itself when the sink says it is their turn (HeldRows);
// otherwise it sends them as a frame on a pipe of its own (frames.ts). The numbers come over the
// IPC channel. A process that dies fails the blocks it had (and the held rows it had not written
// are graded again); a new one takes its place.

import { fork, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import type { BatchResult } from "./batch.js";
import { processesWriteOut } from "./defaults.js";
import { SpareBuffers } from "../util/json-bytes.js";
import { FrameReader } from "./frames.js";
import type { Block } from "./lines.js";
import { BlockPool, HolderGoneError, type BlockPoolOptions } from "./pool.js";
import { ROWS_FD, type FromPoolProcess, type PoolSetup, type PoolTask, type ToPoolProcess } from "./pool-protocol.js";
import type { RowFormat } from "./serialize.js";

// A sibling module, forked as a Node process, so it must be compiled JavaScript. Code that runs
// the pool from the TypeScript sources (tests) imports the built package instead.
const POOL_PROCESS = new URL("./pool-process.js", import.meta.url);

/**
 * V8 flags of a pool process: a young generation bounded by the rows it makes, so peak memory
 * stays flat whatever the input size (README "Memory"), as the worker threads' 16 MB cap does.
 * Measured with 2 processes: compact rows, 8 MB semi-spaces grade bleu 5% faster than 4 MB (1M
 * rows, 8.70-8.75 s against 9.14-9.23 s) and grow +82 MB from a 12 MB to a 1.2 GB input (+61
 * with 4 MB, +104 with 16); full rows grow +122 MB with 8 MB against +92 MB with 4.
 */
export function poolProcessFlags(format: RowFormat): string[] {
  return [`--max-semi-space-size=${format === "compact" ? 8 : 4}`, `--heap-growing-percent=${HEAP_GROWING_PERCENT}`];
}

/**
 * How much V8 lets a process's old generation grow past what a full collection left before the
 * next one (V8 picks a factor of 1.1-4 itself). Rows that outlive a block's grading (held rows,
 * strings of the block in flight) reach the old generation and stay there until a full
 * collection; with V8's own factor, each process's old generation grew to 16-26 MB of them over
 * 4M compact string_check rows. With 30%: 2 processes, their peaks 78-80 MB against 84-94
 * (`bench/engine.mjs --memory`, compact: +60 MB from 12 MB to 1.2 GB against +94), and 1M
 * compact rouge_l rows graded as fast (4.11 s against 4.13 s, medians of 3).
 */
const HEAP_GROWING_PERCENT = 30;

/**
 * Consecutive held blocks given to one process (nextHolder). Full rows, 2 processes, 2 rounds:
 * string_check (4M rows, where turns to write are most of the cost) 8.78 s with 1, 7.18 s with 4,
 * 7.13 s with 8; rouge_l (1M rows) the same with all three.
 */
const HELD_RUN = 4;

/**
 * Frames up to this size (a block of compact rows: 1,024 rows of ~50 bytes) are copied into
 * spare buffers, at most FRAME_BUFFERS_KEPT of them kept (frames.ts); larger ones stay views.
 */
const FRAME_BUFFER_BYTES = 128 * 1024;
const FRAME_BUFFERS_KEPT = 32;

/** How long a pool process may take to answer `finish` before it is killed. */
const FINISH_TIMEOUT_MS = 5000;

/** The process to give the next block: the one with the fewest blocks in flight (the first of equals). */
export function leastLoaded(inFlight: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < inFlight.length; i++) if (inFlight[i]! < inFlight[best]!) best = i;
  return best;
}

/** A message for a process that ended with blocks in flight. */
export function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `the pool process was killed by ${signal}` : `the pool process exited with code ${code}`;
}

interface Pending {
  resolve: (result: BatchResult) => void;
  reject: (err: Error) => void;
  /** What has come of the block so far: its numbers (IPC) and its rows' bytes (frame). */
  result?: BatchResult;
  text?: Uint8Array[];
  written?: () => void;
}

interface Writing {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** One pool process: blocks in flight by id, all rejected if it dies. */
class PoolProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  /** Held blocks it was told to write, until it says it has. */
  private readonly writing = new Map<number, Writing>();
  private nextId = 0;
  private finished: ((peakRssKb: number) => void) | null = null;
  private ended: Promise<void>;
  exited = false;

  constructor(setup: PoolSetup, inputFd: number | null, outputFd: number | null, spare: SpareBuffers) {
    this.child = fork(POOL_PROCESS, [], {
      // Never the run's stdout (rows may go there); the input file at INPUT_FD and OUT at
      // OUTPUT_FD when they are files.
      stdio: ["ignore", "ignore", "inherit", "ipc", inputFd ?? "ignore", "pipe", outputFd ?? "ignore"],
      serialization: "advanced",
      execArgv: poolProcessFlags(setup.output.format),
    });
    this.ended = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.fail(new Error(exitReason(code, signal)));
        resolve();
      });
    });
    // A process that cannot start (or a channel that breaks) fails its blocks as an exit does.
    this.child.on("error", (err) => {
      this.fail(err);
      this.child.kill("SIGKILL");
    });
    this.child.on("message", (m: FromPoolProcess) => this.receive(m));
    const frames = new FrameReader((id, text, written) => this.arrived(id, (p) => ((p.text = text), (p.written = written))), spare);
    (this.child.stdio[ROWS_FD as number] as Readable).on("data", (chunk: Buffer) => frames.push(chunk));
    this.post(setup);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  grade(task: Omit<PoolTask, "kind" | "id">): Promise<BatchResult> {
    if (this.exited) return Promise.reject(new Error("the pool process has ended"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ kind: "grade", id, ...task });
    });
  }

  /** Ask for the process's peak memory once its blocks are done, then let it go (null: it did not answer). */
  async finish(): Promise<number | null> {
    if (this.exited) return null;
    const answer = new Promise<number | null>((resolve) => {
      this.finished = resolve;
      this.ended.then(() => resolve(null));
    });
    this.post({ kind: "finish" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), FINISH_TIMEOUT_MS);
    const peak = await answer;
    if (this.child.connected) this.child.disconnect();
    await this.ended;
    clearTimeout(timer);
    return peak;
  }

  /** End it now: nothing it would answer is wanted. */
  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }

  private post(message: ToPoolProcess): void {
    if (!this.child.connected) return;
    // A failed send means the channel closed: the exit handler rejects what is in flight.
    this.child.send(message, (err) => err && this.fail(err));
  }

  private receive(m: FromPoolProcess): void {
    if (m.kind === "finished") {
      this.finished?.(m.peakRssKb);
      return;
    }
    if (m.kind === "graded") {
      const { heldBytes, id } = m;
      if (heldBytes !== undefined) {
        m.result.held = { byteLength: heldBytes, holder: this, write: () => this.writeHeld(id) };
        this.arrived(id, (p) => ((p.result = m.result), (p.text = [])));
      } else this.arrived(id, (p) => (p.result = m.result));
      return;
    }
    if (m.kind === "wrote") {
      const w = this.writing.get(m.id);
      if (!w) return;
      this.writing.delete(m.id);
      if (m.error) w.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else w.resolve();
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    p.reject(new Error(m.message));
  }

  /** A block is done once both its numbers and its bytes have come (in either order). */
  private arrived(id: number, note: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    note(p);
    if (!p.result || !p.text) return;
    this.pending.delete(id);
    p.result.text = p.text;
    p.result.written = p.written;
    p.resolve(p.result);
  }

  /** Have the process write a held block's rows to OUT (HeldRows.write; null once written). */
  private writeHeld(id: number): Promise<null> {
    if (this.exited) return Promise.reject(new HolderGoneError("the pool process holding the rows has ended"));
    return new Promise((resolve, reject) => {
      this.writing.set(id, { resolve: () => resolve(null), reject });
      this.post({ kind: "write", id });
    });
  }

  private fail(err: Error): void {
    this.exited = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    // It may have died inside a write: the sink cuts OUT back to where the block began before
    // the block, graded again, is written (sink.ts, writeHeld).
    for (const w of this.writing.values()) w.reject(new HolderGoneError(err.message));
    this.writing.clear();
  }
}

export class ProcessPool extends BlockPool {
  readonly kind = "processes";
  private readonly processes: PoolProcess[] = [];
  private readonly setup: PoolSetup;
  /** The process that grades suspect lines one at a time (the base's rescue), started on first need. */
  private isolatedProcess: PoolProcess | null = null;
  private peakRssKb = 0;
  private holder: PoolProcess | null = null;
  private holderLeft = 0;
  /** Buffers the processes' frames are copied into (frames.ts), given back as they are written. */
  private readonly frameBuffers = new SpareBuffers(FRAME_BUFFER_BYTES, FRAME_BUFFERS_KEPT);

  constructor(options: BlockPoolOptions) {
    super(options);
    const { grader, compileOptions, file, output } = options;
    this.setup = { kind: "setup", grader, compileOptions, file, output };
    // Started at once: they boot while the main process reads the first blocks.
    for (let i = 0; i < options.workers; i++) this.processes.push(this.spawn());
  }

  /**
   * The pool processes' peak resident sets added up, in KiB, known once the pool is destroyed (a
   * process that died and was replaced is not in it: its peak went with it).
   */
  get outsidePeakRssKb(): number {
    return this.peakRssKb;
  }

  async destroy(): Promise<void> {
    this.stopped = true;
    const all = this.isolatedProcess ? [...this.processes, this.isolatedProcess] : this.processes;
    // Blocks still in flight are an interrupted run's: not waited for.
    for (const p of all) if (p.inFlight > 0) p.kill();
    const peaks = await Promise.all(all.map((p) => p.finish()));
    this.peakRssKb = peaks.reduce<number>((sum, kb) => sum + (kb ?? 0), 0);
  }

  /**
   * A file's block is read by the process from the file; the main process keeps the bytes for a
   * rescue. With OUT a file, the process may hold the block's rows (processesWriteOut).
   */
  protected first(block: Block): Promise<BatchResult> {
    const { inputFd, outputFd, output } = this.options;
    const hold = outputFd !== null && processesWriteOut(output.format);
    return this.run(hold ? this.nextHolder() : this.leastLoaded(), block, inputFd !== null, hold);
  }

  /**
   * Held blocks go to processes HELD_RUN at a time, so blocks that follow each other are often
   * held by one process, which writes them in one turn (sink.ts) when the writes fall behind.
   */
  private nextHolder(): PoolProcess {
    if (this.holder && !this.holder.exited && this.holderLeft > 0) {
      this.holderLeft--;
      return this.holder;
    }
    this.holder = this.leastLoaded();
    this.holderLeft = HELD_RUN - 1;
    return this.holder;
  }

  /** A file's block: the process reads it itself, and a rescue reads it again. */
  doneWithBytes(block: Block): boolean {
    return this.options.inputFd !== null && this.options.reread !== null && block.offset !== undefined;
  }

  protected line(block: Block): Promise<BatchResult> {
    return this.run(this.leastLoaded(), block, false, false);
  }

  /** On a process of its own: a process that dies fails every block it had. */
  protected isolated(block: Block): Promise<BatchResult> {
    if (!this.isolatedProcess || this.isolatedProcess.exited) this.isolatedProcess = this.spawn();
    return this.run(this.isolatedProcess, block, false, false);
  }

  private spawn(): PoolProcess {
    return new PoolProcess(this.setup, this.options.inputFd, this.options.outputFd, this.frameBuffers);
  }

  /** The process with the fewest blocks in flight, replacing processes that have died. */
  private leastLoaded(): PoolProcess {
    for (let i = 0; i < this.processes.length; i++) if (this.processes[i]!.exited) this.processes[i] = this.spawn();
    return this.processes[leastLoaded(this.processes.map((p) => p.inFlight))]!;
  }

  private run(target: PoolProcess, block: Block, byOffset: boolean, hold: boolean): Promise<BatchResult> {
    const { startLine, offset, skipThrough, bytes } = block;
    const where = byOffset && offset !== undefined ? { length: bytes.byteLength } : { bytes };
    return target.grade({ startLine, offset, skipThrough, ...where, hold });
  }
}
