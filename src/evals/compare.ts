// Agreement between re-graded hosted output items and their hosted results: per criterion,
// how often `passed` agrees and the score agrees within a tolerance, and every row and
// criterion where they differ. Hosted exports may name a result "<criterion name>-<uuid>", so a
// hosted result is matched to a criterion by its id or name, else by the longest criterion name
// it starts with.

import type { Verdict } from "./criteria.js";
import type { HostedResult } from "./hosted-items.js";
import type { EvalCriterion, OutputItemStatus } from "./types.js";

/** Scores are compared up to this much difference unless told otherwise. */
export const DEFAULT_SCORE_TOLERANCE = 1e-6;

/** Which criterion a hosted result belongs to (undefined: none). */
export function matchCriterion(resultName: string, criteria: readonly EvalCriterion[]): EvalCriterion | undefined {
  const exact = criteria.find((c) => c.resultName === resultName) ?? criteria.find((c) => c.name === resultName);
  if (exact) return exact;
  let best: EvalCriterion | undefined;
  for (const c of criteria) {
    if (resultName.startsWith(c.name) && (!best || c.name.length > best.name.length)) best = c;
  }
  return best;
}

/** A hosted item status as pass / fail / error ("passed", "failed", "errored" spelt out too). */
export function normalizeStatus(status: string | null): OutputItemStatus | null {
  if (status === null) return null;
  const s = status.toLowerCase();
  if (s === "pass" || s === "passed") return "pass";
  if (s === "fail" || s === "failed") return "fail";
  return "error";
}

export interface CriterionAgreement {
  testing_criteria: string;
  /** Items where both the hosted export and the local run have a result for the criterion. */
  compared: number;
  passed_agreed: number;
  score_agreed: number;
  /** Items whose hosted results have none for this criterion. */
  missing_hosted: number;
}

export interface Difference {
  datasource_item_id: number;
  /** Where the item is, e.g. "ITEMS.jsonl:7". */
  where: string;
  testing_criteria: string;
  hosted: { passed: boolean | null; score: number | null };
  local: { passed: boolean | null; score: number };
}

export interface Comparison {
  score_tolerance: number;
  /** Items with a hosted status to compare with. */
  items: number;
  status_agreed: number;
  /** Items whose hosted and local status differ. */
  status_differences: Array<{ datasource_item_id: number; where: string; hosted: OutputItemStatus; local: OutputItemStatus }>;
  criteria: CriterionAgreement[];
  differences: Difference[];
  /** Hosted result names that match no criterion of the eval. */
  unmatched_hosted_results: string[];
}

export interface ComparedItem {
  datasourceItemId: number;
  where: string;
  hostedStatus: string | null;
  hostedResults: readonly HostedResult[];
  localStatus: OutputItemStatus;
  /** The local verdicts; null when the item could not be graded locally. */
  verdicts: readonly Verdict[] | null;
}

export class ComparisonBuilder {
  private items = 0;
  private statusAgreed = 0;
  private readonly statusDifferences: Comparison["status_differences"] = [];
  private readonly agreements = new Map<string, CriterionAgreement>();
  private readonly differences: Difference[] = [];
  private readonly unmatched = new Set<string>();

  constructor(
    private readonly criteria: readonly EvalCriterion[],
    private readonly tolerance = DEFAULT_SCORE_TOLERANCE,
  ) {
    for (const c of criteria) {
      this.agreements.set(c.resultName, { testing_criteria: c.resultName, compared: 0, passed_agreed: 0, score_agreed: 0, missing_hosted: 0 });
    }
  }

  add(row: ComparedItem): void {
    const hostedStatus = normalizeStatus(row.hostedStatus);
    if (hostedStatus !== null) {
      this.items++;
      if (hostedStatus === row.localStatus) this.statusAgreed++;
      else this.statusDifferences.push({ datasource_item_id: row.datasourceItemId, where: row.where, hosted: hostedStatus, local: row.localStatus });
    }
    const hostedByCriterion = new Map<string, HostedResult>();
    for (const h of row.hostedResults) {
      const c = matchCriterion(h.name, this.criteria);
      if (c) hostedByCriterion.set(c.resultName, h);
      else this.unmatched.add(h.name);
    }
    for (const v of row.verdicts ?? []) {
      const agreement = this.agreements.get(v.criterion.resultName)!;
      const hosted = hostedByCriterion.get(v.criterion.resultName);
      if (!hosted) {
        agreement.missing_hosted++;
        continue;
      }
      agreement.compared++;
      const local = { passed: v.passed, score: v.response.reward };
      const passedAgrees = hosted.passed === local.passed;
      const scoreAgrees = hosted.score !== null && Math.abs(hosted.score - local.score) <= this.tolerance;
      if (passedAgrees) agreement.passed_agreed++;
      if (scoreAgrees) agreement.score_agreed++;
      if (!passedAgrees || !scoreAgrees) {
        this.differences.push({
          datasource_item_id: row.datasourceItemId,
          where: row.where,
          testing_criteria: v.criterion.resultName,
          hosted: { passed: hosted.passed, score: hosted.score },
          local,
        });
      }
    }
  }

  build(): Comparison {
    return {
      score_tolerance: this.tolerance,
      items: this.items,
      status_agreed: this.statusAgreed,
      status_differences: [...this.statusDifferences],
      criteria: [...this.agreements.values()].map((a) => ({ ...a })),
      differences: [...this.differences],
      unmatched_hosted_results: [...this.unmatched],
    };
  }
}
