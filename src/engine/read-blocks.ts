// Read an input as blocks of whole lines without decoding it: the main thread only looks for
// newline bytes; decoding and JSON parsing happen where the block is graded. Each block owns
// its buffer, so it can be transferred to a worker without a copy, until it is released
// (RawBlock.release): a released buffer takes a later read.
//
// A partial line left over from one read goes first in the next buffer (a block is always one
// contiguous buffer). A line that fills its buffer moves to one eight times larger: the copies
// add up to a seventh of the line at most, capacity not yet read into is never touched (the OS
// maps it lazily), and only new bytes are searched for the newline, so a single 64 MB line costs
// linear time, not a copy of everything read so far on every read.

import { constants } from "node:buffer";

const { MAX_LENGTH } = constants;

/** Where the bytes come from: a file read sequentially, or a stream (stdin). */
export interface ByteSource {
  /** Read up to `length` bytes into `into` at `offset`; resolves to 0 at the end of the input. */
  read(into: Uint8Array, offset: number, length: number): Promise<number>;
}

export interface RawBlock {
  startLine: number;
  /** Whole lines; the view is the only user of its buffer, so it can be transferred. */
  bytes: Uint8Array;
  lineCount: number;
  /** Where the block starts in the input (to read it again after a worker crash; in messages). */
  offset: number;
  /** Bytes of the input read so far (for progress and the automatic pool). */
  bytesRead: number;
  /**
   * The block's bytes are no longer read by anyone (they were graded here, or a worker process
   * reads its own copy): their buffer may take a later read.
   */
  release(): void;
}

/** Large enough that a read is cheap, small enough that a block is ~1,000 typical rows. */
export const CHUNK = 256 * 1024;

const NEWLINE = 10;
/** How much a buffer grows when one line fills it. */
const GROWTH = 8;
/**
 * Read buffers are CHUNK plus this, room for the partial line carried over from the last read, so
 * that a released buffer fits the next read. Without reuse, a main process that only cuts blocks
 * for worker processes allocates little else, and its released buffers waited for a garbage
 * collection: 4M full string_check rows on 2 processes, its peak RSS grew by 36 MB over a 40k-row
 * run's, against 25 MB with reuse.
 */
const CARRY = 16 * 1024;
// Blocks are released right after they are handed out, so a few buffers are enough.
const REUSED = 4;
const NO_RELEASE = () => {};

/** Whether the bytes start with the UTF-8 byte order mark EF BB BF. */
export function startsWithBom(bytes: Uint8Array, from = 0, to = bytes.length): boolean {
  return to - from >= 3 && bytes[from] === 0xef && bytes[from + 1] === 0xbb && bytes[from + 2] === 0xbf;
}

export interface ReadBlocksOptions {
  /** Drop a byte order mark at the very start of the input (never anywhere else). Default true. */
  stripBom?: boolean;
}

export async function* readBlocks(source: ByteSource, linesPerBlock: number, options: ReadBlocksOptions = {}): AsyncGenerator<RawBlock> {
  let bomUndecided = options.stripBom ?? true;
  const released: Uint8Array[] = [];
  // A buffer for a read after `carried` bytes of a partial line: a released one when it fits.
  const readBuffer = (carried: number) => (carried <= CARRY ? released.pop() ?? new Uint8Array(CHUNK + CARRY) : new Uint8Array(carried + CHUNK));
  const releaser = (buffer: Uint8Array) => () => {
    if (buffer.length === CHUNK + CARRY && released.length < REUSED && !released.includes(buffer)) released.push(buffer);
  };
  let data = readBuffer(0);
  let start = 0; // data[start, end) is the unconsumed part; data[start, scanned) has no newline
  let end = 0;
  let scanned = 0;
  let line = 1;
  let bytesRead = 0;
  let offset = 0; // input offset of data[start]
  for (;;) {
    if (end === data.length) {
      // Full without a newline: a long line.
      const grown = new Uint8Array(Math.min(MAX_LENGTH, Math.max(2 * CHUNK, GROWTH * (end - start))));
      grown.set(data.subarray(start, end), 0);
      releaser(data)();
      end -= start;
      scanned -= start;
      start = 0;
      data = grown;
    }
    const n = await source.read(data, end, data.length - end);
    if (n > 0) {
      bytesRead += n;
      end += n;
    }
    if (bomUndecided) {
      // A stream may deliver fewer than three bytes at first: decide once three are in (or at the end).
      if (n > 0 && end - start < 3) continue;
      bomUndecided = false;
      if (startsWithBom(data, start, end)) {
        start += 3;
        scanned = start;
        offset = 3;
      }
    }
    if (n === 0) {
      // The last line without a final newline.
      if (end > start) yield { startLine: line, bytes: data.subarray(start, end), lineCount: 1, offset, bytesRead, release: NO_RELEASE };
      return;
    }
    // Search only the new bytes (a Buffer view ending at `end`: memchr, several times faster than
    // Uint8Array's indexOf).
    const view = Buffer.from(data.buffer, data.byteOffset, end);
    let nl = view.indexOf(NEWLINE, scanned);
    if (nl < 0) {
      scanned = end;
      continue;
    }
    // Cut at every linesPerBlock-th newline; the last cut is the last newline read.
    const cuts: Array<[from: number, to: number, lines: number]> = [];
    let from = start;
    let count = 0;
    let pos = start;
    while (nl >= 0) {
      count++;
      pos = nl + 1;
      if (count >= linesPerBlock) {
        cuts.push([from, pos, count]);
        from = pos;
        count = 0;
      }
      nl = view.indexOf(NEWLINE, pos);
    }
    if (count > 0) cuts.push([from, pos, count]);
    // The partial line after the last newline moves to another buffer: the blocks own this one.
    const rest = readBuffer(end - pos);
    rest.set(data.subarray(pos, end), 0);
    // One cut: the block owns the buffer. Several: each gets a copy.
    const single = cuts.length === 1;
    const release = single ? releaser(data) : NO_RELEASE;
    for (const [a, b, lines] of cuts) {
      yield { startLine: line, bytes: single ? data.subarray(a, b) : data.slice(a, b), lineCount: lines, offset: offset + (a - start), bytesRead, release };
      line += lines;
    }
    // The blocks have copies of their own.
    if (!single) releaser(data)();
    offset += pos - start;
    end -= pos;
    data = rest;
    start = 0;
    scanned = end;
  }
}
