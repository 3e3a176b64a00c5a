// The page of `graderkit report`: summary, errors by flag, reward histograms (one per multi
// child too), the worst rows, and the row table. Everything but the table is plain HTML and
// inline SVG, readable with JavaScript off.

import { VERSION } from "../../util/version.js";
import type { ReportModel, ReportRow } from "../report.js";
import { histogramSpec, renderSvg } from "./charts.js";
import { cards, figure, formatNumber, formatPercent, pageHeader, section, staticTable, tags, warningsBox, type Column } from "./components.js";
import { escapeHtml, page } from "./page.js";
import { PAGE_SIZE, rowTable, TagIndex, type TableColumn, type TableData } from "./table.js";
import { rowExtra, sampleCells, idText } from "./rows.js";

/** Tag of every row with an error, first in the filter. */
export const ANY_ERROR = "any error";

function reportTable(model: ReportModel): TableData {
  const subKeys = model.subRewards.map((s) => s.key);
  const withInput = model.inputName !== null;
  const columns: TableColumn[] = [
    { key: "line", label: "line", type: "number" },
    { key: "id", label: "id", type: "text" },
    { key: "reward", label: "reward", type: "number" },
    ...subKeys.map((k): TableColumn => ({ key: `sub:${k}`, label: k, type: "number" })),
    { key: "flags", label: "flags", type: "tags" },
    { key: "error", label: "error", type: "text" },
    ...(withInput ? ([{ key: "sample", label: "sample", type: "text" }, { key: "item", label: "item", type: "text" }] as TableColumn[]) : []),
  ];
  const tagIndex = new TagIndex([ANY_ERROR]);
  const rows: unknown[][] = [];
  const rowTags: number[][] = [];
  const extra: TableData["extra"] = [];
  for (const r of model.table.rows) {
    rows.push([
      r.line,
      idText(r.id),
      r.reward,
      ...subKeys.map((k) => r.subRewards?.[k] ?? null),
      r.flags,
      r.error?.message ?? null,
      ...(withInput ? sampleCells(r.input) : []),
    ]);
    rowTags.push(r.flags.length > 0 || r.error ? [tagIndex.of(ANY_ERROR), ...r.flags.map((f) => tagIndex.of(f))] : []);
    extra.push(rowExtra(r));
  }
  return { columns, rows, tags: tagIndex.names, rowTags, extra, pageSize: PAGE_SIZE };
}

function summarySection(model: ReportModel): string {
  const r = model.rewards;
  const items: Array<[string, string]> = [
    ["rows", String(r.rows)],
    ["mean reward", formatNumber(r.mean)],
    ["p10 / p50 / p90", `${formatNumber(r.p10, 3)} / ${formatNumber(r.p50, 3)} / ${formatNumber(r.p90, 3)}`],
    ["min / max", `${formatNumber(r.min, 3)} / ${formatNumber(r.max, 3)}`],
  ];
  if (model.passRate !== null) items.push([`pass rate (reward ≥ ${model.threshold})`, formatPercent(model.passRate)]);
  items.push(["rows with errors", `${model.errorRows}${r.rows ? ` (${formatPercent(model.errorRows / r.rows)})` : ""}`]);
  let html = cards(items);
  if (model.threshold === null) html += `<p class="note">No pass threshold: give <code>--threshold</code>, or <code>--grader</code> with a <code>pass_threshold</code>, for a pass rate.</p>`;
  if (model.errors.length > 0) {
    const columns: Column[] = [{ label: "flag" }, { label: "rows", num: true }, { label: "first messages", wrap: true }];
    const rows = model.errors.map((e) => [tags([e.flag]), String(e.rows), e.messages.map((m) => escapeHtml(m)).join("<br>")]);
    html += `<h3>Errors by flag</h3>${staticTable(columns, rows, 'id="errors-by-flag"')}`;
  } else html += `<p class="note">No row has an error.</p>`;
  return section("summary", "Summary", html);
}

