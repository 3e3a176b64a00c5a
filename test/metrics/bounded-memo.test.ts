import { describe, expect, it } from "vitest";
import { BoundedMemo } from "../../src/metrics/bounded-memo.js";

describe("BoundedMemo", () => {
  it("computes a key once while it stays in the last two generations", () => {
    const memo = new BoundedMemo<string>(3);
    const computed: string[] = [];
    const upper = (k: string): string => (computed.push(k), k.toUpperCase());
    for (const k of ["a", "b", "a", "c", "a", "b"]) expect(memo.get(k, upper)).toBe(k.toUpperCase());
    expect(computed).toEqual(["a", "b", "c"]);
  });

  it("keeps at most two generations, and carries a hit from the older one over", () => {
    const memo = new BoundedMemo<number>(2);
    const computed: string[] = [];
    const length = (k: string): number => (computed.push(k), k.length);
    // Generation 1: a, bb; generation 2: ccc, a (carried over from generation 1).
    for (const k of ["a", "bb", "ccc", "a"]) memo.get(k, length);
    // Generation 3 starts with dddd: bb (only in generation 1) is gone, a is still there.
    for (const k of ["dddd", "a", "bb"]) memo.get(k, length);
    expect(computed).toEqual(["a", "bb", "ccc", "dddd", "bb"]);
  });

  it("computes each of many new keys once and still holds the last one", () => {
    // The open-vocabulary case (the cost of making room is measured by bench/metrics, not here:
    // a time bound would be fragile on a shared machine).
    const memo = new BoundedMemo<number>(1000);
    let calls = 0;
    for (let i = 0; i < 100_000; i++) memo.get(`w${i}`, () => ++calls);
    expect(calls).toBe(100_000);
    expect(memo.get("w99999", () => -1)).toBe(100_000);
  });
});
