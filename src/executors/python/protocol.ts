// The wire protocol between the pool and runner.py, and the size caps that keep one grader from
// flooding the parent.
//
// Parent → worker, one line each: the grader source as a JSON string (first line only), then one
// line per call: `ID TOKEN JSON` where JSON is `[sample, item]`. Each call is its own line so that
// an item the worker cannot decode fails that call alone, not the calls sent with it.
//
// Worker → parent: `\n["ready", VERSION]\n`, then `\n[ID, TOKEN, KIND, VALUE]\n` per call, in order.
// TOKEN is a per-call random value the parent chose: an answer is accepted only for the call the
// worker is running and only with that call's token, so bytes a grader's thread writes on the
// protocol (a forged answer, a partial line) are skipped instead of breaking or replacing the next
// answer. The leading newline re-synchronises after such a partial line.

import { randomFillSync } from "node:crypto";

/** Longest error text kept from a worker, in UTF-16 code units (runner.py applies the same cap). */
export const MAX_DETAILS_CHARS = 16_384;
/** A line from a worker longer than this is not an answer (answers are capped well below it). */
export const MAX_LINE_BYTES = 1 << 20;

export type Answer =
  | { kind: "ready"; version: string }
  | { kind: "call"; id: number; token: string; status: "ok" | "err" | "mem"; value: unknown };

/** Room kept for the marker within the cap, so a capped text is never capped again. */
const MARKER_ROOM = 40;

/**
 * Keep the start and the end of a long text, with a marker saying how many bytes were cut in
 * between; the result is at most `max` characters. runner.py's cap_details does the same.
 */
export function capText(text: string, max = MAX_DETAILS_CHARS): string {
  if (text.length <= max) return text;
  const keep = max - MARKER_ROOM;
  const head = text.slice(0, Math.ceil(keep / 2));
  const tail = text.slice(text.length - Math.floor(keep / 2));
  const cut = Buffer.byteLength(text) - Buffer.byteLength(head) - Buffer.byteLength(tail);
  return `${head}…[truncated ${cut} bytes]…${tail}`;
}

/** The first line a worker reads: the one source it will run. */
export function encodeSource(source: string): string {
  return JSON.stringify(source) + "\n";
}

/** A call line; `payload` is `[sample, item]` already serialized (so a requeue costs nothing). */
export function encodeCall(id: number, token: string, payload: string): string {
  return `${id} ${token} ${payload}\n`;
}

/** Parse one line from a worker; null for anything that is not a well-formed answer. */
export function decodeAnswer(line: string): Answer | null {
  if (line.length === 0 || line.charCodeAt(0) !== 0x5b /* [ */) return null;
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return null;
  }
  if (!Array.isArray(msg)) return null;
  if (msg.length === 2 && msg[0] === "ready" && typeof msg[1] === "string") return { kind: "ready", version: msg[1] };
  const [id, token, status, value] = msg as unknown[];
  if (msg.length !== 4 || typeof id !== "number" || typeof token !== "string") return null;
  if (status !== "ok" && status !== "err" && status !== "mem") return null;
  return { kind: "call", id, token, status, value };
}

/** Unguessable per-call tokens, drawn from a buffer refilled from the CSPRNG (cheap per call). */
export class TokenSource {
  private readonly pool = Buffer.alloc(8 * 512);
  private offset = this.pool.length;

  next(): string {
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const token = this.pool.toString("hex", this.offset, this.offset + 8);
    this.offset += 8;
    return token;
  }
}

/**
 * Splits a byte stream into lines in linear time: each chunk is scanned once, and a partial line
 * is kept as a list of pieces joined only when its newline arrives. A line longer than
 * `maxLine` is dropped as it grows (reported once through `onOverlong`), never buffered whole.
 */
export class LineSplitter {
  private pieces: Buffer[] = [];
  private pending = 0;
  private overlong = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverlong: () => void,
    private readonly maxLine = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf(0x0a, start)) >= 0) {
      if (this.overlong) {
        this.overlong = false;
      } else if (this.pending + nl - start <= this.maxLine) {
        const piece = chunk.subarray(start, nl);
        const line = this.pieces.length === 0 ? piece : Buffer.concat([...this.pieces, piece]);
        this.onLine(line.toString("utf8"));
      } else {
        this.onOverlong();
      }
      this.pieces = [];
      this.pending = 0;
      start = nl + 1;
    }
    if (start >= chunk.length || this.overlong) return;
    const rest = chunk.subarray(start);
    if (this.pending + rest.length > this.maxLine) {
      this.pieces = [];
      this.pending = 0;
      this.overlong = true;
      this.onOverlong();
      return;
    }
    this.pieces.push(rest);
    this.pending += rest.length;
  }
}
