// Token statistics of a training file and the cookbook's estimate of a job on it
// (Chat_finetuning_data_prep, "Cost Estimation"): n_epochs "auto" is 3, raised or lowered so that
// examples × epochs lies in [100, 25,000] (within 1..25 epochs); billed tokens are
// Σ min(training context, example length) × epochs.

import { percentileOfSorted } from "../util/percentile.js";

export const EPOCH_RULE = { target: 3, minEpochs: 1, maxEpochs: 25, minExamples: 100, maxExamples: 25_000 } as const;

/** The cookbook's default n_epochs for a file of `examples` examples. */
export function defaultEpochs(examples: number): number {
  const { target, minEpochs, maxEpochs, minExamples, maxExamples } = EPOCH_RULE;
  if (examples <= 0) return target;
  if (examples * target < minExamples) return Math.min(maxEpochs, Math.floor(minExamples / examples));
  if (examples * target > maxExamples) return Math.max(minEpochs, Math.floor(maxExamples / examples));
  return target;
}

export interface TokenStats {
  total: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
}

/**
 * Example lengths as they stream past: exact totals and a growable array of lengths for the
 * percentiles (4 bytes an example: a million examples cost 4 MB).
 */
export class TokenTally {
  private lengths = new Uint32Array(1024);
  private n = 0;
  total = 0;
  max = 0;
  /** Σ min(context, length): what the service bills per epoch. */
  billable = 0;

  constructor(private readonly context: number) {}

  add(length: number): void {
    if (this.n === this.lengths.length) {
      const grown = new Uint32Array(this.lengths.length * 2);
      grown.set(this.lengths);
      this.lengths = grown;
    }
    this.lengths[this.n++] = length;
    this.total += length;
    this.billable += Math.min(this.context, length);
    if (length > this.max) this.max = length;
  }

  get count(): number {
    return this.n;
  }

  stats(): TokenStats {
    const sorted = this.lengths.slice(0, this.n).sort();
    return { total: this.total, max: this.max, mean: this.n ? this.total / this.n : 0, p50: percentileOfSorted(sorted, 50) ?? 0, p95: percentileOfSorted(sorted, 95) ?? 0 };
  }
}
