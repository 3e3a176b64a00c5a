// Reading grader files for the CLI: I/O problems are usage errors (exit 2); JSON and grader
// problems are reported as validation problems with their JSON pointer.

import { readFileSync } from "node:fs";
import type { Grader, Target } from "../schema/types.js";
import { validateGrader, type Problem, type ValidationResult } from "../schema/validate.js";
import { UsageError } from "./args.js";

export function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read (${code ?? (err as Error).message})`);
  }
}

/** Parse and validate a grader file; JSON syntax errors come back as a problem at "". */
export function loadGraderFile(file: string, target: Target): ValidationResult {
  const text = readText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const problem: Problem = { pointer: "", message: `not valid JSON: ${(err as Error).message}`, code: "invalid_json" };
    return { ok: false, grader: null, problems: [problem], warnings: [] };
  }
  return validateGrader(json, { target });
}

export function formatProblem(file: string, p: Problem): string {
  return `${file}: ${p.pointer || "/"}: ${p.message}`;
}

/** Load a grader that must be valid to proceed (grade, run, export): invalid → UsageError-like exit. */
export function requireGrader(file: string, target: Target, io: { stderr: (t: string) => void }): Grader | null {
  const result = loadGraderFile(file, target);
  for (const w of result.warnings) io.stderr(`warning: ${formatProblem(file, w)}\n`);
  if (!result.ok || !result.grader) {
    for (const p of result.problems) io.stderr(`${formatProblem(file, p)}\n`);
    return null;
  }
  return result.grader;
}
