// Compile a grader JSON into a CompiledGrader, synchronously, knowing every grader type and
// metric (the library entry; `graderkit run` uses compile-on-demand.ts, which imports only what
// a grader uses). `compileGrader` is the public entry: it validates and normalises raw JSON
// first (GraderValidationError otherwise). `compileValidGrader` is for graders already checked
// (the server's cache, suites, evals); one that still cannot be compiled becomes a grader that
// fails every sample with the matching flag, never a crash.

import { checkMetricOptionsByMetric } from "../metrics/options.js";
import { textSimilarity } from "../metrics/text-similarity.js";
import { checkedGrader, type CheckOptions } from "../schema/load.js";
import type { Grader } from "../schema/types.js";
import { compileWith, type GraderCompilers } from "./compile-with.js";
import { compileLabelModel } from "./label-model.js";
import { compileMulti } from "./multi.js";
import { compilePython } from "./python.js";
import { compileScoreModel } from "./score-model.js";
import { compileStringCheck } from "./string-check.js";
import { textSimilarityCompiler, type LocalMetrics } from "./text-similarity.js";
import type { CompiledGrader, CompileOptions } from "./types.js";

/** Every local metric through metrics/text-similarity's one dispatch. */
const EVERY_METRIC: LocalMetrics = {
  checkOptions: checkMetricOptionsByMetric,
  scorer: (metric) => (input, reference, options) => textSimilarity(metric, input, reference, options),
};

const EVERY_TYPE: GraderCompilers = {
  string_check: compileStringCheck,
  text_similarity: textSimilarityCompiler(EVERY_METRIC),
  python: compilePython,
  score_model: compileScoreModel,
  label_model: compileLabelModel,
  multi: compileMulti,
};

/** Compile a grader that already passed validation (normalised: names filled, multi as a map). */
export function compileValidGrader(grader: Grader, options: CompileOptions = {}): CompiledGrader {
  return compileWith(EVERY_TYPE, grader, options);
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
