// Correlations between two paired samples, defined exactly as scipy 1.10 defines them
// (scipy.stats.pearsonr, spearmanr, kendalltau with its default tau-b), null wherever scipy
// returns nan: fewer than two pairs, or a side that is constant. Checked to 1e-12 against scipy
// on ties and degenerate inputs (test/report-stats.test.ts, scripts/report-stats-fixtures.py).

import { argsort, averageRanks, denseRanksInOrder } from "./rank.js";
import { mean, sum } from "./sum.js";

type Values = ArrayLike<number>;

function checkPaired(x: Values, y: Values): void {
  if (x.length !== y.length) throw new RangeError(`paired samples differ in length: ${x.length} and ${y.length}`);
}

function isConstant(v: Values): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}

const clip = (r: number) => Math.min(1, Math.max(-1, r));

/** x - mean(x), as a new array. */
function centered(v: Values): Float64Array {
  const m = mean(v)!;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! - m;
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  const products = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) products[i] = a[i]! * b[i]!;
  return sum(products);
}

/** Pearson's r as scipy.stats.pearsonr: null for n < 2 or a constant side; ±1 by sign for n = 2. */
export function pearson(x: Values, y: Values): number | null {
  checkPaired(x, y);
  const n = x.length;
  if (n < 2 || isConstant(x) || isConstant(y)) return null;
  if (n === 2) return Math.sign(x[1]! - x[0]!) * Math.sign(y[1]! - y[0]!);
  const xm = centered(x);
  const ym = centered(y);
  const nx = Math.sqrt(dot(xm, xm));
  const ny = Math.sqrt(dot(ym, ym));
  for (let i = 0; i < n; i++) {
    xm[i]! /= nx;
    ym[i]! /= ny;
  }
  return clip(dot(xm, ym));
}

/** Spearman's rho as scipy.stats.spearmanr: the correlation (np.corrcoef) of average ranks. */
export function spearman(x: Values, y: Values): number | null {
  checkPaired(x, y);
  if (x.length < 2 || isConstant(x) || isConstant(y)) return null;
  const rx = centered(averageRanks(x));
  const ry = centered(averageRanks(y));
  // np.corrcoef divides the covariance by each standard deviation in turn; the 1/(n-1) factors cancel.
  return clip(dot(rx, ry) / Math.sqrt(dot(rx, rx)) / Math.sqrt(dot(ry, ry)));
}

/** Pairs i < j with a[i] > a[j], by a bottom-up merge sort (which overwrites a). */
function countInversions(a: Int32Array): number {
  let inversions = 0;
  let src: Int32Array = a;
  let dst: Int32Array = new Int32Array(a.length);
  for (let width = 1; width < a.length; width *= 2) {
    for (let lo = 0; lo < a.length; lo += 2 * width) {
      const mid = Math.min(lo + width, a.length);
      const hi = Math.min(lo + 2 * width, a.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // Equal values are not inversions: take from the left first.
        if (src[i]! <= src[j]!) dst[k++] = src[i++]!;
        else {
          inversions += mid - i;
          dst[k++] = src[j++]!;
        }
      }
      while (i < mid) dst[k++] = src[i++]!;
      while (j < hi) dst[k++] = src[j++]!;
    }
    [src, dst] = [dst, src];
  }
  return inversions;
}

/** Sum over groups of equal dense ranks of t(t-1)/2: the tied pairs. */
function tiedPairs(dense: Int32Array): number {
  let top = 0;
  for (const r of dense) if (r > top) top = r;
  const counts = new Float64Array(top + 1);
  for (const r of dense) counts[r]!++;
  let tied = 0;
  for (const t of counts) tied += (t * (t - 1)) / 2;
  return tied;
}

/**
 * Kendall's tau-b as scipy.stats.kendalltau (Knight's O(n log n) algorithm, as scipy does it):
 * (concordant - discordant) / sqrt((pairs - x ties) (pairs - y ties)); null when a side is constant.
 */
export function kendallTauB(x: Values, y: Values): number | null {
  checkPaired(x, y);
  const n = x.length;
  if (n === 0) return null;
  // Order by (x, y): sort on y, then stably on x.
  const byY = argsort(y);
  const yDense = denseRanksInOrder(y, byY);
  const xInYOrder = Float64Array.from(byY, (i) => x[i]!);
  const byX = argsort(xInYOrder);
  const xs = denseRanksInOrder(xInYOrder, byX);
  const ys = Int32Array.from(byX, (i) => yDense[i]!);

  let jointTies = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && xs[j] === xs[i] && ys[j] === ys[i]) j++;
    jointTies += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  const xTies = tiedPairs(xs);
  const yTies = tiedPairs(ys);
  const pairs = (n * (n - 1)) / 2;
  if (xTies === pairs || yTies === pairs) return null;
  const discordant = countInversions(ys);
  const concordantMinusDiscordant = pairs - xTies - yTies + jointTies - 2 * discordant;
  return clip(concordantMinusDiscordant / Math.sqrt(pairs - xTies) / Math.sqrt(pairs - yTies));
}

/** The mean absolute error mean(|x - y|), as numpy computes it; null for no pairs. */
export function meanAbsoluteError(x: Values, y: Values): number | null {
  checkPaired(x, y);
  const d = new Float64Array(x.length);
  for (let i = 0; i < d.length; i++) d[i] = Math.abs(x[i]! - y[i]!);
  return mean(d);
}
