// score_model (spec §6): the grader model answers {steps, result: number}; the reward is the
// result clamped to `range` (default [0, 1]).

import type { ScoreModelGrader } from "../schema/types.js";
import { answerSteps, compileModelGrader } from "./model-grader.js";
import type { GraderCompiler } from "./types.js";

export const DEFAULT_SCORE_RANGE: readonly [number, number] = [0, 1];

export const compileScoreModel: GraderCompiler<ScoreModelGrader> = (grader) => {
  const [a, b] = grader.range ?? DEFAULT_SCORE_RANGE;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return compileModelGrader({
    name: grader.name,
    type: "score_model",
    model: grader.model,
    input: grader.input,
    sampling_params: grader.sampling_params,
    schemaName: "score_model_result",
    resultSchema: { type: "number" },
    interpret(answer) {
      const result = answer.result;
      if (typeof result !== "number" || !Number.isFinite(result)) {
        return { parseError: `result is ${JSON.stringify(result) ?? "missing"}, not a finite number` };
      }
      const reward = Math.min(hi, Math.max(lo, result));
      return { reward, scores: { result, steps: answerSteps(answer) ?? [], range: [lo, hi] } };
    },
  });
};
