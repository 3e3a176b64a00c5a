// Samples, items and input rows: the rows of `graderkit run`, the graders/run API body, and the
// sample a run-API `model_sample` string stands for. Every layer that takes rows uses these.
// Parsing a row never throws: a bad line becomes a sample_parse_error row naming the line.

import { GradingFailure } from "./response.js";
import { isJsonObject } from "../util/json-object.js";

/** What the model produced (spec §2: output_text, output_json, output_tools, choices, output_audio). */
export type Sample = Record<string, unknown>;
/** The dataset row a sample is graded against ({{ item.* }}). */
export type Item = Record<string, unknown>;

export interface RowInput {
  id?: unknown;
  sample: Sample;
  item: Item;
}

/**
 * A run-API model_sample string fills output_text, and output_json when the text parses as a
 * JSON object or array (spec §2; primitives like "42" stay text only — decided).
 */
export function sampleFromModelSample(text: string): Sample {
  const sample: Sample = { output_text: text };
  const t = text.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null) sample.output_json = parsed;
    } catch {
      // Not JSON: output_text only.
    }
  }
  return sample;
}

/** Interpret an already-parsed row object; throws GradingFailure(sample_parse_error). */
export function rowFromValue(value: unknown, where: string): RowInput {
  if (!isJsonObject(value)) throw new GradingFailure("sample_parse_error", `${where}: a row must be a JSON object`);
  const item = value.item ?? {};
  if (!isJsonObject(item)) throw new GradingFailure("sample_parse_error", `${where}: 'item' must be an object`, "/item");
  let sample: Sample;
  if (value.sample !== undefined) {
    if (!isJsonObject(value.sample)) throw new GradingFailure("sample_parse_error", `${where}: 'sample' must be an object`, "/sample");
    sample = value.sample;
  } else if (value.model_sample !== undefined) {
    if (typeof value.model_sample !== "string") {
      throw new GradingFailure("sample_parse_error", `${where}: 'model_sample' must be a string`, "/model_sample");
    }
    sample = sampleFromModelSample(value.model_sample);
  } else {
    throw new GradingFailure("sample_parse_error", `${where}: the row has neither 'sample' nor 'model_sample'`);
  }
  return value.id === undefined ? { sample, item } : { id: value.id, sample, item };
}

/** Parse one JSONL line into a row; throws GradingFailure(sample_parse_error) with the line named. */
export function parseRow(text: string, where: string): RowInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new GradingFailure("sample_parse_error", `${where}: not valid JSON (${reason})`);
  }
  return rowFromValue(value, where);
}

/** Best effort: the id of a row, even one that failed to parse as a row. */
export function idOf(text: string): unknown {
  try {
    const v: unknown = JSON.parse(text);
    return isJsonObject(v) ? v.id : undefined;
  } catch {
    return undefined;
  }
}
