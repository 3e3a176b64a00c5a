// The paired percentile bootstrap of a mean difference: resample the pairs (here, their
// differences) with replacement, take each resample's mean, and read the confidence interval
// off the percentiles of those means (scipy.stats.bootstrap's method="percentile"). The
// resampling is seeded (util/random.ts), so the same inputs and seed give the same interval.
//
// Cost: resamples × n random draws (10,000 × 100,000 rows is a billion); the draws dominate.

import { SeededRandom } from "../../util/random.js";
import { percentileOfSorted } from "../../util/percentile.js";

export const DEFAULT_RESAMPLES = 10_000;

export interface BootstrapOptions {
  /** Resamples (default 10,000). */
  resamples?: number;
  /** PRNG seed (default 0). */
  seed?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/**
 * The percentile-bootstrap confidence interval of mean(deltas): [lo, hi], the (1 - level) / 2
 * and (1 + level) / 2 percentiles (np.percentile, linear) of the resample means. Null for no
 * values or no resamples. Resample b draws n indices in order and sums deltas[index] left to
 * right, so another implementation with the same generator reproduces it bit for bit.
 */
export function bootstrapMeanCi(deltas: ArrayLike<number>, options: BootstrapOptions = {}): [number, number] | null {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 0) throw new RangeError(`resamples must be an integer >= 0, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const n = deltas.length;
  if (n === 0 || resamples === 0) return null;
  const values = Float64Array.from(deltas);
  const random = new SeededRandom(options.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += values[random.nextIndex(n)]!;
    means[b] = total / n;
  }
  means.sort();
  const tail = ((1 - level) / 2) * 100;
  return [percentileOfSorted(means, tail)!, percentileOfSorted(means, 100 - tail)!];
}
