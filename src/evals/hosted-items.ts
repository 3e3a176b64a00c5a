// Hosted `eval.run.output_item` rows, for re-grading: the item is `datasource_item`, the sample
// the graders see is rebuilt from `sample.output` (the messages the model answered with), and
// the hosted results are kept to compare with.

import { sampleFromModelSample, type Item, type Sample } from "../core/rows.js";
import { isJsonObject } from "../util/json-object.js";

export interface HostedResult {
  name: string;
  score: number | null;
  passed: boolean | null;
}

export interface HostedItem {
  item: Item;
  sample: Sample;
  /** The output item's `sample` object as exported (kept in the local output item). */
  rawSample: Record<string, unknown>;
  datasourceItemId: number | null;
  status: string | null;
  results: HostedResult[];
  /** Why the item cannot be re-graded (no datasource_item, no output, a hosted sampling error). */
  unusable?: string;
}

/** The text of a message's content: a string, or the text parts of a content array. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p) => (isJsonObject(p) && typeof p.text === "string" ? p.text : "")).join("");
}

/**
 * The graders' sample for a hosted output item's `sample.output`: output_text is the text of
 * the output messages (joined), output_json is set when that text is a JSON object or array
 * (the model_sample rule), output_tools collects the messages' tool_calls when there are any.
 */
export function sampleFromOutputMessages(output: readonly unknown[]): Sample {
  const messages = output.filter(isJsonObject);
  const sample = sampleFromModelSample(messages.map((m) => contentText(m.content)).join(""));
  const tools = messages.flatMap((m) => (Array.isArray(m.tool_calls) ? m.tool_calls : []));
  if (tools.length > 0) sample.output_tools = tools;
  return sample;
}

function hostedResults(results: unknown): HostedResult[] {
  if (!Array.isArray(results)) return [];
  return results.filter(isJsonObject).flatMap((r) =>
    typeof r.name === "string"
      ? [{ name: r.name, score: typeof r.score === "number" ? r.score : null, passed: typeof r.passed === "boolean" ? r.passed : null }]
      : [],
  );
}

function unusableReason(value: Record<string, unknown>): string | undefined {
  if (value.object !== undefined && value.object !== "eval.run.output_item") {
    return `not an output item (object ${JSON.stringify(value.object)}, expected "eval.run.output_item")`;
  }
  if (!isJsonObject(value.datasource_item)) return "the output item has no 'datasource_item' object";
  if (!isJsonObject(value.sample)) return "the output item has no 'sample' object";
  const hostedError = value.sample.error;
  if (isJsonObject(hostedError) && (hostedError.code || hostedError.message)) {
    return `the hosted sample has an error (${String(hostedError.code ?? "")}: ${String(hostedError.message ?? "")}): there is no output to grade`;
  }
  if (!Array.isArray(value.sample.output)) return "the output item's sample has no 'output' messages";
  return undefined;
}

/** A hosted output item (with `unusable` saying why when it cannot be re-graded), or an error for a row that is not an object. */
export function parseHostedItem(value: unknown): HostedItem | { error: string } {
  if (!isJsonObject(value)) return { error: "an output item must be a JSON object" };
  const unusable = unusableReason(value);
  const rawSample = isJsonObject(value.sample) ? value.sample : {};
  return {
    item: isJsonObject(value.datasource_item) ? value.datasource_item : {},
    sample: unusable === undefined ? sampleFromOutputMessages(rawSample.output as unknown[]) : {},
    rawSample,
    datasourceItemId: typeof value.datasource_item_id === "number" ? value.datasource_item_id : null,
    status: typeof value.status === "string" ? value.status : null,
    results: hostedResults(value.results),
    ...(unusable !== undefined ? { unusable } : {}),
  };
}
