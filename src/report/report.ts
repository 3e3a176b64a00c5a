// `graderkit report`: what a run did, from its output rows. One streaming pass over RUN.jsonl
// computes the statistics over every row (rewards are kept as doubles, 8 MB per million rows)
// and picks the rows the page's table shows; with an input file, a second streaming pass over
// it fetches the texts of just those rows. The page itself is html/report-page.ts.

import type { ErrorFlag } from "../core/response.js";
import { pointerJoin } from "../util/json-pointer.js";
import type { LineSource } from "../util/read-lines.js";
import { Float64List } from "./float-list.js";
import { fitKept, RowKeeper, type Kept, type KeepGroup } from "./keep.js";
import { summarizeRewards, rewardHistogram, DEFAULT_BINS, type RewardSummary } from "./reward-stats.js";
import { isErrored, runFileWarnings, scanRun, type RunFileInfo, type RunRow } from "./run-rows.js";
import { scriptJsonBytes } from "./html/page.js";
import { clip, joinSamples, joinWarnings, type SampleView } from "./samples.js";
import type { Histogram } from "./stats/describe.js";

/** How many rows the table of a large run keeps, and which. */
export const TABLE_LIMITS = {
  /** Rows in the table at most; runs up to this size are shown whole. */
  rows: 10_000,
  /** The lowest rewards. */
  worst: 1_000,
  /** A uniform sample of the rows with errors. */
  errored: 2_000,
  /** The highest rewards. */
  best: 500,
  /** The "worst rows" list. */
  listed: 20,
  /** Distinct messages shown per error flag. */
  messagesPerFlag: 3,
  /** Bytes of table data at most (its JSON as the page holds it), so a page stays under 20 MB. */
  bytes: 15 * 1024 * 1024,
} as const;

export interface ReportOptions {
  /** RUN.jsonl (a path or an open stream) and the name to call it by. */
  run: LineSource;
  runName: string;
  /** The run's input, joined by line for the texts. */
  input?: LineSource;
  inputName?: string;
  /** The pass threshold (reward >= threshold passes); without one there is no pass rate. */
  threshold?: number | null;
  bins?: number;
  /** Seed of the table's uniform samples (default 0). */
  seed?: number;
  title?: string;
}

/** A row as the report shows it: the run row, and its input when joined. */
export interface ReportRow extends RunRow {
  input?: SampleView;
}

export interface FlagSummary {
  flag: ErrorFlag;
  rows: number;
  /** The first distinct error messages of rows with this flag. */
  messages: string[];
}

export interface SubRewardSummary {
  key: string;
  summary: RewardSummary;
  /** Rows whose error names this child (error.path under /graders/KEY). */
  failed: number;
  histogram: Histogram;
}

export interface ReportModel {
  title: string;
  runName: string;
  inputName: string | null;
  file: RunFileInfo;
  rewards: RewardSummary;
  threshold: number | null;
  passRate: number | null;
  errorRows: number;
  errors: FlagSummary[];
  histogram: Histogram;
  subRewards: SubRewardSummary[];
  /** The lowest rewards, lowest first (ties by line). */
  worst: ReportRow[];
  /** The table's rows, by line, and a note on how they were chosen. */
  table: { rows: ReportRow[]; note: string };
  warnings: string[];
}

/** Characters of an error detail (a traceback) a page keeps. */
const DETAIL_LIMIT = 4000;

/** The table of a large run: the worst rows first, then errored, best, and a uniform sample. */
function tableGroups(seed: number): KeepGroup<RunRow>[] {
  return [
    { name: "worst", size: TABLE_LIMITS.worst, kind: "lowest", key: (r) => r.reward, describe: (c) => `the ${c.shown} lowest rewards` },
    {
      name: "errored",
      size: TABLE_LIMITS.errored,
      kind: "sample",
      accepts: isErrored,
      describe: (c) => (c.candidates === 0 ? null : c.shown === c.candidates ? `all ${c.candidates} rows with errors` : `${c.shown} of the ${c.candidates} rows with errors (a uniform sample)`),
    },
    { name: "best", size: TABLE_LIMITS.best, kind: "lowest", key: (r) => -r.reward, describe: (c) => `the ${c.shown} highest rewards` },
    { name: "sampled", size: TABLE_LIMITS.rows, kind: "sample", accepts: () => true, describe: (c) => (c.added ? `${c.added} more rows sampled uniformly at random (seed ${seed})` : null) },
  ];
}

