// A JSONL file as numbered lines of raw bytes, streamed: a 500 MB training file is read in
// fixed-size chunks, never whole, and bytes are checked (UTF-8, BOM) before anything decodes them.

import { isUtf8 } from "node:buffer";
import { open } from "node:fs/promises";

export interface RawLine {
  /** 1-based. */
  number: number;
  /** The line without its "\n" (a "\r" before it is kept: JSON treats it as whitespace). */
  bytes: Buffer;
}

const CHUNK = 1024 * 1024;

/** Every line of the file, in order; the text after the last "\n" is a line when it is not empty. */
export async function* readLines(path: string): AsyncGenerator<RawLine> {
  const fh = await open(path, "r");
  try {
    // The start of a line that spans chunks, in pieces: joined once, when its newline comes (a
    // long line costs its length, not its length squared).
    let pending: Buffer[] = [];
    let number = 1;
    for (;;) {
      // A fresh buffer per read: the lines yielded from it stay valid after the next read.
      const chunk = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await fh.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const data = chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
        const piece = data.subarray(start, nl);
        yield { number: number++, bytes: pending.length ? Buffer.concat([...pending, piece]) : piece };
        pending = [];
        start = nl + 1;
      }
      if (start < data.length) pending.push(Buffer.from(data.subarray(start)));
    }
    if (pending.length) yield { number, bytes: Buffer.concat(pending) };
  } finally {
    await fh.close();
  }
}

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF), or -1. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Whether a line holds nothing but JSON whitespace. */
export function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}
