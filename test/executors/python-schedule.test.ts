// The python pool's scheduling policy and wire protocol, on plain data: no processes.

import { describe, expect, it } from "vitest";

import { capText, decodeAnswer, LineSplitter, MAX_DETAILS_CHARS, TokenSource } from "../../src/executors/python/protocol.js";
import {
  batchSize,
  defaultLimits,
  expiredIdle,
  headDeadlines,
  overdueAfterMs,
  plan,
  updateCost,
  type QueueView,
  type WorkerView,
} from "../../src/executors/python/schedule.js";

const limits = defaultLimits(2, 20_000); // 2 running workers, up to 6 processes, 20 s timeout
const idle = (id: number, source: string, idleSince = 0): WorkerView => ({ id, source, outstanding: 0, overdue: false, idleSince });
const busy = (id: number, source: string, overdue = false): WorkerView => ({ id, source, outstanding: 3, overdue, idleSince: 0 });
const queue = (source: string, waiting: number, oldest = 1): QueueView => ({ source, waiting, oldest });
const known = (ms: number) => () => ms;
const unknown = () => undefined;

describe("python scheduling policy", () => {
  it("runs an unknown source one call at a time, a fast one in batches within the budget", () => {
    expect(batchSize(undefined, 100, limits)).toBe(1);
    // 20 ms budget / 0.5 ms per call = 40, capped at 32 per message.
    expect(batchSize(0.5, 1000, limits)).toBe(32);
    // 20 ms / 5 ms = 4.
    expect(batchSize(5, 1000, limits)).toBe(4);
    // A fair share: 10 waiting over 2 workers is 5 each.
    expect(batchSize(0.01, 10, limits)).toBe(5);
    // Slow calls still go one by one.
    expect(batchSize(500, 10, limits)).toBe(1);
  });

  it("smooths a source's cost", () => {
    expect(updateCost(undefined, 10)).toBe(10);
    expect(updateCost(10, 20)).toBeCloseTo(12, 10);
  });

  it("makes a call overdue after a few times its usual cost, within bounds", () => {
    expect(overdueAfterMs(undefined, limits)).toBe(1_000);
    expect(overdueAfterMs(0.05, limits)).toBe(250); // the floor
    expect(overdueAfterMs(100, limits)).toBe(800); // 8 x 100 ms
    expect(overdueAfterMs(5_000, limits)).toBe(10_000); // the ceiling
    const short = defaultLimits(2, 500);
    expect(overdueAfterMs(5_000, short)).toBe(500); // never later than the timeout
    expect(headDeadlines(1_000, 100, limits)).toEqual({ overdueAt: 1_800, timeoutAt: 21_000 });
  });

  it("sends waiting calls to an idle worker of their own source only", () => {
    // A fair share (half) to the idle "a" worker; the rest needs a second "a" worker (which gets
    // its share of what is left): the idle "b" worker is never used for "a".
    const decisions = plan([queue("a", 4)], [idle(1, "b"), idle(2, "a")], known(0.01), limits);
    expect(decisions).toEqual([
      { kind: "send", worker: 2, count: 2 },
      { kind: "spawn", source: "a", count: 1 },
    ]);
  });

  it("starts a worker for a source that has none while the CPU budget allows", () => {
    expect(plan([queue("a", 1)], [], unknown, limits)).toEqual([{ kind: "spawn", source: "a", count: 1 }]);
    // Two workers busy: the budget is full, nothing starts.
    expect(plan([queue("c", 1)], [busy(1, "a"), busy(2, "b")], unknown, limits)).toEqual([]);
  });

  it("keeps idle workers of other sources while there is room, evicts the longest idle at the process cap", () => {
    const workers = [idle(1, "x", 50), idle(2, "y", 10), idle(3, "z", 30), busy(4, "w"), idle(5, "v", 40), idle(6, "u", 20)];
    expect(workers).toHaveLength(limits.maxProcesses);
    expect(plan([queue("a", 1)], workers, unknown, limits)).toEqual([
      { kind: "evict", worker: 2 },
      { kind: "spawn", source: "a", count: 1 },
    ]);
    // Below the cap nothing is evicted.
    expect(plan([queue("a", 1)], workers.slice(0, 3), unknown, limits)).toEqual([{ kind: "spawn", source: "a", count: 1 }]);
  });

  it("does not evict a worker whose source has calls waiting", () => {
    const workers = [idle(1, "b", 0), busy(2, "c", true), busy(3, "d", true), busy(4, "e", true), busy(5, "f", true), busy(6, "g")];
    // "a" is older, but the only idle worker belongs to "b", which also waits: it serves "b".
    const decisions = plan([queue("a", 1, 1), queue("b", 1, 2)], workers, unknown, limits);
    expect(decisions).toEqual([{ kind: "send", worker: 1, count: 1 }]);
  });

  it("takes overdue workers out of the CPU budget, up to the process cap", () => {
    // Both budgeted workers hang: two more may start.
    const hung = [busy(1, "a", true), busy(2, "a", true)];
    expect(plan([queue("a", 5)], hung, unknown, limits)).toEqual([
      { kind: "spawn", source: "a", count: 1 },
      { kind: "spawn", source: "a", count: 1 },
    ]);
    // At the cap with nothing idle, calls wait.
    const full = Array.from({ length: limits.maxProcesses }, (_, i) => busy(i + 1, "a", true));
    expect(plan([queue("a", 5)], full, unknown, limits)).toEqual([]);
  });

  it("serves sources oldest call first", () => {
    const decisions = plan([queue("late", 1, 9), queue("early", 1, 3)], [], unknown, limits);
    expect(decisions.map((d) => (d.kind === "spawn" ? d.source : d.kind))).toEqual(["early", "late"]);
  });

  it("expires workers idle for too long, never busy ones", () => {
    const workers = [idle(1, "a", 0), idle(2, "b", 900), busy(3, "c")];
    expect(expiredIdle(workers, 1_000, 500)).toEqual([1]);
  });
});

