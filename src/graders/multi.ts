// multi (spec §7): grade every child independently (async children concurrently), then combine
// their rewards with the compiled calculate_output formula. A failing child contributes 0 and
// its flags are raised on the parent, with error.path the JSON pointer of the failing field
// (/graders/KEY/input). Keys are user data: "__proto__" or "constructor" are keys like any other.

import { compileFormula } from "../formula/index.js";
import {
  addTokenUsage,
  ERROR_FLAGS,
  GradingFailure,
  type GraderErrors,
  type RunError,
  type RunResponse,
  type TokenUsage,
} from "../core/response.js";
import type { MultiGrader } from "../schema/types.js";
import { dictionary } from "../util/dictionary.js";
import { pointerJoin } from "../util/json-pointer.js";
import { runGrader } from "./run.js";
import type { ChildCompiler, CompiledGrader, GradeOutput } from "./types.js";

function combine(keys: readonly string[], children: RunResponse[], formula: ReturnType<typeof compileFormula>): GradeOutput {
  const sub_rewards = dictionary<number>();
  const scores = dictionary<unknown>();
  const errors: Partial<GraderErrors> = {};
  let error: RunError | undefined;
  let token_usage: TokenUsage | null = null;
  let sampled_model_name: string | null = null;
  const usage_per_model = dictionary<TokenUsage>();
  children.forEach((child, i) => {
    const key = keys[i];
    sub_rewards[key] = child.reward;
    scores[key] = child.metadata;
    const ce = child.metadata.errors;
    for (const flag of ERROR_FLAGS) if (ce[flag]) errors[flag] = true;
    errors.python_grader_server_error_type ??= ce.python_grader_server_error_type ?? undefined;
    errors.python_grader_runtime_error_details ??= ce.python_grader_runtime_error_details ?? undefined;
    errors.model_grader_server_error_details ??= ce.model_grader_server_error_details ?? undefined;
    if (child.error && !error) {
      error = { ...child.error, path: pointerJoin("/graders", key) + (child.error.path ?? "") };
    }
    token_usage = addTokenUsage(token_usage, child.metadata.token_usage);
    sampled_model_name ??= child.metadata.sampled_model_name;
    for (const [model, usage] of Object.entries(child.model_grader_token_usage_per_model)) {
      usage_per_model[model] = addTokenUsage(usage_per_model[model] ?? null, usage)!;
    }
  });
  for (const k of Object.keys(errors) as Array<keyof GraderErrors>) if (errors[k] === undefined) delete errors[k];
  const reward = formula.evaluate(sub_rewards);
  const out: GradeOutput = { reward, sub_rewards, scores, errors, token_usage, sampled_model_name, usage_per_model };
  if (error) out.error = error;
  if (!Number.isFinite(reward)) {
    const values = keys.map((k) => `${k}=${sub_rewards[k]}`).join(", ");
    throw new GradingFailure(
      "other_error",
      `calculate_output '${formula.source}' gave ${reward} with ${values}`,
      "/calculate_output",
      {},
      { scores, token_usage, sampled_model_name, usage_per_model },
    );
  }
  return out;
}

export function compileMulti(grader: MultiGrader, compileChild: ChildCompiler): CompiledGrader {
  const keys = Object.keys(grader.graders);
  const children = keys.map((k) => compileChild(grader.graders[k]));
  const formula = compileFormula(grader.calculate_output, keys);
  const async = children.some((c) => c.async);
  return {
    name: grader.name,
    type: "multi",
    async,
    grade(ctx) {
      const results = children.map((c) => runGrader(c, ctx));
      if (!async) return combine(keys, results as RunResponse[], formula);
      return Promise.all(results).then((r) => combine(keys, r, formula));
    },
  };
}
