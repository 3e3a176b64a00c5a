// The first error message of each flag in a run, in input order: what the summary shows next
// to each flag's count. Rows graded in a block, in a pool worker or read back by --resume all
// report them the same way.

import { ERROR_FLAGS, type ErrorFlag, type GraderErrors, type RunError } from "../core/response.js";

/** Where a flag was first raised (input order) and what that row said. */
export interface FirstError {
  line: number;
  message: string;
}

/**
 * Per flag, its first occurrence: a count alone (200,000 rows of invalid_variable_error) never
 * says which variable is missing.
 */
export type FirstErrors = Partial<Record<ErrorFlag, FirstError>>;

/** The part of a response (or of an output row read back by --resume) that says what went wrong. */
export interface ErrorReport {
  metadata?: { errors?: Partial<GraderErrors> };
  error?: Partial<RunError>;
}

// A flag raised without error.message naming it (a second failing child of a multi) can still
// be explained by its companion field.
const COMPANIONS: Partial<Record<ErrorFlag, keyof GraderErrors>> = {
  python_grader_server_error: "python_grader_server_error_type",
  python_grader_runtime_error: "python_grader_runtime_error_details",
  model_grader_server_error: "model_grader_server_error_details",
};

function flagMessage(report: ErrorReport, flag: ErrorFlag): string | undefined {
  if (report.error?.flag === flag && typeof report.error.message === "string") return report.error.message;
  const companion = COMPANIONS[flag];
  const details = companion ? report.metadata?.errors?.[companion] : undefined;
  if (typeof details !== "string" || details.trim() === "") return undefined;
  // A traceback's last line is the exception ("ZeroDivisionError: division by zero").
  return details.trim().split("\n").pop()!.trim();
}

/** Note the first message of each flag this row raised that has none yet. */
export function noteFirstErrors(into: FirstErrors, line: number, report: ErrorReport): void {
  const errors = report.metadata?.errors;
  if (!errors) return;
  for (const flag of ERROR_FLAGS) {
    if (errors[flag] !== true || into[flag]) continue;
    const message = flagMessage(report, flag);
    if (message !== undefined) into[flag] = { line, message };
  }
}

/** Add `later`'s first errors to `into` where `into` has none (`later` comes after it in input order). */
export function mergeFirstErrors(into: FirstErrors, later: FirstErrors | undefined): void {
  for (const [flag, first] of Object.entries(later ?? {}) as Array<[ErrorFlag, FirstError]>) into[flag] ??= first;
}
