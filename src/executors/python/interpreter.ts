// Finding the Python interpreter and what the sandbox can use on this machine. Shared by the
// executor and `graderkit doctor`, so both see the interpreter the same way.

import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

export interface Interpreter {
  /** Absolute path of the real interpreter (sys.executable), so shims work under an empty env. */
  executable: string;
  version: string;
}

export type InterpreterResult = { ok: true; interpreter: Interpreter } | { ok: false; error: string };

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException;
}

export function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
      const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ...(err ? { error: err } : {}) });
    });
  });
}

/**
 * Only what locating an interpreter needs (pyenv shims, virtualenvs, conda): never the whole
 * parent environment, which may hold API keys.
 */
function locatorEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (k === "PATH" || k === "HOME" || k.startsWith("PYENV") || k === "VIRTUAL_ENV" || k.startsWith("CONDA")) {
      env[k] = v;
    }
  }
  return env;
}

/** The environment every sandboxed Python process gets: nothing inherited. */
export function sandboxEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    TMPDIR: home,
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    PYTHONUTF8: "1",
    PYTHONIOENCODING: "utf-8",
    PYTHONDONTWRITEBYTECODE: "1",
    // Deterministic str hashing, so set iteration order is the same from run to run.
    PYTHONHASHSEED: "0",
    // One thread per BLAS/OpenMP pool: the hosted sandbox has 1-2 CPUs, and idle thread pools
    // reserve address space that counts against RLIMIT_AS.
    OMP_NUM_THREADS: "1",
    OPENBLAS_NUM_THREADS: "1",
    MKL_NUM_THREADS: "1",
    NUMEXPR_NUM_THREADS: "1",
    ...extra,
  };
}

const interpreters = new Map<string, Promise<InterpreterResult>>();

/** Resolve `python` (a name on PATH or a path) to its real executable. Cached per name. */
export function resolveInterpreter(python: string): Promise<InterpreterResult> {
  let p = interpreters.get(python);
  if (!p) {
    p = (async (): Promise<InterpreterResult> => {
      const script = "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])";
      const r = await runProgram(python, ["-c", script], locatorEnv());
      if (r.error && r.code === null) {
        return { ok: false, error: `python interpreter ${JSON.stringify(python)} not usable: ${r.error.message}` };
      }
      if (r.code !== 0) {
        return { ok: false, error: `python interpreter ${JSON.stringify(python)} failed: ${r.stderr.trim()}` };
      }
      const [exe, version] = r.stdout.trim().split("\n");
      const [major, minor] = (version ?? "").split(".").map(Number);
      if (!(major === 3 && (minor ?? 0) >= 8)) {
        return { ok: false, error: `python ${version} is too old: graderkit needs Python >= 3.8` };
      }
      return { ok: true, interpreter: { executable: exe?.trim() || python, version: version ?? "" } };
    })();
    interpreters.set(python, p);
  }
  return p;
}

/**
 * Absolute path of a system program (unshare, bwrap): looked up on the user's PATH and then in the
 * usual system folders, including the sbin ones. Resolved here rather than by the child's
 * sandbox PATH (/usr/local/bin:/usr/bin:/bin), which does not hold every install location.
 */
export function findProgram(name: string): string | null {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin", "/sbin"];
  for (const dir of dirs) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

let namespacePrefix: Promise<string[]> | null = null;

/**
 * The command prefix that runs a program without network access: `unshare -n` (needs root or
 * CAP_SYS_ADMIN), else `unshare -r -n` (unprivileged user namespaces), else nothing. Probed once
 * with `true`, so the answer does not depend on the interpreter (doctor reports it even when
 * there is none) and `unshare` is found wherever it is installed (see findProgram).
 */
export function networkNamespacePrefix(): Promise<string[]> {
  namespacePrefix ??= (async () => {
    const unshare = findProgram("unshare");
    const probe = findProgram("true");
    if (!unshare || !probe) return [];
    for (const flags of [["-n"], ["-r", "-n"]]) {
      const r = await runProgram(unshare, [...flags, "--", probe], sandboxEnv("/tmp"));
      if (r.code === 0) return [unshare, ...flags, "--"];
    }
    return [];
  })();
  return namespacePrefix;
}

export interface InterpreterLayout {
  /** sys.executable as started, and its real path. */
  executable: string;
  realExecutable: string;
  /** sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix (deduplicated). */
  prefixes: string[];
  /** The import path the workers get (sys.path, without the current directory). */
  importPath: string[];
}

const LAYOUT_SCRIPT = `
import json, os, sys
print(json.dumps({
    "executable": sys.executable,
    "realExecutable": os.path.realpath(sys.executable),
    "prefixes": sorted({sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix}),
    "importPath": [p for p in sys.path if p and os.path.isabs(p)],
}))
`;

const layouts = new Map<string, Promise<InterpreterLayout | { error: string }>>();

/** Where the interpreter's own files are, as it sees them in the workers' environment. */
export function interpreterLayout(executable: string): Promise<InterpreterLayout | { error: string }> {
  let p = layouts.get(executable);
  if (!p) {
    p = (async () => {
      const r = await runProgram(executable, ["-c", LAYOUT_SCRIPT], sandboxEnv("/tmp"));
      if (r.code !== 0) return { error: `cannot read the interpreter's paths: ${(r.stderr || r.error?.message || "").trim()}` };
      try {
        return JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as InterpreterLayout;
      } catch {
        return { error: `cannot read the interpreter's paths: unexpected output ${JSON.stringify(r.stdout.slice(0, 200))}` };
      }
    })();
    layouts.set(executable, p);
  }
  return p;
}
