// The CI flags of `graderkit run`: gates on the summary (exit 1 when one fails) and the
// Markdown summary for $GITHUB_STEP_SUMMARY. The verdicts are pure functions in src/testing;
// this is the flag table and the glue.

import { appendFileSync } from "node:fs";
import type { RunSummary } from "../engine/summary.js";
import type { GateResult, RunGates } from "../testing/gates.js";
import { UsageError, type Io } from "./command.js";
import type { OptionSpec } from "./options.js";

const GROUP = "CI gates (exit 1 when one fails)";

export const GATE_OPTIONS = [
  { name: "fail-under", type: "number", arg: "MEAN", group: GROUP, description: "Fail when the mean reward is below MEAN" },
  { name: "min-pass-rate", type: "number", arg: "R", min: 0, max: 1, group: GROUP, description: "Fail when fewer than R of the rows pass (reward >= the pass threshold)" },
  { name: "max-error-rate", type: "number", arg: "R", min: 0, max: 1, group: GROUP, description: "Fail when more than R of the rows raise any error flag" },
  { name: "pass-threshold", type: "number", arg: "T", group: GROUP, shownDefault: "the grader's pass_threshold", description: "A row passes when its reward is >= T (the summary's pass rate, --min-pass-rate)" },
  { name: "summary-md", type: "string", arg: "FILE", group: GROUP, description: "Append a Markdown summary to FILE, e.g. \"$GITHUB_STEP_SUMMARY\"" },
] as const satisfies readonly OptionSpec[];

interface GateFlagValues {
  "fail-under"?: number;
  "min-pass-rate"?: number;
  "max-error-rate"?: number;
  "pass-threshold"?: number;
  "summary-md"?: string;
}

/** The gates the flags set; a pass-rate gate without any pass threshold is a usage error. */
export function gatesFromFlags(values: GateFlagValues, grader: { pass_threshold?: unknown; type: string }): RunGates {
  const gates: RunGates = {};
  if (values["fail-under"] !== undefined) gates.failUnder = values["fail-under"];
  if (values["max-error-rate"] !== undefined) gates.maxErrorRate = values["max-error-rate"];
  if (values["min-pass-rate"] !== undefined) {
    if (values["pass-threshold"] === undefined && typeof grader.pass_threshold !== "number") {
      throw new UsageError(`--min-pass-rate needs a pass threshold: the ${grader.type} grader has no pass_threshold; give --pass-threshold T`);
    }
    gates.minPassRate = values["min-pass-rate"];
  }
  return gates;
}

/**
 * Check the gates, print them after the summary (only the failed ones with --quiet: a CI log
 * must say why the step failed), append the Markdown summary; the gates' results. A run with
 * neither gates nor --summary-md does not import the gate and Markdown code at all.
 */
export async function reportGates(
  summary: RunSummary,
  gates: RunGates,
  values: GateFlagValues & { quiet?: boolean },
  files: { grader: string; input: string },
  io: Io,
): Promise<GateResult[]> {
  const md = values["summary-md"];
  if (Object.keys(gates).length === 0 && !md) return [];
  const { evaluateGates, formatGatesText } = await import("../testing/gates.js");
  const results = evaluateGates(summary, gates);
  io.stderr(formatGatesText(results, values.quiet));
  if (md) {
    const { runSummaryMarkdown } = await import("../testing/summary-markdown.js");
    try {
      // Appended, as GitHub's step summary file expects: several runs in one step all show.
      appendFileSync(md, runSummaryMarkdown(summary, { ...files, gates: results }) + "\n");
    } catch (err) {
      throw new UsageError(`${md}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  return results;
}
