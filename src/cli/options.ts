// One declarative table per command generates both its parser and its --help (as vitest's CLI
// does), so the two cannot drift: an option's name, argument, type, range, default and
// description are written once. Values come out parsed and range-checked, typed from the table.

import { nearestMatch } from "../metrics/nearest.js";

interface OptionBase {
  /** Long name without dashes: "workers" → --workers. */
  name: string;
  short?: string;
  description: string;
  /** The config key this flag overrides (shown in --help), e.g. "executors.python.timeoutSeconds". */
  config?: string;
  /** The --help section it is listed in (default "Options"). */
  group?: string;
  /** A default that the CLI does not apply itself (a library default, "automatic"), shown in --help. */
  shownDefault?: string;
}

export interface BooleanOption extends OptionBase {
  type: "boolean";
}

export interface StringOption extends OptionBase {
  type: "string";
  /** Placeholder in --help, e.g. "FILE". */
  arg: string;
  default?: string;
  /** Repeatable: the values in order (--hp a=1 --hp b=2). */
  multiple?: boolean;
}

export interface NumberOption extends OptionBase {
  type: "integer" | "number";
  arg: string;
  default?: number;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** The bound is exclusive: a value must be above min. */
  aboveMin?: boolean;
}

export interface ChoiceOption extends OptionBase {
  type: "choice";
  arg: string;
  choices: readonly string[];
  default?: string;
}

/** Repeatable `KEY=VALUE` pairs into an object (--hp n_epochs=3 --hp seed=1). */
export interface PairsOption extends OptionBase {
  type: "pairs";
  /** Placeholder in --help, e.g. "NAME=FILE". */
  arg: string;
  /** What a malformed pair's message adds in parentheses, e.g. an example. */
  hint?: string;
  /** The value may not be empty (a file path); otherwise `key=` gives "". */
  requireValue?: boolean;
}

export type OptionSpec = BooleanOption | StringOption | NumberOption | ChoiceOption | PairsOption;


type ValueOf<O> = O extends BooleanOption
  ? boolean
  : O extends NumberOption
    ? number
    : O extends PairsOption
      ? Record<string, string>
      : O extends StringOption & { multiple: true }
        ? string[]
        : string;

type HasDefault<O> = O extends { default: string | number } ? true : O extends BooleanOption | PairsOption ? true : O extends { multiple: true } ? true : false;

/** The parsed values of a table: booleans default to false, lists to [], pairs to {}, others to their default or undefined. */
export type OptionValues<Os extends readonly OptionSpec[]> = {
  [O in Os[number] as O["name"]]: HasDefault<O> extends true ? ValueOf<O> : ValueOf<O> | undefined;
};

