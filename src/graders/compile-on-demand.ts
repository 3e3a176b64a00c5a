// `graderkit run`'s start-up (issue 11): compile a validated grader after importing only the
// grader-type and metric modules it uses (multi's children included), instead of every type,
// metric and tokenizer as compile.ts does. ES module loading is most of a short run's start-up,
// so a string_check run loads no metric, and a fuzzy_match run no tokenizer. The dispatch and
// each type's compiler are the modules compile.ts uses (compile-with.ts), so a grader compiles
// to the same thing either way.

import type { LocalMetric } from "../metrics/names.js";
import type { MetricOptionsByMetric } from "../metrics/options.js";
import type { Grader, LeafGrader } from "../schema/types.js";
import { compileWith, type GraderCompilers } from "./compile-with.js";
import type { LocalMetrics, MetricScorer } from "./text-similarity.js";
import type { CompiledGrader, CompileOptions } from "./types.js";

type CheckOptions = (byMetric: MetricOptionsByMetric | undefined) => void;

/**
 * The module that scores each metric the cheapest way to load: fuzzy_match has a module of its
 * own with no tokenizer; the others go through metrics/text-similarity's dispatch (and its
 * per-row token memo), which imports every metric.
 */
async function loadScorer<M extends LocalMetric>(metric: M): Promise<MetricScorer<M>> {
  if (metric === "fuzzy_match") return (await import("../metrics/fuzzy-match.js")).fuzzyMatch as MetricScorer<M>;
  const { textSimilarity } = await import("../metrics/text-similarity.js");
  return (input, reference, options) => textSimilarity(metric, input, reference, options);
}

async function loadMetrics(metrics: readonly LocalMetric[], checkOptions: CheckOptions): Promise<LocalMetrics> {
  const scorers = new Map<LocalMetric, MetricScorer>(await Promise.all(metrics.map(async (m) => [m, await loadScorer(m)] as const)));
  return {
    checkOptions,
    scorer: (metric) => {
      const scorer = scorers.get(metric);
      if (!scorer) throw new Error(`metric '${metric}' was not loaded`);
      return scorer as MetricScorer<typeof metric>;
    },
  };
}

/** Each type's compiler module; text_similarity's also loads the metrics the graders use. */
const TYPE_MODULES: { readonly [T in LeafGrader["type"]]: (metrics: () => Promise<LocalMetrics>) => Promise<GraderCompilers[T]> } = {
  string_check: async () => (await import("./string-check.js")).compileStringCheck,
  python: async () => (await import("./python.js")).compilePython,
  score_model: async () => (await import("./score-model.js")).compileScoreModel,
  label_model: async () => (await import("./label-model.js")).compileLabelModel,
  text_similarity: async (metrics) => {
    const [{ textSimilarityCompiler }, local] = await Promise.all([import("./text-similarity.js"), metrics()]);
    return textSimilarityCompiler(local);
  },
};

/** Import the compilers of exactly the grader types (and metrics) `grader` uses. */
async function loadCompilers(grader: Grader, checkOptions: CheckOptions): Promise<GraderCompilers> {
  const leaves: LeafGrader[] = grader.type === "multi" ? Object.values(grader.graders) : [grader];
  const types = [...new Set(leaves.map((g) => g.type))];
  const metrics = new Set<LocalMetric>();
  for (const g of leaves) if (g.type === "text_similarity" && g.evaluation_metric !== "cosine") metrics.add(g.evaluation_metric);
  const [multi, ...compilers] = await Promise.all([
    grader.type === "multi" ? import("./multi.js").then((m) => m.compileMulti) : undefined,
    // A type not in the table (only a grader that skipped validation has one) stays out of the
    // compilers, so it compiles to a grader that fails every sample, as with compile.ts.
    ...types.map((t) => (Object.hasOwn(TYPE_MODULES, t) ? TYPE_MODULES[t](() => loadMetrics([...metrics], checkOptions)) : undefined)),
  ]);
  return { ...Object.fromEntries(types.map((t, i) => [t, compilers[i]])), multi };
}

/**
 * Compile a grader that already passed validation, importing only what it uses first. Rejects,
 * as compileGrader throws, with a TypeError or RangeError naming a metric option that is
 * unknown or out of its domain; any other problem makes a grader that fails every sample.
 */
export async function compileOnDemand(grader: Grader, options: CompileOptions = {}): Promise<CompiledGrader> {
  // Without options there is nothing to check (and metrics/options imports every tokenizer).
  const checkOptions: CheckOptions =
    options.metricOptions === undefined ? () => {} : (await import("../metrics/options.js")).checkMetricOptionsByMetric;
  checkOptions(options.metricOptions);
  return compileWith(await loadCompilers(grader, checkOptions), grader, options);
}
