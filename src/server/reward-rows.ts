// The rows of a reward batch: parse them, check each against the request limits, grade, and
// serialize the answer's pieces. The same functions run in a pool worker (CPU-bound graders),
// on the main thread with --workers 0, and for executor-backed graders (python, models), so every
// path gives the same bytes.
//
// A row's problems are the row's, never the request's: a row that is not a row object, or that is
// over a limit, gets reward 0 and sample_parse_error like a bad line of `graderkit run` (a trainer
// retrying a whole batch for one bad completion would fail the same way five times). Only text
// that is not JSON makes the request fail (RowsSyntaxError → 400).

import { compactResponse } from "../core/compact.js";
import type { Executors } from "../core/executors.js";
import { ERROR_FLAGS, GradingFailure, type ErrorFlag, type RunResponse } from "../core/response.js";
import { gradeValue } from "../engine/grade-row.js";
import { failedResponse } from "../graders/run.js";
import type { CompiledGrader } from "../graders/types.js";
import { arrayElementSpans, JsonSpanError } from "../util/json-spans.js";
import { limitViolation, type ValueLimits } from "./body-limits.js";

export type RewardFormat = "compact" | "full";
export const REWARD_FORMATS: readonly RewardFormat[] = ["compact", "full"];

/** Consecutive rows of a request, still text: what one pool task grades. */
export interface RowsChunk {
  /** UTF-8 text from the first row's start to the last row's end (separators included). */
  bytes: Uint8Array;
  /** The request index of the chunk's first row (rows are named /rows/N). */
  firstIndex: number;
}

/** The answer's pieces for a run of rows, in row order. */
export interface GradedChunk {
  /** The rows' JSON (compact or full responses), joined by ",". */
  rows: string;
  /** The rewards' JSON numbers, joined by ",". */
  rewards: string;
  count: number;
  /** Per flag, how many rows raised it (the /metrics counters). */
  flags: Partial<Record<ErrorFlag, number>>;
}

/** Text of the rows that is not JSON: the request is refused (400) naming the row. */
export class RowsSyntaxError extends Error {
  constructor(
    message: string,
    /** "/rows/N" */
    readonly param: string,
  ) {
    super(message);
    this.name = "RowsSyntaxError";
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const OPEN = new Uint8Array([0x5b]);

/** The row values of a chunk; RowsSyntaxError names the first row whose text is not JSON. */
export function parseChunk(chunk: RowsChunk): unknown[] {
  try {
    return JSON.parse(`[${strictUtf8.decode(chunk.bytes)}]`) as unknown[];
  } catch {
    throw firstBadRow(chunk);
  }
}

/** The slow path of parseChunk: parse the rows one by one to name the culprit. */
function firstBadRow(chunk: RowsChunk): RowsSyntaxError {
  const bracketed = new Uint8Array(chunk.bytes.length + 2);
  bracketed.set(OPEN);
  bracketed.set(chunk.bytes, 1);
  bracketed[bracketed.length - 1] = 0x5d;
  let spans;
  try {
    spans = arrayElementSpans(bracketed, { start: 0, end: bracketed.length });
  } catch (err) {
    const at = err instanceof JsonSpanError ? ` (${err.message})` : "";
    return new RowsSyntaxError(`the rows from /rows/${chunk.firstIndex} are not valid JSON${at}`, `/rows/${chunk.firstIndex}`);
  }
  for (let k = 0; k < spans.length; k++) {
    const param = `/rows/${chunk.firstIndex + k}`;
    let text: string;
    try {
      text = strictUtf8.decode(bracketed.subarray(spans[k]!.start, spans[k]!.end));
    } catch {
      return new RowsSyntaxError(`${param} is not valid UTF-8`, param);
    }
    try {
      JSON.parse(text);
    } catch (err) {
      return new RowsSyntaxError(`${param} is not valid JSON: ${(err as Error).message}`, param);
    }
  }
  return new RowsSyntaxError(`the rows from /rows/${chunk.firstIndex} are not valid JSON`, `/rows/${chunk.firstIndex}`);
}

function rowId(value: unknown): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as { id?: unknown }).id : undefined;
}

/**
 * Grade one row value. A row over a limit is a sample_parse_error row naming the field; anything
 * else is `graderkit run`'s row handling (core/rows, then the one grading mechanism).
 */
function gradeRow(grader: CompiledGrader, value: unknown, index: number, executors: Executors, limits: ValueLimits): RunResponse | Promise<RunResponse> {
  const over = limitViolation(value, limits, `/rows/${index}`);
  if (over) return failedResponse(grader.name, grader.type, new GradingFailure("sample_parse_error", over.message, over.pointer));
  const graded = gradeValue(grader, value, index, executors);
  return graded instanceof Promise ? graded.then((g) => g.response) : graded.response;
}

function number(x: number): string {
  return Number.isFinite(x) ? String(x) : "null";
}

/** One row of the answer: the compact form (`run --format compact`) or the full graders/run response, with the row's id first when it has one. */
export function rowJson(response: RunResponse, id: unknown, format: RewardFormat): string {
  const body = format === "compact" ? compactResponse(response) : response;
  return JSON.stringify(id === undefined ? body : { id, ...body });
}

/** The answer's pieces for graded rows. */
export function collectRows(responses: readonly RunResponse[], ids: readonly unknown[], format: RewardFormat): GradedChunk {
  const rows: string[] = new Array<string>(responses.length);
  const rewards: string[] = new Array<string>(responses.length);
  const flags: Partial<Record<ErrorFlag, number>> = {};
  for (let i = 0; i < responses.length; i++) {
    const res = responses[i]!;
    rows[i] = rowJson(res, ids[i], format);
    rewards[i] = number(res.reward);
    if (res.error === undefined) continue;
    const errors = res.metadata.errors;
    for (const flag of ERROR_FLAGS) if (errors[flag]) flags[flag] = (flags[flag] ?? 0) + 1;
  }
  return { rows: rows.join(","), rewards: rewards.join(","), count: responses.length, flags };
}

/** Grade a chunk with a synchronous (CPU-bound) grader: what a pool task does. */
export function gradeChunkSync(grader: CompiledGrader, chunk: RowsChunk, format: RewardFormat, limits: ValueLimits): GradedChunk {
  const values = parseChunk(chunk);
  const responses = values.map((v, k) => gradeRow(grader, v, chunk.firstIndex + k, {}, limits) as RunResponse);
  return collectRows(responses, values.map(rowId), format);
}

/** Grade row values with any grader; executor-backed gradings run concurrently (the executors cap them). */
export async function gradeValues(grader: CompiledGrader, values: readonly unknown[], firstIndex: number, format: RewardFormat, limits: ValueLimits, executors: Executors): Promise<GradedChunk> {
  const responses = await Promise.all(values.map((v, k) => gradeRow(grader, v, firstIndex + k, executors, limits)));
  return collectRows(responses, values.map(rowId), format);
}

/** The rows that a crashed pool task was grading, each other_error, so the rest of the batch still counts. */
export function crashedRows(grader: { name: string; type: string }, count: number, format: RewardFormat, reason: string): GradedChunk {
  const response = failedResponse(grader.name, grader.type, new Error(`a grading worker crashed on this row: ${reason}`));
  return collectRows(new Array<RunResponse>(count).fill(response), new Array<unknown>(count), format);
}
