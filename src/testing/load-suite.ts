// Loading test suites: a suite file (JSON: a grader, inline or a path relative to the suite, and
// its cases) or a grader file plus a JSONL of cases. Everything is checked before anything is
// graded: the JSON Schema (suite-schema.ts), the grader (the grader validator), and the rules
// that need code. Every problem names its file, and a JSON pointer (plus the line, for JSONL).

import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { ERROR_FLAGS, type ErrorFlag } from "../core/response.js";
import type { SampleInput } from "../graders/grade-sample.js";
import { nearestMatch } from "../metrics/nearest.js";
import { ajvProblems, schemaValidator, type Problem } from "../schema/ajv.js";
import { checkGraderFile } from "../schema/load.js";
import type { Grader } from "../schema/types.js";
import { validateGrader } from "../schema/validate.js";
import { pointerJoin } from "../util/json-pointer.js";
import { JsonSyntaxError, parseJsonText, stripBom } from "../util/json-text.js";
import { caseSchema, suiteSchema } from "./suite-schema.js";
import type { CaseExpectation, TestCase, TestSuite } from "./types.js";
import { isJsonObject } from "../util/json-object.js";

/** A problem of a suite: in the suite file, its cases file, or the grader file it names. */
export interface SuiteProblem extends Problem {
  file: string;
}

/** A suite that cannot run: every problem found, each with its file and pointer. */
export class SuiteError extends Error {
  constructor(readonly problems: readonly SuiteProblem[]) {
    super(problems.map(formatSuiteProblem).join("\n"));
    this.name = "SuiteError";
  }
}