describe("python wire protocol", () => {
  it("decodes answers and rejects anything else", () => {
    expect(decodeAnswer('["ready", "3.11.7"]')).toEqual({ kind: "ready", version: "3.11.7" });
    expect(decodeAnswer('[7,"00ff","ok",0.5]')).toEqual({ kind: "call", id: 7, token: "00ff", status: "ok", value: 0.5 });
    expect(decodeAnswer('[7,"00ff","err","boom"]')).toMatchObject({ status: "err", value: "boom" });
    for (const junk of ["", "garbage", '[7,"00ff","ok"]', '[7,8,"ok",1]', '[7,"t","maybe",1]', '{"a":1}', "[1,2"]) {
      expect(decodeAnswer(junk)).toBeNull();
    }
  });

  it("draws distinct 64-bit tokens", () => {
    const tokens = new TokenSource();
    const seen = new Set(Array.from({ length: 5_000 }, () => tokens.next()));
    expect(seen.size).toBe(5_000);
    for (const t of [...seen].slice(0, 10)) expect(t).toMatch(/^[0-9a-f]{16}$/);
  });

  it("caps long texts, keeping both ends and saying how many bytes were cut", () => {
    expect(capText("short")).toBe("short");
    const text = "A".repeat(10_000) + "é".repeat(50_000) + "Z".repeat(10_000);
    const capped = capText(text);
    expect(capped.length).toBeLessThanOrEqual(MAX_DETAILS_CHARS);
    expect(capped.startsWith("A".repeat(8_000))).toBe(true);
    expect(capped.endsWith("Z".repeat(8_000))).toBe(true);
    const cut = Number(/…\[truncated (\d+) bytes\]…/.exec(capped)?.[1]);
    const keptBytes = Buffer.byteLength(capped.replace(/…\[truncated \d+ bytes\]…/, ""));
    expect(cut + keptBytes).toBe(Buffer.byteLength(text));
    expect(capText(capped)).toBe(capped); // capping twice changes nothing
  });

  it("splits lines across chunks and drops an overlong line without buffering it", () => {
    const lines: string[] = [];
    let overlong = 0;
    const splitter = new LineSplitter((l) => lines.push(l), () => overlong++, 10);
    for (const chunk of ["ab", "c\nde", "f\n\n", "0123456789012", "345\nok\n", "é".repeat(2) + "\n"]) splitter.push(Buffer.from(chunk));
    expect(lines).toEqual(["abc", "def", "", "ok", "éé"]);
    expect(overlong).toBe(1);
  });

  it("buffers a long line in linear time", () => {
    const time = (bytes: number) => {
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let got = 0;
      const splitter = new LineSplitter((l) => (got = l.length), () => {}, 1 << 30);
      const t0 = performance.now();
      for (let n = 0; n < bytes; n += chunk.length) splitter.push(chunk);
      splitter.push(Buffer.from("\n"));
      expect(got).toBe(bytes);
      return performance.now() - t0;
    };
    time(8 << 20); // warm-up
    const small = Math.max(time(8 << 20), 1);
    const large = time(64 << 20);
    // 8x the bytes: linear is ~8x; the old re-scanning buffer was ~64x.
    expect(large / small).toBeLessThan(24);
  });
});
