// A pool process of runFile (forked by process-pool.ts): compiles the grader once (templates,
// formula, metric tables) and grades blocks of raw input lines, one at a time in the order they
// come. A block's rows go back framed on ROWS_FD, or are held and written to OUT (OUTPUT_FD)
// when the main process says it is their turn.
// Runs only synchronous (CPU-bound) graders; executor-backed ones stay in the main process,
// where the executors live. Its stdout is not the run's.

import { readSync, writevSync } from "node:fs";
import { compileOnDemand } from "../graders/compile-on-demand.js";
import { bufferBytes, SpareBuffers } from "../util/json-bytes.js";
import { TEXT_PIECE_BYTES } from "./batch.js";
import type { CompiledGrader } from "../graders/types.js";
import { frameHeader } from "./frames.js";
import type { Block } from "./lines.js";
import { INPUT_FD, OUTPUT_FD, ROWS_FD, type FromPoolProcess, type PoolFinish, type PoolSetup, type PoolTask, type ToPoolProcess } from "./pool-protocol.js";
import { gradeBlockInSlices, gradeBlockInWorker } from "./worker-block.js";

/**
 * A block whose rows are held is graded in slices of about this long, with a turn of the event
 * loop between them: a `write` waits for the next turn, and every later write of the run waits
 * for it. 1M full rouge_l rows, 2 processes: a write took 1.1 ms from asking to done with 0.25 ms
 * slices, 1.9-2.1 ms with 1 ms slices (4.46-4.59 s against 4.57-4.93 s), and the whole block
 * at once was slower still (5.10-5.38 s).
 */
const SLICE_MS = 0.25;

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
/** Rows of graded blocks waiting for their turn to be written to OUT, by block id. */
const held = new Map<number, Uint8Array[]>();
/**
 * The buffers of held rows once written to OUT, for the next held blocks' rows. Without them, 4M
 * full string_check rows held until their turn grew each process's peak RSS by 45 MB over a
 * 40k-row run's, against 17 MB with them (written rows waiting for a full garbage collection).
 * Up to 256 are kept (~10 MB, never more than were held at once): a process holds up to ~6
 * blocks of ~1 MB, and with 64 kept the rest were new buffers each time, dropped once written
 * (the same 4M rows: each process's peak 92-95 MB against 78-79 MB with 256).
 * Framed rows are sent at once and die young: no reuse needed.
 */
const spare = new SpareBuffers(bufferBytes(TEXT_PIECE_BYTES), 256);

// Test seam for "a process that dies holding rows loses none": a held block whose lines contain
// the marker ends the process when told to write it, before writing (DIE_BEFORE) or after writing
// half of its bytes (DIE_MIDWAY), as an OOM kill at that moment would.
const DIE_BEFORE = process.env.GRADERKIT_TEST_DIE_BEFORE_WRITE_MARKER;
const DIE_MIDWAY = process.env.GRADERKIT_TEST_DIE_MIDWAY_WRITE_MARKER;
const doomed = new Map<number, "before" | "midway">();

process.on("message", (message: ToPoolProcess) => {
  if (message.kind === "setup") {
    setup = message;
    compiled = compileOnDemand(message.grader, message.compileOptions);
    return;
  }
  // Not queued behind the blocks to grade: the whole run's output waits for it.
  if (message.kind === "write") return writeHeld(message.id);
  queue = queue.then(() => handle(message));
});

function writeHeld(id: number): void {
  const pieces = held.get(id);
  held.delete(id);
  try {
    if (!pieces) throw new Error(`pool process: no rows held for block ${id}`);
    const death = doomed.get(id);
    if (death) dieWriting(pieces, death);
    writeAll(OUTPUT_FD, pieces);
    spare.give(pieces);
    send({ kind: "wrote", id });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    send({ kind: "wrote", id, error: { code: e.code, message: e.message } });
  }
}



async function handle(message: PoolTask | PoolFinish): Promise<void> {
  if (message.kind === "finish") {
    send({ kind: "finished", peakRssKb: process.resourceUsage().maxRSS });
    return;
  }
  try {
    if (!setup || !compiled) throw new Error("pool process: a block came before the setup");
    const result = await gradeTask(await compiled, setup, message);
    const pieces = result.text;
    result.text = [];
    if (message.hold) {
      held.set(message.id, pieces);
      send({ kind: "graded", id: message.id, result, heldBytes: pieces.reduce((n, p) => n + p.byteLength, 0) });
    } else {
      writeFrame(message.id, pieces);
      send({ kind: "graded", id: message.id, result });
    }
  } catch (err) {
    send({ kind: "failed", id: message.id, message: err instanceof Error ? err.message : String(err) });
  }
}

function gradeTask(grader: CompiledGrader, { file, output }: PoolSetup, task: PoolTask) {
  const block: Block = { startLine: task.startLine, offset: task.offset, bytes: task.bytes ?? readInput(task.offset!, task.length!), skipThrough: task.skipThrough };
  if (task.hold && (DIE_BEFORE || DIE_MIDWAY)) {
    const text = Buffer.from(block.bytes).toString("latin1");
    if (DIE_BEFORE && text.includes(DIE_BEFORE)) doomed.set(task.id, "before");
    if (DIE_MIDWAY && text.includes(DIE_MIDWAY)) doomed.set(task.id, "midway");
  }
  return task.hold ? gradeBlockInSlices(grader, block, file, output, SLICE_MS, spare) : gradeBlockInWorker(grader, block, file, output);
}

/** A block's rows as one frame on ROWS_FD (a blocking pipe: this waits while the main process is behind). */
function writeFrame(id: number, pieces: Uint8Array[]): void {
  const length = pieces.reduce((n, p) => n + p.byteLength, 0);
  writeAll(ROWS_FD, [frameHeader(id, length), ...pieces]);
}

function dieWriting(pieces: Uint8Array[], when: "before" | "midway"): never {
  if (when === "midway") {
    const bytes = Buffer.concat(pieces);
    writeAll(OUTPUT_FD, [bytes.subarray(0, bytes.length >> 1)]);
  }
  process.exit(70);
}

function writeAll(fd: number, pieces: readonly Uint8Array[]): void {
  const chunks = pieces.slice();
  while (chunks.length > 0) {
    let written = writevSync(fd, chunks);
    // A partial write (a signal, a full disk's last bytes): go on from where it stopped.
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
