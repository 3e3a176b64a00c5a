// The python executor: a pool of long-lived worker processes (runner.py), each running one
// grader source, started under the sandbox of sandbox.ts. This file holds the calls and applies
// the decisions of the scheduling policy (schedule.ts) to worker processes (worker.ts); every
// failure becomes an outcome, nothing throws.

import { createHash } from "node:crypto";
import os from "node:os";

import type { PythonServerErrorType } from "../../core/response.js";
import type { PythonExecutor, PythonOutcome } from "../../core/executors.js";
import type { Item, Sample } from "../../core/rows.js";
import { PYTHON_DEFAULTS } from "./defaults.js";
import { resolveInterpreter } from "./interpreter.js";
import { capText, encodeCall, encodeSource, TokenSource, type Answer } from "./protocol.js";
import { resolveLauncher, RUNNER, type Launch, type Launcher, type SandboxInfo, type SandboxMode } from "./sandbox.js";
import { defaultLimits, overdueAfterMs, plan, updateCost, type PoolLimits, type QueueView, type WorkerView } from "./schedule.js";
import { WorkerProcess } from "./worker.js";

export interface PythonExecutorOptions {
  /** Interpreter name on PATH or path. Default "python3". */
  python?: string;
  /** Wall time per call. Default 120 (the hosted limit). */
  timeoutSeconds?: number;
  /** Address-space limit per worker (RLIMIT_AS). Default 2048. */
  memoryMb?: number;
  /** Workers running calls at once (the CPU budget). Default os.availableParallelism(). */
  workers?: number;
  /** Largest file a grader may write (RLIMIT_FSIZE); under bwrap also the size of its tmpfs. Default 1024. */
  outputFileMb?: number;
  /** Extra environment variables for the workers (e.g. NLTK_DATA); nothing else is inherited. */
  env?: Record<string, string>;
  /**
   * "bwrap": workers run under bubblewrap, or every call is `unavailable`; "none": the audit-hook
   * layer only; "auto" (default): bwrap when it works here, else "none" with a warning.
   */
  sandbox?: SandboxMode;
  /** Host paths visible read-only inside the bwrap sandbox besides the interpreter's own. */
  readOnlyPaths?: string[];
}

/** The python executor, with what its sandbox is (known after the first call). */
export interface PythonPoolExecutor extends PythonExecutor {
  /** The sandbox in use, or undefined before the first call decided it. */
  sandboxInfo(): SandboxInfo | undefined;
}

/** Workers in a row that die before "ready" before the executor gives up as unavailable. */
const MAX_START_FAILURES = 3;
/** An idle worker is stopped after this long: it keeps a grader's interpreter and memory. */
const IDLE_EXIT_MS = 60_000;

interface Call {
  id: number;
  token: string;
  hash: string;
  /** The grader source (a reference, not a copy): a new worker for this hash is sent it. */
  source: string;
  /** `[sample, item]` already serialized, so requeueing costs nothing. */
  payload: string;
  /** Arrival number: sources are served oldest call first. */
  seq: number;
  done: boolean;
  queued: boolean;
  /** Handed to another worker while a stuck one still had it: never moved twice. */
  stolen: boolean;
  /** Its worker died under it after running other calls: it runs again alone before it is blamed. */
  alone: boolean;
  /** The worker it was last sent to: only that worker's death requeues it. */
  owner: PoolWorker | null;
  resolve: (outcome: PythonOutcome) => void;
}

interface PoolWorker {
  id: number;
  hash: string;
  proc: WorkerProcess;
  ready: boolean;
  retired: boolean;
  /** Calls sent and not yet answered, in the order the worker runs them. */
  outstanding: Call[];
  /** Calls it has answered: a death on its first call blames that call without a retry. */
  answered: number;
  /** When the head call started (approximately: when the previous one answered). */
  headStart: number;
  overdue: boolean;
  idleSince: number;
  /** One timer per worker: the head call's overdue or timeout deadline, or its idle expiry. */
  timer?: NodeJS.Timeout;
  timerKind?: "overdue" | "timeout" | "idle";
  timerMs: number;
}

