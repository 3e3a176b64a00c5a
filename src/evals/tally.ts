// The counts of an eval.run, accumulated item by item in constant memory: result_counts,
// per_testing_criteria_results (in the eval's criterion order) and per_model_usage (sampling
// and model-grader calls, by the model that answered, in order of first use).

import type { TokenUsage } from "../core/response.js";
import type { Verdict } from "./criteria.js";
import type { CriterionCounts, EvalCriterion, ModelUsage, OutputItemStatus, ResultCounts } from "./types.js";

export class RunTally {
  private readonly counts: ResultCounts = { total: 0, errored: 0, failed: 0, passed: 0 };
  private readonly criteria = new Map<string, CriterionCounts>();
  private readonly usage = new Map<string, ModelUsage>();

  constructor(criteria: readonly EvalCriterion[]) {
    for (const c of criteria) this.criteria.set(c.resultName, { testing_criteria: c.resultName, passed: 0, failed: 0 });
  }

  /**
   * One item. Its verdicts (absent when the item could not be graded at all) count per
   * criterion; an errored grading counts as failed there (decided: passed + failed is the
   * number of items the criterion graded), while the item itself is `errored`.
   */
  addItem(status: OutputItemStatus, verdicts: readonly Verdict[] | null): void {
    this.counts.total++;
    if (status === "pass") this.counts.passed++;
    else if (status === "fail") this.counts.failed++;
    else this.counts.errored++;
    for (const v of verdicts ?? []) {
      const c = this.criteria.get(v.criterion.resultName)!;
      if (v.passed === true) c.passed++;
      else c.failed++;
      for (const [model, usage] of Object.entries(v.response.model_grader_token_usage_per_model)) this.addCall(model, usage);
    }
  }

  /** One model call (a sample generated, a model grader's judgement). */
  addCall(model: string, usage: TokenUsage | null): void {
    let u = this.usage.get(model);
    if (!u) {
      u = { model_name: model, invocation_count: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cached_tokens: 0 };
      this.usage.set(model, u);
    }
    u.invocation_count++;
    if (usage) {
      u.prompt_tokens += usage.prompt_tokens;
      u.completion_tokens += usage.completion_tokens;
      u.total_tokens += usage.total_tokens;
      u.cached_tokens += usage.cached_tokens;
    }
  }

  resultCounts(): ResultCounts {
    return { ...this.counts };
  }

  perTestingCriteria(): CriterionCounts[] {
    return [...this.criteria.values()].map((c) => ({ ...c }));
  }

  perModelUsage(): ModelUsage[] {
    return [...this.usage.values()].map((u) => ({ ...u }));
  }
}
