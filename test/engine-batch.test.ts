// collect writes a block's rows into pieces of about TEXT_PIECE_BYTES (src/engine/batch.ts):
// joined, the pieces are exactly the UTF-8 bytes of the rows as JSON.stringify writes them, one
// per line, in order; no piece splits a row, none grows far past the size (a block of full rows
// is not one large buffer), and each has an ArrayBuffer of its own (a worker thread transfers
// them). concatResults keeps the pieces of its parts in order.
import { describe, expect, it } from "vitest";
import { emptyResponse, type RunResponse } from "../src/core/response.js";
import { collect, concatResults, TEXT_PIECE_BYTES } from "../src/engine/batch.js";
import type { GradedLine } from "../src/engine/grade-row.js";

function rows(count: number, from = 1): GradedLine[] {
  return Array.from({ length: count }, (_, i) => {
    const response: RunResponse = { ...emptyResponse("bleu", "text_similarity"), reward: (i * 0.37) % 1 };
    response.metadata = { ...response.metadata, execution_time: i * 1e-6, scores: { evaluation_metric: "bleu", score: response.reward, note: "é".repeat(i % 50) } };
    return { line: from + i, id: `row-${from + i}`, response };
  });
}

const expectedText = (graded: GradedLine[]) => graded.map(({ line, id, response }) => JSON.stringify({ line, id, ...response }) + "\n").join("");
const joined = (text: Uint8Array[]) => Buffer.concat(text).toString("utf8");

describe("a block's rows in pieces", () => {
  it("full rows of a large block: pieces join to the rows, each piece whole rows, none much past the size", () => {
    const graded = rows(2000);
    const { text, rewards } = collect(graded, { format: "full", keepRows: false });
    expect(joined(text)).toBe(expectedText(graded));
    expect(text.length).toBeGreaterThan(10);
    const longestRow = Math.max(...expectedText(graded).split("\n").map((r) => Buffer.byteLength(r) + 1));
    for (const piece of text) {
      expect(piece[piece.length - 1]).toBe(0x0a);
      expect(piece.length).toBeLessThan(TEXT_PIECE_BYTES + longestRow);
    }
    expect(new Set(text.map((piece) => piece.buffer)).size).toBe(text.length);
    expect(Array.from(rewards)).toEqual(graded.map((g) => g.response.reward));
  });

  it("a small block is one piece; no rows, no pieces", () => {
    const graded = rows(3);
    const { text } = collect(graded);
    expect(text).toHaveLength(1);
    expect(joined(text)).toBe(expectedText(graded));
    expect(collect([]).text).toEqual([]);
  });

  it("concatResults keeps every part's pieces in order", () => {
    const a = rows(700, 1);
    const b = rows(5, 701);
    const all = concatResults([collect(a), collect(b)]);
    expect(joined(all.text)).toBe(expectedText([...a, ...b]));
    expect(all.rewards.length).toBe(705);
  });
});
