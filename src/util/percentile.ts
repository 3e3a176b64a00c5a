// numpy's default percentile (np.percentile / np.quantile, method "linear"), one definition for
// every figure graderkit reports as a percentile: the report's summary and bootstrap intervals,
// bench's per-row latencies, check-data's token-length p50 / p95.

/**
 * np.percentile(values, p) of values already sorted ascending (p in [0, 100]): linear
 * interpolation between the closest ranks, with numpy's two-sided lerp. Null for no values.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const virtual = (n - 1) * (p / 100);
  const below = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const above = Math.min(below + 1, n - 1);
  const gamma = virtual - below;
  const a = sorted[below]!;
  const b = sorted[above]!;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}
