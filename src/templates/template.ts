// Template resolution (spec §2): `{{ sample.output_text }}`, `{{ item.a.b }}`, `{{ sample.output_tools[0].function.name }}`.
//
// Why not mustache: mustache HTML-escapes `{{ }}` by default, has no `[N]` index syntax, and
// renders a missing name as "" where the spec requires an invalid_variable_error. A small
// resolver gives exactly the spec's semantics and compiles each template once.

import { GradingFailure } from "../core/response.js";

export type Namespace = "item" | "sample";
export const NAMESPACES: readonly Namespace[] = ["item", "sample"];

/** One step of a path: an object key or an array index. */
export type PathStep = string | number;

export interface Placeholder {
  /** The placeholder as written, e.g. "{{ item.answer }}". */
  raw: string;
  namespace: Namespace;
  steps: PathStep[];
  /** Canonical spelling, e.g. "item.answers[0].text". */
  path: string;
  /** 0-based offset of the placeholder in the template text. */
  offset: number;
}

export interface TemplateScope {
  sample: Record<string, unknown>;
  item: Record<string, unknown>;
}

export interface Template {
  readonly source: string;
  readonly placeholders: readonly Placeholder[];
  /** Render to a string; a missing path throws GradingFailure(invalid_variable_error). */
  render(scope: TemplateScope): string;
}

/** A placeholder that is not `{{ item.… }}` / `{{ sample.… }}` with a well-formed path. */
export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "TemplateSyntaxError";
  }
}

const PLACEHOLDER = /\{\{([\s\S]*?)\}\}/g;
// A key is any run of characters other than separators, brackets, braces and whitespace.
const PATH_STEP = /^(?:\.([^\s.[\]{}]+)|\[(\d+)\])/;
const HEAD = /^([^\s.[\]{}]+)/;

function parsePath(inner: string, offset: number, raw: string): Placeholder {
  const text = inner.trim();
  const head = HEAD.exec(text);
  if (!head) throw new TemplateSyntaxError(`malformed placeholder ${raw}: expected item.<path> or sample.<path>`, offset);
  const ns = head[1];
  if (ns !== "item" && ns !== "sample") {
    throw new TemplateSyntaxError(
      `unknown namespace '${ns}' in ${raw}: only 'item' and 'sample' exist`,
      offset,
    );
  }
  const steps: PathStep[] = [];
  let rest = text.slice(ns.length);
  while (rest.length > 0) {
    const m = PATH_STEP.exec(rest);
    if (!m) throw new TemplateSyntaxError(`malformed path in ${raw} at '${rest}'`, offset);
    steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
    rest = rest.slice(m[0].length);
  }
  return { raw, namespace: ns, steps, path: formatPath(ns, steps), offset };
}

export function formatPath(namespace: string, steps: readonly PathStep[]): string {
  let out = namespace;
  for (const s of steps) out += typeof s === "number" ? `[${s}]` : `.${s}`;
  return out;
}

/** Offsets of `{{` that no `}}` closes: rendered as plain text (decided), worth a warning. */
export function unclosedOpenings(source: string): number[] {
  const out: number[] = [];
  let pos = 0;
  for (const m of source.matchAll(PLACEHOLDER)) {
    for (let i = source.indexOf("{{", pos); i >= 0 && i < (m.index ?? 0); i = source.indexOf("{{", i + 2)) out.push(i);
    pos = (m.index ?? 0) + m[0].length;
  }
  for (let i = source.indexOf("{{", pos); i >= 0; i = source.indexOf("{{", i + 2)) out.push(i);
  return out;
}

/** Parse every `{{ … }}` of a text. Throws TemplateSyntaxError on the first malformed one. */
export function parsePlaceholders(source: string): Placeholder[] {
  const out: Placeholder[] = [];
  for (const m of source.matchAll(PLACEHOLDER)) out.push(parsePath(m[1], m.index ?? 0, m[0]));
  return out;
}

/** Follow a placeholder's path; `undefined` when any step is missing. */
export function lookup(scope: TemplateScope, p: Placeholder): unknown {
  let value: unknown = scope[p.namespace];
  for (const step of p.steps) {
    if (value === null || typeof value !== "object") return undefined;
    if (typeof step === "number") {
      if (!Array.isArray(value) || step >= value.length) return undefined;
      value = value[step];
    } else {
      if (Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, step)) return undefined;
      value = (value as Record<string, unknown>)[step];
    }
  }
  return value;
}

/** Strings render as themselves; everything else as compact JSON (spec §2, decided). */
export function renderValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The fields a sample can have (spec §2); a `sample.*` path outside them is suspicious. */
export const SAMPLE_FIELDS: readonly string[] = ["output_text", "output_json", "output_tools", "choices", "output_audio"];

const MAX_LISTED_KEYS = 12;

/** What exists where a path stops resolving: "item has: answer, id", "item.a is a string". */
function whatIsThere(scope: TemplateScope, p: Placeholder): string {
  let value: unknown = scope[p.namespace];
  const steps: PathStep[] = [];
  for (const step of p.steps) {
    const next = lookup(scope, { ...p, steps: [...steps, step] });
    if (next === undefined) break;
    steps.push(step);
    value = next;
  }
  const at = formatPath(p.namespace, steps);
  if (Array.isArray(value)) return `${at} is an array of ${value.length}`;
  if (value === null || typeof value !== "object") return `${at} is ${value === null ? "null" : `a ${typeof value}`}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return `${at} is empty`;
  const listed = keys.slice(0, MAX_LISTED_KEYS).join(", ");
  return `${at} has: ${listed}${keys.length > MAX_LISTED_KEYS ? `, … (${keys.length} keys)` : ""}`;
}

function missing(scope: TemplateScope, p: Placeholder, where?: string): GradingFailure {
  return new GradingFailure(
    "invalid_variable_error",
    `template variable ${p.raw} not found: ${p.path} does not exist in this ${p.namespace} (${whatIsThere(scope, p)})`,
    where,
  );
}

/** Resolve a placeholder to its raw value (not stringified); throws when the path is missing. */
export function resolve(scope: TemplateScope, p: Placeholder, where?: string): unknown {
  const v = lookup(scope, p);
  if (v === undefined) throw missing(scope, p, where);
  return v;
}

/**
 * Compile a template once. `where` (e.g. a JSON pointer such as "/input") is reported with a
 * missing-variable failure so the user knows which field failed.
 */
export function compileTemplate(source: string, where?: string): Template {
  const placeholders = parsePlaceholders(source);
  if (placeholders.length === 0) {
    return { source, placeholders, render: () => source };
  }
  // Literal pieces around the placeholders: literals[i] precedes placeholders[i].
  const literals: string[] = [];
  let pos = 0;
  for (const p of placeholders) {
    literals.push(source.slice(pos, p.offset));
    pos = p.offset + p.raw.length;
  }
  const tail = source.slice(pos);
  if (placeholders.length === 1 && literals[0] === "" && tail === "") {
    const only = placeholders[0];
    return { source, placeholders, render: (scope) => renderValue(resolve(scope, only, where)) };
  }
  return {
    source,
    placeholders,
    render(scope) {
      let out = "";
      for (let i = 0; i < placeholders.length; i++) {
        out += literals[i] + renderValue(resolve(scope, placeholders[i], where));
      }
      return out + tail;
    },
  };
}
