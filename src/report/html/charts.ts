// The report's plots: Vega-Lite specifications compiled by vega-lite and rendered to SVG by
// vega's headless View when the report is built, so the page shows them without JavaScript and
// without loading anything. The data are already aggregated (bins and counts computed with
// numpy's definitions, src/report/stats/describe.ts), so a million-row run costs a plot of
// twenty bars, and the bars drawn are exactly the bins that hold rows.
//
// vega and vega-lite are loaded on first use: commands that draw nothing never pay for them.

import type { TopLevelSpec } from "vega-lite";
import type { Histogram, Histogram2d } from "../stats/describe.js";

const PALETTE = { bar: "#4c78a8", threshold: "#d62728", muted: "#9aa5b1" } as const;

const CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  background: "transparent",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, gridColor: "#e5e8eb" },
  title: { fontSize: 13, fontWeight: 600, anchor: "start" as const },
};

let engines: Promise<[typeof import("vega"), typeof import("vega-lite")]> | null = null;

function loadEngines() {
  engines ??= Promise.all([import("vega"), import("vega-lite")]);
  return engines;
}

/**
 * Render a Vega-Lite specification to an SVG string to inline in a page; `idPrefix` scopes the
 * ids the SVG defines (see scopeSvgIds), unique per chart of the page.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const [vega, vegaLite] = await loadEngines();
  const compiled = vegaLite.compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  // renderer "none": no canvas is needed (or present) in Node; the SVG is serialised from the scenegraph.
  // Errors only: vega's warnings (an empty histogram's infinite extent) are not the user's business.
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
  try {
    return scopeSvgIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}

/**
 * Prefix the ids an SVG defines (vega names legend gradients gradient_0, gradient_1... in every
 * chart), and the references to them, so several charts inline in one page do not collide.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = new Set(Array.from(svg.matchAll(/\sid="([^"]+)"/g), (m) => m[1]!));
  if (ids.size === 0) return svg;
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (whole, lead: string, id: string) => (ids.has(id) ? `${lead}${prefix}${id}` : whole));
}

export interface HistogramChartOptions {
  title: string;
  xTitle: string;
  /** A vertical rule at the pass threshold. */
  threshold?: number | null;
  width?: number;
  height?: number;
  color?: string;
  /** Ticks on the bin edges (default), or round numbers (for bins of an odd width). */
  ticksOnEdges?: boolean;
}

/** One bar per non-empty bin; the x axis spans every bin. */
export function histogramSpec(h: Histogram, options: HistogramChartOptions): TopLevelSpec {
  const step = h.edges[1]! - h.edges[0]!;
  const bars = h.counts.flatMap((count, i) => (count > 0 ? [{ start: h.edges[i]!, end: h.edges[i + 1]!, count }] : []));
  const domain = [h.edges[0]!, h.edges[h.edges.length - 1]!];
  const layers: unknown[] = [
    {
      data: { values: bars },
      mark: { type: "bar", color: options.color ?? PALETTE.bar, binSpacing: 1 },
      encoding: {
        x: { field: "start", type: "quantitative", bin: options.ticksOnEdges === false ? { binned: true } : { binned: true, step }, title: options.xTitle, scale: { domain } },
        x2: { field: "end" },
        y: { field: "count", type: "quantitative", title: "rows", axis: { tickMinStep: 1, format: "~s" } },
      },
    },
  ];
  if (options.threshold !== undefined && options.threshold !== null && options.threshold >= domain[0]! && options.threshold <= domain[1]!) {
    layers.push({
      data: { values: [{ threshold: options.threshold }] },
      mark: { type: "rule", color: PALETTE.threshold, strokeDash: [4, 3], strokeWidth: 1.5 },
      encoding: { x: { field: "threshold", type: "quantitative" } },
    });
  }
  return {
    title: options.title,
    width: options.width ?? 520,
    height: options.height ?? 180,
    layer: layers,
  } as TopLevelSpec;
}

/** Counts over a grid of (x, y) bins: one rectangle per non-empty cell, log colour scale. */
export function heatmapSpec(h: Histogram2d, options: { title: string; xTitle: string; yTitle: string; size?: number }): TopLevelSpec {
  const size = options.size ?? 260;
  const { edges } = h;
  const cells = h.cells.map((c) => ({ x0: edges[c.x]!, x1: edges[c.x + 1]!, y0: edges[c.y]!, y1: edges[c.y + 1]!, count: c.count }));
  const domain = [edges[0]!, edges[edges.length - 1]!];
  return {
    title: options.title,
    width: size,
    height: size,
    data: { values: cells },
    mark: { type: "rect" },
    encoding: {
      x: { field: "x0", type: "quantitative", title: options.xTitle, scale: { domain } },
      x2: { field: "x1" },
      y: { field: "y0", type: "quantitative", title: options.yTitle, scale: { domain } },
      y2: { field: "y1" },
      color: { field: "count", type: "quantitative", title: "rows", scale: { type: "log", scheme: "blues" } },
    },
  } as TopLevelSpec;
}

export interface CurvePoint {
  x: number;
  y: number;
}

/** A step or line curve on the unit square (ROC, precision-recall). */
export function curveSpec(points: CurvePoint[], options: { title: string; xTitle: string; yTitle: string; interpolate: "linear" | "step-before" | "step-after"; diagonal?: boolean }): TopLevelSpec {
  const layers: unknown[] = [
    {
      data: { values: points.map((p, order) => ({ ...p, order })) },
      mark: { type: "line", interpolate: options.interpolate, color: PALETTE.bar, strokeWidth: 2 },
      encoding: {
        x: { field: "x", type: "quantitative", title: options.xTitle, scale: { domain: [0, 1] } },
        y: { field: "y", type: "quantitative", title: options.yTitle, scale: { domain: [0, 1] } },
        order: { field: "order", type: "quantitative" },
      },
    },
  ];
  if (options.diagonal) {
    layers.unshift({
      data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
      mark: { type: "line", color: PALETTE.muted, strokeDash: [4, 3] },
      encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
    });
  }
  return { title: options.title, width: 260, height: 260, layer: layers } as TopLevelSpec;
}
