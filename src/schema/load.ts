// Graders as library users and the CLI meet them: raw JSON (from a file, a request body, code)
// that must be validated and normalised before it is compiled. `checkedGrader` is the one place
// that turns raw JSON into a Grader or a GraderValidationError; `loadGrader` adds reading a file.

import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { JsonSyntaxError, parseJsonText } from "../util/json-text.js";
import type { Grader } from "./types.js";
import { validateGrader, type Problem, type ValidateOptions, type ValidationResult } from "./validate.js";

/** A grader that did not validate: every problem (JSON pointer + message), and the warnings. */
export class GraderValidationError extends Error {
  constructor(
    readonly problems: readonly Problem[],
    readonly warnings: readonly Problem[] = [],
    /** The file the grader came from, when it came from one. */
    readonly file?: string,
  ) {
    const where = file ? `${file}: ` : "";
    const list = problems.map((p) => `${p.pointer || "/"}: ${p.message}`).join("; ");
    super(`${where}invalid grader: ${list}`);
    this.name = "GraderValidationError";
  }
}

export interface CheckOptions extends ValidateOptions {
  /** Called with each warning of a valid grader (a missing name filled in, ...). */
  onWarning?: (warning: Problem) => void;
}

/** Validate and normalise raw grader JSON; throws GraderValidationError with every problem. */
export function checkedGrader(raw: unknown, options: CheckOptions = {}): Grader {
  return graderOrThrow(validateGrader(raw, options), options);
}

function graderOrThrow(result: ValidationResult & { file?: string }, options: CheckOptions): Grader {
  if (!result.ok || !result.grader) throw new GraderValidationError(result.problems, result.warnings, result.file);
  for (const w of result.warnings) options.onWarning?.(w);
  return result.grader;
}

/** The result of checking a grader file: never throws for grader problems, only for I/O. */
export interface GraderFileResult extends ValidationResult {
  file: string;
}

/** Parse a JSON document's text (a BOM is ignored); a syntax error is a problem with line and column. */
export function parseJsonDocument(text: string): { json: unknown } | { problem: Problem } {
  try {
    return { json: parseJsonText(text) };
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    return { problem: { pointer: "", message: `not valid JSON: ${err.message}`, code: "invalid_json", line: err.line, column: err.column } };
  }
}

/** Check grader JSON text (a BOM is ignored; a syntax error is a problem with line and column). */
export function checkGraderText(text: string, file: string, options: ValidateOptions = {}): GraderFileResult {
  const parsed = parseJsonDocument(text);
  if ("problem" in parsed) return { file, ok: false, grader: null, problems: [parsed.problem], warnings: [] };
  return { file, ...validateGrader(parsed.json, options) };
}

/** Read and check a grader file. I/O errors (ENOENT, EACCES...) are thrown as they are. */
export function checkGraderFile(file: string, options: ValidateOptions = {}): GraderFileResult {
  return checkGraderText(readFileSync(file, "utf8"), file, options);
}

/**
 * Read a grader file, validate and normalise it. Throws GraderValidationError (with the file
 * named, and line:column for a JSON syntax error) or the I/O error.
 */
export async function loadGrader(file: string, options: CheckOptions = {}): Promise<Grader> {
  return graderOrThrow(checkGraderText(await readFile(file, "utf8"), file, options), options);
}
