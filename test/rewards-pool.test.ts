// The reward routes as `graderkit serve` runs them: the built CLI, CPU-bound rows on its worker
// pool (--workers N), signals, and a grader file that is not valid.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChunkSizer } from "../src/server/chunk-sizer.js";
import { FairScheduler } from "../src/server/fair-scheduler.js";
import { cli, tempDir, writeJson } from "./helpers/cli.js";
import { metricValue, postJson, startServe, type ServeProcess } from "./helpers/serve.js";

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };
const meteor = { type: "text_similarity", name: "m", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "meteor" };
const CRASH = "crash-the-reward-worker-now";

const dir = tempDir("graderkit-rewards-pool-");
const exactPath = writeJson(dir, "exact.json", exact);
const meteorPath = writeJson(dir, "meteor.json", meteor);

/** n rows whose string_check reward is known: 1 for even i, 0 for odd. */
function exactRows(n: number): Array<{ id: number; model_sample: string; item: { answer: string } }> {
  return Array.from({ length: n }, (_, i) => ({ id: i, model_sample: `answer ${i}`, item: { answer: i % 2 === 0 ? `answer ${i}` : `other ${i}` } }));
}

function meteorRows(n: number): Array<{ model_sample: string; item: { answer: string } }> {
  const words = "the quick brown fox jumps over a lazy dog while seven river cities report their numbers".split(" ");
  const text = (i: number, k: number) => Array.from({ length: 40 }, (_, j) => words[(i * 7 + j * k) % words.length]).join(" ");
  return Array.from({ length: n }, (_, i) => ({ model_sample: text(i, 3), item: { answer: text(i, 5) } }));
}

let serve: ServeProcess;
beforeAll(async () => {
  serve = await startServe(["--workers", "2", "--grader", `exact=${exactPath}`, "--grader", `meteor=${meteorPath}`], { GRADERKIT_TEST_CRASH_MARKER: CRASH });
}, 30_000);
afterAll(async () => {
  if (serve) expect(await serve.stop()).toBe(0);
});

