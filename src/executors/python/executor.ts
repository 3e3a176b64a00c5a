// A pool of long-lived Python worker processes (runner.py) that run python graders under
// sandbox limits close to the hosted service's: wall time, address space, file size, no child
// processes, no network, an empty environment and a private working directory.
//
// Calls are queued and handed to free workers; fast graders are batched several calls per
// message, slow or unknown ones one at a time, so a hung grader only ever holds up its own call.

import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { PythonServerErrorType } from "../../core/response.js";
import type { PythonExecutor, PythonOutcome } from "../../core/executors.js";
import type { Item, Sample } from "../../core/rows.js";
import { networkNamespacePrefix, resolveInterpreter, sandboxEnv } from "./interpreter.js";

// The package's python/ folder: the same relative path from src/executors/python/ and dist/executors/python/.
const RUNNER = fileURLToPath(new URL("../../../python/runner.py", import.meta.url));

export interface PythonExecutorOptions {
  /** Interpreter name on PATH or path. Default "python3". */
  python?: string;
  /** Wall time per call. Default 120 (the hosted limit). */
  timeoutSeconds?: number;
  /** Address-space limit per worker (RLIMIT_AS). Default 2048. */
  memoryMb?: number;
  /** Worker processes. Default os.availableParallelism(). */
  workers?: number;
  /** Largest file a grader may write (RLIMIT_FSIZE). Default 1024. */
  outputFileMb?: number;
  /** Extra environment variables for the workers (e.g. NLTK_DATA); nothing else is inherited. */
  env?: Record<string, string>;
}

/** The hosted sandbox's limits (spec §5): 2 minutes, 2 GB; the CLI's --help shows these. */
export const PYTHON_DEFAULTS = { timeoutSeconds: 120, memoryMb: 2048, outputFileMb: 1024 } as const;

/** Expected duration of the calls one message carries: small enough to keep latency low. */
const BATCH_BUDGET_MS = 20;
const MAX_BATCH = 32;
/** A batch making no progress for this long gives its unstarted calls back to the queue. */
const STEAL_AFTER_MS = 250;
/** Compiled sources a worker keeps (LRU, mirrored here so we know which to send). */
const MAX_KNOWN_SOURCES = 128;
const STDERR_TAIL = 4000;
/** Workers in a row that die before "ready" before the executor gives up as unavailable. */
const MAX_START_FAILURES = 3;

interface Call {
  id: number;
  hash: string;
  source: string;
  /** `[id, hash, sample, item]` already serialized, so requeueing costs nothing. */
  json: string;
  done: boolean;
  queued: boolean;
  stolen: boolean;
  resolve: (outcome: PythonOutcome) => void;
}

interface Worker {
  child: ChildProcess;
  dir: string;
  ready: boolean;
  gone: boolean;
  /** Killed or retired by us: its exit is expected and blames no call. */
  retired: boolean;
  /** Calls sent and not yet answered, in the order the worker runs them. */
  outstanding: Call[];
  known: Set<string>;
  forget: string[];
  stdoutBuf: string;
  stderrTail: string;
  /** When the current head call started (approximately: when the previous one answered). */
  mark: number;
  timeoutTimer?: NodeJS.Timeout;
  stealTimer?: NodeJS.Timeout;
  exited: Promise<void>;
}

type Runtime = { ok: true; command: string; args: string[] } | { ok: false; error: string };

function serverError(type: PythonServerErrorType, details: string): PythonOutcome {
  return { kind: "server_error", type, details };
}

function streams(child: ChildProcess): Socket[] {
  return [child.stdin, child.stdout, child.stderr].filter((s) => s !== null) as unknown as Socket[];
}

class PythonPool implements PythonExecutor {
  private readonly python: string;
  private readonly timeoutMs: number;
  private readonly memoryMb: number;
  private readonly maxWorkers: number;
  private readonly outputFileMb: number;
  private readonly extraEnv: Record<string, string>;

  private runtime: Runtime | null = null;
  private preparing: Promise<void> | null = null;
  private readonly workers: Worker[] = [];
  private readonly dying = new Set<Worker>();
  private queue: Call[] = [];
  private nextId = 1;
  private pending = 0;
  private closed = false;
  private exitHookInstalled = false;
  private startFailures = 0;
  private readonly hashes = new Map<string, string>();
  /** Smoothed duration of one call per source hash, in ms: decides batch sizes. */
  private readonly costMs = new Map<string, number>();

  constructor(options: PythonExecutorOptions = {}) {
    this.python = options.python ?? "python3";
    this.timeoutMs = Math.max(0.001, options.timeoutSeconds ?? PYTHON_DEFAULTS.timeoutSeconds) * 1000;
    this.memoryMb = options.memoryMb ?? PYTHON_DEFAULTS.memoryMb;
    this.maxWorkers = Math.max(1, Math.floor(options.workers ?? os.availableParallelism()));
    this.outputFileMb = options.outputFileMb ?? PYTHON_DEFAULTS.outputFileMb;
    this.extraEnv = options.env ?? {};
  }

