// Grader validation: normalize (fill names, multi single-grader form), check the JSON Schema
// with ajv, then the rules that need code. Every problem carries a JSON pointer; all problems
// are reported, not just the first.

import { pointerJoin } from "../util/json-pointer.js";
import { ajvProblems, schemaValidator, type Problem } from "./ajv.js";
import { FormulaError } from "../formula/errors.js";
// The parser alone (not formula/index.js, which also loads the evaluator): validating needs
// syntax and names only.
import { parse as parseFormula } from "../formula/parser.js";
import { nearestMatch } from "../metrics/nearest.js";
import { parsePlaceholders, SAMPLE_FIELDS, TemplateSyntaxError, unclosedOpenings } from "../templates/template.js";
import { validator as graderSchemaValidator } from "./generated/grader-validator.js";
import type { Grader, Target } from "./types.js";
import { isJsonObject } from "../util/json-object.js";

export type { Problem };

export interface ValidationResult {
  ok: boolean;
  /** The normalized grader (also returned when invalid, best effort, for display). */
  grader: Grader | null;
  problems: Problem[];
  warnings: Problem[];
}

export const PYTHON_SOURCE_LIMIT = 256 * 1024;

/**
 * Normalize before checking: fill a missing `name` (with a warning, spec §1 decided) and turn a
 * multi's single-grader form into the map form keyed by the child's name.
 */
export function normalizeGrader(input: unknown, warnings: Problem[], pointer = "", fallbackName?: string): unknown {
  if (!isJsonObject(input)) return input;
  const g: Record<string, unknown> = { ...input };
  if (g.name === undefined && typeof g.type === "string") {
    g.name = fallbackName ?? g.type;
    warnings.push({ pointer: pointerJoin(pointer, "name"), message: `missing 'name'; using '${g.name}'`, code: "missing_name" });
  }
  if (g.type === "multi" && isJsonObject(g.graders)) {
    let children = g.graders;
    if (typeof children.type === "string") {
      const key = typeof children.name === "string" && children.name ? children.name : String(children.type);
      warnings.push({ pointer: pointerJoin(pointer, "graders"), message: `single grader form; keyed as '${key}'`, code: "single_grader_form" });
      children = { [key]: children };
    }
    g.graders = Object.fromEntries(
      Object.entries(children).map(([k, v]) => [k, normalizeGrader(v, warnings, pointerJoin(pointer, "graders", k), k)]),
    );
  }
  return g;
}

// ---- checks that need code ----------------------------------------------------------------

/** Check one template text: a malformed placeholder is a problem; an unclosed `{{` or an unknown sample field a warning. */
export function checkTemplate(text: unknown, pointer: string, problems: Problem[], warnings: Problem[]): void {
  if (typeof text !== "string") return;
  let placeholders;
  try {
    placeholders = parsePlaceholders(text);
  } catch (err) {
    if (err instanceof TemplateSyntaxError) problems.push({ pointer, message: err.message, code: "invalid_template" });
    else throw err;
    return;
  }
  for (const offset of unclosedOpenings(text)) {
    warnings.push({ pointer, message: `'{{' at offset ${offset} is never closed: it is rendered as plain text`, code: "unclosed_placeholder" });
  }
  for (const p of placeholders) {
    const field = p.steps[0];
    if (p.namespace !== "sample" || typeof field !== "string" || SAMPLE_FIELDS.includes(field)) continue;
    const hint = nearestMatch(field, SAMPLE_FIELDS);
    warnings.push({
      pointer,
      message: `${p.raw}: no sample has '${field}'${hint ? ` (did you mean sample.${hint}?)` : ""}; sample fields are ${SAMPLE_FIELDS.join(", ")}`,
      code: "unknown_sample_field",
    });
  }
}

/**
 * Every template-bearing field of a list of grader-style messages (model graders' `input`, an
 * eval run's message template): [pointer, text], `pointer` being the list's own.
 */
export function messageTemplateFields(messages: readonly unknown[], pointer: string): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  messages.forEach((m, i) => {
    if (!isJsonObject(m)) return;
    const mp = pointerJoin(pointer, i, "content");
    const items = Array.isArray(m.content) ? m.content.map((c, j) => [pointerJoin(mp, j), c] as const) : [[mp, m.content] as const];
    for (const [ip, c] of items) {
      if (typeof c === "string") out.push([ip, c]);
      else if (isJsonObject(c)) {
        if (typeof c.text === "string") out.push([pointerJoin(ip, "text"), c.text]);
        if (typeof c.image_url === "string") out.push([pointerJoin(ip, "image_url"), c.image_url]);
        if (isJsonObject(c.input_audio)) out.push([pointerJoin(ip, "input_audio", "data"), c.input_audio.data]);
      }
    }
  });
  return out;
}

/** Every template-bearing field of a grader: [pointer, text]. */
export function templateFields(g: Record<string, unknown>, pointer: string): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  if (g.type === "string_check" || g.type === "text_similarity") {
    out.push([pointerJoin(pointer, "input"), g.input], [pointerJoin(pointer, "reference"), g.reference]);
  }
  if ((g.type === "score_model" || g.type === "label_model") && Array.isArray(g.input)) {
    out.push(...messageTemplateFields(g.input, pointerJoin(pointer, "input")));
  }
  return out;
}

