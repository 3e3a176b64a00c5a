// Grade a block of lines into serialized output rows plus the numbers the summary needs. Pool
// workers and the main thread (--workers 0) use the same functions, so both paths give the same
// bytes. The graded rows themselves travel only when someone asked for them (runFile's onRow):
// the hot path carries text and numbers.

import type { Executors } from "../core/executors.js";
import type { CompiledGrader } from "../graders/types.js";
import { ERROR_FLAGS, type ErrorFlag } from "../core/response.js";
import { gradeLine, type GradedLine, type LineInput } from "./grade-row.js";
import { mergeFirstErrors, noteFirstErrors, type FirstErrors } from "./first-errors.js";
import { JsonBytes, type SpareBuffers } from "../util/json-bytes.js";
import { isClean, rowWriter, type RowFormat } from "./serialize.js";

/** What a graded block hands on, the same wherever it is graded: the row format, and whether the graded rows travel too. */
export interface RowOutput {
  format: RowFormat;
  /** Also return the graded rows (runFile's onRow); off on the hot path. */
  keepRows: boolean;
}

export const FULL_ROWS: RowOutput = { format: "full", keepRows: false };

/**
 * A block's rows that a worker process holds, to write them to OUT itself when it is their turn
 * (process-pool.ts): they never cross a pipe.
 */
export interface HeldRows {
  byteLength: number;
  /**
   * Who holds them. Writes asked of one holder together are done in one turn, in the order
   * asked: rows of one holder that follow each other are best asked for together.
   */
  holder: object;
  /**
   * Write them now (every earlier row is on OUT): null once written, or, when their worker died
   * first, the block graded again, to write in their place. Rejects when the write fails.
   */
  write(): Promise<BatchResult | null>;
}

export interface BatchResult {
  /** The rows' UTF-8 bytes, each ending in "\n", in input order, in pieces of about TEXT_PIECE_BYTES. */
  text: Uint8Array[];
  /** Or (text then empty) the rows are held by a worker process. */
  held?: HeldRows;
  /** Called once the last piece of text is handed to the OS: its buffer may take other bytes (frames.ts). */
  written?: () => void;
  rewards: Float64Array;
  /** Per flag, how many rows raised it. */
  flags: Partial<Record<ErrorFlag, number>>;
  /** Rows that raised at least one flag. */
  errorRows: number;
  /** Per flag, the block's first row that raised it and its message. */
  firstErrors: FirstErrors;
  /** The graded rows, only when asked for (keepRows). */
  rows?: GradedLine[];
}

/**
 * A block's rows are written into pieces of about this many bytes, not one buffer: a block of
 * full rows is ~1 MB, which as one string (and its UTF-8 bytes) was a large object that V8 maps
 * and unmaps per block, as a whole decoded block was (lines.ts, PIECE_BYTES). Measured on full
 * rouge_l rows, when rows were strings: 1.04x at --workers 0 (system CPU 0.46 -> 0.20 s for 300k
 * rows, with lines.ts' pieces), unchanged at --workers 2.
 */
export const TEXT_PIECE_BYTES = 32 * 1024;

/** Serialize graded rows and count their rewards and flags (into spare buffers, if given). */
export function collect(rows: GradedLine[], output: RowOutput = FULL_ROWS, spare: SpareBuffers | null = null): BatchResult {
  const write = rowWriter(output.format);
  const out = new JsonBytes(TEXT_PIECE_BYTES, spare);
  const rewards = new Float64Array(rows.length);
  const flags: Partial<Record<ErrorFlag, number>> = {};
  let errorRows = 0;
  const firstErrors: FirstErrors = {};
  for (let i = 0; i < rows.length; i++) {
    const { line, id, response } = rows[i];
    write(out, line, id, response);
    out.endRecord();
    rewards[i] = response.reward;
    const errors = response.metadata.errors;
    if (isClean(errors)) continue;
    let any = false;
    for (const flag of ERROR_FLAGS) {
      if (errors[flag]) {
        flags[flag] = (flags[flag] ?? 0) + 1;
        any = true;
      }
    }
    if (any) {
      errorRows++;
      noteFirstErrors(firstErrors, line, response);
    }
  }
  const pieces = out.take();
  return output.keepRows ? { text: pieces, rewards, flags, errorRows, firstErrors, rows } : { text: pieces, rewards, flags, errorRows, firstErrors };
}

/** Concatenate results in order (rescued blocks graded line by line). */
export function concatResults(parts: readonly BatchResult[]): BatchResult {
  const total = parts.reduce((n, p) => n + p.rewards.length, 0);
  const rewards = new Float64Array(total);
  const flags: Partial<Record<ErrorFlag, number>> = {};
  const text: Uint8Array[] = [];
  const rows: GradedLine[] = [];
  const firstErrors: FirstErrors = {};
  let errorRows = 0;
  let at = 0;
  for (const p of parts) {
    for (const piece of p.text) text.push(piece);
    rewards.set(p.rewards, at);
    at += p.rewards.length;
    errorRows += p.errorRows;
    mergeFirstErrors(firstErrors, p.firstErrors);
    if (p.rows) rows.push(...p.rows);
    for (const [f, n] of Object.entries(p.flags) as Array<[ErrorFlag, number]>) flags[f] = (flags[f] ?? 0) + n;
  }
  const result: BatchResult = { text, rewards, flags, errorRows, firstErrors };
  if (parts.some((p) => p.rows)) result.rows = rows;
  return result;
}

/**
 * gradeLinesSync, giving the event loop a turn whenever `sliceMs` have gone by (a pool process
 * answers the main process's messages in those turns).
 */
export async function gradeLinesInSlices(grader: CompiledGrader, lines: readonly LineInput[], file: string, output: RowOutput, sliceMs: number, spare: SpareBuffers): Promise<BatchResult> {
  const executors: Executors = {};
  const rows = new Array<GradedLine>(lines.length);
  let since = performance.now();
  for (let i = 0; i < lines.length; i++) {
    rows[i] = gradeLine(grader, lines[i]!, executors, file) as GradedLine;
    if ((i & 15) === 15 && performance.now() - since >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  return collect(rows, output, spare);
}

/** Grade the lines of a block with a synchronous (CPU-bound) grader. */
export function gradeLinesSync(grader: CompiledGrader, lines: readonly LineInput[], file: string, output: RowOutput = FULL_ROWS): BatchResult {
  const executors: Executors = {};
  return collect(lines.map((l) => gradeLine(grader, l, executors, file) as GradedLine), output);
}
