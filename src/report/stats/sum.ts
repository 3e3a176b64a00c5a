// Sums and means as numpy computes them. numpy adds float64 arrays pairwise (blocks of 8
// partial sums up to 128 elements, halves above), so its rounding error grows with log n
// rather than n; summing the same way keeps graderkit's means within an ulp or two of numpy's
// on any input size, where a plain loop drifts by up to n ulps.

const BLOCK = 128;

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = start; i < start + n; i++) s += a[i]!;
    return s;
  }
  if (n <= BLOCK) {
    let r0 = a[start]!, r1 = a[start + 1]!, r2 = a[start + 2]!, r3 = a[start + 3]!;
    let r4 = a[start + 4]!, r5 = a[start + 5]!, r6 = a[start + 6]!, r7 = a[start + 7]!;
    const end = start + n - (n % 8);
    let i = start + 8;
    for (; i < end; i += 8) {
      r0 += a[i]!;
      r1 += a[i + 1]!;
      r2 += a[i + 2]!;
      r3 += a[i + 3]!;
      r4 += a[i + 4]!;
      r5 += a[i + 5]!;
      r6 += a[i + 6]!;
      r7 += a[i + 7]!;
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < start + n; i++) s += a[i]!;
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwise(a, start, half) + pairwise(a, start + half, n - half);
}

/** The sum of the values, added pairwise as numpy's `np.sum` does. */
export function sum(values: ArrayLike<number>): number {
  return pairwise(values, 0, values.length);
}

/** The arithmetic mean (numpy's `np.mean`); null for no values. */
export function mean(values: ArrayLike<number>): number | null {
  return values.length === 0 ? null : sum(values) / values.length;
}
