// What report, diff and calibrate share on the command line: run files ('-' is stdin), the pass
// threshold (--threshold, else the --grader's pass_threshold), and turning a bad input into the
// usage/I-O exit (2) with FILE:LINE and the reason rather than a stack trace.

import { existsSync, statSync, writeFileSync } from "node:fs";
import { FileLineError } from "../report/file-error.js";
import { MAX_SEED } from "../util/random.js";
import type { LineSource } from "../util/read-lines.js";
import { UsageError, type Io } from "./command.js";
import { requireGrader } from "./load.js";
import type { OptionSpec } from "./options.js";

export const STDIN = "-";

export const THRESHOLD_OPTIONS = [
  { name: "threshold", type: "number", arg: "T", description: "Pass threshold: a row passes when its reward >= T (overrides --grader's pass_threshold)" },
  { name: "grader", type: "string", arg: "GRADER.json", description: "The grader that made the run; its pass_threshold is the default threshold" },
] as const satisfies readonly OptionSpec[];

/** --seed, described by what it seeds. */
export function seedOption<const D extends string>(description: D) {
  return { name: "seed", type: "integer", arg: "N", min: 0, max: MAX_SEED, default: 0, description } as const satisfies OptionSpec;
}

/** A run file or '-' for stdin, checked to exist so a typo is a clear error before any work. */
export function lineSource(path: string, io: Io, what: string): LineSource {
  if (path === STDIN) return io.stdin;
  if (!existsSync(path)) throw new UsageError(`${path}: cannot open ${what} (ENOENT)`);
  if (statSync(path).isDirectory()) throw new UsageError(`${path}: cannot read ${what}: it is a directory`);
  // The path, not an open stream: the file is opened when it is read, so an input never read
  // (the command stopped earlier) leaves no stream to fail later.
  return path;
}

/** The display name of a source: the path, or "stdin". */
export const sourceName = (path: string) => (path === STDIN ? "stdin" : path);

/** --threshold, else the grader's pass_threshold, else `fallback`. Null from requireGrader: invalid grader. */
export function passThreshold(values: { threshold?: number; grader?: string }, io: Io, fallback: number | null): { threshold: number | null } | null {
  if (values.threshold !== undefined) return { threshold: values.threshold };
  if (values.grader === undefined) return { threshold: fallback };
  const grader = requireGrader(values.grader, "local", io);
  if (!grader) return null;
  const t = (grader as { pass_threshold?: unknown }).pass_threshold;
  return { threshold: typeof t === "number" ? t : fallback };
}

/** Run `work`, turning a bad input file into a UsageError (exit 2). */
export async function readingInputs<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof FileLineError || err instanceof RangeError) throw new UsageError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code === "string" && typeof e.syscall === "string") throw new UsageError(`${e.path ?? "input"}: cannot ${e.syscall === "open" ? "open" : "read"} (${e.code})`);
    throw err;
  }
}

/** Write a page: '-' is stdout. */
export function writeOutput(path: string, text: string, io: Io): void {
  if (path === STDIN) {
    io.stdout(text);
    return;
  }
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new UsageError(`${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** "1 row", "2 rows" */
export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** "1.2 MB" */
export function byteSize(text: string): string {
  const bytes = Buffer.byteLength(text, "utf8");
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
