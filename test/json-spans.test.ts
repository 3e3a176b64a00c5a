// The JSON skeleton reader of the reward server: on valid text its spans must hold exactly what
// JSON.parse finds; on broken text it must throw, or leave a span that JSON.parse refuses, so a
// body is accepted only when it is JSON.

import { describe, expect, it } from "vitest";
import { arrayElementSpans, isArraySpan, JsonSpanError, objectMemberSpans, type Span } from "../src/util/json-spans.js";
import { mulberry32 } from "./helpers/random.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (bytes: Uint8Array, s: Span) => dec.decode(bytes.subarray(s.start, s.end));

function randomValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 3 ? 4 : 6));
  const strings = ["", "plain", 'q"uote', "back\\slash", "\\\\", '\\"', "] } [ { , :", "é中😀", "\n\t\u0001", "\u2028"];
  switch (pick) {
    case 0: return strings[Math.floor(rand() * strings.length)];
    case 1: return [0, -1.5, 1e21, 3.25e-7, 12][Math.floor(rand() * 5)];
    case 2: return [true, false, null][Math.floor(rand() * 3)];
    case 3: return strings[Math.floor(rand() * strings.length)] + String(Math.floor(rand() * 100));
    case 4: return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, (_, i) => [`${strings[Math.floor(rand() * strings.length)]}${i}`, randomValue(rand, depth + 1)]));
  }
}

describe("objectMemberSpans / arrayElementSpans", () => {
  it("find exactly JSON.parse's members and elements on 500 random documents, with any whitespace", () => {
    const rand = mulberry32(16);
    for (let n = 0; n < 500; n++) {
      const doc = { grader: randomValue(rand), rows: Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand)), format: randomValue(rand) };
      const json = JSON.stringify(doc, null, n % 3 === 0 ? 2 : undefined);
      const bytes = enc.encode(n % 5 === 0 ? ` \r\n\t${json}\n ` : json);
      const members = objectMemberSpans(bytes);
      expect([...members.keys()]).toEqual(Object.keys(doc));
      for (const [k, s] of members) expect(JSON.parse(text(bytes, s))).toEqual((doc as Record<string, unknown>)[k]);
      const rows = members.get("rows")!;
      expect(isArraySpan(bytes, rows)).toBe(true);
      expect(arrayElementSpans(bytes, rows).map((s) => JSON.parse(text(bytes, s)))).toEqual(doc.rows);
    }
  });

  it("a key given twice keeps its last value, as JSON.parse does; escaped keys are decoded", () => {
    const bytes = enc.encode('{"rows": [1], "r\\u006fws": [2, 3], "__proto__": 4}');
    const members = objectMemberSpans(bytes);
    expect(text(bytes, members.get("rows")!)).toBe("[2, 3]");
    expect(text(bytes, members.get("__proto__")!)).toBe("4");
  });

  it("broken skeletons throw with the byte offset; broken values are left to JSON.parse of the span", () => {
    const broken = ['{"a": 1,}', '{"a" 1}', '{"a": 1} x', '{"a": [1, 2}', '{"a": "open}', "", '{"a": 1 "b": 2}', "{a: 1}"];
    for (const t of broken) {
      expect(() => objectMemberSpans(enc.encode(t)), t).toThrow(JsonSpanError);
      expect(() => JSON.parse(t), t).toThrow();
    }
    // JSON, but not an object: the request body must be one.
    expect(() => objectMemberSpans(enc.encode("[1]"))).toThrow("expected '{'");
    for (const t of ['{"a": [1, 2,]}', '{"a": [1 2]}', '{"a": [,]}']) {
      const bytes = enc.encode(t);
      expect(() => arrayElementSpans(bytes, objectMemberSpans(bytes).get("a")!), t).toThrow(JsonSpanError);
    }
    // The skeleton is fine; the value's own text is not JSON, which its parser says.
    const bytes = enc.encode('{"a": tru, "b": {"x": 01}}');
    const m = objectMemberSpans(bytes);
    expect(() => JSON.parse(text(bytes, m.get("a")!))).toThrow();
    expect(() => JSON.parse(text(bytes, m.get("b")!))).toThrow();
    expect(new JsonSpanError("expected ':'", 7).message).toBe("expected ':' at byte 7");
  });
});
