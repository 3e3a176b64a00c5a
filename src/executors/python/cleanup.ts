// Process-wide cleanup of python workers when graderkit ends without close(): on exit, and on
// SIGINT/SIGTERM when nothing else handles the signal (killed by a signal, Node runs no "exit"
// handlers, so without this the fallback sandbox's graderkit-py-* directories would stay behind).
//
// The signal handlers are installed only while workers live, and a signal is re-raised after the
// cleanup so the process still ends the way it would have. When another listener owns the signal
// (serve's graceful stop, the engine's shutdown), it decides: it closes the executor, or exits and
// the exit handler cleans up.

export interface Disposable {
  /** Kill the process and remove its files, synchronously (the process is about to end). */
  disposeNow(): void;
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const live = new Set<Disposable>();
let installed = false;

function disposeAll(): void {
  for (const d of [...live]) {
    try {
      d.disposeNow();
    } catch {
      // best effort: the process is ending
    }
  }
  live.clear();
}

function onExit(): void {
  disposeAll();
}

function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return; // someone else handles it
  disposeAll();
  uninstall();
  // With our handler gone the default action applies again: end as the signal would have.
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener("exit", onExit);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

/** Track a live worker until `release`; handlers exist only while something is tracked. */
export function track(d: Disposable): void {
  live.add(d);
  install();
}

export function release(d: Disposable): void {
  live.delete(d);
  if (live.size === 0) uninstall();
}
