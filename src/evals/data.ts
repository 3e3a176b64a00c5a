// The rows of an eval's data: a JSONL file (streamed line by line, never read whole) or a
// run's inline `file_content`. A row is numbered by its position among the data's rows (the
// output item's `datasource_item_id`, 0-based as the hosted service counts) and located for
// messages ("DATA.jsonl:7"). A line that is not JSON is a row too: it becomes an errored item.

import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { stripBom } from "../util/json-text.js";
import type { Item, Sample } from "../core/rows.js";
import { isJsonObject } from "../util/json-object.js";

export interface DataRow {
  /** 0-based position among the data's rows (blank lines are not rows). */
  index: number;
  /** Where it is, for messages: "DATA.jsonl:7", "RUN.json: /data_source/source/content/3". */
  where: string;
  /** The parsed JSON; absent when the line is not JSON (then `parseError` says why). */
  value?: unknown;
  parseError?: string;
}

/** The rows of a JSONL file, in order; a UTF-8 BOM and "\r\n" line ends are accepted. */
export async function* jsonlRows(file: string, label = file): AsyncGenerator<DataRow> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let lineNo = 0;
  let index = 0;
  for await (const raw of lines) {
    lineNo++;
    const text = lineNo === 1 ? stripBom(raw) : raw;
    if (text.trim() === "") continue;
    const row: DataRow = { index: index++, where: `${label}:${lineNo}` };
    try {
      row.value = JSON.parse(text) as unknown;
    } catch (err) {
      row.parseError = `not valid JSON (${err instanceof Error ? err.message : String(err)})`;
    }
    yield row;
  }
}

/** The rows of an inline `file_content` source. */
export function* contentRows(content: readonly unknown[], label: string, pointer: string): Generator<DataRow> {
  for (let i = 0; i < content.length; i++) yield { index: i, where: `${label}: ${pointer}/${i}`, value: content[i] };
}

export type ParsedDataRow = { item: Item; sample?: Sample } | { error: string };

/**
 * A data row is `{"item": {...}, "sample"?: {...}}` (the `file_content` shape) when its only
 * keys are `item` and `sample` and `item` is an object; any other object is a bare item
 * (decided: so an item may itself have a field called "item").
 */
export function parseDataRow(value: unknown): ParsedDataRow {
  if (!isJsonObject(value)) return { error: "a row must be a JSON object (an item, or {\"item\": {...}, \"sample\"?: {...}})" };
  const keys = Object.keys(value);
  const wrapped = isJsonObject(value.item) && keys.every((k) => k === "item" || k === "sample");
  if (!wrapped) return { item: value };
  if (value.sample !== undefined && !isJsonObject(value.sample)) return { error: "'sample' must be an object" };
  return value.sample === undefined ? { item: value.item as Item } : { item: value.item as Item, sample: value.sample as Sample };
}
