// Output rows are the hot path of `graderkit run`: a response has ~25 fields, most of them
// constant (all-false error flags, empty maps). These write the UTF-8 bytes of
// JSON.stringify({line, id, ...response}) (format "full") and
// JSON.stringify({line, id, ...compactResponse(response)}) (format "compact") straight into the
// output's buffers (util/json-bytes), copying the constant parts as bytes.
// test/serialize.test.ts checks the equality on many shapes of rows.

import { raisedErrors } from "../core/compact.js";
import { emptyErrors, type GraderErrors, type RunResponse } from "../core/response.js";
import { utf8Bytes, writtenBytes, type JsonBytes } from "../util/json-bytes.js";

/** The output row formats of `graderkit run --format`. */
export type RowFormat = "full" | "compact";
export const ROW_FORMATS: readonly RowFormat[] = ["full", "compact"];

const CLEAN_ERRORS: GraderErrors = emptyErrors();

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

// The parts of a row that do not change, as bytes.
const LINE = utf8Bytes('{"line":');
const ID = utf8Bytes(',"id":');
const REWARD = utf8Bytes(',"reward":');
const METADATA_NAME = utf8Bytes(',"metadata":{"name":');
const TYPE = utf8Bytes(',"type":');
const ERRORS = utf8Bytes(',"errors":');
const EXECUTION_TIME = utf8Bytes(',"execution_time":');
const SCORES = utf8Bytes(',"scores":');
const TOKEN_USAGE = utf8Bytes(',"token_usage":');
const SAMPLED_MODEL_NAME = utf8Bytes(',"sampled_model_name":');
const SUB_REWARDS_AFTER_METADATA = utf8Bytes('},"sub_rewards":');
const SUB_REWARDS = utf8Bytes(',"sub_rewards":');
const PER_MODEL = utf8Bytes(',"model_grader_token_usage_per_model":');
const ERROR = utf8Bytes(',"error":');
const EMPTY_MAP = utf8Bytes("{}");
const END = utf8Bytes("}");
// Everything after scores when there is no token usage, no sampled model and no sub-rewards.
const PLAIN_TAIL = utf8Bytes(',"token_usage":null,"sampled_model_name":null},"sub_rewards":{},"model_grader_token_usage_per_model":{}}');

/** The metadata from name to execution_time's key. */
function writeMetadataHead(out: JsonBytes, name: string, type: string, errors: GraderErrors): void {
  out.bytes(METADATA_NAME);
  out.string(name);
  out.bytes(TYPE);
  out.string(type);
  out.bytes(ERRORS);
  out.value(errors);
  out.bytes(EXECUTION_TIME);
}

// writeMetadataHead for a clean row of a grader, as bytes, cached for the last name and type (one
// grader per run: the cache always hits).
let metadataHead = { name: "", type: "", bytes: utf8Bytes("") };
function cleanMetadataHead(name: string, type: string): Uint8Array {
  if (metadataHead.name !== name || metadataHead.type !== type || metadataHead.bytes.length === 0) {
    metadataHead = { name, type, bytes: writtenBytes((out) => writeMetadataHead(out, name, type, CLEAN_ERRORS)) };
  }
  return metadataHead.bytes;
}

function map(out: JsonBytes, o: object): void {
  if (isEmpty(o)) out.bytes(EMPTY_MAP);
  else out.value(o);
}

function head(out: JsonBytes, line: number, id: unknown): void {
  out.bytes(LINE);
  out.count(line);
  if (id !== undefined) {
    out.bytes(ID);
    out.value(id);
  }
}

/** Write one row in the full format (no newline): the bytes of JSON.stringify({line, id, ...response}). */
export function writeRow(out: JsonBytes, line: number, id: unknown, res: RunResponse): void {
  const md = res.metadata;
  head(out, line, id);
  out.bytes(REWARD);
  out.number(res.reward);
  if (isClean(md.errors)) out.bytes(cleanMetadataHead(md.name, md.type));
  else writeMetadataHead(out, md.name, md.type, md.errors);
  out.number(md.execution_time);
  out.bytes(SCORES);
  map(out, md.scores);
  if (md.token_usage === null && md.sampled_model_name === null && isEmpty(res.sub_rewards) && isEmpty(res.model_grader_token_usage_per_model) && res.error === undefined) {
    out.bytes(PLAIN_TAIL);
    return;
  }
  out.bytes(TOKEN_USAGE);
  out.value(md.token_usage);
  out.bytes(SAMPLED_MODEL_NAME);
  out.value(md.sampled_model_name);
  out.bytes(SUB_REWARDS_AFTER_METADATA);
  map(out, res.sub_rewards);
  out.bytes(PER_MODEL);
  map(out, res.model_grader_token_usage_per_model);
  if (res.error !== undefined) {
    out.bytes(ERROR);
    out.value(res.error);
  }
  out.bytes(END);
}

/** Write one compact row (no newline): reward, sub_rewards for multi only, errors and error only when something went wrong. */
export function writeCompactRow(out: JsonBytes, line: number, id: unknown, res: RunResponse): void {
  head(out, line, id);
  out.bytes(REWARD);
  out.number(res.reward);
  if (res.metadata.type === "multi") {
    out.bytes(SUB_REWARDS);
    map(out, res.sub_rewards);
  }
  if (!isClean(res.metadata.errors)) {
    out.bytes(ERRORS);
    out.value(raisedErrors(res.metadata.errors));
  }
  if (res.error !== undefined) {
    out.bytes(ERROR);
    out.value(res.error);
  }
  out.bytes(END);
}

/** Writes one row in a format, without its newline (the caller ends the record). */
export type RowWriter = (out: JsonBytes, line: number, id: unknown, res: RunResponse) => void;

export function rowWriter(format: RowFormat): RowWriter {
  return format === "compact" ? writeCompactRow : writeRow;
}

/** One row's text, without its newline (tests, and one-off rows). */
export function rowText(format: RowFormat, line: number, id: unknown, res: RunResponse): string {
  return writtenBytes((out) => rowWriter(format)(out, line, id, res)).toString("utf8");
}