/** The first distinct messages per flag, preferring lower lines when rows come out of order. */
class FirstMessages {
  private readonly byFlag = new Map<ErrorFlag, Array<{ message: string; line: number }>>();
  add(flag: ErrorFlag, message: string, line: number): void {
    const list = this.byFlag.get(flag) ?? [];
    this.byFlag.set(flag, list);
    const same = list.find((m) => m.message === message);
    if (same) same.line = Math.min(same.line, line);
    else if (list.length < TABLE_LIMITS.messagesPerFlag) list.push({ message, line });
    else {
      const last = list.reduce((a, b) => (b.line > a.line ? b : a));
      if (line < last.line) Object.assign(last, { message, line });
    }
  }
  get(flag: ErrorFlag): string[] {
    return (this.byFlag.get(flag) ?? []).sort((a, b) => a.line - b.line).map((m) => m.message);
  }
}

/** The message of a row's error, for the flag summary. */
function messageOf(row: RunRow): string {
  return clip(row.error?.message ?? Object.values(row.details)[0] ?? "");
}

/** The row as a page shows it: long error messages and details cut like the texts. */
function forDisplay(row: RunRow): ReportRow {
  const details: Record<string, string> = {};
  for (const [k, v] of Object.entries(row.details)) details[k] = clip(v, DETAIL_LIMIT);
  return { ...row, details, error: row.error && { ...row.error, message: clip(row.error.message) } };
}

export async function buildReportModel(options: ReportOptions): Promise<ReportModel> {
  const bins = options.bins ?? DEFAULT_BINS;
  const seed = options.seed ?? 0;
  const threshold = options.threshold ?? null;
  const rewards = new Float64List();
  const subRewards = new Map<string, { values: Float64List; failed: number; prefix: string }>();
  const flagRows = new Map<ErrorFlag, number>();
  const messages = new FirstMessages();
  let errorRows = 0;
  let passed = 0;
  const groups = tableGroups(seed);
  const keeper = new RowKeeper<RunRow>(groups, (r) => r.line, TABLE_LIMITS.rows, seed);

  const file = await scanRun(options.run, options.runName, (row) => {
    rewards.push(row.reward);
    if (threshold !== null && row.reward >= threshold) passed++;
    if (isErrored(row)) {
      errorRows++;
      const message = messageOf(row);
      for (const flag of row.flags) {
        flagRows.set(flag, (flagRows.get(flag) ?? 0) + 1);
        if (message) messages.add(flag, message, row.line);
      }
    }
    if (row.subRewards) {
      for (const [key, value] of Object.entries(row.subRewards)) {
        let sub = subRewards.get(key);
        if (!sub) subRewards.set(key, (sub = { values: new Float64List(), failed: 0, prefix: pointerJoin("/graders", key) }));
        sub.values.push(value);
        const path = row.error?.path;
        if (path !== undefined && (path === sub.prefix || path.startsWith(`${sub.prefix}/`))) sub.failed++;
      }
    }
    keeper.add(row);
  });

  const kept = keeper.result();
  // Display copies, the same copy wherever a row appears (fitKept counts rows by identity).
  const display = new Map<RunRow, ReportRow>(kept.rows.map((r) => [r, forDisplay(r)]));
  const shown: Kept<ReportRow> = {
    ...kept,
    rows: kept.rows.map((r) => display.get(r)!),
    groups: kept.groups.map((g) => ({ ...g, rows: g.rows.map((r) => display.get(r) ?? forDisplay(r)) })),
  };
  const warnings = runFileWarnings(file);
  if (options.input !== undefined) {
    const byLine = new Map<number, ReportRow>(shown.rows.map((r) => [r.line, r]));
    const join = await joinSamples(options.input, byLine);
    for (const [line, view] of join.views) byLine.get(line)!.input = view;
    warnings.push(...joinWarnings(join, options.inputName ?? "input"));
  }
  const table = fitKept<ReportRow>(shown, groups, scriptJsonBytes, TABLE_LIMITS.bytes);
  table.rows.sort((a, b) => a.line - b.line);
  const values = rewards.values();
  const rows = values.length;
  return {
    title: options.title ?? `graderkit report: ${options.runName}`,
    runName: options.runName,
    inputName: options.input !== undefined ? options.inputName ?? "input" : null,
    file,
    rewards: summarizeRewards(values),
    threshold,
    passRate: threshold !== null && rows > 0 ? passed / rows : null,
    errorRows,
    errors: [...flagRows].map(([flag, n]) => ({ flag, rows: n, messages: messages.get(flag) })).sort((a, b) => b.rows - a.rows),
    histogram: rewardHistogram(values, bins),
    subRewards: [...subRewards].map(([key, s]) => ({ key, summary: summarizeRewards(s.values.values()), failed: s.failed, histogram: rewardHistogram(s.values.values(), bins) })),
    worst: shown.rows.slice(0, TABLE_LIMITS.listed),
    table,
    warnings,
  };
}
