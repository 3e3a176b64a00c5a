"""graderkit python worker: runs `grade(sample, item)` from grader sources, many calls per process.

Started by executor.ts as `python3 runner.py CONFIG_JSON` (directly, or inside bubblewrap). One
worker runs one grader source for its whole life. Protocol (src/executors/python/protocol.ts): the
parent sends the source as a JSON string on the first line, then one line per call,
`ID TOKEN [sample, item]`. The worker announces `["ready", version]`, then answers each call, in
order, with `[id, token, "ok", reward] | [id, token, "err", details] | [id, token, "mem", details]`,
each answer written as one line preceded by a newline.
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
import subprocess
import threading
import traceback

import _posixsubprocess

RUNNER_FILE = os.path.abspath(__file__)
# Bound once: a grader that monkeypatches json or os must not break the protocol.
_loads, _dumps, _write, _kill, _getpid = json.loads, json.dumps, os.write, os.kill, os.getpid
# The C scanner and string encoder directly: json.loads/dumps cost microseconds of fixed overhead
# per call, more than a trivial grade() itself.
_scan = json.JSONDecoder().scan_once
_encode_str = json.encoder.encode_basestring_ascii
# The longest error text sent back, in characters (protocol.ts MAX_DETAILS_CHARS).
MAX_DETAILS = 16384
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


# Modules that are always loaded before grader code runs, so the `import` audit event only fires
# for them when a grader re-imports one (after deleting it from sys.modules, or importlib.reload)
# to get back a function this runner replaced.
REIMPORT_REFUSED = frozenset({"_posixsubprocess", "posix", "_signal"})
# ctypes reaches libc (kill, prctl, fork...) by looking up symbols; the Python C API stays usable.
CTYPES_SYMBOL_EVENTS = frozenset({"ctypes.dlsym", "ctypes.dlsym/handle"})


def refuse(what):
    raise PermissionError("graderkit sandbox: %s is not allowed in a python grader" % what)


def other_process_path(path):
    """True for a path into /proc/<pid> of another process (environ, mem, fd...)."""
    if isinstance(path, int):
        return False
    try:
        real = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError, OSError):
        return False
    if not real.startswith("/proc/"):
        return False
    first = real[6:].split("/", 1)[0]
    return first.isdigit() and int(first) != _getpid()


def audit_hook(event, args):
    if event in BLOCKED_EVENTS:
        refuse(event)
    # Signalling another process (e.g. the parent) is refused; signalling itself is harmless.
    if event == "os.kill" and args and args[0] not in (0, _getpid()):
        refuse("os.kill of another process")
    if event == "import" and args and args[0] in REIMPORT_REFUSED:
        refuse("re-importing %s" % args[0])
    if event in CTYPES_SYMBOL_EVENTS and len(args) > 1:
        name = args[1]
        if isinstance(name, str) and not name.startswith(("Py", "_Py")):
            refuse("looking up the native function %s with ctypes" % name)
    if event in ("open", "os.listdir", "os.scandir", "os.chdir") and args and other_process_path(args[0]):
        refuse("reading another process's /proc entry")


def refused_function(what):
    def refused(*args, **kwargs):
        refuse(what)

    refused.__name__ = what.rsplit(".", 1)[-1]
    return refused


def own_pid_only(pidfd_open, what):
    def checked(pid, flags=0):
        if pid != _getpid():
            refuse(what + " of another process")
        return pidfd_open(pid, flags)

    checked.__name__ = what.rsplit(".", 1)[-1]
    return checked


def defang_process_functions():
    """Functions with no audit event of their own that start processes or signal others.

    subprocess stays importable (many libraries import it) but cannot start anything: its
    Popen is refused by the audit hook, and the fork_exec it and multiprocessing call is
    replaced, in the module and in subprocess' own binding of it. posix.pidfd_open of another
    process and signal.pidfd_send_signal (which takes such a pidfd) are refused the same way.
    The originals are dropped, and re-importing these modules is refused by the audit hook.
    """
    refused_fork_exec = refused_function("_posixsubprocess.fork_exec")
    _posixsubprocess.fork_exec = refused_fork_exec
    if hasattr(subprocess, "_fork_exec"):
        subprocess._fork_exec = refused_fork_exec
    import _signal
    import posix

    for module in (os, posix):
        if hasattr(module, "pidfd_open"):
            module.pidfd_open = own_pid_only(module.pidfd_open, "os.pidfd_open")
    for module in (signal, _signal):
        if hasattr(module, "pidfd_send_signal"):
            module.pidfd_send_signal = refused_function("signal.pidfd_send_signal")


def watch_lifeline(fd):
    """End this worker as soon as graderkit is gone, however it died (even kill -9).

    The parent never writes on fd; read() returns EOF only when its end is closed. A thread
    blocked in read() holds no lock, costs nothing, and a grader cannot cancel it the way it
    can cancel the SIGALRM backstop (signal.setitimer has no audit event).
    """

    def watch():
        try:
            while os.read(fd, 64):
                pass
        except OSError:
            pass
        _kill(_getpid(), signal.SIGKILL)

    # A small stack: thread stacks count against RLIMIT_AS.
    threading.stack_size(256 * 1024)
    try:
        threading.Thread(target=watch, name="graderkit-lifeline", daemon=True).start()
    finally:
        threading.stack_size(0)


def cap_details(text):
    """Keep the start and the end of a long error, with a marker saying how much was cut."""
    if len(text) <= MAX_DETAILS:
        return text
    keep = MAX_DETAILS - 40  # room for the marker: the result is at most MAX_DETAILS characters
    head, tail = text[: (keep + 1) // 2], text[len(text) - keep // 2 :]
    cut = len(text[len(head) : len(text) - len(tail)].encode("utf-8", "surrogatepass"))
    return "%s…[truncated %d bytes]…%s" % (head, cut, tail)


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
    written = _write(fd, data)
    if written < len(data):
        view = memoryview(data)[written:]
        while view:
            view = view[_write(fd, view) :]


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
    def __init__(self, timeout_s, workdir, source):
        self.source = source
        self.code, self.compile_error = compile_source(source)
        self.backstop = timeout_s + BACKSTOP_GRACE if timeout_s > 0 else 0
        self.workdir = workdir
        self.stdout = sys.stdout
        self.stderr = sys.stderr

    def run_call(self, sample, item):
        code, source = self.code, self.source
        if self.compile_error is not None:
            return "err", self.compile_error
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

    def handle(self, line, proto_out):
        """One call line: `ID TOKEN [sample, item]` (no newline)."""
        cid, token, payload = line.split(b" ", 2)
        try:
            (sample, item), _ = _scan(payload.decode("utf-8", "surrogatepass"), 0)
        except RecursionError as exc:
            kind, value = "err", (
                "graderkit: this row's sample or item is nested too deeply for Python's json module "
                "to decode (%s); grade() was not called" % exc
            )
        except MemoryError as exc:
            kind, value = "mem", "decoding this row's sample and item: %s" % type(exc).__name__
        except BaseException as exc:
            kind, value = "err", "graderkit: cannot decode this row's sample and item: %s: %s" % (type(exc).__name__, exc)
        else:
            kind, value = self.run_call(sample, item)
        # Formatted by hand (a finite float's repr is valid JSON): this is the per-call hot path.
        if kind == "ok":
            answer = '\n[%d,"%s","ok",%r]\n' % (int(cid), token.decode("ascii"), value)
        else:
            answer = '\n[%d,"%s","%s",%s]\n' % (int(cid), token.decode("ascii"), kind, _encode_str(cap_details(value)))
        write_all(proto_out, answer.encode("ascii"))


def main():
    config = _loads(sys.argv[1])
    timeout_s, memory_mb, fsize_mb = float(config["timeout"]), int(config["memory_mb"]), int(config["fsize_mb"])
    # Graders must not import the runner's neighbours by accident.
    here = os.path.dirname(RUNNER_FILE)
    sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != here]
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the backstop terminates the process
    if config.get("lifeline_fd") is not None:
        watch_lifeline(int(config["lifeline_fd"]))
    proto_in, proto_out = take_protocol_fds()
    source = _loads(proto_in.readline() or b'""')
    defang_process_functions()
    set_limits(memory_mb, fsize_mb)
    worker = Worker(timeout_s, os.getcwd(), source)  # compiles the source within the limits
    sys.addaudithook(audit_hook)  # before any grader code runs; cannot be removed from Python
    version = "%d.%d.%d" % sys.version_info[:3]
    write_all(proto_out, ("\n" + _dumps(["ready", version]) + "\n").encode("utf-8"))
    while True:
        line = proto_in.readline()
        if not line:
            return  # the parent closed our stdin: exit quietly
        worker.handle(line[:-1] if line.endswith(b"\n") else line, proto_out)


if __name__ == "__main__":
    main()