describe("graderkit serve --workers 2", () => {
  it("grades a batch of many chunks on the pool, in order, with each row's own reward", async () => {
    const rows = exactRows(1_000);
    const res = await postJson(`${serve.base}/v1/rewards`, { grader: "exact", rows });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.rewards).toEqual(rows.map((_, i) => (i % 2 === 0 ? 1 : 0)));
    expect(res.json.rows.map((r: { id: number }) => r.id)).toEqual(rows.map((r) => r.id));
    expect(res.json.rows[1]).toEqual({ id: 1, reward: 0 });
  });

  it("a worker that dies costs only the row it died on: other_error there, the rest graded", async () => {
    const rows = exactRows(6);
    rows[3]!.model_sample = CRASH;
    const res = await postJson(`${serve.base}/v1/rewards`, { grader: "exact", rows, format: "full" });
    expect(res.status).toBe(200);
    expect(res.json.rewards).toEqual([1, 0, 1, 0, 1, 0]);
    expect(res.json.rows[3].metadata.errors.other_error).toBe(true);
    expect(res.json.rows[3].error.message).toMatch(/worker crashed/);
    expect(res.json.rows.filter((r: { error?: unknown }) => r.error !== undefined)).toHaveLength(1);
    // A crash in a batch of many chunks, with another batch on the workers at the same time: its
    // chunks that shared the dying worker are graded again, not marked.
    const big = exactRows(700);
    big[450]!.model_sample = CRASH;
    const [crashed, beside] = await Promise.all([
      postJson(`${serve.base}/v1/rewards`, { grader: "exact", rows: big, format: "full" }),
      postJson(`${serve.base}/v1/rewards`, { grader: "exact", rows: exactRows(700) }),
    ]);
    expect(beside.json.rewards).toEqual(exactRows(700).map((_, i) => (i % 2 === 0 ? 1 : 0)));
    expect(crashed.json.rows.flatMap((r: { error?: unknown }, i: number) => (r.error !== undefined ? [i] : []))).toEqual([450]);
    // The pool is whole again afterwards.
    expect((await postJson(`${serve.base}/v1/rewards`, { grader: "exact", rows: exactRows(4) })).json.rewards).toEqual([1, 0, 1, 0]);
  });

  it("a one-row request sent behind a 20,000-row METEOR batch is answered long before the batch", async () => {
    // Once per worker, METEOR loads WordNet (about a second): not what this test measures.
    await Promise.all([0, 1, 2, 3].map(() => postJson(`${serve.base}/v1/rewards`, { grader: "meteor", rows: meteorRows(8) })));
    const t0 = performance.now();
    let batchDone = 0;
    const batch = postJson(`${serve.base}/v1/rewards`, { grader: "meteor", rows: meteorRows(20_000) }).then((r) => {
      batchDone = performance.now() - t0;
      return r;
    });
    // Send the single row once the server holds the batch (its rows are in the queue gauge), not
    // after a fixed delay: on a fast machine 5,000 rows were done within 150 ms.
    for (;;) {
      const text = await (await fetch(`${serve.base}/metrics`)).text();
      if (metricValue(text, "graderkit_queue_rows") > 0 || batchDone > 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(batchDone).toBe(0);
    const s0 = performance.now();
    const single = await postJson(`${serve.base}/v1/rewards`, { grader: "exact", rows: [{ model_sample: "x", item: { answer: "x" } }] });
    const singleMs = performance.now() - s0;
    expect(single.json.rewards).toEqual([1]);
    expect(batchDone).toBe(0);
    const b = await batch;
    expect(b.status).toBe(200);
    expect(b.json.rewards).toHaveLength(20_000);
    // It waited at most for a chunk or two of the batch, not for the batch.
    expect(singleMs).toBeLessThan(batchDone / 4);
  }, 120_000);
});

describe("graderkit serve: start and stop", () => {
  it("refuses to start on an invalid --grader (exit 2, the problem named), or a malformed one", async () => {
    const bad = writeJson(dir, "bad.json", { type: "string_check", name: "x", input: "{{ sample.output_text }}", reference: "a", operation: "equals" });
    const invalid = await cli(["serve", "--port", "0", "--grader", `ok=${exactPath}`, "--grader", `bad=${bad}`]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("/operation");
    expect(invalid.stderr).not.toContain("listening");
    const malformed = await cli(["serve", "--port", "0", "--grader", exactPath]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("NAME=FILE");
  });

  it("on SIGTERM finishes the batch in flight, refuses new requests, and exits 0", async () => {
    const s = await startServe(["--workers", "1", "--grader", `meteor=${meteorPath}`, "--grader", `exact=${exactPath}`]);
    const rows = meteorRows(3_000);
    const inFlight = postJson(`${s.base}/v1/rewards`, { grader: "meteor", rows });
    // Wait until the server holds the batch (its rows are queued), then stop it.
    for (;;) {
      const health = (await fetch(`${s.base}/healthz`).then((r) => r.json())) as { queue_rows: number };
      if (health.queue_rows > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    s.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    const late = await postJson(`${s.base}/v1/rewards`, { grader: "exact", rows: exactRows(1) }).catch((err: Error) => ({ status: "refused", json: err.message }));
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.json.rewards).toHaveLength(3_000);
    // The listening socket is closed: a new connection is refused, or answered 503 to retry.
    expect([503, "refused"]).toContain(late.status);
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toContain("SIGTERM, stopping");
  }, 60_000);
});

describe("ChunkSizer", () => {
  it("probes an unmeasured grader with small chunks, then sizes chunks to the target time within [1, maxRows]", () => {
    const sizer = new ChunkSizer({ maxRows: 256, targetMs: 15, probeRows: 16 });
    expect(sizer.rowsFor("meteor")).toBe(16);
    sizer.observe("meteor", 16, 24); // 1.5 ms a row → 10 rows make 15 ms
    expect(sizer.rowsFor("meteor")).toBe(10);
    sizer.observe("fast", 256, 0.5);
    expect(sizer.rowsFor("fast")).toBe(256);
    sizer.observe("slow", 1, 900);
    expect(sizer.rowsFor("slow")).toBe(1);
    // A slower chunk moves the estimate a fifth of the way: 0.8 × 1.5 + 0.2 × 6 = 2.4 ms → 6 rows.
    sizer.observe("meteor", 10, 60);
    expect(sizer.rowsFor("meteor")).toBe(6);
    // A faster one is believed at once (noise only adds time): 0.5 ms a row → 30 rows.
    sizer.observe("meteor", 6, 3);
    expect(sizer.rowsFor("meteor")).toBe(30);
    // A first chunk that loaded tables (1 s for 16 rows) is forgotten by the next normal one.
    sizer.observe("wordnet", 16, 1000);
    expect(sizer.rowsFor("wordnet")).toBe(1);
    sizer.observe("wordnet", 1, 1);
    expect(sizer.rowsFor("wordnet")).toBe(15);
  });
});

describe("FairScheduler", () => {
  /** A job of `n` tasks, each resolving when released, recording the order tasks start in. */
  function job(name: string, n: number, started: string[], pending: Array<() => void>) {
    let i = 0;
    return {
      hasNext: () => i < n,
      next() {
        const k = i++;
        return () => {
          started.push(`${name}${k}`);
          return new Promise<string>((resolve) => pending.push(() => resolve(`${name}${k}`)));
        };
      },
    };
  }
  const tick = () => new Promise((r) => setImmediate(r));

  it("runs at most `limit` tasks, round-robin between jobs, and resolves each job's results in order", async () => {
    const scheduler = new FairScheduler<string>(1);
    const started: string[] = [];
    const pending: Array<() => void> = [];
    const big = scheduler.submit(job("b", 4, started, pending));
    const small = scheduler.submit(job("s", 1, started, pending));
    expect(scheduler.active).toBe(1);
    let smallDone = false;
    void small.then(() => (smallDone = true));
    // The one-task job gets the second turn, not the fifth.
    while (pending.length) {
      pending.shift()!();
      await tick();
      if (started.length === 2) expect(started).toEqual(["b0", "s0"]);
    }
    expect(smallDone).toBe(true);
    expect(await big).toEqual(["b0", "b1", "b2", "b3"]);
    expect(await small).toEqual(["s0"]);
    expect(await scheduler.submit({ hasNext: () => false, next: () => () => Promise.resolve("never") })).toEqual([]);
  });

  it("a failing task rejects its job, starts none of its other tasks, and leaves the other jobs running", async () => {
    const scheduler = new FairScheduler<string>(2);
    let failingStarted = 0;
    const failing = scheduler.submit({ hasNext: () => failingStarted < 5, next: () => () => (failingStarted++, Promise.reject(new Error("boom"))) });
    const fine = scheduler.submit({ hasNext: (() => { let n = 3; return () => n-- > 0; })(), next: () => () => Promise.resolve("ok") });
    await expect(failing).rejects.toThrow("boom");
    expect(await fine).toEqual(["ok", "ok", "ok"]);
    // Two slots: at most the two tasks started before the first failure came back.
    expect(failingStarted).toBeLessThanOrEqual(2);
  });
});
