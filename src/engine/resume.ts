// --resume: find how far an earlier (possibly killed) run got. Rows are written whole and in
// input order, so OUT is always the rows of a prefix of the input, and at most its last line is
// partial (a kill in the middle of a write): that line is cut off before appending. The scan
// works on bytes (a character split across two reads cannot move the cut), and every complete
// line must be a graderkit row of the run's format (full or compact) whose `line` is greater than
// the one before; anything else is a clear refusal, not a guess.

import { isUtf8 } from "node:buffer";
import { open } from "node:fs/promises";
import { ERROR_FLAGS, type ErrorFlag, type GraderErrors } from "../core/response.js";
import { ioError, RunFileError } from "./errors.js";
import { noteFirstErrors, type ErrorReport, type FirstErrors } from "./first-errors.js";
import { readBlocks } from "./read-blocks.js";
import type { RowFormat } from "./serialize.js";
import type { SummaryBuilder } from "./summary.js";
import { firstInvalidUtf8 } from "./utf8.js";

export interface ResumeState {
  /** Every input line up to this number has its row in OUT (0: none). */
  lastLine: number;
  /** Rows in OUT. */
  rows: number;
  /** Bytes of a torn last line that were cut off. */
  truncatedBytes: number;
}

interface Row extends ErrorReport {
  line?: unknown;
  reward?: unknown;
  /** A compact row's raised flags (a full row has them all under metadata). */
  errors?: Partial<GraderErrors>;
}

/** Why `row` is not a row of `format`, or null when it is. */
function notARow(row: Row, format: RowFormat): string | null {
  const isRow = typeof row === "object" && row !== null && !Array.isArray(row) && Number.isInteger(row.line);
  const full = isRow && typeof row.metadata === "object" && row.metadata !== null;
  if (format === "full") return full && typeof row.metadata?.errors === "object" ? null : "is not a graderkit row (no 'line' or 'metadata.errors')";
  if (full) return "is a full row, but the run writes compact rows";
  return isRow && (typeof row.reward === "number" || row.reward === null) ? null : "is not a compact graderkit row (no 'line' or 'reward')";
}

/** A row's error report as the summary reads it, whatever its format. */
function errorReport(row: Row): ErrorReport {
  return row.metadata ? row : { metadata: { errors: row.errors ?? {} }, error: row.error };
}

const LINES_PER_READ = 4096;

/** Scan OUT, cut off a torn last line, and feed its rows to the summary. */
export async function prepareResume(outPath: string, format: RowFormat, summary: SummaryBuilder): Promise<ResumeState> {
  let fh;
  try {
    fh = await open(outPath, "r+");
  } catch (err) {
    throw ioError(outPath, "open", err);
  }
  const state: ResumeState = { lastLine: 0, rows: 0, truncatedBytes: 0 };
  const refuse = (outLine: number, offset: number, why: string) =>
    new RunFileError("not_resumable", `${outPath}: cannot resume: line ${outLine} (byte ${offset}) ${why}; it is not output of an interrupted graderkit run`);
  try {
    const source = { read: async (into: Uint8Array, offset: number, length: number) => (await fh.read(into, offset, length, null)).bytesRead };
    for await (const block of readBlocks(source, LINES_PER_READ, { stripBom: false })) {
      const bytes = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
      let start = 0;
      let outLine = block.startLine;
      while (start < bytes.length) {
        const nl = bytes.indexOf(10, start);
        if (nl < 0) {
          // A torn last line (the only block that does not end in a newline).
          state.truncatedBytes = bytes.length - start;
          await fh.truncate(block.offset + start);
          break;
        }
        const at = block.offset + start;
        if (!isUtf8(bytes.subarray(start, nl))) {
          throw refuse(outLine, at + (firstInvalidUtf8(bytes, start, nl) - start), "is not UTF-8");
        }
        let row: Row;
        try {
          row = JSON.parse(bytes.toString("utf8", start, nl));
        } catch {
          throw refuse(outLine, at, "is not JSON");
        }
        const why = notARow(row, format);
        if (why) throw refuse(outLine, at, why);
        const line = row.line as number;
        if (line <= state.lastLine) throw refuse(outLine, at, `is the row of input line ${line}, after line ${state.lastLine}`);
        state.lastLine = line;
        state.rows++;
        addRow(summary, line, row);
        start = nl + 1;
        outLine++;
      }
    }
  } catch (err) {
    throw err instanceof RunFileError ? err : ioError(outPath, "read", err);
  } finally {
    await fh.close();
  }
  return state;
}

function addRow(summary: SummaryBuilder, line: number, row: Row): void {
  const report = errorReport(row);
  summary.addReward(typeof row.reward === "number" ? row.reward : 0);
  const flags: Partial<Record<ErrorFlag, number>> = {};
  let any = false;
  for (const flag of ERROR_FLAGS) {
    if (report.metadata?.errors?.[flag] === true) {
      flags[flag] = 1;
      any = true;
    }
  }
  const firstErrors: FirstErrors = {};
  if (any) noteFirstErrors(firstErrors, line, report);
  summary.addFlags(flags, any ? 1 : 0, firstErrors);
}
