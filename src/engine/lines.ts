// A block of input bytes → its numbered lines. Runs where the block is graded (a pool worker or
// the main thread), so every path applies the same rules:
// - "\n" ends a line, a "\r" before it is dropped; blank lines produce no row;
// - the text must be UTF-8: a line with an ill-formed byte gets a sample_parse_error row naming
//   the byte (no silent U+FFFD), the other lines of the block are unaffected;
// - a byte order mark is dropped only at the very start of the input (by the reader); one that
//   starts any later line makes that line a sample_parse_error, whatever the block boundaries.

import type { LineInput } from "./grade-row.js";
import { firstInvalidUtf8 } from "./utf8.js";

export interface Block {
  /** Line number of the block's first line (1-based). */
  startLine: number;
  /** Where the block starts in the input, when it comes from one. */
  offset?: number;
  /** Whole lines, UTF-8, each ending in "\n" (the input's last line may lack it). */
  bytes: Uint8Array;
  /** Lines up to this number are already in OUT (--resume) and are not graded. */
  skipThrough?: number;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const BOM = 0xfeff;
const OPEN_BRACE = 0x7b;
const NEWLINE = 10;

export const BOM_PROBLEM = "a byte order mark (U+FEFF) starts the line; only the start of the input may have one";

/** The line's input, or null for a blank line; `text` has no line end. */
function lineInput(line: number, text: string, problem?: string): LineInput | null {
  if (problem) return { line, text, problem };
  if (text.charCodeAt(0) === BOM) return { line, text, problem: BOM_PROBLEM };
  // Rows start with "{": no need to trim them to know they are not blank.
  return text.charCodeAt(0) !== OPEN_BRACE && text.trim() === "" ? null : { line, text };
}

/**
 * A block is decoded in pieces of at most this many bytes, each ending at a newline (one line
 * longer than that is a piece of its own). A piece decodes to an ordinary young-generation
 * string; a whole 256 KB block decoded at once was a large object, which V8 maps and unmaps for
 * every block (~5 system calls). Measured on compact rouge_l rows: 1.10x at --workers 0 (system
 * CPU 0.24 -> 0.14 s for 300k rows), unchanged at --workers 2. A newline byte never occurs inside
 * a UTF-8 sequence, so pieces decode exactly as the whole block would.
 */
export const PIECE_BYTES = 64 * 1024;

/** The non-blank lines of a block, numbered, minus the ones already in OUT (pieceBytes: see PIECE_BYTES). */
export function blockLines(block: Block, pieceBytes: number = PIECE_BYTES): LineInput[] {
  const out: LineInput[] = [];
  const bytes = block.bytes;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let line = block.startLine;
  for (let at = 0; at < bytes.length; ) {
    const end = pieceEnd(view, at, pieceBytes);
    line = pieceLines(block, bytes.subarray(at, end), at, line, out);
    at = end;
  }
  return out;
}

/** Where the piece starting at `at` ends: after the last newline within pieceBytes, or the end. */
function pieceEnd(view: Buffer, at: number, pieceBytes: number): number {
  if (view.length - at <= pieceBytes) return view.length;
  const nl = view.lastIndexOf(NEWLINE, at + pieceBytes - 1);
  if (nl >= at) return nl + 1;
  const next = view.indexOf(NEWLINE, at + pieceBytes);
  return next < 0 ? view.length : next + 1;
}

/**
 * Appends the lines of `piece` (bytes [at, ...) of the block, first line number `line`) to out;
 * returns the number of the line after it.
 */
function pieceLines(block: Block, piece: Uint8Array, at: number, line: number, out: LineInput[]): number {
  let text: string;
  try {
    text = strictUtf8.decode(piece);
  } catch {
    return linesOfInvalidPiece(block, piece, at, line, out);
  }
  return splitLines(line, block.skipThrough ?? 0, text.length, (from) => text.indexOf("\n", from), (i) => text.charCodeAt(i), (l, a, b) => lineInput(l, text.slice(a, b)), out);
}

/** The rare path: the piece is not valid UTF-8, so split it on the bytes and check each line. */
function linesOfInvalidPiece(block: Block, bytes: Uint8Array, at: number, line: number, out: LineInput[]): number {
  return splitLines(line, block.skipThrough ?? 0, bytes.length, (from) => bytes.indexOf(NEWLINE, from), (i) => bytes[i], (l, a, b) => {
    const bad = firstInvalidUtf8(bytes, a, b);
    const where = bad >= 0 && block.offset !== undefined ? ` (byte ${block.offset + at + bad} of the input)` : "";
    const problem = bad >= 0 ? `invalid UTF-8 at byte ${bad - a} of the line${where}` : undefined;
    return lineInput(l, lenientUtf8.decode(bytes.subarray(a, b)), problem);
  }, out);
}

/**
 * Walk the lines of a piece held as text or as bytes (both index a "\n" and a "\r" the same
 * way), the first numbered `line`; `make` turns line [start, stop) (line end excluded) into its
 * input. Returns the number of the line after the piece.
 */
function splitLines(
  line: number,
  skipThrough: number,
  length: number,
  newlineFrom: (from: number) => number,
  codeAt: (i: number) => number,
  make: (line: number, start: number, stop: number) => LineInput | null,
  out: LineInput[],
): number {
  let start = 0;
  while (start < length) {
    let end = newlineFrom(start);
    if (end < 0) end = length;
    if (line > skipThrough) {
      const stop = end > start && codeAt(end - 1) === 13 ? end - 1 : end;
      const l = make(line, start, stop);
      if (l) out.push(l);
    }
    start = end + 1;
    line++;
  }
  return line;
}

/** One block per line of `block` (its own bytes, line number and offset), to grade lines one by one. */
export function lineBlocks(block: Block): Block[] {
  const { bytes, offset } = block;
  const skipThrough = block.skipThrough ?? 0;
  const out: Block[] = [];
  let start = 0;
  let line = block.startLine;
  while (start < bytes.length) {
    const nl = bytes.indexOf(NEWLINE, start);
    const end = nl < 0 ? bytes.length : nl + 1;
    if (line > skipThrough) {
      const single: Block = { startLine: line, bytes: bytes.slice(start, end) };
      if (offset !== undefined) single.offset = offset + start;
      out.push(single);
    }
    start = end;
    line++;
  }
  return out;
}
