// The report folder's entry: run files into pages and numbers (report, diff, calibrate).

import { renderDiffPage, type DiffPageOptions } from "./html/diff-page.js";
import { renderReportPage } from "./html/report-page.js";
import { buildReportModel, type ReportModel, type ReportOptions } from "./report.js";
import { diffRuns, type DiffModel, type DiffOptions } from "./diff.js";

/** The self-contained HTML report of a run, and the numbers in it. */
export async function buildReport(options: ReportOptions): Promise<{ html: string; model: ReportModel }> {
  const model = await buildReportModel(options);
  return { html: await renderReportPage(model), model };
}

/** Two runs compared; with `page`, the HTML view too. */
export async function buildDiff(options: DiffOptions & { page?: DiffPageOptions | false }): Promise<{ model: DiffModel; html: string | null }> {
  const model = await diffRuns(options);
  return { model, html: options.page ? await renderDiffPage(model, options.page) : null };
}

export { buildReportModel, TABLE_LIMITS, type ReportModel, type ReportOptions, type ReportRow, type FlagSummary, type SubRewardSummary } from "./report.js";
export { diffRuns, formatDiffText, type DiffModel, type DiffOptions, type DiffResult, type LargestChange, type RowRef } from "./diff.js";
export { calibrateRun, formatCalibrationText, type CalibrateOptions, type CalibrationRun, type LabelKind } from "./calibrate-run.js";
export { calibrateBinary, calibrateNumeric, type BinaryCalibration, type NumericCalibration, type BestF1, type BestYouden, type AtThreshold } from "./calibrate.js";
export { renderDiffPage, type DiffPageOptions } from "./html/diff-page.js";
export { renderCalibrationPage } from "./html/calibrate-page.js";
export { FileLineError } from "./file-error.js";
export { scanRun, type RunRow, type RunFileInfo, type RunFormat } from "./run-rows.js";
export type { RunColumns } from "./run-columns.js";
export type { Joined } from "./join.js";
export type { RewardSummary } from "./reward-stats.js";
export type { Histogram } from "./stats/describe.js";
export type { Confusion } from "./stats/classification.js";
export type { SampleView } from "./samples.js";
export type { LineSource } from "../util/read-lines.js";
