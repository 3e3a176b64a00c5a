// Which rows a page shows when a run is too large to show them all: a few groups chosen while
// the rows stream past, in constant memory. A "lowest" group keeps the k rows with the lowest
// key (ties by line: a bounded heap); a "sample" group keeps a uniform random sample of the
// rows it accepts (reservoir sampling, seeded, so the same run and seed show the same rows).
// The groups are merged in priority order up to a total, so a row is shown once and the
// worst rows, say, are never crowded out by the uniform sample.

import { SeededRandom } from "../util/random.js";

export interface GroupCounts {
  /** The group's rows in the table, wherever they came from. */
  shown: number;
  /** Rows in the table through this group and no earlier one. */
  added: number;
  /** Rows the group chose from: every row for a lowest group, those it accepts for a sample. */
  candidates: number;
}

interface GroupBase {
  name: string;
  size: number;
  /** How the page says what the group contributed (null: nothing to say). */
  describe: (counts: GroupCounts) => string | null;
}

export type KeepGroup<T> =
  | (GroupBase & { kind: "lowest"; key: (row: T) => number })
  | (GroupBase & { kind: "sample"; accepts: (row: T) => boolean });

interface Keyed<T> {
  row: T;
  key: number;
  line: number;
}

/** a before b: lower key, then lower line. */
const before = <T>(a: Keyed<T>, b: Keyed<T>) => a.key < b.key || (a.key === b.key && a.line < b.line);

/** The k lowest (key, line) entries seen: a max-heap whose top is the one to drop next. */
class LowestK<T> {
  private readonly heap: Keyed<T>[] = [];
  constructor(private readonly k: number) {}

  add(entry: Keyed<T>): void {
    const h = this.heap;
    if (this.k === 0) return;
    if (h.length < this.k) {
      h.push(entry);
      this.up(h.length - 1);
    } else if (before(entry, h[0]!)) {
      h[0] = entry;
      this.down(0);
    }
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[parent]!, h[i]!)) return;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < h.length && before(h[top]!, h[l]!)) top = l;
      if (r < h.length && before(h[top]!, h[r]!)) top = r;
      if (top === i) return;
      [h[top], h[i]] = [h[i]!, h[top]!];
      i = top;
    }
  }

  /** Lowest first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0)).map((e) => e.row);
  }
}

/** A uniform sample of `size` rows (Algorithm R). */
class Reservoir<T> {
  private readonly rows: T[] = [];
  private seen = 0;
  constructor(
    private readonly size: number,
    private readonly random: SeededRandom,
  ) {}

  add(row: T): void {
    if (this.rows.length < this.size) this.rows.push(row);
    else {
      const j = this.random.nextIndex(this.seen + 1);
      if (j < this.size) this.rows[j] = row;
    }
    this.seen++;
  }

  /** Rows accepted so far (not only those kept). */
  get offered(): number {
    return this.seen;
  }

  /**
   * The sample in random order (a seeded shuffle): slots are filled in arrival order, so a
   * prefix of the unshuffled reservoir would favour early rows; any prefix of this is uniform.
   */
  sample(): T[] {
    const out = [...this.rows];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.random.nextIndex(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

export interface KeptGroup<T> {
  name: string;
  /** The group's rows, in its order: lowest key first, or as sampled. */
  rows: T[];
  /** How many rows the group considered: every row for a lowest group, those it accepts for a sample. */
  candidates: number;
}

export interface Kept<T> {
  /** Every row seen. */
  total: number;
  groups: KeptGroup<T>[];
  /** The union of the groups, in priority order, at most `limit` rows, each once. */
  rows: T[];
  /** The group (index into groups) through which each of rows was kept. */
  via: number[];
}

export class RowKeeper<T> {
  private readonly lowest: Array<LowestK<T> | null>;
  private readonly reservoirs: Array<Reservoir<T> | null>;
  private total = 0;

  constructor(
    private readonly groups: readonly KeepGroup<T>[],
    private readonly lineOf: (row: T) => number,
    /** The most rows the union may hold. */
    private readonly limit: number,
    seed = 0,
  ) {
    // One generator per sample group, so adding a group does not change another's sample.
    this.lowest = groups.map((g) => (g.kind === "lowest" ? new LowestK<T>(g.size) : null));
    this.reservoirs = groups.map((g, i) => (g.kind === "sample" ? new Reservoir<T>(g.size, new SeededRandom((seed + i) >>> 0)) : null));
  }

  add(row: T): void {
    this.total++;
    const line = this.lineOf(row);
    for (let i = 0; i < this.groups.length; i++) {
      const g = this.groups[i]!;
      if (g.kind === "lowest") this.lowest[i]!.add({ row, key: g.key(row), line });
      else if (g.accepts(row)) this.reservoirs[i]!.add(row);
    }
  }

  result(): Kept<T> {
    const groups: KeptGroup<T>[] = this.groups.map((g, i) =>
      g.kind === "lowest"
        ? { name: g.name, rows: this.lowest[i]!.sorted(), candidates: this.total }
        : { name: g.name, rows: this.reservoirs[i]!.sample(), candidates: this.reservoirs[i]!.offered },
    );
    const taken = new Set<T>();
    const rows: T[] = [];
    const via: number[] = [];
    groups.forEach((g, i) => {
      for (const row of g.rows) {
        if (rows.length >= this.limit) return;
        if (taken.has(row)) continue;
        taken.add(row);
        rows.push(row);
        via.push(i);
      }
    });
    return { total: this.total, groups, rows, via };
  }
}

/**
 * Keep the first rows of `kept.rows` (priority order) whose estimated sizes fit in `budget`
 * bytes, and say which rows the result holds: "All 60 rows." or "10000 of 1000000 rows: the
 * 1000 lowest rewards, ...".
 */
export function fitKept<T>(kept: Kept<T>, groups: readonly KeepGroup<T>[], sizeOf: (row: T) => number, budget: number): { rows: T[]; note: string } {
  const rows: T[] = [];
  const added = groups.map(() => 0);
  let used = 0;
  for (let i = 0; i < kept.rows.length; i++) {
    const size = sizeOf(kept.rows[i]!);
    if (used + size > budget && rows.length > 0) break;
    used += size;
    rows.push(kept.rows[i]!);
    added[kept.via[i]!]!++;
  }
  if (rows.length === kept.total) return { rows, note: `All ${kept.total} rows.` };
  const inTable = new Set(rows);
  const parts = groups.flatMap((g, i) => {
    const group = kept.groups[i]!;
    const text = g.describe({ shown: group.rows.filter((r) => inTable.has(r)).length, added: added[i]!, candidates: group.candidates });
    return text ? [text] : [];
  });
  const cut = rows.length < kept.rows.length ? " (fewer than the table holds, to keep the page small: the rows have long texts)" : "";
  return { rows, note: `${rows.length} of ${kept.total} rows${cut}: ${parts.join(", ")}. Every number above is over all ${kept.total} rows.` };
}