async function distributionSection(model: ReportModel): Promise<string> {
  const bins = model.histogram.counts.length;
  const main = await renderSvg(histogramSpec(model.histogram, { title: "Reward", xTitle: "reward", threshold: model.threshold }), "reward-");
  let html = figure(main, `Rows per reward bin (${bins} equal bins over [${model.histogram.edges[0]}, ${model.histogram.edges[bins]}], the last bin includes its right edge)${model.threshold !== null ? `; the dashed line is the pass threshold ${model.threshold}` : ""}.`, "reward-histogram");
  if (model.subRewards.length > 0) {
    const columns: Column[] = [{ label: "child" }, { label: "mean", num: true }, { label: "p10", num: true }, { label: "p50", num: true }, { label: "p90", num: true }, { label: "rows failed", num: true }];
    const byMean = [...model.subRewards].sort((a, b) => (a.summary.mean ?? 0) - (b.summary.mean ?? 0));
    const rows = byMean.map((s) => [`<code>${escapeHtml(s.key)}</code>`, formatNumber(s.summary.mean), formatNumber(s.summary.p10, 3), formatNumber(s.summary.p50, 3), formatNumber(s.summary.p90, 3), String(s.failed)]);
    html += `<h3>Sub-rewards (multi), lowest mean first</h3>${staticTable(columns, rows, 'id="sub-rewards"')}`;
    const charts = await Promise.all(
      model.subRewards.map(async (s, i) =>
        figure(await renderSvg(histogramSpec(s.histogram, { title: s.key, xTitle: s.key, width: 340, height: 140 }), `sub${i}-`), `${s.key}: mean ${formatNumber(s.summary.mean)}`, `sub-reward-histogram-${i}`),
      ),
    );
    html += `<div class="figures">${charts.join("")}</div>`;
  }
  return section("distribution", "Distribution", html);
}

/** The static table of some rows (worst rows), complete without JavaScript. */
export function staticRowsTable(rows: readonly ReportRow[], withInput: boolean, id: string): string {
  const columns: Column[] = [{ label: "line", num: true }, { label: "id" }, { label: "reward", num: true }, { label: "flags" }, { label: "error", wrap: true }];
  if (withInput) columns.push({ label: "sample", wrap: true }, { label: "item", wrap: true });
  const body = rows.map((r) => {
    const cells = [String(r.line), escapeHtml(idText(r.id) ?? ""), formatNumber(r.reward), tags(r.flags), escapeHtml(r.error?.message ?? "")];
    if (withInput) cells.push(...sampleCells(r.input).map((t) => escapeHtml(t ?? "")));
    return cells;
  });
  return staticTable(columns, body, `id="${escapeHtml(id)}"`);
}

export async function renderReportPage(model: ReportModel): Promise<string> {
  const withInput = model.inputName !== null;
  const subtitle = [
    model.runName,
    model.file.grader ? `grader ${model.file.grader.name} (${model.file.grader.type})` : null,
    `${model.rewards.rows} rows`,
    model.file.formats.length ? `${model.file.formats.join(" and ")} rows` : null,
    withInput ? `input ${model.inputName}` : null,
  ].filter(Boolean).join(" · ");
  const body = [
    pageHeader(model.title, subtitle, [["summary", "Summary"], ["distribution", "Distribution"], ["worst", "Worst rows"], ["rows", "Rows"]]),
    "<main>",
    warningsBox(model.warnings),
    summarySection(model),
    await distributionSection(model),
    section("worst", `The ${model.worst.length} lowest rewards`, model.worst.length ? staticRowsTable(model.worst, withInput, "worst-rows") : `<p class="note">No rows.</p>`),
    section("rows", "Rows", rowTable(reportTable(model), { id: "row-table", note: model.table.note })),
    "</main>",
    `<footer>Made by graderkit ${escapeHtml(VERSION)}. Percentiles are numpy's (linear interpolation) and histograms numpy.histogram's, over every row. A row passes when its reward is ≥ the threshold. Click a row for its details; the table's filter keeps the rows with a flag.</footer>`,
  ].join("\n");
  return page({ title: model.title, body, script: true });
}
