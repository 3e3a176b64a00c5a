// Output rows are the hot path of `graderkit run`: a response has ~25 fields, most of them
// constant (all-false error flags, empty maps). These write the same bytes as
// JSON.stringify({line, id, ...response}) (format "full") and
// JSON.stringify({line, id, ...compactResponse(response)}) (format "compact") without walking
// the constant parts each time. test/serialize.test.ts checks the equality on many shapes of rows.

import { raisedErrors } from "../core/compact.js";
import { emptyErrors, type GraderErrors, type RunResponse } from "../core/response.js";

/** The output row formats of `graderkit run --format`. */
export type RowFormat = "full" | "compact";
export const ROW_FORMATS: readonly RowFormat[] = ["full", "compact"];

export type RowSerializer = (line: number, id: unknown, res: RunResponse) => string;

const CLEAN_ERRORS: GraderErrors = emptyErrors();
const CLEAN_ERRORS_JSON = JSON.stringify(CLEAN_ERRORS);

function number(x: number): string {
  return Number.isFinite(x) ? String(x) : "null";
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

// Unrolled on purpose: this runs once per output row. Responses always carry exactly the keys
// of emptyErrors(), in that order (graders only set known flags).
/** No flag raised and no detail set: the errors of almost every row. */
export function isClean(e: GraderErrors): boolean {
  return !e.formula_parse_error && !e.sample_parse_error && !e.truncated_observation_error &&
    !e.unresponsive_reward_error && !e.invalid_variable_error && !e.other_error &&
    !e.python_grader_server_error && e.python_grader_server_error_type === null &&
    !e.python_grader_runtime_error && e.python_grader_runtime_error_details === null &&
    !e.model_grader_server_error && !e.model_grader_refusal_error && !e.model_grader_parse_error &&
    e.model_grader_server_error_details === null;
}

const mapJson = (o: object) => (isEmpty(o) ? "{}" : JSON.stringify(o));

function head(line: number, id: unknown): string {
  return id === undefined ? '{"line":' + line : '{"line":' + line + ',"id":' + JSON.stringify(id);
}

/**
 * A string V8 stores flat. The constant parts below are reused in every row; kept as ropes
 * (what `+` builds) they would be walked node by node each time a block of rows is encoded, which
 * cost more than building them (~1 µs a row).
 */
const flat = (s: string) => Buffer.from(s, "utf8").toString("utf8");

// The metadata up to execution_time for a clean row of a grader, cached for the last name and type
// (one grader per run: the cache always hits).
let metadataHead = { name: "", type: "", clean: "" };
function cleanMetadataHead(name: string, type: string): string {
  if (metadataHead.name !== name || metadataHead.type !== type || metadataHead.clean === "") {
    const clean = flat(',"metadata":{"name":' + JSON.stringify(name) + ',"type":' + JSON.stringify(type) + ',"errors":' + CLEAN_ERRORS_JSON + ',"execution_time":');
    metadataHead = { name, type, clean };
  }
  return metadataHead.clean;
}

// Everything after scores when there is no token usage, no sampled model and no sub-rewards.
const PLAIN_TAIL = flat(',"token_usage":null,"sampled_model_name":null},"sub_rewards":{},"model_grader_token_usage_per_model":{}');

export function serializeRow(line: number, id: unknown, res: RunResponse): string {
  const md = res.metadata;
  let s = head(line, id) + ',"reward":' + number(res.reward);
  if (isClean(md.errors)) s += cleanMetadataHead(md.name, md.type);
  else s += ',"metadata":{"name":' + JSON.stringify(md.name) + ',"type":' + JSON.stringify(md.type) + ',"errors":' + JSON.stringify(md.errors) + ',"execution_time":';
  s += number(md.execution_time) + ',"scores":' + mapJson(md.scores);
  if (md.token_usage === null && md.sampled_model_name === null && isEmpty(res.sub_rewards) && isEmpty(res.model_grader_token_usage_per_model)) s += PLAIN_TAIL;
  else {
    s +=
      ',"token_usage":' + (md.token_usage === null ? "null" : JSON.stringify(md.token_usage)) +
      ',"sampled_model_name":' + (md.sampled_model_name === null ? "null" : JSON.stringify(md.sampled_model_name)) +
      '},"sub_rewards":' + mapJson(res.sub_rewards) +
      ',"model_grader_token_usage_per_model":' + mapJson(res.model_grader_token_usage_per_model);
  }
  if (res.error !== undefined) s += ',"error":' + JSON.stringify(res.error);
  return s + "}";
}

/** The compact row: reward, sub_rewards for multi only, errors and error only when something went wrong. */
export function serializeCompactRow(line: number, id: unknown, res: RunResponse): string {
  let s = head(line, id) + ',"reward":' + number(res.reward);
  if (res.metadata.type === "multi") s += ',"sub_rewards":' + mapJson(res.sub_rewards);
  if (!isClean(res.metadata.errors)) s += ',"errors":' + JSON.stringify(raisedErrors(res.metadata.errors));
  if (res.error !== undefined) s += ',"error":' + JSON.stringify(res.error);
  return s + "}";
}

export function rowSerializer(format: RowFormat): RowSerializer {
  return format === "compact" ? serializeCompactRow : serializeRow;
}