function checkLeaf(g: Record<string, unknown>, pointer: string, target: Target, problems: Problem[], warnings: Problem[]): void {
  for (const [p, t] of templateFields(g, pointer)) checkTemplate(t, p, problems, warnings);
  switch (g.type) {
    case "text_similarity":
      if (g.evaluation_metric === "cosine" && target === "rft") {
        problems.push({
          pointer: pointerJoin(pointer, "evaluation_metric"),
          message: "'cosine' is evals-only: reinforcement fine-tuning does not accept it",
          code: "not_allowed_for_target",
        });
      }
      if (target === "evals" && g.pass_threshold === undefined) {
        problems.push({ pointer: pointerJoin(pointer, "pass_threshold"), message: "evals require 'pass_threshold' on text_similarity", code: "missing_required_field" });
      }
      break;
    case "python":
      if (typeof g.source === "string") {
        const size = Buffer.byteLength(g.source, "utf8");
        if (size >= PYTHON_SOURCE_LIMIT) {
          problems.push({ pointer: pointerJoin(pointer, "source"), message: `source is ${size} bytes; the limit is under ${PYTHON_SOURCE_LIMIT} (256 kB)`, code: "source_too_large" });
        }
        if (!/^(?:async\s+)?def\s+grade\s*\(/m.test(g.source)) {
          problems.push({ pointer: pointerJoin(pointer, "source"), message: "source must define a top-level function grade(sample, item)", code: "missing_grade_function" });
        }
      }
      if (g.image_tag !== undefined && g.image_tag !== "2025-05-08") {
        warnings.push({ pointer: pointerJoin(pointer, "image_tag"), message: `image_tag '${g.image_tag}' is not a documented value ("2025-05-08")`, code: "unknown_image_tag" });
      }
      break;
    case "score_model":
      if (Array.isArray(g.range) && g.range.length === 2 && typeof g.range[0] === "number" && typeof g.range[1] === "number" && !(g.range[0] < g.range[1])) {
        problems.push({ pointer: pointerJoin(pointer, "range"), message: `range [${g.range[0]}, ${g.range[1]}]: the first bound must be below the second`, code: "invalid_range" });
      }
      break;
    case "label_model":
      if (Array.isArray(g.labels) && Array.isArray(g.passing_labels)) {
        const labels = new Set(g.labels);
        g.passing_labels.forEach((l, i) => {
          if (!labels.has(l)) {
            problems.push({ pointer: pointerJoin(pointer, "passing_labels", i), message: `passing label ${JSON.stringify(l)} is not one of labels`, code: "invalid_passing_label" });
          }
        });
      }
      break;
  }
}

/** The rules that need code, for a grader at `pointer` of its document (validate-job.ts checks a job's grader with them). */
export function checkGrader(g: unknown, pointer: string, target: Target, problems: Problem[], warnings: Problem[]): void {
  if (!isJsonObject(g)) return;
  if (g.type === "multi") {
    if (!isJsonObject(g.graders)) return;
    for (const [key, child] of Object.entries(g.graders)) {
      const cp = pointerJoin(pointer, "graders", key);
      if (isJsonObject(child) && child.type === "multi") {
        problems.push({ pointer: pointerJoin(cp, "type"), message: "nested multi graders are not allowed", code: "nested_multi" });
        continue;
      }
      if (isJsonObject(child)) checkLeaf(child, cp, target, problems, warnings);
    }
    if (typeof g.calculate_output === "string" && g.calculate_output.trim() !== "") {
      try {
        parseFormula(g.calculate_output, Object.keys(g.graders));
      } catch (err) {
        if (!(err instanceof FormulaError)) throw err;
        problems.push({ pointer: pointerJoin(pointer, "calculate_output"), message: err.message, code: "formula_parse_error" });
      }
    }
    return;
  }
  if (pointer === "" && g.type === "label_model" && target === "rft") problems.push(labelModelAtRftRoot(""));
  checkLeaf(g, pointer, target, problems, warnings);
}

/** A label_model as the whole grader of a reinforcement job (`pointer` is the grader's place). */
export function labelModelAtRftRoot(pointer: string): Problem {
  return { pointer: pointerJoin(pointer, "type"), message: "label_model is only allowed inside a multi grader for reinforcement fine-tuning", code: "not_allowed_for_target" };
}

/** Problems already reported by a code check make the schema's complaints at the same place redundant. */
export function mergeProblems(schema: Problem[], code: Problem[]): Problem[] {
  const nested = code.filter((p) => p.code === "nested_multi").map((p) => p.pointer.replace(/\/type$/, ""));
  const kept = schema.filter((p) => !nested.some((n) => p.pointer === n || p.pointer.startsWith(n + "/")));
  return [...kept, ...code];
}

export interface ValidateOptions {
  target?: Target;
  /** Prefix for every pointer (when the grader sits inside a larger document). */
  pointer?: string;
}

/** Validate one grader JSON value (already parsed). */
export function validateGrader(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const target = options.target ?? "local";
  const base = options.pointer ?? "";
  const warnings: Problem[] = [];
  if (!isJsonObject(input)) {
    return { ok: false, grader: null, problems: [{ pointer: base, message: "a grader must be a JSON object", code: "invalid_type" }], warnings };
  }
  const normalized = normalizeGrader(input, warnings, base);
  // graderSchema precompiled (scripts/build-validators.mjs): no ajv compile at start-up.
  const validate = graderSchemaValidator;
  const schemaOk = validate(normalized);
  const codeProblems: Problem[] = [];
  checkGrader(normalized, base, target, codeProblems, warnings);
  const problems = mergeProblems(schemaOk ? [] : ajvProblems(validate.errors, base), codeProblems);
  return { ok: problems.length === 0, grader: normalized as Grader, problems, warnings };
}
