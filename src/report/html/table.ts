// The interactive row table: its data (columns, cell values, filter tags, per-row details) as a
// JSON block, and the markup the page's script (client.ts) brings to life. Without JavaScript
// the controls stay hidden and a note says what needs the script.

import { escapeHtml, scriptJson } from "./page.js";

export interface TableColumn {
  key: string;
  label: string;
  type: "number" | "text" | "tags";
}

export interface TableData {
  columns: TableColumn[];
  /** One array of cell values per row, in column order. */
  rows: unknown[][];
  /** The filter's choices. */
  tags: string[];
  /** Per row, indexes into tags. */
  rowTags: number[][];
  /** Per row, more fields for the detail view (label → text). */
  extra: Array<Record<string, string> | null>;
  pageSize: number;
}

export const PAGE_SIZE = 200;

/** Tags as indexes, collecting the tag names in order of first use. */
export class TagIndex {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(first: readonly string[] = []) {
    for (const t of first) this.of(t);
  }
  of(tag: string): number {
    let i = this.index.get(tag);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(tag);
      this.index.set(tag, i);
    }
    return i;
  }
}

/** The table and its controls; `note` says which rows it holds. */
export function rowTable(data: TableData, options: { id: string; note: string }): string {
  const head = data.columns.map((c) => `<th scope="col"${c.type === "number" ? ' class="num"' : ""} aria-sort="none">${escapeHtml(c.label)}</th>`).join("");
  return `<div class="rows" id="${escapeHtml(options.id)}" data-row-table>
<p class="note">${escapeHtml(options.note)}</p>
<noscript><p class="note">Sorting, filtering and the row details need JavaScript; everything above this table does not.</p></noscript>
<div class="controls" data-needs-script hidden>
<label>Show <select data-filter><option value="">every row</option></select></label>
<label>Search <input type="search" data-search placeholder="id, text or message"></label>
<span data-count aria-live="polite"></span>
</div>
<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody></tbody></table></div>
<button type="button" data-more hidden>Show more</button>
<aside class="detail" data-detail hidden aria-label="row details"></aside>
<script type="application/json">${scriptJson(data)}</script>
</div>`;
}
