// The one script of a report page: the row table's sorting, filtering, paging and detail view.
// It is written here as a function so the compiler checks it, and inlined into the page as
// `(${rowTableScript})()` (page.ts), which is why it may use nothing outside its own body. It
// reads the table's data from a <script type="application/json"> block and builds the rows
// with DOM calls (textContent only: a sample's text can never become markup).
//
// The few DOM types it uses are declared below rather than by the "dom" lib, which would give
// every module of the program browser globals (and change the types of Node's own fetch).

interface DomEvent {
  key: string;
}

interface DomElement {
  textContent: string | null;
  hidden: boolean;
  className: string;
  title: string;
  tabIndex: number;
  value: string;
  type: string;
  readonly dataset: Record<string, string | undefined>;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  addEventListener(type: string, listener: (event: DomEvent) => void): void;
  appendChild(child: DomElement | DomFragment): void;
  append(...children: DomElement[]): void;
  replaceChildren(...children: Array<DomElement | DomFragment>): void;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  focus(): void;
}

interface DomFragment {
  appendChild(child: DomElement): void;
}

declare const document: {
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  createElement(tag: string): DomElement;
  createDocumentFragment(): DomFragment;
  addEventListener(type: string, listener: (event: DomEvent) => void): void;
};

/** The table data a page embeds (see TableData in table.ts). */
interface ClientTable {
  columns: Array<{ key: string; label: string; type: "number" | "text" | "tags" }>;
  rows: unknown[][];
  tags: string[];
  rowTags: number[][];
  extra: Array<Record<string, string> | null>;
  pageSize: number;
}

export function rowTableScript(): void {
  const roots = Array.from(document.querySelectorAll("[data-row-table]"));
  for (const root of roots) setUp(root);

  function formatNumber(v: unknown): string {
    if (typeof v !== "number") return v === null || v === undefined ? "" : String(v);
    return Number.isInteger(v) ? String(v) : v.toFixed(4);
  }

  function cellText(v: unknown): string {
    if (v === null || v === undefined) return "";
    return typeof v === "string" ? v : JSON.stringify(v);
  }

  function setUp(root: DomElement): void {
    const data = JSON.parse(root.querySelector("script[type='application/json']")!.textContent!) as ClientTable;
    const table = root.querySelector("table")!;
    const tbody = table.querySelector("tbody")!;
    const filter = root.querySelector("select[data-filter]")!;
    const search = root.querySelector("input[data-search]")!;
    const count = root.querySelector("[data-count]")!;
    const more = root.querySelector("button[data-more]")!;
    const detail = root.querySelector("[data-detail]")!;
    const headers = Array.from(table.querySelectorAll("thead th"));
    const textColumns = data.columns.map((c, i) => (c.type === "text" ? i : -1)).filter((i) => i >= 0);

    let sortColumn = -1;
    let descending = false;
    let shown = data.pageSize;
    let visible: number[] = [];

    // Filter choices, with the number of rows each selects.
    const tagCounts = data.tags.map(() => 0);
    for (const tags of data.rowTags) for (const t of tags) tagCounts[t]!++;
    data.tags.forEach((tag, i) => {
      const option = document.createElement("option");
      option.value = String(i);
      option.textContent = `${tag} (${tagCounts[i]})`;
      filter.appendChild(option);
    });

    function compare(a: number, b: number): number {
      const x = data.rows[a]![sortColumn];
      const y = data.rows[b]![sortColumn];
      // Missing values sort last whichever the direction.
      if (x === null || x === undefined) return y === null || y === undefined ? a - b : 1;
      if (y === null || y === undefined) return -1;
      let c: number;
      if (typeof x === "number" && typeof y === "number") c = x - y;
      else c = cellText(x).localeCompare(cellText(y), undefined, { numeric: true });
      return (descending ? -c : c) || a - b;
    }

    function refresh(): void {
      const tag = filter.value === "" ? -1 : Number(filter.value);
      const needle = search.value.trim().toLowerCase();
      visible = [];
      for (let i = 0; i < data.rows.length; i++) {
        if (tag >= 0 && !data.rowTags[i]!.includes(tag)) continue;
        if (needle && !textColumns.some((c) => cellText(data.rows[i]![c]).toLowerCase().includes(needle))) continue;
        visible.push(i);
      }
      if (sortColumn >= 0) visible.sort(compare);
      render();
    }

    function render(): void {
      const fragment = document.createDocumentFragment();
      for (const i of visible.slice(0, shown)) fragment.appendChild(rowElement(i));
      tbody.replaceChildren(fragment);
      count.textContent = `${visible.length} of ${data.rows.length} rows${visible.length > shown ? `, the first ${shown} shown` : ""}`;
      more.hidden = visible.length <= shown;
    }

    function rowElement(i: number): DomElement {
      const tr = document.createElement("tr");
      tr.tabIndex = 0;
      tr.dataset.row = String(i);
      data.columns.forEach((column, c) => {
        const td = document.createElement("td");
        const v = data.rows[i]![c];
        if (column.type === "tags") {
          for (const tag of (v as string[] | null) ?? []) {
            const chip = document.createElement("span");
            chip.className = "tag";
            chip.textContent = tag;
            td.appendChild(chip);
          }
        } else if (column.type === "number") {
          td.className = "num";
          td.textContent = formatNumber(v);
        } else {
          td.className = "text";
          td.textContent = cellText(v);
          td.title = cellText(v).slice(0, 500);
        }
        tr.appendChild(td);
      });
      tr.addEventListener("click", () => showDetail(i));
      tr.addEventListener("keydown", (e) => {
        if (e.key === "Enter") showDetail(i);
      });
      return tr;
    }

    function showDetail(i: number): void {
      const list = document.createElement("dl");
      const add = (label: string, value: string) => {
        if (value === "") return;
        const dt = document.createElement("dt");
        dt.textContent = label;
        const dd = document.createElement("dd");
        dd.textContent = value;
        list.append(dt, dd);
      };
      data.columns.forEach((column, c) => {
        const v = data.rows[i]![c];
        add(column.label, column.type === "tags" ? ((v as string[] | null) ?? []).join(", ") : column.type === "number" ? cellText(v) : cellText(v));
      });
      for (const [label, value] of Object.entries(data.extra[i] ?? {})) add(label, value);
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.addEventListener("click", () => (detail.hidden = true));
      const title = document.createElement("h3");
      title.textContent = `Row ${cellText(data.rows[i]![0])}`;
      detail.replaceChildren(title, list, close);
      detail.hidden = false;
      close.focus();
    }

    headers.forEach((th, c) => {
      th.tabIndex = 0;
      const sortBy = () => {
        descending = sortColumn === c ? !descending : false;
        sortColumn = c;
        headers.forEach((h, k) => h.setAttribute("aria-sort", k === c ? (descending ? "descending" : "ascending") : "none"));
        refresh();
      };
      th.addEventListener("click", sortBy);
      th.addEventListener("keydown", (e) => {
        if (e.key === "Enter") sortBy();
      });
    });
    filter.addEventListener("change", () => {
      shown = data.pageSize;
      refresh();
    });
    search.addEventListener("input", () => {
      shown = data.pageSize;
      refresh();
    });
    more.addEventListener("click", () => {
      shown += data.pageSize;
      render();
    });
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape") detail.hidden = true;
    });
    root.querySelector("[data-needs-script]")?.removeAttribute("hidden");
    refresh();
  }
}
