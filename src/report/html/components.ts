// The building blocks of report pages (report, diff): number formatting, summary cards,
// key-value and static tables, figures and notes. Every function returns HTML with its text
// escaped; what it takes as `html` is markup built by these functions.

import { escapeHtml } from "./page.js";

/** A number for people: integers as they are, others to `digits` decimals; null as a dash. */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return "–";
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

export function formatPercent(x: number | null | undefined): string {
  return x === null || x === undefined ? "–" : `${(100 * x).toFixed(1)}%`;
}

/** Big numbers in a row of cards. */
export function cards(items: ReadonlyArray<readonly [label: string, value: string]>): string {
  return `<div class="cards">${items
    .map(([label, value]) => `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`)
    .join("")}</div>`;
}

export interface Column {
  label: string;
  /** Right-aligned numbers. */
  num?: boolean;
  /** Wrapped long text. */
  wrap?: boolean;
}

/** A plain table; cells are HTML. */
export function staticTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>, attrs = ""): string {
  const cls = (c: Column) => (c.num ? ' class="num"' : c.wrap ? ' class="wrap"' : "");
  const head = columns.map((c) => `<th${c.num ? ' class="num"' : ""}>${escapeHtml(c.label)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td${cls(columns[i]!)}>${cell}</td>`).join("")}</tr>`).join("\n");
  return `<div class="table-wrap"><table${attrs ? ` ${attrs}` : ""}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** Label → value rows; values are HTML. */
export function keyValueTable(rows: ReadonlyArray<readonly [label: string, html: string]>): string {
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${v}</td></tr>`).join("")}</tbody></table>`;
}

export function figure(svg: string, caption: string, id: string): string {
  return `<figure id="${escapeHtml(id)}">${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

export function tags(flags: readonly string[]): string {
  return flags.map((f) => `<span class="tag">${escapeHtml(f)}</span>`).join("");
}

export function warningsBox(messages: readonly string[]): string {
  if (messages.length === 0) return "";
  return `<div class="warnings" role="note"><strong>Read with care</strong><ul>${messages.map((m) => `<li>${escapeHtml(m)}</li>`).join("")}</ul></div>`;
}

export function section(id: string, title: string, html: string): string {
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>\n${html}\n</section>`;
}

export function pageHeader(title: string, subtitle: string, links: ReadonlyArray<readonly [id: string, label: string]>): string {
  const nav = links.map(([id, label]) => `<a href="#${escapeHtml(id)}">${escapeHtml(label)}</a>`).join("");
  return `<header><h1>${escapeHtml(title)}</h1><div class="sub">${escapeHtml(subtitle)}</div><nav>${nav}</nav></header>`;
}
