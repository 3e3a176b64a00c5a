// Orderings and ranks: a stable argsort and scipy.stats.rankdata's "average" ranks (ties share
// the mean of the ranks they span), the building blocks of the rank correlations and curves.

/** Indices that sort the values ascending; equal values keep their original order. */
export function argsort(values: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // The index tie-break makes the order stable whatever the engine's sort does.
  return order.sort((a, b) => values[a]! - values[b]! || a - b);
}

/** scipy.stats.rankdata(values, method="average"): 1-based ranks, ties averaged. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const order = argsort(values);
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i + 1;
    while (j < order.length && values[order[j]!] === values[order[i]!]) j++;
    // Ranks i+1 .. j share their mean; (i + 1 + j) / 2 is exact in binary floating point.
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]!] = rank;
    i = j;
  }
  return ranks;
}

/** Dense ranks from 1 (equal values share a rank, no gaps) of the values taken in `order`. */
export function denseRanksInOrder(values: ArrayLike<number>, order: ArrayLike<number>): Int32Array {
  const dense = new Int32Array(order.length);
  let rank = 0;
  for (let i = 0; i < order.length; i++) {
    if (i === 0 || values[order[i]!] !== values[order[i - 1]!]) rank++;
    dense[i] = rank;
  }
  return dense;
}
