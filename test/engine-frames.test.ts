// frames.ts: a pool process's output rows as length-prefixed frames on a pipe. The reader is fed
// the bytes cut at every possible place and in random chunk sizes; what it returns is checked
// against the frames as they were made (ids, and the bytes of each frame joined).

import { describe, expect, it } from "vitest";
import { FRAME_HEADER_BYTES, FrameReader, frameHeader } from "../src/engine/frames.js";
import { SpareBuffers } from "../src/util/json-bytes.js";

const utf8 = new TextEncoder();

/** The stream of frames for `bodies` (frame i has id 100 + i), and the expected [id, text] list. */
function stream(bodies: string[]): { bytes: Uint8Array; expected: Array<[number, string]> } {
  const parts: Uint8Array[] = [];
  const expected: Array<[number, string]> = [];
  bodies.forEach((body, i) => {
    const bytes = utf8.encode(body);
    parts.push(frameHeader(100 + i, bytes.length), bytes);
    expected.push([100 + i, body]);
  });
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, expected };
}

/** The frames read from `bytes` fed in chunks cut at `cuts`; with `spare`, each copied frame's buffer is given back at once. */
function read(bytes: Uint8Array, cuts: number[], spare: SpareBuffers | null = null): Array<[number, string]> {
  const got: Array<[number, string]> = [];
  const reader = new FrameReader((id, pieces, written) => {
    got.push([id, Buffer.concat(pieces).toString("utf8")]);
    written?.();
  }, spare);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    reader.push(bytes.subarray(from, cut));
    from = cut;
  }
  return got;
}

describe("frames", () => {
  const bodies = ['{"line":1,"reward":1}\n', "", '{"line":3,"reward":0.5}\n{"line":4,"reward":0}\n', "é ü 中 😀\n", ""];
  const { bytes, expected } = stream(bodies);

  it("a header is the id and the length, little-endian u32s", () => {
    expect([...frameHeader(0x01020304, 258)]).toEqual([4, 3, 2, 1, 2, 1, 0, 0]);
    expect(FRAME_HEADER_BYTES).toBe(8);
  });

  it("the whole stream at once, and cut into two at every byte", () => {
    expect(read(bytes, [])).toEqual(expected);
    for (let cut = 0; cut <= bytes.length; cut++) expect(read(bytes, [cut]), `cut at ${cut}`).toEqual(expected);
  });

  it("one byte at a time, and random chunk sizes", () => {
    expect(read(bytes, Array.from({ length: bytes.length }, (_, i) => i))).toEqual(expected);
    let seed = 7;
    for (let round = 0; round < 200; round++) {
      const cuts: number[] = [];
      for (let at = 0; at < bytes.length; ) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        at += 1 + (seed % 13);
        if (at < bytes.length) cuts.push(at);
      }
      expect(read(bytes, cuts)).toEqual(expected);
    }
  });

  it("with spare buffers: the same frames at every cut, each buffer reused by the next frame", () => {
    // 24 bytes: the third body (48 bytes) is larger, so it stays views of the chunks.
    const spare = new SpareBuffers(24, 2);
    for (let cut = 0; cut <= bytes.length; cut++) expect(read(bytes, [cut], spare), `cut at ${cut}`).toEqual(expected);
    expect(read(bytes, Array.from({ length: bytes.length }, (_, i) => i), spare)).toEqual(expected);
  });

  it("a frame that fits a spare buffer is one copy in it, given back by `written`; a larger one stays views", () => {
    const spare = new SpareBuffers(8, 4);
    const { bytes: two } = stream(["abcdef", "0123456789"]);
    const frames: Array<{ pieces: Uint8Array[]; written?: () => void }> = [];
    new FrameReader((_id, pieces, written) => frames.push({ pieces, written }), spare).push(two);
    const [small, large] = frames;
    expect(small!.pieces).toHaveLength(1);
    expect(small!.pieces[0]!.buffer).not.toBe(two.buffer);
    expect(small!.pieces[0]!.buffer.byteLength).toBe(8);
    expect(Buffer.from(small!.pieces[0]!).toString()).toBe("abcdef");
    expect(large!.pieces[0]!.buffer).toBe(two.buffer);
    expect(large!.written).toBeUndefined();
    // Given back, the copy's buffer is the next one taken.
    const copied = small!.pieces[0]!.buffer;
    small!.written!();
    expect(spare.take().buffer).toBe(copied);
  });

  it("a frame's pieces are views of the chunks given, not copies", () => {
    const { bytes: one } = stream(["abcdef"]);
    let pieces: Uint8Array[] = [];
    new FrameReader((_id, p) => (pieces = p)).push(one);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]!.buffer).toBe(one.buffer);
  });
});
