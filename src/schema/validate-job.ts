// Validation of a fine-tuning job body: the job's JSON Schema, the hyperparameter domains, and
// its reinforcement grader checked with the grader rules (validate.ts). A module of its own so
// that checking a grader (every command that grades) does not load the job schema.

import { ajvProblems, schemaValidator, type Problem } from "./ajv.js";
import { fineTuningJobSchema, refineJobProblems } from "./fine-tuning.js";
import { checkGrader, labelModelAtRftRoot, mergeProblems } from "./validate.js";
import { isJsonObject } from "../util/json-object.js";

/**
 * Validate a POST /v1/fine_tuning/jobs body against the schema (the grader with target rft);
 * each bad hyperparameter is one problem naming its domain.
 */
export function validateFineTuningJob(body: unknown): Problem[] {
  const validate = schemaValidator(fineTuningJobSchema);
  const problems = refineJobProblems(body, validate(body) ? [] : ajvProblems(validate.errors));
  const grader = isJsonObject(body) && isJsonObject(body.method) && isJsonObject(body.method.reinforcement) ? body.method.reinforcement.grader : undefined;
  if (grader !== undefined) {
    const codeProblems: Problem[] = [];
    checkGrader(grader, "/method/reinforcement/grader", "rft", codeProblems, []);
    // The rft top-level rule is keyed on the grader being at the root of its own document.
    if (isJsonObject(grader) && grader.type === "label_model") codeProblems.push(labelModelAtRftRoot("/method/reinforcement/grader"));
    return mergeProblems(problems, codeProblems);
  }
  return problems;
}
