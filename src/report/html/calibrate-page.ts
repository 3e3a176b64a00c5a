// The page of `graderkit calibrate -o`: the calibration's numbers, and the plots that explain
// them. Binary labels: the ROC and precision-recall curves (scikit-learn's points), the rewards
// of positives and negatives as two histograms on one scale, the confusion at the threshold.
// Numeric labels: a heat map of reward against label. No script: everything is static.

import { VERSION } from "../../util/version.js";
import type { BinaryCalibration, NumericCalibration } from "../calibrate.js";
import type { CalibrationRun } from "../calibrate-run.js";
import { rewardHistogram, rewardRange } from "../reward-stats.js";
import { precisionRecallCurve, rocCurve, thresholdCurve } from "../stats/classification.js";
import { histogram2d } from "../stats/describe.js";
import { curveSpec, heatmapSpec, histogramSpec, renderSvg, type CurvePoint } from "./charts.js";
import { cards, figure, formatNumber, keyValueTable, pageHeader, section, staticTable, warningsBox } from "./components.js";
import { escapeHtml, page } from "./page.js";

/** Points a curve is drawn with at most: every k-th of a longer one (the numbers use them all). */
const CURVE_POINTS = 2_000;

function thin(points: CurvePoint[]): CurvePoint[] {
  if (points.length <= CURVE_POINTS) return points;
  const step = Math.ceil(points.length / CURVE_POINTS);
  return points.filter((_, i) => i % step === 0 || i === points.length - 1);
}

async function binaryBody(c: CalibrationRun, bins: number): Promise<string> {
  const r = c.result as BinaryCalibration;
  const curve = thresholdCurve(c.labels, c.rewards);
  const items: Array<[string, string]> = [
    ["labelled rows", `${r.rows} (${r.positives} positive)`],
    ["ROC AUC", formatNumber(r.roc_auc)],
    ["average precision", formatNumber(r.average_precision)],
    ["best F1", r.best_f1 ? `${formatNumber(r.best_f1.f1)} at ≥ ${formatNumber(r.best_f1.threshold)}` : "–"],
    ["best Youden's J", r.best_youden ? `${formatNumber(r.best_youden.j)} at ≥ ${formatNumber(r.best_youden.threshold)}` : "–"],
    ["Cohen's kappa", r.at_threshold ? `${formatNumber(r.at_threshold.cohen_kappa)} at ≥ ${formatNumber(r.at_threshold.threshold)}` : "–"],
  ];
  let html = section("summary", "Summary", cards(items));
  const figures: string[] = [];
  const roc = rocCurve(curve);
  if (roc) {
    const points = thin(Array.from(roc.fpr, (x, i) => ({ x, y: roc.tpr[i]! })));
    figures.push(figure(await renderSvg(curveSpec(points, { title: "ROC curve", xTitle: "false positive rate", yTitle: "true positive rate", interpolate: "linear", diagonal: true }), "roc-"), `roc_curve; the area under it is the ROC AUC ${formatNumber(r.roc_auc)}.`, "roc-curve"));
  }
  if (r.positives > 0) {
    const pr = precisionRecallCurve(curve);
    const points = thin(Array.from(pr.recall, (x, i) => ({ x, y: pr.precision[i]! })));
    // Average precision is the step-wise sum: precision held from one recall level to the next.
    figures.push(figure(await renderSvg(curveSpec(points, { title: "Precision-recall curve", xTitle: "recall", yTitle: "precision", interpolate: "step-before" }), "pr-"), `precision_recall_curve, drawn as the steps average precision (${formatNumber(r.average_precision)}) sums.`, "pr-curve"));
  }
  const range = rewardRange(c.rewards);
  const of = (label: number) => c.rewards.filter((_, i) => c.labels[i] === label);
  const threshold = r.at_threshold?.threshold ?? null;
  for (const [label, name, color] of [[1, "positives (label 1)", "#1a7f37"], [0, "negatives (label 0)", "#cf222e"]] as const) {
    const rewards = of(label);
    if (rewards.length === 0) continue;
    figures.push(figure(await renderSvg(histogramSpec(rewardHistogram(rewards, bins, range), { title: `Rewards of the ${name}`, xTitle: "reward", threshold, width: 360, height: 160, color }), `h${label}-`), `${rewards.length} rows; the dashed line is the threshold of the confusion below.`, `rewards-label-${label}`));
  }
  html += section("plots", "Plots", `<div class="figures">${figures.join("")}</div>`);
  if (r.at_threshold) {
    const { tp, fp, tn, fn } = r.at_threshold.confusion;
    const table = staticTable(
      [{ label: "" }, { label: "predicted 1 (reward ≥ threshold)", num: true }, { label: "predicted 0", num: true }],
      [
        ["label 1", String(tp), String(fn)],
        ["label 0", String(fp), String(tn)],
      ],
      'id="confusion"',
    );
    html += section("confusion", `At threshold ${formatNumber(r.at_threshold.threshold)}`, table);
  }
  if (r.best_f1) {
    const b = r.best_f1;
    html += section("best-f1", "Best F1", keyValueTable([["threshold", formatNumber(b.threshold)], ["precision", formatNumber(b.precision)], ["recall", formatNumber(b.recall)], ["F1", formatNumber(b.f1)], ["accuracy", formatNumber(b.accuracy)]]));
  }
  return html;
}

async function numericBody(c: CalibrationRun, bins: number): Promise<string> {
  const r = c.result as NumericCalibration;
  let html = section(
    "summary",
    "Summary",
    cards([
      ["labelled rows", String(r.rows)],
      ["Pearson", formatNumber(r.pearson)],
      ["Spearman", formatNumber(r.spearman)],
      ["Kendall τb", formatNumber(r.kendall_tau_b)],
      ["mean absolute error", formatNumber(r.mae)],
    ]),
  );
  const [lo, hi] = rewardRange(c.rewards);
  const [llo, lhi] = rewardRange(c.labels);
  const domain: [number, number] = [Math.min(lo, llo), Math.max(hi, lhi)];
  const svg = await renderSvg(heatmapSpec(histogram2d(c.rewards, c.labels, bins, domain[0], domain[1]), { title: "Reward against label", xTitle: "reward", yTitle: "label" }), "map-");
  html += section("plots", "Plots", figure(svg, "Labelled rows per (reward, label) cell; agreement lies on the diagonal.", "reward-label-heatmap"));
  return html;
}

export async function renderCalibrationPage(c: CalibrationRun, options: { bins?: number; title?: string } = {}): Promise<string> {
  const bins = options.bins ?? 20;
  const title = options.title ?? `graderkit calibrate: ${c.runName}`;
  const body = [
    pageHeader(title, `${c.runName} · labels ${c.labelsName} · ${c.kind} labels · joined by ${c.joinedBy}`, [["summary", "Summary"], ["plots", "Plots"]]),
    "<main>",
    warningsBox(c.messages),
    c.kind === "binary" ? await binaryBody(c, bins) : await numericBody(c, bins),
    "</main>",
    `<footer>Made by graderkit ${escapeHtml(VERSION)}. ${
      c.kind === "binary"
        ? "Numbers are scikit-learn's (roc_auc_score, average_precision_score, precision_recall_curve, cohen_kappa_score); a reward ≥ the threshold predicts 1."
        : "Numbers are scipy's (pearsonr, spearmanr, kendalltau) and numpy's mean absolute error."
    }</footer>`,
  ].join("\n");
  return page({ title, body, script: false });
}
