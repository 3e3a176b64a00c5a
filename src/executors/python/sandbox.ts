// How a python worker process is started: under bubblewrap (a real boundary: namespaces, a
// read-only view of the interpreter's own files only, a private tmpfs) or, where bubblewrap
// cannot run, as a plain process with the audit-hook layer (and `unshare -n` where it works).
// Both run the same runner.py with the same rlimits and audit hook; bubblewrap adds containment
// for whatever gets past that layer. README "The python sandbox" states what each protects.

import { existsSync, lstatSync, mkdtempSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { release, track } from "./cleanup.js";
import { findProgram, interpreterLayout, networkNamespacePrefix, runProgram, sandboxEnv, type InterpreterLayout } from "./interpreter.js";

export type SandboxMode = "auto" | "bwrap" | "none";

/** What the workers run under, and why, for the run summary and `doctor`. */
export interface SandboxInfo {
  /** "bwrap": bubblewrap namespaces + the audit hook; "audit-hook": the audit hook and rlimits only. */
  active: "bwrap" | "audit-hook";
  /** Whether the fallback cuts the network with `unshare -n` (always true under bwrap). */
  networkNamespace: boolean;
  /** Why bubblewrap is not used, when it is not. */
  bwrapUnavailable?: string;
  /** Things the user should know, e.g. that `auto` fell back to the audit hook only. */
  warnings: string[];
}

export interface SandboxSettings {
  /** Wall time, address space and largest-file limits runner.py applies to itself. */
  timeoutSeconds: number;
  memoryMb: number;
  outputFileMb: number;
  /** Extra environment for the workers; nothing else is inherited. */
  env: Record<string, string>;
  /** Extra host paths made visible read-only under bubblewrap (e.g. NLTK data). */
  readOnlyPaths: string[];
}

/** One worker's command line. `hostDir` is a host directory to remove when the worker is gone. */
export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  hostDir?: string;
  /** The command reports the worker's death by signal N as exit code 128 + N (bwrap does). */
  signalAsExitCode?: boolean;
  /** Stop guarding `hostDir` for exit and signals: call once its owner guards (or removed) it. */
  releaseHostDir?: () => void;
}

export type Launcher =
  | {
      ok: true;
      info: SandboxInfo;
      /** A worker: runner.py in the sandbox. */
      launch: () => Launch;
      /** The interpreter with other arguments in the same sandbox (doctor's package check). */
      interpreter: (args: string[]) => Launch;
    }
  | { ok: false; info: SandboxInfo; error: string };

// The package's python/ folder: the same relative path from src/executors/python/ and dist/executors/python/.
export const RUNNER = fileURLToPath(new URL("../../../python/runner.py", import.meta.url));
/** Where runner.py is inside the bubblewrap sandbox. */
const RUNNER_IN_SANDBOX = "/graderkit/runner.py";
/** The sandbox's private working directory (a tmpfs), also HOME and TMPDIR. */
const SANDBOX_HOME = "/tmp";
/** The fd runner.py watches: it reads EOF when graderkit is gone, however it died. */
export const LIFELINE_FD = 3;

/**
 * Shared libraries and the loader's configuration: what a dynamically linked interpreter and its
 * extension modules need besides the interpreter's own folders. Only those that exist are bound.
 */
const SYSTEM_PATHS = [
  "/usr/lib",
  "/usr/lib64",
  "/usr/lib32",
  "/lib",
  "/lib64",
  "/lib32",
  "/usr/local/lib",
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/localtime",
  "/usr/share/zoneinfo",
];
/** Prefixes too broad to bind whole (they hold shells and every other program). */
const SYSTEM_PREFIXES = new Set(["/", "/usr", "/usr/local", "/opt"]);