export class UsageError extends Error {
  constructor(
    message: string,
    /** The (sub)command the error is about, when it is not the top-level one ("jobs list"). */
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export const HELP_OPTION: BooleanOption = { name: "help", short: "h", type: "boolean", description: "Show this help" };

function describeRange(o: NumberOption): string {
  const kind = o.type === "integer" ? "an integer" : "a number";
  const parts: string[] = [];
  if (o.min !== undefined) parts.push(`${o.aboveMin ? ">" : ">="} ${o.min}`);
  if (o.max !== undefined) parts.push(`<= ${o.max}`);
  return parts.length ? `${kind} ${parts.join(" and ")}` : kind;
}

function parseNumber(o: NumberOption, raw: string): number {
  const n = Number(raw);
  const ok =
    raw.trim() !== "" &&
    Number.isFinite(n) &&
    (o.type === "number" || Number.isInteger(n)) &&
    (o.min === undefined || (o.aboveMin ? n > o.min : n >= o.min)) &&
    (o.max === undefined || n <= o.max);
  if (!ok) throw new UsageError(`--${o.name} must be ${describeRange(o)}, got '${raw}'`);
  return n;
}

function convert(o: OptionSpec, raw: string): unknown {
  switch (o.type) {
    case "integer":
    case "number":
      return parseNumber(o, raw);
    case "choice":
      if (!o.choices.includes(raw)) {
        const hint = nearestMatch(raw, o.choices);
        throw new UsageError(`--${o.name} must be one of ${o.choices.join(", ")}, got '${raw}'${hint ? ` (did you mean ${hint}?)` : ""}`);
      }
      return raw;
    default:
      return raw;
  }
}

function isRepeatable(o: OptionSpec): boolean {
  return o.type === "pairs" || (o.type === "string" && o.multiple === true);
}

/** One `KEY=VALUE` of a pairs option: the key non-empty and not given before (split at the first '='). */
function addPair(o: PairsOption, pairs: Record<string, string>, raw: string): void {
  const eq = raw.indexOf("=");
  if (eq <= 0 || (o.requireValue && eq === raw.length - 1)) throw new UsageError(`--${o.name} expects ${o.arg}${o.hint ? ` (${o.hint})` : ""}, got '${raw}'`);
  const key = raw.slice(0, eq);
  if (Object.hasOwn(pairs, key)) throw new UsageError(`--${o.name} ${key} is given more than once`);
  // defineProperty: a key such as __proto__ is a key like any other, not the object's prototype.
  Object.defineProperty(pairs, key, { value: raw.slice(eq + 1), enumerable: true, writable: true, configurable: true });
}

export interface ParsedArgs<Os extends readonly OptionSpec[]> {
  values: OptionValues<Os>;
  positionals: string[];
  /** Options the user actually gave (defaults not counted). */
  given: ReadonlySet<string>;
}

/**
 * Parse argv against a table. `--name value`, `--name=value`, `-s value`; `--` ends options; a
 * lone `-` is a positional (stdin/stdout). Unknown options, repeated single options, missing
 * values and out-of-range numbers are UsageErrors with a precise message.
 */
export function parseOptions<const Os extends readonly OptionSpec[]>(options: Os, argv: readonly string[]): ParsedArgs<Os> {
  const byName = new Map<string, OptionSpec>();
  const byShort = new Map<string, OptionSpec>();
  for (const o of options) {
    byName.set(o.name, o);
    if (o.short) byShort.set(o.short, o);
  }
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (eq >= 0) inline = arg.slice(eq + 1);
      spec = byName.get(name);
      if (!spec) {
        const hint = nearestMatch(name, [...byName.keys()]);
        throw new UsageError(`unknown option --${name}${hint ? ` (did you mean --${hint}?)` : ""}`);
      }
    } else {
      spec = byShort.get(arg.slice(1));
      if (!spec) throw new UsageError(`unknown option ${arg}`);
    }
    const flag = `--${spec.name}`;
    if (given.has(spec.name) && !isRepeatable(spec)) throw new UsageError(`${flag} is given more than once`);
    given.add(spec.name);
    if (spec.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      values[spec.name] = true;
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      // A value may start with "-" (a negative number, "-" for stdin) but not look like an option.
      if (next === undefined || (next.startsWith("--") && next.length > 2)) throw new UsageError(`${flag} needs a value (${spec.arg})`);
      raw = next;
      i++;
    }
    if (spec.type === "pairs") {
      addPair(spec, (values[spec.name] ??= {}) as Record<string, string>, raw);
      continue;
    }
    const value = convert(spec, raw);
    if (spec.type === "string" && spec.multiple) ((values[spec.name] ??= []) as unknown[]).push(value);
    else values[spec.name] = value;
  }
  for (const o of options) {
    if (values[o.name] !== undefined) continue;
    if (o.type === "boolean") values[o.name] = false;
    else if (o.type === "pairs") values[o.name] = {};
    else if (o.type === "string" && o.multiple) values[o.name] = [];
    else if (o.default !== undefined) values[o.name] = o.default;
  }
  return { values: values as OptionValues<Os>, positionals, given };
}

function optionLabel(o: OptionSpec): string {
  const names = `${o.short ? `-${o.short}, ` : ""}--${o.name}`;
  return o.type === "boolean" ? names : `${names} ${o.arg}`;
}

function optionDetails(o: OptionSpec): string {
  const notes: string[] = [];
  if (o.type === "choice") notes.push(`one of ${o.choices.join(", ")}`);
  if ((o.type === "integer" || o.type === "number") && (o.min !== undefined || o.max !== undefined)) notes.push(describeRange(o));
  if ("default" in o && o.default !== undefined) notes.push(`default ${o.default}`);
  else if (o.shownDefault !== undefined) notes.push(`default ${o.shownDefault}`);
  if (isRepeatable(o)) notes.push("repeatable");
  if (o.config) notes.push(`config ${o.config}`);
  return notes.length ? ` (${notes.join("; ")})` : "";
}

const LABEL_WIDTH = 28;
const LINE_WIDTH = 100;

/** Wrap a description to the help's right column. */
function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      if (line && indent + line.length + 1 + word.length > LINE_WIDTH) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** The options part of --help, by group in table order, generated from the table the parser uses. */
export function formatOptions(options: readonly OptionSpec[]): string {
  const groups = new Map<string, OptionSpec[]>();
  for (const o of options) {
    const title = o.group ?? "Options";
    groups.set(title, [...(groups.get(title) ?? []), o]);
  }
  const out: string[] = [];
  for (const [title, group] of groups) {
    out.push(`${title}:`);
    for (const o of group) {
      const label = `  ${optionLabel(o)}`;
      const [first, ...rest] = wrap(o.description + optionDetails(o), LABEL_WIDTH + 2);
      const pad = label.length < LABEL_WIDTH ? label.padEnd(LABEL_WIDTH) : `${label}\n${" ".repeat(LABEL_WIDTH)}`;
      out.push(`${pad}  ${first}`);
      for (const r of rest) out.push(`${" ".repeat(LABEL_WIDTH + 2)}${r}`);
    }
    out.push("");
  }
  return out.join("\n");
}
