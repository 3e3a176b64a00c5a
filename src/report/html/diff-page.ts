// The page of `graderkit diff -o`: the report's components, A and B side by side. Summary
// cards, both reward histograms on one scale, the histogram of B - A, a heat map of (A, B)
// pairs, the largest changes, the unmatched rows, and a row table filterable by flips.

import { VERSION } from "../../util/version.js";
import type { DiffModel } from "../diff.js";
import { fitKept, RowKeeper, type KeepGroup } from "../keep.js";
import { rewardHistogram, rewardRange } from "../reward-stats.js";
import { flagsOf } from "../run-columns.js";
import { joinSamples, type SampleView } from "../samples.js";
import { histogram, histogram2d } from "../stats/describe.js";
import type { LineSource } from "../../util/read-lines.js";
import { heatmapSpec, histogramSpec, renderSvg } from "./charts.js";
import { cards, figure, formatNumber, formatPercent, pageHeader, section, staticTable, warningsBox, type Column } from "./components.js";
import { escapeHtml, page, scriptJsonBytes } from "./page.js";
import { idText, sampleCells } from "./rows.js";
import { PAGE_SIZE, rowTable, TagIndex, type TableColumn, type TableData } from "./table.js";

export interface DiffPageOptions {
  /** The runs' input, for the texts of the rows shown. */
  input?: LineSource;
  inputName?: string;
  bins?: number;
  title?: string;
}

/** Table limits for the diff page (see TABLE_LIMITS of the report). */
const DIFF_TABLE = { rows: 10_000, largest: 1_000, flips: 2_000, errored: 1_000, bytes: 15 * 1024 * 1024, unmatchedListed: 100 } as const;

const signed = (x: number | null) => (x === null ? "–" : `${x > 0 ? "+" : ""}${formatNumber(x)}`);

function tableGroups(model: DiffModel): KeepGroup<number>[] {
  const { a, b, pairs, deltas, result } = model;
  const t = result.threshold;
  const flipped = (k: number) => a.rewards[pairs.left[k]!]! >= t !== b.rewards[pairs.right[k]!]! >= t;
  const errored = (k: number) => a.errored[pairs.left[k]!] === 1 || b.errored[pairs.right[k]!] === 1;
  return [
    { name: "largest", size: DIFF_TABLE.largest, kind: "lowest", key: (k) => -Math.abs(deltas[k]!), describe: (c) => `the ${c.shown} largest changes` },
    { name: "flips", size: DIFF_TABLE.flips, kind: "sample", accepts: flipped, describe: (c) => (c.candidates === 0 ? null : c.shown === c.candidates ? `all ${c.candidates} rows that cross the threshold` : `${c.shown} of the ${c.candidates} rows that cross the threshold (a uniform sample)`) },
    { name: "errored", size: DIFF_TABLE.errored, kind: "sample", accepts: errored, describe: (c) => (c.candidates === 0 ? null : c.shown === c.candidates ? `all ${c.candidates} rows with errors in A or B` : `${c.shown} of the ${c.candidates} rows with errors in A or B (a uniform sample)`) },
    { name: "sampled", size: DIFF_TABLE.rows, kind: "sample", accepts: () => true, describe: (c) => (c.added ? `${c.added} more rows sampled uniformly at random (seed ${model.seed})` : null) },
  ];
}

function summaryCards(model: DiffModel): string {
  const r = model.result;
  const items: Array<[string, string]> = [
    ["matched rows", `${r.rows} (by ${model.joinedBy})`],
    ["mean A / B", `${formatNumber(r.mean_a)} / ${formatNumber(r.mean_b)}`],
    ["mean B − A", signed(r.mean_delta)],
    ["95% CI of B − A", r.mean_delta_ci95 ? `[${signed(r.mean_delta_ci95[0])}, ${signed(r.mean_delta_ci95[1])}]` : "–"],
    ["spearman / kendall τb", `${formatNumber(r.spearman, 3)} / ${formatNumber(r.kendall_tau_b, 3)}`],
    [`pass rate A → B (≥ ${r.threshold})`, `${formatPercent(r.rows ? model.passing.a / r.rows : null)} → ${formatPercent(r.rows ? model.passing.b / r.rows : null)}`],
    ["pass → fail / fail → pass", `${r.flips.pass_to_fail} / ${r.flips.fail_to_pass}`],
    ["only in A / only in B", `${r.unmatched.a_only.length} / ${r.unmatched.b_only.length}`],
  ];
  return cards(items) + `<p class="note">A is <code>${escapeHtml(model.a.info.name)}</code>, B is <code>${escapeHtml(model.b.info.name)}</code>. The interval is a paired percentile bootstrap (${model.resamples} resamples, seed ${model.seed}); the correlations are scipy's spearmanr and kendalltau (tau-b).</p>`;
}