/** The read-only binds, parents before children, each once, symlinks kept as symlinks. */
export function sandboxBinds(layout: InterpreterLayout, extra: readonly string[] = []): string[] {
  const wanted = new Set<string>();
  const add = (p: string) => {
    if (!path.isAbsolute(p) || !existsSync(p)) return;
    wanted.add(path.normalize(p));
    try {
      wanted.add(realpathSync(p));
    } catch {
      // keep the path as given
    }
  };
  for (const p of layout.prefixes) if (!SYSTEM_PREFIXES.has(path.normalize(p))) add(p);
  for (const p of [layout.executable, layout.realExecutable, ...layout.importPath, ...SYSTEM_PATHS, ...extra]) add(p);
  const sorted = [...wanted].sort();
  const kept: string[] = [];
  for (const p of sorted) {
    // Inside an already bound folder it is visible anyway (unless that folder is a symlink).
    if (kept.some((k) => p.startsWith(k + "/") && !isSymlink(k))) continue;
    kept.push(p);
  }
  const args: string[] = [];
  for (const p of kept) {
    if (isSymlink(p)) args.push("--symlink", readlinkSync(p), p);
    else args.push("--ro-bind", p, p);
  }
  return args;
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function runnerConfig(s: SandboxSettings): string {
  return JSON.stringify({
    timeout: s.timeoutSeconds,
    memory_mb: s.memoryMb,
    fsize_mb: s.outputFileMb,
    lifeline_fd: LIFELINE_FD,
  });
}

/** The bubblewrap command line that runs the interpreter with `args` (runner.py, for a worker). */
export function bwrapArgs(layout: InterpreterLayout, runner: string, s: SandboxSettings, args = [RUNNER_IN_SANDBOX, runnerConfig(s)]): string[] {
  const env = sandboxEnv(SANDBOX_HOME, s.env);
  return [
    "--unshare-user",
    "--unshare-pid",
    "--unshare-net",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--hostname",
    "graderkit",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--clearenv",
    ...Object.entries(env).flatMap(([k, v]) => ["--setenv", k, v]),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    // The only writable place, sized like the hosted sandbox's disk (the output-file limit).
    "--size",
    String(s.outputFileMb * 1024 * 1024),
    "--tmpfs",
    SANDBOX_HOME,
    ...sandboxBinds(layout, s.readOnlyPaths),
    "--ro-bind",
    runner,
    RUNNER_IN_SANDBOX,
    "--chdir",
    SANDBOX_HOME,
    "--",
    layout.executable,
    ...args,
  ];
}

const bwrapProbes = new Map<string, Promise<{ ok: true; layout: InterpreterLayout; bwrap: string } | { ok: false; reason: string }>>();

/** Whether bubblewrap can run this interpreter here: tried once per interpreter and settings. */
export function probeBwrap(executable: string, runner: string, s: SandboxSettings) {
  const key = JSON.stringify([executable, s.readOnlyPaths]);
  let p = bwrapProbes.get(key);
  if (!p) {
    p = (async () => {
      const bwrap = findProgram("bwrap");
      if (!bwrap) return { ok: false as const, reason: "bwrap (Debian package bubblewrap) is not installed" };
      const layout = await interpreterLayout(executable);
      if ("error" in layout) return { ok: false as const, reason: layout.error };
      // The same sandbox, running a check instead of the runner.
      const probe = bwrapArgs(layout, runner, s, ["-c", "import json, sys; print('graderkit-sandbox-ok')"]);
      const r = await runProgram(bwrap, probe, sandboxEnv(SANDBOX_HOME));
      if (r.code === 0 && r.stdout.includes("graderkit-sandbox-ok")) return { ok: true as const, layout, bwrap };
      const why = (r.stderr.trim() || r.error?.message || `exit code ${r.code}`).split("\n").slice(-3).join(" ");
      return { ok: false as const, reason: `bwrap cannot start the interpreter here: ${why}` };
    })();
    bwrapProbes.set(key, p);
  }
  return p;
}

/** Decide how workers start, once per pool. Never throws: an unusable mode is an error launcher. */
export async function resolveLauncher(mode: SandboxMode, executable: string, runner: string, s: SandboxSettings): Promise<Launcher> {
  if (mode !== "none") {
    const probe = await probeBwrap(executable, runner, s);
    if (probe.ok) {
      const workerArgs = bwrapArgs(probe.layout, runner, s);
      const info: SandboxInfo = { active: "bwrap", networkNamespace: true, warnings: [] };
      // The outer bwrap process sees no secret either: it gets the sandbox environment too.
      const inBwrap = (args: string[]): Launch => ({ command: probe.bwrap, args, env: sandboxEnv(SANDBOX_HOME), cwd: "/", signalAsExitCode: true });
      return {
        ok: true,
        info,
        launch: () => inBwrap(workerArgs),
        interpreter: (args) => inBwrap(bwrapArgs(probe.layout, runner, s, args)),
      };
    }
    if (mode === "bwrap") {
      const info: SandboxInfo = { active: "audit-hook", networkNamespace: false, bwrapUnavailable: probe.reason, warnings: [] };
      return { ok: false, info, error: `--python-sandbox bwrap: ${probe.reason}` };
    }
    const fallback = await auditHookLauncher(executable, runner, s);
    fallback.info.bwrapUnavailable = probe.reason;
    fallback.info.warnings.push(
      `python sandbox: ${probe.reason}; python graders run with the audit-hook layer only, which is not a ` +
        "security boundary (README: The python sandbox)",
    );
    return fallback;
  }
  return auditHookLauncher(executable, runner, s);
}

async function auditHookLauncher(executable: string, runner: string, s: SandboxSettings): Promise<Launcher & { ok: true }> {
  const prefix = await networkNamespacePrefix();
  const info: SandboxInfo = { active: "audit-hook", networkNamespace: prefix.length > 0, warnings: [] };
  const plain = (args: string[]): Launch => {
    // A host directory of its own: removed when the worker is gone, and on exit or a signal. The
    // guard is in place before the directory exists, so a signal that arrives while it is created
    // or while the worker is spawned (both synchronous) is handled, not fatal.
    const guard = { dir: "", disposeNow: () => guard.dir && rmSync(guard.dir, { recursive: true, force: true }) };
    track(guard);
    guard.dir = mkdtempSync(path.join(os.tmpdir(), "graderkit-py-"));
    const argv = [...prefix, executable, ...args];
    const env = sandboxEnv(guard.dir, s.env);
    return { command: argv[0]!, args: argv.slice(1), env, cwd: guard.dir, hostDir: guard.dir, releaseHostDir: () => release(guard) };
  };
  return { ok: true, info, launch: () => plain([runner, runnerConfig(s)]), interpreter: plain };
}
