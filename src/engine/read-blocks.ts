// Read a file as blocks of whole lines without decoding it: the main thread only looks for
// newline bytes; decoding and JSON parsing happen where the block is graded. Each read lands in
// a fresh buffer that the block then owns, so it can be transferred to a worker without a copy.

import type { FileHandle } from "node:fs/promises";

export interface RawBlock {
  startLine: number;
  /** Whole lines; the view is the only user of its buffer, so it can be transferred. */
  bytes: Uint8Array;
  lineCount: number;
  /** Where the block starts in the file (to read it again after a worker crash). */
  offset: number;
  /** Bytes of the file read so far (for progress). */
  bytesRead: number;
}

/** Large enough that a read is cheap, small enough that a block is ~1,000 typical rows. */
export const CHUNK = 256 * 1024;

export async function* readBlocks(fh: FileHandle, linesPerBlock: number): AsyncGenerator<RawBlock> {
  let carry: Uint8Array = new Uint8Array(0);
  let line = 1;
  let bytesRead = 0;
  let offset = 0; // file offset of data[0]
  for (;;) {
    // The partial line left over goes first, so a block is always one contiguous buffer.
    const data = new Uint8Array(carry.length + CHUNK);
    data.set(carry, 0);
    const { bytesRead: n } = await fh.read(data, carry.length, CHUNK, null);
    if (n === 0) {
      // The last line without a final newline.
      if (carry.length > 0) yield { startLine: line, bytes: carry, lineCount: 1, offset, bytesRead };
      return;
    }
    bytesRead += n;
    const end = carry.length + n;
    // Cut at every linesPerBlock-th newline; the last cut is the last newline of the data.
    const cuts: Array<[from: number, to: number, lines: number]> = [];
    let from = 0;
    let pos = 0;
    let count = 0;
    for (;;) {
      const nl = data.indexOf(10, pos);
      if (nl < 0 || nl >= end) break;
      count++;
      pos = nl + 1;
      if (count >= linesPerBlock) {
        cuts.push([from, pos, count]);
        from = pos;
        count = 0;
      }
    }
    if (count > 0) cuts.push([from, pos, count]);
    carry = data.slice(pos, end);
    // One cut: the block owns the buffer (the carry was copied out). Several: each gets a copy.
    const single = cuts.length === 1;
    for (const [a, b, lines] of cuts) {
      yield { startLine: line, bytes: single ? data.subarray(a, b) : data.slice(a, b), lineCount: lines, offset: offset + a, bytesRead };
      line += lines;
    }
    offset += pos;
  }
}
