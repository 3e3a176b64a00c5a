// readBlocks (src/engine/read-blocks.ts) reuses the buffer of a released block for a later read,
// and never the buffer of a block that is still held: the bytes of every block, released or
// kept, are the input's, line for line.
import { describe, expect, it } from "vitest";
import { CHUNK, readBlocks, type ByteSource } from "../src/engine/read-blocks.js";

function source(bytes: Uint8Array, most = CHUNK): ByteSource {
  let at = 0;
  return {
    async read(into, offset, length) {
      const n = Math.min(length, most, bytes.length - at);
      into.set(bytes.subarray(at, at + n), offset);
      at += n;
      return n;
    },
  };
}

function input(lines: number): Uint8Array {
  const text = Array.from({ length: lines }, (_, i) => `{"id":${i},"pad":"${"x".repeat((i * 37) % 500)}"}`).join("\n") + "\n";
  return new TextEncoder().encode(text);
}

describe("readBlocks' buffer reuse", () => {
  it("a released block's buffer takes a later read; every block's bytes are the input's", async () => {
    const bytes = input(20_000);
    const seen: string[] = [];
    const buffers = new Map<ArrayBufferLike, number>();
    for await (const block of readBlocks(source(bytes), 1_000_000)) {
      seen.push(Buffer.from(block.bytes).toString("latin1"));
      buffers.set(block.bytes.buffer, (buffers.get(block.bytes.buffer) ?? 0) + 1);
      block.release();
    }
    expect(seen.join("")).toBe(Buffer.from(bytes).toString("latin1"));
    expect(seen.length).toBeGreaterThan(10);
    expect(Math.max(...buffers.values())).toBeGreaterThan(1);
  });

  it("blocks that are kept are never overwritten, whatever is released around them", async () => {
    const bytes = input(20_000);
    const kept: Uint8Array[] = [];
    let i = 0;
    for await (const block of readBlocks(source(bytes, 100_000), 1_000_000)) {
      // Every other block is kept (a worker thread holds it), the others released at once.
      if (i++ % 2 === 0) kept.push(block.bytes);
      else block.release();
    }
    const expected = Buffer.from(bytes).toString("latin1");
    let at = 0;
    let k = 0;
    i = 0;
    for await (const block of readBlocks(source(bytes, 100_000), 1_000_000)) {
      if (i++ % 2 === 0) {
        expect(Buffer.from(kept[k++]!).toString("latin1")).toBe(expected.slice(at, at + block.bytes.length));
      }
      at += block.bytes.length;
      block.release();
    }
    expect(k).toBe(kept.length);
  });
});
