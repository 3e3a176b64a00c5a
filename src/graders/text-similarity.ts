// text_similarity (spec §4): render input and reference, score them with the metric. The
// metric's signature and details go to metadata.scores so two numbers can be compared honestly.

import type { TextSimilarityGrader } from "../schema/types.js";
import { checkMetricOptionsByMetric } from "../metrics/options.js";
import { textSimilarity } from "../metrics/text-similarity.js";
import { GradingFailure } from "../core/response.js";
import { cosineReward } from "./cosine.js";
import { compilePair } from "./templated-pair.js";
import type { GraderCompiler } from "./types.js";

export const compileTextSimilarity: GraderCompiler<TextSimilarityGrader> = (grader, options) => {
  const pair = compilePair(grader);
  const metric = grader.evaluation_metric;
  // Checked here, once: a wrong option fails the grader with a message naming it.
  checkMetricOptionsByMetric(options.metricOptions);
  if (metric === "cosine") {
    return {
      name: grader.name,
      type: "text_similarity",
      async: true,
      async grade(ctx) {
        const [input, reference] = pair.render(ctx);
        const r = await cosineReward(input, reference, ctx.executors);
        return { reward: r.reward, scores: { evaluation_metric: metric, score: r.reward, signature: r.signature, similarity: r.similarity } };
      },
    };
  }
  const metricOptions = options.metricOptions?.[metric];
  return {
    name: grader.name,
    type: "text_similarity",
    async: false,
    grade(ctx) {
      const [input, reference] = pair.render(ctx);
      let result;
      try {
        result = textSimilarity(metric, input, reference, metricOptions);
      } catch (err) {
        throw new GradingFailure("other_error", `${metric}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return { reward: result.score, scores: { evaluation_metric: metric, score: result.score, signature: result.signature, ...(result.details ? { details: result.details } : {}) } };
    },
  };
};
