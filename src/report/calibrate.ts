// Calibration of a grader against human labels: how well its reward separates labelled
// positives from negatives (binary labels), or agrees with a human score (numeric labels).
// Every number is scikit-learn's or scipy's definition (src/report/stats/); this module picks
// the thresholds and assembles the `calibrate --json` body.

import { averagePrecision, cohenKappa, confusionAt, precisionRecallCurve, rocAuc, rocCurve, thresholdCurve, type Confusion, type ThresholdCurve } from "./stats/classification.js";
import { kendallTauB, meanAbsoluteError, pearson, spearman } from "./stats/correlation.js";

export interface BestF1 {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

export interface BestYouden {
  threshold: number;
  tpr: number;
  fpr: number;
  j: number;
}

export interface AtThreshold {
  threshold: number;
  confusion: Confusion;
  cohen_kappa: number | null;
}

/** `calibrate --json` for binary labels (0/1 or booleans). */
export interface BinaryCalibration {
  rows: number;
  positives: number;
  roc_auc: number | null;
  average_precision: number | null;
  best_f1: BestF1 | null;
  best_youden: BestYouden | null;
  at_threshold: AtThreshold | null;
}

/** `calibrate --json` for numeric labels. */
export interface NumericCalibration {
  rows: number;
  pearson: number | null;
  spearman: number | null;
  kendall_tau_b: number | null;
  mae: number | null;
}

/**
 * The precision_recall_curve threshold with the highest F1 = 2PR / (P + R) (0 where P + R = 0).
 * Ties go to the highest threshold. Null without positive labels (F1 is then 0 or undefined at
 * every threshold).
 */
export function bestF1(curve: ThresholdCurve): BestF1 | null {
  if (curve.positives === 0) return null;
  const { thresholds, precision, recall } = precisionRecallCurve(curve);
  const n = curve.positives + curve.negatives;
  let best: BestF1 | null = null;
  // Highest threshold first, so a later tie does not replace it.
  for (let i = thresholds.length - 1; i >= 0; i--) {
    const p = precision[i]!;
    const r = recall[i]!;
    const f1 = p + r === 0 ? 0 : (2 * p * r) / (p + r);
    if (best && f1 <= best.f1) continue;
    // Row counts at this threshold (precision_recall_curve is the threshold curve reversed).
    const k = thresholds.length - 1 - i;
    const tn = curve.negatives - curve.fps[k]!;
    best = { threshold: thresholds[i]!, precision: p, recall: r, f1, accuracy: (curve.tps[k]! + tn) / n };
  }
  return best;
}

/**
 * The roc_curve threshold with the largest Youden's J = TPR - FPR (the curve's artificial
 * start excluded, every distinct score a candidate). Ties go to the highest threshold. Null
 * when a class is absent (a rate is undefined).
 */
export function bestYouden(curve: ThresholdCurve): BestYouden | null {
  const roc = rocCurve(curve, false);
  if (!roc) return null;
  let best: BestYouden | null = null;
  for (let i = 1; i < roc.thresholds.length; i++) {
    const j = roc.tpr[i]! - roc.fpr[i]!;
    if (best && j <= best.j) continue;
    best = { threshold: roc.thresholds[i]!, tpr: roc.tpr[i]!, fpr: roc.fpr[i]!, j };
  }
  return best;
}

export interface Calibrated<T> {
  result: T;
  /** Why a number is null or unusual (one class only, ...), for the user. */
  messages: string[];
}

/** Binary calibration; `threshold` for at_threshold, else best_f1's. */
export function calibrateBinary(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold?: number): Calibrated<BinaryCalibration> {
  const curve = thresholdCurve(labels, scores);
  const messages: string[] = [];
  const rows = labels.length;
  if (rows > 0 && (curve.positives === 0 || curve.negatives === 0)) {
    const only = curve.positives === 0 ? "negative (0)" : "positive (1)";
    messages.push(`every label is ${only}: roc_auc and best_youden are not defined with one class (scikit-learn raises), average_precision is scikit-learn's value for it`);
  }
  const best_f1 = bestF1(curve);
  const chosen = threshold ?? best_f1?.threshold;
  let at_threshold: AtThreshold | null = null;
  if (chosen !== undefined) {
    const confusion = confusionAt(labels, scores, chosen);
    at_threshold = { threshold: chosen, confusion, cohen_kappa: cohenKappa(confusion) };
    if (at_threshold.cohen_kappa === null) messages.push(`cohen_kappa is not defined at threshold ${chosen}: labels and predictions are all one and the same class`);
  } else if (rows > 0) {
    messages.push("at_threshold needs --threshold: without positive labels there is no best_f1 threshold");
  }
  return {
    result: {
      rows,
      positives: curve.positives,
      roc_auc: rocAuc(curve),
      average_precision: averagePrecision(curve),
      best_f1,
      best_youden: bestYouden(curve),
      at_threshold,
    },
    messages,
  };
}

/** Numeric calibration: agreement between the reward and a human score. */
export function calibrateNumeric(labels: ArrayLike<number>, scores: ArrayLike<number>): Calibrated<NumericCalibration> {
  const messages: string[] = [];
  const result: NumericCalibration = {
    rows: labels.length,
    pearson: pearson(scores, labels),
    spearman: spearman(scores, labels),
    kendall_tau_b: kendallTauB(scores, labels),
    mae: meanAbsoluteError(scores, labels),
  };
  if (result.spearman === null && labels.length > 1) messages.push("the correlations are not defined: the rewards or the labels are constant");
  return { result, messages };
}
