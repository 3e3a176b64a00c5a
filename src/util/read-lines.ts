// JSON Lines files read as text, a batch of lines at a time: fixed-size reads, so memory does
// not grow with the file, and batches rather than single lines, so a million-line file costs a
// thousand iterations of the async loop, not a million. Lines are numbered from 1 as editors
// number them (blank lines count); a UTF-8 BOM and CRLF line ends are tolerated.

import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";

export interface LineBatch {
  /** The number of lines[0] in the file, from 1. */
  firstLine: number;
  lines: string[];
  /**
   * The batch ends with the file's last line and no newline follows it: a file saved without a
   * final newline, or a write cut short (a run killed mid-row).
   */
  unterminatedLast: boolean;
}

/** Where lines come from: a file path, or an already open stream (stdin). */
export type LineSource = string | NodeJS.ReadableStream;

const READ_SIZE = 1 << 20;

/** The lines of a file or stream, in batches (one per read). */
export async function* readLineBatches(source: LineSource): AsyncGenerator<LineBatch> {
  const stream = typeof source === "string" ? createReadStream(source, { highWaterMark: READ_SIZE }) : source;
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let line = 1;
  let first = true;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    let text = carry + (typeof chunk === "string" ? chunk : decoder.write(chunk));
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const lines = text.split("\n");
    carry = lines.pop()!;
    if (lines.length === 0) continue;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.endsWith("\r")) lines[i] = l.slice(0, -1);
    }
    yield { firstLine: line, lines, unterminatedLast: false };
    line += lines.length;
  }
  carry += decoder.end();
  if (carry.length > 0) yield { firstLine: line, lines: [carry.endsWith("\r") ? carry.slice(0, -1) : carry], unterminatedLast: true };
}
