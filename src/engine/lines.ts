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

export const BOM_PROBLEM = "a byte order mark (U+FEFF) starts the line; only the start of the input may have one";

/** The line's input, or null for a blank line; `text` has no line end. */
function lineInput(line: number, text: string, problem?: string): LineInput | null {
  if (problem) return { line, text, problem };
  if (text.charCodeAt(0) === BOM) return { line, text, problem: BOM_PROBLEM };
  // Rows start with "{": no need to trim them to know they are not blank.
  return text.charCodeAt(0) !== OPEN_BRACE && text.trim() === "" ? null : { line, text };
}

/** The non-blank lines of a block, numbered, minus the ones already in OUT. */
export function blockLines(block: Block): LineInput[] {
  let text: string;
  try {
    text = strictUtf8.decode(block.bytes);
  } catch {
    return linesOfInvalidBlock(block);
  }
  return splitLines(block, text.length, (from) => text.indexOf("\n", from), (i) => text.charCodeAt(i), (line, a, b) => lineInput(line, text.slice(a, b)));
}

/** The rare path: the block is not valid UTF-8, so split it on the bytes and check each line. */
function linesOfInvalidBlock(block: Block): LineInput[] {
  const bytes = block.bytes;
  return splitLines(block, bytes.length, (from) => bytes.indexOf(10, from), (i) => bytes[i], (line, a, b) => {
    const bad = firstInvalidUtf8(bytes, a, b);
    const where = bad >= 0 && block.offset !== undefined ? ` (byte ${block.offset + bad} of the input)` : "";
    const problem = bad >= 0 ? `invalid UTF-8 at byte ${bad - a} of the line${where}` : undefined;
    return lineInput(line, lenientUtf8.decode(bytes.subarray(a, b)), problem);
  });
}

/**
 * Walk the lines of a block held as text or as bytes (both index a "\n" and a "\r" the same
 * way); `make` turns line [start, stop) (line end excluded) into its input.
 */
function splitLines(
  block: Block,
  length: number,
  newlineFrom: (from: number) => number,
  codeAt: (i: number) => number,
  make: (line: number, start: number, stop: number) => LineInput | null,
): LineInput[] {
  const out: LineInput[] = [];
  const skipThrough = block.skipThrough ?? 0;
  let start = 0;
  let line = block.startLine;
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
  return out;
}

/** One block per line of `block` (its own bytes, line number and offset), to grade lines one by one. */
export function lineBlocks(block: Block): Block[] {
  const { bytes, offset } = block;
  const skipThrough = block.skipThrough ?? 0;
  const out: Block[] = [];
  let start = 0;
  let line = block.startLine;
  while (start < bytes.length) {
    const nl = bytes.indexOf(10, start);
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
