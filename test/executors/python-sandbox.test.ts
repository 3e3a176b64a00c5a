// What the python sandbox contains, with a real python3 and a real bubblewrap: each claim of the
// README's "The python sandbox" section is proved here (issue 10, items 6, 9-12, 15, 24).
//
// Two layers: runner.py's rlimits and audit hook (in both sandboxes), and bubblewrap around it.
// Tests of bubblewrap alone run plain Python (no runner, no audit hook) in the very sandbox the
// workers get (the launcher's `interpreter`), so they show what is contained even when code gets
// past the first layer.

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PythonExecutor, PythonOutcome } from "../../src/core/executors.js";
import { createPythonExecutor } from "../../src/executors/python/executor.js";
import { resolveInterpreter } from "../../src/executors/python/interpreter.js";
import { resolveLauncher, RUNNER, type Launch, type SandboxMode } from "../../src/executors/python/sandbox.js";
import { BIN, cli, ROOT, tempDir, writeJson, writeLines } from "../helpers/cli.js";

const SECRET = "sk-graderkit-sandbox-test-secret";
// A generous timeout: no test here waits for it, and a loaded machine must not turn a slow import into one.
const LIMITS = { timeoutSeconds: 30, memoryMb: 512, workers: 2 };
const SETTINGS = { timeoutSeconds: 5, memoryMb: 512, outputFileMb: 64, env: {}, readOnlyPaths: [] };
const marker = () => `graderkit-marker-${process.pid}-${Math.random().toString(36).slice(2)}`;

function grader(body: string, preamble = "import os, sys"): string {
  const indented = body.trim().split("\n").map((l) => `    ${l}`).join("\n");
  return `${preamble}\ndef grade(sample, item):\n${indented}\n`;
}

function reward(out: PythonOutcome): number | string {
  return out.kind === "ok" ? out.reward : out.kind === "runtime_error" ? `runtime_error: ${out.details}` : `${out.type}: ${out.details}`;
}

function refusedWith(out: PythonOutcome, pattern: RegExp): void {
  expect(out.kind).toBe("runtime_error");
  if (out.kind === "runtime_error") expect(out.details).toMatch(pattern);
}

/** Plain Python (no runner, no audit hook) inside the workers' sandbox; its stdout, parsed. */
async function runRaw(mode: SandboxMode, code: string): Promise<any> {
  const found = await resolveInterpreter("python3");
  if (!found.ok) throw new Error(found.error);
  const launcher = await resolveLauncher(mode, found.interpreter.executable, RUNNER, SETTINGS);
  if (!launcher.ok) throw new Error(launcher.error);
  const cmd: Launch = launcher.interpreter(["-c", code]);
  try {
    const out = execFileSync(cmd.command, cmd.args, { cwd: cmd.cwd, env: cmd.env, encoding: "utf8", timeout: 30_000 });
    return JSON.parse(out.trim().split("\n").pop()!);
  } finally {
    if (cmd.hostDir) rmSync(cmd.hostDir, { recursive: true, force: true });
    cmd.releaseHostDir?.();
  }
}

/** Host processes whose command line contains `needle`. */
function hostProcessesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

function hostCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

