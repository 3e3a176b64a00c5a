// How a run row reads on a page, shared by the report and the diff: its id as text, its input's
// texts, and the detail view's extra fields (error path, error details, sub-rewards).

import type { RunRow } from "../run-rows.js";
import type { SampleView } from "../samples.js";

/** An id as shown: strings as they are, other JSON values as JSON; null when there is none. */
export function idText(id: unknown): string | null {
  if (id === undefined) return null;
  return typeof id === "string" ? id : JSON.stringify(id);
}

/** [sample, item] texts of a joined input row (null where there is none). */
export function sampleCells(input: SampleView | undefined): [string | null, string | null] {
  return [input?.sample ?? null, input?.item ?? null];
}

/** Fields the detail view shows beyond the table's columns. */
export function rowExtra(row: RunRow): Record<string, string> | null {
  const extra: Record<string, string> = {};
  if (row.error) {
    extra["error flag"] = row.error.flag;
    if (row.error.path) extra["error path"] = row.error.path;
  }
  for (const [k, v] of Object.entries(row.details)) extra[k] = v;
  if (row.subRewards) extra["sub_rewards"] = JSON.stringify(row.subRewards, null, 1);
  return Object.keys(extra).length ? extra : null;
}
