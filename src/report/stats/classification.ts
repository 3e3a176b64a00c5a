// Binary classification quality of a score against 0/1 labels, defined exactly as scikit-learn
// 1.2 defines it: the curve of distinct thresholds (_binary_clf_curve), roc_curve (with its
// drop_intermediate), roc_auc_score (trapezoids), precision_recall_curve, average_precision_score
// (the step-wise sum, not interpolated) and cohen_kappa_score. A row is predicted positive when
// its score is >= the threshold. Checked to 1e-12 against scikit-learn (test/report-stats.test.ts).

import { sum } from "./sum.js";

type Values = ArrayLike<number>;

/** Counts at each distinct score, highest first: predicting positive when score >= thresholds[i]. */
export interface ThresholdCurve {
  thresholds: Float64Array;
  tps: Float64Array;
  fps: Float64Array;
  positives: number;
  negatives: number;
}

function checkLabels(labels: Values, scores: Values): void {
  if (labels.length !== scores.length) throw new RangeError(`labels and scores differ in length: ${labels.length} and ${scores.length}`);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`labels must be 0 or 1, got ${labels[i]} at index ${i}`);
  }
}

/** scikit-learn's _binary_clf_curve: true and false positives at every distinct score. */
export function thresholdCurve(labels: Values, scores: Values): ThresholdCurve {
  checkLabels(labels, scores);
  const n = scores.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    tp += labels[order[k]!]!;
    // The last row of a run of equal scores closes that threshold.
    if (k === n - 1 || scores[order[k + 1]!] !== scores[order[k]!]) {
      thresholds.push(scores[order[k]!]!);
      tps.push(tp);
      fps.push(k + 1 - tp);
    }
  }
  const positives = tp;
  return { thresholds: Float64Array.from(thresholds), tps: Float64Array.from(tps), fps: Float64Array.from(fps), positives, negatives: n - positives };
}

export interface RocPoints {
  fpr: Float64Array;
  tpr: Float64Array;
  /** thresholds[0] is the curve's start (0, 0), which no score gives: null. */
  thresholds: Array<number | null>;
}

/**
 * roc_curve(labels, scores, drop_intermediate): starts at (0, 0). Null when a class is absent
 * (scikit-learn returns nan rates with a warning).
 */
export function rocCurve(curve: ThresholdCurve, dropIntermediate = true): RocPoints | null {
  if (curve.positives === 0 || curve.negatives === 0) return null;
  const { tps, fps } = curve;
  const count = curve.thresholds.length;
  // Drop points collinear with their neighbours (a zero second difference in both counts).
  const corner = (i: number) => i === 0 || i === count - 1 || fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 || tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0;
  const keep = Array.from({ length: count }, (_, i) => i).filter((i) => !dropIntermediate || count <= 2 || corner(i));
  const fpr = new Float64Array(keep.length + 1);
  const tpr = new Float64Array(keep.length + 1);
  const thresholds: Array<number | null> = [null];
  keep.forEach((i, k) => {
    fpr[k + 1] = curve.fps[i]! / curve.negatives;
    tpr[k + 1] = curve.tps[i]! / curve.positives;
    thresholds.push(curve.thresholds[i]!);
  });
  return { fpr, tpr, thresholds };
}

/** roc_auc_score: the trapezoidal area under roc_curve; null when only one class is present. */
export function rocAuc(curve: ThresholdCurve): number | null {
  const roc = rocCurve(curve);
  if (!roc) return null;
  const { fpr, tpr } = roc;
  const areas = new Float64Array(fpr.length - 1);
  for (let i = 0; i < areas.length; i++) areas[i] = ((fpr[i + 1]! - fpr[i]!) * (tpr[i + 1]! + tpr[i]!)) / 2;
  return sum(areas);
}

export interface PrecisionRecall {
  /** Increasing thresholds (the distinct scores); precision and recall have one more entry, (1, 0). */
  thresholds: Float64Array;
  precision: Float64Array;
  recall: Float64Array;
}

/**
 * precision_recall_curve: ascending thresholds, precision[i] and recall[i] when predicting
 * positive at score >= thresholds[i], then the final point precision 1, recall 0. Without
 * positives recall is 1 everywhere (scikit-learn's convention, with its warning).
 */
export function precisionRecallCurve(curve: ThresholdCurve): PrecisionRecall {
  const k = curve.thresholds.length;
  const thresholds = new Float64Array(k);
  const precision = new Float64Array(k + 1);
  const recall = new Float64Array(k + 1);
  for (let j = 0; j < k; j++) {
    const i = k - 1 - j; // reverse: recall decreasing
    const predicted = curve.tps[i]! + curve.fps[i]!;
    thresholds[j] = curve.thresholds[i]!;
    precision[j] = predicted === 0 ? 0 : curve.tps[i]! / predicted;
    recall[j] = curve.positives === 0 ? 1 : curve.tps[i]! / curve.positives;
  }
  precision[k] = 1;
  recall[k] = 0;
  return { thresholds, precision, recall };
}

/** average_precision_score: sum over thresholds of (R_n - R_{n-1}) P_n, no interpolation. */
export function averagePrecision(curve: ThresholdCurve): number | null {
  if (curve.thresholds.length === 0) return null;
  const { precision, recall } = precisionRecallCurve(curve);
  const terms = new Float64Array(recall.length - 1);
  for (let i = 0; i < terms.length; i++) terms[i] = (recall[i + 1]! - recall[i]!) * precision[i]!;
  return -sum(terms);
}

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** The confusion counts when predicting positive at score >= threshold. */
export function confusionAt(labels: Values, scores: Values, threshold: number): Confusion {
  checkLabels(labels, scores);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const predicted = scores[i]! >= threshold;
    if (labels[i] === 1) predicted ? c.tp++ : c.fn++;
    else predicted ? c.fp++ : c.tn++;
  }
  return c;
}

/**
 * cohen_kappa_score(labels, predictions) from the confusion counts: 1 - observed disagreement /
 * disagreement expected by chance, in scikit-learn's arithmetic. Null when undefined (both
 * sides one and the same class, where scikit-learn returns nan).
 */
export function cohenKappa(c: Confusion): number | null {
  const n = c.tp + c.fp + c.tn + c.fn;
  if (n === 0) return null;
  // Column sums (predicted 0, 1) and row sums (true 0, 1) of confusion_matrix(true, predicted).
  const predicted0 = c.tn + c.fn;
  const predicted1 = c.fp + c.tp;
  const true0 = c.tn + c.fp;
  const true1 = c.fn + c.tp;
  const expectedDisagreement = (predicted0 * true1) / n + (predicted1 * true0) / n;
  const observedDisagreement = c.fp + c.fn;
  if (expectedDisagreement === 0) return null;
  return 1 - observedDisagreement / expectedDisagreement;
}