function serverError(type: PythonServerErrorType, details: string): PythonOutcome {
  return { kind: "server_error", type, details: capText(details) };
}

class PythonPool implements PythonPoolExecutor {
  private readonly python: string;
  private readonly mode: SandboxMode;
  private readonly timeoutMs: number;
  private readonly memoryMb: number;
  private readonly outputFileMb: number;
  private readonly env: Record<string, string>;
  private readonly readOnlyPaths: string[];
  private readonly limits: PoolLimits;

  private launcher: Launcher | null = null;
  private preparing: Promise<void> | null = null;
  private readonly workers = new Map<number, PoolWorker>();
  private readonly dying = new Set<PoolWorker>();
  /** Waiting calls per source hash, oldest first (done calls are dropped lazily). */
  private readonly queues = new Map<string, Call[]>();
  private readonly hashes = new Map<string, string>();
  /** Smoothed duration of one call per source hash, in ms: decides batch sizes and overdue. */
  private readonly costMs = new Map<string, number>();
  private readonly tokens = new TokenSource();
  private nextId = 1;
  private nextWorkerId = 1;
  private pending = 0;
  private closed = false;
  private startFailures = 0;

  constructor(options: PythonExecutorOptions = {}) {
    this.python = options.python ?? "python3";
    this.mode = options.sandbox ?? "auto";
    this.timeoutMs = Math.max(0.001, options.timeoutSeconds ?? PYTHON_DEFAULTS.timeoutSeconds) * 1000;
    this.memoryMb = options.memoryMb ?? PYTHON_DEFAULTS.memoryMb;
    this.outputFileMb = options.outputFileMb ?? PYTHON_DEFAULTS.outputFileMb;
    this.env = options.env ?? {};
    this.readOnlyPaths = options.readOnlyPaths ?? [];
    const workers = Math.max(1, Math.floor(options.workers ?? os.availableParallelism()));
    this.limits = defaultLimits(workers, this.timeoutMs);
  }

  sandboxInfo(): SandboxInfo | undefined {
    return this.launcher?.info;
  }

