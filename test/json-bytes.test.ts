// JsonBytes (src/util/json-bytes.ts) writes the UTF-8 bytes of JSON.stringify: every value here is
// checked against JSON.stringify itself, the reference, including the values it hands over whole
// (toJSON, class instances, BigInt and cycles, which throw the same TypeError). Records are cut
// into pieces only between records, each piece with an ArrayBuffer of its own.
import { describe, expect, it } from "vitest";
import { JsonBytes } from "../src/util/json-bytes.js";

/** The record `write` makes, as text (without its newline). */
function written(write: (out: JsonBytes) => void, pieceBytes = 1024): string {
  const out = new JsonBytes(pieceBytes);
  write(out);
  out.endRecord();
  const text = Buffer.concat(out.take()).toString("utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1);
}

const valueText = (value: unknown, pieceBytes?: number) => written((out) => out.value(value), pieceBytes);

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}

const shapes: Array<[string, unknown]> = [
  ["numbers", [0, -0, 1, -1, 0.1, 1 / 3, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, -Infinity]],
  ["strings", ["", "plain", 'quote " and \\ backslash', "\n\t\r\b\f", "\u0000\u001f\u007f", "é", "🙂", "\ud800 lone", "\udfff", "\u2028\u2029", "x".repeat(300)]],
  ["literals", [true, false, null]],
  ["holes and skipped array items", [1, , 3, undefined, () => 1, Symbol("s")]], // eslint-disable-line no-sparse-arrays
  ["skipped object values", { a: undefined, b: () => 1, c: Symbol("s"), d: 1, [Symbol("k")]: 2 }],
  ["key order (integer keys first)", { b: 1, 2: "two", a: 2, 1: "one", "-1": "minus" }],
  ["keys that need escaping", { 'q"uote': 1, "new\nline": 2, "é": 3, "": 4 }],
  ["nested", { a: { b: { c: [1, { d: [[], {}] }] } }, e: [] }],
  ["no prototype", Object.assign(Object.create(null), { a: 1, b: [2] })],
  ["toJSON", { when: new Date(0), custom: { toJSON: () => ({ replaced: true }) } }],
  ["class instances", { p: new Point(1, 2), list: [new Point(3, 4)] }],
  ["boxed and collections", { n: new Number(3), s: new String("s"), b: new Boolean(false), m: new Map([[1, 2]]), set: new Set([1]), t: new Uint8Array([1, 2]) }],
  ["deep", JSON.parse("[".repeat(40) + "1" + "]".repeat(40))],
  ["a top-level string", "top"],
  ["a top-level number", 0.5],
  ["a top-level array", []],
];

describe("JsonBytes.value", () => {
  it.each(shapes)("%s: the bytes of JSON.stringify", (_, value) => {
    expect(valueText(value)).toBe(JSON.stringify(value));
  });

  it("throws what JSON.stringify throws: BigInt, and a cycle", () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    for (const bad of [{ n: 1n }, [1, 2n], cycle]) {
      const thrown = (() => {
        try {
          JSON.stringify(bad);
        } catch (err) {
          return err;
        }
      })() as Error;
      expect(() => valueText(bad)).toThrow(thrown.constructor as ErrorConstructor);
    }
  });

  it("agrees with JSON.stringify on random values, with the remembered numbers and strings recurring", () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const pool = ["rouge_l", "sig|a:1|b:2", "é", "🙂", "x"];
    const numbers = [0.5, 1 / 3, 0, 1e-9];
    const random = (depth: number): unknown => {
      const r = rand();
      if (depth > 3 || r < 0.3) return rand() < 0.5 ? numbers[Math.floor(rand() * numbers.length)] : rand() ** 5;
      if (r < 0.5) return rand() < 0.6 ? pool[Math.floor(rand() * pool.length)] : `s${Math.floor(rand() * 1000)}`;
      if (r < 0.55) return rand() < 0.5;
      if (r < 0.6) return null;
      if (r < 0.8) return Array.from({ length: Math.floor(rand() * 4) }, () => random(depth + 1));
      const o: Record<string, unknown> = {};
      for (let k = Math.floor(rand() * 5); k > 0; k--) o[pool[Math.floor(rand() * pool.length)]! + (rand() < 0.5 ? "" : k)] = random(depth + 1);
      return o;
    };
    const out = new JsonBytes(256);
    const expected: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const value = random(0);
      out.value(value);
      out.endRecord();
      expected.push(JSON.stringify(value) + "\n");
    }
    expect(Buffer.concat(out.take()).toString("utf8")).toBe(expected.join(""));
  });
});

describe("JsonBytes records and pieces", () => {
  it("count writes a non-negative integer's digits; anything else as number would", () => {
    for (const n of [0, 1, 9, 10, 99, 100, 123456789, 2 ** 32 - 1, 2 ** 32, 1.5, -1, NaN]) {
      expect(written((out) => out.count(n))).toBe(JSON.stringify(n));
    }
  });

  it("pieces end between records, each with its own ArrayBuffer, whatever the record sizes", () => {
    let seed = 99;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    for (const pieceBytes of [16, 100, 4096]) {
      const out = new JsonBytes(pieceBytes);
      const records: string[] = [];
      const pieces: Uint8Array[] = [];
      for (let i = 0; i < 500; i++) {
        // From empty records to records many times a piece.
        const text = "ü".repeat(Math.floor(rand() ** 3 * pieceBytes * 3));
        out.ascii("[");
        out.string(text);
        out.value({ i, when: new Date(i) }); // handed to JSON.stringify, possibly after the record moved buffers
        out.ascii("]");
        out.endRecord();
        records.push("[" + JSON.stringify(text) + JSON.stringify({ i, when: new Date(i) }) + "]\n");
        if (rand() < 0.1) pieces.push(...out.take());
      }
      pieces.push(...out.take());
      expect(out.take()).toEqual([]);
      expect(Buffer.concat(pieces).toString("utf8")).toBe(records.join(""));
      for (const piece of pieces) {
        expect(piece.length).toBeGreaterThan(0);
        expect(piece[piece.length - 1]).toBe(0x0a);
      }
      expect(new Set(pieces.map((p) => p.buffer)).size).toBe(pieces.length);
    }
  });

  it("bytes copies pre-encoded bytes from an index on; utf8 encodes any string", () => {
    const pre = Buffer.from(',"key":');
    expect(written((out) => (out.bytes(pre, 1), out.utf8("é🙂")))).toBe('"key":é🙂');
    const long = Buffer.from("y".repeat(100));
    expect(written((out) => out.bytes(long, 90), 16)).toBe("y".repeat(10));
    expect(written((out) => out.bytes(long), 16)).toBe("y".repeat(100));
  });
});
