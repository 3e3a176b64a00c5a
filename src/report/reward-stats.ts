// What a report says about a column of rewards: its size, mean, extremes and percentiles (numpy's
// definitions, over every value: nothing is sampled), and a histogram over [0, 1] widened to
// any reward outside it (a python grader may return 5).

import { percentileOfSorted } from "../util/percentile.js";
import { histogram, type Histogram } from "./stats/describe.js";
import { mean } from "./stats/sum.js";

export const DEFAULT_BINS = 20;

export interface RewardSummary {
  rows: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  p10: number | null;
  p50: number | null;
  p90: number | null;
}

/** The summary of the values (they are not modified). */
export function summarizeRewards(values: Float64Array): RewardSummary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return {
    rows: n,
    mean: mean(values),
    min: n ? sorted[0]! : null,
    max: n ? sorted[n - 1]! : null,
    p10: percentileOfSorted(sorted, 10),
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
  };
}

/** The range a reward histogram spans: [0, 1], widened to the values' extremes. */
export function rewardRange(values: ArrayLike<number>): [number, number] {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** np.histogram(values, bins, range) over `range` (default: rewardRange(values)). */
export function rewardHistogram(values: ArrayLike<number>, bins = DEFAULT_BINS, range = rewardRange(values)): Histogram {
  return histogram(values, bins, range[0], range[1]);
}
