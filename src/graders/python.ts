// The python grader (spec §5): `grade(sample, item)` from the grader's source, run by the
// python executor. Outcomes map onto the response's python_grader_* error fields.

import { GradingFailure } from "../core/response.js";
import type { PythonGrader } from "../schema/types.js";
import type { CompiledGrader, GradeContext, GradeOutput, GraderCompiler } from "./types.js";

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A traceback's last line ("ExcType: message") for RunError.message; details keep the rest. */
function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return clip(lines[lines.length - 1] ?? "", 300);
}

export const compilePython: GraderCompiler<PythonGrader> = (grader): CompiledGrader => {
  const source = grader.source;
  return {
    name: grader.name,
    type: "python",
    async: true,
    async grade(ctx: GradeContext): Promise<GradeOutput> {
      const python = ctx.executors.python;
      if (!python) {
        throw new GradingFailure(
          "python_grader_server_error",
          "cannot run a python grader: no python executor configured (executors.python)",
          undefined,
          { python_grader_server_error_type: "unavailable" },
        );
      }
      const outcome = await python.grade(source, ctx.sample, ctx.item);
      switch (outcome.kind) {
        case "ok":
          // Values outside [0, 1] are returned as they are (spec §5, decided).
          return { reward: outcome.reward };
        case "runtime_error":
          throw new GradingFailure(
            "python_grader_runtime_error",
            `python grader raised: ${lastLine(outcome.details)}`,
            undefined,
            { python_grader_runtime_error_details: outcome.details },
          );
        case "server_error":
          throw new GradingFailure(
            "python_grader_server_error",
            // The response has no server-error details field: the message carries them.
            `python sandbox failed (${outcome.type}): ${clip(outcome.details.trim(), 2000)}`,
            undefined,
            { python_grader_server_error_type: outcome.type },
          );
      }
    },
  };
};
