// SIGINT / SIGTERM for a command-line run: the first signal aborts the run (runFile stops
// dispatching, writes every row that is finished and in order, closes OUT and throws
// RunInterruptedError), so --resume continues exactly where it stopped; a second one exits at
// once. The exit status is the shell's for a death by that signal: 128 + its number (130 for
// SIGINT, 143 for SIGTERM).

import { constants } from "node:os";

export interface Interrupt {
  /** Aborted on the first signal; its reason is the signal's name. */
  readonly signal: AbortSignal;
  /** 128 + the signal number once a signal came, else null. */
  exitCode(): number | null;
  /** Remove the handlers. */
  dispose(): void;
}

export function interruptOnSignals(signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"]): Interrupt {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const code = (s: NodeJS.Signals) => 128 + (constants.signals[s] ?? 0);
  const handler = (s: NodeJS.Signals) => {
    if (received) process.exit(code(received)); // a second signal: do not wait any longer
    received = s;
    controller.abort(s);
  };
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    exitCode: () => (received ? code(received) : null),
    dispose() {
      for (const s of signals) process.off(s, handler);
    },
  };
}
