// The epoch-cleared scratch tables the n-gram matchers, ROUGE-N and METEOR share, against a Map.
import { describe, expect, it } from "vitest";
import { EpochArray, EpochIds, EpochStrings } from "../../src/metrics/epoch-table.js";
import { mulberry32 } from "../helpers/random.js";

describe("EpochIds", () => {
  it("hands out dense ids in order of first sight, as a Map would, and finds only those keys", () => {
    const random = mulberry32(7);
    const table = new EpochIds();
    for (let round = 0; round < 200; round++) {
      const distinct = 1 + Math.floor(random() * 300);
      // Capacities below the number of keys make the table grow mid-round.
      table.reset(round % 3 === 0 ? 1 : distinct);
      const want = new Map<number, number>();
      const keyOf = (k: number) => (round % 2 === 0 ? k * 7919 : Number.MAX_SAFE_INTEGER - k * 4294967296);
      for (let i = 0; i < 3 * distinct; i++) {
        const key = keyOf(Math.floor(random() * distinct));
        if (!want.has(key)) want.set(key, want.size);
        expect(table.idOf(key)).toBe(want.get(key));
      }
      expect(table.size).toBe(want.size);
      for (const [key, id] of want) expect(table.find(key)).toBe(id);
      expect(table.find(keyOf(distinct + 1))).toBe(-1);
    }
  });

  it("forgets every key on reset", () => {
    const table = new EpochIds();
    table.reset(4);
    expect([table.idOf(10), table.idOf(20), table.idOf(10)]).toEqual([0, 1, 0]);
    table.reset(4);
    expect(table.size).toBe(0);
    expect(table.find(10)).toBe(-1);
    expect(table.idOf(20)).toBe(0);
  });
});

describe("EpochStrings", () => {
  it("hands out dense ids in order of first sight, as a Map would, through hash collisions and growth", () => {
    const random = mulberry32(11);
    const table = new EpochStrings();
    // Words that share length, first, middle and last character (the hashed ones) collide.
    const word = (k: number) => (k % 3 === 0 ? `a${k.toString(36)}z` : k % 3 === 1 ? `ab${"x".repeat(k % 5)}b` + String(k) : `q${k}q`);
    for (let round = 0; round < 200; round++) {
      const distinct = 1 + Math.floor(random() * 300);
      table.reset(round % 3 === 0 ? 1 : distinct);
      const want = new Map<string, number>();
      for (let i = 0; i < 3 * distinct; i++) {
        // Equal text from a different string object must find the same id.
        const key = word(Math.floor(random() * distinct)).split("").join("");
        if (!want.has(key)) want.set(key, want.size);
        expect(table.idOf(key)).toBe(want.get(key));
      }
      expect(table.size).toBe(want.size);
      for (const [key, id] of want) expect(table.find(key)).toBe(id);
      expect(table.find(word(distinct + 1))).toBe(-1);
      expect(table.find("")).toBe(-1);
    }
  });

  it("forgets every key on reset, the empty string included", () => {
    const table = new EpochStrings();
    table.reset(4);
    expect([table.idOf("to"), table.idOf(""), table.idOf("be"), table.idOf("to")]).toEqual([0, 1, 2, 0]);
    table.reset(4);
    expect([table.size, table.find("to"), table.find("")]).toEqual([0, -1, -1]);
    expect(table.idOf("be")).toBe(0);
  });
});

describe("EpochArray", () => {
  it("keeps values until cleared, and reads unset or out-of-range indices as missing", () => {
    const values = new EpochArray(4);
    expect(values.get(2)).toBe(-1);
    expect(values.get(1_000_000, 0)).toBe(0);
    values.set(2, 5);
    expect([values.has(2), values.get(2)]).toEqual([true, 5]);
    values.reserve(5000);
    values.set(4999, 7);
    expect([values.get(2), values.get(4999)]).toEqual([5, 7]);
    values.clear();
    expect([values.has(2), values.get(2), values.get(4999, 0)]).toEqual([false, -1, 0]);
  });
});