/** All descendants of a host process. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) for (const c of children.get(stack.pop()!) ?? []) out.push(c), stack.push(c);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

const savedKey = process.env.OPENAI_API_KEY;
beforeAll(() => {
  // Present in graderkit's environment: no grader may see it.
  process.env.OPENAI_API_KEY = SECRET;
});
afterAll(() => {
  if (savedKey === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = savedKey;
});

describe("bubblewrap alone contains plain Python (no audit hook)", () => {
  it("writes no host file: not in the project, not in the host's /tmp, not in HOME", async () => {
    const name = marker();
    const targets = [path.join(ROOT, name), path.join(os.tmpdir(), name), path.join(os.homedir(), name)];
    const result = await runRaw(
      "bwrap",
      `import json, os
out = {}
for p in ${JSON.stringify(targets)}:
    try:
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "w").write("escaped")
        out[p] = "written"
    except OSError as e:
        out[p] = type(e).__name__
print(json.dumps(out))`,
    );
    // Inside, /tmp is the sandbox's own tmpfs: the write there succeeds and stays there.
    expect(result[targets[1]!]).toBe("written");
    for (const t of targets) expect(existsSync(t)).toBe(false);
  });

  it("sees no project, no home and no host process", async () => {
    const homeFile = path.join(os.homedir(), `${marker()}.txt`);
    writeFileSync(homeFile, "private");
    try {
      const result = await runRaw(
        "bwrap",
        `import json, os
pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
cmds = []
for p in pids:
    try:
        cmds.append(open("/proc/%d/cmdline" % p, "rb").read().replace(b"\\0", b" ").decode())
    except OSError:
        pass
print(json.dumps({"project": os.path.exists(${JSON.stringify(ROOT)}), "home_file": os.path.exists(${JSON.stringify(homeFile)}),
                  "pids": pids, "cmds": cmds, "pid": os.getpid(), "ppid": os.getppid()}))`,
      );
      expect(result.project).toBe(false);
      expect(result.home_file).toBe(false);
      // Its own pid namespace: bwrap's init and this process, nothing of the host.
      expect(result.pid).toBeLessThanOrEqual(3);
      expect(result.pids.length).toBeLessThanOrEqual(3);
      for (const c of result.cmds) expect(c).toMatch(/^\S*(bwrap|python)/);
    } finally {
      rmSync(homeFile, { force: true });
    }
  });

  it("sees no secret: not in its environment, not in /proc/1 or /proc/<ppid>/environ", async () => {
    // bwrap itself is started with the sandbox environment (its init is /proc/1 inside), and
    // --clearenv leaves the grader only that.
    const result = await runRaw(
      "bwrap",
      `import json, os
found = [k for k, v in os.environ.items() if ${JSON.stringify(SECRET)} in v]
for p in [p for p in os.listdir("/proc") if p.isdigit()] + ["self"]:
    try:
        if ${JSON.stringify(SECRET)}.encode() in open("/proc/%s/environ" % p, "rb").read():
            found.append(p)
    except OSError:
        pass
print(json.dumps({"found": found, "ppid": os.getppid()}))`,
    );
    expect(result.found).toEqual([]);
  });

  it("cannot kill graderkit or any host process (kill, pidfd_send_signal, kill(-1))", async () => {
    const bystander = spawn("sleep", ["30"]);
    try {
      const result = await runRaw(
        "bwrap",
        `import json, os, signal
out = {}
for name, pid in (("ppid", os.getppid()), ("host_pid", ${process.pid}), ("bystander", ${bystander.pid})):
    try:
        signal.pidfd_send_signal(os.pidfd_open(pid), signal.SIGKILL)
        out[name + "_pidfd"] = "sent"
    except OSError as e:
        out[name + "_pidfd"] = type(e).__name__
    try:
        os.kill(pid, signal.SIGKILL) if pid != os.getppid() else None
        out[name] = "sent"
    except OSError as e:
        out[name] = type(e).__name__
# Every process it may signal: only worth trying because its pid namespace is the sandbox's.
if os.getpid() <= 3:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        os.kill(-1, signal.SIGTERM)
        out["all"] = "sent"
    except OSError as e:
        out["all"] = type(e).__name__
print(json.dumps(out))`,
      ).catch((err) => ({ died: String(err) }));
      expect(alive(process.pid)).toBe(true);
      expect(alive(bystander.pid!)).toBe(true);
      // Host pids do not exist in its namespace (or are other sandbox processes).
      expect(result).toBeTypeOf("object");
    } finally {
      bystander.kill("SIGKILL");
    }
  });

  it("starts no /bin/sh, and a process it starts (setsid, new session) does not outlive it", async () => {
    const name = marker();
    const result = await runRaw(
      "bwrap",
      `import json, os, subprocess, sys
out = {}
try:
    subprocess.Popen(["/bin/sh", "-c", "sleep 60"], start_new_session=True)
    out["sh"] = "started"
except OSError as e:
    out["sh"] = type(e).__name__
# The interpreter itself is in the sandbox: start it detached, in a session of its own.
p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", ${JSON.stringify(name)}], start_new_session=True)
out["python"] = p.pid
print(json.dumps(out))`,
    );
    expect(result.sh).toBe("FileNotFoundError");
    expect(result.python).toBeGreaterThan(0);
    // The sandbox ended with its main process: its pid namespace took the child with it.
    expect(await waitUntil(() => hostProcessesWith(name).length === 0, 3_000)).toBe(true);
  });

  it("has no network: a server on the host's loopback gets no connection", async () => {
    let connections = 0;
    const server: Server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const result = await runRaw(
        "bwrap",
        `import json, socket
try:
    socket.create_connection(("127.0.0.1", ${port}), timeout=2)
    out = "connected"
except OSError as e:
    out = type(e).__name__
print(json.dumps({"connect": out}))`,
      );
      expect(result.connect).not.toBe("connected");
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe.each(["bwrap", "none"] as const)("both layers (sandbox %s)", (sandbox) => {
  let py: PythonExecutor;
  beforeAll(() => {
    py = createPythonExecutor({ ...LIMITS, sandbox });
  });
  afterAll(() => py.close());

  it("refuses _posixsubprocess.fork_exec(... call_setsid=True) and subprocess, and no process is left", async () => {
    const name = marker();
    const direct = grader(
      `import _posixsubprocess
_posixsubprocess.fork_exec(["/bin/sh", "-c", "sleep 60; : ${name}"], [b"/bin/sh"], True, (), None, None,
    -1, -1, -1, -1, -1, -1, -1, -1, False, True, -1, None, None, None, -1, None, False)
return 1`,
    );
    refusedWith(await py.grade(direct, {}, {}), /_posixsubprocess\.fork_exec is not allowed/);
    const viaSubprocess = grader(`import subprocess\nsubprocess._fork_exec\nsubprocess.Popen(["/bin/sh"], start_new_session=True)\nreturn 1`);
    refusedWith(await py.grade(viaSubprocess, {}, {}), /subprocess\.Popen is not allowed/);
    const reimport = grader(`del sys.modules["_posixsubprocess"]\nimport _posixsubprocess\nreturn 1`);
    refusedWith(await py.grade(reimport, {}, {}), /re-importing _posixsubprocess is not allowed/);
    expect(hostProcessesWith(name)).toEqual([]);
  });

  it("refuses signalling graderkit: os.kill, pidfd_open + pidfd_send_signal", async () => {
    refusedWith(await py.grade(grader("os.kill(os.getppid(), 9)"), {}, {}), /os\.kill of another process/);
    refusedWith(await py.grade(grader("os.pidfd_open(os.getppid())"), {}, {}), /os\.pidfd_open of another process/);
    const send = grader("import signal\nsignal.pidfd_send_signal(os.pidfd_open(os.getpid()), 0)");
    refusedWith(await py.grade(send, {}, {}), /signal\.pidfd_send_signal is not allowed/);
    const ctypesKill = grader("import ctypes\nctypes.CDLL(None).kill(os.getppid(), 9)");
    refusedWith(await py.grade(ctypesKill, {}, {}), /native function kill/);
    expect(alive(process.pid)).toBe(true);
  });

  it("shows no secret: not in os.environ, not in /proc/<ppid>/environ or /proc/1/environ", async () => {
    expect(await py.grade(grader(`return sum(${JSON.stringify(SECRET)} in v for v in os.environ.values())`), {}, {})).toEqual({ kind: "ok", reward: 0 });
    for (const target of ["os.getppid()", "1"]) {
      const read = grader(`return float(${JSON.stringify(SECRET)}.encode() in open("/proc/%d/environ" % ${target}, "rb").read())`);
      const out = await py.grade(read, {}, {});
      // The audit hook refuses another process's /proc entry; under bwrap there is no secret there anyway.
      refusedWith(out, /another process's \/proc entry/);
    }
    const mem = grader('open("/proc/%d/mem" % os.getppid(), "r+b")\nreturn 1');
    refusedWith(await py.grade(mem, {}, {}), /another process's \/proc entry/);
    expect(await py.grade(grader('return float(len(open("/proc/self/status").read()) > 0)'), {}, {})).toEqual({ kind: "ok", reward: 1 });
  });

  it("refuses network access", async () => {
    const connect = grader("import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)\nreturn 1");
    refusedWith(await py.grade(connect, {}, {}), /socket\.(getaddrinfo|connect) is not allowed/);
  });

  it("does not let a thread writing to the protocol forge or break the next answers", async () => {
    // After its first call returns, the thread floods every fd but stdin with forged answers for
    // the next call ids (the tokens are unknown to it), partial lines and a long unterminated line.
    const forger = grader(
      `import builtins, threading
if not getattr(builtins, "_forger", None):
    def flood():
        import time
        base = 0
        while True:
            for fd in range(1, 12):
                try:
                    for i in range(base, base + 50):
                        os.write(fd, b'\\n[%d,"0000000000000000","ok",99]\\n[%d,"x","ok",99]\\n["ready","9"]\\n' % (i, i))
                    os.write(fd, b'[1,"' + b'A' * 70000)
                except OSError:
                    pass
            base += 50
            time.sleep(0.001)
    builtins._forger = threading.Thread(target=flood, daemon=True)
    builtins._forger.start()
import time
time.sleep(0.005)
return float(sample["n"])`,
    );
    const one = createPythonExecutor({ ...LIMITS, sandbox, workers: 1 });
    try {
      const outs: PythonOutcome[] = [];
      for (let n = 0; n < 10; n++) outs.push(await one.grade(forger, { n }, {}));
      outs.push(...(await Promise.all(Array.from({ length: 20 }, (_, k) => one.grade(forger, { n: 10 + k }, {})))));
      expect(outs.map(reward)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    } finally {
      await one.close();
    }
  });

  it("a grader cannot cancel its way past a killed graderkit (setitimer(ITIMER_REAL, 0), SIGALRM ignored)", async () => {
    const script = `
import { createPythonExecutor } from ${JSON.stringify(path.join(ROOT, "dist/executors/python/executor.js"))};
const py = createPythonExecutor({ sandbox: ${JSON.stringify(sandbox)}, timeoutSeconds: 1, workers: 1 });
const src = "import signal, time\\ndef grade(s, i):\\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\\n    signal.setitimer(signal.ITIMER_REAL, 0)\\n    while True:\\n        time.sleep(0.05)\\n";
py.grade(src, {}, {});
setTimeout(() => console.log("graded"), 700);
setInterval(() => {}, 1000);
`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((r) => child.stdout.once("data", () => r()));
    const workers = descendants(child.pid!);
    expect(workers.length).toBeGreaterThan(0);
    child.kill("SIGKILL"); // before its 1 s timeout could kill the worker
    // The lifeline (and, under bwrap, --die-with-parent) ends them at once, not after the grader's timer.
    expect(await waitUntil(() => workers.every((p) => !alive(p)), 10_000)).toBe(true);
  });

  it("runs each grader source in workers of its own: no state reaches another grader", async () => {
    const one = createPythonExecutor({ ...LIMITS, sandbox, workers: 1 });
    try {
      const polluter = grader(
        `import builtins, types
builtins.len = lambda x: 42
sys.modules["json"] = types.ModuleType("json")
open("carried.txt", "w").write("from the polluter")
# Walk up to the runner and replace its per-call function: every later call of this worker is hijacked.
f = sys._getframe()
while f is not None and "run_call" not in f.f_code.co_name:
    f = f.f_back
worker = f.f_locals["self"]
type(worker).run_call = lambda self, sample, item: ("ok", 0.123)
return 1`,
      );
      expect(await one.grade(polluter, {}, {})).toEqual({ kind: "ok", reward: 1 });
      // The polluter's own later calls are hijacked: that is its own business.
      expect(await one.grade(polluter, {}, {})).toEqual({ kind: "ok", reward: 0.123 });
      const victim = grader(
        `import json
assert len("ab") == 2, "builtins carried over"
assert json.dumps([1]) == "[1]", "sys.modules carried over"
assert not os.path.exists("carried.txt"), "a file carried over"
return float(sample["n"])`,
      );
      for (let n = 0; n < 3; n++) expect(await one.grade(victim, { n }, {})).toEqual({ kind: "ok", reward: n });
    } finally {
      await one.close();
    }
  });

  it("keeps, between calls of the same grader, builtins, imported modules, files and threads, not module globals", async () => {
    const one = createPythonExecutor({ ...LIMITS, sandbox, workers: 1 });
    try {
      // Each digit counts one kind of state: module globals, builtins, a module in sys.modules,
      // a file in the working directory, a thread left running.
      const stateful = `import builtins, os, sys, threading, types
counter = globals().get("counter", 0) + 1
def grade(sample, item):
    builtins.calls = getattr(builtins, "calls", 0) + 1
    mod = sys.modules.setdefault("graderkit_state", types.ModuleType("graderkit_state"))
    mod.n = getattr(mod, "n", 0) + 1
    with open("calls.txt", "a") as f:
        f.write("x")
    if builtins.calls == 1:
        threading.Thread(target=lambda: __import__("time").sleep(60), daemon=True, name="left-running").start()
    threads = sum(t.name == "left-running" for t in threading.enumerate())
    return counter * 10000 + builtins.calls * 1000 + mod.n * 100 + len(open("calls.txt").read()) * 10 + threads
`;
      expect(await one.grade(stateful, {}, {})).toEqual({ kind: "ok", reward: 11111 });
      expect(await one.grade(stateful, {}, {})).toEqual({ kind: "ok", reward: 12221 });
      expect(await one.grade(stateful, {}, {})).toEqual({ kind: "ok", reward: 13331 });
      // Another source sees none of it.
      const other = stateful.replace("counter = ", "other = 1\ncounter = ");
      expect(await one.grade(other, {}, {})).toEqual({ kind: "ok", reward: 11111 });
    } finally {
      await one.close();
    }
  });

  it("flags only the culprit row when a row kills the worker or cannot be decoded", async () => {
    const src = grader(`if sample.get("crash"):\n    os._exit(7)\nreturn float(sample["n"])`);
    await Promise.all(Array.from({ length: 30 }, (_, n) => py.grade(src, { n }, {}))); // now known to be fast: batched
    let deep: unknown = 1;
    for (let i = 0; i < 3_000; i++) deep = [deep];
    const outs = await Promise.all([
      ...Array.from({ length: 10 }, (_, n) => py.grade(src, { n }, {})),
      py.grade(src, { n: -1, crash: true }, {}),
      py.grade(src, { n: -2 }, { deep }),
      ...Array.from({ length: 10 }, (_, n) => py.grade(src, { n: 10 + n }, {})),
    ]);
    expect(outs.slice(0, 10).map(reward)).toEqual(Array.from({ length: 10 }, (_, n) => n));
    expect(outs.slice(12).map(reward)).toEqual(Array.from({ length: 10 }, (_, n) => 10 + n));
    const crash = outs[10]!;
    expect(crash.kind === "server_error" && crash.type).toBe("crashed");
    if (crash.kind === "server_error") expect(crash.details).toMatch(/died while running grade\(\) on this row \(exited with code 7/);
    refusedWith(outs[11]!, /nested too deeply for Python's json module/);
  });

  it("re-runs, rather than blames, a row whose worker died of an earlier call's leftovers", async () => {
    const one = createPythonExecutor({ ...LIMITS, sandbox, workers: 1 });
    try {
      // The "bomb" row returns normally but leaves a timer that kills the worker a little later,
      // while it runs some innocent row.
      const src = grader(`import threading, time
if sample.get("bomb"):
    threading.Timer(0.1, lambda: os._exit(9)).start()
    return 1.0
time.sleep(0.03)
return 2.0`);
      const outs = await Promise.all([one.grade(src, { bomb: true }, {}), ...Array.from({ length: 12 }, () => one.grade(src, {}, {}))]);
      expect(outs.map(reward)).toEqual([1, ...Array.from({ length: 12 }, () => 2)]);
    } finally {
      await one.close();
    }
  });

  it("caps error details, in linear time, on a 50 MB exception and 50 MB of output", async () => {
    const huge = (mb: number) => grader(`print('y' * (${mb} * 1024 * 1024))\nraise ValueError('x' * (${mb} * 1024 * 1024))`);
    const timed = async (mb: number) => {
      const t0 = performance.now();
      const out = await py.grade(huge(mb), {}, {});
      return { out, ms: performance.now() - t0 };
    };
    const small = await timed(5);
    const { out, ms } = await timed(50);
    // 10x the bytes: linear is ~10x (less, with the fixed cost of a call); the old quadratic
    // buffering was ~100x (a 50 MB message took 22 s).
    expect(ms / small.ms).toBeLessThan(30);
    refusedWith(out, /ValueError: x+…\[truncated \d+ bytes\]…x+$/);
    if (out.kind === "runtime_error") {
      expect(out.details.length).toBeLessThanOrEqual(16_384);
      expect(out.details).toMatch(/^Traceback/);
      const cut = Number(/truncated (\d+) bytes/.exec(out.details)![1]);
      expect(cut).toBeGreaterThan(50 * 1024 * 1024 - 20_000);
    }
  });

  it("keeps a hung call from holding up other callers beyond a bounded wait", async () => {
    const slow = createPythonExecutor({ ...LIMITS, sandbox, timeoutSeconds: 30 });
    try {
      const hang = grader("import time\nwhile True:\n    time.sleep(1)");
      const sometimesHangs = grader("import time\nif sample.get('hang'):\n    while True: time.sleep(1)\nreturn float(sample['n'])");
      const quick = grader("return float(sample['n'])");
      // Two hung calls take both workers of the CPU budget; a third hangs among its own source's calls.
      const hung = [slow.grade(hang, {}, {}), slow.grade(hang, {}, {}), slow.grade(sometimesHangs, { hang: true }, {})];
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      const outs = await Promise.all([
        ...Array.from({ length: 10 }, (_, n) => slow.grade(quick, { n }, {})),
        ...Array.from({ length: 10 }, (_, n) => slow.grade(sometimesHangs, { n }, {})),
      ]);
      const waited = Date.now() - t0;
      const expected = Array.from({ length: 10 }, (_, n) => n);
      expect(outs.map(reward)).toEqual([...expected, ...expected]);
      // Bounded by the overdue threshold (~1 s for a source of unknown cost) plus start-up: a
      // fraction of the 30 s the hung calls hold their workers for.
      expect(waited).toBeLessThan(30_000 / 3);
      void hung; // answered "unavailable" by close()
    } finally {
      await slow.close();
    }
  });
});

describe("the fallback's audit hook (sandbox none)", () => {
  let py: PythonExecutor;
  beforeAll(() => {
    py = createPythonExecutor({ ...LIMITS, sandbox: "none" });
  });
  afterAll(() => py.close());

  it("does not contain: a grader reads and writes host files outside its directory", async () => {
    const name = path.join(os.tmpdir(), marker());
    try {
      expect(await py.grade(grader(`open(${JSON.stringify(name)}, "w").write("out")\nreturn 1`), {}, {})).toEqual({ kind: "ok", reward: 1 });
      expect(readFileSync(name, "utf8")).toBe("out");
    } finally {
      rmSync(name, { force: true });
    }
  });

  it("does not refuse signal.setitimer / signal.alarm (no audit event): the lifeline backs them up", async () => {
    expect(await py.grade(grader("import signal\nsignal.setitimer(signal.ITIMER_REAL, 0)\nsignal.alarm(0)\nreturn 1"), {}, {})).toEqual({ kind: "ok", reward: 1 });
  });
});

describe("CLI: --python-sandbox, signals and doctor", () => {
  it("removes the workers' temporary directories when graderkit run gets SIGTERM or SIGINT", async () => {
    const dir = tempDir("graderkit-pysig-");
    try {
      const graderFile = writeJson(dir, "slow.json", { type: "python", name: "slow", source: "import time\ndef grade(s, i):\n    time.sleep(0.2)\n    return 1.0\n" });
      const input = writeLines(dir, "in.jsonl", Array.from({ length: 200 }, (_, i) => ({ sample: { output_text: String(i) } })));
      for (const [mode, signal] of [["none", "SIGTERM"], ["none", "SIGINT"], ["bwrap", "SIGTERM"]] as const) {
        const tmp = path.join(dir, `tmp-${mode}-${signal}`);
        mkdirSync(tmp);
        const child = spawn(process.execPath, [BIN, "run", graderFile, input, "-o", path.join(tmp, "..", `out-${mode}-${signal}.jsonl`), "--quiet", "--python-sandbox", mode], {
          env: { ...process.env, TMPDIR: tmp },
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
        // Wait until the workers are up: their directories exist, or under bwrap their processes.
        const workerDirs = () => readdirSync(tmp).filter((d) => d.startsWith("graderkit-py-"));
        const bwrapUp = () => descendants(child.pid!).some((p) => hostCmdline(p).includes("runner.py"));
        const up = await waitUntil(() => (mode === "none" ? workerDirs().length > 0 : bwrapUp()), 10_000);
        expect(up, stderr).toBe(true);
        const workers = descendants(child.pid!);
        child.kill(signal);
        const exit = await new Promise<NodeJS.Signals | number | null>((r) => child.on("exit", (code, sig) => r(sig ?? code)));
        // graderkit run handles the signal: finished rows are written, then it exits 130 / 143.
        expect(exit).toBe(signal === "SIGINT" ? 130 : 143);
        expect(workerDirs()).toEqual([]);
        expect(await waitUntil(() => workers.every((p) => !alive(p)), 10_000)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("rejects an unknown --python-sandbox mode", async () => {
    const res = await cli(["grade", "graders/exact-answer.json", "--sample", "1", "--item", '{"answer": "1"}', "--python-sandbox", "docker"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--python-sandbox must be one of auto, bwrap, none/);
  });

  it("doctor exits 1 without an interpreter and still reports unshare and the sandbox correctly", async () => {
    // What this machine can do, found independently of graderkit.
    const works = (cmd: string, args: string[]) => {
      try {
        execFileSync(cmd, args, { stdio: "ignore" });
        return true;
      } catch {
        return false;
      }
    };
    const unshare = works("unshare", ["-n", "true"]) || works("unshare", ["-r", "-n", "true"]);
    const bwrap = works("bwrap", ["--unshare-all", "--ro-bind", "/", "/", "true"]);

    const missing = await cli(["doctor", "--python", "/nonexistent/python3", "--json"]);
    expect(missing.code).toBe(1);
    const m = JSON.parse(missing.stdout);
    expect(m.interpreter).toBeNull();
    expect(m.networkNamespace).toBe(unshare);
    expect(m.sandbox).toBeNull();
    const text = await cli(["doctor", "--python", "/nonexistent/python3"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/interpreter: not found/);

    const found = await cli(["doctor", "--json"]);
    expect(found.code).toBe(0);
    const f = JSON.parse(found.stdout);
    expect(f.networkNamespace).toBe(unshare);
    expect(f.sandbox).toBe(bwrap ? "bwrap" : "audit-hook");
    if (!bwrap) expect(f.bwrapUnavailable).toMatch(/bwrap/);

    // A bwrap that cannot create namespaces (as in many containers): a run's summary warns, and
    // doctor says why.
    const fakeBin = tempDir("graderkit-nobwrap-");
    try {
      writeFileSync(path.join(fakeBin, "bwrap"), "#!/bin/sh\necho 'bwrap: No permissions to create a new namespace' >&2\nexit 1\n", { mode: 0o755 });
      const env = { PATH: `${fakeBin}:${process.env.PATH}` };
      const doctor = await cli(["doctor"], { env });
      // The fake is found first and fails the probe: doctor reports the fallback and the reason.
      expect(doctor.stdout).toMatch(/sandbox: audit hook only/);
      expect(doctor.stdout).toMatch(/bwrap not used: bwrap cannot start the interpreter here: bwrap: No permissions/);
      const run = await cli(["run", "graders/numeric-answer.python.json", "datasets/short-answers.jsonl", "-o", path.join(fakeBin, "out.jsonl")], { env });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/warning: python sandbox: bwrap cannot start the interpreter here.*audit-hook layer only/);
    } finally {
      rmSync(fakeBin, { recursive: true, force: true });
    }
  }, 120_000);
});
