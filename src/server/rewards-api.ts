// The reward routes of `graderkit serve`, for RL trainers:
//   GET  /v1/graders            the named graders: name, type, sha256, metric signatures
//   POST /v1/rewards            {"grader": NAME | {...}, "rows": [...], "format"?} → {"rewards", "rows"}
//   POST /v1/openrlhf/NAME      OpenRLHF's remote reward protocol
//
// A request's rows are taken from the row budget (429 when it is full), graded by the RowGrader
// (pool or executors), and answered within the request timeout (504 otherwise). Grading is
// deterministic, so an answer the client did not get (a 504, a client that hung up) is kept in
// the RetryCache for its retry: graded rows are never lost, nor graded twice.

import type { ServerResponse } from "node:http";
import { arrayElementSpans, isArraySpan, JsonSpanError, objectMemberSpans, type Span } from "../util/json-spans.js";
import { RowBudget } from "./admission.js";
import { tooDeep } from "./body-limits.js";
import { ApiError, parseJsonBody } from "./http-json.js";
import type { ServerMetrics } from "./metrics.js";
import { graderListing, type GraderListing } from "./named-graders.js";
import { openRlhfAnswer, OpenRlhfRequestError, openRlhfRows } from "./openrlhf.js";
import { RetryCache } from "./retry-cache.js";
import { REWARD_FORMATS, RowsSyntaxError, type GradedChunk, type RewardFormat } from "./reward-rows.js";
import { mergeChunks, type ResolvedGrader, type RowGrader } from "./row-grader.js";

export interface RewardServiceOptions {
  graders: ReadonlyMap<string, ResolvedGrader>;
  rowGrader: RowGrader;
  budget: RowBudget;
  metrics: ServerMetrics;
  retryCache: RetryCache;
  /** Longest time a request waits for its rows (504 after it). */
  requestTimeoutMs: number;
  maxDepth: number;
  /** Validate and compile a grader sent inline (an ApiError 400 when it is invalid). */
  resolveInline: (grader: unknown) => ResolvedGrader;
}

const REWARDS_PARAMETERS = ["grader", "rows", "format"];
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function syntaxError(err: unknown): ApiError {
  return new ApiError(400, `the request body is not valid JSON: ${(err as Error).message}`, null, "invalid_json");
}

/** JSON.parse of a member's text (a 400 when it is not JSON). */
function memberValue(bytes: Uint8Array, span: Span): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes.subarray(span.start, span.end)));
  } catch (err) {
    throw syntaxError(err);
  }
}

/** The part of a request that says what to grade and how to answer. */
interface BatchRequest {
  grader: ResolvedGrader;
  format: RewardFormat;
  bytes: Uint8Array;
  rows: Span[];
}

function rowsSyntax(err: RowsSyntaxError): ApiError {
  return new ApiError(400, `the request body is not valid JSON: ${err.message}`, err.param, "invalid_json");
}

export class RewardService {
  constructor(private readonly options: RewardServiceOptions) {}

  listGraders(): { object: "list"; data: GraderListing[] } {
    return { object: "list", data: [...this.options.graders].map(([name, g]) => graderListing(name, g)) };
  }

  private named(name: string, param: string | null): ResolvedGrader {
    const g = this.options.graders.get(name);
    if (g) return g;
    const names = [...this.options.graders.keys()];
    const known = names.length ? `this server has: ${names.join(", ")}` : "this server was started without named graders (graderkit serve --grader NAME=FILE)";
    throw new ApiError(param === null ? 404 : 400, `no grader named ${JSON.stringify(name)}; ${known}`, param, "unknown_grader");
  }

  /** The request of POST /v1/rewards, read without parsing its rows (they go to the pool as text). */
  private rewardsRequest(bytes: Buffer): BatchRequest {
    let members: Map<string, Span>;
    try {
      members = objectMemberSpans(bytes);
    } catch (err) {
      throw err instanceof JsonSpanError && err.message.startsWith("expected '{'") ? new ApiError(400, "the request body must be a JSON object", null, "invalid_type") : syntaxError(err);
    }
    for (const key of members.keys()) {
      if (!REWARDS_PARAMETERS.includes(key)) throw new ApiError(400, `unrecognized request argument '${key}'`, `/${key}`, "unknown_parameter");
    }
    const graderSpan = members.get("grader");
    if (!graderSpan) throw new ApiError(400, "missing required parameter 'grader'", "/grader", "missing_required_field");
    const graderValue = memberValue(bytes, graderSpan);
    let grader: ResolvedGrader;
    if (typeof graderValue === "string") grader = this.named(graderValue, "/grader");
    else {
      const deep = tooDeep(graderValue, this.options.maxDepth - 1);
      if (deep !== null) throw new ApiError(400, `the grader is nested deeper than ${this.options.maxDepth} levels (at /grader${deep})`, `/grader${deep}`, "nested_too_deeply");
      grader = this.options.resolveInline(graderValue);
    }
    const formatSpan = members.get("format");
    const format = formatSpan ? memberValue(bytes, formatSpan) : "compact";
    if (!REWARD_FORMATS.includes(format as RewardFormat)) throw new ApiError(400, `'format' must be one of ${REWARD_FORMATS.map((f) => `"${f}"`).join(", ")}`, "/format", "invalid_enum_value");
    const rowsSpan = members.get("rows");
    if (!rowsSpan) throw new ApiError(400, "missing required parameter 'rows'", "/rows", "missing_required_field");
    if (!isArraySpan(bytes, rowsSpan)) throw new ApiError(400, "'rows' must be an array of row objects", "/rows", "invalid_type");
    let rows: Span[];
    try {
      rows = arrayElementSpans(bytes, rowsSpan);
    } catch (err) {
      throw syntaxError(err);
    }
    return { grader, format: format as RewardFormat, bytes, rows };
  }

