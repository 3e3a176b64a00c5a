"""graderkit python worker: runs `grade(sample, item)` from grader sources, many calls per process.

Started by executor.ts as `python3 runner.py TIMEOUT_S MEMORY_MB FSIZE_MB`. Protocol: one JSON value
per line. The parent sends {"src": {hash: source}, "forget": [hash], "calls": [[id, hash, sample, item]]};
the worker answers each call, in order, with [id, "ok", reward] | [id, "err", details] | [id, "mem", details],
after first announcing ["ready", python_version].
"""

import sys

if sys.version_info < (3, 8):  # sys.addaudithook is 3.8+
    sys.stderr.write("graderkit needs Python >= 3.8, this is %s\n" % sys.version.split()[0])
    sys.exit(2)

import builtins
import json
import linecache
import math
import numbers
import os
import resource
import signal
import traceback

RUNNER_FILE = os.path.abspath(__file__)
# Bound once: a grader that monkeypatches json or os must not break the protocol.
_loads, _dumps, _write = json.loads, json.dumps, os.write
GRADER_FILE = "grader.py"
# Seconds past the parent's own timeout after which the worker kills itself: a backstop for a
# parent that died or stalled, so a hung grader cannot outlive it.
BACKSTOP_GRACE = 5

# Audit events that would start a process or reach the network. PermissionError is an OSError,
# so library code that already tolerates a failed subprocess/socket keeps working.
BLOCKED_EVENTS = frozenset(
    {
        "os.system",
        "os.fork",
        "os.forkpty",
        "os.exec",
        "os.spawn",
        "os.posix_spawn",
        "os.startfile",
        "os.killpg",
        # The runner set the limits before installing this hook; graders may not change them.
        "resource.setrlimit",
        "resource.prlimit",
        "subprocess.Popen",
        "pty.spawn",
        "socket.connect",
        "socket.bind",
        "socket.sendto",
        "socket.sendmsg",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
    }
)


def audit_hook(event, args):
    if event in BLOCKED_EVENTS:
        raise PermissionError("graderkit sandbox: %s is not allowed in a python grader" % event)
    # Signalling another process (e.g. the parent) is refused; signalling itself is harmless.
    if event == "os.kill" and args and args[0] not in (0, os.getpid()):
        raise PermissionError("graderkit sandbox: os.kill of another process is not allowed")


def take_protocol_fds():
    """Move the protocol to private fds so grader output on fd 0/1 cannot corrupt it."""
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # input() in a grader sees EOF
    os.close(devnull)
    os.dup2(2, 1)  # print() and C-level writes to stdout go to stderr
    return proto_in, proto_out


def set_limits(memory_mb, fsize_mb):
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if fsize_mb > 0:
        limit = fsize_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # RLIMIT_NPROC is not set: Linux counts threads against it, which would break graders that
    # use threads, and it does not bind root. The audit hook refuses child processes instead.


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[_write(fd, view):]


def compile_source(source):
    """(code, None) or (None, details). Compiled once per worker per source hash."""
    try:
        return compile(source, GRADER_FILE, "exec", dont_inherit=True), None
    except BaseException as exc:  # SyntaxError, ValueError (null bytes), MemoryError...
        return None, format_exception(exc, source)


def format_exception(exc, source):
    """The traceback without the runner's own frames, with the grader's lines shown."""
    lines = source.splitlines(True)
    # The filename is shared by all sources: point linecache at this one just before formatting.
    linecache.cache[GRADER_FILE] = (len(source), None, lines, GRADER_FILE)
    try:
        te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
        strip_runner_frames(te)
        return "".join(te.format()).rstrip("\n")
    except BaseException:
        return "%s: %s" % (type(exc).__name__, exc)


def strip_runner_frames(te):
    # Runner frames sit at the bottom (the call into the grader) and at the top (the audit
    # hook refusing an event); chained exceptions carry their own stacks.
    seen = set()
    stack = [te]
    while stack:
        cur = stack.pop()
        if cur is None or id(cur) in seen:
            continue
        seen.add(id(cur))
        kept = [f for f in cur.stack if os.path.abspath(f.filename) != RUNNER_FILE]
        cur.stack = traceback.StackSummary.from_list(kept)
        stack.extend([cur.__cause__, cur.__context__] + list(getattr(cur, "exceptions", None) or []))


