// Describing one sample: histograms with numpy's definitions (np.histogram's equal-width bins
// with a closed last bin; percentiles are util/percentile.ts, np.percentile's "linear" method), so
// a user who checks a report's numbers in a notebook gets the same ones.

export interface Histogram {
  /** bins + 1 edges, ascending: np.linspace(lo, hi, bins + 1). */
  edges: number[];
  /** counts[i] counts values in [edges[i], edges[i+1]); the last bin is closed. */
  counts: number[];
  /** Values outside [lo, hi], not counted. */
  outside: number;
}

/** np.linspace(lo, hi, n + 1) exactly: i * step + lo, the last edge hi itself. */
function linspaceEdges(lo: number, hi: number, bins: number): number[] {
  const step = (hi - lo) / bins;
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) edges.push(step === 0 ? ((i / bins) * (hi - lo)) + lo : i * step + lo);
  edges[bins] = hi;
  return edges;
}

/** Equal-width bins over [lo, hi], placing values as np.histogram does. */
export interface Bins {
  edges: number[];
  /** The bin of a value (numpy's arithmetic: scale, truncate, correct against the edges); -1 outside [lo, hi]. */
  indexOf(value: number): number;
}

export function equalBins(bins: number, lo: number, hi: number): Bins {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (!(hi > lo)) throw new RangeError(`histogram range must have hi > lo, got [${lo}, ${hi}]`);
  const edges = linspaceEdges(lo, hi, bins);
  const norm = bins / (hi - lo);
  return {
    edges,
    indexOf(v) {
      if (!(v >= lo && v <= hi)) return -1;
      let i = Math.trunc((v - lo) * norm);
      if (i === bins) i--;
      if (v < edges[i]!) i--;
      else if (i !== bins - 1 && v >= edges[i + 1]!) i++;
      return i;
    },
  };
}

/**
 * np.histogram(values, bins, range=(lo, hi)): equal-width bins, so values on an edge land in
 * the same bin as numpy puts them.
 */
export function histogram(values: ArrayLike<number>, bins: number, lo: number, hi: number): Histogram {
  const binning = equalBins(bins, lo, hi);
  const counts = new Array<number>(bins).fill(0);
  let outside = 0;
  for (let k = 0; k < values.length; k++) {
    const i = binning.indexOf(values[k]!);
    if (i < 0) outside++;
    else counts[i]!++;
  }
  return { edges: binning.edges, counts, outside };
}

export interface Histogram2d {
  /** bins + 1 edges, the same on both axes. */
  edges: number[];
  /** The non-empty cells: x bin, y bin, count. */
  cells: Array<{ x: number; y: number; count: number }>;
}

/**
 * np.histogram2d(x, y, bins, range=[[lo, hi], [lo, hi]]) on one square grid, as its non-empty
 * cells (a million pairs on 20 × 20 bins is at most 400 cells). Pairs outside are not counted.
 */
export function histogram2d(x: ArrayLike<number>, y: ArrayLike<number>, bins: number, lo: number, hi: number): Histogram2d {
  const grid = equalBins(bins, lo, hi);
  const counts = new Map<number, number>();
  for (let k = 0; k < x.length; k++) {
    const i = grid.indexOf(x[k]!);
    const j = grid.indexOf(y[k]!);
    if (i < 0 || j < 0) continue;
    counts.set(i * bins + j, (counts.get(i * bins + j) ?? 0) + 1);
  }
  return { edges: grid.edges, cells: [...counts].map(([cell, count]) => ({ x: Math.floor(cell / bins), y: cell % bins, count })) };
}
