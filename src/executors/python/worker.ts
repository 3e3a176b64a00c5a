// One python worker process: start it, frame and decode what it writes, kill it, remove its
// files. It knows nothing of calls or scheduling (executor.ts does); it reports what happens.

import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { Socket } from "node:net";
import os from "node:os";

import { release, track, type Disposable } from "./cleanup.js";
import { decodeAnswer, LineSplitter, type Answer } from "./protocol.js";
import { LIFELINE_FD, type Launch } from "./sandbox.js";

const STDERR_TAIL = 4000;

export interface WorkerEvents {
  onAnswer(answer: Answer): void;
  /** A line that is not a well-formed answer (a grader writing on the protocol); skipped. */
  onJunk(): void;
  /** The process ended, or never started (`error`). Not called after kill(). */
  onGone(how: string, signal: NodeJS.Signals | null, stderr: string): void;
}

export class WorkerProcess implements Disposable {
  readonly child: ChildProcess;
  /** Resolves once the process is gone and its host directory (if any) removed. */
  readonly exited: Promise<void>;
  private killed = false;
  private gone = false;
  private stderrTail = "";

  constructor(
    private readonly launch: Launch,
    private readonly events: WorkerEvents,
  ) {
    // stdin: calls; stdout: answers; stderr: the grader's own output (a tail is kept for crash
    // reports); fd 3: the lifeline, never written, so the worker reads EOF when we are gone.
    const stdio: Array<"pipe"> = Array.from({ length: LIFELINE_FD + 1 }, () => "pipe");
    this.child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      stdio,
      // Its own process group, so a kill reaches anything it managed to start.
      detached: true,
    });
    let onExit!: () => void;
    this.exited = new Promise((r) => (onExit = r));
    track(this);
    launch.releaseHostDir?.(); // guarded by this worker from now on
    const splitter = new LineSplitter(
      (line) => {
        if (this.killed || line.length === 0) return;
        const answer = decodeAnswer(line);
        if (answer) events.onAnswer(answer);
        else events.onJunk();
      },
      () => events.onJunk(),
    );
    this.child.stdout!.on("data", (chunk: Buffer) => splitter.push(chunk));
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail.length + chunk.length > STDERR_TAIL ? (this.stderrTail + chunk).slice(-STDERR_TAIL) : this.stderrTail + chunk);
    });
    for (const s of this.streams()) s.on("error", () => {}); // EPIPE after a crash: "exit" reports it
    const ended = (how: string, signal: NodeJS.Signals | null) => {
      if (this.gone) return;
      this.gone = true;
      if (!this.killed) events.onGone(how, signal, this.stderrTail.trim());
      const done = () => {
        release(this);
        onExit();
      };
      if (launch.hostDir) rm(launch.hostDir, { recursive: true, force: true }).then(done, done);
      else done();
    };
    // "error" after a successful spawn (a failed kill) is followed by "exit"; only a failed
    // spawn ends the worker here.
    this.child.on("error", (err) => {
      if (this.child.pid === undefined) ended(err.message, null);
    });
    this.child.on("exit", (code, signal) => {
      // bwrap exits with 128 + N when the worker inside it is killed by signal N.
      const inner = launch.signalAsExitCode && code !== null && code > 128 ? signalName(code - 128) : null;
      const sig = signal ?? inner;
      ended(sig ? `killed by ${sig}` : `exited with code ${code}`, sig);
    });
  }

  /** The grader's recent stderr, for a report; cleared per answered call by the pool. */
  clearStderr(): void {
    this.stderrTail = "";
  }

  write(text: string): void {
    if (!this.killed) this.child.stdin!.write(text);
  }

  /** Stop it: SIGKILL to its process group. Its exit is then expected and reported to no one. */
  kill(): void {
    this.killed = true;
    killGroup(this.child);
  }

  disposeNow(): void {
    this.kill();
    // Retries: the killed process may still be finishing a write into it.
    if (this.launch.hostDir) rmSync(this.launch.hostDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  }

  /** Idle workers must not keep a CLI's event loop alive. */
  setRef(on: boolean): void {
    if (on) this.child.ref();
    else this.child.unref();
    for (const s of this.streams()) {
      if (on) s.ref?.();
      else s.unref?.();
    }
  }

  private streams(): Socket[] {
    return this.child.stdio.filter((s) => s !== null && s !== undefined) as unknown as Socket[];
  }
}

function signalName(n: number): NodeJS.Signals | null {
  const found = Object.entries(os.constants.signals).find(([, v]) => v === n);
  return found ? (found[0] as NodeJS.Signals) : null;
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