async function chartsSection(model: DiffModel, bins: number): Promise<string> {
  const ra = Float64Array.from(model.pairs.left, (i) => model.a.rewards[i]!);
  const rb = Float64Array.from(model.pairs.right, (j) => model.b.rewards[j]!);
  const [loA, hiA] = rewardRange(ra);
  const [loB, hiB] = rewardRange(rb);
  const range: [number, number] = [Math.min(loA, loB), Math.max(hiA, hiB)];
  const t = model.result.threshold;
  // Symmetric around 0 with an odd number of bins, so "no change" has a bin of its own.
  let reach = 1;
  for (const d of model.deltas) reach = Math.max(reach, Math.abs(d));
  const deltaBins = bins % 2 === 0 ? bins + 1 : bins;
  const [svgA, svgB, svgDelta, svgMap] = await Promise.all([
    renderSvg(histogramSpec(rewardHistogram(ra, bins, range), { title: "A", xTitle: "reward (A)", threshold: t, width: 400 }), "a-"),
    renderSvg(histogramSpec(rewardHistogram(rb, bins, range), { title: "B", xTitle: "reward (B)", threshold: t, width: 400 }), "b-"),
    renderSvg(histogramSpec(histogram(model.deltas, deltaBins, -reach, reach), { title: "B − A", xTitle: "reward B − reward A", width: 400, color: "#8250df", ticksOnEdges: false }), "delta-"),
    renderSvg(heatmapSpec(histogram2d(ra, rb, bins, range[0], range[1]), { title: "A against B", xTitle: "reward (A)", yTitle: "reward (B)" }), "map-"),
  ]);
  return section(
    "distribution",
    "Distributions",
    `<div class="figures">${figure(svgA, "Matched rows per reward bin, A.", "a-histogram")}${figure(svgB, "Matched rows per reward bin, B.", "b-histogram")}</div>` +
      `<div class="figures">${figure(svgDelta, "Matched rows per change B − A (the middle bin holds 0: no change).", "delta-histogram")}${figure(svgMap, "Matched rows per (A, B) cell; off the diagonal is where they disagree.", "pair-heatmap")}</div>`,
  );
}

function largestSection(model: DiffModel, texts: Map<number, SampleView>, withInput: boolean): string {
  const largest = model.result.largest;
  if (largest.length === 0) return section("largest", "Largest changes", `<p class="note">No matched row changed.</p>`);
  const columns: Column[] = [{ label: "line", num: true }, { label: "id" }, { label: "A", num: true }, { label: "B", num: true }, { label: "B − A", num: true }];
  if (withInput) columns.push({ label: "sample", wrap: true }, { label: "item", wrap: true });
  const rows = largest.map((c) => {
    const cells = [String(c.line), escapeHtml(idText(c.id ?? undefined) ?? ""), formatNumber(c.a), formatNumber(c.b), `<span class="${c.delta < 0 ? "bad" : "good"}">${signed(c.delta)}</span>`];
    if (withInput) cells.push(...sampleCells(texts.get(c.line)).map((t) => escapeHtml(t ?? "")));
    return cells;
  });
  return section("largest", `The ${largest.length} largest changes`, staticTable(columns, rows, 'id="largest-changes"'));
}

function unmatchedSection(model: DiffModel): string {
  const { a_only, b_only } = model.result.unmatched;
  if (a_only.length === 0 && b_only.length === 0) return "";
  const list = (refs: typeof a_only) =>
    refs.length === 0 ? "none" : refs.slice(0, DIFF_TABLE.unmatchedListed).map((r) => `line ${r.line}${r.id !== undefined ? ` (id ${escapeHtml(JSON.stringify(r.id))})` : ""}`).join(", ") + (refs.length > DIFF_TABLE.unmatchedListed ? `, … (${refs.length} in all)` : "");
  return section("unmatched", "Unmatched rows", `<p><strong>Only in A (${a_only.length}):</strong> ${list(a_only)}</p><p><strong>Only in B (${b_only.length}):</strong> ${list(b_only)}</p>`);
}

