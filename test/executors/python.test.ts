// The python executor against a real python3, with short limits so the suite stays quick. The
// behaviour is the same in both sandboxes (bubblewrap and the audit-hook fallback), so the whole
// suite runs in each; test/executors/python-sandbox.test.ts proves what each sandbox contains.

import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPythonExecutor } from "../../src/executors/python/executor.js";
import { pythonDoctor } from "../../src/executors/python/doctor.js";
import type { PythonExecutor, PythonOutcome } from "../../src/core/executors.js";
import { compilePython } from "../../src/graders/python.js";
import { runGrader } from "../../src/graders/run.js";
import { ERROR_FLAGS, type GraderErrors } from "../../src/core/response.js";
import type { PythonGrader } from "../../src/schema/types.js";

const BASE_LIMITS = { timeoutSeconds: 2, memoryMb: 256, workers: 2 };
const sample = { output_text: "42" };
const item = { answer: "42" };

const EXACT = `
def grade(sample, item):
    return 1.0 if sample["output_text"] == item["answer"] else 0.0
`;

function src(body: string): string {
  return `import os, sys\ndef grade(sample, item):\n${body
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n")}\n`;
}

function expectRuntimeError(out: PythonOutcome, pattern: RegExp): void {
  expect(out.kind).toBe("runtime_error");
  if (out.kind === "runtime_error") expect(out.details).toMatch(pattern);
}

function expectServerError(out: PythonOutcome, type: string): void {
  expect(out.kind).toBe("server_error");
  if (out.kind === "server_error") expect(out.type).toBe(type);
}