  /** Take the rows from the budget, grade them, give them back: the graded chunks. */
  private grade(request: BatchRequest): Promise<GradedChunk> {
    const { budget, rowGrader, metrics } = this.options;
    const n = request.rows.length;
    const admission = budget.admit(n);
    if (!admission.ok) {
      const headers: Record<string, string> = admission.retryAfterSeconds !== undefined ? { "retry-after": String(admission.retryAfterSeconds) } : {};
      throw new ApiError(admission.status, admission.message, admission.status === 413 ? "/rows" : null, admission.status === 429 ? "rate_limit_exceeded" : "too_many_rows", admission.status === 429 ? "rate_limit_error" : "invalid_request_error", headers);
    }
    const started = performance.now();
    let graded = false;
    return rowGrader
      .grade(request)
      .then((chunks) => {
        const merged = mergeChunks(chunks);
        graded = true;
        metrics.graded(request.grader.registeredName ?? "inline", n, (performance.now() - started) / 1000, merged.flags);
        return merged;
      })
      .catch((err: unknown) => {
        throw err instanceof RowsSyntaxError ? rowsSyntax(err) : err;
      })
      .finally(() => budget.release(n, graded));
  }

  /**
   * The answer to a batch request, within the request timeout. The retry of a request that timed
   * out or whose client hung up is answered from the grading it started.
   */
  private async answer(route: string, body: Buffer, res: ServerResponse, start: () => Promise<Buffer>): Promise<Buffer> {
    const { retryCache, requestTimeoutMs } = this.options;
    const key = retryCache.size > 0 ? RetryCache.key(route, body) : null;
    let answer = key !== null ? retryCache.get(key) : undefined;
    answer ??= start();
    const keep = () => retryCache.keep(key ?? RetryCache.key(route, body), answer, body.length);
    // A client gone before its answer: keep the answer for its retry.
    const onClose = () => {
      if (!res.writableFinished) keep();
    };
    res.once("close", onClose);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        keep();
        const s = requestTimeoutMs / 1000;
        reject(new ApiError(504, `grading this request took longer than the request timeout (${s} s, --request-timeout); the grading goes on and its result is kept: send the same request again to get it (grading is deterministic, so the rewards are the same)`, null, "request_timeout", "server_error", { "retry-after": "1" }));
      }, requestTimeoutMs);
    });
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
      // Remove the listener once the answer is sent (or failed), not before: a hang-up while the
      // answer is being written still keeps it.
      res.once("finish", () => res.off("close", onClose));
    }
  }

  /** POST /v1/rewards */
  rewards(body: Buffer, res: ServerResponse): Promise<Buffer> {
    return this.answer("rewards", body, res, async () => {
      const request = this.rewardsRequest(body);
      const graded = await this.grade(request);
      return Buffer.from(`{"rewards":[${graded.rewards}],"rows":[${graded.rows}]}`);
    });
  }

  /** POST /v1/openrlhf/NAME */
  openrlhf(name: string, body: Buffer, res: ServerResponse): Promise<Buffer> {
    const grader = this.named(name, null);
    return this.answer(`openrlhf/${name}`, body, res, async () => {
      const value = parseJsonBody(body);
      const deep = tooDeep(value, this.options.maxDepth);
      if (deep !== null) throw new ApiError(400, `the request body is nested deeper than ${this.options.maxDepth} levels (at ${deep})`, deep, "nested_too_deeply");
      let rows;
      try {
        rows = openRlhfRows(value);
      } catch (err) {
        if (err instanceof OpenRlhfRequestError) throw new ApiError(400, err.message, err.param, err.code);
        throw err;
      }
      const serialized = serializeRows(rows);
      const graded = await this.grade({ grader, format: "compact", ...serialized });
      const compact = JSON.parse(`[${graded.rows}]`) as Array<{ reward: number; sub_rewards?: Record<string, number>; error?: unknown }>;
      return Buffer.from(JSON.stringify(openRlhfAnswer(compact)));
    });
  }
}

/** Rows the server built, as the text and spans the RowGrader takes. */
export function serializeRows(rows: readonly unknown[]): { bytes: Uint8Array; rows: Span[] } {
  const spans: Span[] = [];
  const parts: string[] = [];
  // Spans are byte offsets: count UTF-8 bytes, not UTF-16 units.
  let at = 0;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const length = Buffer.byteLength(json);
    spans.push({ start: at, end: at + length });
    parts.push(json);
    at += length + 1;
  }
  return { bytes: Buffer.from(parts.join(",")), rows: spans };
}
