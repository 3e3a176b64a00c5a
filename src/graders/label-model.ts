// label_model (spec §6): the grader model picks one of `labels` (an enum in the answer
// schema); the reward is 1 when that label is one of `passing_labels`, else 0.

import type { LabelModelGrader } from "../schema/types.js";
import { answerSteps, compileModelGrader } from "./model-grader.js";
import type { GraderCompiler } from "./types.js";

export const compileLabelModel: GraderCompiler<LabelModelGrader> = (grader) => {
  const labels = new Set(grader.labels);
  const passing = new Set(grader.passing_labels);
  return compileModelGrader({
    name: grader.name,
    type: "label_model",
    model: grader.model,
    input: grader.input,
    schemaName: "label_model_result",
    resultSchema: { type: "string", enum: [...grader.labels] },
    interpret(answer) {
      const label = answer.result;
      // Servers without strict structured outputs may ignore the enum: check it here too.
      if (typeof label !== "string" || !labels.has(label)) {
        return { parseError: `result ${JSON.stringify(label) ?? "missing"} is not one of the labels ${JSON.stringify(grader.labels)}` };
      }
      const passed = passing.has(label);
      return { reward: passed ? 1 : 0, scores: { result: label, passing: passed, steps: answerSteps(answer) ?? [] } };
    },
  });
};
