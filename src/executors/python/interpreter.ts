// Finding the Python interpreter and what the sandbox can use on this machine. Shared by the
// executor and `graderkit doctor`, so both see the interpreter the same way.

import { execFile } from "node:child_process";

export interface Interpreter {
  /** Absolute path of the real interpreter (sys.executable), so shims work under an empty env. */
  executable: string;
  version: string;
}

export type InterpreterResult = { ok: true; interpreter: Interpreter } | { ok: false; error: string };

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<RunResult> {
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
      const r = await run(python, ["-c", script], locatorEnv());
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

const namespaces = new Map<string, Promise<string[]>>();

/**
 * The command prefix that runs a program without network access: `unshare -n` (needs root or
 * CAP_SYS_ADMIN), else `unshare -r -n` (unprivileged user namespaces), else nothing. Probed once
 * per interpreter; failures fall back silently.
 */
export function networkNamespacePrefix(executable: string): Promise<string[]> {
  let p = namespaces.get(executable);
  if (!p) {
    p = (async () => {
      const env = sandboxEnv("/tmp");
      for (const prefix of [["unshare", "-n", "--"], ["unshare", "-r", "-n", "--"]]) {
        const r = await run(prefix[0]!, [...prefix.slice(1), executable, "-c", "pass"], env);
        if (r.code === 0) return prefix;
      }
      return [];
    })();
    namespaces.set(executable, p);
  }
  return p;
}
