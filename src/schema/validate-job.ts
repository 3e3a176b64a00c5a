// Validation of a fine-tuning job body: the job's JSON Schema, the hyperparameter domains, and
// its reinforcement grader checked with the grader rules (validate.ts). A module of its own so
// that checking a grader (every command that grades) does not load the job schema.

import { ajvProblems, schemaValidator, type Problem } from "./ajv.js";
import { fineTuningJobSchema, refineJobProblems } from "./fine-tuning.js";
import { checkGrader, isObject, mergeProblems } from "./validate.js";

/**
 * Validate a POST /v1/fine_tuning/jobs body against the schema (the grader with target rft);
 * each bad hyperparameter is one problem naming its domain.
 */
export function validateFineTuningJob(body: unknown): Problem[] {
  const validate = schemaValidator(fineTuningJobSchema);
  const problems = refineJobProblems(body, validate(body) ? [] : ajvProblems(validate.errors));
  const grader = isObject(body) && isObject(body.method) && isObject(body.method.reinforcement) ? body.method.reinforcement.grader : undefined;
  if (grader !== undefined) {
    const codeProblems: Problem[] = [];
    checkGrader(grader, "/method/reinforcement/grader", "rft", codeProblems, []);
    // The rft top-level rule is keyed on the grader being at the root of its own document.
    if (isObject(grader) && grader.type === "label_model") {
      codeProblems.push({ pointer: "/method/reinforcement/grader/type", message: "label_model is only allowed inside a multi grader for reinforcement fine-tuning", code: "not_allowed_for_target" });
    }
    return mergeProblems(problems, codeProblems);
  }
  return problems;
}