  grade(source: string, sample: Sample, item: Item): Promise<PythonOutcome> {
    if (this.closed) return Promise.resolve(serverError("unavailable", "the python executor is closed"));
    const id = this.nextId++;
    const hash = this.hashOf(source);
    let json: string;
    try {
      json = JSON.stringify([id, hash, sample ?? null, item ?? null]);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      return Promise.resolve({ kind: "runtime_error", details: `sample or item is not JSON-serializable: ${msg}` });
    }
    return new Promise((resolve) => {
      const call: Call = { id, hash, source, json, done: false, queued: true, stolen: false, resolve };
      if (this.pending++ === 0) this.setRef(true);
      this.queue.push(call);
      if (this.runtime) this.dispatch();
      else this.prepare();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const call of this.queue) this.finish(call, serverError("unavailable", "the python executor was closed"));
    this.queue = [];
    for (const w of [...this.workers]) {
      for (const call of w.outstanding) this.finish(call, serverError("unavailable", "the python executor was closed"));
      this.retire(w);
    }
    // Keep the event loop alive until the kills are confirmed and the directories removed.
    for (const w of this.dying) w.child.ref();
    await Promise.all([...this.dying].map((w) => w.exited));
    if (this.exitHookInstalled) {
      process.removeListener("exit", this.exitHook);
      this.exitHookInstalled = false;
    }
  }

  // ---- setup -------------------------------------------------------------------------------

  private prepare(): void {
    this.preparing ??= (async () => {
      const found = await resolveInterpreter(this.python);
      if (!found.ok) {
        this.runtime = { ok: false, error: found.error };
      } else {
        const exe = found.interpreter.executable;
        const prefix = await networkNamespacePrefix(exe);
        const runnerArgs = [RUNNER, String(this.timeoutMs / 1000), String(this.memoryMb), String(this.outputFileMb)];
        this.runtime =
          prefix.length > 0
            ? { ok: true, command: prefix[0]!, args: [...prefix.slice(1), exe, ...runnerArgs] }
            : { ok: true, command: exe, args: runnerArgs };
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

  // ---- scheduling ----------------------------------------------------------------------------

  private finish(call: Call, outcome: PythonOutcome): void {
    if (call.done) return;
    call.done = true;
    if (--this.pending === 0) this.setRef(false);
    call.resolve(outcome);
  }

  private dispatch(): void {
    const rt = this.runtime;
    if (!rt || this.closed) return;
    if (!rt.ok) {
      for (const call of this.queue) this.finish(call, serverError("unavailable", rt.error));
      this.queue = [];
      return;
    }
    while (this.queue.length > 0) {
      while (this.queue.length > 0 && this.queue[0]!.done) this.queue.shift();
      if (this.queue.length === 0) break;
      let w = this.workers.find((x) => x.outstanding.length === 0);
      if (!w) {
        if (this.workers.length >= this.maxWorkers) break;
        try {
          w = this.spawnWorker(rt.command, rt.args);
        } catch (err) {
          // e.g. no space for the working directory: fail what waits rather than reject.
          const details = `cannot start a python worker: ${err instanceof Error ? err.message : String(err)}`;
          for (const call of this.queue) this.finish(call, serverError("unavailable", details));
          this.queue = [];
          break;
        }
      }
      this.send(w, this.takeBatch());
    }
  }

  /** The next calls for one worker: as many as fit BATCH_BUDGET_MS, a fair share of the queue. */
  private takeBatch(): Call[] {
    const first = this.queue.shift()!;
    const cost = this.costMs.get(first.hash);
    // An unknown source runs alone until we know it is fast.
    let size = cost === undefined ? 1 : Math.floor(BATCH_BUDGET_MS / Math.max(cost, 0.01));
    size = Math.min(size, MAX_BATCH, Math.ceil((this.queue.length + 1) / this.maxWorkers));
    const batch = [first];
    while (batch.length < size && this.queue.length > 0) {
      const next = this.queue[0]!;
      if (next.done) {
        this.queue.shift();
        continue;
      }
      if (this.costMs.get(next.hash) === undefined) break;
      batch.push(this.queue.shift()!);
    }
    return batch;
  }

  private send(w: Worker, calls: Call[]): void {
    const src: Record<string, string> = {};
    for (const c of calls) {
      c.queued = false;
      if (w.known.has(c.hash)) {
        w.known.delete(c.hash); // re-insert: the set's order is least recently used first
      } else {
        src[c.hash] = c.source;
        if (w.known.size >= MAX_KNOWN_SOURCES) {
          const oldest = w.known.values().next().value as string;
          w.known.delete(oldest);
          w.forget.push(oldest);
        }
      }
      w.known.add(c.hash);
    }
    const forget = w.forget.length > 0 ? `"forget":${JSON.stringify(w.forget)},` : "";
    w.forget = [];
    const msg = `{${forget}"src":${JSON.stringify(src)},"calls":[${calls.map((c) => c.json).join(",")}]}\n`;
    const wasIdle = w.outstanding.length === 0;
    w.outstanding.push(...calls);
    // Before "ready" this also bounds a worker that hangs while starting.
    if (wasIdle) this.startClock(w);
    w.child.stdin!.write(msg);
  }

  /** Arm the per-call timers: the head call starts now. */
  private startClock(w: Worker): void {
    w.mark = performance.now();
    if (w.timeoutTimer) w.timeoutTimer.refresh();
    else w.timeoutTimer = setTimeout(() => this.onTimeout(w), this.timeoutMs).unref();
    if (w.outstanding.length > 1) {
      if (w.stealTimer) w.stealTimer.refresh();
      else w.stealTimer = setTimeout(() => this.steal(w), STEAL_AFTER_MS).unref();
    } else {
      this.stopTimer(w, "stealTimer");
    }
  }

  private stopTimer(w: Worker, which: "timeoutTimer" | "stealTimer"): void {
    const t = w[which];
    if (t) {
      clearTimeout(t);
      w[which] = undefined;
    }
  }

  /** Give a stuck worker's unstarted calls to other workers; whoever answers first wins. */
  private steal(w: Worker): void {
    w.stealTimer = undefined;
    const moved = w.outstanding.slice(1).filter((c) => !c.done && !c.queued && !c.stolen);
    if (moved.length === 0) return;
    for (const c of moved) {
      c.queued = true;
      c.stolen = true;
    }
    this.queue.unshift(...moved);
    this.dispatch();
  }

  private requeue(calls: Call[]): void {
    const back = calls.filter((c) => !c.done && !c.queued);
    for (const c of back) c.queued = true;
    this.queue.unshift(...back);
  }

  // ---- workers -------------------------------------------------------------------------------

  private spawnWorker(command: string, args: string[]): Worker {
    const dir = mkdtempSync(path.join(os.tmpdir(), "graderkit-py-"));
    const child = spawn(command, args, {
      cwd: dir,
      env: sandboxEnv(dir, this.extraEnv),
      stdio: ["pipe", "pipe", "pipe"],
      // Its own process group, so a kill reaches anything it managed to start.
      detached: true,
    });
    let onExit!: () => void;
    const w: Worker = {
      child,
      dir,
      ready: false,
      gone: false,
      retired: false,
      outstanding: [],
      known: new Set(),
      forget: [],
      stdoutBuf: "",
      stderrTail: "",
      mark: 0,
      exited: new Promise((r) => (onExit = r)),
    };
    this.workers.push(w);
    if (!this.exitHookInstalled) {
      process.on("exit", this.exitHook);
      this.exitHookInstalled = true;
    }
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => this.onStdout(w, chunk));
    child.stderr!.on("data", (chunk: string) => {
      w.stderrTail = (w.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    child.stdin!.on("error", () => {}); // EPIPE after a crash: the exit handler reports it
    const gone = (code: number | null, signal: NodeJS.Signals | null, err?: Error) => {
      if (w.gone) return;
      w.gone = true;
      this.onGone(w, code, signal, err);
      rm(w.dir, { recursive: true, force: true }).then(onExit, onExit);
    };
    // "error" after a successful spawn (a failed kill) is followed by "exit"; only a failed
    // spawn ends the worker here.
    child.on("error", (err) => {
      if (child.pid === undefined) gone(null, null, err);
    });
    child.on("exit", (code, signal) => gone(code, signal));
    if (this.pending === 0) this.refWorker(w, false);
    return w;
  }

  private onStdout(w: Worker, chunk: string): void {
    let buf = w.stdoutBuf + chunk;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (w.retired) continue;
      this.onMessage(w, line);
    }
    w.stdoutBuf = buf;
  }

  private onMessage(w: Worker, line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return this.crashHead(w, "crashed", `python worker wrote an invalid protocol line: ${line.slice(0, 200)}`);
    }
    if (!Array.isArray(msg)) return this.crashHead(w, "crashed", "python worker wrote an invalid protocol message");
    if (msg[0] === "ready") {
      w.ready = true;
      this.startFailures = 0;
      if (w.outstanding.length > 0) this.startClock(w);
      return;
    }
    const [id, kind, value] = msg as [number, string, unknown];
    const head = w.outstanding[0];
    if (!head || head.id !== id) return this.crashHead(w, "crashed", "python worker answered out of order");
    w.outstanding.shift();
    w.stderrTail = "";
    // Learn how long this source's calls take, to size later batches.
    const elapsed = performance.now() - w.mark;
    const prev = this.costMs.get(head.hash);
    if (prev === undefined && this.costMs.size >= 1024) this.costMs.clear();
    this.costMs.set(head.hash, prev === undefined ? elapsed : prev * 0.8 + elapsed * 0.2);

    if (kind === "ok" && typeof value === "number") {
      this.finish(head, { kind: "ok", reward: value });
    } else if (kind === "err") {
      this.finish(head, { kind: "runtime_error", details: String(value) });
    } else if (kind === "mem") {
      // The worker may be in a poor state after MemoryError: replace it.
      this.finish(head, serverError("memory", `out of memory (limit ${this.memoryMb} MB)\n${String(value)}`));
      this.retire(w);
      this.dispatch();
      return;
    } else {
      return this.crashHead(w, "crashed", `python worker sent an unknown answer: ${line.slice(0, 200)}`);
    }
    if (w.outstanding.length > 0) {
      this.startClock(w);
    } else {
      this.stopTimer(w, "timeoutTimer");
      this.stopTimer(w, "stealTimer");
      this.dispatch();
    }
  }

  private onTimeout(w: Worker): void {
    w.timeoutTimer = undefined;
    if (w.outstanding.length === 0 || w.retired) return;
    const seconds = this.timeoutMs / 1000;
    this.crashHead(w, "timeout", `grade() did not finish within the ${seconds}s time limit`);
  }

  /** The head call failed with the worker: report it, replace the worker, requeue the rest. */
  private crashHead(w: Worker, type: PythonServerErrorType, details: string): void {
    const head = w.outstanding[0];
    if (head) this.finish(head, serverError(type, details));
    this.retire(w);
    this.dispatch();
  }

  /** Stop using a worker: kill it and give its unanswered calls to others. */
  private retire(w: Worker): void {
    if (w.retired) return;
    w.retired = true;
    this.stopTimer(w, "timeoutTimer");
    this.stopTimer(w, "stealTimer");
    this.workers.splice(this.workers.indexOf(w), 1);
    this.dying.add(w);
    void w.exited.then(() => this.dying.delete(w));
    this.requeue(w.outstanding);
    w.outstanding = [];
    killGroup(w.child);
  }

  /** The worker process ended (or never started). */
  private onGone(w: Worker, code: number | null, signal: NodeJS.Signals | null, err?: Error): void {
    if (w.retired) return;
    const stderr = w.stderrTail.trim();
    const how = err ? err.message : signal ? `killed by ${signal}` : `exited with code ${code}`;
    if (!w.ready) {
      // It never came up. Retry with a new worker, unless that keeps failing: then the
      // interpreter or the sandbox setup is broken and every call is unavailable.
      const details = `python worker failed to start (${how})${stderr ? `:\n${stderr}` : ""}`;
      for (const c of w.outstanding) this.finish(c, serverError("unavailable", details));
      w.outstanding = [];
      this.retire(w);
      if (++this.startFailures >= MAX_START_FAILURES) this.runtime = { ok: false, error: details };
      this.dispatch();
      return;
    }
    let type: PythonServerErrorType = "crashed";
    if (signal === "SIGALRM") type = "timeout"; // the worker's own backstop timer
    // SIGKILL we did not send is most likely the kernel's OOM killer.
    else if (signal === "SIGKILL" || /MemoryError|Cannot allocate memory|bad_alloc|out of memory/i.test(stderr)) {
      type = "memory";
    }
    const details = `python worker died while running grade() (${how})${stderr ? `:\n${stderr}` : ""}`;
    this.crashHead(w, type, details);
  }

  // ---- process lifetime ------------------------------------------------------------------------

  /** Idle workers must not keep a CLI's event loop alive. */
  private setRef(on: boolean): void {
    for (const w of this.workers) this.refWorker(w, on);
  }

  private refWorker(w: Worker, on: boolean): void {
    if (on) w.child.ref();
    else w.child.unref();
    for (const s of streams(w.child)) {
      if (on) s.ref?.();
      else s.unref?.();
    }
  }

  /** On process exit (close() never called): kill workers and remove their directories. */
  private readonly exitHook = (): void => {
    for (const w of [...this.workers, ...this.dying]) {
      killGroup(w.child);
      try {
        rmSync(w.dir, { recursive: true, force: true });
      } catch {
        // best effort at exit
      }
    }
  };
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** A pool of sandboxed Python workers implementing the python grader executor. */
export function createPythonExecutor(options: PythonExecutorOptions = {}): PythonExecutor {
  return new PythonPool(options);
}
