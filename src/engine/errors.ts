// The two ways a run ends without a summary, apart from a bug: it was refused or failed on I/O
// (RunFileError: the CLI exits 2 with the message), or it was interrupted (RunInterruptedError:
// the rows finished so far are written and closed, so --resume continues from there).

import type { RunSummary } from "./summary.js";

export type RunFileErrorCode =
  /** OUT is the input file (or stdout is). */
  | "same_file"
  /** Another run holds OUT's lock. */
  | "locked"
  /** --resume against output of a different grader, input or format. */
  | "resume_mismatch"
  /** --resume on something that cannot be resumed (not graderkit output, a corrupt row, stdin). */
  | "not_resumable"
  /** Reading the input or writing the output failed. */
  | "io";

/** A run that was refused, or whose input or output failed; the message names the file. */
export class RunFileError extends Error {
  constructor(
    readonly code: RunFileErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RunFileError";
  }
}

/** `FILE: cannot write (ENOSPC)`: an I/O failure, named by file, operation and errno code. */
export function ioError(file: string, operation: "open" | "read" | "write" | "lock", err: unknown): RunFileError {
  if (err instanceof RunFileError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const reason = typeof code === "string" ? code : err instanceof Error ? err.message : String(err);
  return new RunFileError("io", `${file}: cannot ${operation} (${reason})`, { cause: err });
}

/** The run stopped on its AbortSignal; `summary` covers the rows written before it stopped. */
export class RunInterruptedError extends Error {
  constructor(
    /** The abort reason: a signal name such as "SIGINT" when interruptOnSignals() aborted it. */
    readonly reason: unknown,
    readonly summary: RunSummary,
  ) {
    super(`the run was interrupted${typeof reason === "string" ? ` by ${reason}` : ""}`);
    this.name = "RunInterruptedError";
  }
}