describe.each(["bwrap", "none"] as const)("python executor (sandbox %s)", (sandbox) => {
  const LIMITS = { ...BASE_LIMITS, sandbox };
  let py: PythonExecutor;
  const savedKey = process.env.OPENAI_API_KEY;

  beforeAll(() => {
    // Present in the parent: the workers must not see it.
    process.env.OPENAI_API_KEY = "sk-graderkit-test-secret";
    py = createPythonExecutor(LIMITS);
  });
  afterAll(async () => {
    await py.close();
    if (savedKey === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = savedKey;
  });

  it("grades a correct grader", async () => {
    expect(await py.grade(EXACT, sample, item)).toEqual({ kind: "ok", reward: 1 });
    expect(await py.grade(EXACT, { output_text: "41" }, item)).toEqual({ kind: "ok", reward: 0 });
  });

  it("treats bool as a number and keeps values outside [0, 1]", async () => {
    expect(await py.grade(src("return True"), sample, item)).toEqual({ kind: "ok", reward: 1 });
    expect(await py.grade(src("return 7"), sample, item)).toEqual({ kind: "ok", reward: 7 });
  });

  it("reports an exception with a traceback of the grader's own frames", async () => {
    const source = "def helper(x):\n    raise ValueError('bad answer ' + x)\n\ndef grade(sample, item):\n    return helper(sample['output_text'])\n";
    const out = await py.grade(source, sample, item);
    expectRuntimeError(out, /ValueError: bad answer 42/);
    if (out.kind !== "runtime_error") return;
    expect(out.details).toMatch(/File "grader\.py", line 2, in helper/);
    expect(out.details).toMatch(/File "grader\.py", line 5, in grade/);
    expect(out.details).toContain("raise ValueError('bad answer ' + x)");
    expect(out.details).not.toMatch(/runner\.py/);
  });

  it("rejects non-numeric and NaN results", async () => {
    expectRuntimeError(await py.grade(src("return '1.0'"), sample, item), /must return a number, got str/);
    expectRuntimeError(await py.grade(src("return None"), sample, item), /must return a number, got NoneType/);
    expectRuntimeError(await py.grade(src("return float('nan')"), sample, item), /NaN/);
  });

  it("reports a syntax error and a missing grade()", async () => {
    expectRuntimeError(await py.grade("def grade(sample, item)\n    return 1\n", sample, item), /SyntaxError/);
    expectRuntimeError(await py.grade("x = 1\n", sample, item), /does not define grade/);
  });

  it("runs every call with fresh module globals", async () => {
    const counter = "count = 0\ndef grade(sample, item):\n    global count\n    count += 1\n    return count\n";
    const one = createPythonExecutor({ ...LIMITS, workers: 1 });
    try {
      const outs = [];
      for (let i = 0; i < 5; i++) outs.push(await one.grade(counter, sample, item));
      outs.push(...(await Promise.all([1, 2, 3].map(() => one.grade(counter, sample, item)))));
      expect(outs).toEqual(outs.map(() => ({ kind: "ok", reward: 1 })));
    } finally {
      await one.close();
    }
  });

  it("keeps print() output off the protocol", async () => {
    const source = src("print('{\"not\": \"protocol\"}')\nprint('noise', file=sys.stderr)\nos.write(1, b'[1, \"ok\", 0.5]\\n')\nreturn 0.25");
    expect(await py.grade(source, sample, item)).toEqual({ kind: "ok", reward: 0.25 });
    expect(await py.grade(EXACT, sample, item)).toEqual({ kind: "ok", reward: 1 });
  });

  it("passes no inherited environment variables", async () => {
    expect(process.env.OPENAI_API_KEY).toBeDefined();
    expectRuntimeError(await py.grade(src("return os.environ['OPENAI_API_KEY']"), sample, item), /KeyError: 'OPENAI_API_KEY'/);
    const leaked = src("return sum(1 for k in os.environ if 'KEY' in k or 'TOKEN' in k or k == 'NODE_ENV')");
    expect(await py.grade(leaked, sample, item)).toEqual({ kind: "ok", reward: 0 });
  });

  it("refuses child processes", async () => {
    expectRuntimeError(await py.grade(src("os.fork()\nreturn 1"), sample, item), /PermissionError: .*os\.fork is not allowed/);
    const sub = src("import subprocess\nsubprocess.run(['ls'])\nreturn 1");
    expectRuntimeError(await py.grade(sub, sample, item), /subprocess\.Popen is not allowed/);
    const sys = await py.grade(src("os.system('true')\nreturn 1"), sample, item);
    expectRuntimeError(sys, /os\.system is not allowed/);
    // The refusal comes from the runner's audit hook, but its frame is not shown.
    if (sys.kind === "runtime_error") expect(sys.details).not.toMatch(/runner\.py/);
  });

  it("refuses signalling the parent and raising the limits", async () => {
    expectRuntimeError(await py.grade(src("os.kill(os.getppid(), 9)"), sample, item), /os\.kill of another process/);
    const raise = src("import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))");
    expectRuntimeError(await py.grade(raise, sample, item), /resource\.setrlimit is not allowed/);
  });

  it("refuses network access", async () => {
    const connect = src("import socket\nsocket.create_connection(('127.0.0.1', 80), timeout=1)\nreturn 1");
    expectRuntimeError(await py.grade(connect, sample, item), /not allowed/);
    const resolve = src("import socket\nsocket.getaddrinfo('example.com', 443)\nreturn 1");
    expectRuntimeError(await py.grade(resolve, sample, item), /socket\.getaddrinfo is not allowed/);
  });

  it("treats sys.exit() as a runtime error and keeps the worker", async () => {
    const one = createPythonExecutor({ ...LIMITS, workers: 1 });
    try {
      const pid = await one.grade(src("return os.getpid()"), sample, item);
      expectRuntimeError(await one.grade(src("sys.exit(3)"), sample, item), /SystemExit: 3/);
      expect(await one.grade(src("return os.getpid()"), sample, item)).toEqual(pid);
    } finally {
      await one.close();
    }
  });

  it("times out an infinite loop and replaces the worker", async () => {
    const t0 = Date.now();
    expectServerError(await py.grade(src("while True: pass"), sample, item), "timeout");
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(4000);
    expect(await py.grade(EXACT, sample, item)).toEqual({ kind: "ok", reward: 1 });
  });

  it("reports a memory bomb as a memory error", async () => {
    expectServerError(await py.grade(src("x = bytearray(1024 * 1024 * 1024)\nreturn 1"), sample, item), "memory");
    expectServerError(await py.grade(src("x = [0] * (10 ** 9)\nreturn 1"), sample, item), "memory");
    expect(await py.grade(EXACT, sample, item)).toEqual({ kind: "ok", reward: 1 });
  });

  it("reports a dead worker as crashed and recovers", async () => {
    expectServerError(await py.grade(src("os._exit(0)"), sample, item), "crashed");
    // A SIGKILL graderkit did not send is most likely the OOM killer; the same through bwrap,
    // which reports its worker's signal as an exit code.
    const killed = await py.grade(src("import signal\nos.kill(os.getpid(), signal.SIGKILL)"), sample, item);
    expectServerError(killed, "memory");
    if (killed.kind === "server_error") expect(killed.details).toMatch(/killed by SIGKILL/);
    expectServerError(await py.grade(src("import ctypes\nctypes.string_at(0)"), sample, item), "crashed");
    expect(await py.grade(EXACT, sample, item)).toEqual({ kind: "ok", reward: 1 });
  });

  it("limits the size of files a grader writes", async () => {
    const big = createPythonExecutor({ ...LIMITS, workers: 1, outputFileMb: 1 });
    try {
      const write = src("open('big.bin', 'wb').write(b'x' * (2 * 1024 * 1024))\nreturn 1");
      expectRuntimeError(await big.grade(write, sample, item), /File too large/);
    } finally {
      await big.close();
    }
  });

  it("does not let a hung grader hold up other calls", async () => {
    const hang = py.grade(src("while True: pass"), sample, item);
    const t0 = Date.now();
    const quick = await Promise.all(
      Array.from({ length: 8 }, (_, i) => py.grade(EXACT, { output_text: String(40 + i) }, item)),
    );
    expect(Date.now() - t0).toBeLessThan(1800); // well before the 2 s timeout
    expect(quick.map((o) => (o.kind === "ok" ? o.reward : -1))).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
    expectServerError(await hang, "timeout");
  });

  it("moves calls batched behind a call that hangs to another worker", async () => {
    // Fast after warm-up, so the executor batches its calls; then one call hangs mid-batch.
    const sometimesHangs = src("if sample.get('hang'):\n    while True: pass\nreturn 1");
    await Promise.all(Array.from({ length: 40 }, () => py.grade(sometimesHangs, sample, item)));
    // Both workers take one call; the rest queue up and are batched when they come back.
    const t0 = Date.now();
    const first = [py.grade(sometimesHangs, sample, item), py.grade(sometimesHangs, sample, item)];
    const hang = py.grade(sometimesHangs, { hang: true }, item);
    const rest = Array.from({ length: 30 }, () => py.grade(sometimesHangs, sample, item));
    const quick = await Promise.all([...first, ...rest]);
    expect(Date.now() - t0).toBeLessThan(1800); // well before the 2 s timeout
    expect(quick.every((o) => o.kind === "ok" && o.reward === 1)).toBe(true);
    expectServerError(await hang, "timeout");
  });

  it("survives a grader that installs its own SIGALRM handler", async () => {
    const alarm = src("import signal\nsignal.signal(signal.SIGALRM, lambda *a: None)\nsignal.alarm(100)\nreturn 0.5");
    expect(await py.grade(alarm, sample, item)).toEqual({ kind: "ok", reward: 0.5 });
    expect(await py.grade(EXACT, sample, item)).toEqual({ kind: "ok", reward: 1 });
  });

  it("reports a missing interpreter as unavailable", async () => {
    const none = createPythonExecutor({ ...LIMITS, python: "/nonexistent/python3" });
    try {
      expectServerError(await none.grade(EXACT, sample, item), "unavailable");
      expectServerError(await none.grade(EXACT, sample, item), "unavailable");
    } finally {
      await none.close();
    }
  });

  it("reports a worker that cannot start as unavailable", async () => {
    // Passes the interpreter probe (`-c ...`), then fails as a worker, like a broken install.
    const dir = mkdtempSync(path.join(os.tmpdir(), "graderkit-pytest-"));
    const fake = path.join(dir, "python3");
    writeFileSync(fake, '#!/bin/sh\ncase "$1" in -c) echo "$0"; echo 3.11.0; exit 0;; esac\necho boom >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const broken = createPythonExecutor({ ...LIMITS, python: fake });
    try {
      const outs = await Promise.all(Array.from({ length: 6 }, () => broken.grade(EXACT, sample, item)));
      for (const out of outs) expectServerError(out, "unavailable");
      const first = outs[0]!;
      // bwrap mode already fails when it asks the fake for its paths; the fallback starts it and
      // reports what it printed.
      const why = sandbox === "bwrap" ? /--python-sandbox bwrap: cannot read the interpreter.s paths/ : /failed to start[\s\S]*boom/;
      if (first.kind === "server_error") expect(first.details).toMatch(why);
    } finally {
      await broken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("removes its working directories on close", async () => {
    const marker = `marker-${process.pid}-${Date.now()}`;
    const own = createPythonExecutor({ ...LIMITS, workers: 1 });
    expect(await own.grade(src(`open(${JSON.stringify(marker)}, 'w').close()\nreturn 1`), sample, item)).toEqual({
      kind: "ok",
      reward: 1,
    });
    const dirs = () =>
      readdirSync(os.tmpdir())
        .filter((d) => d.startsWith("graderkit-py-"))
        .filter((d) => existsSync(path.join(os.tmpdir(), d, marker)));
    // The fallback's working directory is on the host until close(); bwrap's is a private tmpfs.
    expect(dirs()).toHaveLength(sandbox === "none" ? 1 : 0);
    await own.close();
    expect(dirs()).toHaveLength(0);
    expectServerError(await own.grade(EXACT, sample, item), "unavailable");
  });
});

describe("compilePython through runGrader", () => {
  let py: PythonExecutor;
  beforeAll(() => {
    py = createPythonExecutor({ ...BASE_LIMITS, timeoutSeconds: 1 });
  });
  afterAll(() => py.close());

  const grader = (source: string): PythonGrader => ({ type: "python", name: "py", source });
  const run = (source: string, withExecutor = true) =>
    runGrader(compilePython(grader(source), {}), {
      sample,
      item,
      executors: withExecutor ? { python: py } : {},
    });

  function onlyFlags(errors: GraderErrors): string[] {
    return ERROR_FLAGS.filter((f) => errors[f] === true);
  }

  it("returns the reward with all 14 error keys cleared", async () => {
    const g = compilePython(grader(EXACT), {});
    expect(g.async).toBe(true);
    const res = await run(src("return 1.5"));
    expect(res.reward).toBe(1.5);
    expect(Object.keys(res.metadata.errors)).toHaveLength(14);
    expect(onlyFlags(res.metadata.errors)).toEqual([]);
    expect(res.metadata.errors.python_grader_runtime_error_details).toBeNull();
    expect(res.metadata.errors.python_grader_server_error_type).toBeNull();
    expect(res.metadata.type).toBe("python");
  });

  it("maps an exception to python_grader_runtime_error with details", async () => {
    const res = await run(src("raise KeyError('missing')"));
    expect(res.reward).toBe(0);
    expect(onlyFlags(res.metadata.errors)).toEqual(["python_grader_runtime_error"]);
    expect(res.metadata.errors.python_grader_runtime_error_details).toMatch(/KeyError: 'missing'/);
    expect(res.metadata.errors.python_grader_server_error_type).toBeNull();
    expect(res.error?.message).toMatch(/KeyError: 'missing'/);
  });

  it("maps a timeout to python_grader_server_error with its type", async () => {
    const res = await run(src("import time\ntime.sleep(30)"));
    expect(res.reward).toBe(0);
    expect(onlyFlags(res.metadata.errors)).toEqual(["python_grader_server_error"]);
    expect(res.metadata.errors.python_grader_server_error_type).toBe("timeout");
    expect(res.metadata.errors.python_grader_runtime_error_details).toBeNull();
  });

  it("reports a missing executor as unavailable", async () => {
    const res = await run(EXACT, false);
    expect(onlyFlags(res.metadata.errors)).toEqual(["python_grader_server_error"]);
    expect(res.metadata.errors.python_grader_server_error_type).toBe("unavailable");
    expect(res.error?.message).toMatch(/no python executor configured/);
  });
});

describe("pythonDoctor", () => {
  it("names the interpreter and checks the hosted packages", async () => {
    const report = await pythonDoctor();
    expect(report.interpreter).toMatch(/python/);
    expect(report.version).toMatch(/^3\.\d+\.\d+$/);
    expect(report.packages.map((p) => p.name)).toContain("scikit-learn");
    for (const p of report.packages) expect(p.importable || p.version === null).toBe(true);
    const missing = await pythonDoctor("/nonexistent/python3");
    expect(missing.interpreter).toBeNull();
    expect(missing.error).toMatch(/not usable/);
  });
});