def to_reward(value):
    """A finite float from a numeric result, or raise TypeError/ValueError."""
    # bool is an int subclass in Python, so True -> 1.0 and False -> 0.0, as float(True) does.
    if isinstance(value, (str, bytes, bytearray, complex)) or value is None:
        raise TypeError("grade() must return a number, got %s" % type(value).__name__)
    if not isinstance(value, numbers.Real) and not hasattr(type(value), "__float__"):
        raise TypeError("grade() must return a number, got %s" % type(value).__name__)
    reward = float(value)
    if math.isnan(reward):
        raise ValueError("grade() returned NaN")
    if math.isinf(reward):
        # Not representable in the JSON response; treated like NaN.
        raise ValueError("grade() returned %s" % reward)
    return reward


class Worker:
    def __init__(self, timeout_s, workdir):
        self.cache = {}  # source hash -> (code, compile error details, source)
        self.backstop = timeout_s + BACKSTOP_GRACE if timeout_s > 0 else 0
        self.workdir = workdir
        self.stdout = sys.stdout
        self.stderr = sys.stderr

    def run_call(self, entry, sample, item):
        code, compile_error, source = entry
        if compile_error is not None:
            return "err", compile_error
        # Fresh module globals per call: no state leaks from one call to the next.
        module = {"__name__": "grader", "__file__": GRADER_FILE, "__builtins__": builtins}
        if self.backstop:
            signal.setitimer(signal.ITIMER_REAL, self.backstop)
        try:
            exec(code, module)
            grade = module.get("grade")
            if not callable(grade):
                return "err", "grader source does not define grade(sample, item)"
            return "ok", to_reward(grade(sample, item))
        except MemoryError as exc:
            return "mem", format_exception(exc, source)
        except BaseException as exc:  # including SystemExit and KeyboardInterrupt
            return "err", format_exception(exc, source)
        finally:
            if self.backstop:
                signal.setitimer(signal.ITIMER_REAL, 0)
                # A grader may install its own SIGALRM handler (a common timeout idiom); put the
                # default back so the next call's backstop still terminates the process.
                if signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL:
                    signal.signal(signal.SIGALRM, signal.SIG_DFL)
            module.clear()  # break the function <-> globals cycle now rather than at the next GC
            self.restore()

    def restore(self):
        """Undo process-level changes a grader commonly makes (streams, working directory)."""
        sys.stdout, sys.stderr = self.stdout, self.stderr
        try:
            if os.getcwd() != self.workdir:
                os.chdir(self.workdir)
        except OSError:
            os.chdir(self.workdir)

    def handle(self, msg, proto_out):
        for h in msg.get("forget", ()):
            self.cache.pop(h, None)
        for h, source in (msg.get("src") or {}).items():
            code, error = compile_source(source)
            self.cache[h] = (code, error, source)
        for cid, h, sample, item in msg["calls"]:
            entry = self.cache.get(h)
            if entry is None:
                kind, value = "err", "graderkit internal error: unknown source %s" % h
            else:
                kind, value = self.run_call(entry, sample, item)
            write_all(proto_out, (_dumps([cid, kind, value]) + "\n").encode("utf-8"))


def main():
    timeout_s, memory_mb, fsize_mb = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    # Graders must not import the runner's neighbours by accident.
    here = os.path.dirname(RUNNER_FILE)
    sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != here]
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the backstop terminates the process
    proto_in, proto_out = take_protocol_fds()
    worker = Worker(timeout_s, os.getcwd())
    set_limits(memory_mb, fsize_mb)
    sys.addaudithook(audit_hook)  # before any grader code runs; cannot be removed from Python
    version = "%d.%d.%d" % sys.version_info[:3]
    write_all(proto_out, (_dumps(["ready", version]) + "\n").encode("utf-8"))
    while True:
        line = proto_in.readline()
        if not line:
            return  # the parent closed our stdin: exit quietly
        worker.handle(_loads(line), proto_out)


if __name__ == "__main__":
    main()
