// A run file held in memory as columns (a reward, line and flag mask per row, ids and error
// messages only where present), for what needs every row at once: joining two runs, or a run
// and its labels. About 20 bytes per row plus the ids, where row objects would cost ten times that.

import { ERROR_FLAGS, type ErrorFlag } from "../core/response.js";
import type { LineSource } from "../util/read-lines.js";
import { Float64List } from "./float-list.js";
import { isErrored, scanRun, type RunFileInfo } from "./run-rows.js";

export interface RunColumns {
  info: RunFileInfo;
  length: number;
  rewards: Float64Array;
  lines: Int32Array;
  /** ids[i] is row i's id, undefined when it has none. */
  ids: unknown[];
  /** Rows with an id. */
  withId: number;
  /** Bit k set: ERROR_FLAGS[k] is true. */
  flagBits: Uint16Array;
  /** Rows with any error. */
  errored: Uint8Array;
  /** Error message by row index, for the rows that have one. */
  messages: Map<number, string>;
}

/** The flags of a mask, in ERROR_FLAGS order. */
export function flagsOf(bits: number): ErrorFlag[] {
  return ERROR_FLAGS.filter((_, k) => bits & (1 << k));
}

export async function readRunColumns(source: LineSource, name: string): Promise<RunColumns> {
  const rewards = new Float64List();
  const lines: number[] = [];
  const ids: unknown[] = [];
  const flagBits: number[] = [];
  const errored: number[] = [];
  const messages = new Map<number, string>();
  let withId = 0;
  const info = await scanRun(source, name, (row) => {
    const i = lines.length;
    rewards.push(row.reward);
    lines.push(row.line);
    ids.push(row.id);
    if (row.id !== undefined) withId++;
    let bits = 0;
    for (const f of row.flags) bits |= 1 << ERROR_FLAGS.indexOf(f);
    flagBits.push(bits);
    errored.push(isErrored(row) ? 1 : 0);
    if (row.error?.message) messages.set(i, row.error.message);
  });
  return {
    info,
    length: lines.length,
    rewards: Float64Array.from(rewards.values()),
    lines: Int32Array.from(lines),
    ids,
    withId,
    flagBits: Uint16Array.from(flagBits),
    errored: Uint8Array.from(errored),
    messages,
  };
}

/** The key an id joins by: its JSON, so the string "1" and the number 1 stay apart. */
export function idKey(id: unknown): string {
  return JSON.stringify(id);
}

/**
 * Whether rows can be joined by id: no id repeats, and every row has one (unless
 * `allowMissing`: rows without an id then match nothing). Otherwise why not.
 */
export function idsUsable(columns: RunColumns, allowMissing = false): true | string {
  if (columns.withId === 0) return `${columns.info.name}: no row has an id`;
  if (!allowMissing && columns.withId < columns.length) return `${columns.info.name}: ${columns.length - columns.withId} of ${columns.length} rows have no id`;
  const seen = new Set<string>();
  for (const id of columns.ids) {
    if (id === undefined) continue;
    const key = idKey(id);
    if (seen.has(key)) return `${columns.info.name}: the id ${key} is on more than one row`;
    seen.add(key);
  }
  return true;
}
