// Grader files for the CLI: I/O problems are usage errors (exit 2); grader problems are printed
// one per line, FILE: /json/pointer: message.

import { readFileSync } from "node:fs";
import type { Problem } from "../schema/ajv.js";
import { checkGraderFile } from "../schema/load.js";
import type { Grader, Target } from "../schema/types.js";
import { UsageError } from "./command.js";

/** A file that could not be read, as the usage error (exit 2) every command reports. */
export function unreadable(file: string, err: unknown): UsageError {
  return new UsageError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
}

export function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw unreadable(file, err);
  }
}

export function formatProblem(file: string, p: Problem): string {
  const where = p.line !== undefined ? `${file}:${p.line}:${p.column}` : file;
  return `${where}: ${p.pointer || "/"}: ${p.message}`;
}

/** A grader a command needs in order to work (grade, run, serve...): printed problems and null when invalid. */
export function requireGrader(file: string, target: Target, io: { stderr: (t: string) => void }): Grader | null {
  let result;
  try {
    result = checkGraderFile(file, { target });
  } catch (err) {
    throw unreadable(file, err);
  }
  for (const w of result.warnings) io.stderr(`warning: ${formatProblem(file, w)}\n`);
  if (!result.ok || !result.grader) {
    for (const p of result.problems) io.stderr(`${formatProblem(file, p)}\n`);
    return null;
  }
  return result.grader;
}
