// The input of a run (SAMPLES.jsonl), joined to its rows by line: a run row's `line` is the
// number of the input line it graded. Streamed, and only the lines asked for are parsed, so
// joining the few thousand rows a report shows to a million-line input costs one read of it.

import { rowFromValue, type RowInput } from "../core/rows.js";
import { readLineBatches, type LineSource } from "../util/read-lines.js";

/** An input row as a report shows it. */
export interface SampleView {
  /** sample.output_text (model_sample's text), else the sample as JSON. */
  sample: string;
  /** The item as JSON, or null when the row has none. */
  item: string | null;
  id?: unknown;
}

/** Characters of a sample or item kept for display; the rest is cut with a note. */
export const TEXT_LIMIT = 1000;

/** The text cut to `limit` characters, saying how much was cut. */
export function clip(text: string, limit = TEXT_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}

export function sampleView(row: RowInput, limit = TEXT_LIMIT): SampleView {
  const text = typeof row.sample.output_text === "string" ? row.sample.output_text : JSON.stringify(row.sample);
  const item = Object.keys(row.item).length > 0 ? JSON.stringify(row.item) : null;
  const view: SampleView = { sample: clip(text, limit), item: item === null ? null : clip(item, limit) };
  if (row.id !== undefined) view.id = row.id;
  return view;
}

/**
 * Visit the input rows on the wanted lines (every line when `wanted` is omitted). A line that
 * is not a valid input row is visited with null: the run graded it as a sample_parse_error.
 */
export async function scanSamples(source: LineSource, visit: (line: number, row: RowInput | null) => void, wanted?: ReadonlySet<number>): Promise<void> {
  for await (const batch of readLineBatches(source)) {
    for (let k = 0; k < batch.lines.length; k++) {
      const line = batch.firstLine + k;
      if (wanted && !wanted.has(line)) continue;
      const text = batch.lines[k]!;
      if (text.trim() === "") continue;
      let row: RowInput | null = null;
      try {
        row = rowFromValue(JSON.parse(text), `line ${line}`);
      } catch {
        row = null;
      }
      visit(line, row);
    }
  }
}

export interface JoinedSamples {
  views: Map<number, SampleView>;
  /** Rows whose id differs from their input line's id: is it the input that was graded? */
  idMismatches: number;
}

/** The input rows for the given run rows (line → id, when the run row has one). */
export async function joinSamples(source: LineSource, rows: ReadonlyMap<number, { id?: unknown }>): Promise<JoinedSamples> {
  const views = new Map<number, SampleView>();
  let idMismatches = 0;
  await scanSamples(
    source,
    (line, row) => {
      if (!row) return;
      const view = sampleView(row);
      const runRow = rows.get(line);
      if (runRow && "id" in runRow && JSON.stringify(runRow.id) !== JSON.stringify(row.id)) idMismatches++;
      views.set(line, view);
    },
    new Set(rows.keys()),
  );
  return { views, idMismatches };
}

/** What a user should know about a join. */
export function joinWarnings(join: JoinedSamples, name: string): string[] {
  const out: string[] = [];
  const n = join.idMismatches;
  if (n > 0) out.push(`${name}: ${n} row${n === 1 ? " has" : "s have"} another id than the run row of the same line: is this the input that was graded?`);
  return out;
}
