// Reading the output of `graderkit run`, streamed: the full rows ({"line", "id"?, ...graders/run
// response}) and the compact ones ({"line", "id"?, "reward", "sub_rewards"?, "errors"?: only
// what went wrong, "error"?}), detected row by row, so a file of either (or both, after a
// resume with another version) reads the same. What a resumed run leaves is tolerated: rows out
// of line order, a line written twice (the first counts, as `run --resume` itself decides) and
// a last line cut off mid-write (skipped, with a warning). Anything else that is not a run row
// is an error naming FILE:LINE.

import { emptyErrors, ERROR_FLAGS, type ErrorFlag, type GraderErrors, type RunError } from "../core/response.js";
import type { LineSource } from "../util/read-lines.js";
import { FileLineError } from "./file-error.js";
import { forEachJsonLine } from "./jsonl.js";
import { isJsonObject } from "../util/json-object.js";

/** One graded row, whichever format it was written in. */
export interface RunRow {
  /** The input line it grades (from 1). */
  line: number;
  /** Present exactly when the row has an id. */
  id?: unknown;
  reward: number;
  /** A multi's children by key; null for other graders. */
  subRewards: Record<string, number> | null;
  /** The error flags that are true, in ERROR_FLAGS order. */
  flags: ErrorFlag[];
  /** The error block's non-null text fields (python_grader_server_error_type, …_details). */
  details: Record<string, string>;
  error: RunError | null;
}

export type RunFormat = "full" | "compact";

export interface RunFileInfo {
  name: string;
  rows: number;
  /** The formats seen (one, normally). */
  formats: RunFormat[];
  /** metadata.name / type of the first full row; compact rows do not carry them. */
  grader: { name: string; type: string } | null;
  /** Rows for an input line seen before (not counted in rows). */
  duplicates: number;
  /** The last line was incomplete (no newline, not JSON) and was skipped. */
  tornLastLine: boolean;
  /** Rows are not in increasing line order (a resumed run appends after what it had). */
  outOfOrder: boolean;
}

/** Whether a row says something went wrong. */
export function isErrored(row: RunRow): boolean {
  return row.flags.length > 0 || row.error !== null;
}

/** The error block's text fields: everything in it that is not a boolean flag. */
const DETAIL_KEYS = (Object.keys(emptyErrors()) as Array<keyof GraderErrors>).filter((k) => !(ERROR_FLAGS as readonly string[]).includes(k));

/** Grows as lines are seen: which input lines already have a row. */
class LineSet {
  private bits = new Uint8Array(1 << 16);
  /** Marks the line; false when it was marked already. */
  add(line: number): boolean {
    const byte = line >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, byte + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (line & 7);
    if (this.bits[byte]! & mask) return false;
    this.bits[byte]! |= mask;
    return true;
  }
}

/** Interpret one parsed value as a run row; a string saying why not, when it is not one. */
export function runRowFromValue(value: unknown): RunRow | string {
  if (!isJsonObject(value)) return "not a run row: a row must be a JSON object";
  const { line, reward } = value;
  if (reward === undefined && (value.sample !== undefined || value.model_sample !== undefined)) {
    return "not a run row: it has a sample but no reward (is this the input of `graderkit run` rather than its output?)";
  }
  if (typeof line !== "number" || !Number.isInteger(line) || line < 1) return "not a run row: 'line' must be a positive integer";
  if (typeof reward !== "number") return "not a run row: 'reward' must be a number";
  // Full rows keep the errors under metadata; compact rows at the top, and only what is set.
  const metadata = isJsonObject(value.metadata) ? value.metadata : null;
  const errors = metadata ? metadata.errors : value.errors;
  const flags: ErrorFlag[] = [];
  const details: Record<string, string> = {};
  if (errors !== undefined) {
    if (!isJsonObject(errors)) return "not a run row: 'errors' must be an object";
    // This runs once per row of million-row files: plain loops, no intermediate arrays.
    for (const flag of ERROR_FLAGS) if (errors[flag] === true) flags.push(flag);
    for (const key of DETAIL_KEYS) {
      const v = errors[key];
      if (typeof v === "string") details[key] = v;
    }
  }
  let subRewards: Record<string, number> | null = null;
  const sub = value.sub_rewards;
  if (sub !== undefined) {
    if (!isJsonObject(sub)) return "not a run row: 'sub_rewards' must be an object";
    let any = false;
    for (const key in sub) {
      if (typeof sub[key] !== "number") return "not a run row: every sub_rewards value must be a number";
      any = true;
    }
    // Full rows of graders other than multi carry an empty object.
    if (any) subRewards = sub as Record<string, number>;
  }
  let error: RunError | null = null;
  if (isJsonObject(value.error)) {
    const e = value.error;
    error = { flag: e.flag as ErrorFlag, message: typeof e.message === "string" ? e.message : String(e.message ?? "") };
    if (typeof e.path === "string") error.path = e.path;
  }
  const row: RunRow = { line, reward, subRewards, flags, details, error };
  if (value.id !== undefined) row.id = value.id;
  return row;
}

/** Which format a row object is in. */
function formatOf(value: Record<string, unknown>): RunFormat {
  return isJsonObject(value.metadata) ? "full" : "compact";
}

/**
 * Read a run file (or stream) row by row, calling `visit` for each distinct input line, and
 * describe the file. Throws FileLineError for a line that is not a run row.
 */
export async function scanRun(source: LineSource, name: string, visit: (row: RunRow) => void): Promise<RunFileInfo> {
  const info: RunFileInfo = { name, rows: 0, formats: [], grader: null, duplicates: 0, tornLastLine: false, outOfOrder: false };
  const seen = new LineSet();
  let lastLine = 0;
  await forEachJsonLine(
    source,
    name,
    (value, fileLine) => {
      const row = runRowFromValue(value);
      if (typeof row === "string") throw new FileLineError(name, fileLine, row);
      const format = formatOf(value as Record<string, unknown>);
      if (!info.formats.includes(format)) info.formats.push(format);
      if (format === "full" && info.grader === null) {
        const md = (value as { metadata: Record<string, unknown> }).metadata;
        if (typeof md.name === "string" && typeof md.type === "string") info.grader = { name: md.name, type: md.type };
      }
      if (!seen.add(row.line)) {
        info.duplicates++;
        return;
      }
      if (row.line < lastLine) info.outOfOrder = true;
      lastLine = row.line;
      info.rows++;
      visit(row);
    },
    () => (info.tornLastLine = true),
  );
  return info;
}

/** What a user should know about how a run file was read. */
export function runFileWarnings(info: RunFileInfo): string[] {
  const out: string[] = [];
  if (info.tornLastLine) out.push(`${info.name}: the last line is incomplete (a run stopped while writing it?) and was skipped`);
  const d = info.duplicates;
  if (d > 0) out.push(`${info.name}: ${d} row${d === 1 ? " repeats an input line" : "s repeat input lines"} already seen; the first row of each line is used, as run --resume does`);
  if (info.formats.length > 1) out.push(`${info.name}: the file mixes full and compact rows`);
  return out;
}
