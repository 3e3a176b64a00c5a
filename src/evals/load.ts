// Eval and run documents as text: JSON (a BOM is ignored, a syntax error is a problem with line
// and column) checked into an EvalDefinition / RunPlan; and the errors a local run throws before
// it starts.

import type { Problem } from "../schema/ajv.js";
import { parseJsonDocument } from "../schema/load.js";
import { checkEval, type EvalCheckResult } from "./validate-eval.js";
import { checkRun, type RunCheckResult } from "./validate-run.js";

/** An eval or run document that did not validate: every problem (JSON pointer + message). */
export class EvalDocumentError extends Error {
  constructor(
    readonly document: "eval" | "run",
    readonly problems: readonly Problem[],
    readonly warnings: readonly Problem[] = [],
    readonly file?: string,
  ) {
    const list = problems.map((p) => `${p.pointer || "/"}: ${p.message}`).join("; ");
    super(`${file ? `${file}: ` : ""}invalid ${document}: ${list}`);
    this.name = "EvalDocumentError";
  }
}

/** A run that cannot start: no data, a run's file_id without a local file, no model endpoint, ... */
export class EvalSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EvalSetupError";
  }
}

/** A checked eval text: the parsed JSON (undefined when it is not JSON) and where it came from. */
export interface EvalTextResult extends EvalCheckResult {
  file: string;
  json: unknown;
}

export interface RunTextResult extends RunCheckResult {
  file: string;
  json: unknown;
}

/** Check eval JSON text. */
export function checkEvalText(text: string, file: string): EvalTextResult {
  const parsed = parseJsonDocument(text);
  if ("problem" in parsed) return { file, json: undefined, ok: false, eval: null, problems: [parsed.problem], warnings: [] };
  return { file, json: parsed.json, ...checkEval(parsed.json) };
}

/** Check run JSON text. */
export function checkRunText(text: string, file: string): RunTextResult {
  const parsed = parseJsonDocument(text);
  if ("problem" in parsed) return { file, json: undefined, ok: false, run: null, problems: [parsed.problem], warnings: [] };
  return { file, json: parsed.json, ...checkRun(parsed.json) };
}
