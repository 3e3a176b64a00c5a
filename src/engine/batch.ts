// Grade a block of input into serialized output rows plus the numbers the summary needs. A
// block is raw UTF-8 bytes of whole lines: the pool workers decode and split it themselves, so
// the main thread only reads, cuts at newlines and writes. The main thread (--workers 0) uses
// the same functions, so both paths give the same bytes.

import type { Executors } from "../core/executors.js";
import type { CompiledGrader } from "../graders/types.js";
import { ERROR_FLAGS, type ErrorFlag } from "../core/response.js";
import { gradeLine, type GradedLine, type LineInput } from "./grade-row.js";
import { serializeRow } from "./serialize.js";
import { mergeFirstErrors, noteFirstErrors, type FirstErrors } from "./first-errors.js";
import type { Semaphore } from "../util/semaphore.js";

export interface Block {
  /** Line number of the block's first line (1-based). */
  startLine: number;
  /** Where the block starts in the input file. */
  offset?: number;
  /** Whole lines, UTF-8, each ending in "\n" (the file's last line may lack it). */
  bytes: Uint8Array;
  /** Line numbers to skip (already in OUT, --resume), ascending. */
  skip?: Int32Array;
}

export interface BatchResult {
  /** Serialized rows, each ending in "\n", in input order (UTF-8 bytes when they come from a worker). */
  text: string | Uint8Array;
  rewards: Float64Array;
  /** Per flag, how many rows raised it. */
  flags: Partial<Record<ErrorFlag, number>>;
  /** Rows that raised at least one flag. */
  errorRows: number;
  /** Per flag, the block's first row that raised it and its message. */
  firstErrors: FirstErrors;
}

const decoder = new TextDecoder("utf-8");

/** The non-blank lines of a block, numbered, minus the skipped ones. */
export function blockLines(block: Block): LineInput[] {
  const text = decoder.decode(block.bytes);
  const out: LineInput[] = [];
  const skip = block.skip;
  let k = 0;
  let start = 0;
  let line = block.startLine;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    // "\r\n" files: the "\r" is not part of the line.
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (skip) while (k < skip.length && skip[k] < line) k++;
    if (!(skip && k < skip.length && skip[k] === line)) {
      const l = text.slice(start, stop);
      if (l.trim() !== "") out.push({ line, text: l });
    }
    start = end + 1;
    line++;
  }
  return out;
}

function collect(rows: readonly GradedLine[]): BatchResult {
  let text = "";
  const rewards = new Float64Array(rows.length);
  const flags: Partial<Record<ErrorFlag, number>> = {};
  let errorRows = 0;
  const firstErrors: FirstErrors = {};
  for (let i = 0; i < rows.length; i++) {
    const { line, id, response } = rows[i];
    text += serializeRow(line, id, response) + "\n";
    rewards[i] = response.reward;
    const errors = response.metadata.errors;
    let any = false;
    for (const flag of ERROR_FLAGS) {
      if (errors[flag]) {
        flags[flag] = (flags[flag] ?? 0) + 1;
        any = true;
      }
    }
    if (any) {
      errorRows++;
      noteFirstErrors(firstErrors, line, response);
    }
  }
  return { text, rewards, flags, errorRows, firstErrors };
}

/** Concatenate results in order (rescued blocks graded line by line). */
export function concatResults(parts: readonly BatchResult[]): BatchResult {
  const total = parts.reduce((n, p) => n + p.rewards.length, 0);
  const rewards = new Float64Array(total);
  const flags: Partial<Record<ErrorFlag, number>> = {};
  const texts: Array<string | Uint8Array> = [];
  const firstErrors: FirstErrors = {};
  let errorRows = 0;
  let at = 0;
  for (const p of parts) {
    texts.push(p.text);
    rewards.set(p.rewards, at);
    at += p.rewards.length;
    errorRows += p.errorRows;
    mergeFirstErrors(firstErrors, p.firstErrors);
    for (const [f, n] of Object.entries(p.flags) as Array<[ErrorFlag, number]>) flags[f] = (flags[f] ?? 0) + n;
  }
  const text = texts.every((t) => typeof t === "string")
    ? texts.join("")
    : Buffer.concat(texts.map((t) => (typeof t === "string" ? Buffer.from(t, "utf8") : t)));
  return { text, rewards, flags, errorRows, firstErrors };
}

export function gradeLines(
  grader: CompiledGrader,
  lines: readonly LineInput[],
  executors: Executors,
  file: string,
  limiter?: Semaphore,
): BatchResult | Promise<BatchResult> {
  if (!grader.async) return collect(lines.map((l) => gradeLine(grader, l, executors, file) as GradedLine));
  const run = (l: LineInput) => Promise.resolve(gradeLine(grader, l, executors, file));
  return Promise.all(lines.map((l) => (limiter ? limiter.run(() => run(l)) : run(l)))).then(collect);
}