  grade(source: string, sample: Sample, item: Item): Promise<PythonOutcome> {
    if (this.closed) return Promise.resolve(serverError("unavailable", "the python executor is closed"));
    let payload: string;
    try {
      payload = JSON.stringify([sample ?? null, item ?? null]);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      return Promise.resolve({ kind: "runtime_error", details: `sample or item is not JSON-serializable: ${msg}` });
    }
    const hash = this.hashOf(source);
    return new Promise((resolve) => {
      const id = this.nextId++;
      const call: Call = {
        id,
        token: this.tokens.next(),
        hash,
        source,
        payload,
        seq: id,
        done: false,
        queued: true,
        stolen: false,
        alone: false,
        owner: null,
        resolve,
      };
      if (this.pending++ === 0) this.setRef(true);
      this.enqueue([call]);
      if (this.launcher) this.dispatch();
      else this.prepare();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const queue of this.queues.values()) {
      for (const call of queue) this.finish(call, serverError("unavailable", "the python executor was closed"));
    }
    this.queues.clear();
    for (const w of [...this.workers.values()]) {
      for (const call of w.outstanding) this.finish(call, serverError("unavailable", "the python executor was closed"));
      this.retire(w);
    }
    // Keep the event loop alive until the kills are confirmed and the directories removed.
    for (const w of this.dying) w.proc.setRef(true);
    await Promise.all([...this.dying].map((w) => w.proc.exited));
  }

  // ---- setup -------------------------------------------------------------------------------

  private prepare(): void {
    this.preparing ??= (async () => {
      const found = await resolveInterpreter(this.python);
      if (!found.ok) {
        const info: SandboxInfo = { active: "audit-hook", networkNamespace: false, warnings: [] };
        this.launcher = { ok: false, info, error: found.error };
      } else {
        this.launcher = await resolveLauncher(this.mode, found.interpreter.executable, RUNNER, {
          timeoutSeconds: this.timeoutMs / 1000,
          memoryMb: this.memoryMb,
          outputFileMb: this.outputFileMb,
          env: this.env,
          readOnlyPaths: this.readOnlyPaths,
        });
      }
      this.dispatch();
    })();
  }

  private hashOf(source: string): string {
    let h = this.hashes.get(source);
    if (h === undefined) {
      h = createHash("sha256").update(source).digest("hex").slice(0, 32);
      if (this.hashes.size >= 1024) this.hashes.clear();
      this.hashes.set(source, h);
    }
    return h;
  }

  // ---- queue ---------------------------------------------------------------------------------

  private finish(call: Call, outcome: PythonOutcome): void {
    if (call.done) return;
    call.done = true;
    if (--this.pending === 0) this.setRef(false);
    call.resolve(outcome);
  }

  /** Put calls (new, or given back by a worker) in their source's queue, in arrival order. */
  private enqueue(calls: Call[]): void {
    for (const c of calls) {
      c.queued = true;
      let q = this.queues.get(c.hash);
      if (!q) this.queues.set(c.hash, (q = []));
      // New calls arrive in order; a requeued one goes before every later arrival.
      if (q.length === 0 || q[q.length - 1]!.seq < c.seq) q.push(c);
      else q.splice(lowerBound(q, c.seq), 0, c);
    }
  }

  /** Up to `count` waiting calls of one source; a call that must run alone goes by itself. */
  private take(hash: string, count: number): Call[] {
    const q = this.queues.get(hash);
    const batch: Call[] = [];
    while (q && q.length > 0 && batch.length < count) {
      const next = q[0]!;
      if (next.done) {
        q.shift();
        continue;
      }
      if (next.alone && batch.length > 0) break;
      batch.push(q.shift()!);
      if (next.alone) break;
    }
    if (q && q.length === 0) this.queues.delete(hash);
    return batch;
  }

  private waiting(q: Call[]): number {
    while (q.length > 0 && q[0]!.done) q.shift();
    let n = 0;
    for (const c of q) if (!c.done) n++;
    return n;
  }

  // ---- scheduling ----------------------------------------------------------------------------

  /** Apply the policy's decisions for the current state. */
  private dispatch(): void {
    const launcher = this.launcher;
    if (!launcher || this.closed) return;
    if (!launcher.ok) {
      for (const q of this.queues.values()) for (const call of q) this.finish(call, serverError("unavailable", launcher.error));
      this.queues.clear();
      return;
    }
    if (this.queues.size === 0) return;
    // Nothing can start while every worker of the CPU budget is busy (the common case under load).
    let running = 0;
    for (const w of this.workers.values()) if (w.outstanding.length > 0 && !w.overdue) running++;
    if (running >= this.limits.workers) return;

    const queueViews: QueueView[] = [];
    for (const [source, q] of this.queues) {
      const waiting = this.waiting(q);
      if (waiting === 0) this.queues.delete(source);
      else queueViews.push({ source, waiting, oldest: q[0]!.seq });
    }
    const workerViews: WorkerView[] = [...this.workers.values()].map((w) => ({
      id: w.id,
      source: w.hash,
      outstanding: w.outstanding.length,
      overdue: w.overdue,
      idleSince: w.idleSince,
    }));
    for (const d of plan(queueViews, workerViews, (s) => this.costMs.get(s), this.limits)) {
      if (d.kind === "evict") {
        const w = this.workers.get(d.worker);
        if (w) this.retire(w);
        continue;
      }
      const hash = d.kind === "spawn" ? d.source : this.workers.get(d.worker)?.hash;
      if (hash === undefined) continue;
      const calls = this.take(hash, d.count);
      if (calls.length === 0) continue;
      let w: PoolWorker | undefined;
      if (d.kind === "send") {
        w = this.workers.get(d.worker);
      } else {
        try {
          w = this.spawnWorker(hash, calls[0]!.source, launcher.launch);
        } catch (err) {
          // e.g. no space for the working directory: fail what waits rather than reject.
          const details = `cannot start a python worker: ${err instanceof Error ? err.message : String(err)}`;
          for (const c of calls) this.finish(c, serverError("unavailable", details));
          continue;
        }
      }
      if (w) this.send(w, calls);
      else this.enqueue(calls);
    }
  }

  private send(w: PoolWorker, calls: Call[]): void {
    let text = "";
    for (const c of calls) {
      c.queued = false;
      c.owner = w;
      text += encodeCall(c.id, c.token, c.payload);
    }
    const wasIdle = w.outstanding.length === 0;
    w.outstanding.push(...calls);
    // Before "ready" this also bounds a worker that hangs while starting.
    if (wasIdle) this.startHead(w);
    w.proc.write(text);
  }

  /** The worker's head call starts now: arm the overdue (then timeout) timer. */
  private startHead(w: PoolWorker, now = performance.now()): void {
    w.headStart = now;
    w.overdue = false;
    this.arm(w, "overdue", overdueAfterMs(this.costMs.get(w.hash), this.limits));
  }

  private arm(w: PoolWorker, kind: "overdue" | "timeout" | "idle", ms: number): void {
    // Reusing the timer (refresh) is much cheaper than a new one per call on the hot path.
    if (w.timer && w.timerKind === kind && w.timerMs === ms) {
      w.timer.refresh();
      return;
    }
    if (w.timer) clearTimeout(w.timer);
    w.timerKind = kind;
    w.timerMs = ms;
    const fire = kind === "overdue" ? this.onOverdue : kind === "timeout" ? this.onTimeout : this.onIdleExpired;
    w.timer = setTimeout(fire, ms, w).unref();
  }

  private disarm(w: PoolWorker): void {
    if (w.timer) clearTimeout(w.timer);
    w.timer = undefined;
  }

  /**
   * The head call has run past its overdue threshold: the worker leaves the CPU budget, so
   * another may start, and the calls batched behind it go back to the queue (whoever answers
   * first wins). Then wait for the timeout.
   */
  private readonly onOverdue = (w: PoolWorker): void => {
    if (w.retired || w.outstanding.length === 0) return;
    w.overdue = true;
    const moved = w.outstanding.slice(1).filter((c) => !c.done && !c.queued && !c.stolen);
    for (const c of moved) c.stolen = true;
    this.enqueue(moved);
    const left = w.headStart + this.timeoutMs - performance.now();
    this.arm(w, "timeout", Math.max(0, left));
    this.dispatch();
  };

  private readonly onTimeout = (w: PoolWorker): void => {
    if (w.retired || w.outstanding.length === 0) return;
    const seconds = this.timeoutMs / 1000;
    this.failHead(w, serverError("timeout", `grade() did not finish within the ${seconds}s time limit`));
  };

  // ---- workers -------------------------------------------------------------------------------

  private spawnWorker(hash: string, source: string, launch: () => Launch): PoolWorker {
    const id = this.nextWorkerId++;
    let w!: PoolWorker;
    const proc = new WorkerProcess(launch(), {
      onAnswer: (a) => this.onAnswer(w, a),
      onJunk: () => {},
      onGone: (how, signal, stderr) => this.onGone(w, how, signal, stderr),
    });
    w = { id, hash, proc, ready: false, retired: false, outstanding: [], answered: 0, headStart: 0, overdue: false, idleSince: 0, timerMs: 0 };
    this.workers.set(id, w);
    proc.write(encodeSource(source));
    if (this.pending === 0) proc.setRef(false);
    return w;
  }

  private onAnswer(w: PoolWorker, a: Answer): void {
    if (w.retired) return;
    if (a.kind === "ready") {
      w.ready = true;
      this.startFailures = 0;
      if (w.outstanding.length > 0) this.startHead(w);
      return;
    }
    const head = w.outstanding[0];
    // Only the running call's own answer counts: anything else on the protocol (a grader's
    // thread writing to it, a forged answer without the call's token) is skipped.
    if (!head || head.id !== a.id || head.token !== a.token) return;
    w.outstanding.shift();
    w.answered++;
    w.proc.clearStderr();
    const now = performance.now();
    const elapsed = now - w.headStart;
    if (!this.costMs.has(head.hash) && this.costMs.size >= 1024) this.costMs.clear();
    this.costMs.set(head.hash, updateCost(this.costMs.get(head.hash), elapsed));

    if (a.status === "ok" && typeof a.value === "number" && Number.isFinite(a.value)) {
      this.finish(head, { kind: "ok", reward: a.value });
    } else if (a.status === "err") {
      this.finish(head, { kind: "runtime_error", details: capText(String(a.value)) });
    } else if (a.status === "mem") {
      // The worker may be in a poor state after MemoryError: replace it.
      this.finish(head, serverError("memory", `out of memory (limit ${this.memoryMb} MB)\n${String(a.value)}`));
      this.retire(w);
      this.dispatch();
      return;
    } else {
      this.finish(head, serverError("crashed", "python worker sent an invalid answer"));
      this.retire(w);
      this.dispatch();
      return;
    }
    if (w.outstanding.length > 0) {
      this.startHead(w, now);
    } else {
      w.overdue = false;
      w.idleSince = now;
      this.arm(w, "idle", IDLE_EXIT_MS);
      this.dispatch();
    }
  }

  private readonly onIdleExpired = (w: PoolWorker): void => {
    if (!w.retired && w.outstanding.length === 0) this.retire(w);
  };

  /** The head call failed with the worker: report it, replace the worker, requeue the rest. */
  private failHead(w: PoolWorker, outcome: PythonOutcome): void {
    const head = w.outstanding[0];
    if (head) this.finish(head, outcome);
    this.retire(w);
    this.dispatch();
  }

  /** Stop using a worker: kill it and give the calls it owns back to the queue. */
  private retire(w: PoolWorker): void {
    if (w.retired) return;
    w.retired = true;
    this.disarm(w);
    this.workers.delete(w.id);
    this.dying.add(w);
    void w.proc.exited.then(() => this.dying.delete(w));
    this.enqueue(w.outstanding.filter((c) => !c.done && !c.queued && c.owner === w));
    w.outstanding = [];
    w.proc.kill();
  }

  /** The worker process ended (or never started) without us killing it. */
  private onGone(w: PoolWorker, how: string, signal: NodeJS.Signals | null, stderr: string): void {
    if (w.retired) return;
    if (!w.ready) {
      // It never came up. Retry with a new worker, unless that keeps failing: then the
      // interpreter or the sandbox setup is broken and every call is unavailable.
      const details = `python worker failed to start (${how})${stderr ? `:\n${stderr}` : ""}`;
      for (const c of w.outstanding) this.finish(c, serverError("unavailable", details));
      w.outstanding = [];
      this.retire(w);
      if (++this.startFailures >= MAX_START_FAILURES && this.launcher) {
        this.launcher = { ok: false, info: this.launcher.info, error: details };
      }
      this.dispatch();
      return;
    }
    const head = w.outstanding[0];
    if (head && w.answered > 0 && !head.alone) {
      // It had run other calls first: what killed it may be left over from them. Run the head
      // again alone on a fresh worker; only a second death blames it.
      head.alone = true;
      this.retire(w);
      this.dispatch();
      return;
    }
    let type: PythonServerErrorType = "crashed";
    if (signal === "SIGALRM") type = "timeout"; // the worker's own backstop timer
    // SIGKILL we did not send is most likely the kernel's OOM killer.
    else if (signal === "SIGKILL" || /MemoryError|Cannot allocate memory|bad_alloc|out of memory/i.test(stderr)) {
      type = "memory";
    }
    const again = head?.alone ? ", also when run alone on a fresh worker" : "";
    const details = `python worker died while running grade() on this row (${how}${again})${stderr ? `:\n${stderr}` : ""}`;
    this.failHead(w, serverError(type, details));
  }

  // ---- process lifetime ------------------------------------------------------------------------

  /** Idle workers must not keep a CLI's event loop alive. */
  private setRef(on: boolean): void {
    for (const w of this.workers.values()) w.proc.setRef(on);
  }
}

function lowerBound(q: Call[], seq: number): number {
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (q[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A pool of sandboxed Python workers implementing the python grader executor. */
export function createPythonExecutor(options: PythonExecutorOptions = {}): PythonPoolExecutor {
  return new PythonPool(options);
}
