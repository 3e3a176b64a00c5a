// --limit N: grade only the first N non-blank lines of the input (a quick dry run). Counted
// from the start of the input whatever --resume skips, so a resumed run with the same limit
// ends where the first one would have. Rows are counted with the graders' own line rules
// (blockLines: blank lines make no row, an invalid line still does), on the main thread; that
// decoding costs a little, and only runs that ask for a limit pay it.

import { blockLines, type Block } from "./lines.js";

/** The newline that ends line `line` of `block`, + 1 (the block's length when there is none). */
function endOfLine(block: Block, line: number): number {
  let at = 0;
  for (let l = block.startLine; l <= line; l++) {
    const nl = block.bytes.indexOf(10, at);
    if (nl < 0) return block.bytes.length;
    at = nl + 1;
  }
  return at;
}

export class RowLimit {
  private left: number;

  constructor(limit: number) {
    this.left = Math.max(0, limit);
  }

  /** Every allowed row has been taken: read no further. */
  get reached(): boolean {
    return this.left === 0;
  }

  /** The part of `block` within the limit (null: nothing of it), counting its rows off. */
  take(block: Block): Block | null {
    if (this.left === 0) return null;
    const rows = blockLines({ startLine: block.startLine, bytes: block.bytes });
    if (rows.length <= this.left) {
      this.left -= rows.length;
      return block;
    }
    const last = rows[this.left - 1]!.line;
    this.left = 0;
    return { ...block, bytes: block.bytes.subarray(0, endOfLine(block, last)) };
  }
}