function diffTable(model: DiffModel, rows: number[], texts: Map<number, SampleView>, withInput: boolean): TableData {
  const { a, b, pairs, deltas, result } = model;
  const columns: TableColumn[] = [
    { key: "line", label: "line", type: "number" },
    { key: "id", label: "id", type: "text" },
    { key: "a", label: "A", type: "number" },
    { key: "b", label: "B", type: "number" },
    { key: "delta", label: "B − A", type: "number" },
    { key: "flags_a", label: "flags A", type: "tags" },
    { key: "flags_b", label: "flags B", type: "tags" },
    { key: "error", label: "error", type: "text" },
    ...(withInput ? ([{ key: "sample", label: "sample", type: "text" }, { key: "item", label: "item", type: "text" }] as TableColumn[]) : []),
  ];
  const tagIndex = new TagIndex(["changed", "pass → fail", "fail → pass", "error in A", "error in B"]);
  const out: TableData = { columns, rows: [], tags: tagIndex.names, rowTags: [], extra: [], pageSize: PAGE_SIZE };
  for (const k of rows) {
    const i = pairs.left[k]!;
    const j = pairs.right[k]!;
    const flagsA = flagsOf(a.flagBits[i]!);
    const flagsB = flagsOf(b.flagBits[j]!);
    const messages = [a.messages.get(i) && `A: ${a.messages.get(i)}`, b.messages.get(j) && `B: ${b.messages.get(j)}`].filter(Boolean).join(" | ");
    out.rows.push([a.lines[i], idText(a.ids[i]), a.rewards[i], b.rewards[j], deltas[k], flagsA, flagsB, messages || null, ...(withInput ? sampleCells(texts.get(a.lines[i]!)) : [])]);
    const t: number[] = [];
    if (deltas[k] !== 0) t.push(tagIndex.of("changed"));
    const passA = a.rewards[i]! >= result.threshold;
    const passB = b.rewards[j]! >= result.threshold;
    if (passA && !passB) t.push(tagIndex.of("pass → fail"));
    if (!passA && passB) t.push(tagIndex.of("fail → pass"));
    if (a.errored[i]) t.push(tagIndex.of("error in A"));
    if (b.errored[j]) t.push(tagIndex.of("error in B"));
    for (const f of flagsA) t.push(tagIndex.of(`A: ${f}`));
    for (const f of flagsB) t.push(tagIndex.of(`B: ${f}`));
    out.rowTags.push(t);
    out.extra.push(b.lines[j] !== a.lines[i] ? { "line in B": String(b.lines[j]) } : null);
  }
  return out;
}

export async function renderDiffPage(model: DiffModel, options: DiffPageOptions = {}): Promise<string> {
  const bins = options.bins ?? 20;
  const withInput = options.input !== undefined;
  const groups = tableGroups(model);
  const keeper = new RowKeeper<number>(groups, (k) => model.a.lines[model.pairs.left[k]!]!, DIFF_TABLE.rows, model.seed);
  for (let k = 0; k < model.pairs.left.length; k++) keeper.add(k);
  const kept = keeper.result();
  let texts = new Map<number, SampleView>();
  const warnings = [...model.warnings];
  if (options.input !== undefined) {
    const wanted = new Map<number, { id?: unknown }>();
    for (const k of kept.rows) {
      const i = model.pairs.left[k]!;
      wanted.set(model.a.lines[i]!, model.a.ids[i] === undefined ? {} : { id: model.a.ids[i] });
    }
    for (const c of model.result.largest) wanted.set(c.line, c.id === null ? {} : { id: c.id });
    texts = (await joinSamples(options.input, wanted)).views;
  }
  // A row's numbers, flags and messages take ~200 bytes; its texts the rest.
  const sizeOf = (k: number) => 200 + scriptJsonBytes(texts.get(model.a.lines[model.pairs.left[k]!]!) ?? null);
  const table = fitKept(kept, groups, sizeOf, DIFF_TABLE.bytes);
  table.rows.sort((p, q) => model.a.lines[model.pairs.left[p]!]! - model.a.lines[model.pairs.left[q]!]!);
  const title = options.title ?? `graderkit diff: ${model.a.info.name} → ${model.b.info.name}`;
  const body = [
    pageHeader(title, `${model.result.rows} matched rows · threshold ${model.result.threshold}${withInput ? ` · input ${options.inputName ?? "input"}` : ""}`, [
      ["summary", "Summary"],
      ["distribution", "Distributions"],
      ["largest", "Largest changes"],
      ["rows", "Rows"],
    ]),
    "<main>",
    warningsBox(warnings),
    section("summary", "Summary", summaryCards(model)),
    await chartsSection(model, bins),
    largestSection(model, texts, withInput),
    unmatchedSection(model),
    section("rows", "Rows", rowTable(diffTable(model, table.rows, texts, withInput), { id: "row-table", note: table.note })),
    "</main>",
    `<footer>Made by graderkit ${escapeHtml(VERSION)}. A row passes when its reward is ≥ ${model.result.threshold}. Click a row for its details.</footer>`,
  ].join("\n");
  return page({ title, body, script: true });
}
