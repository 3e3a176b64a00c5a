// Compile a grader JSON into a CompiledGrader, dispatching on `type`. `compileGrader` is the
// public entry: it validates and normalises raw JSON first (GraderValidationError otherwise).
// `compileValidGrader` is for graders already checked (the engine's workers, the server's
// cache); one that still cannot be compiled becomes a grader that fails every sample with the
// matching flag, never a crash.

import { FormulaError } from "../formula/index.js";
import { GradingFailure, type ErrorFlag } from "../core/response.js";
import { checkMetricOptionsByMetric } from "../metrics/options.js";
import { checkedGrader, type CheckOptions } from "../schema/load.js";
import type { Grader, LeafGrader } from "../schema/types.js";
import { TemplateSyntaxError } from "../templates/template.js";
import { compileLabelModel } from "./label-model.js";
import { compileMulti } from "./multi.js";
import { compilePython } from "./python.js";
import { compileScoreModel } from "./score-model.js";
import { compileStringCheck } from "./string-check.js";
import { compileTextSimilarity } from "./text-similarity.js";
import type { CompiledGrader, CompileOptions, GraderCompiler } from "./types.js";

const LEAF_COMPILERS: Record<LeafGrader["type"], GraderCompiler<never>> = {
  string_check: compileStringCheck,
  text_similarity: compileTextSimilarity,
  python: compilePython,
  score_model: compileScoreModel,
  label_model: compileLabelModel,
};

function compileLeafOrMulti(grader: Grader, options: CompileOptions): CompiledGrader {
  if (grader.type === "multi") return compileMulti(grader, (child) => compileValidGrader(child, options));
  const compiler = LEAF_COMPILERS[grader.type] as GraderCompiler<Grader> | undefined;
  if (!compiler) return failingGrader(grader, "other_error", `unknown grader type '${grader.type}'`);
  return compiler(grader, options);
}

function failingGrader(grader: Grader, flag: ErrorFlag, message: string): CompiledGrader {
  return {
    name: String(grader.name ?? grader.type),
    type: grader.type,
    async: false,
    grade() {
      throw new GradingFailure(flag, message);
    },
  };
}

/** Compile a grader that already passed validation (normalised: names filled, multi as a map). */
export function compileValidGrader(grader: Grader, options: CompileOptions = {}): CompiledGrader {
  try {
    return compileLeafOrMulti(grader, options);
  } catch (err) {
    if (err instanceof FormulaError) return failingGrader(grader, "formula_parse_error", err.message);
    if (err instanceof TemplateSyntaxError) return failingGrader(grader, "invalid_variable_error", err.message);
    return failingGrader(grader, "other_error", err instanceof Error ? err.message : String(err));
  }
}

/**
 * Validate, normalise and compile raw grader JSON (compile once, grade many samples). Throws
 * GraderValidationError carrying every problem (JSON pointer + message), and a TypeError or
 * RangeError naming a metric option that is unknown or out of its domain.
 */
export function compileGrader(raw: unknown, options: CompileOptions & CheckOptions = {}): CompiledGrader {
  checkMetricOptionsByMetric(options.metricOptions);
  return compileValidGrader(checkedGrader(raw, options), options);
}
