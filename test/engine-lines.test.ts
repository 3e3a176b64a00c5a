// blockLines decodes a block in pieces that end at newlines (src/engine/lines.ts, PIECE_BYTES).
// Whatever the piece size, its lines must be exactly the block's lines as the rules define them:
// numbered from the block's first line, "\r\n" and "\n" ends, blank lines dropped, a byte order
// mark starting a line and ill-formed UTF-8 as that line's problem (with its byte in the line and
// in the input), lines up to skipThrough left out. The expected lines are built by the generator
// alongside the bytes, not by the code under test.
import { describe, expect, it } from "vitest";
import type { LineInput } from "../src/engine/grade-row.js";
import { blockLines, BOM_PROBLEM, PIECE_BYTES } from "../src/engine/lines.js";

interface Generated {
  bytes: Buffer;
  /** The expected input of every line, blank ones as null, by position (line startLine + i). */
  lines: Array<LineInput | null>;
}

function generator(seed: number) {
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const words = ["answer", "Zürich", "naïve", "日本語", "🙂", "a\\\"b", "x", "ok"];
  return { rand, pick, sentence: (n: number) => Array.from({ length: n }, () => pick(words)).join(" ") };
}

/** `count` lines of every kind, for a block starting at input byte `offset` and line `startLine`. */
function generate(seed: number, count: number, startLine: number, offset: number, longLine: number): Generated {
  const { rand, pick, sentence } = generator(seed);
  const parts: Buffer[] = [];
  const lines: Array<LineInput | null> = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const line = startLine + i;
    const kind = pick(["row", "row", "row", "crlf", "blank", "spaces", "cr-only", "bom", "invalid", "long"] as const);
    const last = i === count - 1;
    const end = last && rand() < 0.5 ? "" : "\n";
    let body: Buffer;
    let expected: LineInput | null;
    if (kind === "row" || kind === "crlf" || kind === "long") {
      const text = JSON.stringify({ id: line, model_sample: kind === "long" ? "y".repeat(longLine) : sentence(1 + Math.floor(rand() * 12)) });
      body = Buffer.from(text + (kind === "crlf" ? "\r" : ""), "utf8");
      expected = { line, text };
    } else if (kind === "blank" || kind === "spaces" || kind === "cr-only") {
      body = Buffer.from(kind === "blank" ? "" : kind === "spaces" ? " \t " : "\r", "utf8");
      expected = null;
    } else if (kind === "bom") {
      const text = "\ufeff" + JSON.stringify({ id: line });
      body = Buffer.from(text, "utf8");
      expected = { line, text, problem: BOM_PROBLEM };
    } else {
      // A lone 0xFF byte at a known place in an otherwise valid row: one U+FFFD in the text.
      const before = Buffer.from('{"id":' + line + ',"s":"' + sentence(2), "utf8");
      const after = Buffer.from(sentence(2) + '"}', "utf8");
      body = Buffer.concat([before, Buffer.from([0xff]), after]);
      const problem = `invalid UTF-8 at byte ${before.length} of the line (byte ${at + before.length} of the input)`;
      expected = { line, text: before.toString("utf8") + "\ufffd" + after.toString("utf8"), problem };
    }
    const whole = Buffer.concat([body, Buffer.from(end, "utf8")]);
    parts.push(whole);
    lines.push(expected);
    at += whole.length;
  }
  return { bytes: Buffer.concat(parts), lines };
}

const expectedLines = (g: Generated, skipThrough = 0) => g.lines.filter((l): l is LineInput => l !== null && l.line > skipThrough);

describe("blockLines in pieces", () => {
  it("gives the block's lines at every piece size, from one byte to a piece holding the whole block", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const g = generate(seed, 60, 7, 1000, 300);
      const want = expectedLines(g);
      for (const piece of [1, 2, 5, 17, 64, 256, 1024, PIECE_BYTES]) {
        expect(blockLines({ startLine: 7, bytes: g.bytes, offset: 1000 }, piece), `seed ${seed}, piece ${piece}`).toEqual(want);
      }
    }
  });

  it("leaves out the lines up to skipThrough in every piece", () => {
    for (let seed = 41; seed <= 60; seed++) {
      const g = generate(seed, 50, 1, 0, 100);
      for (const skipThrough of [0, 1, 13, 49, 50]) {
        for (const piece of [3, 40, PIECE_BYTES]) {
          expect(blockLines({ startLine: 1, bytes: g.bytes, offset: 0, skipThrough }, piece), `seed ${seed}, skip ${skipThrough}, piece ${piece}`).toEqual(expectedLines(g, skipThrough));
        }
      }
    }
  });

  it("a block of the reader's size (256 KB) with lines longer than a piece, at the default piece size", () => {
    const g = generate(99, 900, 1, 5, 70_000);
    expect(g.bytes.length).toBeGreaterThan(4 * PIECE_BYTES);
    expect(g.lines.some((l) => l !== null && l.text.length > PIECE_BYTES)).toBe(true);
    expect(blockLines({ startLine: 1, bytes: g.bytes, offset: 5 })).toEqual(expectedLines(g));
  });

  it("a block without an offset names the byte in the line only", () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"', "utf8"), Buffer.from([0xc3]), Buffer.from('"}\n{"b":1}\n', "utf8")]);
    for (const piece of [1, 4, PIECE_BYTES]) {
      expect(blockLines({ startLine: 3, bytes }, piece)).toEqual([
        { line: 3, text: '{"a":"\ufffd"}', problem: "invalid UTF-8 at byte 6 of the line" },
        { line: 4, text: '{"b":1}' },
      ]);
    }
  });
});