/** `FILE: /pointer: message`, `FILE:LINE: /pointer: message` (JSONL) or `FILE:LINE:COLUMN: ...` (syntax). */
export function formatSuiteProblem(p: SuiteProblem): string {
  const where = p.line === undefined ? p.file : p.column === undefined ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.column}`;
  return `${where}: ${p.pointer || "/"}: ${p.message}`;
}

export interface LoadSuiteOptions {
  /**
   * The threshold `expect.passed` is checked against, over the suite's `pass_threshold` and
   * the grader's (the CLI's --pass-threshold).
   */
  passThreshold?: number;
}

type Json = Record<string, unknown>;

/** Parse JSON text; a syntax error becomes a problem with line and column. */
function parseOrProblem(text: string, file: string, problems: SuiteProblem[], lineOffset = 0): unknown {
  try {
    return parseJsonText(text);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    problems.push({ file, pointer: "", message: `not valid JSON: ${err.reason}`, code: "invalid_json", line: err.line + lineOffset, column: err.column });
    return undefined;
  }
}

// ---- the grader a suite tests -------------------------------------------------------------

interface ResolvedGrader {
  grader: Grader | null;
  graderFile?: string;
}

function graderFromFile(path: string, problems: SuiteProblem[], referencedAt?: { file: string; pointer: string }): ResolvedGrader {
  let result;
  try {
    result = checkGraderFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    const at = referencedAt ?? { file: path, pointer: "" };
    problems.push({ ...at, message: `cannot read the grader file ${path} (${reason})`, code: "unreadable_file" });
    return { grader: null };
  }
  for (const p of result.problems) problems.push({ ...p, file: path });
  return { grader: result.ok ? result.grader : null, graderFile: path };
}

function inlineGrader(raw: unknown, file: string, problems: SuiteProblem[]): ResolvedGrader {
  const result = validateGrader(raw);
  for (const p of result.problems) problems.push({ ...p, file, pointer: "/grader" + p.pointer });
  return { grader: result.ok ? result.grader : null };
}

// ---- cases -----------------------------------------------------------------------------------

interface CaseContext {
  file: string;
  grader: Grader | null;
  /** Whether a pass threshold is known (for `passed`). */
  hasThreshold: boolean;
  problems: SuiteProblem[];
}

function subRewardKeyProblems(expectation: Json, pointer: string, ctx: CaseContext): void {
  if (!isJsonObject(expectation.sub_rewards) || !ctx.grader) return;
  const at = pointerJoin(pointer, "sub_rewards");
  if (ctx.grader.type !== "multi") {
    ctx.problems.push({ file: ctx.file, pointer: at, message: `the grader is a ${ctx.grader.type}; only multi graders have sub_rewards`, code: "invalid_value" });
    return;
  }
  const children = Object.keys(ctx.grader.graders);
  for (const [key, value] of Object.entries(expectation.sub_rewards)) {
    if (!children.includes(key)) {
      const hint = nearestMatch(key, children);
      ctx.problems.push({
        file: ctx.file,
        pointer: pointerJoin(at, key),
        message: `the multi grader has no child '${key}'${hint ? ` (did you mean '${hint}'?)` : ""}; its children are ${children.join(", ")}`,
        code: "unknown_field",
      });
    }
    if (isJsonObject(value) && typeof value.min === "number" && typeof value.max === "number" && value.min > value.max) {
      ctx.problems.push({ file: ctx.file, pointer: pointerJoin(at, key), message: `min ${value.min} is above max ${value.max}`, code: "invalid_value" });
    }
  }
}

/** The rules a schema cannot say: each names a mistake that would make a case meaningless. */
function expectationProblems(expectation: Json, pointer: string, ctx: CaseContext): void {
  const add = (key: string | Array<string | number>, message: string, code = "invalid_value") =>
    ctx.problems.push({ file: ctx.file, pointer: pointerJoin(pointer, ...(Array.isArray(key) ? key : [key])), message, code });
  const { reward, reward_min: min, reward_max: max, tolerance, errors } = expectation;
  if (reward !== undefined && (min !== undefined || max !== undefined)) add("reward", "give 'reward' or 'reward_min' / 'reward_max', not both");
  if (typeof min === "number" && typeof max === "number" && min > max) add("reward_min", `reward_min ${min} is above reward_max ${max}`);
  const numericSubRewards = isJsonObject(expectation.sub_rewards) && Object.values(expectation.sub_rewards).some((v) => typeof v === "number");
  if (tolerance !== undefined && reward === undefined && !numericSubRewards) {
    add("tolerance", "'tolerance' applies to 'reward' and to numeric 'sub_rewards', and this case has neither");
  }
  if (Array.isArray(errors)) {
    errors.forEach((flag, i) => {
      if (typeof flag === "string" && !(ERROR_FLAGS as readonly string[]).includes(flag)) {
        const hint = nearestMatch(flag, ERROR_FLAGS);
        add(["errors", i], `unknown error flag '${flag}'${hint ? ` (did you mean '${hint}'?)` : ""}`, "invalid_enum_value");
      }
    });
  }
  if (expectation.error_message_includes !== undefined && !(Array.isArray(errors) && errors.length > 0)) {
    add("error_message_includes", "'error_message_includes' needs the flags the case expects in 'errors' (a case without 'errors' expects none)");
  }
  if (expectation.passed !== undefined && !ctx.hasThreshold) {
    add("passed", "'passed' needs a pass threshold: set 'pass_threshold' in the suite (or the grader's), or give --pass-threshold", "missing_pass_threshold");
  }
  subRewardKeyProblems(expectation, pointer, ctx);
}

function caseProblems(value: Json, pointer: string, ctx: CaseContext): void {
  if (value.sample === undefined && value.model_sample === undefined) {
    ctx.problems.push({ file: ctx.file, pointer, message: "a case needs 'sample' or 'model_sample'", code: "missing_required_field" });
  } else if (value.sample !== undefined && value.model_sample !== undefined) {
    ctx.problems.push({ file: ctx.file, pointer: pointerJoin(pointer, "model_sample"), message: "give 'sample' or 'model_sample', not both", code: "invalid_value" });
  }
  if (isJsonObject(value.expect)) expectationProblems(value.expect, pointerJoin(pointer, "expect"), ctx);
}

/** The schema's problems, minus the enum complaints about flags that expectationProblems words better. */
function schemaProblems(schema: object, value: unknown, base = ""): Problem[] {
  const validate = schemaValidator(schema);
  if (validate(value)) return [];
  return ajvProblems(validate.errors, base).filter((p) => !(p.code === "invalid_enum_value" && /\/expect\/errors\/\d+$/.test(p.pointer)));
}

function caseName(value: Json, fallback: string): string {
  if (typeof value.name === "string" && value.name !== "") return value.name;
  if (typeof value.id === "string" || typeof value.id === "number") return String(value.id);
  return fallback;
}

function testCase(value: Json, name: string, where: TestCase["where"]): TestCase {
  const item = (value.item ?? {}) as Json;
  const input: SampleInput = value.sample !== undefined ? { sample: value.sample as Json, item } : { model_sample: value.model_sample as string, item };
  return { name, where, input, expect: value.expect as CaseExpectation };
}

function passThresholdOf(grader: Grader | null, suiteThreshold: unknown, options: LoadSuiteOptions): number | null {
  if (options.passThreshold !== undefined) return options.passThreshold;
  if (typeof suiteThreshold === "number") return suiteThreshold;
  const own = (grader as { pass_threshold?: unknown } | null)?.pass_threshold;
  return typeof own === "number" ? own : null;
}

// ---- suites ------------------------------------------------------------------------------------

/**
 * Check a suite document (the parsed JSON of a suite file). `file` names it in problems and
 * locates a grader given as a path. Throws SuiteError with every problem.
 */
export function checkSuite(value: unknown, file: string, options: LoadSuiteOptions = {}): TestSuite {
  const problems: SuiteProblem[] = [];
  // The grader is checked by the grader validator (it normalises, and words problems better
  // than the schema's anyOf would); the schema checks everything else.
  const aboutGrader = (p: Problem) => (p.pointer === "/grader" && p.code !== "missing_required_field") || p.pointer.startsWith("/grader/");
  for (const p of schemaProblems(suiteSchema, value)) if (!aboutGrader(p)) problems.push({ ...p, file });
  if (!isJsonObject(value)) throw new SuiteError(problems);
  const graderPath = typeof value.grader === "string" && value.grader !== "";
  if (value.grader !== undefined && !graderPath && !isJsonObject(value.grader)) {
    problems.push({ file, pointer: "/grader", message: "must be the path of a grader file or a grader object", code: "invalid_type" });
  }
  let resolved: ResolvedGrader = { grader: null };
  if (graderPath) {
    const path = isAbsolute(value.grader as string) ? (value.grader as string) : join(dirname(file), value.grader as string);
    resolved = graderFromFile(path, problems, { file, pointer: "/grader" });
  } else if (isJsonObject(value.grader)) {
    resolved = inlineGrader(value.grader, file, problems);
  }
  const passThreshold = passThresholdOf(resolved.grader, value.pass_threshold, options);
  const ctx: CaseContext = { file, grader: resolved.grader, hasThreshold: passThreshold !== null, problems };
  const cases: TestCase[] = [];
  if (Array.isArray(value.cases)) {
    value.cases.forEach((c, i) => {
      if (!isJsonObject(c)) return;
      const pointer = pointerJoin("/cases", i);
      caseProblems(c, pointer, ctx);
      cases.push(testCase(c, caseName(c, `case ${i + 1}`), { file, pointer }));
    });
  }
  if (problems.length > 0 || !resolved.grader) throw new SuiteError(problems);
  const name = typeof value.name === "string" ? value.name : file;
  return { file, name, grader: resolved.grader, ...(resolved.graderFile ? { graderFile: resolved.graderFile } : {}), passThreshold, cases };
}

/** Read and check a suite file. I/O errors reading it are thrown as they are; problems as SuiteError. */
export function loadSuite(file: string, options: LoadSuiteOptions = {}): TestSuite {
  const problems: SuiteProblem[] = [];
  const value = parseOrProblem(readFileSync(file, "utf8"), file, problems);
  if (problems.length) throw new SuiteError(problems);
  if (isJsonObject(value) && value.cases === undefined && typeof value.type === "string" && value.grader === undefined) {
    throw new SuiteError([
      { file, pointer: "", message: `this is a grader (type '${value.type}'), not a suite: give its cases file after it (graderkit test GRADER.json CASES.jsonl)`, code: "not_a_suite" },
    ]);
  }
  return checkSuite(value, file, options);
}

/**
 * A grader file and a JSONL file of cases, one per line (blank lines skipped): each line is
 * checked on its own, problems name FILE:LINE and a pointer into that line's case.
 */
export function loadCases(graderFile: string, casesFile: string, options: LoadSuiteOptions = {}): TestSuite {
  const problems: SuiteProblem[] = [];
  const text = stripBom(readFileSync(casesFile, "utf8"));
  const resolved = graderFromFile(graderFile, problems);
  const passThreshold = passThresholdOf(resolved.grader, undefined, options);
  const cases: TestCase[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const lineText = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (lineText.trim() === "") return;
    const lineProblems: SuiteProblem[] = [];
    const value = parseOrProblem(lineText, casesFile, lineProblems, i);
    if (value !== undefined) {
      for (const p of schemaProblems(caseSchema, value)) lineProblems.push({ ...p, file: casesFile, line });
      if (isJsonObject(value)) {
        const ctx: CaseContext = { file: casesFile, grader: resolved.grader, hasThreshold: passThreshold !== null, problems: [] };
        caseProblems(value, "", ctx);
        for (const p of ctx.problems) lineProblems.push({ ...p, line });
        cases.push(testCase(value, caseName(value, `line ${line}`), { file: casesFile, line, pointer: "" }));
      }
    }
    problems.push(...lineProblems);
  });
  if (cases.length === 0 && problems.length === 0) problems.push({ file: casesFile, pointer: "", message: "no cases (one JSON object per line)", code: "no_cases" });
  if (problems.length > 0 || !resolved.grader) throw new SuiteError(problems);
  return { file: casesFile, name: casesFile, grader: resolved.grader, graderFile, passThreshold, cases };
}
