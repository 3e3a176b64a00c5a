// --resume: find which input lines an earlier (possibly killed) run already wrote. Rows are
// written whole, so at most the last line of OUT can be partial; it is cut off before appending.

import { existsSync, openSync, readSync, closeSync, ftruncateSync, fstatSync } from "node:fs";
import { ERROR_FLAGS, type ErrorFlag } from "../core/response.js";
import { noteFirstErrors, type ErrorReport, type FirstErrors } from "./first-errors.js";

export interface ResumeState {
  done: Set<number>;
  rewards: number[];
  flags: Partial<Record<ErrorFlag, number>>;
  errorRows: number;
  firstErrors: FirstErrors;
}

/** Read OUT, drop a trailing partial line (truncating the file), and collect finished rows. */
export function prepareResume(outPath: string): ResumeState {
  const state: ResumeState = { done: new Set(), rewards: [], flags: {}, errorRows: 0, firstErrors: {} };
  if (!existsSync(outPath)) return state;
  const fd = openSync(outPath, "r+");
  try {
    const size = fstatSync(fd).size;
    const chunk = Buffer.allocUnsafe(1 << 20);
    let pos = 0;
    let carry = "";
    let complete = 0; // byte length of the complete-lines prefix
    while (pos < size) {
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n <= 0) break;
      pos += n;
      const text = carry + chunk.toString("utf8", 0, n);
      const lines = text.split("\n");
      carry = lines.pop() ?? "";
      for (const line of lines) {
        complete += Buffer.byteLength(line, "utf8") + 1;
        if (line.trim() === "") continue;
        let row: { line?: unknown; reward?: unknown; metadata?: { errors?: Record<string, unknown> } } & ErrorReport;
        try {
          row = JSON.parse(line);
        } catch {
          throw new Error(`${outPath}: cannot resume: a complete line is not JSON (byte ${complete - Buffer.byteLength(line, "utf8") - 1})`);
        }
        if (typeof row.line !== "number") throw new Error(`${outPath}: cannot resume: a row has no 'line' number`);
        if (state.done.has(row.line)) continue;
        state.done.add(row.line);
        state.rewards.push(typeof row.reward === "number" ? row.reward : 0);
        let any = false;
        for (const flag of ERROR_FLAGS) {
          if (row.metadata?.errors?.[flag] === true) {
            state.flags[flag] = (state.flags[flag] ?? 0) + 1;
            any = true;
          }
        }
        if (any) {
          state.errorRows++;
          noteFirstErrors(state.firstErrors, row.line, row);
        }
      }
    }
    if (complete < size) ftruncateSync(fd, complete);
  } finally {
    closeSync(fd);
  }
  return state;
}
