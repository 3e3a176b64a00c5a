// Read a file as blocks of whole lines without decoding it: the main thread only looks for
// newline bytes; decoding and JSON parsing happen where the block is graded.

import type { FileHandle } from "node:fs/promises";

export interface RawBlock {
  startLine: number;
  /** A fresh, exactly-sized copy, so it can be transferred to a worker. */
  bytes: Uint8Array;
  lineCount: number;
  /** Bytes of the file read so far (for progress). */
  bytesRead: number;
}

const CHUNK = 1 << 20;

export async function* readBlocks(fh: FileHandle, linesPerBlock: number): AsyncGenerator<RawBlock> {
  let carry: Uint8Array = new Uint8Array(0);
  let line = 1;
  let bytesRead = 0;
  for (;;) {
    const chunk = new Uint8Array(CHUNK);
    const { bytesRead: n } = await fh.read(chunk, 0, CHUNK, null);
    if (n === 0) {
      // The last line without a final newline.
      if (carry.length > 0) yield { startLine: line, bytes: carry.slice(), lineCount: 1, bytesRead };
      return;
    }
    bytesRead += n;
    let data: Uint8Array;
    if (carry.length > 0) {
      data = new Uint8Array(carry.length + n);
      data.set(carry, 0);
      data.set(chunk.subarray(0, n), carry.length);
    } else {
      data = chunk.subarray(0, n);
    }
    let blockStart = 0;
    let pos = 0;
    let count = 0;
    for (;;) {
      const nl = data.indexOf(10, pos);
      if (nl < 0) break;
      count++;
      pos = nl + 1;
      if (count >= linesPerBlock) {
        yield { startLine: line, bytes: data.slice(blockStart, pos), lineCount: count, bytesRead };
        line += count;
        count = 0;
        blockStart = pos;
      }
    }
    if (count > 0) {
      yield { startLine: line, bytes: data.slice(blockStart, pos), lineCount: count, bytesRead };
      line += count;
    }
    carry = data.slice(pos);
  }
}
