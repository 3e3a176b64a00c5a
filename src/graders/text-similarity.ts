// text_similarity (spec §4): render input and reference, score them with the metric. The
// metric's signature and details go to metadata.scores so two numbers can be compared honestly.
// The local metrics come in as a parameter (LocalMetrics), not as an import: compile.ts passes
// metrics/text-similarity's textSimilarity for every metric, compile-on-demand.ts the modules
// of only the metrics a grader uses, so a fuzzy_match run does not load the tokenizers.

import type { TextSimilarityGrader } from "../schema/types.js";
import type { LocalMetric } from "../metrics/names.js";
import type { MetricOptions, MetricOptionsByMetric } from "../metrics/options.js";
import type { MetricResult } from "../metrics/types.js";
import { GradingFailure } from "../core/response.js";
import { compilePair } from "./templated-pair.js";
import type { GraderCompiler } from "./types.js";

/** Scores one (input, reference) pair with one metric and that metric's options (already checked). */
export type MetricScorer<M extends LocalMetric = LocalMetric> = (input: string, reference: string, options: MetricOptions<M> | undefined) => MetricResult;

/** What the text_similarity compiler needs from the metric layer. */
export interface LocalMetrics {
  /** Throws (TypeError / RangeError naming the option) for options a metric does not accept. */
  checkOptions(byMetric: MetricOptionsByMetric | undefined): void;
  /** The scorer of `metric`; only asked for the metrics of graders being compiled. */
  scorer<M extends LocalMetric>(metric: M): MetricScorer<M>;
}

// Imported on the first cosine row: grading one waits on the embedding executor anyway.
let cosineModule: Promise<typeof import("./cosine.js")> | undefined;

export function textSimilarityCompiler(metrics: LocalMetrics): GraderCompiler<TextSimilarityGrader> {
  return (grader, options) => {
    const pair = compilePair(grader);
    const metric = grader.evaluation_metric;
    // Checked here, once: a wrong option fails the grader with a message naming it.
    metrics.checkOptions(options.metricOptions);
    if (metric === "cosine") {
      return {
        name: grader.name,
        type: "text_similarity",
        async: true,
        async grade(ctx) {
          const [input, reference] = pair.render(ctx);
          const { cosineReward } = await (cosineModule ??= import("./cosine.js"));
          const r = await cosineReward(input, reference, ctx.executors);
          return { reward: r.reward, scores: { evaluation_metric: metric, score: r.reward, signature: r.signature, similarity: r.similarity } };
        },
      };
    }
    const score = metrics.scorer(metric);
    const metricOptions = options.metricOptions?.[metric];
    return {
      name: grader.name,
      type: "text_similarity",
      async: false,
      grade(ctx) {
        const [input, reference] = pair.render(ctx);
        let result;
        try {
          result = score(input, reference, metricOptions);
        } catch (err) {
          throw new GradingFailure("other_error", `${metric}: ${err instanceof Error ? err.message : String(err)}`);
        }
        return { reward: result.score, scores: { evaluation_metric: metric, score: result.score, signature: result.signature, ...(result.details ? { details: result.details } : {}) } };
      },
    };
  };
}
