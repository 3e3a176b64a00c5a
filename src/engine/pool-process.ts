// A pool process of runFile (forked by process-pool.ts): compiles the grader once (templates,
// formula, metric tables) and grades blocks of raw input lines, one at a time in the order they
// come.
// Runs only synchronous (CPU-bound) graders; executor-backed ones stay in the main process,
// where the executors live. Its stdout is not the run's: only the main process writes rows.

import { readSync, writevSync } from "node:fs";
import { compileOnDemand } from "../graders/compile-on-demand.js";
import type { CompiledGrader } from "../graders/types.js";
import { frameHeader } from "./frames.js";
import type { Block } from "./lines.js";
import { INPUT_FD, ROWS_FD, type FromPoolProcess, type PoolFinish, type PoolSetup, type PoolTask, type ToPoolProcess } from "./pool-protocol.js";
import { gradeBlockInWorker } from "./worker-block.js";

// The main process decides when the run ends: a Ctrl-C reaches the whole process group, and the
// blocks in flight must still be answered (or dropped by the main process) in order.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => {});
// The main process is gone (or done): nobody reads the answers.
process.on("disconnect", () => process.exit(0));

function send(message: FromPoolProcess): void {
  process.send!(message);
}

let setup: PoolSetup | null = null;
let compiled: Promise<CompiledGrader> | null = null;
// Messages are handled strictly in turn (the first ones wait for the grader to compile).
let queue: Promise<void> = Promise.resolve();

process.on("message", (message: ToPoolProcess) => {
  if (message.kind === "setup") {
    setup = message;
    compiled = compileOnDemand(message.grader, message.compileOptions);
    return;
  }
  queue = queue.then(() => handle(message));
});

async function handle(message: PoolTask | PoolFinish): Promise<void> {
  if (message.kind === "finish") {
    send({ kind: "finished", peakRssKb: process.resourceUsage().maxRSS });
    return;
  }
  try {
    if (!setup || !compiled) throw new Error("pool process: a block came before the setup");
    const result = gradeTask(await compiled, setup, message);
    writeFrame(message.id, result.text);
    result.text = [];
    send({ kind: "graded", id: message.id, result });
  } catch (err) {
    send({ kind: "failed", id: message.id, message: err instanceof Error ? err.message : String(err) });
  }
}

function gradeTask(grader: CompiledGrader, { file, output }: PoolSetup, task: PoolTask) {
  const block: Block = { startLine: task.startLine, offset: task.offset, bytes: task.bytes ?? readInput(task.offset!, task.length!), skipThrough: task.skipThrough };
  return gradeBlockInWorker(grader, block, file, output);
}

/** A block's rows as one frame on ROWS_FD (a blocking pipe: this waits while the main process is behind). */
function writeFrame(id: number, pieces: Uint8Array[]): void {
  const length = pieces.reduce((n, p) => n + p.byteLength, 0);
  let chunks = [frameHeader(id, length), ...pieces];
  while (chunks.length > 0) {
    let written = writevSync(ROWS_FD, chunks);
    // A partial write (a signal): go on from where it stopped.
    while (chunks.length > 0 && written >= chunks[0]!.byteLength) written -= chunks.shift()!.byteLength;
    if (written > 0) chunks[0] = chunks[0]!.subarray(written);
  }
}

/** `length` bytes of the input file at `offset` (the main process has read them already). */
function readInput(offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(INPUT_FD, bytes, got, length - got, offset + got);
    if (n === 0) throw new Error(`the input ended at byte ${offset + got}, before the block's ${length} bytes from byte ${offset} (was it truncated during the run?)`);
    got += n;
  }
  return bytes;
}
